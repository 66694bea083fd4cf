//! Security keys and passkeys (W3C WebAuthn, through webauthn-rs) as the
//! second factor: enrolled at the first login instead of (or besides) a TOTP
//! app, added later from the security page, and used at login.
//!
//! Each ceremony is two form posts from `assets/webauthn.js`: `start`
//! returns the options as JSON and keeps the challenge state in the database,
//! bound to the session that asked and valid for a few minutes; `finish`
//! takes it back (once) with the browser's answer. Both carry the session's
//! CSRF token like every other staff post. The pages work without
//! JavaScript through TOTP; only keys need it.

use axum::Form;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamar_store::SessionStage;
use mamar_store::audit::{Action, Outcome};
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    Uuid,
};

use super::login::{LoginError, promote, with_device_cookie};
use super::second_factor::code_refused;
use super::{Ctx, StaffContext};
use crate::audit_trail::record;
use crate::state::AppState;

/// How long a ceremony may take, in seconds.
const CEREMONY_SECS: i64 = 5 * 60;
const REGISTER: &str = "register";
const AUTHENTICATE: &str = "authenticate";

type Fields = Vec<(String, String)>;

#[derive(Debug, thiserror::Error)]
enum KeyError {
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error(transparent)]
    Store(#[from] mamar_store::StoreError),
    #[error("cannot read a stored WebAuthn value: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Crypto(#[from] mamar_crypto::CryptoError),
}

/// A refusal the script shows as the page's own translated message.
fn refused(status: StatusCode) -> Response {
    (status, Json(serde_json::json!({ "ok": false }))).into_response()
}

