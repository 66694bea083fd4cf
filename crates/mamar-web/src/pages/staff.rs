//! The staff workspace: the navigation every staff page carries (with the
//! counts of what waits), and the home page that answers "what needs me
//! now": my cases by stage, decisions waiting for me, new and urgent
//! requests, requesters waiting for an answer.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use mamar_core::Role;
use mamar_core::case::Stage;
use mamar_usecases::cases;

use super::cases::caller;
use super::inbox::hex;
use super::{LangLink, render, switch_links};
use crate::auth::{Ctx, StaffContext};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::state::AppState;

/// The navigation of every staff page, with its counts.
#[derive(Default)]
pub struct Nav {
    pub username: String,
    pub csrf: String,
    pub my_cases: usize,
    pub approvals: usize,
    pub new_requests: Option<u64>,
    pub awaiting: usize,
    /// Missed check-ins and overdue tasks on the person's open cases.
    pub alerts: usize,
    pub inbox: bool,
    pub admin: bool,
    pub auditor: bool,
    /// The analyst's pages (the dashboard, the total across organisations).
    pub analysis: bool,
    /// A partner liaison: their referrals page.
    pub liaison: bool,
    /// For an administrator: break-glass requests waiting and grants live.
    pub break_glass: usize,
    /// A liaison: referrals offered to their partner that nobody has answered.
    pub referrals_to_answer: usize,
    /// A coordinator: partners' answers and requesters' withdrawals of consent on their cases
    /// that no coordinator has seen yet.
    pub referral_news: usize,
}

fn may_read_inbox(roles: &[Role]) -> bool {
    roles
        .iter()
        .any(|r| matches!(r, Role::Administrator | Role::IntakeOperator))
}

/// The navigation for `ctx`. Counts that cannot be made are left at zero:
/// the navigation never stops a page from showing.
pub async fn nav(state: &AppState, ctx: &StaffContext) -> Nav {
    if ctx.is_decoy() {
        return decoy_nav(ctx);
    }
    match cases::home_counts(
        state.store.as_ref(),
        state.cases.as_ref(),
        &caller(ctx),
        state.clock.now(),
    )
    .await
    {
        Ok(counts) => nav_with(ctx, &counts),
        Err(_) => base_nav(ctx),
    }
}

fn base_nav(ctx: &StaffContext) -> Nav {
    let roles = &ctx.staff.roles;
    Nav {
        username: ctx.staff.username.to_string(),
        csrf: ctx.csrf(),
        inbox: may_read_inbox(roles),
        admin: roles.contains(&Role::Administrator),
        liaison: roles.contains(&Role::PartnerLiaison),
        auditor: roles
            .iter()
            .any(|r| matches!(r, Role::Administrator | Role::Auditor)),
        analysis: roles
            .iter()
            .any(|r| matches!(r, Role::Administrator | Role::Analyst)),
        ..Nav::default()
    }
}

/// A decoy workspace shows what an empty real one shows, counts included.
fn decoy_nav(ctx: &StaffContext) -> Nav {
    let nav = base_nav(ctx);
    Nav {
        new_requests: nav.inbox.then_some(0),
        ..nav
    }
}

fn nav_with(ctx: &StaffContext, counts: &cases::HomeCounts) -> Nav {
    Nav {
        my_cases: counts.my_cases,
        approvals: counts.approvals,
        new_requests: counts.new_requests,
        awaiting: counts.awaiting_reply,
        alerts: counts.alerts.missed_check_ins.len()
            + counts.alerts.overdue_tasks.len()
            + counts.alerts.reviews_due.len(),
        break_glass: counts.break_glass,
        referrals_to_answer: counts.referrals.to_answer,
        referral_news: counts.referrals.news.len(),
        ..base_nav(ctx)
    }
}

pub struct StageCount {
    pub code: String,
    pub label: String,
    pub count: usize,
}

pub struct WaitingLine {
    pub case: String,
    pub reference: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "staff_home.html")]
struct HomePage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: Nav,
    key_kinds: Vec<String>,
    stages: Vec<StageCount>,
    waiting: Vec<WaitingLine>,
    urgent: Option<usize>,
    frozen: usize,
    alerts: Vec<AlertLine>,
    referral_news: Vec<WaitingLine>,
}

/// A missed check-in or an overdue task on the home page.
pub struct AlertLine {
    pub case: String,
    pub reference: String,
    pub what: String,
    pub label: String,
    pub due: String,
    pub check_in: bool,
}

