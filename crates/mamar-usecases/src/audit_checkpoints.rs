//! Audit checkpoints that `mamar serve` makes on its own, on a schedule.
//!
//! The organisation's signing key exists only inside the sessions of the
//! people who hold it, so the server cannot sign with it unattended. Instead
//! the server signs with a checkpoint key of its own:
//!
//! - The key is made in memory when a holder of the organisation's signing
//!   key finishes logging in and the server has no certified key yet (or one
//!   certified by an older generation); that login certifies it
//!   ([`KeyCertificate`]: the organisation's signature over the key's public
//!   half and the time of certification).
//! - Its secret half is never written anywhere: a server seized while off,
//!   its disk or a backup hold nothing that can sign. After a restart the
//!   server signs nothing until the next such login.
//! - A certified checkpoint is refused when it claims a time before its
//!   certificate, so a key taken from a running server cannot vouch for a
//!   past before it existed, and cannot change what copied checkpoints
//!   already prove.
//!
//! [`Checkpointer::run_due`] makes a checkpoint when the newest stored one is
//! older than the schedule's interval; the web server's clock drives it.

use std::sync::{Arc, Mutex, PoisonError};

use mamar_audit::{Action, AuditDraft, Checkpoint, KeyCertificate, Outcome, SignedCheckpoint};
use mamar_crypto::{CryptoError, SigningKey};
use mamar_store::{Store, StoreError};

/// How often the server checkpoints, and when the audit page warns that
/// nothing has been copied off the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointSchedule {
    /// Seconds between checkpoints (default: one hour).
    pub every_secs: i64,
    /// Seconds without a copy before the audit page warns (default: 7 days).
    pub warn_after_secs: i64,
}

impl Default for CheckpointSchedule {
    fn default() -> Self {
        CheckpointSchedule {
            every_secs: 3_600,
            warn_after_secs: 7 * 86_400,
        }
    }
}

/// Why a scheduled checkpoint or a certification did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// The server's checkpoint key once certified: held in memory only.
struct Certified {
    key: SigningKey,
    certificate: KeyCertificate,
}

/// Makes the server's own checkpoints (see the module documentation).
pub struct Checkpointer {
    store: Arc<dyn Store>,
    signer: Mutex<Option<Certified>>,
}

impl Checkpointer {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Checkpointer {
            store,
            signer: Mutex::new(None),
        }
    }

    /// Whether the server holds a certified checkpoint key.
    pub fn is_certified(&self) -> bool {
        self.signer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Called at the end of a login whose keyring holds the organisation's
    /// signing key `org`: unless the server already holds a key certified by
    /// `org`, makes a new checkpoint key and certifies it from `now` on.
    /// Recorded in the audit log as the act of `actor`. Returns whether a
    /// key was certified.
    pub async fn certify(
        &self,
        org: &SigningKey,
        actor: mamar_core::StaffId,
        now: i64,
    ) -> Result<bool, CheckpointerError> {
        let org_public = org.verifying_key().to_bytes();
        {
            let mut signer = self.signer.lock().unwrap_or_else(PoisonError::into_inner);
            if signer
                .as_ref()
                .is_some_and(|held| held.certificate.org_key == org_public)
            {
                return Ok(false);
            }
            let key = SigningKey::generate()?;
            let certificate = KeyCertificate::issue(org, &key.verifying_key(), now);
            *signer = Some(Certified { key, certificate });
        }
        let draft = AuditDraft::new(now, Action::AuditCheckpointKeyCertified, Outcome::Ok).by(Some(actor));
        self.store.append_audit(&draft).await?;
        Ok(true)
    }

    /// Forgets the checkpoint key (the panic action).
    pub fn forget(&self) {
        *self.signer.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Makes and stores a checkpoint if the server holds a certified key
    /// and the newest stored checkpoint is at least `every_secs` old (or
    /// there is none). The checkpoint covers its own entry in the log.
    pub async fn run_due(
        &self,
        now: i64,
        schedule: CheckpointSchedule,
    ) -> Result<Option<SignedCheckpoint>, CheckpointerError> {
        if !self.is_certified() {
            return Ok(None);
        }
        let newest = self
            .store
            .audit_checkpoints()
            .await?
            .last()
            .map(|c| c.checkpoint.at);
        if newest.is_some_and(|at| now - at < schedule.every_secs) {
            return Ok(None);
        }
        let draft = AuditDraft::new(now, Action::AuditCheckpoint, Outcome::Ok);
        let head = self.store.append_audit(&draft).await?;
        let signed = {
            let signer = self.signer.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(held) = signer.as_ref() else {
                return Ok(None);
            };
            Checkpoint {
                seq: head.seq,
                head: head.hash,
                at: now,
            }
            .sign_certified(&held.key, &held.certificate)
        };
        self.store.add_audit_checkpoint(&signed).await?;
        Ok(Some(signed))
    }
}

/// Whether checkpoints are being copied off the server in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStatus {
    /// A copy was made at this time, within the schedule's limit.
    Recent { at: i64 },
    /// None was copied yet, and the log is younger than the limit.
    NotYetDue,
    /// None was ever copied and the log is older than the limit.
    NeverCopied,
    /// The newest copy was made at this time, longer ago than the limit.
    Overdue { at: i64 },
}

impl CopyStatus {
    pub fn is_overdue(self) -> bool {
        matches!(self, CopyStatus::NeverCopied | CopyStatus::Overdue { .. })
    }
}

/// When the newest checkpoint copy was made, against the schedule. Before
/// any copy, the limit runs from the log's first entry (the organisation's
/// setting up), so a new installation is not warned on its first day.
pub async fn copy_status(
    store: &dyn Store,
    now: i64,
    schedule: CheckpointSchedule,
) -> Result<CopyStatus, StoreError> {
    match store.last_audit_checkpoint_copy().await? {
        Some((_, at)) if now - at <= schedule.warn_after_secs => Ok(CopyStatus::Recent { at }),
        Some((_, at)) => Ok(CopyStatus::Overdue { at }),
        None => {
            let first = store.audit_entries(0, 1).await?.first().map(|entry| entry.at);
            match first {
                Some(first) if now - first > schedule.warn_after_secs => Ok(CopyStatus::NeverCopied),
                _ => Ok(CopyStatus::NotYetDue),
            }
        }
    }
}

/// Notes that `checkpoint` was copied off the server by `actor` at `now`,
/// in the copies table and the audit log.
pub async fn record_copy(
    store: &dyn Store,
    checkpoint: &SignedCheckpoint,
    actor: mamar_core::StaffId,
    now: i64,
) -> Result<(), StoreError> {
    store
        .add_audit_checkpoint_copy(checkpoint.checkpoint.seq, now)
        .await?;
    let draft = AuditDraft::new(now, Action::AuditCheckpointCopied, Outcome::Ok).by(Some(actor));
    store.append_audit(&draft).await?;
    Ok(())
}
