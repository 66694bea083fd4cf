//! The web's gate in front of the public pages. Whether intake is open is
//! decided by `mamar_usecases::intake` for every channel; three things close
//! it, and here each gets a page that says so plainly and lists the organisation's
//! other channels (503): the panic action destroyed the keys; the disk
//! under the database has less free space than the configured floor, so
//! intake stops before the database reaches the wall; or more new requests
//! arrived in the last minute than the configured ceiling, so a flood
//! cannot fill the disk. None of it records who asked.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::pages::closed::{Closed, closed_page};
use crate::state::AppState;

/// Which public page a path is, after its locale: `/{lang}/…`.
fn public_page(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('/')?;
    let (lang, page) = rest.split_once('/').unwrap_or((rest, ""));
    lang.parse::<mamar_core::Locale>().ok()?;
    Some(page)
}

/// In front of the public pages: after a panic the landing, contact,
/// follow-up and staff login pages say what happened; the contact form is
/// closed while space is short or the ceiling is reached.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(page) = public_page(request.uri().path()) else {
        return next.run(request).await;
    };
    let closes = matches!(page, "" | "contact" | "follow-up" | "staff/login");
    if !closes {
        return next.run(request).await;
    }
    let locale = crate::pages::locale_of(request.uri()).unwrap_or_default();
    if state.intake.keys_destroyed().await {
        let why = if page == "staff/login" {
            Closed::StaffKeysDestroyed
        } else {
            Closed::KeysDestroyed
        };
        return closed_page(&state, locale, why).await;
    }
    if page == "contact" {
        if state.intake.low_on_space().await {
            tracing::error!("intake closed: the free space under the database is below the floor");
            return closed_page(&state, locale, Closed::NoSpace).await;
        }
        if request.method() == Method::POST && !state.intake.admit_new_request() {
            tracing::warn!("intake closed for now: the ceiling of new requests per minute was reached");
            return closed_page(&state, locale, Closed::TooMany).await;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_pages_under_a_locale_are_gated() {
        assert_eq!(public_page("/ar/contact"), Some("contact"));
        assert_eq!(public_page("/en/"), Some(""));
        assert_eq!(public_page("/en"), Some(""));
        assert_eq!(public_page("/en/staff/login"), Some("staff/login"));
        assert_eq!(public_page("/health"), None);
        assert_eq!(public_page("/assets/style.css"), None);
    }
}
