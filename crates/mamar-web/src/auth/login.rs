//! Logging in: a password (which unlocks the person's keys), then a second
//! factor (a TOTP code, enrolled at the first login), then a fresh session.
//!
//! What the answers must not tell: whether an account exists, is disabled
//! or is locked out (one message, one status, the same Argon2id work), and,
//! to someone watching the screen, that a duress password was used.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::{Locale, Username};
use mamar_crypto::{
    CryptoError, KdfParams, Keyring, OrgKey, Password, SealPurpose, StaffKeyPair, TotpSecret,
};
use mamar_store::{LoginState, SessionRecord, SessionStage, StaffAlert, StaffRecord};

use super::second_factor::looks_like_a_code;
use super::{Ctx, StaffContext, device};
use crate::audit_trail::record;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::pages::{LangLink, render, switch_links};
use crate::session::{self, SessionToken};
use crate::state::AppState;
use mamar_store::audit::{Action, Outcome};

/// Failed attempts (passwords and codes together) before the account locks.
pub const FAILURES_BEFORE_LOCKOUT: i64 = 5;
/// The first lockout; each failure after it doubles the wait, up to [`MAX_LOCKOUT_SECS`].
pub const FIRST_LOCKOUT_SECS: i64 = 60;
pub const MAX_LOCKOUT_SECS: i64 = 60 * 60;
/// How long after a refused password its failure is counted (see `password_step`).
const FAILURE_WRITE_DELAY: std::time::Duration = std::time::Duration::from_millis(100);
/// The organisation setting naming what a duress login does.
pub const DURESS_RESPONSE_SETTING: &str = mamar_usecases::account::DURESS_RESPONSE_SETTING;

/// When an account with `failures` consecutive failures may try again.
pub fn locked_until(failures: i64, now: i64) -> i64 {
    if failures < FAILURES_BEFORE_LOCKOUT {
        return 0;
    }
    let doublings = u32::try_from(failures - FAILURES_BEFORE_LOCKOUT)
        .unwrap_or(u32::MAX)
        .min(12);
    now + (FIRST_LOCKOUT_SECS << doublings).min(MAX_LOCKOUT_SECS)
}

/// What the organisation has chosen a duress login to do, besides showing
/// the decoy workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuressResponse {
    /// Destroy every key wrapped to the account, disable it, alert the administrators.
    WipeAndAlert,
    /// Only alert the administrators.
    AlertOnly,
}

impl DuressResponse {
    pub fn code(self) -> &'static str {
        match self {
            DuressResponse::WipeAndAlert => "wipe-and-alert",
            DuressResponse::AlertOnly => "alert-only",
        }
    }

    pub fn from_setting(value: Option<&[u8]>) -> Self {
        match value {
            Some(b"alert-only") => DuressResponse::AlertOnly,
            _ => DuressResponse::WipeAndAlert,
        }
    }
}

#[derive(Template)]
#[template(path = "staff_login.html")]
struct LoginPage {
    tr: Tr,
    switch: Vec<LangLink>,
    failed: bool,
    notice: String,
    username: String,
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The authenticator's code, offered after a refusal: while an account
    /// is locked, a browser it has not logged in from needs both at once.
    #[serde(default)]
    code: String,
}

#[derive(serde::Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

fn locale(lang: &str) -> Result<Locale, PageError> {
    lang.parse()
        .map_err(|_| PageError::new(Locale::default(), Failure::NotFound))
}

fn login_page(locale: Locale, failed: bool, notice: &str, username: String) -> Response {
    let tr = Tr::new(locale);
    let notice = match notice {
        "welcome" => tr.t("staff-login-welcome"),
        "logged-out" => tr.t("staff-login-logged-out"),
        _ => String::new(),
    };
    let page = LoginPage {
        tr,
        switch: switch_links(locale, "/staff/login"),
        failed,
        notice,
        username,
    };
    let mut response = render(&page, locale);
    if failed {
        *response.status_mut() = StatusCode::UNAUTHORIZED;
    }
    response
}

