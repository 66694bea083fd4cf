//! Staff sessions. At login the staff member's private keys and the
//! organisation keys they hold are unlocked and sealed into a keyring under a
//! fresh random session key. The database keeps only that ciphertext; the key
//! lives in the session cookie alone. So any app server can serve the
//! session, and a copy of the database opens nothing.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mamar_crypto::{Keyring, SessionKey};
use mamar_store::SessionRecord;

use crate::state::AppState;

pub const COOKIE_NAME: &str = "mamar_staff";
/// A session unused for this long ends.
pub const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// No session lives longer than this, used or not.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// A session that has passed the password has this long for its second factor.
pub const SECOND_FACTOR_TIMEOUT_SECS: i64 = 5 * 60;

const ID_LEN: usize = 16;
const TOKEN_LEN: usize = ID_LEN + SessionKey::LEN;

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The cookie's content: the session id and the key that opens its keyring.
pub struct SessionToken {
    pub id: [u8; ID_LEN],
    pub key: SessionKey,
}

impl SessionToken {
    pub fn generate() -> Result<Self, mamar_crypto::CryptoError> {
        Ok(SessionToken {
            id: mamar_crypto::generate_salt()?,
            key: SessionKey::generate()?,
        })
    }

    fn encode(&self) -> String {
        let mut raw = zeroize::Zeroizing::new(Vec::with_capacity(TOKEN_LEN));
        raw.extend_from_slice(&self.id);
        raw.extend_from_slice(self.key.expose_secret());
        URL_SAFE_NO_PAD.encode(raw.as_slice())
    }

    fn decode(text: &str) -> Option<Self> {
        let raw = zeroize::Zeroizing::new(URL_SAFE_NO_PAD.decode(text).ok()?);
        if raw.len() != TOKEN_LEN {
            return None;
        }
        let (id, key) = raw.split_at(ID_LEN);
        Some(SessionToken {
            id: id.try_into().ok()?,
            key: SessionKey::from_bytes(key.try_into().ok()?),
        })
    }

    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE_NAME)
            .and_then(|(_, value)| Self::decode(value))
    }

    /// `Secure`, `HttpOnly`, `SameSite=Strict`, whole site, no longer than the absolute timeout.
    pub fn set_cookie(&self) -> Option<HeaderValue> {
        HeaderValue::from_str(&format!(
            "{COOKIE_NAME}={}; Path=/; Max-Age={ABSOLUTE_TIMEOUT_SECS}; Secure; HttpOnly; SameSite=Strict",
            self.encode()
        ))
        .ok()
    }
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("mamar_staff=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict")
}

/// A live session with its keys opened for this request only.
pub struct OpenSession {
    pub record: SessionRecord,
    pub keyring: Keyring,
    pub token: SessionToken,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no session")]
    Missing,
    #[error("the session has expired")]
    Expired,
    #[error(transparent)]
    Store(#[from] mamar_store::StoreError),
}

/// Finds the session named by the cookie, ends it if it has expired, and
/// opens its keyring with the key from the cookie.
pub async fn open(state: &AppState, headers: &HeaderMap) -> Result<OpenSession, SessionError> {
    let token = SessionToken::from_headers(headers).ok_or(SessionError::Missing)?;
    let record = state
        .store
        .session(&token.id)
        .await?
        .ok_or(SessionError::Missing)?;
    let now = state.clock.now();
    let pending_too_long = record.stage != mamar_store::SessionStage::Full
        && now - record.created_at > SECOND_FACTOR_TIMEOUT_SECS;
    if now - record.last_seen > IDLE_TIMEOUT_SECS
        || now - record.created_at > ABSOLUTE_TIMEOUT_SECS
        || pending_too_long
    {
        state.store.delete_session(&token.id).await?;
        crate::audit_trail::record(
            state,
            Some(record.staff_id),
            mamar_store::audit::Action::SessionExpired,
            None,
            mamar_store::audit::Outcome::Ok,
        )
        .await?;
        return Err(SessionError::Expired);
    }
    // A keyring that does not open with the cookie's key means a forged or
    // stale cookie: treat it as no session at all.
    let keyring = Keyring::open(&record.keyring, &token.key, &token.id).map_err(|_| SessionError::Missing)?;
    if now - record.last_seen >= 60 {
        state.store.touch_session(&token.id, now).await?;
    }
    Ok(OpenSession {
        record,
        keyring,
        token,
    })
}

/// Whether the form's token is this session's CSRF token, compared in constant time.
pub fn csrf_matches(session: &SessionRecord, submitted: &str) -> bool {
    use subtle::ConstantTimeEq;
    match URL_SAFE_NO_PAD.decode(submitted) {
        Ok(bytes) => bytes.len() == session.csrf_token.len() && bool::from(bytes.ct_eq(&session.csrf_token)),
        Err(_) => false,
    }
}

pub fn csrf_field(session: &SessionRecord) -> String {
    URL_SAFE_NO_PAD.encode(&session.csrf_token)
}
