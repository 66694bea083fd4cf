//! mamar's HTTP face. Only this crate knows HTTP and HTML: routes, pages,
//! translations, static assets and the security headers every answer
//! carries. It reaches the database only through `mamar_store::Store`.

mod assets;
mod audit_trail;
pub mod auth;
mod error;
mod headers;
pub mod i18n;
pub mod intake;
mod intake_glue;
mod limits;
mod logging;
mod pages;
pub mod routes;
mod session;
mod state;

use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use headers::CONTENT_SECURITY_POLICY;
pub use pages::public::CARD_SETTING;
pub use state::AppState;

/// The largest request body accepted anywhere; intake forms set their own, smaller limits.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route mamar serves, with its middleware.
pub fn router(state: AppState) -> Router {
    routes::routes(&state)
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
