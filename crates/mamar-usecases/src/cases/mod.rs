//! Cases: opening one from a request or a call, reading it, acting on it,
//! and what a person's workspace counts.

mod act;
mod attachments;
mod breakglass;
mod export;
mod home;
mod index;
mod open;
mod plan;
mod read;
mod reception;
mod retention;

pub(crate) use act::take_over;
pub use act::{
    add_note, advance, assign, decide, message_requester, propose_vetting, request_close, request_reopen,
    request_unfreeze, request_unfreeze_for_reference, unassign,
};
pub use attachments::{
    AttachmentInfo, CHUNK_BYTES, Download, Upload, UploadRefusal, begin_upload, open_attachment,
};
pub use breakglass::{
    BreakGlassAlert, BreakGlassOpened, BreakGlassOverview, approve_break_glass, ask_break_glass,
    ask_break_glass_for_reference, break_glass_alerts, break_glass_overview, expire_break_glass,
    open_break_glass,
};
pub use export::{
    EXPORT_FORMAT, EXPORT_WORK_FACTOR, ExportFile, ExportOffer, ExportSettings, JSON_MARKER,
    MIN_PASSPHRASE_CHARS, check_passphrase, download_export, export_offer, open_export, request_export,
};
pub use home::{HomeCounts, WaitingApproval, home_counts, urgent_requests, waiting_approvals};
pub use index::{CLOSE_MATCH_DICE, MatchReason, search};
pub use open::{Opened, open_from_call, open_from_request};
pub(crate) use open::{intake_allowed, open_with_answers};
pub use plan::{
    Alert, Alerts, CheckInView, PlanStep, PlanView, StepInput, TaskView, add_check_in, add_step, add_task,
    alerts, mark_done, parse_due, plan_of, request_plan_release,
};
pub use read::{
    CaseListItem, CasePage, CaseView, PendingView, TimelineEntry, can_sign, case_page, list_mine, view,
};
pub use reception::{
    ARRIVAL, Arrival, CHOICE, CHOICES, Choice, ReceptionView, Review, reception_of, record_arrival,
    record_choice, record_review,
};
pub use retention::{RetentionReport, request_delete, retention_cutoff_day, run_retention};

use mamar_core::case::machine::{Assignment, Pending};
use mamar_core::case::{ApprovalKind, CaseState, ClosingOutcome, Duty, Stage, VettingDecision};
use mamar_crypto::CaseKey;
use mamar_store::{CaseFile, Store};

use crate::records::{self, ApprovalPayload};
use crate::{Caller, CaseError};

/// A case with its state and the caller's key to it.
pub(crate) struct Loaded {
    pub file: CaseFile,
    pub state: CaseState,
    pub key: CaseKey,
}

/// The case `id` as the caller can open it. Not being on the case and the
/// case not existing give the same answer.
pub(crate) async fn load(store: &dyn Store, caller: &Caller<'_>, id: &[u8; 16]) -> Result<Loaded, CaseError> {
    let file = store.case_file(id).await?.ok_or(CaseError::NotFound)?;
    let wrapped = store
        .case_grant(id, caller.staff.id)
        .await?
        .ok_or(CaseError::NotFound)?;
    let key = CaseKey::unwrap(&wrapped, id, caller.keyring.staff()).map_err(|_| CaseError::NotFound)?;
    let state = state_of(&file, Some(&key))?;
    breakglass::maintain(store, Loaded { file, state, key }).await
}

/// Whether the caller is on `case` (holds a grant of its key): the check a
/// channel makes before it reads a form meant for the case's team, so that a
/// case the caller is not on does not exist for them, whatever the form
/// says. `CaseError::NotFound` otherwise, as for a case that does not exist.
pub async fn ensure_on_case(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
) -> Result<(), CaseError> {
    store
        .case_grant(case, caller.staff.id)
        .await?
        .map(|_| ())
        .ok_or(CaseError::NotFound)
}

