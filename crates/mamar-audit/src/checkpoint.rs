//! Signed checkpoints: the organisation's signature over the log's head at
//! one moment, and a text form to keep away from the server.
//!
//! The signed message is `1 (version) || seq (u64 big-endian) || time (i64
//! big-endian) || head hash (32)`, signed for
//! [`SignaturePurpose::AuditCheckpoint`] (which `mamar-crypto` binds into
//! the signed bytes, so a checkpoint signature can never pass for a contact
//! card's or a reply's).
//!
//! Text form (every line required, in this order):
//!
//! ```text
//! mamar audit checkpoint
//! version: 1
//! entry: <sequence number of the newest entry covered>
//! time: <unix seconds>
//! head: <64 hex digits: that entry's hash>
//! signing-key: <64 hex digits: the organisation's Ed25519 public key>
//! signature: <hex of the mamar signature blob>
//! ```
//!
//! `sha256sum` of the signing key's raw bytes is the organisation's
//! published fingerprint.

use mamar_crypto::{Signature, SignaturePurpose, SigningKey, VerifyingKey};
use thiserror::Error;

use crate::entry::EntryHash;

const HEADER: &str = "mamar audit checkpoint";
const VERSION: u8 = 1;
/// A checkpoint file is a few hundred bytes; refuse anything much larger unread.
const MAX_TEXT: usize = 4096;

/// What a checkpoint vouches for: the log held entries 1 to `seq`, and entry
/// `seq` hashed to `head`, at time `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: u64,
    pub head: EntryHash,
    /// Unix seconds when it was signed.
    pub at: i64,
}

impl Checkpoint {
    /// The exact bytes that are signed.
    pub fn message(&self) -> Vec<u8> {
        let mut message = Vec::with_capacity(49);
        message.push(VERSION);
        message.extend_from_slice(&self.seq.to_be_bytes());
        message.extend_from_slice(&self.at.to_be_bytes());
        message.extend_from_slice(self.head.as_bytes());
        message
    }

    /// Signs with the organisation's signing key.
    pub fn sign(self, key: &SigningKey) -> SignedCheckpoint {
        let signature = key.sign(SignaturePurpose::AuditCheckpoint, &self.message());
        SignedCheckpoint {
            checkpoint: self,
            signing_key: key.verifying_key().to_bytes(),
            signature: signature.to_bytes(),
        }
    }
}

/// A checkpoint with its signature, as stored and exported. The signature
/// is only parsed and checked by [`SignedCheckpoint::verify`], so a damaged
/// one still loads and is reported as a bad signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    pub checkpoint: Checkpoint,
    /// The public key of the signer as it claims; trust comes from the keys
    /// passed to [`SignedCheckpoint::verify`], not from this.
    pub signing_key: [u8; 32],
    /// The mamar signature blob.
    pub signature: Vec<u8>,
}

/// Why a checkpoint file could not be read, or a checkpoint does not verify.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckpointError {
    #[error("this is not a mamar audit checkpoint (the first line must be \"{HEADER}\")")]
    NotACheckpoint,
    #[error("the checkpoint is longer than {MAX_TEXT} bytes")]
    TooLarge,
    #[error("line {line} of the checkpoint must be \"{expected}: …\"")]
    MissingLine { line: usize, expected: &'static str },
    #[error("line {line} of the checkpoint: {problem}")]
    BadValue { line: usize, problem: &'static str },
    #[error("the checkpoint has text after its signature")]
    TrailingText,
    #[error("the checkpoint's signature does not verify against the organisation's signing key")]
    BadSignature,
}

impl SignedCheckpoint {
    /// Checks the signature against any of `keys` (the organisation's
    /// signing keys, every generation that may have signed).
    pub fn verify(&self, keys: &[VerifyingKey]) -> Result<(), CheckpointError> {
        let signature = Signature::from_bytes(&self.signature).map_err(|_| CheckpointError::BadSignature)?;
        let message = self.checkpoint.message();
        keys.iter()
            .any(|key| {
                key.verify(SignaturePurpose::AuditCheckpoint, &message, &signature)
                    .is_ok()
            })
            .then_some(())
            .ok_or(CheckpointError::BadSignature)
    }

    /// The portable text form (see the module documentation).
    pub fn to_text(&self) -> String {
        format!(
            "{HEADER}\nversion: {VERSION}\nentry: {}\ntime: {}\nhead: {}\nsigning-key: {}\nsignature: {}\n",
            self.checkpoint.seq,
            self.checkpoint.at,
            self.checkpoint.head.to_hex(),
            hex::encode(self.signing_key),
            hex::encode(&self.signature),
        )
    }

    /// Parses the text form. Blank lines around it and `\r\n` line ends are
    /// accepted; anything else out of place is refused. The signature is
    /// not checked here.
    pub fn from_text(text: &str) -> Result<Self, CheckpointError> {
        if text.len() > MAX_TEXT {
            return Err(CheckpointError::TooLarge);
        }
        let mut lines = text
            .trim()
            .lines()
            .map(|line| line.trim_end_matches('\r'))
            .enumerate()
            .map(|(i, line)| (i + 1, line));
        match lines.next() {
            Some((_, HEADER)) => {}
            _ => return Err(CheckpointError::NotACheckpoint),
        }
        let mut field = |expected: &'static str| -> Result<(usize, &str), CheckpointError> {
            let (line, text) = lines
                .next()
                .ok_or(CheckpointError::MissingLine { line: 0, expected })?;
            text.strip_prefix(expected)
                .and_then(|rest| rest.strip_prefix(": "))
                .map(|value| (line, value))
                .ok_or(CheckpointError::MissingLine { line, expected })
        };
        let (line, version) = field("version")?;
        if version != "1" {
            return Err(CheckpointError::BadValue {
                line,
                problem: "only version 1 is known",
            });
        }
        let (line, seq) = field("entry")?;
        let seq = parse_decimal(seq).ok_or(CheckpointError::BadValue {
            line,
            problem: "the entry must be a whole number",
        })?;
        let (line, at) = field("time")?;
        let at =
            parse_decimal(at)
                .and_then(|at| i64::try_from(at).ok())
                .ok_or(CheckpointError::BadValue {
                    line,
                    problem: "the time must be a whole number of seconds",
                })?;
        let (line, head) = field("head")?;
        let head = EntryHash::from_hex(head).ok_or(CheckpointError::BadValue {
            line,
            problem: "the head must be 64 hex digits",
        })?;
        let (line, key) = field("signing-key")?;
        let mut signing_key = [0u8; 32];
        hex::decode_to_slice(key, &mut signing_key).map_err(|_| CheckpointError::BadValue {
            line,
            problem: "the signing key must be 64 hex digits",
        })?;
        let (line, signature) = field("signature")?;
        let signature = hex::decode(signature).map_err(|_| CheckpointError::BadValue {
            line,
            problem: "the signature must be hex",
        })?;
        if lines.next().is_some() {
            return Err(CheckpointError::TrailingText);
        }
        Ok(SignedCheckpoint {
            checkpoint: Checkpoint { seq, head, at },
            signing_key,
            signature,
        })
    }
}

