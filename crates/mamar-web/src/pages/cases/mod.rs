//! The case pages: a person's case list (filters and search in the URL),
//! one case with the sections their duties may read and the actions their
//! duty allows, and opening a case from a request. Each handler parses,
//! calls one use case of `mamar_usecases`, and renders; every rule lives
//! there. After an action the page says what happened (`?done=`), or why
//! nothing did (`?problem=`).

mod export;
mod files;
mod list;
mod open;
mod page;
mod partners;
mod plan;

pub use export::{export_download, export_page};
pub use files::{download, upload};
pub use list::{list, unfreeze};
pub use open::{call_form, call_submit, open_request};
pub(crate) use page::month_start;
pub use page::{act, show};
pub use partners::act as partners_act;
pub(crate) use plan::due_text;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::StaffId;
use mamar_core::case::{ClosingOutcome, Duty, Stage, VettingDecision};
use mamar_core::questionnaire::Answers;
use mamar_usecases::{Caller, CaseError, Section, cases};
use serde::Deserialize;

use super::inbox::{hex, unhex16};
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::intake_glue::FieldKind;
use crate::state::AppState;

pub(crate) fn caller(ctx: &crate::auth::StaffContext) -> Caller<'_> {
    Caller {
        staff: &ctx.staff,
        keyring: &ctx.session.keyring,
    }
}

/// Colleagues' names for the case list and the partners section; when they cannot be read the
/// lines show "?" rather than the page failing.
async fn usernames(state: &AppState, ctx: &crate::auth::StaffContext) -> Vec<(StaffId, String)> {
    mamar_usecases::account::staff_names(state.store.as_ref(), &caller(ctx), ctx.is_decoy())
        .await
        .unwrap_or_default()
}

fn name_of(names: &[(StaffId, String)], id: StaffId) -> String {
    names
        .iter()
        .find(|(s, _)| *s == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "?".into())
}

fn option_label(state: &AppState, field: &str, value: Option<&str>, locale: mamar_core::Locale) -> String {
    value
        .and_then(|v| state.questionnaire.field(field)?.option_label(v, locale))
        .unwrap_or("")
        .to_owned()
}

fn flash(tr: &Tr, prefix: &str, code: Option<&str>) -> Option<String> {
    let code = code?;
    code.bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-')
        .then(|| tr.t(&format!("{prefix}-{code}")))
}

/// The code a refusal is shown with (`case-problem-<code>` in the translation files).
pub(crate) fn problem_code(error: &CaseError) -> Option<&'static str> {
    use mamar_core::case::CaseRuleError as R;
    Some(match error {
        CaseError::Rule(rule) => match rule {
            R::NotAssigned => "not-assigned",
            R::WrongDuty => "wrong-duty",
            R::DutyNotAllowed => "duty-not-allowed",
            R::Closed => "closed",
            R::Frozen => "frozen",
            R::NotFrozen => "not-frozen",
            R::WrongStage(_) => "wrong-stage",
            R::AlreadyAssigned => "already-assigned",
            R::OwnerCannotLeave => "owner-cannot-leave",
            R::OwnerNotAssigned => "owner-not-assigned",
            R::NoVettingOfficer => "no-vetting-officer",
            R::AlreadyPending => "already-pending",
            R::NoSuchApproval => "no-such-approval",
            R::OwnRequest => "own-request",
            R::Expired => "expired",
            R::AdministratorOnly => "administrator-only",
            R::ReasonNeeded => "reason-needed",
            R::ReadOnly => "read-only",
            R::AlreadyApproved => "already-approved",
            R::BreakGlassThreshold => "break-glass-threshold",
            R::NotTheAsker => "not-the-asker",
            R::AlreadyDownloaded => "already-downloaded",
        },
        CaseError::BreakGlassNotSetUp => "break-glass-not-set-up",
        CaseError::NoBreakGlassShare => "no-break-glass-share",
        CaseError::NoSuchBreakGlassRequest => "no-such-break-glass",
        CaseError::BreakGlassWaiting => "break-glass-waiting",
        CaseError::NoEscrow => "no-escrow",
        CaseError::BadDuration => "bad-duration",
        CaseError::MissingKey(_) => "missing-key",
        CaseError::NoSuchStaff => "no-such-staff",
        CaseError::BadText => "bad-text",
        CaseError::BadYear => "bad-year",
        CaseError::BadTime => "bad-time",
        CaseError::Conflict => "conflict",
        CaseError::RequestNotFound => "no-request",
        CaseError::AlreadyOpened => "already-opened",
        CaseError::Upload(cases::UploadRefusal::TooLarge) => "file-too-large",
        CaseError::Upload(cases::UploadRefusal::Empty) => "file-missing",
        CaseError::Upload(cases::UploadRefusal::WrongType) => "file-wrong-type",
        CaseError::Partner(rule) => partner_problem(rule),
        CaseError::Card(_) => "bad-card",
        CaseError::NoSuchPartner => "no-such-partner",
        CaseError::PartnerExists => "partner-exists",
        CaseError::NoSuchReferral => "no-such-referral",
        CaseError::WeakPassphrase => "weak-passphrase",
        CaseError::NoExport => "no-export",
        _ => return None,
    })
}

/// The value of form field `name`, or "".
fn field<'p>(pairs: &'p [(String, String)], name: &str) -> &'p str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Who the person is, from the `person_*` fields the request and call pages share.
fn identity_from(pairs: &[(String, String)]) -> Result<mamar_usecases::Identity, CaseError> {
    mamar_usecases::Identity::from_form(
        field(pairs, "person_name"),
        field(pairs, "person_birth_year"),
        field(pairs, "person_phone"),
    )
}

fn partner_problem(rule: &mamar_core::partner::PartnerRuleError) -> &'static str {
    use mamar_core::partner::PartnerRuleError as P;
    match rule {
        P::NotConfirmed => "partner-not-confirmed",
        P::AlreadyConfirmed => "partner-already-confirmed",
        P::OwnRegistration => "partner-own-registration",
        P::FingerprintMismatch => "partner-fingerprint-mismatch",
        P::NoConsent => "no-consent",
        P::ConsentWithdrawn => "consent-withdrawn",
        P::NothingChosen => "nothing-chosen",
        P::OwnConsent => "own-consent",
        P::AlreadyApproved => "consent-already-approved",
        P::NotLiaison => "not-liaison",
        P::OwnOffer => "own-offer",
        P::NotOffered => "referral-answered",
        P::NotLive => "referral-not-live",
        P::NoLiaison => "no-liaison",
        P::NotALiaisonAccount => "not-liaison-account",
        P::HandoverScope => "handover-scope",
        P::OfferOutdated => "offer-outdated",
    }
}
