//! The case pages: a person's case list (filters and search in the URL),
//! one case with the sections their duties may read and the actions their
//! duty allows, and opening a case from a request. Each handler parses,
//! calls one use case of `mamar_usecases`, and renders; every rule lives
//! there. After an action the page says what happened (`?done=`), or why
//! nothing did (`?problem=`).

use std::sync::OnceLock;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::StaffId;
use mamar_core::case::{ClosingOutcome, Duty, Stage, VettingDecision};
use mamar_core::questionnaire::Answers;
use mamar_usecases::{Caller, CaseConfig, CaseError, Section, cases};
use serde::Deserialize;

use super::inbox::{hex, unhex16};
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::intake_glue::FieldKind;
use crate::state::AppState;

/// The shipped case configuration (sections per duty, approval time, vetting checklist).
pub(crate) fn config() -> &'static CaseConfig {
    static CONFIG: OnceLock<CaseConfig> = OnceLock::new();
    CONFIG.get_or_init(CaseConfig::shipped)
}

/// One line of the case list.
pub struct CaseLine {
    pub id: String,
    pub reference: String,
    pub stage: String,
    pub frozen: bool,
    pub urgent: bool,
    pub governorate: String,
    pub name: String,
    pub team: String,
    pub days: i64,
    pub awaiting: bool,
}

#[derive(Template)]
#[template(path = "staff_cases.html")]
struct ListPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    lines: Vec<CaseLine>,
    stages: Vec<(String, String, bool)>,
    governorates: Vec<(String, String, bool)>,
    people: Vec<(String, String, bool)>,
    query: String,
    done: Option<String>,
    problem: Option<String>,
    total: usize,
    urgent_only: bool,
    mine_only: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    stage: Option<String>,
    q: Option<String>,
    urgent: Option<String>,
    mine: Option<String>,
    awaiting: Option<String>,
    governorate: Option<String>,
    assignee: Option<String>,
    done: Option<String>,
    problem: Option<String>,
}

pub(crate) fn caller(ctx: &crate::auth::StaffContext) -> Caller<'_> {
    Caller {
        staff: &ctx.staff,
        keyring: &ctx.session.keyring,
    }
}

