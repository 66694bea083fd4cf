//! Break-glass (issue 16): the administrators' page. An administrator asks
//! to read a case whose people cannot be reached (its reference, a written
//! reason, how many hours); other administrators approve in their own
//! sessions (each hands over their share of the escrow secret); the asker
//! opens the case once k shares are in hand and reads it, read-only, until
//! the grant ends. Every administrator sees every live request and grant
//! here, with its reason, and a count in the navigation. Each handler parses,
//! calls one use case of `mamar_usecases::cases` and renders.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::Locale;
use mamar_core::case::CaseReference;
use mamar_usecases::{CaseError, cases};

use super::cases::{caller, due_text};
use super::inbox::{hex, unhex16};
use super::partners::{Flash, back as back_to, flash, form, get};
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;

/// Back to the page, with what happened.
fn back(locale: Locale, outcome: Result<&'static str, CaseError>) -> Response {
    back_to(locale, "break-glass", outcome)
}

/// One live request or grant.
pub struct BreakGlassLine {
    pub id: String,
    pub case: String,
    pub reference: String,
    pub asker: String,
    pub reason: String,
    pub shares: String,
    pub status: String,
    pub granted: bool,
    pub mine: bool,
    pub can_approve: bool,
    pub can_open: bool,
}

#[derive(Template)]
#[template(path = "staff_break_glass.html")]
struct BreakGlassPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: crate::pages::staff::Nav,
    csrf: String,
    done: Option<String>,
    problem: Option<String>,
    set_up: bool,
    threshold: String,
    without_escrow: String,
    /// When the shares no longer match the administrators in office: the text, and whether
    /// break-glass can still be used at all.
    shares_notice: Option<(String, bool)>,
    lines: Vec<BreakGlassLine>,
    max_hours: i64,
}

/// The administrators' page.
pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(flash_query): Query<Flash>) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let now = state.clock.now();
    let overview = if ctx.is_decoy() {
        cases::BreakGlassOverview::default()
    } else {
        match cases::break_glass_overview(state.store.as_ref(), &caller(&ctx), now).await {
            Ok(overview) => overview,
            Err(error) => return PageError::internal(locale, &error).into_response(),
        }
    };
    let cases::BreakGlassOverview {
        setup,
        cases_without_escrow: missing,
        share_holders: holders,
        alerts,
    } = overview;
    let lines = alerts
        .iter()
        .map(|a| BreakGlassLine {
            id: hex(&a.request_id),
            case: hex(&a.case_id),
            reference: a.reference.map(|r| r.to_string()).unwrap_or_default(),
            asker: a.asked_by_name.clone(),
            reason: a
                .reason
                .clone()
                .unwrap_or_else(|| tr.t("break-glass-reason-hidden")),
            shares: tr.t2(
                "break-glass-shares",
                ("shares", a.shares.into()),
                ("threshold", a.threshold.into()),
            ),
            status: match a.grant_until {
                Some(until) => tr.t1("break-glass-open-until", "until", due_text(until)),
                None => tr.t1("break-glass-waiting-until", "until", due_text(a.expires_at)),
            },
            granted: a.grant_until.is_some(),
            mine: a.mine,
            can_approve: a.can_approve,
            can_open: a.can_open,
        })
        .collect();
    let page = BreakGlassPage {
        switch: switch_links(locale, "/staff/break-glass"),
        nav: crate::pages::staff::nav(&state, &ctx).await,
        csrf: ctx.csrf(),
        done: flash(&tr, "break-glass-done", flash_query.done.as_deref()),
        problem: flash(&tr, "case-problem", flash_query.problem.as_deref()),
        set_up: setup.is_some(),
        threshold: setup
            .map(|s| tr.t1("break-glass-threshold", "count", s.threshold))
            .unwrap_or_default(),
        without_escrow: tr.t1(
            "break-glass-without-escrow",
            "count",
            i64::try_from(missing).unwrap_or(i64::MAX),
        ),
        shares_notice: holders.and_then(|h| shares_notice(&tr, &h)),
        lines,
        max_hours: state.cases.break_glass_max_secs / 3600,
        tr,
    };
    render(&page, locale)
}

/// What the page says when the shares are not where the administrators are.
fn shares_notice(tr: &Tr, holders: &mamar_keys::ShareHolders) -> Option<(String, bool)> {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX).into();
    if !holders.usable() {
        Some((
            tr.t2(
                "break-glass-shares-unusable",
                ("in_office", count(holders.in_office)),
                ("threshold", count(holders.threshold)),
            ),
            false,
        ))
    } else if !holders.match_the_administrators() {
        Some((
            tr.t2(
                "break-glass-shares-mismatch",
                ("left", count(holders.left)),
                ("without", count(holders.without_share)),
            ),
            true,
        ))
    } else {
        None
    }
}

/// An administrator asks to read a case by break-glass.
pub async fn ask(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    if ctx.is_decoy() {
        return back(locale, Ok("asked"));
    }
    let pairs = form(&body);
    let no_case =
        || Redirect::to(&format!("/{}/staff/break-glass?problem=no-case", locale.code())).into_response();
    let Ok(reference) = CaseReference::parse(get(&pairs, "reference")) else {
        return no_case();
    };
    let Ok(hours) = get(&pairs, "hours").trim().parse::<i64>() else {
        return back(locale, Err(CaseError::BadDuration));
    };
    match cases::ask_break_glass_for_reference(
        state.store.as_ref(),
        state.cases.as_ref(),
        &caller(&ctx),
        &reference,
        get(&pairs, "reason"),
        hours.saturating_mul(3600),
        state.clock.now(),
    )
    .await
    {
        // A reference that names no case (or none this server holds).
        Err(CaseError::NotFound) => no_case(),
        outcome => back(locale, outcome.map(|_| "asked")),
    }
}

/// Another administrator approves: their share goes to the asker.
pub async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let locale = ctx.locale;
    let Some(request) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return back(locale, Ok("approved"));
    }
    match cases::approve_break_glass(state.store.as_ref(), &caller(&ctx), &request, state.clock.now()).await {
        Err(CaseError::NoSuchBreakGlassRequest) => PageError::new(locale, Failure::NotFound).into_response(),
        other => back(locale, other.map(|_| "approved")),
    }
}

/// The asker opens the case with k shares and goes to it.
pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let locale = ctx.locale;
    let Some(request) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return back(locale, Ok("opened"));
    }
    match cases::open_break_glass(state.store.as_ref(), &caller(&ctx), &request, state.clock.now()).await {
        Ok(opened) => Redirect::to(&format!(
            "/{}/staff/cases/{}?done=break-glass-opened",
            locale.code(),
            hex(&opened.case_id)
        ))
        .into_response(),
        Err(CaseError::NoSuchBreakGlassRequest) => PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => back(locale, Err(error)),
    }
}
