//! Partner organisations: the administrators' page (register a partner by
//! its signed contact card, a second administrator's confirmation of the
//! fingerprint, liaison accounts) and the liaison's page of referrals
//! (exactly the fields shared, accept or decline). Each handler parses,
//! calls one use case of `mamar_usecases::partners` and renders; the page
//! after an action says what happened (`?done=`) or why not (`?problem=`).

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::partner::{ReferralField, ReferralStatus};
use mamar_core::{Locale, Role, StaffId};
use mamar_usecases::partners;
use serde::Deserialize;

use super::cases::{caller, problem_code};
use super::inbox::{hex, unhex16};
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct Flash {
    pub(crate) done: Option<String>,
    pub(crate) problem: Option<String>,
}

pub(crate) fn flash(tr: &Tr, prefix: &str, code: Option<&str>) -> Option<String> {
    let code = code?;
    code.bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-')
        .then(|| tr.t(&format!("{prefix}-{code}")))
}

/// Where a page goes after an action: itself, with what happened.
pub(crate) fn back(
    locale: Locale,
    page: &str,
    outcome: Result<&'static str, mamar_usecases::CaseError>,
) -> Response {
    let query = match &outcome {
        Ok(done) => format!("done={done}"),
        Err(error) => match problem_code(error) {
            Some(code) => format!("problem={code}"),
            None => return PageError::internal(locale, error).into_response(),
        },
    };
    Redirect::to(&format!("/{}/staff/{page}?{query}", locale.code())).into_response()
}

pub struct PartnerLine {
    pub id: String,
    pub name: String,
    pub fingerprint: String,
    pub confirmed: bool,
    pub status: String,
    pub liaisons: String,
    pub can_confirm: bool,
}

#[derive(Template)]
#[template(path = "staff_partners.html")]
struct PartnersPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: crate::pages::staff::Nav,
    csrf: String,
    done: Option<String>,
    problem: Option<String>,
    partners: Vec<PartnerLine>,
    liaison_accounts: Vec<(String, String)>,
}

fn name_of(names: &[(StaffId, String)], id: StaffId) -> String {
    names
        .iter()
        .find(|(s, _)| *s == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "?".into())
}

/// The administrators' page of partners.
pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(flash_query): Query<Flash>) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let partners::PartnersOverview { partners: all, staff } =
        match partners::partners_overview(state.store.as_ref(), &caller(&ctx), ctx.is_decoy()).await {
            Ok(overview) => overview,
            Err(mamar_usecases::CaseError::Rule(_)) => {
                return PageError::new(locale, Failure::Forbidden).into_response();
            }
            Err(error) => return PageError::internal(locale, &error).into_response(),
        };
    let names: Vec<(StaffId, String)> = staff.iter().map(|s| (s.id, s.username.to_string())).collect();
    let lines = all
        .iter()
        .map(|p| PartnerLine {
            id: hex(&p.id),
            name: p.name(locale).to_owned(),
            fingerprint: p.fingerprint.clone(),
            confirmed: p.confirmed(),
            status: match p.confirmed_by {
                Some(by) => tr.t1("partners-confirmed-by", "name", name_of(&names, by)),
                None => tr.t1(
                    "partners-awaiting-confirmation",
                    "name",
                    name_of(&names, p.registered_by),
                ),
            },
            liaisons: p
                .liaisons
                .iter()
                .map(|l| name_of(&names, *l))
                .collect::<Vec<_>>()
                .join(&tr.t("list-separator")),
            can_confirm: !p.confirmed() && p.registered_by != ctx.staff.id,
        })
        .collect();
    let page = PartnersPage {
        switch: switch_links(locale, "/staff/partners"),
        nav: crate::pages::staff::nav(&state, &ctx).await,
        csrf: ctx.csrf(),
        done: flash(&tr, "partners-done", flash_query.done.as_deref()),
        problem: flash(&tr, "case-problem", flash_query.problem.as_deref()),
        partners: lines,
        liaison_accounts: staff
            .iter()
            .filter(|s| !s.disabled && s.roles.contains(&Role::PartnerLiaison))
            .map(|s| (hex(s.id.as_bytes()), s.username.to_string()))
            .collect(),
        tr,
    };
    render(&page, locale)
}

pub(crate) fn form(body: &[u8]) -> Vec<(String, String)> {
    crate::pages::public::form_pairs(body).unwrap_or_default()
}

pub(crate) fn get<'p>(pairs: &'p [(String, String)], name: &str) -> &'p str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Every value of a repeated field (ticked boxes).
pub(crate) fn all_of<'p>(pairs: &'p [(String, String)], name: &str) -> Vec<&'p str> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// An administrator registers a partner by its card and the fingerprint it gave.
pub async fn register(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    if ctx.is_decoy() {
        return back(locale, "partners", Ok("registered"));
    }
    let pairs = form(&body);
    let Some(today) = mamar_keys::CardDate::from_unix_days(state.clock.now().div_euclid(86_400)) else {
        return PageError::new(locale, Failure::BadRequest).into_response();
    };
    let outcome = partners::register_partner(
        state.store.as_ref(),
        &caller(&ctx),
        get(&pairs, "card"),
        get(&pairs, "fingerprint"),
        today,
    )
    .await
    .map(|_| "registered");
    back(locale, "partners", outcome)
}

