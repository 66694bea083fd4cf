//! The staff side's door: log in (which unlocks the person's keys for the
//! session), a home page that shows what the session holds, and log out
//! (which destroys the session's keys).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::{Locale, Username};
use mamar_crypto::{CryptoError, KdfParams, Keyring, OrgKey, Password, StaffKeyPair};
use mamar_store::SessionRecord;

use super::{LangLink, render, switch_links};
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::session::{self, OpenSession, SessionError, SessionToken};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff_login.html")]
struct LoginPage {
    tr: Tr,
    switch: Vec<LangLink>,
    failed: bool,
    username: String,
}

#[derive(Template)]
#[template(path = "staff_home.html")]
struct HomePage {
    tr: Tr,
    switch: Vec<LangLink>,
    username: String,
    key_kinds: Vec<String>,
    csrf: String,
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

#[derive(serde::Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

fn locale(lang: &str) -> Result<Locale, PageError> {
    lang.parse()
        .map_err(|_| PageError::new(Locale::default(), Failure::NotFound))
}

fn login_page(locale: Locale, failed: bool, username: String) -> Response {
    let page = LoginPage {
        tr: Tr::new(locale),
        switch: switch_links(locale, "/staff/login"),
        failed,
        username,
    };
    let mut response = render(&page, locale);
    if failed {
        *response.status_mut() = StatusCode::UNAUTHORIZED;
    }
    response
}

pub async fn login_form(Path(lang): Path<String>) -> Response {
    match locale(&lang) {
        Ok(locale) => login_page(locale, false, String::new()),
        Err(error) => error.into_response(),
    }
}

enum Unlock {
    Keys(Box<StaffKeyPair>),
    Refused,
}

pub async fn login_submit(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Form(form): Form<LoginForm>,
) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let password = Password::new(form.password);
    let staff = match Username::parse(&form.username) {
        Ok(username) => match state.store.staff_by_username(&username).await {
            Ok(found) => found.filter(|staff| !staff.disabled && !staff.wrapped_secret_keys.is_empty()),
            Err(error) => return PageError::internal(locale, &error).into_response(),
        },
        Err(_) => None,
    };
    let blob = staff.as_ref().map(|staff| staff.wrapped_secret_keys.clone());
    let unlocked = match unlock(&state, blob, password).await {
        Ok(unlocked) => unlocked,
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let (Some(staff), Unlock::Keys(keys)) = (staff, unlocked) else {
        return login_page(locale, true, form.username);
    };
    match start_session(&state, staff.id, *keys).await {
        Ok(token) => {
            let mut response = Redirect::to(&format!("/{}/staff/", locale.code())).into_response();
            if let Some(cookie) = token.set_cookie() {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => PageError::internal(locale, &error).into_response(),
    }
}

/// Runs Argon2id off the async executor, at most a few at a time so a flood
/// of logins cannot exhaust memory. An unknown or disabled account costs the
/// same work as a real one, so the answer's timing does not tell them apart.
async fn unlock(state: &AppState, blob: Option<Vec<u8>>, password: Password) -> Result<Unlock, LoginError> {
    let _permit = state
        .unlock_permits
        .acquire()
        .await
        .map_err(|_| LoginError::Shutdown)?;
    tokio::task::spawn_blocking(move || match blob {
        Some(blob) => match StaffKeyPair::unwrap_with_password(&blob, &password) {
            Ok(keys) => Ok(Unlock::Keys(Box::new(keys))),
            Err(CryptoError::WrongPassword) => Ok(Unlock::Refused),
            Err(error) => Err(LoginError::Crypto(error)),
        },
        None => {
            let salt = mamar_crypto::generate_salt()?;
            let _ = mamar_crypto::derive_key(
                password.expose_secret().as_bytes(),
                &salt,
                &KdfParams::production(),
            );
            Ok(Unlock::Refused)
        }
    })
    .await
    .map_err(|_| LoginError::Shutdown)?
}

#[derive(Debug, thiserror::Error)]
enum LoginError {
    #[error("the server is shutting down")]
    Shutdown,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] mamar_store::StoreError),
}

/// Unlocks the organisation keys granted to this person and seals them,
/// with the person's own keys, into a new session.
async fn start_session(
    state: &AppState,
    staff: mamar_core::StaffId,
    keys: StaffKeyPair,
) -> Result<SessionToken, LoginError> {
    let mut org_keys = Vec::new();
    for grant in state.store.org_key_grants(staff).await? {
        org_keys.push(OrgKey::unwrap(&grant.wrapped, &keys)?);
    }
    let keyring = Keyring::new(keys, org_keys);
    let token = SessionToken::generate()?;
    let now = session::now();
    let record = SessionRecord {
        id: token.id,
        staff_id: staff,
        keyring: keyring.seal(&token.key, &token.id)?,
        csrf_token: mamar_crypto::generate_salt()?.to_vec(),
        created_at: now,
        last_seen: now,
        stage: mamar_store::SessionStage::Full,
        decoy: false,
    };
    state.store.create_session(&record).await?;
    Ok(token)
}

fn to_login(locale: Locale) -> Response {
    Redirect::to(&format!("/{}/staff/login", locale.code())).into_response()
}

pub(crate) async fn require_session(
    state: &AppState,
    headers: &HeaderMap,
    locale: Locale,
) -> Result<OpenSession, Response> {
    match session::open(state, headers).await {
        Ok(open) => Ok(open),
        Err(SessionError::Missing | SessionError::Expired) => {
            let mut response = to_login(locale);
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session::clear_cookie());
            Err(response)
        }
        Err(SessionError::Store(error)) => Err(PageError::internal(locale, &error).into_response()),
    }
}

pub async fn home(State(state): State<AppState>, Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let open = match require_session(&state, &headers, locale).await {
        Ok(open) => open,
        Err(error) => return error.into_response(),
    };
    let username = match state.store.staff_by_id(open.record.staff_id).await {
        Ok(Some(staff)) => staff.username.to_string(),
        Ok(None) => return to_login(locale),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let tr = Tr::new(locale);
    let key_kinds = open
        .keyring
        .org_keys()
        .iter()
        .map(|key| tr.t(&format!("key-kind-{}", key.kind().code())))
        .collect();
    let page = HomePage {
        tr,
        switch: switch_links(locale, "/staff/"),
        username: Username::parse(&username)
            .map(|u| u.to_string())
            .unwrap_or_default(),
        key_kinds,
        csrf: session::csrf_field(&open.record),
    };
    render(&page, locale)
}

pub async fn logout(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let open = match require_session(&state, &headers, locale).await {
        Ok(open) => open,
        Err(error) => return error.into_response(),
    };
    if !session::csrf_matches(&open.record, &form.csrf) {
        let mut response = PageError::new(locale, Failure::BadRequest).into_response();
        *response.status_mut() = StatusCode::FORBIDDEN;
        return response;
    }
    if let Err(error) = state.store.delete_session(&open.record.id).await {
        return PageError::internal(locale, &error).into_response();
    }
    let mut response = to_login(locale);
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    response
}