pub async fn login_form(
    Path(lang): Path<String>,
    axum::extract::Query(query): axum::extract::Query<NoticeQuery>,
) -> Response {
    match locale(&lang) {
        Ok(locale) => login_page(locale, false, &query.notice, String::new()),
        Err(error) => error.into_response(),
    }
}

enum Verdict {
    Keys(Box<StaffKeyPair>),
    Duress(Box<StaffKeyPair>),
    Refused,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum LoginError {
    #[error("the server is shutting down")]
    Shutdown,
    #[error("a device cookie is not a valid header value")]
    DeviceCookie,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] mamar_store::StoreError),
}

/// The Argon2id derivations of one login, run side by side.
const DERIVATIONS_PER_LOGIN: u32 = 2;
const _: () = assert!(DERIVATIONS_PER_LOGIN as usize <= crate::state::CONCURRENT_UNLOCKS);

/// Tries `password` against the account's keys and its duress keys. Both
/// derivations always run (against a random salt where a blob is missing),
/// so a real account, an unknown one, one without a duress password and a
/// duress login all cost the same. They run side by side, off the async
/// executor, and take a permit each: a login waits for half the time two
/// derivations in a row would take, and no more derivations run at once.
///
/// Attempts from a browser not known to the account (`trusted` false) first
/// queue in a line of their own, one at a time, so that however many of
/// them wait, a trusted attempt finds at most one of them ahead of it at
/// the permits (which are handed out first come, first served).
async fn check_password(
    state: &AppState,
    keys: Option<Vec<u8>>,
    duress: Option<Vec<u8>>,
    password: Password,
    trusted: bool,
) -> Result<Verdict, LoginError> {
    let params = state.kdf_params().await?;
    let _line = if trusted {
        None
    } else {
        Some(
            state
                .untrusted_logins
                .acquire()
                .await
                .map_err(|_| LoginError::Shutdown)?,
        )
    };
    let _permits = state
        .unlock_permits
        .acquire_many(DERIVATIONS_PER_LOGIN)
        .await
        .map_err(|_| LoginError::Shutdown)?;
    tokio::task::spawn_blocking(move || {
        let (main, duress) = std::thread::scope(|scope| {
            let duress = scope.spawn(|| try_unwrap(duress.as_deref(), &password, &params));
            let main = try_unwrap(keys.as_deref(), &password, &params);
            (main, duress.join())
        });
        let duress = duress.map_err(|_| LoginError::Shutdown)??;
        Ok(match (main?, duress) {
            (Some(keys), _) => Verdict::Keys(Box::new(keys)),
            (None, Some(keys)) => Verdict::Duress(Box::new(keys)),
            (None, None) => Verdict::Refused,
        })
    })
    .await
    .map_err(|_| LoginError::Shutdown)?
}

fn try_unwrap(
    blob: Option<&[u8]>,
    password: &Password,
    params: &KdfParams,
) -> Result<Option<StaffKeyPair>, LoginError> {
    match blob {
        Some(blob) => match StaffKeyPair::unwrap_with_password(blob, password) {
            Ok(keys) => Ok(Some(keys)),
            Err(CryptoError::WrongPassword) => Ok(None),
            Err(error) => Err(error.into()),
        },
        None => {
            let salt = mamar_crypto::generate_salt()?;
            mamar_crypto::derive_key(password.expose_secret().as_bytes(), &salt, params)?;
            Ok(None)
        }
    }
}

pub async fn login_submit(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    match password_step(&state, locale, &headers, form).await {
        Ok(response) => response,
        Err(error) => PageError::internal(locale, &error).into_response(),
    }
}

