//! Referral files: a referral (or its acknowledgement) travelling between
//! two organisations that each run mamar, over a channel neither trusts.
//!
//! The file is text:
//!
//! ```text
//! mamar-referral-file v1
//! to: <64 hex digits: the recipient's referral-seal key, as on its card>
//! sealed: <hex of an HPKE-sealed blob>
//! ```
//!
//! The sealed blob (`mamar_crypto::seal`, purpose `ReferralFile`, bound to
//! the recipient's key) holds a JSON envelope: the payload as a JSON text,
//! the sender's signing key and the organisation's Ed25519 signature over
//! the payload's exact bytes (`SignaturePurpose::ReferralFile`). The payload
//! names its kind, a random id, its creation time and the recipient's key
//! again, so a file signed for one organisation cannot be re-sealed to
//! another. Signed, then sealed: the channel sees only who it is for (the
//! `to` line, which the recipient needs to pick its key and to say plainly
//! when a file was meant for someone else) and the size.
//!
//! Opening checks, in order: the form (malformed), the `to` line against
//! the recipient's own keys (sealed to another organisation), the seal
//! (tampered: any changed byte fails authentication), the payload's own
//! recipient (sealed to another organisation) and the signature (tampered
//! or forged). Who signed it, whether that organisation is a confirmed
//! partner and whether the id was seen before are the caller's to check
//! (they need the store).

use mamar_crypto::{
    EncryptionKeyPair, EncryptionPublicKey, SealPurpose, Signature, SignaturePurpose, SigningKey,
    VerifyingKey,
};
use serde::{Deserialize, Serialize};

const HEADER: &str = "mamar-referral-file v1";
/// Files larger than this are refused before any parsing.
pub const MAX_REFERRAL_FILE_BYTES: usize = 1024 * 1024;
/// A file older than this (by the time it says it was made, which is signed) is refused unless
/// the importer allows more: a file lost in a channel and found months later is not acted on.
pub const DEFAULT_MAX_FILE_AGE_DAYS: u32 = 30;
/// The most an importer may allow.
pub const MAX_FILE_AGE_LIMIT_DAYS: u32 = 365;
/// How long the id of an imported file is kept to refuse it a second time: longer than any file
/// may be old, so once an id is forgotten the file it came with is refused as too old.
pub const SEEN_FILE_IDS_KEPT_DAYS: i64 = MAX_FILE_AGE_LIMIT_DAYS as i64 + 35;
/// How far ahead of this server's clock a file's time may be (the two servers' clocks differ).
const CLOCK_SKEW_SECONDS: i64 = 24 * 60 * 60;

/// What a referral file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A referral: the fields a coordinator shared with the requester's consent.
    Referral,
    /// The receiver's answer to a referral (accepted or declined).
    Acknowledgement,
}

impl FileKind {
    /// The stable code (kept with the ids of files seen).
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Referral => "referral",
            FileKind::Acknowledgement => "acknowledgement",
        }
    }
}

/// The signed content of a referral file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilePayload {
    pub kind: FileKind,
    /// A random id, 32 hex digits: the receiver refuses a second file with it.
    pub id: String,
    /// When the file was made (Unix seconds).
    pub created: i64,
    /// The recipient's referral-seal key (64 hex digits); set by [`seal_file`].
    pub to: String,
    /// The referral's id on the sending organisation's server (32 hex digits); an
    /// acknowledgement names the referral it answers.
    pub referral: String,
    /// A referral's shared fields: (field code, value).
    #[serde(default)]
    pub fields: Vec<(String, String)>,
    /// An acknowledgement's answer.
    #[serde(default)]
    pub accepted: Option<bool>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    payload: String,
    signing_key: String,
    signature: String,
}

/// A file that opened with one of our keys and whose signature holds.
#[derive(Debug, Clone)]
pub struct OpenedFile {
    pub payload: FilePayload,
    /// The key that signed it: the caller checks its fingerprint against the
    /// partner the administrators confirmed.
    pub signer: VerifyingKey,
}

/// Why a referral file was refused. Each says in plain words what happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralFileError {
    #[error("this is not a mamar referral file, or it is damaged ({0})")]
    Malformed(&'static str),
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the file is sealed to another organisation's key, not to ours: it was not meant for us")]
    SealedToAnother,
    #[error(
        "the file was changed after it was signed and sealed, or forged: it does not open or its signature does not hold"
    )]
    Tampered,
    #[error(
        "the file is signed by an organisation that is not a registered partner (its fingerprint is {fingerprint})"
    )]
    UnknownSender { fingerprint: String },
    #[error(
        "the file is signed by a partner whose fingerprint no second administrator has confirmed yet ({name})"
    )]
    UnconfirmedSender { name: String },
    #[error("this file was imported before (its id {id} was seen): a replayed file is refused")]
    Replayed { id: String },
    #[error(
        "the file was made {age_days} days ago, and files older than {max_days} days are refused: ask the partner for a new file"
    )]
    TooOld { age_days: i64, max_days: u32 },
    #[error(
        "the file says it was made more than a day after this server's time: check the clocks of both servers"
    )]
    FromTheFuture,
    #[error(
        "the partner's registered card carries no referral-seal key: the partner must publish its card again with this release of mamar, and the new card be registered"
    )]
    NoSealKey,
    #[error("the acknowledgement answers no referral we sent to that organisation")]
    NoSuchReferral,
    #[error("that referral was already answered or has been revoked")]
    AlreadyAnswered,
    #[error("the file could not be sealed: {0}")]
    Seal(String),
}

