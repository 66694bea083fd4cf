//! Consent to share with a partner: given by the requester on the follow-up
//! page, recorded by staff from a call and approved by a second person,
//! listed for the case team and for the requester, and withdrawn by the
//! requester (which revokes every referral the partner still holds).

use mamar_audit::Action;
use mamar_core::partner::{Consent, ReferralField, check_consent_approval, fields_from_text, fields_to_text};
use mamar_store::{ConsentRecord, IntakeRequest, PartnerRecord, ReferralRecord, Store};

use super::{ConsentView, audit, confirmed_partner, parse_fields};
use crate::{Caller, CaseError, day_of};

/// The requester, on the follow-up page with their codename, agrees that
/// `partner` may know `fields`. Their request must already be a case.
/// Returns the partner, so the channel can tell the requester by name whom
/// they agreed to.
pub async fn give_consent(
    store: &dyn Store,
    request: &IntakeRequest,
    partner: &[u8; 16],
    fields: &[&str],
) -> Result<PartnerRecord, CaseError> {
    let case = store
        .case_by_request(&request.id)
        .await?
        .ok_or(CaseError::RequestNotFound)?;
    let record = confirmed_partner(store, partner).await?;
    let fields = parse_fields(fields)?;
    let id = crate::cases::new_id()?;
    store
        .add_consent(&ConsentRecord {
            id,
            case_id: case,
            partner_id: *partner,
            fields: fields_to_text(&fields),
            source: "requester".into(),
            recorded_by: None,
            approved_by: None,
            withdrawn_day: None,
        })
        .await?;
    // The requester is nobody on the staff: the entry names the case only.
    audit(store, None, Action::ConsentRecorded, case).await?;
    Ok(record)
}

/// Whether the requester's request is a case (the follow-up page offers
/// consent only then).
pub async fn request_is_case(store: &dyn Store, request: &IntakeRequest) -> Result<bool, CaseError> {
    Ok(store.case_by_request(&request.id).await?.is_some())
}

/// Someone on the case records the requester's consent given on a call; it
/// counts only once a second person on the case approves it.
pub async fn record_call_consent(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    partner: &[u8; 16],
    fields: &[&str],
) -> Result<(), CaseError> {
    crate::cases::require_acting_on_case(store, caller, case).await?;
    confirmed_partner(store, partner).await?;
    let fields = parse_fields(fields)?;
    store
        .add_consent(&ConsentRecord {
            id: crate::cases::new_id()?,
            case_id: *case,
            partner_id: *partner,
            fields: fields_to_text(&fields),
            source: "call".into(),
            recorded_by: Some(caller.staff.id),
            approved_by: None,
            withdrawn_day: None,
        })
        .await?;
    audit(store, Some(caller.staff.id), Action::ConsentRecorded, *case).await
}

pub(super) fn consent_of(record: &ConsentRecord) -> Result<Consent, CaseError> {
    Ok(Consent {
        fields: fields_from_text(&record.fields).map_err(|_| CaseError::Corrupt)?,
        by_requester: record.source == "requester",
        recorded_by: record.recorded_by,
        approved_by: record.approved_by,
        withdrawn: record.withdrawn_day.is_some(),
    })
}

/// A second person on the case approves a consent recorded from a call.
pub async fn approve_consent(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    consent: &[u8; 16],
) -> Result<(), CaseError> {
    crate::cases::require_acting_on_case(store, caller, case).await?;
    let record = store
        .consents(case)
        .await?
        .into_iter()
        .find(|c| c.id == *consent)
        .ok_or(CaseError::BadText)?;
    check_consent_approval(&consent_of(&record)?, caller.staff.id)?;
    if !store.approve_consent(consent, caller.staff.id).await? {
        return Err(mamar_core::partner::PartnerRuleError::AlreadyApproved.into());
    }
    audit(store, Some(caller.staff.id), Action::ConsentRecorded, *case).await
}