fn failed(ctx: &StaffContext, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "webauthn request failed");
    let _ = ctx;
    refused(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Where the browser goes next, with the new session's cookie when there is one.
fn next(path: String, token: Option<&crate::session::SessionToken>) -> Response {
    let mut response = Json(serde_json::json!({ "ok": true, "next": path })).into_response();
    if let Some(cookie) = token.and_then(|token| token.set_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn credential_field(fields: &Fields) -> &str {
    fields
        .iter()
        .find(|(name, _)| name == "credential")
        .map_or("", |(_, value)| value.as_str())
}

async fn stored_keys(state: &AppState, ctx: &StaffContext) -> Result<Vec<Passkey>, KeyError> {
    let mut keys = Vec::new();
    for (_, json) in state.store.webauthn_credentials(ctx.staff.id).await? {
        keys.push(serde_json::from_slice(&json)?);
    }
    Ok(keys)
}

async fn register_start(state: &AppState, ctx: &StaffContext) -> Result<Response, KeyError> {
    let Some(webauthn) = &state.webauthn else {
        return Ok(refused(StatusCode::NOT_FOUND));
    };
    let existing: Vec<_> = stored_keys(state, ctx)
        .await?
        .iter()
        .map(|key| key.cred_id().clone())
        .collect();
    let name = ctx.staff.username.as_str();
    let Ok((options, ceremony)) = webauthn.start_passkey_registration(
        Uuid::from_bytes(*ctx.staff.id.as_bytes()),
        name,
        name,
        Some(existing),
    ) else {
        return Ok(refused(StatusCode::BAD_REQUEST));
    };
    let now = state.clock.now();
    state
        .store
        .save_webauthn_challenge(
            &ctx.session.record.id,
            REGISTER,
            &serde_json::to_vec(&ceremony)?,
            now,
        )
        .await?;
    Ok(Json(options).into_response())
}

/// Checks the browser's new credential against the ceremony and stores it.
/// In a decoy session nothing is stored, and any well-formed answer passes.
async fn register_finish(state: &AppState, ctx: &StaffContext, fields: &Fields) -> Result<bool, KeyError> {
    let Some(webauthn) = &state.webauthn else {
        return Ok(false);
    };
    let now = state.clock.now();
    let Some(ceremony) = state
        .store
        .take_webauthn_challenge(&ctx.session.record.id, REGISTER, now - CEREMONY_SECS)
        .await?
    else {
        return Ok(false);
    };
    let ceremony: PasskeyRegistration = serde_json::from_slice(&ceremony)?;
    let Ok(answer) = serde_json::from_str::<RegisterPublicKeyCredential>(credential_field(fields)) else {
        return Ok(false);
    };
    if ctx.is_decoy() {
        return Ok(true);
    }
    let Ok(key) = webauthn.finish_passkey_registration(&answer, &ceremony) else {
        return Ok(false);
    };
    let id: &[u8] = key.cred_id().as_ref();
    match state
        .store
        .add_webauthn_credential(ctx.staff.id, id, &serde_json::to_vec(&key)?, now)
        .await
    {
        Ok(()) => {}
        Err(mamar_store::StoreError::CredentialTaken) => return Ok(false),
        Err(error) => return Err(error.into()),
    }
    // The person's own name for it, when the page asked for one (the field's
    // length is limited there; a name that breaks the rules is not kept, and
    // the key can be named again from the list).
    let typed = fields
        .iter()
        .find(|(name, _)| name == "name")
        .map_or("", |(_, value)| value.as_str());
    if let Ok(Some(name)) = crate::pages::security::key_name(typed) {
        let sealed = crate::pages::security::seal_key_name(ctx, id, &name)?;
        state
            .store
            .name_webauthn_key(ctx.staff.id, id, Some(&sealed))
            .await?;
    }
    record(
        state,
        Some(ctx.staff.id),
        Action::SecondFactorEnrolled,
        None,
        Outcome::Ok,
    )
    .await?;
    Ok(true)
}

/// At the first login: a key instead of a TOTP app.
pub async fn enrol_start(State(state): State<AppState>, ctx: Ctx) -> Response {
    if ctx.session.record.stage != SessionStage::Enrol {
        return refused(StatusCode::CONFLICT);
    }
    register_start(&state, &ctx)
        .await
        .unwrap_or_else(|error| failed(&ctx, &error))
}

pub async fn enrol_finish(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    if ctx.session.record.stage != SessionStage::Enrol {
        return refused(StatusCode::CONFLICT);
    }
    let result = async {
        if !register_finish(&state, &ctx, &fields).await? {
            return Ok(refused(StatusCode::UNAUTHORIZED));
        }
        let token = promote(&state, &ctx).await?;
        let response = next(format!("/{}/staff/", ctx.locale.code()), Some(&token));
        Ok::<_, KeyError>(with_device_cookie(&state, ctx.staff.id, response).await)
    }
    .await;
    result.unwrap_or_else(|error| failed(&ctx, &error))
}

/// From the security page: one more key.
pub async fn add_start(State(state): State<AppState>, ctx: Ctx) -> Response {
    register_start(&state, &ctx)
        .await
        .unwrap_or_else(|error| failed(&ctx, &error))
}

pub async fn add_finish(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    match register_finish(&state, &ctx, &fields).await {
        Ok(true) => next(
            format!("/{}/staff/security?notice=key-added", ctx.locale.code()),
            None,
        ),
        Ok(false) => refused(StatusCode::UNAUTHORIZED),
        Err(error) => failed(&ctx, &error),
    }
}

/// At login: a challenge for the account's keys.
pub async fn login_start(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let Some(webauthn) = &state.webauthn else {
            return Ok(refused(StatusCode::NOT_FOUND));
        };
        if ctx.session.record.stage != SessionStage::SecondFactor {
            return Ok(refused(StatusCode::CONFLICT));
        }
        let keys = stored_keys(&state, &ctx).await?;
        // No key to ask for: the account uses its TOTP app.
        let Ok((options, ceremony)) = webauthn.start_passkey_authentication(&keys) else {
            return Ok(refused(StatusCode::CONFLICT));
        };
        let now = state.clock.now();
        state
            .store
            .save_webauthn_challenge(
                &ctx.session.record.id,
                AUTHENTICATE,
                &serde_json::to_vec(&ceremony)?,
                now,
            )
            .await?;
        Ok::<_, KeyError>(Json(options).into_response())
    }
    .await;
    result.unwrap_or_else(|error| failed(&ctx, &error))
}

/// Checks the key's signature; a failure counts towards the lockout like a wrong code.
pub async fn login_finish(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let result = async {
        let Some(webauthn) = &state.webauthn else {
            return Ok(refused(StatusCode::NOT_FOUND));
        };
        if ctx.session.record.stage != SessionStage::SecondFactor {
            return Ok(refused(StatusCode::CONFLICT));
        }
        let now = state.clock.now();
        let ceremony = state
            .store
            .take_webauthn_challenge(&ctx.session.record.id, AUTHENTICATE, now - CEREMONY_SECS)
            .await?;
        let answer = serde_json::from_str::<PublicKeyCredential>(credential_field(&fields)).ok();
        let (Some(ceremony), Some(answer)) = (ceremony, answer) else {
            return Ok(refused(StatusCode::BAD_REQUEST));
        };
        if ctx.is_decoy() {
            let token = promote(&state, &ctx).await?;
            let response = next(format!("/{}/staff/", ctx.locale.code()), Some(&token));
            return Ok(with_device_cookie(&state, ctx.staff.id, response).await);
        }
        let login = state.store.login_state(ctx.staff.id).await?.unwrap_or_default();
        let ceremony: PasskeyAuthentication = serde_json::from_slice(&ceremony)?;
        // No lockout check: as for a typed code, this session passed the
        // password step, and its own failures end it at the lockout.
        let verified = webauthn.finish_passkey_authentication(&answer, &ceremony).ok();
        let Some(verified) = verified else {
            let refusal = code_refused(&state, &ctx, &headers, refused(StatusCode::UNAUTHORIZED)).await?;
            // At the lockout the half-finished session has ended: send the browser to log in.
            return Ok(if refusal.status().is_redirection() {
                next(format!("/{}/staff/login", ctx.locale.code()), None)
            } else {
                refusal
            });
        };
        // Keep the signature counters, which reveal a cloned key.
        for mut key in stored_keys(&state, &ctx).await? {
            if key.update_credential(&verified) == Some(true) {
                let id: &[u8] = key.cred_id().as_ref();
                state
                    .store
                    .update_webauthn_credential(id, &serde_json::to_vec(&key)?)
                    .await?;
            }
        }
        if login.failed_logins != 0 {
            state.store.set_login_failures(ctx.staff.id, 0, 0).await?;
        }
        let token = promote(&state, &ctx).await?;
        let response = next(format!("/{}/staff/", ctx.locale.code()), Some(&token));
        Ok::<_, KeyError>(with_device_cookie(&state, ctx.staff.id, response).await)
    }
    .await;
    result.unwrap_or_else(|error| failed(&ctx, &error))
}
