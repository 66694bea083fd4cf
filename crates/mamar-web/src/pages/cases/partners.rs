//! Partners on the case page: the requester's consents (given on the
//! follow-up page, or recorded from a call and approved by a second
//! person), the referrals with what each partner may already have seen, and
//! the actions (`POST …/cases/{id}/partners`). Whether a referral may go is
//! decided by `mamar_usecases::partners` alone, whatever this page shows.

use mamar_core::partner::{ReferralField, ReferralStatus};
use mamar_usecases::partners;

use super::*;
use crate::pages::partners::{all_of, day_text, field_label};

pub struct ConsentLine {
    pub id: String,
    /// "⟨partner⟩ may know ⟨these things⟩".
    pub text: String,
    pub source: String,
    pub in_force: bool,
    pub can_approve: bool,
}

pub struct ReferralLine {
    pub id: String,
    pub partner: String,
    pub fields: String,
    pub day: String,
    pub handover: bool,
    pub status: String,
    pub live: bool,
    /// For a revoked referral: what the partner may already have seen, said plainly.
    pub exposure: String,
}

/// The partner part of the case page.
#[derive(Default)]
pub struct PartnersSection {
    pub shown: bool,
    pub can_refer: bool,
    pub partners: Vec<(String, String)>,
    pub fields: Vec<(String, String)>,
    pub consents: Vec<ConsentLine>,
    pub referrals: Vec<ReferralLine>,
}

pub async fn section(
    state: &AppState,
    ctx: &crate::auth::StaffContext,
    tr: &Tr,
    case: &[u8; 16],
    duties: &[Duty],
) -> PartnersSection {
    let store = state.store.as_ref();
    let who = caller(ctx);
    let locale = ctx.locale;
    let (Ok(all), Ok(consents), Ok(referrals)) = (
        partners::partners(store).await,
        partners::consents_of(store, &who, case).await,
        partners::referrals_of(store, &who, case).await,
    ) else {
        return PartnersSection::default();
    };
    let names = usernames(state, ctx).await;
    let partner_name = |id: &[u8; 16]| {
        all.iter()
            .find(|p| p.id == *id)
            .map(|p| p.name(locale).to_owned())
            .unwrap_or_default()
    };
    let fields_text = |fields: &[ReferralField]| {
        fields
            .iter()
            .map(|f| field_label(tr, *f))
            .collect::<Vec<_>>()
            .join(&tr.t("list-separator"))
    };
    let confirmed: Vec<(String, String)> = all
        .iter()
        .filter(|p| p.confirmed())
        .map(|p| (hex(&p.id), p.name(locale).to_owned()))
        .collect();
    PartnersSection {
        shown: !confirmed.is_empty() || !referrals.is_empty(),
        can_refer: duties.contains(&Duty::Coordinator),
        fields: ReferralField::ALL
            .iter()
            .map(|f| (f.code().to_owned(), field_label(tr, *f)))
            .collect(),
        consents: consents
            .iter()
            .map(|c| ConsentLine {
                id: hex(&c.id),
                text: tr.t2(
                    "consent-line",
                    ("partner", partner_name(&c.partner).into()),
                    ("fields", fields_text(&c.fields).into()),
                ),
                source: match (c.by_requester, c.recorded_by, c.in_force) {
                    _ if c.withdrawn_day.is_some() => tr.t1(
                        "consent-source-withdrawn",
                        "day",
                        c.withdrawn_day.map(day_text).unwrap_or_default(),
                    ),
                    (true, _, _) => tr.t("consent-source-requester"),
                    (false, Some(by), true) => {
                        tr.t1("consent-source-call-approved", "name", name_of(&names, by))
                    }
                    (false, by, false) => tr.t1(
                        "consent-source-call-waiting",
                        "name",
                        by.map(|b| name_of(&names, b)).unwrap_or_default(),
                    ),
                    _ => String::new(),
                },
                in_force: c.in_force,
                can_approve: !c.in_force && c.withdrawn_day.is_none() && c.recorded_by != Some(ctx.staff.id),
            })
            .collect(),
        referrals: referrals
            .iter()
            .map(|r| {
                let partner = partner_name(&r.partner);
                let fields = fields_text(&r.fields);
                let exposure = match (r.status, r.seen) {
                    (ReferralStatus::Revoked, true) => tr.t2(
                        "referral-revoked-seen",
                        ("partner", partner.clone().into()),
                        ("fields", fields.clone().into()),
                    ),
                    (ReferralStatus::Revoked, false) => {
                        tr.t1("referral-revoked-unseen", "partner", partner.clone())
                    }
                    _ => String::new(),
                };
                ReferralLine {
                    id: hex(&r.id),
                    partner,
                    fields,
                    day: day_text(r.offered_day),
                    handover: r.handover,
                    status: tr.t(&format!("referral-status-{}", r.status.code())),
                    live: r.status.is_live(),
                    exposure,
                }
            })
            .collect(),
        partners: confirmed,
    }
}

/// Every partner action on a case, named by the form's `action` field. A
/// referral without the requester's consent is refused by the use case,
/// for every role: this handler has no say in it.
pub async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let locale = ctx.locale;
    let Some(case) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(locale, Failure::NotFound).into_response();
    }
    // A case the caller is not on does not exist for them, whatever the form says.
    match cases::ensure_on_case(state.store.as_ref(), &caller(&ctx), &case).await {
        Ok(()) => {}
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    }
    let pairs = crate::pages::public::form_pairs(&body).unwrap_or_default();
    let get = |name: &str| field(&pairs, name);
    let store = state.store.as_ref();
    let who = caller(&ctx);
    let now = state.clock.now();
    let partner = unhex16(get("partner"));
    let fields = all_of(&pairs, "field");
    let no_partner = || Err(CaseError::NoSuchPartner);
    let outcome: Result<&'static str, CaseError> = match get("action") {
        "refer" => match partner {
            Some(partner) => {
                let handover = get("handover") == "yes";
                partners::refer(store, &who, &case, &partner, &fields, handover, now)
                    .await
                    .map(|_| if handover { "handover-offered" } else { "referred" })
            }
            None => no_partner(),
        },
        "revoke" => match unhex16(get("referral")) {
            Some(referral) => partners::revoke_referral(store, &who, &case, &referral)
                .await
                .map(|_| "revoked"),
            None => Err(CaseError::NoSuchReferral),
        },
        "consent" => match partner {
            Some(partner) => partners::record_call_consent(store, &who, &case, &partner, &fields)
                .await
                .map(|()| "consent-recorded"),
            None => no_partner(),
        },
        "approve-consent" => match unhex16(get("consent")) {
            Some(consent) => partners::approve_consent(store, &who, &case, &consent)
                .await
                .map(|()| "consent-approved"),
            None => Err(CaseError::BadText),
        },
        _ => return PageError::new(locale, Failure::BadRequest).into_response(),
    };
    match outcome {
        Err(CaseError::NotFound) => PageError::new(locale, Failure::NotFound).into_response(),
        other => super::page::back_to(locale, &id, other.as_ref().map(|s| *s)),
    }
}
