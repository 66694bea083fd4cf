//! The second step of a staff login: the authenticator code (or a
//! security key, in `webauthn.rs`) for an account that has one, and
//! enrolling an authenticator for one that has none. A wrong code counts
//! like a wrong password (see `login.rs`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::Locale;
use mamar_crypto::{SealPurpose, TotpSecret};
use mamar_store::SessionStage;

use super::{Ctx, StaffContext, device, to_login};
use crate::audit_trail::record;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::pages::{LangLink, render, switch_links};
use crate::state::AppState;
use mamar_store::audit::{Action, Outcome};

use super::login::{LoginError, count_failure, finish_login, second_factor_path, totp_claimed};

#[derive(Template)]
#[template(path = "staff_code.html")]
struct CodePage {
    tr: Tr,
    switch: Vec<LangLink>,
    failed: bool,
    csrf: String,
    totp: bool,
    key: bool,
}

#[derive(Template)]
#[template(path = "staff_enrol.html")]
struct EnrolPage {
    tr: Tr,
    switch: Vec<LangLink>,
    failed: bool,
    csrf: String,
    key: bool,
    secret: String,
    grouped_secret: String,
    qr_svg: String,
}

#[derive(serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
}

/// A wrong code counts like a wrong password; at the lockout the
/// half-finished session ends.
pub(crate) async fn code_refused(
    state: &AppState,
    ctx: &StaffContext,
    headers: &HeaderMap,
    page: Response,
) -> Result<Response, LoginError> {
    if ctx.is_decoy() {
        return Ok(page);
    }
    if let Some(token) = device::trusted(state, headers, ctx.staff.id).await? {
        device::count_failure(state, &token);
    }
    let now = state.clock.now();
    let until = count_failure(state.store.as_ref(), ctx.staff.id, now).await?;
    let action = if until > now {
        Action::LoginLocked
    } else {
        Action::LoginFailed
    };
    record(state, Some(ctx.staff.id), action, None, Outcome::Denied).await?;
    if until > now {
        state.store.delete_session(&ctx.session.record.id).await?;
        return Ok(to_login(ctx.locale));
    }
    Ok(page)
}

async fn code_page(state: &AppState, ctx: &StaffContext, failed: bool) -> Response {
    let (login, keys) = match (
        state.store.login_state(ctx.staff.id).await,
        state.store.webauthn_credentials(ctx.staff.id).await,
    ) {
        (Ok(login), Ok(keys)) => (login.unwrap_or_default(), keys),
        (Err(error), _) | (_, Err(error)) => return PageError::internal(ctx.locale, &error).into_response(),
    };
    let page = CodePage {
        tr: Tr::new(ctx.locale),
        switch: switch_links(ctx.locale, "/staff/login/code"),
        failed,
        csrf: ctx.csrf(),
        // A decoy session shows what the account showed before the duress response.
        totp: login.totp_sealed.is_some() || ctx.is_decoy(),
        key: !keys.is_empty() && state.webauthn.is_some(),
    };
    let mut response = render(&page, ctx.locale);
    if failed {
        *response.status_mut() = StatusCode::UNAUTHORIZED;
    }
    response
}

pub async fn code_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    if ctx.session.record.stage == SessionStage::Enrol {
        return Redirect::to(&second_factor_path(ctx.locale, SessionStage::Enrol)).into_response();
    }
    code_page(&state, &ctx, false).await
}

/// Six digits, spaces and dashes allowed: what a decoy session accepts as a code.
pub(super) fn looks_like_a_code(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())
}

pub async fn code_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let result = async {
        if ctx.session.record.stage != SessionStage::SecondFactor {
            return Ok(
                Redirect::to(&second_factor_path(ctx.locale, ctx.session.record.stage)).into_response(),
            );
        }
        if ctx.is_decoy() {
            return if looks_like_a_code(&form.code) {
                finish_login(&state, &ctx).await
            } else {
                Ok(code_page(&state, &ctx, true).await)
            };
        }
        // No lockout check here: this session passed the password step
        // (before any lockout, or from the person's own browser), and its own
        // wrong codes end it at the lockout (`code_refused`).
        let now = state.clock.now();
        let login = state.store.login_state(ctx.staff.id).await?.unwrap_or_default();
        let Some(sealed) = &login.totp_sealed else {
            // An account with security keys only: a typed code cannot be right.
            return code_refused(&state, &ctx, &headers, code_page(&state, &ctx, true).await).await;
        };
        let staff_id = ctx.staff.id;
        let keys = ctx.session.keyring.staff();
        if !totp_claimed(
            &state,
            staff_id,
            keys,
            sealed,
            login.totp_last_step,
            &form.code,
            now,
        )
        .await?
        {
            return code_refused(&state, &ctx, &headers, code_page(&state, &ctx, true).await).await;
        }
        if login.failed_logins != 0 {
            state.store.set_login_failures(staff_id, 0, 0).await?;
        }
        finish_login(&state, &ctx).await
    }
    .await;
    result.unwrap_or_else(|error: LoginError| PageError::internal(ctx.locale, &error).into_response())
}