/// Digits only: no sign, no spaces, no leading `+`.
fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::GENESIS;

    fn signed() -> (SigningKey, SignedCheckpoint) {
        let key = SigningKey::generate().unwrap();
        let checkpoint = Checkpoint {
            seq: 42,
            head: EntryHash([7; 32]),
            at: 1_700_000_000,
        };
        let signed = checkpoint.sign(&key);
        (key, signed)
    }

    #[test]
    fn a_checkpoint_verifies_only_under_its_key_and_contents() {
        let (key, signed) = signed();
        let public = key.verifying_key();
        signed.verify(&[public]).unwrap();
        let other = SigningKey::generate().unwrap().verifying_key();
        assert_eq!(signed.verify(&[other]), Err(CheckpointError::BadSignature));
        signed.verify(&[other, public]).unwrap();
        assert_eq!(signed.verify(&[]), Err(CheckpointError::BadSignature));
        for change in [
            |c: &mut Checkpoint| c.seq += 1,
            |c: &mut Checkpoint| c.at -= 1,
            |c: &mut Checkpoint| c.head = GENESIS,
        ] {
            let mut changed = signed.clone();
            change(&mut changed.checkpoint);
            assert_eq!(changed.verify(&[public]), Err(CheckpointError::BadSignature));
        }
        let mut damaged = signed.clone();
        damaged.signature.truncate(10);
        assert_eq!(damaged.verify(&[public]), Err(CheckpointError::BadSignature));
    }

    #[test]
    fn a_checkpoint_signature_is_not_a_card_signature() {
        let (key, signed) = signed();
        let signature = Signature::from_bytes(&signed.signature).unwrap();
        assert!(
            key.verifying_key()
                .verify(
                    SignaturePurpose::ContactCard,
                    &signed.checkpoint.message(),
                    &signature
                )
                .is_err()
        );
    }

    #[test]
    fn the_text_form_round_trips() {
        let (key, signed) = signed();
        let text = signed.to_text();
        assert!(text.starts_with("mamar audit checkpoint\nversion: 1\nentry: 42\n"));
        let parsed = SignedCheckpoint::from_text(&text).unwrap();
        assert_eq!(parsed, signed);
        parsed.verify(&[key.verifying_key()]).unwrap();
        let crlf = format!("\n{}\n\n", text.replace('\n', "\r\n"));
        assert_eq!(SignedCheckpoint::from_text(&crlf).unwrap(), signed);
    }

    #[test]
    fn damaged_text_is_refused_with_a_reason() {
        let (_, signed) = signed();
        let text = signed.to_text();
        assert_eq!(
            SignedCheckpoint::from_text("hello"),
            Err(CheckpointError::NotACheckpoint)
        );
        assert!(matches!(
            SignedCheckpoint::from_text(&text.replace("entry: 42", "entry: -42")),
            Err(CheckpointError::BadValue { line: 3, .. })
        ));
        assert!(matches!(
            SignedCheckpoint::from_text(&text.replace("time: ", "when: ")),
            Err(CheckpointError::MissingLine { line: 4, .. })
        ));
        assert!(matches!(
            SignedCheckpoint::from_text(&format!("{text}extra: 1\n")),
            Err(CheckpointError::TrailingText)
        ));
        let cut: String = text.lines().take(5).map(|l| format!("{l}\n")).collect();
        assert!(matches!(
            SignedCheckpoint::from_text(&cut),
            Err(CheckpointError::MissingLine { .. })
        ));
        assert_eq!(
            SignedCheckpoint::from_text(&"x".repeat(5000)),
            Err(CheckpointError::TooLarge)
        );
    }
}