async fn usernames(state: &AppState) -> Vec<(StaffId, String)> {
    state
        .store
        .all_staff()
        .await
        .map(|all| all.into_iter().map(|s| (s.id, s.username.to_string())).collect())
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

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let nav = super::staff::nav(&state, &ctx).await;
    let mut problem = flash(&tr, "case-problem", query.problem.as_deref());
    let done = flash(&tr, "case-done", query.done.as_deref());
    let items = if ctx.is_decoy() {
        Vec::new()
    } else {
        match cases::list_mine(state.store.as_ref(), config(), &caller(&ctx)).await {
            Ok(items) => items,
            Err(error) => return PageError::internal(locale, &error).into_response(),
        }
    };
    let search = query.q.as_deref().map(str::trim).unwrap_or("");
    let found = if search.is_empty() || ctx.is_decoy() {
        None
    } else {
        match cases::search(state.store.as_ref(), &caller(&ctx), search).await {
            Ok(found) => Some(found),
            Err(CaseError::MissingKey(_)) => {
                problem = Some(tr.t("cases-search-needs-key"));
                Some(Vec::new())
            }
            Err(error) => return PageError::internal(locale, &error).into_response(),
        }
    };
    let stage: Option<Stage> = query.stage.as_deref().and_then(|s| s.parse().ok());
    let names = usernames(&state).await;
    let today = mamar_usecases::day_of(state.clock.now());
    let lines: Vec<CaseLine> = items
        .iter()
        .filter(|c| stage.is_none_or(|s| c.stage == s))
        .filter(|c| query.urgent.is_none() || c.urgency.as_deref() == Some("immediate"))
        .filter(|c| query.mine.is_none() || c.mine_to_lead)
        .filter(|c| query.awaiting.is_none() || c.awaiting_reply)
        .filter(|c| {
            query
                .governorate
                .as_deref()
                .filter(|g| !g.is_empty())
                .is_none_or(|g| c.governorate.as_deref() == Some(g))
        })
        .filter(|c| {
            let wanted = query
                .assignee
                .as_deref()
                .and_then(unhex16)
                .map(StaffId::from_bytes);
            wanted.is_none_or(|who| c.team.iter().any(|(s, _)| *s == who))
        })
        .filter(|c| found.as_ref().is_none_or(|f| f.contains(&c.id)))
        .map(|c| CaseLine {
            id: hex(&c.id),
            reference: c.reference.map(|r| r.to_string()).unwrap_or_default(),
            stage: tr.t(&format!("stage-{}", c.stage.code())),
            frozen: c.frozen,
            urgent: c.urgency.as_deref() == Some("immediate"),
            governorate: option_label(&state, "governorate", c.governorate.as_deref(), locale),
            name: c.name.clone().unwrap_or_default(),
            team: c
                .team
                .iter()
                .map(|(s, d)| {
                    format!(
                        "{} ({})",
                        name_of(&names, *s),
                        tr.t(&format!("duty-{}", d.code()))
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            days: (today - c.active_day).max(0),
            awaiting: c.awaiting_reply,
        })
        .collect();
    let stages = Stage::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_owned(),
                tr.t(&format!("stage-{}", s.code())),
                stage == Some(*s),
            )
        })
        .collect();
    let chosen_place = query.governorate.clone().unwrap_or_default();
    let governorates = state
        .questionnaire
        .field("governorate")
        .map(|field| {
            field
                .kind()
                .options()
                .iter()
                .map(|o| {
                    (
                        o.value().to_owned(),
                        o.label(locale).to_owned(),
                        o.value() == chosen_place,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let chosen_person = query.assignee.clone().unwrap_or_default();
    let people = names
        .iter()
        .filter(|(id, _)| items.iter().any(|c| c.team.iter().any(|(s, _)| s == id)))
        .map(|(id, name)| {
            let id = hex(id.as_bytes());
            let chosen = id == chosen_person;
            (id, name.clone(), chosen)
        })
        .collect();
    render(
        &ListPage {
            switch: switch_links(locale, "/staff/cases"),
            nav,
            total: lines.len(),
            lines,
            stages,
            governorates,
            people,
            query: search.to_owned(),
            done,
            problem,
            urgent_only: query.urgent.is_some(),
            mine_only: query.mine.is_some(),
            tr,
        },
        locale,
    )
}

pub struct Line {
    pub who: String,
    pub when: String,
    pub text: String,
    pub mine: bool,
    pub signed: bool,
}

pub struct PendingLine {
    pub id: String,
    pub what: String,
    pub reason: String,
    pub by: String,
    pub can_decide: bool,
}

#[derive(Template)]
#[template(path = "staff_case.html")]
struct CasePage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    csrf: String,
    id: String,
    reference: String,
    stage: String,
    frozen: bool,
    closed: bool,
    next_step: String,
    duties: String,
    done: Option<String>,
    problem: Option<String>,
    answers: Vec<(String, String)>,
    identity: Vec<(String, String)>,
    show_answers: bool,
    show_identity: bool,
    show_vetting: bool,
    show_notes: bool,
    show_messages: bool,
    findings: Vec<Line>,
    notes: Vec<Line>,
    messages: Vec<Line>,
    timeline: Vec<Line>,
    pending: Vec<PendingLine>,
    team: Vec<(String, String, String)>,
    candidates: Vec<(String, String)>,
    duty_options: Vec<(String, String)>,
    checklist: Vec<(String, String)>,
    vetting_options: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    leads: bool,
    vets: bool,
    can_message: bool,
    can_advance: bool,
}

#[derive(Deserialize, Default)]
pub struct Flash {
    done: Option<String>,
    problem: Option<String>,
}

fn flash(tr: &Tr, prefix: &str, code: Option<&str>) -> Option<String> {
    let code = code?;
    code.bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-')
        .then(|| tr.t(&format!("{prefix}-{code}")))
}

fn time_text(tr: &Tr, at: i64) -> String {
    if at <= 0 {
        return tr.t("case-before-case");
    }
    let day = mamar_usecases::day_of(at);
    let month = mamar_usecases::month_of(at);
    let day_of_month = day - mamar_usecases::day_of(crate::pages::cases::month_start(at));
    format!("{month}-{:02}", day_of_month + 1)
}

/// Unix seconds of the first day of `at`'s month.
pub(crate) fn month_start(at: i64) -> i64 {
    let mut start = at - at.rem_euclid(86_400);
    let month = mamar_usecases::month_of(at);
    while mamar_usecases::month_of(start - 86_400) == month {
        start -= 86_400;
    }
    start
}

fn event_text(tr: &Tr, names: &[(StaffId, String)], event: &cases::TimelineEntry) -> String {
    let who = |hex_id: &Option<String>| {
        hex_id
            .as_deref()
            .and_then(unhex16)
            .map(|b| name_of(names, StaffId::from_bytes(b)))
            .unwrap_or_default()
    };
    let detail = event.detail.clone().unwrap_or_default();
    let detail_text = detail_label(tr, &detail);
    tr.t2(
        &format!("case-event-{}", event.what),
        ("subject", who(&event.subject).into()),
        ("detail", detail_text.into()),
    )
}

/// "vetting:cleared" → "Vetting decision: cleared", and so on, in the reader's language.
fn detail_label(tr: &Tr, detail: &str) -> String {
    match detail.split_once(':') {
        Some(("vetting", value)) => tr.t(&format!("vetting-{value}")),
        Some(("close", value)) => tr.t1("case-close-as", "outcome", tr.t(&format!("outcome-{value}"))),
        None if detail.is_empty() => String::new(),
        None => match detail {
            "reopen" => tr.t("case-approval-reopen"),
            "unfreeze" => tr.t("case-approval-unfreeze"),
            "request" | "hotline" => tr.t(&format!("source-{detail}")),
            stage_or_duty => {
                if stage_or_duty.parse::<Stage>().is_ok() {
                    tr.t(&format!("stage-{stage_or_duty}"))
                } else {
                    tr.t(&format!("duty-{stage_or_duty}"))
                }
            }
        },
        _ => String::new(),
    }
}

fn next_step(tr: &Tr, view: &cases::CaseView) -> String {
    let key = if view.state.frozen {
        "case-next-frozen"
    } else {
        match view.state.stage {
            Stage::New => "case-next-new",
            Stage::Triage => "case-next-triage",
            Stage::Vetting => "case-next-vetting",
            Stage::Planning => "case-next-planning",
            Stage::InTransit => "case-next-in-transit",
            Stage::Arrived => "case-next-arrived",
            Stage::FollowUp => "case-next-follow-up",
            Stage::Closed => "case-next-closed",
        }
    };
    tr.t(key)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Query(flash_query): Query<Flash>,
) -> Response {
    let locale = ctx.locale;
    let Some(case) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(locale, Failure::NotFound).into_response();
    }
    let now = state.clock.now();
    let view = match cases::view(state.store.as_ref(), config(), &caller(&ctx), &case, now).await {
        Ok(view) => view,
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let tr = Tr::new(locale);
    let names = usernames(&state).await;
    let me = ctx.staff.id;
    let line = |author: Option<&str>, at: i64, text: &str, signed: bool| Line {
        who: author
            .and_then(unhex16)
            .map(|b| name_of(&names, StaffId::from_bytes(b)))
            .unwrap_or_else(|| tr.t("case-the-requester")),
        when: time_text(&tr, at),
        text: text.to_owned(),
        mine: author.is_some(),
        signed,
    };
    let answers = view
        .answers
        .as_ref()
        .map(|a: &Answers| {
            a.display(&state.questionnaire, locale)
                .into_iter()
                .map(|d| (d.label, d.values.join("، ")))
                .collect()
        })
        .unwrap_or_default();
    let identity = view
        .identity
        .as_ref()
        .map(|i| {
            vec![
                (tr.t("case-identity-name"), i.name.clone()),
                (
                    tr.t("case-identity-birth-year"),
                    i.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                ),
                (tr.t("case-identity-phone"), i.phone.clone()),
            ]
        })
        .unwrap_or_default();
    let leads = view.state.owner == Some(me)
        || view
            .my_duties
            .iter()
            .any(|d| matches!(d, Duty::Intake | Duty::Coordinator));
    let staff = state.store.all_staff().await.unwrap_or_default();
    let members = view.state.members();
    let candidates = staff
        .iter()
        .filter(|s| !s.disabled && !members.contains(&s.id))
        .map(|s| (hex(s.id.as_bytes()), s.username.to_string()))
        .collect();
    let team = view
        .state
        .team
        .iter()
        .map(|a| {
            let owner = if view.state.owner == Some(a.staff) {
                format!(" · {}", tr.t("case-owner"))
            } else {
                String::new()
            };
            (
                hex(a.staff.as_bytes()),
                name_of(&names, a.staff),
                format!("{}{owner}", tr.t(&format!("duty-{}", a.duty.code()))),
            )
        })
        .collect();
    let pending = view
        .pending
        .iter()
        .map(|p| PendingLine {
            id: hex(&p.id),
            what: match (p.kind.as_str(), p.value.as_deref()) {
                ("vetting", Some(v)) => format!(
                    "{}: {}",
                    tr.t("case-approval-vetting"),
                    tr.t(&format!("vetting-{v}"))
                ),
                ("close", Some(v)) => tr.t1("case-close-as", "outcome", tr.t(&format!("outcome-{v}"))),
                (kind, _) => tr.t(&format!("case-approval-{kind}")),
            },
            reason: p.reason.clone(),
            by: name_of(&names, p.requested_by),
            can_decide: p.can_decide,
        })
        .collect();
    let closed = view.state.stage == Stage::Closed;
    let page = CasePage {
        switch: switch_links(locale, &format!("/staff/cases/{id}")),
        nav: super::staff::nav(&state, &ctx).await,
        csrf: ctx.csrf(),
        reference: view.reference.map(|r| r.to_string()).unwrap_or_default(),
        stage: tr.t(&format!("stage-{}", view.state.stage.code())),
        frozen: view.state.frozen,
        closed,
        next_step: next_step(&tr, &view),
        duties: view
            .my_duties
            .iter()
            .map(|d| tr.t(&format!("duty-{}", d.code())))
            .collect::<Vec<_>>()
            .join(", "),
        done: flash(&tr, "case-done", flash_query.done.as_deref()),
        problem: flash(&tr, "case-problem", flash_query.problem.as_deref()),
        show_answers: view.sections.contains(&Section::Answers),
        show_identity: view.sections.contains(&Section::Identity),
        show_vetting: view.sections.contains(&Section::Vetting),
        show_notes: view.sections.contains(&Section::Notes),
        show_messages: view.sections.contains(&Section::Messages),
        answers,
        identity,
        findings: view
            .findings
            .iter()
            .map(|n| {
                let item = n
                    .item
                    .as_deref()
                    .and_then(|i| config().checklist.iter().find(|c| c.id == i))
                    .map(|c| format!("{} — ", c.label(locale)))
                    .unwrap_or_default();
                line(Some(&n.author), n.at, &format!("{item}{}", n.text), false)
            })
            .collect(),
        notes: view
            .notes
            .iter()
            .map(|n| line(Some(&n.author), n.at, &n.text, false))
            .collect(),
        messages: view
            .messages
            .iter()
            .map(|m| {
                let mut l = line(m.author.as_deref(), m.at, &m.text, m.signed);
                if !m.from_requester && m.author.is_none() {
                    l.who = tr.t("inbox-from-staff");
                    l.mine = true;
                }
                l
            })
            .collect(),
        timeline: view
            .timeline
            .iter()
            .map(|e| Line {
                who: String::new(),
                when: time_text(&tr, e.at),
                text: format!(
                    "{} — {}",
                    e.actor
                        .as_deref()
                        .and_then(unhex16)
                        .map(|b| name_of(&names, StaffId::from_bytes(b)))
                        .unwrap_or_default(),
                    event_text(&tr, &names, e)
                ),
                mine: false,
                signed: false,
            })
            .collect(),
        pending,
        team,
        candidates,
        duty_options: Duty::ALL
            .iter()
            .map(|d| (d.code().to_owned(), tr.t(&format!("duty-{}", d.code()))))
            .collect(),
        checklist: config()
            .checklist
            .iter()
            .map(|c| (c.id.clone(), c.label(locale).to_owned()))
            .collect(),
        vetting_options: VettingDecision::ALL
            .iter()
            .map(|d| (d.code().to_owned(), tr.t(&format!("vetting-{}", d.code()))))
            .collect(),
        outcomes: ClosingOutcome::ALL
            .iter()
            .map(|o| (o.code().to_owned(), tr.t(&format!("outcome-{}", o.code()))))
            .collect(),
        leads,
        vets: view.my_duties.contains(&Duty::Vetting),
        can_message: view.has_requester && cases::can_sign(&caller(&ctx)),
        can_advance: view.state.stage.plain_next().is_some(),
        id,
        tr,
    };
    render(&page, locale)
}

/// The code a refusal is shown with (`case-problem-<code>` in the translation files).
fn problem_code(error: &CaseError) -> Option<&'static str> {
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
        },
        CaseError::MissingKey(_) => "missing-key",
        CaseError::NoSuchStaff => "no-such-staff",
        CaseError::BadText => "bad-text",
        CaseError::BadYear => "bad-year",
        CaseError::Conflict => "conflict",
        CaseError::RequestNotFound => "no-request",
        CaseError::AlreadyOpened => "already-opened",
        _ => return None,
    })
}

