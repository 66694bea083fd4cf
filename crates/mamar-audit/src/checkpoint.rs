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
//!
//! # Checkpoints the server makes on its own (version 2)
//!
//! `mamar serve` cannot use the organisation's signing key unattended (it
//! exists only inside an administrator's session), so it signs scheduled
//! checkpoints with a checkpoint key of its own, which lives only in the
//! server's memory, and which a holder of the organisation's signing key
//! certified at login: a [`KeyCertificate`] is the organisation's signature
//! (for [`SignaturePurpose::AuditCheckpointKey`]) over `1 || checkpoint
//! public key (32) || certified-from (i64 big-endian)`. A version 2
//! checkpoint is valid when its certificate verifies against the
//! organisation's key, its own signature against the certified key, and it
//! was signed no earlier than the certificate (a key taken from a running
//! server cannot sign a time before it was certified). Its text form adds
//! three lines after the signature:
//!
//! ```text
//! certified-from: <unix seconds>
//! certified-by: <64 hex digits: the organisation's Ed25519 public key>
//! certificate: <hex of the organisation's signature blob>
//! ```
//!
//! and `signing-key` is then the checkpoint key.

use mamar_crypto::{Signature, SignaturePurpose, SigningKey, VerifyingKey};
use thiserror::Error;

use crate::entry::EntryHash;

const HEADER: &str = "mamar audit checkpoint";
const VERSION: u8 = 1;
/// The text version of a checkpoint signed by a certified checkpoint key.
const CERTIFIED_VERSION: u8 = 2;
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
            certificate: None,
        }
    }

    /// Signs with a checkpoint key that `certificate` vouches for (its
    /// public half must be the certified key).
    pub fn sign_certified(self, key: &SigningKey, certificate: &KeyCertificate) -> SignedCheckpoint {
        SignedCheckpoint {
            certificate: Some(certificate.clone()),
            ..self.sign(key)
        }
    }
}

/// The organisation's word that `key` may sign audit checkpoints made at
/// or after `from` (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCertificate {
    /// The checkpoint key's public half.
    pub key: [u8; 32],
    /// When it was certified; checkpoints signed earlier are refused.
    pub from: i64,
    /// The organisation's signing key that certified it (as it claims).
    pub org_key: [u8; 32],
    /// The organisation's signature blob.
    pub signature: Vec<u8>,
}

impl KeyCertificate {
    fn message(key: &[u8; 32], from: i64) -> Vec<u8> {
        let mut message = Vec::with_capacity(41);
        message.push(VERSION);
        message.extend_from_slice(key);
        message.extend_from_slice(&from.to_be_bytes());
        message
    }

    /// The organisation's signing key `org` certifies `key` from `from` on.
    pub fn issue(org: &SigningKey, key: &VerifyingKey, from: i64) -> KeyCertificate {
        let key = key.to_bytes();
        let signature = org.sign(SignaturePurpose::AuditCheckpointKey, &Self::message(&key, from));
        KeyCertificate {
            key,
            from,
            org_key: org.verifying_key().to_bytes(),
            signature: signature.to_bytes(),
        }
    }

    /// Checks the organisation's signature against any of `keys`.
    pub fn verify(&self, keys: &[VerifyingKey]) -> Result<VerifyingKey, CheckpointError> {
        let signature =
            Signature::from_bytes(&self.signature).map_err(|_| CheckpointError::BadCertificate)?;
        let message = Self::message(&self.key, self.from);
        let certified = keys.iter().any(|org| {
            org.verify(SignaturePurpose::AuditCheckpointKey, &message, &signature)
                .is_ok()
        });
        if !certified {
            return Err(CheckpointError::BadCertificate);
        }
        VerifyingKey::from_bytes(&self.key).map_err(|_| CheckpointError::BadCertificate)
    }

    /// The stored form of everything but the certified key (which is the
    /// checkpoint's signing key): `from (8) || org key (32) || signature`.
    pub fn to_stored(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(40 + self.signature.len());
        bytes.extend_from_slice(&self.from.to_be_bytes());
        bytes.extend_from_slice(&self.org_key);
        bytes.extend_from_slice(&self.signature);
        bytes
    }

