//! A person's own account safety: their password, security keys and
//! passkeys (added through `auth::webauthn`, named by their owner), the
//! authenticator app (replaced in `authenticator.rs`), and the duress
//! password, set or removed after the current password is given again.
//!
//! A key's name is its owner's own label. It may name a person, a phone or
//! a place, so it is sealed to its owner's own key (like their authenticator
//! secret) under the key's credential id: the database shows that a key has
//! a name, never the name.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use mamar_core::password::{PasswordProblem, check_new_password};
use mamar_usecases::account::{self, AccountError};

use super::accounts::{Fields, field, internal, reauthenticate, wrap_new_keys};
use super::cases::caller;
use super::{LangLink, render, switch_links};
use crate::auth::{Ctx, StaffContext};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff_security.html")]
struct SecurityPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    csrf: String,
    key: bool,
    key_count: u64,
    /// The person's own keys, oldest first.
    keys: Vec<KeyView>,
    /// Whether the person has an authenticator app.
    has_app: bool,
    max_key_name: usize,
    has_duress: bool,
    message: String,
    problem: String,
}

/// One of the person's keys as the page lists it.
struct KeyView {
    /// The credential id in lower-case hex.
    id: String,
    /// The day it was added, `YYYY-MM-DD` (UTC).
    added: String,
    /// Its owner's name for it; empty when unnamed.
    name: String,
}

/// The longest name of a key, in characters.
pub(crate) const MAX_KEY_NAME_CHARS: usize = 40;

/// A key name as typed: `Ok(None)` when left empty, else the trimmed name, or
/// the message key of why it is refused.
pub(crate) fn key_name(typed: &str) -> Result<Option<String>, &'static str> {
    match mamar_core::text::single_line(typed, MAX_KEY_NAME_CHARS) {
        Ok(name) => Ok(Some(name)),
        Err(mamar_core::text::TextError::Empty) => Ok(None),
        Err(mamar_core::text::TextError::TooLong { .. }) => Err("staff-key-name-too-long"),
        Err(_) => Err("staff-key-name-invalid"),
    }
}

/// `name` sealed to the person's own key, under the key's credential id.
pub(crate) fn seal_key_name(
    ctx: &StaffContext,
    credential_id: &[u8],
    name: &str,
) -> Result<Vec<u8>, mamar_crypto::CryptoError> {
    account::seal_key_name(&ctx.session.keyring, credential_id, name)
}

pub(crate) async fn security_page(
    state: &AppState,
    ctx: &StaffContext,
    message: &str,
    problem: &str,
    status: StatusCode,
) -> Response {
    let own = if ctx.is_decoy() {
        // What the account showed before the duress response: an app.
        account::OwnSecurity {
            has_app: true,
            ..account::OwnSecurity::default()
        }
    } else {
        match account::own_security(state.store.as_ref(), &caller(ctx)).await {
            Ok(own) => own,
            Err(error) => return internal(ctx.locale, &error),
        }
    };
    let account::OwnSecurity {
        keys,
        has_app,
        has_duress,
    } = own;
    let keys: Vec<KeyView> = keys
        .into_iter()
        .map(|key| {
            let minute = super::audit::utc_minute(key.added);
            let day = minute.split(' ').next().unwrap_or_default().to_owned();
            KeyView {
                id: super::inbox::hex(&key.credential_id),
                added: day,
                name: key.name,
            }
        })
        .collect();
    let key_count = keys.len() as u64;
    let tr = Tr::new(ctx.locale);
    let page = SecurityPage {
        switch: switch_links(ctx.locale, "/staff/security"),
        nav: super::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        key: state.webauthn.is_some(),
        key_count,
        keys,
        has_app,
        max_key_name: MAX_KEY_NAME_CHARS,
        has_duress,
        message: if message.is_empty() {
            String::new()
        } else {
            tr.t(message)
        },
        problem: if problem.is_empty() {
            String::new()
        } else {
            tr.t(problem)
        },
        tr,
    };
    let mut response = render(&page, ctx.locale);
    *response.status_mut() = status;
    response
}

#[derive(serde::Deserialize)]
pub struct SecurityQuery {
    #[serde(default)]
    notice: String,
}

