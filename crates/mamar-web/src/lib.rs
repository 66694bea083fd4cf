//! mamar's HTTP face. Only this crate knows HTTP and HTML: routes, pages,
//! translations, static assets and the security headers every answer
//! carries. It reaches the database only through `mamar_store::Store`.

mod admission;
mod assets;
mod audit_trail;
pub mod auth;
mod body_limit;
mod checkpoints;
pub mod downloads;
mod error;
pub mod facet_source;
mod headers;
pub mod i18n;
mod intake_glue;
mod limits;
mod logging;
mod once;
mod pages;
pub mod routes;
mod session;
mod state;

use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate as _};

pub use checkpoints::spawn_audit_checkpoints;
pub use headers::CONTENT_SECURITY_POLICY;
pub use mamar_usecases::audit_checkpoints::CheckpointSchedule;
pub use mamar_usecases::intake::IntakeLimits;
pub use pages::public::CARD_SETTING;
pub use state::AppState;

/// The largest request body accepted anywhere but an attachment upload; intake forms set
/// their own, smaller limits.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every route mamar serves, with its middleware.
pub fn router(state: AppState) -> Router {
    with_middleware(routes::routes(&state), state)
}

/// The middleware every answer passes through, outermost last: the setup gate, the body limit,
/// friendly error pages, panics caught, the security headers, gzip for text answers (fonts are
/// compressed already), the request log.
fn with_middleware(routes: Router<AppState>, state: AppState) -> Router {
    routes
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admission::gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::setup_gate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_limit::limit_body,
        ))
        .layer(axum::middleware::from_fn(error::friendly_errors))
        .layer(axum::middleware::from_fn(error::mark_staff_area))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .layer(
            CompressionLayer::new()
                .compress_when(DefaultPredicate::new().and(NotForContentType::const_new("font/"))),
        )
        .layer(axum::middleware::from_fn(logging::log_request))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    fn explode() -> &'static str {
        std::panic::panic_any::<String>("internal detail: src/secret.rs:12".into())
    }

    #[tokio::test]
    async fn a_handler_that_panics_gives_the_error_page_with_the_headers_and_no_detail() {
        let dir = tempfile::tempdir().unwrap();
        let store = mamar_store::SqliteStore::open(&dir.path().join("panic.sqlite3"))
            .await
            .unwrap();
        let bootstrap = mamar_keys::bootstrap(
            mamar_core::Organisation::new("مركز", "Centre", mamar_core::Locale::Ar).unwrap(),
            mamar_core::Username::parse("admin").unwrap(),
            &mamar_crypto::Password::new("a long test passphrase".to_owned()),
            &mamar_crypto::KdfParams::test_profile(),
        )
        .unwrap();
        mamar_store::Store::initialise(&store, &bootstrap.setup)
            .await
            .unwrap();
        let state = AppState::new(Arc::new(store));
        let boom = Router::new().route("/ar/boom", axum::routing::get(|| async { explode() }));
        let reply = with_middleware(boom, state)
            .oneshot(Request::get("/ar/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(reply.status(), 500);
        let headers = reply.headers().clone();
        assert!(
            headers
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|csp| csp.contains("default-src 'none'"))
        );
        assert_eq!(headers.get("x-frame-options").unwrap(), "DENY");
        let body = axum::body::to_bytes(reply.into_body(), 1 << 20).await.unwrap();
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("تعذّر علينا إتمام هذا الطلب"), "{html}");
        for leak in ["internal detail", "secret.rs", "panicked", "expect"] {
            assert!(!html.contains(leak), "leaked {leak}: {html}");
        }
    }
}
