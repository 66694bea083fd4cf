//! What a person's workspace counts: their cases by stage, decisions
//! waiting for them, new and urgent requests (for intake-key holders),
//! messages from requesters waiting for an answer. Nothing the person's
//! keys cannot open is counted by its content.

use std::collections::BTreeMap;

use mamar_core::case::{CaseReference, Stage};
use mamar_core::questionnaire::{AnswerValue, Answers};
use mamar_crypto::{CaseKey, OrgKeyKind, SealPurpose};
use mamar_store::Store;

use super::open_approval;
use super::read::{CaseListItem, list_mine};
use crate::config::CaseConfig;
use crate::{Caller, CaseError};

/// How many of the newest requests are opened to find the urgent ones.
const URGENT_SCAN: u32 = 200;

#[derive(Debug, Clone, Default)]
pub struct HomeCounts {
    pub my_cases: usize,
    pub by_stage: BTreeMap<Stage, usize>,
    pub frozen: usize,
    pub approvals: usize,
    /// `None` when the caller holds no intake key.
    pub new_requests: Option<u64>,
    pub awaiting_reply: usize,
    pub cases: Vec<CaseListItem>,
    /// Check-ins not confirmed by their time and tasks past their due date,
    /// on open cases (the dead man's switch), the most endangered first.
    pub alerts: super::plan::Alerts,
    /// For an administrator: break-glass requests waiting and grants live.
    pub break_glass: usize,
    /// Referrals waiting for the caller: to answer (a liaison), or answers
    /// and withdrawals not yet seen (a coordinator).
    pub referrals: crate::partners::ReferralsWaiting,
}

/// A decision on the caller's workspace.
#[derive(Debug, Clone)]
pub struct WaitingApproval {
    pub case_id: [u8; 16],
    pub reference: Option<CaseReference>,
    pub kind: String,
    pub value: Option<String>,
    pub expires_at: i64,
}

pub async fn waiting_approvals(
    store: &dyn Store,
    caller: &Caller<'_>,
    now: i64,
) -> Result<Vec<WaitingApproval>, CaseError> {
    let mut out = Vec::new();
    for approval in store.approvals_waiting_for(caller.staff.id, now).await? {
        let Some(wrapped) = store.case_grant(&approval.case_id, caller.staff.id).await? else {
            continue;
        };
        let Ok(key) = CaseKey::unwrap(&wrapped, &approval.case_id, caller.keyring.staff()) else {
            continue;
        };
        let value = if approval.sealed.is_empty() {
            None
        } else {
            open_approval(&key, &approval)?.value
        };
        let reference = store
            .case_file(&approval.case_id)
            .await?
            .and_then(|f| f.reference)
            .and_then(|r| CaseReference::parse(&r).ok());
        out.push(WaitingApproval {
            case_id: approval.case_id,
            reference,
            kind: approval.kind,
            value,
            expires_at: approval.expires_at,
        });
    }
    Ok(out)
}

pub async fn home_counts(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    now: i64,
) -> Result<HomeCounts, CaseError> {
    let cases = list_mine(store, config, caller).await?;
    let mut counts = HomeCounts {
        my_cases: cases.iter().filter(|c| c.stage.is_open()).count(),
        frozen: cases.iter().filter(|c| c.frozen).count(),
        awaiting_reply: cases.iter().filter(|c| c.awaiting_reply).count(),
        approvals: store.approvals_waiting_for(caller.staff.id, now).await?.len(),
        ..HomeCounts::default()
    };
    for case in &cases {
        *counts.by_stage.entry(case.stage).or_default() += 1;
    }
    counts.alerts = super::plan::alerts(store, config, caller, &cases, now).await?;
    counts.referrals = crate::partners::referrals_waiting(store, caller).await?;
    counts.cases = cases;
    if caller.keyring.org_key(OrgKeyKind::Intake).is_some() {
        counts.new_requests = Some(store.open_request_count().await?);
    }
    if caller.actor().is_administrator() {
        counts.break_glass = super::breakglass::live_count(store, now).await?;
    }
    Ok(counts)
}

/// How many of the newest requests not yet opened as cases say "in immediate
/// danger" (`None` without the intake key). It opens each request, so only
/// the home page asks, not every page's navigation.
pub async fn urgent_requests(store: &dyn Store, caller: &Caller<'_>) -> Result<Option<usize>, CaseError> {
    if caller.keyring.org_key(OrgKeyKind::Intake).is_none() {
        return Ok(None);
    }
    let mut urgent = 0;
    for request in store.open_requests(0, URGENT_SCAN).await? {
        let Some(key) = caller
            .keyring
            .org_key_generation(
                OrgKeyKind::Intake,
                u32::try_from(request.intake_generation).unwrap_or(0),
            )
            .and_then(|k| k.intake())
        else {
            continue;
        };
        let purpose = SealPurpose::Intake {
            request_id: &request.id,
        };
        let Ok(plain) = mamar_crypto::open(key, &purpose, &request.sealed) else {
            continue;
        };
        if let Ok(answers) = Answers::from_bytes(plain.expose_secret())
            && matches!(answers.get("urgency"), Some(AnswerValue::Choice(v)) if v == "immediate")
        {
            urgent += 1;
        }
    }
    Ok(Some(urgent))
}
