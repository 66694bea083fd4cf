//! Who may do what. Every route declares its [`Access`] in the route table
//! (`crate::routes`); the guard here enforces it before any handler runs,
//! so a handler never sees a request its route does not admit. Deny by
//! default: a staff route admits only full sessions (password and second
//! factor passed) of the roles it names, and every state-changing staff
//! request must carry the session's CSRF token.

pub mod device;
pub mod login;
pub mod second_factor;
pub mod webauthn;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::{Locale, Role};
use mamar_store::{SessionStage, StaffRecord};

use crate::error::{Failure, PageError};
use crate::pages::locale_of;
use crate::session::{self, OpenSession, SessionError};
use crate::state::AppState;

/// What a route admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the public site, the login form, an invitation link.
    Public,
    /// A session that has passed the password and must now give its second
    /// factor (or enrol one). Nothing else is open to it.
    PasswordPassed,
    /// Any session, finished or not (logging out).
    AnySession,
    /// A full session of any role.
    Staff,
    /// A full session of any role, posting a file: the body (multipart) streams to the
    /// handler unread, so the form token travels in the query string (`?csrf=`). A
    /// URL-encoded post is checked as for `Staff`.
    StaffUpload,
    /// A full session holding one of these roles.
    Roles(&'static [Role]),
    /// A full session holding one of these roles, posting files: the form token in the query
    /// string, as for `StaffUpload`.
    RolesUpload(&'static [Role]),
}

impl Access {
    /// The name used in the authorization matrix.
    pub fn code(self) -> String {
        match self {
            Access::Public => "public".into(),
            Access::PasswordPassed => "password-passed".into(),
            Access::AnySession => "any-session".into(),
            Access::Staff => "staff".into(),
            Access::StaffUpload => "staff:upload".into(),
            Access::Roles(roles) => roles.iter().map(|role| role.code()).collect::<Vec<_>>().join("|"),
            Access::RolesUpload(roles) => {
                roles.iter().map(|role| role.code()).collect::<Vec<_>>().join("|") + ":upload"
            }
        }
    }
}

/// The checked session and account a staff handler works for.
pub struct StaffContext {
    pub session: OpenSession,
    pub staff: StaffRecord,
    pub locale: Locale,
}

impl StaffContext {
    pub fn csrf(&self) -> String {
        session::csrf_field(&self.session.record)
    }

    pub fn is_decoy(&self) -> bool {
        self.session.record.decoy
    }
}

/// The handler's view of the guard's work.
pub type Ctx = axum::Extension<Arc<StaffContext>>;

pub(crate) fn to_login(locale: Locale) -> Response {
    let mut response = Redirect::to(&format!("/{}/staff/login", locale.code())).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    response
}

pub(crate) fn forbidden(locale: Locale) -> Response {
    PageError::new(locale, Failure::Forbidden).into_response()
}

fn second_factor_page(locale: Locale, stage: SessionStage) -> Response {
    let step = if stage == SessionStage::Enrol {
        "enrol"
    } else {
        "code"
    };
    Redirect::to(&format!("/{}/staff/login/{step}", locale.code())).into_response()
}

/// Enforces `access` for one route; see the module documentation.
pub async fn guard(State(state): State<AppState>, access: Access, request: Request, next: Next) -> Response {
    if access == Access::Public {
        return next.run(request).await;
    }
    let locale = locale_of(request.uri()).unwrap_or_default();
    let open = match session::open(&state, request.headers()).await {
        Ok(open) => open,
        Err(SessionError::Missing | SessionError::Expired) => return to_login(locale),
        Err(SessionError::Store(error)) => return PageError::internal(locale, &error).into_response(),
    };
    let stage = open.record.stage;
    match access {
        Access::PasswordPassed if stage == SessionStage::Full => {
            return Redirect::to(&format!("/{}/staff/", locale.code())).into_response();
        }
        Access::Staff | Access::StaffUpload | Access::Roles(_) | Access::RolesUpload(_)
            if stage != SessionStage::Full =>
        {
            return second_factor_page(locale, stage);
        }
        _ => {}
    }
    let staff = match state.store.staff_by_id(open.record.staff_id).await {
        Ok(Some(staff)) if !staff.disabled || open.record.decoy => staff,
        Ok(_) => {
            let _ = state.store.delete_session(&open.record.id).await;
            return to_login(locale);
        }
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    if let Access::Roles(allowed) | Access::RolesUpload(allowed) = access
        && !staff.roles.iter().any(|role| allowed.contains(role))
    {
        return forbidden(locale);
    }
    let (parts, body) = request.into_parts();
    let uploads = matches!(access, Access::StaffUpload | Access::RolesUpload(_));
    let body = if uploads && is_multipart(&parts.headers) {
        if !csrf_in_query(&open, parts.uri.query().unwrap_or("")) {
            return forbidden(locale);
        }
        body
    } else if parts.method == Method::POST {
        let bytes = match axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await {
            Ok(bytes) => bytes,
            Err(_) => return PageError::new(locale, Failure::TooLarge).into_response(),
        };
        if !csrf_in_form(&open, &bytes) {
            return forbidden(locale);
        }
        Body::from(bytes)
    } else {
        body
    };
    let mut request = Request::from_parts(parts, body);
    request.extensions_mut().insert(Arc::new(StaffContext {
        session: open,
        staff,
        locale,
    }));
    next.run(request).await
}

fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// The form token of an upload, from its query string. The answer's `Referrer-Policy:
/// no-referrer` and a request log without query strings keep it from leaving.
fn csrf_in_query(open: &OpenSession, query: &str) -> bool {
    csrf_in_form(open, query.as_bytes())
}

fn csrf_in_form(open: &OpenSession, body: &[u8]) -> bool {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return false;
    };
    fields
        .iter()
        .find(|(name, _)| name == "csrf")
        .is_some_and(|(_, value)| session::csrf_matches(&open.record, value))
}

/// The server's clock in Unix seconds. Tests move it forward (to pass a
/// lockout, or to reach the next one-time-password step) without waiting.
#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> i64 {
        session::now() + self.offset.load(Ordering::Relaxed)
    }

    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }
}
