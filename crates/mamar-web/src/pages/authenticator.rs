//! Replacing (or adding) the authenticator app from a person's own security
//! page. The page shows a new secret; the old one stays in force until the
//! person gives their current password and a code made by the new app. Then
//! the new secret, sealed to their own key, replaces the old one (whose codes
//! stop working at once), the code's step is spent, and the audit log says
//! a second factor was enrolled.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mamar_crypto::TotpSecret;

use super::accounts::{Fields, field, internal, reauthenticate};
use super::{LangLink, render, switch_links};
use crate::auth::second_factor::{issuer, keep_secret, secret_from_form, shown_secret};
use crate::auth::{Ctx, StaffContext};
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "staff_authenticator.html")]
struct AuthenticatorPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    csrf: String,
    secret: String,
    grouped_secret: String,
    qr_svg: String,
    problem: String,
}

async fn page(
    state: &AppState,
    ctx: &StaffContext,
    secret: &TotpSecret,
    problem: &str,
    status: StatusCode,
) -> Response {
    let shown = shown_secret(
        secret,
        &issuer(state, ctx.locale).await,
        ctx.staff.username.as_str(),
    );
    let tr = Tr::new(ctx.locale);
    let page = AuthenticatorPage {
        switch: switch_links(ctx.locale, "/staff/security/authenticator"),
        nav: super::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        secret: shown.base32,
        grouped_secret: shown.grouped,
        qr_svg: shown.qr,
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

/// A new secret to scan; nothing is stored yet.
pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Response {
    match TotpSecret::generate() {
        Ok(secret) => page(&state, &ctx, &secret, "", StatusCode::OK).await,
        Err(error) => internal(ctx.locale, &error),
    }
}

/// The current password and a code from the new app: then the new secret
/// replaces the old one.
pub async fn replace(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    let Some(secret) = secret_from_form(field(&fields, "secret")) else {
        return PageError::new(ctx.locale, Failure::BadRequest).into_response();
    };
    match reauthenticate(&state, &ctx, field(&fields, "password")).await {
        Ok(true) => {}
        Ok(false) => {
            return page(
                &state,
                &ctx,
                &secret,
                "staff-reauth-failed",
                StatusCode::UNAUTHORIZED,
            )
            .await;
        }
        Err(error) => return internal(ctx.locale, &error),
    }
    let now = u64::try_from(state.clock.now()).unwrap_or(0);
    let Some(step) = secret.verify(field(&fields, "code"), now, None) else {
        return page(
            &state,
            &ctx,
            &secret,
            "staff-app-code-failed",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !ctx.is_decoy()
        && let Err(error) = keep_secret(&state, &ctx, &secret, step).await
    {
        return internal(ctx.locale, &error);
    }
    super::security::security_page(&state, &ctx, "staff-app-replaced", "", StatusCode::OK).await
}