/// The rules' view of a stored case. Without the case key, approvals'
/// content stays unknown (only an unfreeze needs no key, and it has none).
pub(crate) fn state_of(file: &CaseFile, key: Option<&CaseKey>) -> Result<CaseState, CaseError> {
    let stage: Stage = file.stage.parse().map_err(|_| CaseError::Corrupt)?;
    let team = file
        .team
        .iter()
        .map(|(staff, duty)| {
            Ok(Assignment {
                staff: *staff,
                duty: duty.parse::<Duty>().map_err(|_| CaseError::Corrupt)?,
            })
        })
        .collect::<Result<Vec<_>, CaseError>>()?;
    let mut pending = Vec::new();
    for approval in &file.approvals {
        let kind = match (approval.kind.as_str(), key) {
            ("unfreeze", _) => ApprovalKind::Unfreeze,
            ("reopen", _) => ApprovalKind::Reopen,
            ("release-plan", _) => ApprovalKind::ReleasePlan,
            ("delete", _) => ApprovalKind::Delete,
            ("export", _) => ApprovalKind::Export,
            (kind, Some(key)) => approval_kind(kind, &open_approval(key, approval)?)?,
            // Without the key the content is unknown; the code is enough for the rules' gates.
            ("vetting", None) => ApprovalKind::Vetting(VettingDecision::NotCleared),
            ("close", None) => ApprovalKind::Close(ClosingOutcome::Withdrew),
            _ => return Err(CaseError::Corrupt),
        };
        pending.push(Pending {
            id: approval.id,
            kind,
            requested_by: approval.requested_by,
            expires_at: approval.expires_at,
        });
    }
    Ok(CaseState {
        stage,
        frozen: file.frozen,
        owner: file.owner,
        team,
        pending,
    })
}

pub(crate) fn open_approval(
    key: &CaseKey,
    approval: &mamar_store::CaseApproval,
) -> Result<ApprovalPayload, CaseError> {
    let plain = key.decrypt(&approval.sealed, &records::approval_context(&approval.id))?;
    serde_json::from_slice(plain.expose_secret()).map_err(|_| CaseError::Corrupt)
}

fn approval_kind(code: &str, payload: &ApprovalPayload) -> Result<ApprovalKind, CaseError> {
    let value = payload.value.as_deref().unwrap_or("");
    match code {
        "vetting" => Ok(ApprovalKind::Vetting(
            value.parse().map_err(|_| CaseError::Corrupt)?,
        )),
        "close" => Ok(ApprovalKind::Close(
            value.parse().map_err(|_| CaseError::Corrupt)?,
        )),
        "reopen" => Ok(ApprovalKind::Reopen),
        "unfreeze" => Ok(ApprovalKind::Unfreeze),
        "release-plan" => Ok(ApprovalKind::ReleasePlan),
        "delete" => Ok(ApprovalKind::Delete),
        "export" => Ok(ApprovalKind::Export),
        _ => Err(CaseError::Corrupt),
    }
}

/// The duties `staff` holds on a case.
pub(crate) fn duties_of(state: &CaseState, staff: mamar_core::StaffId) -> Vec<Duty> {
    state
        .team
        .iter()
        .filter(|a| a.staff == staff)
        .map(|a| a.duty)
        .collect()
}

pub(crate) fn random_id() -> Result<[u8; 16], CaseError> {
    Ok(mamar_crypto::random_bytes::<16>()?)
}

/// A new random id (for partners, consents and referrals too).
pub(crate) fn new_id() -> Result<[u8; 16], CaseError> {
    random_id()
}

/// Refuses a caller who is not on the case (as [`load`] does).
pub(crate) async fn require_on_case(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
) -> Result<(), CaseError> {
    load(store, caller, case).await.map(|_| ())
}

/// Refuses a caller who is not on the case, or is on it only as a
/// (read-only) break-glass reader.
pub(crate) async fn require_acting_on_case(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
) -> Result<(), CaseError> {
    let loaded = load(store, caller, case).await?;
    if !loaded.state.acts_on(caller.staff.id) {
        return Err(mamar_core::case::CaseRuleError::ReadOnly.into());
    }
    Ok(())
}

/// A case as a partner act needs it: the caller's key and duties, once the
/// rules have agreed that content may be added (not frozen, not closed).
pub(crate) struct ForPartners {
    pub key: CaseKey,
    pub duties: Vec<Duty>,
    pub open: bool,
}

pub(crate) async fn load_for_partners(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
) -> Result<ForPartners, CaseError> {
    let loaded = load(store, caller, case).await?;
    let mut probe = loaded.state.clone();
    probe.apply(&caller.actor(), &mamar_core::case::Command::AddContent, 0)?;
    Ok(ForPartners {
        duties: duties_of(&loaded.state, caller.staff.id),
        open: loaded.state.stage.is_open(),
        key: loaded.key,
    })
}

/// Whether someone with `duties` on a case may refer it to a partner (or revoke a referral).
pub(crate) fn may_refer(duties: &[Duty]) -> bool {
    duties.contains(&Duty::Coordinator)
}