pub async fn security(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(query): axum::extract::Query<SecurityQuery>,
) -> Response {
    let message = match query.notice.as_str() {
        "key-added" => "staff-security-key-added",
        _ => "",
    };
    security_page(&state, &ctx, message, "", StatusCode::OK).await
}

/// The current password given again: `None` when it is right, else the
/// answer to give.
pub(crate) async fn password_refused(
    state: &AppState,
    ctx: &StaffContext,
    password: &str,
) -> Option<Response> {
    match reauthenticate(state, ctx, password).await {
        Ok(true) => None,
        Ok(false) => {
            Some(security_page(state, ctx, "", "staff-reauth-failed", StatusCode::UNAUTHORIZED).await)
        }
        Err(error) => Some(internal(ctx.locale, &error)),
    }
}

/// The page refusing a new password that breaks the rules, if it does.
async fn new_password_refused(
    state: &AppState,
    ctx: &StaffContext,
    new: &str,
    again: &str,
) -> Option<Response> {
    let problem = check_new_password(new, again, ctx.staff.username.as_str()).err()?;
    let key = password_problem_key(problem);
    Some(security_page(state, ctx, "", &key, StatusCode::UNPROCESSABLE_ENTITY).await)
}

pub(crate) fn password_problem_key(problem: PasswordProblem) -> String {
    format!("password-problem-{}", problem.code())
}