fn line_value<'a>(line: Option<&'a str>, key: &str) -> Result<&'a str, ReferralFileError> {
    line.and_then(|l| l.strip_suffix('\r').or(Some(l)))
        .and_then(|l| l.strip_prefix(key))
        .and_then(|l| l.strip_prefix(": "))
        .ok_or(ReferralFileError::Malformed("a line is missing or out of order"))
}

/// Signs `payload` with the organisation's signing key and seals it to
/// `recipient` (a partner's `referral-seal` key). `payload.to` is set here.
pub fn seal_file(
    payload: &FilePayload,
    signing: &SigningKey,
    recipient: &EncryptionPublicKey,
) -> Result<String, ReferralFileError> {
    let to = hex::encode(recipient.to_bytes());
    let payload = FilePayload {
        to: to.clone(),
        ..payload.clone()
    };
    let text = serde_json::to_string(&payload).map_err(|_| ReferralFileError::Seal("payload".into()))?;
    let signature = signing.sign(SignaturePurpose::ReferralFile, text.as_bytes());
    let envelope = Envelope {
        payload: text,
        signing_key: hex::encode(signing.verifying_key().to_bytes()),
        signature: hex::encode(signature.to_bytes()),
    };
    let plain = serde_json::to_vec(&envelope).map_err(|_| ReferralFileError::Seal("envelope".into()))?;
    let key_bytes = recipient.to_bytes();
    let sealed = mamar_crypto::seal(
        recipient,
        &SealPurpose::ReferralFile {
            recipient: &key_bytes,
        },
        &plain,
    )
    .map_err(|e| ReferralFileError::Seal(e.to_string()))?;
    Ok(format!("{HEADER}\nto: {to}\nsealed: {}\n", hex::encode(sealed)))
}

/// Whether a file made at `created` (Unix seconds, from its signed payload) may still be acted on
/// at `now`, allowing files up to `max_age_days` old (at most [`MAX_FILE_AGE_LIMIT_DAYS`]).
pub fn check_file_age(created: i64, now: i64, max_age_days: u32) -> Result<(), ReferralFileError> {
    if created > now.saturating_add(CLOCK_SKEW_SECONDS) {
        return Err(ReferralFileError::FromTheFuture);
    }
    let max_days = max_age_days.min(MAX_FILE_AGE_LIMIT_DAYS);
    let age_days = now.saturating_sub(created) / 86_400;
    if age_days >= i64::from(max_days) {
        return Err(ReferralFileError::TooOld { age_days, max_days });
    }
    Ok(())
}

