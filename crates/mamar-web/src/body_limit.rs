//! How large a request body may be. Every form is small (64 KiB); an
//! attachment upload may be as large as the case configuration allows, plus
//! the multipart envelope around it. A body declared larger is refused before
//! a byte of it is read; one that grows past its limit while streaming ends
//! with an error the handler turns into a clear page.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Room for the multipart boundaries, the form token and the file name around a file.
const MULTIPART_ENVELOPE: usize = 64 * 1024;

/// Whether this is a post to a case's attachments (the only large body mamar takes).
pub(crate) fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST
        && (path.starts_with("/ar/staff/cases/") || path.starts_with("/en/staff/cases/"))
        && path.ends_with("/attachments")
}

pub(crate) async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = if crate::pages::total::is_upload(request.method(), request.uri().path()) {
        crate::pages::total::MAX_UPLOAD_BYTES
    } else if is_upload(request.method(), request.uri().path()) {
        usize::try_from(state.cases.attachment_max_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(MULTIPART_ENVELOPE)
    } else {
        crate::MAX_BODY_BYTES
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}