fn back_to(locale: mamar_core::Locale, id: &str, outcome: Result<&'static str, &CaseError>) -> Response {
    let query = match outcome {
        Ok(done) => format!("done={done}"),
        Err(error) => match problem_code(error) {
            Some(code) => format!("problem={code}"),
            None => return PageError::internal(locale, error).into_response(),
        },
    };
    Redirect::to(&format!("/{}/staff/cases/{id}?{query}", locale.code())).into_response()
}

/// Every action on a case, named by the form's `action` field.
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
    match state.store.case_grant(&case, ctx.staff.id).await {
        Ok(Some(_)) => {}
        Ok(None) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    }
    let pairs = super::public::form_pairs(&body).unwrap_or_default();
    let get = |name: &str| field(&pairs, name);
    let store = state.store.as_ref();
    let who = caller(&ctx);
    let now = state.clock.now();
    let staff_field = || unhex16(get("staff")).map(StaffId::from_bytes);
    let outcome: Result<&'static str, CaseError> = match get("action") {
        "advance" => cases::advance(store, &who, &case, now).await.map(|_| "advanced"),
        "note" => cases::add_note(store, config(), &who, &case, get("text"), None, now)
            .await
            .map(|_| "note"),
        "finding" => {
            let item = Some(get("item")).filter(|i| !i.is_empty());
            cases::add_note(store, config(), &who, &case, get("text"), item, now)
                .await
                .map(|_| "finding")
        }
        "assign" => match (staff_field(), get("duty").parse::<Duty>()) {
            (Some(staff), Ok(duty)) => cases::assign(store, &who, &case, staff, duty, now)
                .await
                .map(|_| "assigned"),
            _ => Err(CaseError::NoSuchStaff),
        },
        "unassign" => match staff_field() {
            Some(staff) => cases::unassign(store, &who, &case, staff, now)
                .await
                .map(|_| "unassigned"),
            None => Err(CaseError::NoSuchStaff),
        },
        "vetting" => match get("decision").parse::<VettingDecision>() {
            Ok(decision) => cases::propose_vetting(store, config(), &who, &case, decision, get("text"), now)
                .await
                .map(|effect| match effect {
                    mamar_core::case::Effect::ApprovalRequested { froze: true, .. } => "frozen",
                    _ => "sent-for-approval",
                }),
            Err(_) => Err(CaseError::BadText),
        },
        "close" => match get("outcome").parse::<ClosingOutcome>() {
            Ok(outcome) => cases::request_close(store, config(), &who, &case, outcome, get("text"), now)
                .await
                .map(|_| "sent-for-approval"),
            Err(_) => Err(CaseError::BadText),
        },
        "reopen" => cases::request_reopen(store, config(), &who, &case, get("text"), now)
            .await
            .map(|_| "sent-for-approval"),
        "decide" => match unhex16(get("approval")) {
            Some(approval) => {
                let grant = get("grant") == "yes";
                cases::decide(store, &who, &case, approval, grant, now)
                    .await
                    .map(|_| if grant { "granted" } else { "refused" })
            }
            None => Err(CaseError::Rule(mamar_core::case::CaseRuleError::NoSuchApproval)),
        },
        "message" => cases::message_requester(store, config(), &who, &case, get("text"), now)
            .await
            .map(|_| "message-sent"),
        _ => return PageError::new(locale, Failure::BadRequest).into_response(),
    };
    match outcome {
        Err(CaseError::NotFound) => PageError::new(locale, Failure::NotFound).into_response(),
        // An unassigned person's view of the case is "not found"; the case page is not theirs to see.
        other => back_to(locale, &id, other.as_ref().map(|s| *s)),
    }
}

