//! Page handlers of the public site and the setup gate in front of them.

pub mod accounts;
pub mod audit;
pub mod authenticator;
pub mod breakglass;
pub mod cases;
pub mod charts;
pub mod closed;
pub mod dashboard;
pub mod inbox;
pub mod invitation;
pub mod panic;
pub mod partners;
pub mod public;
pub mod publish;
pub mod releases;
pub mod security;
pub mod staff;
pub mod total;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use mamar_core::Locale;

use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;

/// One entry of the language switcher.
pub struct LangLink {
    pub href: String,
    pub lang: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// Links to the same page in every locale. `rest` is the path after the
/// locale prefix, e.g. `/` or `/contact`.
pub fn switch_links(current: Locale, rest: &str) -> Vec<LangLink> {
    Locale::ALL
        .into_iter()
        .map(|locale| LangLink {
            href: format!("/{}{}", locale.code(), rest),
            lang: locale.code(),
            label: locale.native_name(),
            current: locale == current,
        })
        .collect()
}

/// The locale named by the first path segment, if it is one we speak.
pub(crate) fn locale_of(uri: &Uri) -> Option<Locale> {
    uri.path().trim_start_matches('/').split('/').next()?.parse().ok()
}

/// `/ar`, `/en`, `/ar/staff`, `/en/staff` typed without the final slash: a
/// permanent redirect to the page with it. Anything else under such an
/// address is not found.
pub async fn add_final_slash(Path(lang): Path<String>, uri: Uri) -> Response {
    if lang.parse::<Locale>().is_err() {
        return StatusCode::NOT_FOUND.into_response();
    }
    Redirect::permanent(&format!("{}/", uri.path())).into_response()
}

pub(crate) fn render(template: &impl Template, locale: Locale) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => PageError::internal(locale, &error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    first: Tr,
    parts: [Tr; 2],
    title: String,
}

/// Until `mamar init` has created the organisation, every page is the setup
/// page (in both languages); health and assets stay reachable.
pub async fn setup_gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/health" || path.starts_with("/assets/") {
        return next.run(request).await;
    }
    match state.organisation().await {
        Ok(Some(_)) => next.run(request).await,
        Ok(None) => {
            let first = locale_of(request.uri()).unwrap_or_default();
            let second = Locale::ALL.into_iter().find(|l| *l != first).unwrap_or_default();
            let parts = [Tr::new(first), Tr::new(second)];
            let title = format!("{} · {}", parts[0].t("setup-title"), parts[1].t("setup-title"));
            let mut response = render(
                &SetupPage {
                    first: parts[0],
                    parts,
                    title,
                },
                first,
            );
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response
        }
        Err(error) => {
            PageError::internal(locale_of(request.uri()).unwrap_or_default(), &error).into_response()
        }
    }
}

/// `/` sends the reader to the organisation's default language.
pub async fn root(State(state): State<AppState>) -> Response {
    match state.organisation().await {
        Ok(org) => {
            let locale = org.map(|o| o.default_locale()).unwrap_or_default();
            Redirect::to(&format!("/{}/", locale.code())).into_response()
        }
        Err(error) => PageError::internal(Locale::default(), &error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage {
    tr: Tr,
    switch: Vec<LangLink>,
    org_name: String,
    channels: Vec<String>,
}

pub async fn landing(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return PageError::new(Locale::default(), Failure::NotFound).into_response();
    };
    match state.organisation().await {
        Ok(Some(org)) => render(
            &LandingPage {
                tr: Tr::new(locale),
                switch: switch_links(locale, "/"),
                org_name: org.name(locale).to_owned(),
                // The channels of the signed contact card (the onion address among them).
                channels: closed::channels(&state).await,
            },
            locale,
        ),
        Ok(None) => PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => PageError::internal(locale, &error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    tr: Tr,
    switch: Vec<LangLink>,
}

pub async fn help(Path(lang): Path<String>) -> Response {
    match lang.parse::<Locale>() {
        Ok(locale) => render(
            &HelpPage {
                tr: Tr::new(locale),
                switch: switch_links(locale, "/help"),
            },
            locale,
        ),
        Err(_) => PageError::new(Locale::default(), Failure::NotFound).into_response(),
    }
}

pub async fn not_found(uri: Uri) -> Response {
    PageError::new(locale_of(&uri).unwrap_or_default(), Failure::NotFound).into_response()
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    setup: &'static str,
    /// "ok", "failing" (the newest intake commit failed: a full disk, an I/O
    /// error) or "low-space" (below the floor: intake is closed).
    storage: &'static str,
    /// "present", or "destroyed" after the panic action.
    keys: &'static str,
}

/// For monitors and load balancers: 200 when the database answers, intake
/// can store requests and the keys exist; 503 with the reason otherwise.
pub async fn health(State(state): State<AppState>) -> Response {
    let database = state.store.ping().await;
    let organisation = state.organisation().await;
    match (database, organisation) {
        (Ok(()), Ok(org)) => {
            let setup = if org.is_some() { "done" } else { "required" };
            let storage = if state.intake.writer().is_failing() {
                "failing"
            } else if state.intake.low_on_space().await {
                "low-space"
            } else {
                "ok"
            };
            let keys = if state.intake.keys_destroyed().await {
                "destroyed"
            } else {
                "present"
            };
            let healthy = storage == "ok" && keys == "present";
            let status = if healthy { "ok" } else { "unavailable" };
            let code = if healthy {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (
                code,
                Json(Health {
                    status,
                    setup,
                    storage,
                    keys,
                }),
            )
                .into_response()
        }
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "unavailable",
                    setup: "unknown",
                    storage: "unknown",
                    keys: "unknown",
                }),
            )
                .into_response()
        }
    }
}