pub async fn set_duress(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    let current = field(&fields, "password");
    if let Some(refused) = password_refused(&state, &ctx, current).await {
        return refused;
    }
    if field(&fields, "action") == "remove" {
        if !ctx.is_decoy() {
            let done =
                account::set_own_duress_keys(state.store.as_ref(), &caller(&ctx), None, state.clock.now())
                    .await;
            if let Err(error) = done {
                return internal(ctx.locale, &error);
            }
        }
        return security_page(&state, &ctx, "staff-duress-removed", "", StatusCode::OK).await;
    }
    let duress = field(&fields, "duress");
    if let Some(refused) = new_password_refused(&state, &ctx, duress, field(&fields, "duress_confirm")).await
    {
        return refused;
    }
    if duress == current {
        return security_page(
            &state,
            &ctx,
            "",
            "staff-duress-same",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    if !ctx.is_decoy() {
        let wrapped = match wrap_new_keys(&state, duress).await {
            Ok((_, wrapped)) => wrapped,
            Err(error) => return internal(ctx.locale, &error),
        };
        let done = account::set_own_duress_keys(
            state.store.as_ref(),
            &caller(&ctx),
            Some(&wrapped),
            state.clock.now(),
        )
        .await;
        if let Err(error) = done {
            return internal(ctx.locale, &error);
        }
    }
    security_page(&state, &ctx, "staff-duress-set", "", StatusCode::OK).await
}

/// Why a password change is refused after the current password was checked.
enum Rewrap {
    Done(Vec<u8>),
    WrongPassword,
    SameAsDuress,
}

/// Changes the person's own password: their private keys are wrapped again
/// under the new one (the keys do not change, so nothing wrapped to them is
/// touched). The new password must pass the same rules as a first one and
/// differ from the duress password.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Fields>,
) -> Response {
    let new = field(&fields, "new_password");
    if let Some(refused) =
        new_password_refused(&state, &ctx, new, field(&fields, "new_password_confirm")).await
    {
        return refused;
    }
    let current = field(&fields, "password");
    if ctx.is_decoy() {
        // The same answers, and nothing changes.
        if let Some(refused) = password_refused(&state, &ctx, current).await {
            return refused;
        }
        return security_page(&state, &ctx, "staff-password-changed", "", StatusCode::OK).await;
    }
    let duress = match account::own_duress_keys(state.store.as_ref(), &caller(&ctx)).await {
        Ok(duress) => duress,
        Err(error) => return internal(ctx.locale, &error),
    };
    let params = match state.kdf_params().await {
        Ok(params) => params,
        Err(error) => return internal(ctx.locale, &error),
    };
    let blob = ctx.staff.wrapped_secret_keys.clone();
    let old = mamar_crypto::Password::new(current.to_owned());
    let new = mamar_crypto::Password::new(new.to_owned());
    let Ok(_permit) = state.unlock_permits.acquire().await else {
        return internal(ctx.locale, &"the server is shutting down");
    };
    let rewrapped = tokio::task::spawn_blocking(move || {
        let keys = match mamar_crypto::StaffKeyPair::unwrap_with_password(&blob, &old) {
            Ok(keys) => keys,
            Err(mamar_crypto::CryptoError::WrongPassword) => return Ok(Rewrap::WrongPassword),
            Err(error) => return Err(error),
        };
        if duress
            .is_some_and(|duress| mamar_crypto::StaffKeyPair::unwrap_with_password(&duress, &new).is_ok())
        {
            return Ok(Rewrap::SameAsDuress);
        }
        Ok(Rewrap::Done(keys.wrap_with_password(&new, &params)?))
    })
    .await;
    drop(_permit);
    let outcome = match rewrapped {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(error)) => return internal(ctx.locale, &error),
        Err(error) => return internal(ctx.locale, &error),
    };
    let (problem, status, wrapped) = match outcome {
        Rewrap::WrongPassword => ("staff-reauth-failed", StatusCode::UNAUTHORIZED, None),
        Rewrap::SameAsDuress => (
            "staff-password-same-as-duress",
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        Rewrap::Done(wrapped) => ("", StatusCode::OK, Some(wrapped)),
    };
    let finished = account::finish_password_change(
        state.store.as_ref(),
        &caller(&ctx),
        wrapped.as_deref(),
        state.clock.now(),
    )
    .await;
    if let Err(error) = finished {
        return internal(ctx.locale, &error);
    }
    let message = if problem.is_empty() {
        "staff-password-changed"
    } else {
        ""
    };
    security_page(&state, &ctx, message, problem, status).await
}

/// Removes one of the person's own security keys, after their password. The
/// last second factor is kept: an account with neither a key nor an
/// authenticator app could not finish a login.
pub async fn remove_key(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    if let Some(refused) = password_refused(&state, &ctx, field(&fields, "password")).await {
        return refused;
    }
    if ctx.is_decoy() {
        return security_page(&state, &ctx, "staff-key-removed", "", StatusCode::OK).await;
    }
    let Some(id) = hex_bytes(field(&fields, "key")) else {
        return refused(&state, &ctx, "staff-key-unknown").await;
    };
    match account::remove_own_key(state.store.as_ref(), &caller(&ctx), &id, state.clock.now()).await {
        Ok(()) => {}
        Err(AccountError::LastSecondFactor) => return refused(&state, &ctx, "staff-key-last").await,
        Err(AccountError::NoSuchKey) => return refused(&state, &ctx, "staff-key-unknown").await,
        Err(error) => return internal(ctx.locale, &error),
    }
    security_page(&state, &ctx, "staff-key-removed", "", StatusCode::OK).await
}

/// Names, renames or (left empty) unnames one of the person's own keys. No
/// password: a name opens nothing.
pub async fn rename_key(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    let name = match key_name(field(&fields, "name")) {
        Ok(name) => name,
        Err(problem) => return refused(&state, &ctx, problem).await,
    };
    if ctx.is_decoy() {
        return security_page(&state, &ctx, "staff-key-renamed", "", StatusCode::OK).await;
    }
    let Some(id) = hex_bytes(field(&fields, "key")) else {
        return refused(&state, &ctx, "staff-key-unknown").await;
    };
    match account::name_own_key(state.store.as_ref(), &caller(&ctx), &id, name.as_deref()).await {
        Ok(()) => security_page(&state, &ctx, "staff-key-renamed", "", StatusCode::OK).await,
        Err(AccountError::NoSuchKey) => refused(&state, &ctx, "staff-key-unknown").await,
        Err(error) => internal(ctx.locale, &error),
    }
}

/// The page with `problem`, for a form that cannot be done as sent.
pub(crate) async fn refused(state: &AppState, ctx: &StaffContext, problem: &str) -> Response {
    security_page(state, ctx, "", problem, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Bytes from lower-case hex, as the page writes them.
fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 2048 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect()
}
