//! The tamper-evident audit log's storage: entries appended to a hash chain
//! (see `mamar-audit`) and signed checkpoints. A separate trait,
//! [`AuditLog`], which [`crate::Store`] requires, so any `Arc<dyn Store>`
//! can append.
//!
//! # Recording an event (for the web server and the command line)
//!
//! ```ignore
//! use mamar_store::audit::{self, Action, Outcome};
//!
//! // `store: Arc<dyn Store>`; `staff: StaffId`; `case_id: [u8; 16]`.
//! audit::record(store.as_ref(), Some(staff), Action::CaseRead, Some(case_id), Outcome::Ok).await?;
//! // An unknown account's failed login: no actor, no object.
//! audit::record(store.as_ref(), None, Action::LoginFailed, None, Outcome::Denied).await?;
//! ```
//!
//! Rules for callers:
//! - Record ids and kinds only: the acting staff member's id, the id of the
//!   object (a case, a request, a staff member, an invitation), never a
//!   name, a typed user name, a codename, an address or any content.
//! - Never record what a requester does (their time of arrival is kept only
//!   to the month); record what staff do to requests.
//! - Record before showing: a case read is recorded before its content is
//!   sent, and if recording fails the content is not sent (fail closed).
//!   An act that changes something is recorded once its outcome is known.
//!   The one exception is the panic action, which must never wait on the
//!   log: it records first and goes on whatever happens.
//! - `record` takes a database lock for one short transaction; call it
//!   from async code directly (it does no hashing worth moving off the
//!   executor).

use std::time::{SystemTime, UNIX_EPOCH};

use mamar_core::StaffId;

use crate::StoreError;

pub use mamar_audit::{
    Action, AuditDraft, AuditEntry, Checkpoint, EntryHash, KeyCertificate, ObjectId, Outcome,
    SignedCheckpoint,
};

/// The audit log's storage. Implemented for both backends; reached through
/// [`crate::Store`].
#[async_trait::async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends an entry after the current head, computing its sequence
    /// number and chain hash inside one serialised transaction (SQLite:
    /// `BEGIN IMMEDIATE`; PostgreSQL: an advisory lock all appenders take), so
    /// concurrent appends from any number of connections or servers form one
    /// chain. Returns the stored entry.
    async fn append_audit(&self, draft: &AuditDraft) -> Result<AuditEntry, StoreError>;

    /// Appends several entries, in order, in one serialised transaction (as
    /// [`AuditLog::append_audit`] does one): for acts done in bulk, such as the
    /// cases one retention run shreds.
    async fn append_audit_all(&self, drafts: &[AuditDraft]) -> Result<(), StoreError>;

    /// Up to `limit` entries with sequence numbers above `after`, in order.
    /// Read a whole log by starting at 0 and passing the last `seq` seen.
    async fn audit_entries(&self, after: u64, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;

    /// The newest entry, if any.
    async fn audit_head(&self) -> Result<Option<AuditEntry>, StoreError>;

    /// Stores a signed checkpoint (one per entry at most).
    async fn add_audit_checkpoint(&self, checkpoint: &SignedCheckpoint) -> Result<(), StoreError>;

    /// Every stored checkpoint, oldest first.
    async fn audit_checkpoints(&self) -> Result<Vec<SignedCheckpoint>, StoreError>;

    /// Notes that the checkpoint of entry `seq` was copied off the server at `at`.
    async fn add_audit_checkpoint_copy(&self, seq: u64, at: i64) -> Result<(), StoreError>;

    /// The newest copy noted: (entry of the checkpoint, unix seconds), if any.
    async fn last_audit_checkpoint_copy(&self) -> Result<Option<(u64, i64)>, StoreError>;

    /// The public part of every generation of organisation key `kind`, oldest
    /// first (the verifier needs every signing key that may have signed a
    /// checkpoint, not only the newest).
    async fn org_public_keys(&self, kind: &str) -> Result<Vec<Vec<u8>>, StoreError>;
}

/// Appends one entry stamped with the current time. See the module
/// documentation for what to record and when.
pub async fn record<S: AuditLog + ?Sized>(
    store: &S,
    actor: Option<StaffId>,
    action: Action,
    object: Option<ObjectId>,
    outcome: Outcome,
) -> Result<AuditEntry, StoreError> {
    let draft = AuditDraft::new(now(), action, outcome).by(actor).on(object);
    store.append_audit(&draft).await
}

/// Unix seconds now (0 if the clock is before 1970).
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(crate) const SELECT_HEAD: &str =
    "SELECT seq, at, actor, action, object, outcome, hash FROM audit_entry ORDER BY seq DESC LIMIT 1";
pub(crate) const SELECT_ENTRIES: &str = "SELECT seq, at, actor, action, object, outcome, hash FROM audit_entry \
     WHERE seq > ? ORDER BY seq LIMIT ?";
pub(crate) const INSERT_ENTRY: &str =
    "INSERT INTO audit_entry (seq, at, actor, action, object, outcome, hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
