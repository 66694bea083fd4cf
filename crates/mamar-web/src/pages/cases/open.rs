//! Opening a case: from a request in the inbox, or from a call taken down through the
//! questionnaire.

use super::*;

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
    let pairs = crate::pages::public::form_pairs(&body).unwrap_or_default();
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
        Ok(opened) => to_new_case(locale, &opened, "opened"),
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
    nav: crate::pages::staff::Nav,
    fields: Vec<crate::intake_glue::FieldView>,
    errors_summary: String,
    name: String,
    birth_year: String,
    phone: String,
    /// The hotline numbers of the organisation's signed contact card: the lines this page is for.
    hotlines: Vec<String>,
}

async fn call_page(
    state: &AppState,
    locale: mamar_core::Locale,
    nav: crate::pages::staff::Nav,
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
        hotlines: crate::pages::closed::card(state)
            .await
            .map(|c| c.hotlines)
            .unwrap_or_default(),
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
    let nav = crate::pages::staff::nav(&state, &ctx).await;
    call_page(
        &state,
        ctx.locale,
        nav,
        &[],
        &std::collections::HashMap::new(),
        None,
    )
    .await
}

/// Opens a case from a call: the same validation as the public form; a
/// form with problems comes back with everything that was entered.
pub async fn call_submit(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    let tr = Tr::new(locale);
    let nav = crate::pages::staff::nav(&state, &ctx).await;
    let Some(pairs) = crate::pages::public::form_pairs(&body) else {
        let problem = Some(tr.t("contact-bad-encoding"));
        return call_page(
            &state,
            locale,
            nav,
            &[],
            &std::collections::HashMap::new(),
            problem,
        )
        .await;
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
            return call_page(&state, locale, nav, &pairs, &problems, None).await;
        }
    };
    let identity = match identity_from(&pairs) {
        Ok(identity) => identity,
        Err(_) => {
            let problem = Some(tr.t("case-problem-bad-year"));
            let no_problems = std::collections::HashMap::new();
            return call_page(&state, locale, nav, &pairs, &no_problems, problem).await;
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
        Ok(opened) => to_new_case(locale, &opened, "opened-call"),
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
                .await
            }
            None => PageError::internal(locale, &error).into_response(),
        },
    }
}

/// The new case's page, saying it opened (and warning of a possible duplicate).
fn to_new_case(locale: mamar_core::Locale, opened: &cases::Opened, done: &str) -> Response {
    let done = if opened.possible_duplicates > 0 {
        "opened-duplicates"
    } else {
        done
    };
    Redirect::to(&format!(
        "/{}/staff/cases/{}?done={done}",
        locale.code(),
        hex(&opened.id)
    ))
    .into_response()
}