fn alert_lines(tr: &Tr, alerts: &cases::Alerts) -> Vec<AlertLine> {
    let line = |a: &cases::Alert, what: &str, hidden: &str| AlertLine {
        case: hex(&a.case_id),
        reference: a.reference.map(|r| r.to_string()).unwrap_or_default(),
        what: tr.t(what),
        label: a.label.clone().unwrap_or_else(|| tr.t(hidden)),
        due: super::cases::due_text(a.due_at),
        check_in: what == "home-missed-check-in",
    };
    alerts
        .missed_check_ins
        .iter()
        .map(|a| line(a, "home-missed-check-in", "home-alert-hidden"))
        .chain(
            alerts
                .overdue_tasks
                .iter()
                .map(|a| line(a, "home-overdue-task", "home-alert-hidden")),
        )
        .chain(
            alerts
                .reviews_due
                .iter()
                .map(|a| line(a, "home-review-due", "home-review-label")),
        )
        .collect()
}

/// Partners' answers and requesters' withdrawals the caller's cases' coordinators have not seen.
async fn news_lines(state: &AppState, tr: &Tr, counts: &cases::HomeCounts) -> Vec<WaitingLine> {
    if counts.referrals.news.is_empty() {
        return Vec::new();
    }
    let partners = mamar_usecases::partners::partners(state.store.as_ref())
        .await
        .unwrap_or_default();
    counts
        .referrals
        .news
        .iter()
        .map(|news| {
            let partner = partners
                .iter()
                .find(|p| p.id == news.partner_id)
                .map(|p| p.name(tr.locale).to_owned())
                .unwrap_or_default();
            WaitingLine {
                case: hex(&news.case_id),
                reference: counts
                    .cases
                    .iter()
                    .find(|c| c.id == news.case_id)
                    .and_then(|c| c.reference)
                    .map(|r| r.to_string())
                    .unwrap_or_default(),
                what: tr.t1(&format!("home-referral-{}", news.what), "partner", partner),
            }
        })
        .collect()
}

pub async fn home(State(state): State<AppState>, ctx: Ctx) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let key_kinds = ctx
        .session
        .keyring
        .org_keys()
        .iter()
        .map(|key| tr.t(&format!("key-kind-{}", key.kind().code())))
        .collect();
    let now = state.clock.now();
    let (counts, waiting, urgent) = if ctx.is_decoy() {
        let inbox = may_read_inbox(&ctx.staff.roles);
        let empty = cases::HomeCounts {
            new_requests: inbox.then_some(0),
            ..cases::HomeCounts::default()
        };
        (empty, Vec::new(), inbox.then_some(0))
    } else {
        let store = state.store.as_ref();
        let counts = cases::home_counts(store, state.cases.as_ref(), &caller(&ctx), now).await;
        let waiting = cases::waiting_approvals(store, &caller(&ctx), now).await;
        let urgent = cases::urgent_requests(store, &caller(&ctx)).await;
        match (counts, waiting, urgent) {
            (Ok(counts), Ok(waiting), Ok(urgent)) => (counts, waiting, urgent),
            (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
                return PageError::internal(locale, &error).into_response();
            }
        }
    };
    let stages = Stage::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| StageCount {
            code: s.code().to_owned(),
            label: tr.t(&format!("stage-{}", s.code())),
            count: counts.by_stage.get(s).copied().unwrap_or(0),
        })
        .collect();
    let waiting = waiting
        .iter()
        .map(|w| WaitingLine {
            case: hex(&w.case_id),
            reference: w.reference.map(|r| r.to_string()).unwrap_or_default(),
            what: match (w.kind.as_str(), w.value.as_deref()) {
                ("vetting", Some(v)) => format!(
                    "{}: {}",
                    tr.t("case-approval-vetting"),
                    tr.t(&format!("vetting-{v}"))
                ),
                ("close", Some(v)) => tr.t1("case-close-as", "outcome", tr.t(&format!("outcome-{v}"))),
                (kind, _) => tr.t(&format!("case-approval-{kind}")),
            },
        })
        .collect();
    let page = HomePage {
        switch: switch_links(locale, "/staff/"),
        nav: if ctx.is_decoy() {
            decoy_nav(&ctx)
        } else {
            nav_with(&ctx, &counts)
        },
        key_kinds,
        stages,
        waiting,
        urgent,
        frozen: counts.frozen,
        alerts: alert_lines(&tr, &counts.alerts),
        referral_news: news_lines(&state, &tr, &counts).await,
        tr,
    };
    render(&page, locale)
}
