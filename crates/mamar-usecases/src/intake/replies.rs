//! What the requester reads and writes after the first message: their first
//! request and staff replies opened with the codename's keys, and the rules
//! for a new message.

use mamar_core::questionnaire::Answers;
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

/// Who said one thing in a conversation, and what.
pub enum Said {
    /// The requester's first request, from their own copy of it.
    FirstRequest(FirstRequest),
    /// The requester's own message, opened from their own copy.
    Requester(String),
    /// A reply of the organisation.
    Organisation(ReadReply),
}

/// The requester's first request as they read it again.
pub enum FirstRequest {
    /// What they typed into the form (texts and numbers, not what they
    /// chose from lists), to show with the questionnaire's labels; empty
    /// when they typed nothing.
    Shown(Answers),
    /// Made before copies of requests were kept for their requesters.
    NotKept,
    /// The copy was erased (by the panic action) or does not open.
    Unavailable,
}

/// The requester's first request, opened from the copy sealed under the
/// own-copy key of `keys` (see [`own_copy_of_request`]).
pub fn read_first_request(keys: &RequesterKeys, request: &IntakeRequest) -> FirstRequest {
    let Some(copy) = &request.own_copy else {
        return FirstRequest::NotKept;
    };
    keys.own_copy()
        .open(&request.id, copy)
        .ok()
        .and_then(|plain| Answers::from_bytes(plain.expose_secret()).ok())
        .map_or(FirstRequest::Unavailable, FirstRequest::Shown)
}

/// The requester's own copy of their first request: what they typed into
/// the form, sealed under the own-copy key derived from their codename
/// (symmetric: the server holds the codename at intake anyway, and a second
/// public-key seal would cost a third of the intake rate).
pub fn own_copy_of_request(
    keys: &RequesterKeys,
    request_id: &[u8; 16],
    answers: &Answers,
) -> Result<Vec<u8>, mamar_crypto::CryptoError> {
    let typed = zeroize::Zeroizing::new(answers.typed_part().to_bytes());
    keys.own_copy().seal(request_id, &typed)
}

/// One message of a conversation, with the month it was sent (never a day or
/// a time; `None` for messages stored before months were kept).
pub struct Entry {
    pub month: Option<String>,
    pub said: Said,
}

/// The conversation as its requester reads it with the codename's keys, in
/// order: their first request (always first, with the month it arrived,
/// saying so when it cannot be shown), then their own messages (from the
/// copies sealed to their key) and the replies. The second value is true
/// when some of their later messages have no such copy (sent before copies
/// were kept): those are not shown.
pub fn read_conversation(
    keys: &RequesterKeys,
    request: &IntakeRequest,
    messages: &[IntakeMessage],
    fingerprint: &str,
) -> (Vec<Entry>, bool) {
    let mut earlier_not_shown = false;
    let first = Entry {
        month: Some(request.received_month.clone()),
        said: Said::FirstRequest(read_first_request(keys, request)),
    };
    let later = messages.iter().filter_map(|message| {
        let said = if message.from_requester {
            let Some(copy) = &message.own_copy else {
                earlier_not_shown = true;
                return None;
            };
            let plain = mamar_crypto::open(
                keys.encryption(),
                &SealPurpose::OwnCopy {
                    request_id: &request.id,
                },
                copy,
            )
            .ok()?;
            Said::Requester(String::from_utf8_lossy(plain.expose_secret()).into_owned())
        } else {
            Said::Organisation(open_reply(keys, request, message, fingerprint)?)
        };
        Some(Entry {
            month: message.sent_month.clone(),
            said,
        })
    });
    let entries = std::iter::once(first).chain(later).collect();
    (entries, earlier_not_shown)
}

/// A staff reply opened with the requester's keys and checked against the
/// signing key's fingerprint; `None` when it does not open (erased by the
/// panic action, say).
fn open_reply(
    keys: &RequesterKeys,
    request: &IntakeRequest,
    message: &IntakeMessage,
    fingerprint: &str,
) -> Option<ReadReply> {
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
}

/// The Fluent arguments of `month-year` for a stored month (`YYYY-MM`):
/// `month` as `m01`…`m12` (Fluent selects on names, not on numbers) and
/// `year`. `None` for anything else (a message from before months were kept).
pub fn month_arguments(month: &str) -> Option<(String, String)> {
    let (year, number) = month.split_once('-')?;
    let valid = year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() == 2
        && matches!(number.parse::<u8>(), Ok(1..=12));
    valid.then(|| (format!("m{number}"), year.to_owned()))
}

/// The requester's own copy of `text`: sealed to their codename-derived key
/// (the public half the request keeps), with the month.
pub fn own_copy(
    request: &IntakeRequest,
    text: &str,
    now: i64,
) -> Result<mamar_store::OwnCopy, mamar_crypto::CryptoError> {
    let key: [u8; 32] = request
        .requester_key
        .as_slice()
        .try_into()
        .map_err(|_| mamar_crypto::CryptoError::Decrypt)?;
    Ok(mamar_store::OwnCopy {
        sent_month: crate::month_of(now),
        sealed: mamar_crypto::seal(
            &mamar_crypto::EncryptionPublicKey::from_bytes(key),
            &SealPurpose::OwnCopy {
                request_id: &request.id,
            },
            text.as_bytes(),
        )?,
    })
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
    fn months_become_the_arguments_of_their_name() {
        assert_eq!(
            month_arguments("2026-11"),
            Some(("m11".to_owned(), "2026".to_owned()))
        );
        assert_eq!(
            month_arguments("2027-01"),
            Some(("m01".to_owned(), "2027".to_owned()))
        );
        for bad in ["", "2026-13", "2026-00", "26-11", "2026-1", "2026/11", "abcd-11"] {
            assert_eq!(month_arguments(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_body_of_a_signed_block_follows_the_first_blank_line() {
        assert_eq!(reply_body("header\nsig\n\nthe text\n"), "the text");
        assert_eq!(reply_body("no header"), "no header");
    }
}