    /// Reads [`KeyCertificate::to_stored`] back for the checkpoint key `key`.
    pub fn from_stored(key: [u8; 32], bytes: &[u8]) -> Option<KeyCertificate> {
        let from = i64::from_be_bytes(bytes.get(..8)?.try_into().ok()?);
        let org_key = bytes.get(8..40)?.try_into().ok()?;
        Some(KeyCertificate {
            key,
            from,
            org_key,
            signature: bytes.get(40..)?.to_vec(),
        })
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
    /// For a checkpoint the server made on its own: the organisation's
    /// certificate of the key that signed it (`signing_key`).
    pub certificate: Option<KeyCertificate>,
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
    #[error("the checkpoint key's certificate is not signed by the organisation's signing key")]
    BadCertificate,
    #[error("the checkpoint claims a time before its key was certified")]
    BeforeCertificate,
}

impl SignedCheckpoint {
    /// Checks the signature against any of `keys` (the organisation's
    /// signing keys, every generation that may have signed).
    /// A checkpoint the server made on its own verifies through its
    /// certificate (see the module documentation).
    pub fn verify(&self, keys: &[VerifyingKey]) -> Result<(), CheckpointError> {
        let signature = Signature::from_bytes(&self.signature).map_err(|_| CheckpointError::BadSignature)?;
        let message = self.checkpoint.message();
        if let Some(certificate) = &self.certificate {
            let key = certificate.verify(keys)?;
            if certificate.key != self.signing_key {
                return Err(CheckpointError::BadSignature);
            }
            if self.checkpoint.at < certificate.from {
                return Err(CheckpointError::BeforeCertificate);
            }
            return key
                .verify(SignaturePurpose::AuditCheckpoint, &message, &signature)
                .map_err(|_| CheckpointError::BadSignature);
        }
        keys.iter()
            .any(|key| {
                key.verify(SignaturePurpose::AuditCheckpoint, &message, &signature)
                    .is_ok()
            })
            .then_some(())
            .ok_or(CheckpointError::BadSignature)
    }

    /// The organisation's signing key this checkpoint claims to come from:
    /// the certifier for a checkpoint the server made, the signer otherwise.
    pub fn organisation_key(&self) -> [u8; 32] {
        self.certificate
            .as_ref()
            .map_or(self.signing_key, |certificate| certificate.org_key)
    }

