//! What a case's records hold, in their stored form. Every record is
//! encrypted under the case key with its id, kind and schema version as
//! associated data; these private types are the plaintext. The kinds are
//! visible at rest (a count of notes, say), their content never is.

use mamar_core::StaffId;
use mamar_crypto::{CaseKey, RecordContext};
use mamar_store::NewCaseRecord;
use serde::{Deserialize, Serialize};

use crate::CaseError;

pub const ANSWERS: &str = "case.answers";
pub const SUMMARY: &str = mamar_store::SUMMARY_KIND;
pub const IDENTITY: &str = "case.identity";
pub const INBOX_KEY: &str = "case.inbox-key";
pub const NOTE: &str = "case.note";
pub const MESSAGE: &str = "case.message";
pub const EVENT: &str = "case.event";
pub const APPROVAL: &str = "case.approval";
pub const ATTACHMENT: &str = "case.attachment";
pub const DUPLICATES: &str = "case.duplicates";

pub const SCHEMA: u32 = 1;

/// What lists show of a case without opening it further.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Summary {
    pub urgency: Option<String>,
    pub governorate: Option<String>,
    pub name: Option<String>,
}

/// Who the person is, as staff recorded it (never asked on the public form).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub birth_year: Option<u16>,
    pub phone: String,
}

impl Identity {
    /// Who the person is, as typed into a form: the year, if given, must be a
    /// year of birth (1900–2100).
    pub fn from_form(name: &str, birth_year: &str, phone: &str) -> Result<Identity, CaseError> {
        let year = birth_year.trim();
        let birth_year = match year.parse::<u16>() {
            _ if year.is_empty() => None,
            Ok(y) if (1900..=2100).contains(&y) => Some(y),
            _ => return Err(CaseError::BadYear),
        };
        Ok(Identity {
            name: name.trim().to_owned(),
            birth_year,
            phone: phone.trim().to_owned(),
        })
    }
}

/// An internal note or a vetting finding. The requester never sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    pub author: String,
    pub at: i64,
    /// "note" or "finding".
    pub section: String,
    /// The checklist item a finding answers.
    pub item: Option<String>,
    pub text: String,
}

/// One message of the conversation with the requester, as the team keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Message {
    pub from_requester: bool,
    pub author: Option<String>,
    /// Unix seconds; 0 for messages from before the case (their time was never kept).
    pub at: i64,
    pub text: String,
    /// A reply we sent, signed by the organisation.
    pub signed: bool,
}

/// A requester's message sealed to the case inbox (time inside, not at rest).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InboxPayload {
    pub at: i64,
    pub text: String,
}

/// Something that happened to the case.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Event {
    pub actor: Option<String>,
    pub at: i64,
    /// A stable code: "opened", "assigned", "unassigned", "owner", "stage",
    /// "requested", "granted", "refused", "frozen".
    pub what: String,
    /// The stage, duty, approval kind or outcome it concerns.
    pub detail: Option<String>,
    /// The other person it concerns (who was assigned, say).
    pub subject: Option<String>,
}

/// An attachment as its case record keeps it: what it is, and the key of
/// its chunks (which never leaves this record unencrypted).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Attachment {
    /// The id of its row in the store (hex).
    pub id: String,
    pub name: String,
    /// Found from the content, never taken from the upload's own claim.
    pub content_type: String,
    pub bytes: u64,
    pub chunks: u32,
    pub added_by: String,
    pub at: i64,
    /// The attachment key (hex).
    pub key: String,
}

/// A case that may be the same person, found when this case opened. A
/// person compares and decides; nothing merges by itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Duplicate {
    /// The other case's reference (staff ask its team; they cannot open it).
    pub reference: String,
    /// `phone`, `name` (every name word and the birth year) or `similar:NN` (Dice, hundredths).
    pub reason: String,
}

/// The content of an approval: what exactly is asked, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ApprovalPayload {
    pub kind: String,
    /// The vetting decision or closing outcome.
    pub value: Option<String>,
    pub reason: String,
}

pub fn staff_text(id: StaffId) -> String {
    hex::encode(id.as_bytes())
}

pub fn encrypt<T: Serialize>(
    key: &CaseKey,
    id: [u8; 16],
    kind: &str,
    value: &T,
) -> Result<NewCaseRecord, CaseError> {
    let bytes = serde_json::to_vec(value).map_err(|_| CaseError::Corrupt)?;
    encrypt_bytes(key, id, kind, &bytes)
}

pub fn encrypt_bytes(
    key: &CaseKey,
    id: [u8; 16],
    kind: &str,
    bytes: &[u8],
) -> Result<NewCaseRecord, CaseError> {
    let context = RecordContext {
        record_id: &id,
        kind,
        schema_version: SCHEMA,
    };
    Ok(NewCaseRecord {
        id,
        kind: kind.to_owned(),
        schema_version: i64::from(SCHEMA),
        ciphertext: key.encrypt(bytes, &context)?,
    })
}

pub fn decrypt_bytes(key: &CaseKey, record: &NewCaseRecord) -> Result<Vec<u8>, CaseError> {
    let schema_version = u32::try_from(record.schema_version).map_err(|_| CaseError::Corrupt)?;
    let context = RecordContext {
        record_id: &record.id,
        kind: &record.kind,
        schema_version,
    };
    Ok(key
        .decrypt(&record.ciphertext, &context)?
        .expose_secret()
        .to_vec())
}

pub fn decrypt<T: for<'de> Deserialize<'de>>(key: &CaseKey, record: &NewCaseRecord) -> Result<T, CaseError> {
    serde_json::from_slice(&decrypt_bytes(key, record)?).map_err(|_| CaseError::Corrupt)
}

pub fn approval_context(id: &[u8; 16]) -> RecordContext<'_> {
    RecordContext {
        record_id: id,
        kind: APPROVAL,
        schema_version: SCHEMA,
    }
}
