//! Closure and retention: a closed case keeps its identifying data for the
//! organisation's retention period (`retention_days` in `cases.toml`,
//! counted from the day it closed), then it is crypto-shredded: its key
//! grants (the case key exists nowhere else), every record, approval, blind
//! index, sealed encoding, attachment, the request it came from and every
//! message on it are deleted in one transaction, and the database's freed
//! space is overwritten. Its statistical facets stay, sealed to the
//! analytics key under an id nothing else holds. Deleting a case on request
//! (two people: one asks with a reason, another who did not ask approves)
//! shreds it at once in the same way.
//!
//! The scheduled job of `mamar serve` and `mamar retention run` both call
//! [`run_retention`]; each shredded case is an audit entry
//! (`case_shredded`, the case id) and each run one more (`retention_run`).

use mamar_audit::{Action, AuditDraft, Outcome};
use mamar_core::case::ApprovalKind;
use mamar_core::case::machine::{Command, Effect};
use mamar_store::Store;

use super::act::{WithReason, ask_with_reason};
use crate::config::CaseConfig;
use crate::{Caller, CaseError, day_of};

/// Cases shredded per store query of a run (the run goes on until none is left).
const BATCH: u32 = 500;

/// What a retention run did: counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Cases whose identifying data was destroyed.
    pub cases: u64,
    /// Rows deleted over every table.
    pub rows: u64,
}

/// The last day (days since the Unix epoch) a case may have closed on to be shredded at `now`.
pub fn retention_cutoff_day(config: &CaseConfig, now: i64) -> i64 {
    day_of(now) - config.retention_days
}

/// Shreds every case closed at least `retention_days` ago (whole days), then overwrites the
/// freed space once. `actor` is the operator who asked (none for the schedule).
pub async fn run_retention(
    store: &dyn Store,
    config: &CaseConfig,
    actor: Option<mamar_core::StaffId>,
    now: i64,
) -> Result<RetentionReport, CaseError> {
    let cutoff = retention_cutoff_day(config, now);
    let mut report = RetentionReport::default();
    loop {
        let due = store.cases_closed_by(cutoff, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let (cases, rows) = shred(store, actor, &due).await?;
        report.cases += cases;
        report.rows += rows;
    }
    if report.cases > 0 {
        store.reclaim_space().await?;
    }
    mamar_store::audit::record(store, actor, Action::RetentionRun, None, Outcome::Ok).await?;
    Ok(report)
}

/// Deletes the cases' rows in one transaction and records each case shredded; the cases and
/// rows deleted.
async fn shred(
    store: &dyn Store,
    actor: Option<mamar_core::StaffId>,
    cases: &[[u8; 16]],
) -> Result<(u64, u64), CaseError> {
    let done = store.shred_cases(cases).await?;
    let at = mamar_store::audit::now();
    let entries: Vec<AuditDraft> = done
        .shredded
        .iter()
        .map(|case| {
            AuditDraft::new(at, Action::CaseShredded, Outcome::Ok)
                .by(actor)
                .on(Some(*case))
        })
        .collect();
    store.append_audit_all(&entries).await?;
    Ok((u64::try_from(done.shredded.len()).unwrap_or(u64::MAX), done.rows))
}

/// Asks for the case to be deleted now, with the reason; a second person on
/// the case who did not ask decides ([`super::decide`]), and the case is
/// shredded as soon as they grant it.
pub async fn request_delete(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    reason: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let command: WithReason = |approval, reason_given, expires_at| Command::RequestDelete {
        approval,
        reason_given,
        expires_at,
    };
    ask_with_reason(store, config, caller, case, "delete", command, reason, now).await
}

/// After a granted deletion: the same shredding as retention, at once.
pub(super) async fn shred_after(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    effect: &Effect,
) -> Result<(), CaseError> {
    if matches!(
        effect,
        Effect::Granted {
            kind: ApprovalKind::Delete
        }
    ) {
        shred(store, Some(caller.staff.id), &[*case]).await?;
        store.reclaim_space().await?;
    }
    Ok(())
}