    /// The portable text form (see the module documentation).
    pub fn to_text(&self) -> String {
        let version = if self.certificate.is_some() {
            CERTIFIED_VERSION
        } else {
            VERSION
        };
        let mut text = format!(
            "{HEADER}\nversion: {version}\nentry: {}\ntime: {}\nhead: {}\nsigning-key: {}\nsignature: {}\n",
            self.checkpoint.seq,
            self.checkpoint.at,
            self.checkpoint.head.to_hex(),
            hex::encode(self.signing_key),
            hex::encode(&self.signature),
        );
        if let Some(certificate) = &self.certificate {
            text.push_str(&format!(
                "certified-from: {}\ncertified-by: {}\ncertificate: {}\n",
                certificate.from,
                hex::encode(certificate.org_key),
                hex::encode(&certificate.signature),
            ));
        }
        text
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
        let certified = match version {
            "1" => false,
            "2" => true,
            _ => {
                return Err(CheckpointError::BadValue {
                    line,
                    problem: "only versions 1 and 2 are known",
                });
            }
        };
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
        let certificate = if certified {
            let (line, from) = field("certified-from")?;
            let from = parse_decimal(from)
                .and_then(|from| i64::try_from(from).ok())
                .ok_or(CheckpointError::BadValue {
                    line,
                    problem: "the time of certification must be a whole number of seconds",
                })?;
            let (line, org) = field("certified-by")?;
            let mut org_key = [0u8; 32];
            hex::decode_to_slice(org, &mut org_key).map_err(|_| CheckpointError::BadValue {
                line,
                problem: "the organisation's key must be 64 hex digits",
            })?;
            let (line, certificate) = field("certificate")?;
            let certificate = hex::decode(certificate).map_err(|_| CheckpointError::BadValue {
                line,
                problem: "the certificate must be hex",
            })?;
            Some(KeyCertificate {
                key: signing_key,
                from,
                org_key,
                signature: certificate,
            })
        } else {
            None
        };
        if lines.next().is_some() {
            return Err(CheckpointError::TrailingText);
        }
        Ok(SignedCheckpoint {
            checkpoint: Checkpoint { seq, head, at },
            signing_key,
            signature,
            certificate,
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

    fn certified() -> (SigningKey, SigningKey, SignedCheckpoint) {
        let org = SigningKey::generate().unwrap();
        let server = SigningKey::generate().unwrap();
        let certificate = KeyCertificate::issue(&org, &server.verifying_key(), 1_700_000_000);
        let signed = Checkpoint {
            seq: 42,
            head: EntryHash([7; 32]),
            at: 1_700_000_600,
        }
        .sign_certified(&server, &certificate);
        (org, server, signed)
    }

    #[test]
    fn a_server_checkpoint_verifies_through_its_certificate_and_its_text() {
        let (org, server, signed) = certified();
        let public = org.verifying_key();
        signed.verify(&[public]).unwrap();
        assert_eq!(signed.organisation_key(), public.to_bytes());
        let text = signed.to_text();
        assert!(text.contains("version: 2\n") && text.contains("\ncertified-by: "));
        let parsed = SignedCheckpoint::from_text(&text).unwrap();
        assert_eq!(parsed, signed);
        parsed.verify(&[public]).unwrap();
        // The server's key alone is not the organisation's.
        assert_eq!(
            signed.verify(&[server.verifying_key()]),
            Err(CheckpointError::BadCertificate)
        );
        let other = SigningKey::generate().unwrap().verifying_key();
        assert_eq!(signed.verify(&[other]), Err(CheckpointError::BadCertificate));
    }

    #[test]
    fn a_tampered_server_checkpoint_fails() {
        let (org, server, signed) = certified();
        let public = [org.verifying_key()];
        let mut moved = signed.clone();
        moved.checkpoint.seq += 1;
        assert_eq!(moved.verify(&public), Err(CheckpointError::BadSignature));
        // A key certified by someone else, passed off under the organisation's name.
        let mallory = SigningKey::generate().unwrap();
        let mut forged = signed.clone();
        let fake = KeyCertificate::issue(&mallory, &server.verifying_key(), 1_700_000_000);
        forged.certificate = Some(KeyCertificate {
            org_key: org.verifying_key().to_bytes(),
            ..fake
        });
        assert_eq!(forged.verify(&public), Err(CheckpointError::BadCertificate));
        // The certificate's time moved back, so that the key could sign an older past.
        let mut earlier = signed.clone();
        if let Some(certificate) = earlier.certificate.as_mut() {
            certificate.from -= 3_600;
        }
        assert_eq!(earlier.verify(&public), Err(CheckpointError::BadCertificate));
        // A genuine key signing a time before its certificate.
        let certificate = signed.certificate.clone().unwrap();
        let backdated = Checkpoint {
            seq: 40,
            head: EntryHash([9; 32]),
            at: certificate.from - 1,
        }
        .sign_certified(&server, &certificate);
        assert_eq!(backdated.verify(&public), Err(CheckpointError::BeforeCertificate));
        // Another key's signature under this certificate.
        let other = SigningKey::generate().unwrap();
        let swapped = signed.checkpoint.sign_certified(&other, &certificate);
        assert_eq!(swapped.verify(&public), Err(CheckpointError::BadSignature));
        // The stored form round-trips.
        assert_eq!(
            KeyCertificate::from_stored(certificate.key, &certificate.to_stored()),
            Some(certificate)
        );
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
