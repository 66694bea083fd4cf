//! The audit log as auditors read it: the whole chain verified against the
//! stored checkpoints and the organisation's signing keys, the newest
//! entries with their actors' user names, and the newest signed checkpoint
//! with whether copies of it leave the server in time. Reading it is itself
//! an audit entry, and so is taking a checkpoint away.
//!
//! Only an administrator or an auditor reads it: the log says who did what
//! and when, which is itself sensitive (who worked on which case).

use std::collections::HashMap;

use mamar_audit::{Action, AuditDraft, Break, Outcome, SignedCheckpoint, Verified, Verifier};
use mamar_core::{Role, StaffId};
use mamar_crypto::{OrgKeyKind, OrgPublicKey, VerifyingKey};
use mamar_store::audit::AuditEntry;
use mamar_store::{Store, StoreError};

use crate::Caller;
use crate::audit_checkpoints::{self, CheckpointSchedule, CopyStatus};

/// Entries read from the database at a time while verifying.
const PAGE: u32 = 1_000;
/// Entries shown, newest first.
pub const SHOWN: u64 = 200;

/// Why the audit log was not read.
#[derive(Debug, thiserror::Error)]
pub enum AuditViewError {
    /// Only an administrator or an auditor reads the log.
    #[error("only an administrator or an auditor may read the audit log")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Everything the audit page shows, read in one go.
pub struct AuditView {
    /// The chain verified from its first entry, or where it breaks.
    pub verdict: Result<Verified, Break>,
    /// The newest [`SHOWN`] entries, oldest first.
    pub entries: Vec<AuditEntry>,
    /// User names of every account, to name the actors.
    pub names: HashMap<StaffId, String>,
    /// The newest signed checkpoint, to copy off the server.
    pub newest: Option<SignedCheckpoint>,
    pub copy_status: CopyStatus,
}

fn may_read(caller: &Caller<'_>) -> bool {
    caller
        .staff
        .roles
        .iter()
        .any(|role| matches!(role, Role::Administrator | Role::Auditor))
}

async fn signing_keys(store: &dyn Store) -> Result<Vec<VerifyingKey>, StoreError> {
    let mut keys = Vec::new();
    for bytes in store.org_public_keys(OrgKeyKind::Signing.code()).await? {
        if let Ok(public) = OrgPublicKey::from_bytes(&bytes)
            && let Some(key) = public.signing()
        {
            keys.push(*key);
        }
    }
    Ok(keys)
}

/// Walks the whole chain, a page at a time.
async fn verify_chain(store: &dyn Store) -> Result<Result<Verified, Break>, StoreError> {
    let checkpoints = store.audit_checkpoints().await?;
    let keys = signing_keys(store).await?;
    let mut verifier = match Verifier::new(&checkpoints, &keys) {
        Ok(verifier) => verifier,
        Err(found) => return Ok(Err(found)),
    };
    let mut after = 0;
    while !verifier.is_settled() {
        let page = store.audit_entries(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            verifier.push(entry);
        }
    }
    Ok(verifier.finish())
}

/// The audit page for an administrator or an auditor: recorded as read
/// first (so the reading is in what is verified), then the chain verified,
/// the newest entries, and where the checkpoint copies stand.
pub async fn audit_view(
    store: &dyn Store,
    caller: &Caller<'_>,
    now: i64,
    schedule: CheckpointSchedule,
) -> Result<AuditView, AuditViewError> {
    if !may_read(caller) {
        return Err(AuditViewError::NotAllowed);
    }
    let draft = AuditDraft::new(now, Action::AuditRead, Outcome::Ok).by(Some(caller.staff.id));
    store.append_audit(&draft).await?;
    let verdict = verify_chain(store).await?;
    let head = store.audit_head().await?.map_or(0, |entry| entry.seq);
    let shown = u32::try_from(SHOWN).unwrap_or(u32::MAX);
    let entries = store.audit_entries(head.saturating_sub(SHOWN), shown).await?;
    let names = store
        .all_staff()
        .await?
        .into_iter()
        .map(|staff| (staff.id, staff.username.to_string()))
        .collect();
    let newest = store.audit_checkpoints().await?.pop();
    let copy_status = audit_checkpoints::copy_status(store, now, schedule).await?;
    Ok(AuditView {
        verdict,
        entries,
        names,
        newest,
        copy_status,
    })
}

/// An administrator or an auditor takes the newest signed checkpoint to
/// keep off the server: the copy is noted (the page's warning waits again
/// from `now`) and recorded in the log. `None` while nothing is signed yet.
pub async fn copy_newest_checkpoint(
    store: &dyn Store,
    caller: &Caller<'_>,
    now: i64,
) -> Result<Option<SignedCheckpoint>, AuditViewError> {
    if !may_read(caller) {
        return Err(AuditViewError::NotAllowed);
    }
    let Some(newest) = store.audit_checkpoints().await?.pop() else {
        return Ok(None);
    };
    audit_checkpoints::record_copy(store, &newest, caller.staff.id, now).await?;
    Ok(Some(newest))
}