async fn password_step(
    state: &AppState,
    locale: Locale,
    headers: &HeaderMap,
    form: LoginForm,
) -> Result<Response, LoginError> {
    let password = Password::new(form.password);
    let staff = match Username::parse(&form.username) {
        Ok(username) => state
            .store
            .staff_by_username(&username)
            .await?
            .filter(|staff| !staff.disabled && !staff.wrapped_secret_keys.is_empty()),
        Err(_) => None,
    };
    let login_state = match &staff {
        Some(staff) => state.store.login_state(staff.id).await?.unwrap_or_default(),
        None => LoginState::default(),
    };
    let device = match &staff {
        Some(staff) => device::trusted(state, headers, staff.id).await?,
        None => None,
    };
    let now = state.clock.now();
    // A lockout holds back browsers the account has not logged in from; the
    // person's own browser is not kept out by other people's guesses.
    let locked = login_state.locked_until > now && device.is_none();
    let verdict = check_password(
        state,
        staff.as_ref().map(|staff| staff.wrapped_secret_keys.clone()),
        login_state.duress_keys.clone(),
        password,
        device.is_some(),
    )
    .await?;
    if let (Some(staff), true) = (&staff, locked) {
        if let Some(response) = locked_step(state, locale, staff, &login_state, verdict, &form.code).await? {
            return Ok(response);
        }
        refuse_later(state, Some(staff.id), Action::LoginLocked, now);
        return Ok(login_page(locale, true, "", form.username));
    }
    let Some(staff) = staff else {
        refuse_later(state, None, Action::LoginFailed, now);
        return Ok(login_page(locale, true, "", form.username));
    };
    match verdict {
        Verdict::Refused => {
            if let Some(token) = &device {
                device::count_failure(state, token);
            }
            refuse_later(state, Some(staff.id), Action::LoginFailed, now);
            Ok(login_page(locale, true, "", form.username))
        }
        Verdict::Keys(keys) => {
            if login_state.failed_logins != 0 && !(device.is_some() && login_state.locked_until > now) {
                state.store.set_login_failures(staff.id, 0, 0).await?;
            }
            let stage = next_stage(state, &staff, &login_state).await?;
            let token = start_session(state, &staff, *keys, stage, false).await?;
            record(state, Some(staff.id), Action::KeysUnlocked, None, Outcome::Ok).await?;
            Ok(redirect_with_cookie(&second_factor_path(locale, stage), &token))
        }
        Verdict::Duress(decoy_keys) => {
            let stage = next_stage(state, &staff, &login_state).await?;
            duress_response(state, &staff, now).await?;
            let token = start_session(state, &staff, *decoy_keys, stage, true).await?;
            Ok(redirect_with_cookie(&second_factor_path(locale, stage), &token))
        }
    }
}

/// Counts a refused attempt and records it a moment after the answer has
/// gone, for real and unknown accounts alike, so that the database writes
/// (and their syncs) do not tell the two apart. Attempts on a locked
/// account are recorded but not counted.
fn refuse_later(state: &AppState, actor: Option<mamar_core::StaffId>, action: Action, now: i64) {
    let state = state.clone();
    tokio::spawn(async move {
        tokio::time::sleep(FAILURE_WRITE_DELAY).await;
        if let (Some(staff), Action::LoginFailed) = (actor, action)
            && let Err(error) = count_failure(state.store.as_ref(), staff, now).await
        {
            tracing::error!(%error, "cannot count a failed login");
        }
        if let Err(error) = record(&state, actor, action, None, Outcome::Denied).await {
            tracing::error!(%error, "cannot record a failed login");
        }
    });
}