/// The consents on a case (for someone on it).
pub async fn consents_of(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
) -> Result<Vec<ConsentView>, CaseError> {
    crate::cases::require_on_case(store, caller, case).await?;
    store
        .consents(case)
        .await?
        .iter()
        .map(|record| {
            let consent = consent_of(record)?;
            Ok(ConsentView {
                id: record.id,
                partner: record.partner_id,
                in_force: consent.is_in_force(),
                fields: consent.fields,
                by_requester: consent.by_requester,
                recorded_by: record.recorded_by,
                withdrawn_day: record.withdrawn_day,
            })
        })
        .collect()
}

/// A partner the requester has agreed may know something, as the follow-up
/// page shows it (with the button to withdraw).
#[derive(Debug, Clone)]
pub struct RequesterConsent {
    pub partner: [u8; 16],
    /// What the requester agreed the partner may know (every consent in force together).
    pub fields: Vec<ReferralField>,
    /// What the partner's liaisons have already opened (they may have noted it): said plainly.
    pub seen: Vec<ReferralField>,
}

/// What withdrawing did, for the follow-up page to say.
#[derive(Debug, Clone)]
pub struct Withdrawal {
    pub partner: [u8; 16],
    /// Referrals to that partner taken back (their keys deleted, their content erased).
    pub revoked: usize,
    /// What the partner's liaisons had already opened before: it cannot be taken back.
    pub seen: Vec<ReferralField>,
}

fn fields_seen_by(referrals: &[ReferralRecord], partner: &[u8; 16]) -> Result<Vec<ReferralField>, CaseError> {
    let mut seen = Vec::new();
    for r in referrals.iter().filter(|r| r.partner_id == *partner && r.seen) {
        seen.extend(fields_from_text(&r.fields).map_err(|_| CaseError::Corrupt)?);
    }
    seen.sort();
    seen.dedup();
    Ok(seen)
}

/// The partners the requester's consent is in force for, on their case
/// (none while the request is not a case).
pub async fn requester_consents(
    store: &dyn Store,
    request: &IntakeRequest,
) -> Result<Vec<RequesterConsent>, CaseError> {
    let Some(case) = store.case_by_request(&request.id).await? else {
        return Ok(Vec::new());
    };
    let referrals = store.case_referrals(&case).await?;
    let mut out: Vec<RequesterConsent> = Vec::new();
    for record in store.consents(&case).await? {
        let consent = consent_of(&record)?;
        if !consent.is_in_force() {
            continue;
        }
        let index = match out.iter().position(|c| c.partner == record.partner_id) {
            Some(index) => index,
            None => {
                out.push(RequesterConsent {
                    partner: record.partner_id,
                    fields: Vec::new(),
                    seen: fields_seen_by(&referrals, &record.partner_id)?,
                });
                out.len() - 1
            }
        };
        out[index].fields.extend(consent.fields);
        out[index].fields.sort();
        out[index].fields.dedup();
    }
    Ok(out)
}

/// The requester, on the follow-up page with their codename, withdraws
/// their consent to `partner`: every consent to that partner on their case
/// (theirs, or one taken on a call) counts no more, every referral of the
/// case that partner still holds (offered, accepted, or declined and still
/// readable on the liaison's page) is revoked as a coordinator revokes one
/// (the liaisons' wrapped keys deleted, the content erased), in one transaction,
/// and new referrals to that partner are refused until the person agrees
/// again. The case team sees it in the case's timeline, and its
/// coordinators in their navigation's count until one opens the case.
pub async fn withdraw_consent(
    store: &dyn Store,
    request: &IntakeRequest,
    partner: &[u8; 16],
    now: i64,
) -> Result<Withdrawal, CaseError> {
    let case = store
        .case_by_request(&request.id)
        .await?
        .ok_or(CaseError::RequestNotFound)?;
    let revoked = store
        .withdraw_consents(&case, partner, day_of(now))
        .await?
        .ok_or(mamar_core::partner::PartnerRuleError::NoConsent)?;
    // The requester is nobody on the staff: the entries name the case and the referrals only.
    audit(store, None, Action::ConsentWithdrawn, case).await?;
    for referral in &revoked {
        audit(store, None, Action::ReferralRevoked, referral.id).await?;
    }
    Ok(Withdrawal {
        partner: *partner,
        revoked: revoked.len(),
        seen: fields_seen_by(&store.case_referrals(&case).await?, partner)?,
    })
}
