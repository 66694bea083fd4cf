//! The case list: filters and search in the URL; an administrator's request to unfreeze.

use super::*;

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
    nav: crate::pages::staff::Nav,
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

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let nav = crate::pages::staff::nav(&state, &ctx).await;
    let mut problem = flash(&tr, "case-problem", query.problem.as_deref());
    let done = flash(&tr, "case-done", query.done.as_deref());
    let items = if ctx.is_decoy() {
        Vec::new()
    } else {
        match cases::list_mine(state.store.as_ref(), state.cases.as_ref(), &caller(&ctx)).await {
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
    let names = usernames(&state, &ctx).await;
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
                .join(&tr.t("list-separator")),
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

/// An administrator asks for a frozen case to be unfrozen (by its reference
/// number: they are not on the case and cannot read it).
pub async fn unfreeze(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    if ctx.is_decoy() {
        return Redirect::to(&format!("/{}/staff/cases", locale.code())).into_response();
    }
    let pairs = crate::pages::public::form_pairs(&body).unwrap_or_default();
    let reference = pairs
        .iter()
        .find(|(k, _)| k == "reference")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let Ok(reference) = mamar_core::case::CaseReference::parse(reference) else {
        return Redirect::to(&format!("/{}/staff/cases?problem=no-case", locale.code())).into_response();
    };
    let done = cases::request_unfreeze_for_reference(
        state.store.as_ref(),
        state.cases.as_ref(),
        &caller(&ctx),
        &reference,
        state.clock.now(),
    )
    .await;
    if let Err(CaseError::NotFound) = done {
        return Redirect::to(&format!("/{}/staff/cases?problem=no-case", locale.code())).into_response();
    }
    let query = match &done {
        Ok(_) => "done=unfreeze-asked".to_owned(),
        Err(error) => match problem_code(error) {
            Some(code) => format!("problem={code}"),
            None => return PageError::internal(locale, error).into_response(),
        },
    };
    Redirect::to(&format!("/{}/staff/cases?{query}", locale.code())).into_response()
}
