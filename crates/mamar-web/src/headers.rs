//! Headers that every answer carries, whatever produced it (a page, an
//! asset, an error, a panic). They keep pages from loading anything from
//! another origin, from being framed, and from being cached or referred.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Nothing from another origin, no scripts at all, forms post only to us.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; font-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The staff side alone may run our own script (security keys need
/// JavaScript) and have it call back to us; still nothing from elsewhere.
pub const STAFF_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; font-src 'self'; \
     img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// Whether a path belongs to the staff side (`/{lang}/staff/...`).
fn is_staff_path(path: &str) -> bool {
    path.trim_start_matches('/')
        .split('/')
        .nth(1)
        .is_some_and(|segment| segment == "staff")
}

pub async fn security_headers(request: Request, next: Next) -> Response {
    let csp = if is_staff_path(request.uri().path()) {
        STAFF_CONTENT_SECURITY_POLICY
    } else {
        CONTENT_SECURITY_POLICY
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Anything not explicitly cacheable (the shared, public assets) is
    // treated as personal: it is never stored by the browser or a proxy.
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