/// A second administrator confirms a partner's fingerprint.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let locale = ctx.locale;
    let Some(partner) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return back(locale, "partners", Ok("confirmed"));
    }
    let pairs = form(&body);
    match partners::confirm_partner(
        state.store.as_ref(),
        &caller(&ctx),
        &partner,
        get(&pairs, "fingerprint"),
    )
    .await
    {
        Err(mamar_usecases::CaseError::NoSuchPartner) => {
            PageError::new(locale, Failure::NotFound).into_response()
        }
        other => back(locale, "partners", other.map(|()| "confirmed")),
    }
}

/// An administrator makes an account with the partner liaison role a liaison of this partner.
pub async fn liaison(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let locale = ctx.locale;
    let Some(partner) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return back(locale, "partners", Ok("liaison"));
    }
    let pairs = form(&body);
    let staff = unhex16(get(&pairs, "staff")).map(StaffId::from_bytes);
    match partners::set_liaison(state.store.as_ref(), &caller(&ctx), staff, &partner).await {
        Err(mamar_usecases::CaseError::NoSuchPartner) => {
            PageError::new(locale, Failure::NotFound).into_response()
        }
        other => back(locale, "partners", other.map(|()| "liaison")),
    }
}

pub struct ReferralCard {
    pub id: String,
    pub day: String,
    pub handover: bool,
    pub status: String,
    pub open: bool,
    pub fields: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "staff_referrals.html")]
struct ReferralsPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: crate::pages::staff::Nav,
    csrf: String,
    done: Option<String>,
    problem: Option<String>,
    partner: String,
    referrals: Vec<ReferralCard>,
}

pub(crate) fn field_label(tr: &Tr, field: ReferralField) -> String {
    tr.t(&format!("referral-field-{}", field.code()))
}

pub(crate) fn day_text(day: i64) -> String {
    let month = mamar_usecases::month_of(day * 86_400);
    let first = super::cases::month_start(day * 86_400).div_euclid(86_400);
    format!("{month}-{:02}", day - first + 1)
}

/// The liaison's page: what their partner has been sent, exactly the fields shared.
pub async fn referrals(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(flash_query): Query<Flash>,
) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let (partner, list) = if ctx.is_decoy() {
        (String::new(), Vec::new())
    } else {
        match partners::liaison_page(state.store.as_ref(), &caller(&ctx)).await {
            Ok(partners::LiaisonPage { partner, referrals }) => (
                partner
                    .map(|p| {
                        if locale == Locale::Ar {
                            p.name_ar
                        } else {
                            p.name_en
                        }
                    })
                    .unwrap_or_default(),
                referrals,
            ),
            Err(error) => return PageError::internal(locale, &error).into_response(),
        }
    };
    let page = ReferralsPage {
        switch: switch_links(locale, "/staff/referrals"),
        nav: crate::pages::staff::nav(&state, &ctx).await,
        csrf: ctx.csrf(),
        done: flash(&tr, "referrals-done", flash_query.done.as_deref()),
        problem: flash(&tr, "case-problem", flash_query.problem.as_deref()),
        partner,
        referrals: list
            .into_iter()
            .map(|r| ReferralCard {
                id: hex(&r.id),
                day: day_text(r.offered_day),
                handover: r.handover,
                status: tr.t(&format!("referral-status-{}", r.status.code())),
                open: r.status == ReferralStatus::Offered,
                fields: r
                    .fields
                    .into_iter()
                    .map(|(f, v)| (field_label(&tr, f), v))
                    .collect(),
            })
            .collect(),
        tr,
    };
    render(&page, locale)
}

/// A liaison accepts or declines a referral.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let locale = ctx.locale;
    let Some(referral) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    let pairs = form(&body);
    let accept = match get(&pairs, "answer") {
        "accept" => true,
        "decline" => false,
        // Another partner's referral, or none, is not found whatever the form says.
        _ => {
            let failure =
                match partners::liaison_referral(state.store.as_ref(), &caller(&ctx), &referral).await {
                    Ok(_) => Failure::BadRequest,
                    Err(mamar_usecases::CaseError::NoSuchReferral) => Failure::NotFound,
                    Err(error) => return PageError::internal(locale, &error).into_response(),
                };
            return PageError::new(locale, failure).into_response();
        }
    };
    let done = if accept { "accepted" } else { "declined" };
    if ctx.is_decoy() {
        return back(locale, "referrals", Ok(done));
    }
    match partners::answer_referral(
        state.store.as_ref(),
        &caller(&ctx),
        &referral,
        accept,
        state.clock.now(),
    )
    .await
    {
        Err(mamar_usecases::CaseError::NoSuchReferral) => {
            PageError::new(locale, Failure::NotFound).into_response()
        }
        other => back(locale, "referrals", other.map(|_| done)),
    }
}