/// A new authenticator secret as a page shows it: base32 (for the form's
/// hidden field), the same in groups of four (to type), and the
/// `otpauth://` QR code as an image address.
pub(crate) struct ShownSecret {
    pub base32: String,
    pub grouped: String,
    pub qr: String,
}

pub(crate) fn shown_secret(secret: &TotpSecret, issuer: &str, username: &str) -> ShownSecret {
    let uri = mamar_crypto::otpauth_uri(secret, issuer, username);
    let base32 = secret.to_base32();
    let grouped = base32
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let qr = mamar_keys::qr_svg(&uri)
        .map(|svg| {
            use base64::Engine;
            format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            )
        })
        .unwrap_or_default();
    ShownSecret { base32, grouped, qr }
}

/// Stores `secret` as the person's authenticator (sealed to their own key;
/// any older one is replaced and its codes stop working), spends the step of
/// the code that proved the app has it, and records the enrolment.
pub(crate) async fn keep_secret(
    state: &AppState,
    ctx: &StaffContext,
    secret: &TotpSecret,
    step: u64,
) -> Result<(), LoginError> {
    let staff_id = ctx.staff.id;
    let sealed = mamar_crypto::seal(
        ctx.session.keyring.staff().encryption().public_key(),
        &SealPurpose::SecondFactor {
            staff_id: staff_id.as_bytes(),
        },
        secret.expose_secret(),
    )?;
    state.store.set_totp(staff_id, Some(&sealed)).await?;
    record(
        state,
        Some(staff_id),
        Action::SecondFactorEnrolled,
        None,
        Outcome::Ok,
    )
    .await?;
    state
        .store
        .claim_totp_step(staff_id, i64::try_from(step).unwrap_or(i64::MAX))
        .await?;
    Ok(())
}

/// A secret sent back by a form (base32, the right length).
pub(crate) fn secret_from_form(text: &str) -> Option<TotpSecret> {
    data_encoding::BASE32_NOPAD
        .decode(text.trim().as_bytes())
        .ok()
        .filter(|bytes| bytes.len() == mamar_crypto::totp::TOTP_SECRET_LEN)
        .map(TotpSecret::from_bytes)
}

fn enrol_page(
    ctx: &StaffContext,
    secret: &TotpSecret,
    issuer: &str,
    failed: bool,
    webauthn: bool,
) -> Response {
    let shown = shown_secret(secret, issuer, ctx.staff.username.as_str());
    let page = EnrolPage {
        tr: Tr::new(ctx.locale),
        switch: switch_links(ctx.locale, "/staff/login/enrol"),
        failed,
        csrf: ctx.csrf(),
        key: webauthn,
        secret: shown.base32,
        grouped_secret: shown.grouped,
        qr_svg: shown.qr,
    };
    let mut response = render(&page, ctx.locale);
    if failed {
        *response.status_mut() = StatusCode::UNAUTHORIZED;
    }
    response
}

pub(crate) async fn issuer(state: &AppState, locale: Locale) -> String {
    match state.organisation().await {
        Ok(Some(org)) => org.name(locale).to_owned(),
        _ => "mamar".to_owned(),
    }
}

pub async fn enrol_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    if ctx.session.record.stage != SessionStage::Enrol {
        return Redirect::to(&second_factor_path(ctx.locale, ctx.session.record.stage)).into_response();
    }
    match TotpSecret::generate() {
        Ok(secret) => enrol_page(
            &ctx,
            &secret,
            &issuer(&state, ctx.locale).await,
            false,
            state.webauthn.is_some(),
        ),
        Err(error) => PageError::internal(ctx.locale, &error).into_response(),
    }
}

/// The secret comes back in a hidden field of the page that showed it: the
/// same channel, behind the same session and CSRF token. It is stored only
/// once a code made from it proves the app has it.
pub async fn enrol_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let result = async {
        if ctx.session.record.stage != SessionStage::Enrol {
            return Ok(
                Redirect::to(&second_factor_path(ctx.locale, ctx.session.record.stage)).into_response(),
            );
        }
        let Some(secret) = secret_from_form(&form.secret) else {
            return Ok(PageError::new(ctx.locale, Failure::BadRequest).into_response());
        };
        let now = u64::try_from(state.clock.now()).unwrap_or(0);
        let Some(step) = secret.verify(&form.code, now, None) else {
            let page = enrol_page(
                &ctx,
                &secret,
                &issuer(&state, ctx.locale).await,
                true,
                state.webauthn.is_some(),
            );
            return code_refused(&state, &ctx, &headers, page).await;
        };
        if !ctx.is_decoy() {
            keep_secret(&state, &ctx, &secret, step).await?;
        }
        finish_login(&state, &ctx).await
    }
    .await;
    result.unwrap_or_else(|error: LoginError| PageError::internal(ctx.locale, &error).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoy_codes_are_any_six_digits() {
        assert!(looks_like_a_code("123 456"));
        assert!(!looks_like_a_code("12345"));
        assert!(!looks_like_a_code("abcdef"));
    }
}