pub(crate) const INSERT_CHECKPOINT: &str = "INSERT INTO audit_checkpoint \
     (seq, at, head, signing_key, signature, certificate) VALUES (?, ?, ?, ?, ?, ?)";
pub(crate) const SELECT_CHECKPOINTS: &str =
    "SELECT seq, at, head, signing_key, signature, certificate FROM audit_checkpoint ORDER BY seq";
pub(crate) const INSERT_CHECKPOINT_COPY: &str = "INSERT INTO audit_checkpoint_copy (seq, at) VALUES (?, ?)";
pub(crate) const SELECT_LAST_CHECKPOINT_COPY: &str =
    "SELECT seq, at FROM audit_checkpoint_copy ORDER BY at DESC, seq DESC LIMIT 1";
pub(crate) const SELECT_ORG_PUBLIC_KEYS: &str = "SELECT public_part FROM org_key \
     WHERE kind = ? AND public_part IS NOT NULL ORDER BY generation";

/// A stored value the log never holds: someone wrote to the table by hand.
fn edited(seq: i64, what: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "audit entry {seq} holds {what} that mamar never writes: the log was edited"
    ))
}

/// An entry from its stored columns.
pub(crate) fn entry_from_columns(
    seq: i64,
    at: i64,
    actor: Option<Vec<u8>>,
    action: &str,
    object: Option<Vec<u8>>,
    outcome: &str,
    hash: &[u8],
) -> Result<AuditEntry, StoreError> {
    let id = |bytes: Option<Vec<u8>>, what: &str| -> Result<Option<[u8; 16]>, StoreError> {
        bytes
            .map(|b| <[u8; 16]>::try_from(b.as_slice()).map_err(|_| edited(seq, what)))
            .transpose()
    };
    Ok(AuditEntry {
        seq: u64::try_from(seq).map_err(|_| edited(seq, "a sequence number"))?,
        at,
        actor: id(actor, "an actor")?.map(StaffId::from_bytes),
        action: action.parse().map_err(|_| edited(seq, "an action"))?,
        object: id(object, "an object")?,
        outcome: outcome.parse().map_err(|_| edited(seq, "an outcome"))?,
        hash: EntryHash::from_slice(hash).ok_or_else(|| edited(seq, "a hash"))?,
    })
}

pub(crate) fn checkpoint_from_columns(
    seq: i64,
    at: i64,
    head: &[u8],
    signing_key: &[u8],
    signature: Vec<u8>,
    certificate: Option<Vec<u8>>,
) -> Result<SignedCheckpoint, StoreError> {
    let bad = || StoreError::Corrupt(format!("the audit checkpoint of entry {seq} is damaged"));
    let signing_key: [u8; 32] = signing_key.try_into().map_err(|_| bad())?;
    let certificate = certificate
        .map(|bytes| KeyCertificate::from_stored(signing_key, &bytes).ok_or_else(bad))
        .transpose()?;
    Ok(SignedCheckpoint {
        checkpoint: Checkpoint {
            seq: u64::try_from(seq).map_err(|_| bad())?,
            head: EntryHash::from_slice(head).ok_or_else(bad)?,
            at,
        },
        signing_key,
        signature,
        certificate,
    })
}

/// A sequence number as the databases store it.
pub(crate) fn seq_column(seq: u64) -> Result<i64, StoreError> {
    i64::try_from(seq).map_err(|_| StoreError::Corrupt("the audit log has no sequence number left".into()))
}

