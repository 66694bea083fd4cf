//! What the requester reads and writes after the first message: staff
//! replies opened with the codename's keys, and the rules for a new message.

use mamar_crypto::{RequesterKeys, SealPurpose};
use mamar_store::{IntakeMessage, IntakeRequest};

/// The longest message accepted, in characters: the same for the first
/// message and every later one.
pub use mamar_core::text::MAX_MESSAGE_CHARS;

/// Why a requester's message is refused before anything is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageProblem {
    Empty,
    TooLong,
    ControlCharacter,
}

/// The message to store (trimmed), or why it cannot be.
pub fn check_message(text: &str) -> Result<&str, MessageProblem> {
    let text = text.trim();
    if text.is_empty() {
        Err(MessageProblem::Empty)
    } else if text.chars().count() > MAX_MESSAGE_CHARS {
        Err(MessageProblem::TooLong)
    } else if text
        .chars()
        .any(|c| mamar_core::text::is_bidi_control(c) || (c.is_control() && !c.is_whitespace()))
    {
        Err(MessageProblem::ControlCharacter)
    } else {
        Ok(text)
    }
}

/// The message part of a signed reply block (after the first blank line).
pub fn reply_body(block: &str) -> &str {
    block
        .split_once("\n\n")
        .map(|(_, body)| body.trim_end_matches('\n'))
        .unwrap_or(block)
}

/// A staff reply as the requester reads it: the message, whether the
/// organisation's signature on it checks against `fingerprint`, and the
/// signed block to check offline.
pub struct ReadReply {
    pub text: String,
    pub signature_valid: bool,
    pub block: String,
}

/// Opens the replies in a conversation with the requester's keys; the
/// requester's own messages stay sealed to the organisation.
pub fn open_replies(
    keys: &RequesterKeys,
    request: &IntakeRequest,
    messages: &[IntakeMessage],
    fingerprint: &str,
) -> Vec<ReadReply> {
    messages
        .iter()
        .filter(|message| !message.from_requester)
        .filter_map(|message| {
            let plain = mamar_crypto::open(
                keys.encryption(),
                &SealPurpose::Reply {
                    request_id: &request.id,
                },
                &message.sealed,
            )
            .ok()?;
            let block = String::from_utf8_lossy(plain.expose_secret()).into_owned();
            let checked = mamar_keys::verify_reply_text(&block, fingerprint);
            let signature_valid = checked.is_ok();
            let text = checked.unwrap_or_else(|_| reply_body(&block).to_owned());
            Some(ReadReply {
                text,
                signature_valid,
                block,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_trimmed_and_refused_when_empty_long_or_hidden() {
        assert_eq!(check_message("  hello \n"), Ok("hello"));
        assert_eq!(check_message(" \n\t"), Err(MessageProblem::Empty));
        assert_eq!(
            check_message(&"x".repeat(MAX_MESSAGE_CHARS + 1)),
            Err(MessageProblem::TooLong)
        );
        assert_eq!(check_message("a\u{202e}b"), Err(MessageProblem::ControlCharacter));
        assert_eq!(check_message("a\u{7}b"), Err(MessageProblem::ControlCharacter));
        assert_eq!(check_message("line one\nline two"), Ok("line one\nline two"));
    }

    #[test]
    fn the_body_of_a_signed_block_follows_the_first_blank_line() {
        assert_eq!(reply_body("header\nsig\n\nthe text\n"), "the text");
        assert_eq!(reply_body("no header"), "no header");
    }
}