/// Opens a referral file with whichever of `keys` it was sealed to and
/// checks its signature (see the module documentation for the order).
pub fn open_file(text: &str, keys: &[EncryptionKeyPair]) -> Result<OpenedFile, ReferralFileError> {
    if text.len() > MAX_REFERRAL_FILE_BYTES {
        return Err(ReferralFileError::TooLarge {
            max: MAX_REFERRAL_FILE_BYTES,
        });
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some(HEADER) {
        return Err(ReferralFileError::Malformed(
            "it does not start with \"mamar-referral-file v1\"",
        ));
    }
    let to = line_value(lines.next(), "to")?.trim();
    let sealed = line_value(lines.next(), "sealed")?.trim();
    if lines.any(|l| !l.trim().is_empty()) {
        return Err(ReferralFileError::Malformed("text follows the sealed line"));
    }
    let to_key = crate::parse_seal_key(to).ok_or(ReferralFileError::Malformed("the to line is not a key"))?;
    let sealed =
        hex::decode(sealed).map_err(|_| ReferralFileError::Malformed("the sealed line is not hex"))?;
    let pair = keys
        .iter()
        .find(|pair| *pair.public_key() == to_key)
        .ok_or(ReferralFileError::SealedToAnother)?;
    let key_bytes = to_key.to_bytes();
    let plain = mamar_crypto::open(
        pair,
        &SealPurpose::ReferralFile {
            recipient: &key_bytes,
        },
        &sealed,
    )
    .map_err(|_| ReferralFileError::Tampered)?;
    // It opened, so it is as the sender sealed it: anything wrong from here on is theirs.
    let envelope: Envelope = serde_json::from_slice(plain.expose_secret())
        .map_err(|_| ReferralFileError::Malformed("the sealed content is not a signed payload"))?;
    let signer: [u8; 32] = hex::decode(&envelope.signing_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ReferralFileError::Malformed("the signing key is not a key"))?;
    let signer = VerifyingKey::from_bytes(&signer)
        .map_err(|_| ReferralFileError::Malformed("the signing key is not a key"))?;
    let signature = hex::decode(&envelope.signature)
        .ok()
        .and_then(|b| Signature::from_bytes(&b).ok())
        .ok_or(ReferralFileError::Malformed("the signature is not a signature"))?;
    signer
        .verify(
            SignaturePurpose::ReferralFile,
            envelope.payload.as_bytes(),
            &signature,
        )
        .map_err(|_| ReferralFileError::Tampered)?;
    let payload: FilePayload = serde_json::from_str(&envelope.payload)
        .map_err(|_| ReferralFileError::Malformed("the payload is not a referral or an acknowledgement"))?;
    // Signed for someone else and re-sealed to us: not ours either.
    if payload.to != to {
        return Err(ReferralFileError::SealedToAnother);
    }
    Ok(OpenedFile { payload, signer })
}

/// Reads 32 hex digits as a 16-byte id.
pub fn parse_id(text: &str) -> Result<[u8; 16], ReferralFileError> {
    hex::decode(text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(ReferralFileError::Malformed("an id is not 32 hex digits"))
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_MAX_FILE_AGE_DAYS, ReferralFileError, check_file_age};

    const DAY: i64 = 86_400;
    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_file_is_acted_on_until_it_is_as_old_as_allowed_and_never_from_the_future() {
        assert_eq!(check_file_age(NOW, NOW, DEFAULT_MAX_FILE_AGE_DAYS), Ok(()));
        assert_eq!(check_file_age(NOW - 29 * DAY, NOW, 30), Ok(()));
        assert_eq!(
            check_file_age(NOW - 30 * DAY, NOW, 30),
            Err(ReferralFileError::TooOld {
                age_days: 30,
                max_days: 30
            })
        );
        assert_eq!(check_file_age(NOW - 30 * DAY, NOW, 60), Ok(()));
        // A clock a few hours ahead is not a file from the future; two days ahead is.
        assert_eq!(check_file_age(NOW + 3 * 3600, NOW, 30), Ok(()));
        assert_eq!(
            check_file_age(NOW + 2 * DAY, NOW, 30),
            Err(ReferralFileError::FromTheFuture)
        );
        // No importer may allow more than a year, whatever it asks for.
        assert!(matches!(
            check_file_age(NOW - 400 * DAY, NOW, u32::MAX),
            Err(ReferralFileError::TooOld { max_days: 365, .. })
        ));
    }

    use super::*;

    fn payload() -> FilePayload {
        FilePayload {
            kind: FileKind::Referral,
            id: "00112233445566778899aabbccddeeff".into(),
            created: 1_800_000_000,
            to: String::new(),
            referral: "ffeeddccbbaa99887766554433221100".into(),
            fields: vec![("name".into(), "CANARY-NAME".into())],
            accepted: None,
        }
    }

    #[test]
    fn a_file_opens_only_for_its_recipient_and_only_unchanged() {
        let sender = SigningKey::generate().unwrap();
        let receiver = SigningKey::generate().unwrap().referral_seal_pair();
        let stranger = SigningKey::generate().unwrap().referral_seal_pair();
        let file = seal_file(&payload(), &sender, receiver.public_key()).unwrap();
        assert!(!file.contains("CANARY"));
        let opened = open_file(&file, std::slice::from_ref(&receiver)).unwrap();
        assert_eq!(opened.payload.fields, payload().fields);
        assert_eq!(opened.signer, sender.verifying_key());
        assert_eq!(
            open_file(&file, std::slice::from_ref(&stranger)).unwrap_err(),
            ReferralFileError::SealedToAnother
        );
        // One changed hex digit in the sealed part.
        let at = file.len() - 10;
        let digit = if &file[at..=at] == "0" { "1" } else { "0" };
        let tampered = format!("{}{digit}{}", &file[..at], &file[at + 1..]);
        assert_eq!(
            open_file(&tampered, std::slice::from_ref(&receiver)).unwrap_err(),
            ReferralFileError::Tampered
        );
        for junk in ["", "hello", "mamar-referral-file v1\nto: zz\nsealed: 00\n"] {
            assert!(matches!(
                open_file(junk, std::slice::from_ref(&receiver)),
                Err(ReferralFileError::Malformed(_))
            ));
        }
    }
}