/// SQLite: `BEGIN IMMEDIATE` takes the write lock before the head is read.
pub(crate) async fn begin_sqlite(
    pool: &sqlx::SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// PostgreSQL: a transaction-scoped advisory lock that every appender takes
/// (readers go on; a second appender waits until the first commits, then
/// reads the new head). Unlike `LOCK TABLE … EXCLUSIVE` it needs no UPDATE,
/// DELETE or TRUNCATE privilege, so a deployment may revoke those on the
/// audit tables from mamar's role. Anything that inserts without it still
/// cannot fork the chain: the primary key and the in-sequence trigger refuse
/// a second entry with the same number.
pub(crate) async fn begin_postgres(
    pool: &sqlx::PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(AUDIT_LOCK)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The advisory lock key of audit appends ("mamaraud" in ASCII).
const AUDIT_LOCK: i64 = 0x6d61_6d61_7261_7564;

/// `impl AuditLog for $store`, shared by both backends like
/// [`crate::shared`]'s macros: each expands it with its own `q`, pool, row
/// type and way of beginning a serialised transaction (`$begin`).
macro_rules! audit_impl {
    ($store:ty, $row:ty, $begin:path) => {
        impl $store {
            async fn insert_audit_entry<'t>(
                tx: &mut sqlx::Transaction<'t, <$row as sqlx::Row>::Database>,
                entry: &crate::audit::AuditEntry,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(crate::audit::INSERT_ENTRY))
                    .bind(crate::audit::seq_column(entry.seq)?)
                    .bind(entry.at)
                    .bind(entry.actor.as_ref().map(|id| id.as_bytes().as_slice()))
                    .bind(entry.action.code())
                    .bind(entry.object.as_ref().map(|id| id.as_slice()))
                    .bind(entry.outcome.code())
                    .bind(entry.hash.as_bytes().as_slice())
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            fn audit_entry_from_row(row: &$row) -> Result<crate::audit::AuditEntry, StoreError> {
                crate::audit::entry_from_columns(
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                    row.try_get(5)?,
                    row.try_get(6)?,
                )
            }
        }

        #[async_trait::async_trait]
        impl crate::audit::AuditLog for $store {
            async fn append_audit(
                &self,
                draft: &crate::audit::AuditDraft,
            ) -> Result<crate::audit::AuditEntry, StoreError> {
                let mut tx = $begin(&self.pool).await?;
                let head = sqlx::query(&q(crate::audit::SELECT_HEAD))
                    .fetch_optional(&mut *tx)
                    .await?;
                let head = head.as_ref().map(Self::audit_entry_from_row).transpose()?;
                let entry = crate::audit::AuditEntry::append(head.map(|h| (h.seq, h.hash)), draft)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Self::insert_audit_entry(&mut tx, &entry).await?;
                tx.commit().await?;
                Ok(entry)
            }

            async fn append_audit_all(&self, drafts: &[crate::audit::AuditDraft]) -> Result<(), StoreError> {
                let mut tx = $begin(&self.pool).await?;
                let head = sqlx::query(&q(crate::audit::SELECT_HEAD))
                    .fetch_optional(&mut *tx)
                    .await?;
                let mut head = head
                    .as_ref()
                    .map(Self::audit_entry_from_row)
                    .transpose()?
                    .map(|h| (h.seq, h.hash));
                for draft in drafts {
                    let entry = crate::audit::AuditEntry::append(head, draft)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    Self::insert_audit_entry(&mut tx, &entry).await?;
                    head = Some((entry.seq, entry.hash));
                }
                tx.commit().await?;
                Ok(())
            }

            async fn audit_entries(
                &self,
                after: u64,
                limit: u32,
            ) -> Result<Vec<crate::audit::AuditEntry>, StoreError> {
                let rows = sqlx::query(&q(crate::audit::SELECT_ENTRIES))
                    .bind(i64::try_from(after).unwrap_or(i64::MAX))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(Self::audit_entry_from_row).collect()
            }

            async fn audit_head(&self) -> Result<Option<crate::audit::AuditEntry>, StoreError> {
                let row = sqlx::query(&q(crate::audit::SELECT_HEAD))
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::audit_entry_from_row).transpose()
            }

            async fn add_audit_checkpoint(
                &self,
                checkpoint: &crate::audit::SignedCheckpoint,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(crate::audit::INSERT_CHECKPOINT))
                    .bind(crate::audit::seq_column(checkpoint.checkpoint.seq)?)
                    .bind(checkpoint.checkpoint.at)
                    .bind(checkpoint.checkpoint.head.as_bytes().as_slice())
                    .bind(checkpoint.signing_key.as_slice())
                    .bind(checkpoint.signature.as_slice())
                    .bind(checkpoint.certificate.as_ref().map(|c| c.to_stored()))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn add_audit_checkpoint_copy(&self, seq: u64, at: i64) -> Result<(), StoreError> {
                sqlx::query(&q(crate::audit::INSERT_CHECKPOINT_COPY))
                    .bind(crate::audit::seq_column(seq)?)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn last_audit_checkpoint_copy(&self) -> Result<Option<(u64, i64)>, StoreError> {
                let row = sqlx::query(&q(crate::audit::SELECT_LAST_CHECKPOINT_COPY))
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| {
                    let seq: i64 = row.try_get(0)?;
                    let at: i64 = row.try_get(1)?;
                    let seq = u64::try_from(seq)
                        .map_err(|_| StoreError::Corrupt("a checkpoint copy names no entry".into()))?;
                    Ok((seq, at))
                })
                .transpose()
            }

            async fn audit_checkpoints(&self) -> Result<Vec<crate::audit::SignedCheckpoint>, StoreError> {
                let rows = sqlx::query(&q(crate::audit::SELECT_CHECKPOINTS))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        crate::audit::checkpoint_from_columns(
                            row.try_get(0)?,
                            row.try_get(1)?,
                            row.try_get(2)?,
                            row.try_get(3)?,
                            row.try_get(4)?,
                            row.try_get(5)?,
                        )
                    })
                    .collect()
            }

            async fn org_public_keys(&self, kind: &str) -> Result<Vec<Vec<u8>>, StoreError> {
                let rows = sqlx::query(&q(crate::audit::SELECT_ORG_PUBLIC_KEYS))
                    .bind(kind)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .iter()
                    .map(|row| row.try_get(0))
                    .collect::<Result<_, _>>()?)
            }
        }
    };
}

pub(crate) use audit_impl;
