//! Entries and the hash that chains them.

use std::fmt;

use mamar_core::StaffId;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::action::{Action, Outcome};

/// The id of the object an entry is about (a case, a request, a staff
/// member, an invitation): 16 random bytes that say nothing by themselves.
pub type ObjectId = [u8; 16];

/// What comes before the first entry.
pub const GENESIS: EntryHash = EntryHash([0; 32]);

/// The domain label that starts every entry's hashed bytes.
const ENTRY_DOMAIN: &[u8] = b"mamar/v1/audit/entry";

/// An entry's SHA-256 chain hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryHash(pub [u8; 32]);

impl EntryHash {
    /// The raw digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// From stored bytes; `None` unless exactly 32.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(EntryHash)
    }

    /// 64 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(EntryHash(bytes))
    }
}

impl fmt::Display for EntryHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for EntryHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EntryHash({})", self.to_hex())
    }
}

/// An entry before it is appended: the store gives it its sequence number
/// and chain hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditDraft {
    /// Unix seconds.
    pub at: i64,
    /// The staff member who acted, if any (none for an unknown account or the panic command).
    pub actor: Option<StaffId>,
    pub action: Action,
    /// What was acted on, if anything.
    pub object: Option<ObjectId>,
    pub outcome: Outcome,
}

impl AuditDraft {
    /// An act with no actor and no object; add them with [`AuditDraft::by`] and [`AuditDraft::on`].
    pub fn new(at: i64, action: Action, outcome: Outcome) -> Self {
        AuditDraft {
            at,
            actor: None,
            action,
            object: None,
            outcome,
        }
    }

    /// Sets the acting staff member.
    pub fn by(mut self, actor: impl Into<Option<StaffId>>) -> Self {
        self.actor = actor.into();
        self
    }

    /// Sets the object acted on.
    pub fn on(mut self, object: impl Into<Option<ObjectId>>) -> Self {
        self.object = object.into();
        self
    }
}

/// The log is full: no sequence number follows `u64::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("the audit log has no sequence number left")]
pub struct SeqOverflow;

/// One entry of the log as stored. Nothing here is trusted until
/// [`crate::verify`] has re-hashed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1 for the first entry, then each one more.
    pub seq: u64,
    /// Unix seconds.
    pub at: i64,
    pub actor: Option<StaffId>,
    pub action: Action,
    pub object: Option<ObjectId>,
    pub outcome: Outcome,
    /// [`entry_hash`] of the previous entry's hash, `seq` and the fields above.
    pub hash: EntryHash,
}

impl AuditEntry {
    /// The entry that follows `head` (the newest entry's sequence number and
    /// hash, `None` for an empty log).
    pub fn append(head: Option<(u64, EntryHash)>, draft: &AuditDraft) -> Result<AuditEntry, SeqOverflow> {
        let (seq, prev) = match head {
            None => (1, GENESIS),
            Some((seq, hash)) => (seq.checked_add(1).ok_or(SeqOverflow)?, hash),
        };
        Ok(AuditEntry {
            seq,
            at: draft.at,
            actor: draft.actor,
            action: draft.action,
            object: draft.object,
            outcome: draft.outcome,
            hash: entry_hash(&prev, seq, draft),
        })
    }

    /// The entry's recorded fields, without its position and hash.
    pub fn draft(&self) -> AuditDraft {
        AuditDraft {
            at: self.at,
            actor: self.actor,
            action: self.action,
            object: self.object,
            outcome: self.outcome,
        }
    }

    /// Whether this entry's hash is right for position `seq` after `prev`
    /// (its own `seq` field is not consulted).
    pub(crate) fn fits(&self, prev: &EntryHash, seq: u64) -> bool {
        entry_hash(prev, seq, &self.draft()) == self.hash
    }
}

/// The chain hash of the entry at `seq` with `content`, after `prev`:
///
/// ```text
/// SHA-256( field("mamar/v1/audit/entry") || field(prev, 32 bytes)
///        || field(seq, u64 big-endian) || field(at, i64 big-endian)
///        || field(actor: 16 bytes, or empty) || field(action code, UTF-8)
///        || field(object: 16 bytes, or empty) || field(outcome code, UTF-8) )
/// field(x) = length of x as u32 big-endian || x
/// ```
///
/// Every field is length-prefixed, so no two different entries share an
/// encoding. Anyone can recompute it with `sha256sum` and these rules.
pub fn entry_hash(prev: &EntryHash, seq: u64, content: &AuditDraft) -> EntryHash {
    let mut hasher = Sha256::new();
    let mut field = |bytes: &[u8]| {
        // No field is longer than a few dozen bytes.
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        hasher.update(len.to_be_bytes());
        hasher.update(bytes);
    };
    field(ENTRY_DOMAIN);
    field(prev.as_bytes());
    field(&seq.to_be_bytes());
    field(&content.at.to_be_bytes());
    field(content.actor.as_ref().map_or(&[][..], |id| id.as_bytes()));
    field(content.action.code().as_bytes());
    field(content.object.as_ref().map_or(&[][..], |id| id.as_slice()));
    field(content.outcome.code().as_bytes());
    EntryHash(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_pinned() {
        // A fixed vector: if this changes, every stored log stops verifying.
        let draft = AuditDraft::new(1_700_000_000, Action::Panic, Outcome::Ok)
            .by(StaffId::from_bytes([1; 16]))
            .on([2; 16]);
        let first = AuditEntry::append(None, &draft).unwrap();
        assert_eq!(first.seq, 1);
        let mut bytes = Vec::new();
        for field in [
            &b"mamar/v1/audit/entry"[..],
            &[0; 32],
            &1u64.to_be_bytes(),
            &1_700_000_000i64.to_be_bytes(),
            &[1; 16],
            b"panic",
            &[2; 16],
            b"ok",
        ] {
            bytes.extend_from_slice(&u32::try_from(field.len()).unwrap().to_be_bytes());
            bytes.extend_from_slice(field);
        }
        assert_eq!(first.hash.0, <[u8; 32]>::from(Sha256::digest(&bytes)));
    }

    #[test]
    fn absent_and_present_fields_hash_differently() {
        let base = AuditDraft::new(5, Action::CaseRead, Outcome::Ok);
        let a = entry_hash(&GENESIS, 1, &base);
        let b = entry_hash(&GENESIS, 1, &base.on([0; 16]));
        let c = entry_hash(&GENESIS, 1, &base.by(StaffId::from_bytes([0; 16])));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_ne!(b, c);
    }

    #[test]
    fn the_last_sequence_number_is_refused() {
        let draft = AuditDraft::new(0, Action::Logout, Outcome::Ok);
        assert_eq!(
            AuditEntry::append(Some((u64::MAX, GENESIS)), &draft),
            Err(SeqOverflow)
        );
    }

    #[test]
    fn hashes_print_as_hex_and_parse_back() {
        let hash = entry_hash(&GENESIS, 1, &AuditDraft::new(0, Action::Logout, Outcome::Ok));
        assert_eq!(EntryHash::from_hex(&hash.to_string()), Some(hash));
        assert_eq!(EntryHash::from_hex("00"), None);
        assert_eq!(EntryHash::from_slice(&[0; 31]), None);
    }
}