/// While an account is locked, a browser it has not logged in from gets in
/// only with the right password and a right code from the authenticator
/// together, and then straight to a full session; anything else gets the
/// same refusal as a wrong password, so guessing learns nothing and the
/// owner still gets in. (`None`: refused.)
async fn locked_step(
    state: &AppState,
    locale: Locale,
    staff: &StaffRecord,
    login: &LoginState,
    verdict: Verdict,
    code: &str,
) -> Result<Option<Response>, LoginError> {
    let now = state.clock.now();
    let token = match verdict {
        Verdict::Refused => return Ok(None),
        // A duress password looks like a login here too: any six digits pass.
        Verdict::Duress(decoy_keys) => {
            if !looks_like_a_code(code) {
                return Ok(None);
            }
            duress_response(state, staff, now).await?;
            start_session(state, staff, *decoy_keys, SessionStage::Full, true).await?
        }
        Verdict::Keys(keys) => {
            let Some(sealed) = &login.totp_sealed else {
                return Ok(None);
            };
            if !totp_claimed(state, staff.id, &keys, sealed, login.totp_last_step, code, now).await? {
                return Ok(None);
            }
            state.store.set_login_failures(staff.id, 0, 0).await?;
            record(state, Some(staff.id), Action::KeysUnlocked, None, Outcome::Ok).await?;
            start_session(state, staff, *keys, SessionStage::Full, false).await?
        }
    };
    record(state, Some(staff.id), Action::LoginSucceeded, None, Outcome::Ok).await?;
    let response = redirect_with_cookie(&format!("/{}/staff/", locale.code()), &token);
    Ok(Some(with_device_cookie(state, staff.id, response).await))
}

/// Whether `code` is the account's current TOTP code, not used before
/// (claimed now, so that it cannot be used again).
pub(super) async fn totp_claimed(
    state: &AppState,
    staff_id: mamar_core::StaffId,
    keys: &StaffKeyPair,
    sealed: &[u8],
    last_step: Option<i64>,
    code: &str,
    now: i64,
) -> Result<bool, LoginError> {
    let secret = mamar_crypto::open(
        keys.encryption(),
        &SealPurpose::SecondFactor {
            staff_id: staff_id.as_bytes(),
        },
        sealed,
    )?;
    let secret = TotpSecret::from_bytes(secret.expose_secret().to_vec());
    let last = last_step.and_then(|step| u64::try_from(step).ok());
    let step = secret.verify(code, u64::try_from(now).unwrap_or(0), last);
    Ok(match step.and_then(|step| i64::try_from(step).ok()) {
        Some(step) => state.store.claim_totp_step(staff_id, step).await?,
        None => false,
    })
}

