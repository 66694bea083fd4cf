//! Accepting an invitation: the one-time link (its token is stored only as
//! a SHA-256 hash) lets the invitee choose their own password, which wraps a
//! new key pair; the account gets its organisation keys when an
//! administrator saves its roles.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mamar_core::Locale;
use mamar_core::password::check_new_password;
use mamar_store::Invitation;
use mamar_usecases::account::{self, AccountError};

use super::accounts::{Fields, field, internal, token_hash, wrap_new_keys};
use super::security::password_problem_key;
use super::{LangLink, render, switch_links};
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff_invitation.html")]
struct InvitationPage {
    tr: Tr,
    switch: Vec<LangLink>,
    username: String,
    action: String,
    problem: String,
}

async fn valid_invitation(state: &AppState, locale: Locale, token: &str) -> Result<Invitation, Response> {
    let Some(hash) = URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .filter(|bytes| bytes.len() == 32)
        .map(|bytes| token_hash(&bytes))
    else {
        return Err(PageError::new(locale, Failure::NotFound).into_response());
    };
    match account::open_invitation(state.store.as_ref(), &hash, state.clock.now()).await {
        Ok(invitation) => Ok(invitation),
        Err(AccountError::NoSuchInvitation) => Err(PageError::new(locale, Failure::NotFound).into_response()),
        Err(error) => Err(internal(locale, &error)),
    }
}

fn invitation_page(locale: Locale, token: &str, invitation: &Invitation, problem: &str) -> Response {
    let tr = Tr::new(locale);
    let page = InvitationPage {
        switch: switch_links(locale, &format!("/staff/invitation/{token}")),
        username: invitation.username.to_string(),
        action: format!("/{}/staff/invitation/{token}", locale.code()),
        problem: if problem.is_empty() {
            String::new()
        } else {
            tr.t(problem)
        },
        tr,
    };
    let mut response = render(&page, locale);
    if !problem.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn invitation_form(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return PageError::new(Locale::default(), Failure::NotFound).into_response();
    };
    match valid_invitation(&state, locale, &token).await {
        Ok(invitation) => invitation_page(locale, &token, &invitation, ""),
        Err(response) => response,
    }
}

pub async fn invitation_accept(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let Ok(locale) = lang.parse::<Locale>() else {
        return PageError::new(Locale::default(), Failure::NotFound).into_response();
    };
    let invitation = match valid_invitation(&state, locale, &token).await {
        Ok(invitation) => invitation,
        Err(response) => return response,
    };
    let password = field(&fields, "password");
    if let Err(problem) =
        check_new_password(password, field(&fields, "confirm"), invitation.username.as_str())
    {
        return invitation_page(locale, &token, &invitation, &password_problem_key(problem));
    }
    let (keys, wrapped) = match wrap_new_keys(&state, password).await {
        Ok(made) => made,
        Err(error) => return internal(locale, &error),
    };
    let accepted = account::accept_invitation(
        state.store.as_ref(),
        &invitation,
        keys.public_keys().to_bytes(),
        wrapped,
        state.clock.now(),
    )
    .await;
    match accepted {
        Ok(_) => Redirect::to(&format!("/{}/staff/login?notice=welcome", locale.code())).into_response(),
        Err(AccountError::NoSuchInvitation) => PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => internal(locale, &error),
    }
}
