//! mamar's HTTP face. Only this crate knows HTTP and HTML: routes, pages,
//! translations, static assets and the security headers every answer
//! carries. It reaches the database only through `mamar_store::Store`.

mod assets;
mod error;
mod headers;
pub mod i18n;
pub mod intake;
mod intake_glue;
mod limits;
mod logging;
mod pages;
mod session;
mod state;

use axum::Router;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use headers::CONTENT_SECURITY_POLICY;
pub use pages::public::CARD_SETTING;
pub use state::AppState;

/// The largest request body accepted anywhere; intake forms set their own, smaller limits.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route mamar serves, with its middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::root))
        .route("/health", get(pages::health))
        .route("/assets/{*path}", get(assets::serve))
        .route("/{lang}/", get(pages::landing))
        .route("/{lang}/help", get(pages::help))
        .route("/{lang}/verify", get(pages::public::verify))
        .route(
            "/{lang}/contact",
            get(pages::public::contact_form).post(pages::public::contact_submit),
        )
        .route(
            "/{lang}/follow-up",
            get(pages::public::follow_up_form).post(pages::public::follow_up_post),
        )
        .route("/{lang}/staff/inbox", get(pages::inbox::inbox))
        .route("/{lang}/staff/inbox/reply", post(pages::inbox::reply))
        .route(
            "/{lang}/staff/login",
            get(pages::staff::login_form).post(pages::staff::login_submit),
        )
        .route("/{lang}/staff/", get(pages::staff::home))
        .route("/{lang}/staff/logout", post(pages::staff::logout))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::setup_gate,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(error::friendly_errors))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(axum::middleware::from_fn(logging::log_request))
        .with_state(state)
}
