//! One case: the sections the reader's duties may read, the actions their duty allows, and
//! every action on it.

use super::*;

pub struct Line {
    pub who: String,
    pub when: String,
    pub text: String,
    pub mine: bool,
    pub signed: bool,
}

pub struct FileLine {
    pub id: String,
    pub name: String,
    pub size: String,
    pub who: String,
    pub when: String,
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
    nav: crate::pages::staff::Nav,
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
    show_attachments: bool,
    attachments: Vec<FileLine>,
    max_megabytes: String,
    duplicates: Vec<(String, String)>,
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
    plan: super::plan::PlanSection,
    reception: super::plan::ReceptionSection,
    partners: super::partners::PartnersSection,
    stage_code: &'static str,
    /// The reader is on the case only by break-glass: they read and change nothing.
    read_only: bool,
    /// The caller may download a granted export now (until this day).
    export_until: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Flash {
    done: Option<String>,
    problem: Option<String>,
}

fn time_text(tr: &Tr, at: i64) -> String {
    if at <= 0 {
        return tr.t("case-before-case");
    }
    let day = mamar_usecases::day_of(at);
    let month = mamar_usecases::month_of(at);
    let day_of_month = day - mamar_usecases::day_of(month_start(at));
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
    // A file's name (and a partner's, resolved by the page) is shown as it is; other details
    // are codes to translate.
    let detail_text = if event.what == "attached" || event.what == "consent-withdrawn" {
        detail
    } else {
        detail_label(tr, &detail)
    };
    // A file whose name this reader's duty may not see.
    let key = if event.what == "attached" && event.detail.is_none() {
        "case-event-attached-unnamed".to_owned()
    } else {
        format!("case-event-{}", event.what)
    };
    tr.t2(
        &key,
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
            "release-plan" => tr.t("case-approval-release-plan"),
            "unfreeze" => tr.t("case-approval-unfreeze"),
            "delete" => tr.t("case-approval-delete"),
            "export" => tr.t("case-approval-export"),
            "request" | "hotline" | "partner" => tr.t(&format!("source-{detail}")),
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

/// "340 KB", "2.5 MB": in the reader's language.
fn size_text(tr: &Tr, bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        tr.t1("size-kb", "n", bytes.div_ceil(1024).to_string())
    } else {
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        tr.t1("size-mb", "n", format!("{}.{}", tenths / 10, tenths % 10))
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
    let cases::CasePage {
        view,
        staff,
        partners: all,
        export,
    } = match cases::case_page(
        state.store.as_ref(),
        state.cases.as_ref(),
        &caller(&ctx),
        &case,
        now,
    )
    .await
    {
        Ok(page) => page,
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let tr = Tr::new(locale);
    let names: Vec<(StaffId, String)> = staff.iter().map(|s| (s.id, s.username.to_string())).collect();
    let me = ctx.staff.id;
    // The requester's withdrawals of consent name the partner by its id: shown by its name.
    let mut view = view;
    for event in view.timeline.iter_mut().filter(|e| e.what == "consent-withdrawn") {
        event.detail = event
            .detail
            .as_deref()
            .and_then(unhex16)
            .and_then(|id| all.iter().find(|p| p.id == id))
            .map(|p| p.name(locale).to_owned());
    }
    let export_until = export.map(|offer| super::due_text(offer.expires_at));
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
        nav: crate::pages::staff::nav(&state, &ctx).await,
        csrf: ctx.csrf(),
        reference: view.reference.map(|r| r.to_string()).unwrap_or_default(),
        stage: tr.t(&format!("stage-{}", view.state.stage.code())),
        stage_code: view.state.stage.code(),
        frozen: view.state.frozen,
        closed,
        next_step: next_step(&tr, &view),
        duties: view
            .my_duties
            .iter()
            .map(|d| tr.t(&format!("duty-{}", d.code())))
            .collect::<Vec<_>>()
            .join(&tr.t("list-separator")),
        done: flash(&tr, "case-done", flash_query.done.as_deref()),
        problem: flash(&tr, "case-problem", flash_query.problem.as_deref()),
        show_answers: view.sections.contains(&Section::Answers),
        show_identity: view.sections.contains(&Section::Identity),
        show_vetting: view.sections.contains(&Section::Vetting),
        show_notes: view.sections.contains(&Section::Notes),
        show_messages: view.sections.contains(&Section::Messages),
        show_attachments: view.sections.contains(&Section::Attachments),
        attachments: view
            .attachments
            .iter()
            .map(|f| FileLine {
                id: hex(&f.id),
                name: f.name.clone(),
                size: size_text(&tr, f.bytes),
                who: unhex16(&f.added_by)
                    .map(|b| name_of(&names, StaffId::from_bytes(b)))
                    .unwrap_or_default(),
                when: time_text(&tr, f.at),
            })
            .collect(),
        max_megabytes: (state.cases.attachment_max_bytes >> 20).to_string(),
        duplicates: view
            .duplicates
            .iter()
            .map(|(reference, reason)| {
                let why = match reason {
                    cases::MatchReason::Phone => tr.t("case-duplicate-phone"),
                    cases::MatchReason::NameAndYear => tr.t("case-duplicate-name"),
                    cases::MatchReason::Similar(score) => {
                        tr.t1("case-duplicate-similar", "percent", score.to_string())
                    }
                };
                (reference.to_string(), why)
            })
            .collect(),
        answers,
        identity,
        findings: view
            .findings
            .iter()
            .map(|n| {
                let item = n
                    .item
                    .as_deref()
                    .and_then(|i| state.cases.as_ref().checklist.iter().find(|c| c.id == i))
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
        checklist: state
            .cases
            .as_ref()
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
        plan: super::plan::section(&state, &ctx, &tr, &case).await,
        reception: super::plan::reception(
            &state,
            &ctx,
            &tr,
            &case,
            mamar_core::case::plan::may_receive(&view.my_duties),
        )
        .await,
        partners: super::partners::section(&state, &ctx, &tr, &case, &view.my_duties).await,
        read_only: view.my_duties.iter().all(|d| *d == Duty::BreakGlass),
        export_until,
        id,
        tr,
    };
    render(&page, locale)
}

pub(super) fn back_to(
    locale: mamar_core::Locale,
    id: &str,
    outcome: Result<&'static str, &CaseError>,
) -> Response {
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
    match cases::ensure_on_case(state.store.as_ref(), &caller(&ctx), &case).await {
        Ok(()) => {}
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    }
    let pairs = crate::pages::public::form_pairs(&body).unwrap_or_default();
    if let Some(outcome) = super::plan::act(&state, &ctx, &case, &pairs).await {
        return match outcome {
            Err(CaseError::NotFound) => PageError::new(locale, Failure::NotFound).into_response(),
            other => back_to(locale, &id, other.as_ref().map(|s| *s)),
        };
    }
    let get = |name: &str| field(&pairs, name);
    let store = state.store.as_ref();
    let who = caller(&ctx);
    let now = state.clock.now();
    let staff_field = || unhex16(get("staff")).map(StaffId::from_bytes);
    let outcome: Result<&'static str, CaseError> = match get("action") {
        "advance" => cases::advance(store, &who, &case, now).await.map(|_| "advanced"),
        "note" => cases::add_note(store, state.cases.as_ref(), &who, &case, get("text"), None, now)
            .await
            .map(|_| "note"),
        "finding" => {
            let item = Some(get("item")).filter(|i| !i.is_empty());
            cases::add_note(store, state.cases.as_ref(), &who, &case, get("text"), item, now)
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
            Ok(decision) => cases::propose_vetting(
                store,
                state.cases.as_ref(),
                &who,
                &case,
                decision,
                get("text"),
                now,
            )
            .await
            .map(|effect| match effect {
                mamar_core::case::Effect::ApprovalRequested { froze: true, .. } => "frozen",
                _ => "sent-for-approval",
            }),
            Err(_) => Err(CaseError::BadText),
        },
        "close" => match get("outcome").parse::<ClosingOutcome>() {
            Ok(outcome) => cases::request_close(
                store,
                state.cases.as_ref(),
                &who,
                &case,
                outcome,
                get("text"),
                now,
            )
            .await
            .map(|_| "sent-for-approval"),
            Err(_) => Err(CaseError::BadText),
        },
        "reopen" => cases::request_reopen(store, state.cases.as_ref(), &who, &case, get("text"), now)
            .await
            .map(|_| "sent-for-approval"),
        // The page asks for a tick that the person understands; the rule (a reason, a second
        // person who did not ask) is the use case's.
        "delete" if get("confirm") != "yes" => Err(CaseError::BadText),
        "delete" => cases::request_delete(store, state.cases.as_ref(), &who, &case, get("text"), now)
            .await
            .map(|_| "sent-for-approval"),
        "export" => cases::request_export(store, state.cases.as_ref(), &who, &case, get("text"), now)
            .await
            .map(|_| "sent-for-approval"),
        "decide" => match unhex16(get("approval")) {
            Some(approval) => {
                let grant = get("grant") == "yes";
                match cases::decide(store, &who, &case, approval, grant, now).await {
                    // The case is gone: say so on the case list.
                    Ok(mamar_core::case::Effect::Granted {
                        kind: mamar_core::case::ApprovalKind::Delete,
                    }) => {
                        return Redirect::to(&format!("/{}/staff/cases?done=deleted", locale.code()))
                            .into_response();
                    }
                    outcome => outcome.map(|_| if grant { "granted" } else { "refused" }),
                }
            }
            None => Err(CaseError::Rule(mamar_core::case::CaseRuleError::NoSuchApproval)),
        },
        "message" => cases::message_requester(store, state.cases.as_ref(), &who, &case, get("text"), now)
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