/// An administrator asks for a frozen case to be unfrozen (by its reference
/// number: they are not on the case and cannot read it).
pub async fn unfreeze(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    if ctx.is_decoy() {
        return Redirect::to(&format!("/{}/staff/cases", locale.code())).into_response();
    }
    let pairs = super::public::form_pairs(&body).unwrap_or_default();
    let reference = pairs
        .iter()
        .find(|(k, _)| k == "reference")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let Ok(reference) = mamar_core::case::CaseReference::parse(reference) else {
        return Redirect::to(&format!("/{}/staff/cases?problem=no-case", locale.code())).into_response();
    };
    let case = match state.store.case_by_reference(&reference.stored()).await {
        Ok(Some(case)) => case,
        Ok(None) => {
            return Redirect::to(&format!("/{}/staff/cases?problem=no-case", locale.code())).into_response();
        }
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let done = cases::request_unfreeze(
        state.store.as_ref(),
        config(),
        &caller(&ctx),
        &case,
        state.clock.now(),
    )
    .await;
    let query = match &done {
        Ok(_) => "done=unfreeze-asked".to_owned(),
        Err(error) => match problem_code(error) {
            Some(code) => format!("problem={code}"),
            None => return PageError::internal(locale, error).into_response(),
        },
    };
    Redirect::to(&format!("/{}/staff/cases?{query}", locale.code())).into_response()
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

/// An intake-key holder opens a case from a request.
pub async fn open_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let locale = ctx.locale;
    let Some(request) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return Redirect::to(&format!("/{}/staff/inbox", locale.code())).into_response();
    }
    let pairs = super::public::form_pairs(&body).unwrap_or_default();
    let identity = match identity_from(&pairs) {
        Ok(identity) => identity,
        Err(_) => {
            return Redirect::to(&format!("/{}/staff/inbox?problem=bad-year", locale.code())).into_response();
        }
    };
    let opened = cases::open_from_request(
        state.store.as_ref(),
        &state.questionnaire,
        &caller(&ctx),
        &request,
        Some(identity),
        state.clock.now(),
    )
    .await;
    match opened {
        Ok(opened) => {
            let done = if opened.possible_duplicates > 0 {
                "opened-duplicates"
            } else {
                "opened"
            };
            Redirect::to(&format!(
                "/{}/staff/cases/{}?done={done}",
                locale.code(),
                hex(&opened.id)
            ))
            .into_response()
        }
        Err(CaseError::RequestNotFound) => PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => match problem_code(&error) {
            Some(code) => {
                Redirect::to(&format!("/{}/staff/inbox?problem={code}", locale.code())).into_response()
            }
            None => PageError::internal(locale, &error).into_response(),
        },
    }
}

