//! Device cookies for staff logins (`mamar_crypto::device`): after a login
//! completed with both factors, the browser keeps a token for that account.
//! A later password step to the same account that shows a valid token is
//! "trusted": it takes its turn for Argon2id before any attempt without one,
//! and a lockout caused by other people's attempts does not apply to it.
//! Attempts without a token (a new browser, or someone who knows only the
//! user name) wait in one line of their own and are subject to the lockout.
//! A token that fails [`DEVICE_FAILURES_ALLOWED`] times (passwords or
//! codes) stops counting as trusted until the server restarts.
//!
//! The token names no one and holds nothing secret of the person: a random
//! nonce, an expiry and a tag under a key kept in the database's settings.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mamar_core::StaffId;
use mamar_crypto::{DeviceToken, SecretKey};

use super::login::LoginError;
use crate::state::AppState;

pub const COOKIE_NAME: &str = "mamar_device";
/// How long a browser stays known after a completed login.
const LIFETIME_SECS: i64 = 90 * 24 * 3600;
/// The setting holding the key the tokens are tagged under.
const KEY_SETTING: &str = "login_device_key";
/// Failed attempts through one token before it stops counting as trusted.
pub const DEVICE_FAILURES_ALLOWED: u32 = 5;
/// Tokens whose failures are remembered; beyond this the oldest memory is
/// cleared (only tokens the server issued are ever counted).
const REMEMBERED_TOKENS: usize = 10_000;

/// The tag key (read once) and the failures counted per token.
#[derive(Default)]
pub struct Devices {
    key: tokio::sync::OnceCell<SecretKey>,
    failures: Mutex<HashMap<[u8; mamar_crypto::device::DEVICE_NONCE_LEN], u32>>,
}

impl Devices {
    async fn key(&self, state: &AppState) -> Result<&SecretKey, LoginError> {
        self.key
            .get_or_try_init(|| async {
                let fresh = SecretKey::generate()?;
                let stored = state
                    .store
                    .setting_or_insert(KEY_SETTING, fresh.expose_secret())
                    .await?;
                Ok(SecretKey::from_slice(&stored)?)
            })
            .await
    }

    fn failures(&self, nonce: &[u8; mamar_crypto::device::DEVICE_NONCE_LEN]) -> u32 {
        self.failures
            .lock()
            .map(|failures| failures.get(nonce).copied().unwrap_or(0))
            .unwrap_or(u32::MAX)
    }
}

fn token_in(headers: &HeaderMap) -> Option<DeviceToken> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .and_then(|(_, value)| URL_SAFE_NO_PAD.decode(value).ok())
        .and_then(|bytes| DeviceToken::from_bytes(&bytes))
}

/// The request's device token, when it is valid for `staff` and has not
/// failed too often.
pub(crate) async fn trusted(
    state: &AppState,
    headers: &HeaderMap,
    staff: StaffId,
) -> Result<Option<DeviceToken>, LoginError> {
    let Some(token) = token_in(headers) else {
        return Ok(None);
    };
    let key = state.devices.key(state).await?;
    let valid = token.is_valid(key, staff.as_bytes(), state.clock.now())
        && state.devices.failures(&token.nonce) < DEVICE_FAILURES_ALLOWED;
    Ok(valid.then_some(token))
}

/// Counts a failed password or code shown with `token`.
pub(crate) fn count_failure(state: &AppState, token: &DeviceToken) {
    if let Ok(mut failures) = state.devices.failures.lock() {
        if failures.len() >= REMEMBERED_TOKENS && !failures.contains_key(&token.nonce) {
            // Only issued tokens reach here; so many means an old memory worth dropping.
            failures.retain(|_, count| *count >= DEVICE_FAILURES_ALLOWED);
        }
        *failures.entry(token.nonce).or_insert(0) += 1;
    }
}

/// A new device cookie for `staff`, set when a login is complete.
pub(crate) async fn cookie_for(state: &AppState, staff: StaffId) -> Result<HeaderValue, LoginError> {
    let key = state.devices.key(state).await?;
    let token = DeviceToken::issue(key, staff.as_bytes(), state.clock.now() + LIFETIME_SECS)?;
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={}; Path=/; Max-Age={LIFETIME_SECS}; Secure; HttpOnly; SameSite=Strict",
        URL_SAFE_NO_PAD.encode(token.to_bytes())
    ))
    .map_err(|_| LoginError::DeviceCookie)
}
