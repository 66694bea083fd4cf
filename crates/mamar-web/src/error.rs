//! Error pages. They name what the person can do next, in their language,
//! and never carry internal detail: no error text, SQL, path or trace.

use std::any::Any;

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use mamar_core::Locale;

use crate::i18n::Tr;
use crate::pages::LangLink;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    NotFound,
    BadRequest,
    Forbidden,
    TooLarge,
    Busy,
    Internal,
    /// A staff member whose roles need organisation keys an administrator
    /// has not given them yet.
    WaitingForKeys,
}

impl Failure {
    fn status(self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::BadRequest => StatusCode::BAD_REQUEST,
            Failure::Forbidden | Failure::WaitingForKeys => StatusCode::FORBIDDEN,
            Failure::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message_key(self) -> &'static str {
        match self {
            Failure::NotFound => "error-not-found",
            Failure::BadRequest => "error-bad-request",
            Failure::Forbidden => "error-forbidden",
            Failure::TooLarge => "error-too-large",
            Failure::Busy => "error-busy",
            Failure::Internal => "error-internal",
            Failure::WaitingForKeys => "error-waiting-for-keys",
        }
    }

    fn title_key(self) -> &'static str {
        match self {
            Failure::NotFound => "error-not-found-title",
            Failure::WaitingForKeys => "error-waiting-for-keys-title",
            _ => "error-title",
        }
    }
}

/// A failure to show as a page in the reader's language.
#[derive(Debug)]
pub struct PageError {
    pub locale: Locale,
    pub failure: Failure,
}

impl PageError {
    pub fn new(locale: Locale, failure: Failure) -> Self {
        PageError { locale, failure }
    }

    /// Logs the cause for operators (server side only) and shows the reader
    /// a generic page.
    pub fn internal(locale: Locale, cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        PageError::new(locale, Failure::Internal)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    tr: Tr,
    switch: Vec<LangLink>,
    title: String,
    message: String,
    /// Under `/{lang}/staff/`: the way back is the workspace, not the public site.
    staff: bool,
}

tokio::task_local! {
    /// Whether the request being answered is under `/{lang}/staff/`.
    static STAFF_AREA: bool;
}

/// Marks staff requests, so that an error page made anywhere while answering
/// one leads back to the workspace.
pub async fn mark_staff_area(request: Request, next: Next) -> Response {
    let staff = request.uri().path().split('/').nth(2) == Some("staff");
    STAFF_AREA.scope(staff, next.run(request)).await
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let tr = Tr::new(self.locale);
        let page = ErrorPage {
            tr,
            switch: Vec::new(),
            title: tr.t(self.failure.title_key()),
            message: tr.t(self.failure.message_key()),
            staff: STAFF_AREA.try_with(|staff| *staff).unwrap_or(false),
        };
        let mut response = match page.render() {
            Ok(html) => (self.failure.status(), Html(html)).into_response(),
            Err(_) => self.failure.status().into_response(),
        };
        if self.failure == Failure::Busy {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        response
    }
}

/// Answers that some layer produced as bare text (an extractor's rejection,
/// the body-size limit) become the error page in the reader's language, so
/// no framework wording or detail reaches a client.
pub async fn friendly_errors(request: Request, next: Next) -> Response {
    let locale = crate::pages::locale_of(request.uri()).unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status();
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html") || value.starts_with("application/json"));
    if is_page || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let failure = match status {
        StatusCode::NOT_FOUND => Failure::NotFound,
        StatusCode::PAYLOAD_TOO_LARGE => Failure::TooLarge,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS => Failure::Busy,
        status if status.is_server_error() => Failure::Internal,
        _ => Failure::BadRequest,
    };
    // The page replaces the wording; the status (405, 415, ...) stays what it was.
    let mut page = PageError::new(locale, failure).into_response();
    *page.status_mut() = status;
    page
}

/// A handler panicked: the reader gets the generic error page; the panic
/// message (which may hold internals) stays out of the response.
pub fn panic_response(_payload: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    PageError::new(Locale::default(), Failure::Internal).into_response()
}