#[derive(Template)]
#[template(path = "staff_call.html")]
struct CallPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    fields: Vec<crate::intake_glue::FieldView>,
    errors_summary: String,
    name: String,
    birth_year: String,
    phone: String,
}

fn call_page(
    state: &AppState,
    locale: mamar_core::Locale,
    nav: super::staff::Nav,
    sent: &[(String, String)],
    problems: &std::collections::HashMap<String, mamar_core::questionnaire::FieldProblem>,
    extra_problem: Option<String>,
) -> Response {
    let tr = Tr::new(locale);
    let get = |name: &str| {
        sent.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut errors_summary = if problems.is_empty() {
        String::new()
    } else {
        tr.t1("contact-errors", "count", problems.len())
    };
    if let Some(extra) = extra_problem {
        errors_summary = extra;
    }
    let page = CallPage {
        switch: switch_links(locale, "/staff/cases/new"),
        nav,
        fields: crate::intake_glue::form(&state.questionnaire, locale, sent, problems),
        errors_summary,
        name: get("person_name"),
        birth_year: get("person_birth_year"),
        phone: get("person_phone"),
        tr,
    };
    let mut response = render(&page, locale);
    if !problems.is_empty() {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// An operator takes down a phone call to a hotline through the questionnaire.
pub async fn call_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let nav = super::staff::nav(&state, &ctx).await;
    call_page(
        &state,
        ctx.locale,
        nav,
        &[],
        &std::collections::HashMap::new(),
        None,
    )
}

/// Opens a case from a call: the same validation as the public form; a
/// form with problems comes back with everything that was entered.
pub async fn call_submit(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let nav = super::staff::nav(&state, &ctx).await;
    let Some(pairs) = super::public::form_pairs(&body) else {
        let problem = Some(tr.t("contact-bad-encoding"));
        return call_page(
            &state,
            locale,
            nav,
            &[],
            &std::collections::HashMap::new(),
            problem,
        );
    };
    if ctx.is_decoy() {
        return Redirect::to(&format!("/{}/staff/cases", locale.code())).into_response();
    }
    let answers: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "csrf" && !k.starts_with("person_"))
        .cloned()
        .collect();
    let answers = match state.questionnaire.validate(&answers) {
        Ok(answers) => answers,
        Err(errors) => {
            let problems = errors.into_iter().map(|e| (e.field, e.problem)).collect();
            return call_page(&state, locale, nav, &pairs, &problems, None);
        }
    };
    let identity = match identity_from(&pairs) {
        Ok(identity) => identity,
        Err(_) => {
            let problem = Some(tr.t("case-problem-bad-year"));
            let no_problems = std::collections::HashMap::new();
            return call_page(&state, locale, nav, &pairs, &no_problems, problem);
        }
    };
    let opened = cases::open_from_call(
        state.store.as_ref(),
        &state.questionnaire,
        &caller(&ctx),
        &answers,
        Some(identity),
        state.clock.now(),
    )
    .await;
    match opened {
        Ok(opened) => {
            let done = if opened.possible_duplicates > 0 {
                "opened-duplicates"
            } else {
                "opened-call"
            };
            Redirect::to(&format!(
                "/{}/staff/cases/{}?done={done}",
                locale.code(),
                hex(&opened.id)
            ))
            .into_response()
        }
        Err(error) => match problem_code(&error) {
            Some(code) => {
                let problem = Some(tr.t(&format!("case-problem-{code}")));
                call_page(
                    &state,
                    locale,
                    nav,
                    &pairs,
                    &std::collections::HashMap::new(),
                    problem,
                )
            }
            None => PageError::internal(locale, &error).into_response(),
        },
    }
}