/// Adds the device cookie (see `device`) to the answer that completes a
/// login. Without it the login still works; the browser is only not known
/// next time.
pub(crate) async fn with_device_cookie(
    state: &AppState,
    staff: mamar_core::StaffId,
    mut response: Response,
) -> Response {
    match device::cookie_for(state, staff).await {
        Ok(cookie) => {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        Err(error) => tracing::error!(%error, "cannot issue a device cookie"),
    }
    response
}

/// After the password: the second factor if the account has one (a TOTP
/// secret or a security key), else enrolling one.
async fn next_stage(
    state: &AppState,
    staff: &StaffRecord,
    login: &LoginState,
) -> Result<SessionStage, LoginError> {
    let has_key = !state.store.webauthn_credentials(staff.id).await?.is_empty();
    Ok(if login.totp_sealed.is_some() || has_key {
        SessionStage::SecondFactor
    } else {
        SessionStage::Enrol
    })
}

/// Counts a failed attempt and locks the account once there are enough;
/// returns when the account may try again (0: now).
pub(super) async fn count_failure(
    store: &dyn mamar_store::Store,
    staff: mamar_core::StaffId,
    now: i64,
) -> Result<i64, mamar_store::StoreError> {
    let failures = store.count_login_failure(staff).await?;
    let until = locked_until(failures, now);
    if until > 0 {
        store.lock_login(staff, until).await?;
    }
    Ok(until)
}

/// Carries out the organisation's configured duress response, silently.
async fn duress_response(state: &AppState, staff: &StaffRecord, now: i64) -> Result<(), LoginError> {
    let setting = state.store.setting(DURESS_RESPONSE_SETTING).await?;
    if DuressResponse::from_setting(setting.as_deref()) == DuressResponse::WipeAndAlert {
        state.store.wipe_staff_keys(staff.id, None).await?;
    }
    record(state, Some(staff.id), Action::DuressResponse, None, Outcome::Ok).await?;
    state
        .store
        .add_alert(&StaffAlert {
            id: mamar_crypto::generate_salt()?,
            kind: "duress".into(),
            staff_id: staff.id,
            at: now,
        })
        .await?;
    Ok(())
}

pub(super) fn second_factor_path(locale: Locale, stage: SessionStage) -> String {
    match stage {
        SessionStage::Enrol => format!("/{}/staff/login/enrol", locale.code()),
        SessionStage::SecondFactor => format!("/{}/staff/login/code", locale.code()),
        SessionStage::Full => format!("/{}/staff/", locale.code()),
    }
}

fn redirect_with_cookie(to: &str, token: &SessionToken) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(cookie) = token.set_cookie() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Seals the person's keys (and, for a real login, the organisation keys
/// granted to them) into a new session at `stage`.
async fn start_session(
    state: &AppState,
    staff: &StaffRecord,
    keys: StaffKeyPair,
    stage: SessionStage,
    decoy: bool,
) -> Result<SessionToken, LoginError> {
    let mut org_keys = Vec::new();
    if !decoy {
        for grant in state.store.org_key_grants(staff.id).await? {
            org_keys.push(OrgKey::unwrap(&grant.wrapped, &keys)?);
        }
    }
    seal_session(state, staff, Keyring::new(keys, org_keys), stage, decoy).await
}

async fn seal_session(
    state: &AppState,
    staff: &StaffRecord,
    keyring: Keyring,
    stage: SessionStage,
    decoy: bool,
) -> Result<SessionToken, LoginError> {
    let token = SessionToken::generate()?;
    let now = state.clock.now();
    let record = SessionRecord {
        id: token.id,
        staff_id: staff.id,
        keyring: keyring.seal(&token.key, &token.id)?,
        csrf_token: mamar_crypto::generate_salt()?.to_vec(),
        created_at: now,
        last_seen: now,
        stage,
        decoy,
    };
    state.store.create_session(&record).await?;
    Ok(token)
}

/// Both factors passed: a new session (new id, new key, new CSRF token)
/// replaces the half-finished one.
pub(super) async fn finish_login(state: &AppState, ctx: &StaffContext) -> Result<Response, LoginError> {
    let token = promote(state, ctx).await?;
    let response = redirect_with_cookie(&format!("/{}/staff/", ctx.locale.code()), &token);
    Ok(with_device_cookie(state, ctx.staff.id, response).await)
}

/// The session that replaces a half-finished one once both factors passed.
pub(crate) async fn promote(state: &AppState, ctx: &StaffContext) -> Result<SessionToken, LoginError> {
    let keyring = Keyring::open(
        &ctx.session.record.keyring,
        &ctx.session.token.key,
        &ctx.session.record.id,
    )?;
    crate::checkpoints::certify_at_login(state, ctx.staff.id, &keyring).await;
    let token = seal_session(state, &ctx.staff, keyring, SessionStage::Full, ctx.is_decoy()).await?;
    state.store.delete_session(&ctx.session.record.id).await?;
    record(
        state,
        Some(ctx.staff.id),
        Action::LoginSucceeded,
        None,
        Outcome::Ok,
    )
    .await?;
    Ok(token)
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Err(error) = state.store.delete_session(&ctx.session.record.id).await {
        return PageError::internal(ctx.locale, &error).into_response();
    }
    if let Err(error) = record(&state, Some(ctx.staff.id), Action::Logout, None, Outcome::Ok).await {
        return PageError::internal(ctx.locale, &error).into_response();
    }
    let mut response =
        Redirect::to(&format!("/{}/staff/login?notice=logged-out", ctx.locale.code())).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_starts_at_the_fifth_failure_and_doubles_up_to_an_hour() {
        assert_eq!(locked_until(4, 1_000), 0);
        assert_eq!(locked_until(5, 1_000), 1_060);
        assert_eq!(locked_until(6, 1_000), 1_120);
        assert_eq!(locked_until(8, 1_000), 1_480);
        assert_eq!(locked_until(30, 1_000), 1_000 + MAX_LOCKOUT_SECS);
        assert_eq!(locked_until(i64::MAX, 1_000), 1_000 + MAX_LOCKOUT_SECS);
    }
}
