//! Accounts, as administrators run them: invitations, roles (which wrap or
//! withdraw the organisation keys those roles need), disabling and
//! re-enabling, second-factor resets, the organisation's names for roles,
//! the duress response and alerts. An administrator never chooses or sees
//! anyone's password: invitees set theirs (`invitation.rs`), and each person
//! keeps their own duress password and keys (`security.rs`).
//!
//! Sensitive changes ask for the administrator's password again. In a decoy
//! session (after a duress login) every page is empty and every change is
//! acknowledged and dropped.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mamar_core::{Locale, Role, StaffId, Username};
use mamar_crypto::{Password, StaffKeyPair};
use mamar_usecases::account::{self, AccountError};
use sha2::{Digest, Sha256};

use super::cases::caller;
use super::inbox::hex;
use super::{LangLink, render, switch_links};
use crate::audit_trail::record;
use crate::auth::login::{DuressResponse, LoginError};
use crate::auth::{Ctx, StaffContext, forbidden};
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;
use mamar_store::audit::{Action, Outcome};

pub(crate) type Fields = Vec<(String, String)>;

pub(crate) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

fn roles_in(fields: &Fields) -> Option<Vec<Role>> {
    let mut roles: Vec<Role> = Vec::new();
    for (key, value) in fields {
        if key == "role" {
            let role: Role = value.parse().ok()?;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    roles.sort();
    Some(roles)
}

pub struct AccountView {
    pub id: String,
    pub username: String,
    pub roles: Vec<(String, String, bool)>,
    pub role_names: String,
    pub disabled: bool,
    pub own: bool,
    /// Its roles need organisation keys it has not been given (a new account, say).
    pub keys_missing: bool,
}

pub struct InvitationView {
    pub hash: String,
    pub username: String,
    pub role_names: String,
    pub expired: bool,
}

pub struct AlertView {
    pub text: String,
}

#[derive(Template)]
#[template(path = "staff_accounts.html")]
struct AccountsPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    csrf: String,
    accounts: Vec<AccountView>,
    invitations: Vec<InvitationView>,
    alerts: Vec<AlertView>,
    all_roles: Vec<(String, String)>,
    role_labels: Vec<RoleLabelRow>,
    duress_wipe: bool,
    message: String,
    problem: String,
    new_link: String,
    /// Accounts whose roles wait for organisation keys (not the reader's own).
    waiting: Vec<String>,
}

/// The longest name an organisation may give a role.
const MAX_ROLE_NAME_CHARS: usize = 60;

/// An organisation's own names for roles, by role code and language. A name
/// changes only what people read: what a role may do stays with its code.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct RoleLabels(account::RoleNames);

impl RoleLabels {
    fn own(&self, role: Role, lang: &str) -> Option<&str> {
        self.0.get(role.code())?.get(lang).map(String::as_str)
    }

    fn name(&self, tr: &Tr, role: Role) -> String {
        self.own(role, tr.lang())
            .map(str::to_owned)
            .unwrap_or_else(|| tr.t(&format!("role-{}", role.code())))
    }

    fn names(&self, tr: &Tr, roles: &[Role]) -> String {
        roles
            .iter()
            .map(|role| self.name(tr, *role))
            .collect::<Vec<_>>()
            .join("، ")
    }
}

/// One row of the role-names form.
pub struct RoleLabelRow {
    pub code: String,
    pub standard: String,
    pub ar: String,
    pub en: String,
}

#[derive(Default)]
struct PageNote {
    message: String,
    problem: String,
    new_link: String,
    status: Option<StatusCode>,
}

async fn accounts_page(
    state: &AppState,
    ctx: &StaffContext,
    outcome: PageNote,
) -> Result<Response, AccountError> {
    let tr = Tr::new(ctx.locale);
    let now = state.clock.now();
    let account::AccountsOverview {
        staff,
        invitations,
        alerts,
        keys_missing: missing,
        role_names,
        duress_response: setting,
    } = account::accounts_overview(state.store.as_ref(), &caller(ctx), ctx.is_decoy()).await?;
    let labels = RoleLabels(role_names);
    let names: std::collections::HashMap<StaffId, String> =
        staff.iter().map(|s| (s.id, s.username.to_string())).collect();
    let accounts: Vec<AccountView> = staff
        .iter()
        .map(|account| AccountView {
            keys_missing: missing.contains(&account.id),
            id: hex(account.id.as_bytes()),
            username: account.username.to_string(),
            roles: Role::ALL
                .into_iter()
                .map(|role| {
                    (
                        role.code().to_owned(),
                        labels.name(&tr, role),
                        account.roles.contains(&role),
                    )
                })
                .collect(),
            role_names: labels.names(&tr, &account.roles),
            disabled: account.disabled && !ctx.is_decoy(),
            own: account.id == ctx.staff.id,
        })
        .collect();
    let invitations = invitations
        .iter()
        .map(|invitation| InvitationView {
            hash: hex(&invitation.token_hash),
            username: invitation.username.to_string(),
            role_names: labels.names(&tr, &invitation.roles),
            expired: invitation.expires_at <= now,
        })
        .collect();
    let alerts = alerts
        .iter()
        .map(|alert| AlertView {
            text: tr.t1(
                "staff-alert-duress",
                "name",
                names.get(&alert.staff_id).cloned().unwrap_or_default(),
            ),
        })
        .collect();
    let waiting = accounts
        .iter()
        .filter(|account| account.keys_missing && !account.own)
        .map(|account| account.username.clone())
        .collect();
    let page = AccountsPage {
        switch: switch_links(ctx.locale, "/staff/accounts"),
        nav: super::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        waiting,
        accounts,
        invitations,
        alerts,
        all_roles: Role::ALL
            .into_iter()
            .map(|role| (role.code().to_owned(), labels.name(&tr, role)))
            .collect(),
        role_labels: Role::ALL
            .into_iter()
            .map(|role| RoleLabelRow {
                code: role.code().to_owned(),
                standard: tr.t(&format!("role-{}", role.code())),
                ar: labels.own(role, "ar").unwrap_or_default().to_owned(),
                en: labels.own(role, "en").unwrap_or_default().to_owned(),
            })
            .collect(),
        duress_wipe: DuressResponse::from_setting(setting.as_deref()) == DuressResponse::WipeAndAlert,
        message: outcome.message,
        problem: outcome.problem,
        new_link: outcome.new_link,
        tr,
    };
    let mut response = render(&page, ctx.locale);
    if let Some(status) = outcome.status {
        *response.status_mut() = status;
    }
    Ok(response)
}

pub(crate) fn internal(locale: Locale, error: &dyn std::fmt::Display) -> Response {
    PageError::internal(locale, error).into_response()
}

/// The page for an account use case that failed: refused, not found, or broken.
fn account_failed(locale: Locale, error: &AccountError) -> Response {
    match error {
        AccountError::NotAllowed | AccountError::OwnAccount => forbidden(locale),
        AccountError::NoSuchAccount | AccountError::NoSuchInvitation => {
            PageError::new(locale, Failure::NotFound).into_response()
        }
        other => internal(locale, other),
    }
}

/// Back to the list once an account use case is done, or the page for why not.
fn done_or_failed(locale: Locale, done: Result<(), AccountError>) -> Response {
    match done {
        Ok(()) => back_to_accounts(locale),
        Err(error) => account_failed(locale, &error),
    }
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Response {
    accounts_page(&state, &ctx, PageNote::default())
        .await
        .unwrap_or_else(|error| account_failed(ctx.locale, &error))
}

fn back_to_accounts(locale: Locale) -> Response {
    Redirect::to(&format!("/{}/staff/accounts", locale.code())).into_response()
}

async fn problem_page(state: &AppState, ctx: &StaffContext, key: &str, status: StatusCode) -> Response {
    let outcome = PageNote {
        problem: Tr::new(ctx.locale).t(key),
        status: Some(status),
        ..PageNote::default()
    };
    accounts_page(state, ctx, outcome)
        .await
        .unwrap_or_else(|error| account_failed(ctx.locale, &error))
}

pub(crate) fn token_hash(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

pub async fn invite(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    let Ok(username) = Username::parse(field(&fields, "username")) else {
        return problem_page(
            &state,
            &ctx,
            "staff-invite-bad-username",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let roles = match roles_in(&fields) {
        Some(roles) if !roles.is_empty() => roles,
        _ => {
            return problem_page(
                &state,
                &ctx,
                "staff-invite-no-role",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let token = match mamar_crypto::random_bytes::<32>() {
        Ok(token) => token,
        Err(error) => return internal(ctx.locale, &error),
    };
    // The whole link, from the address people reach this server at.
    let link = state.full_link(&format!(
        "/{}/staff/invitation/{}",
        ctx.locale.code(),
        URL_SAFE_NO_PAD.encode(token)
    ));
    if !ctx.is_decoy() {
        let invited = account::invite(
            state.store.as_ref(),
            &caller(&ctx),
            token_hash(&token),
            username,
            roles,
            state.clock.now(),
        )
        .await;
        match invited {
            Ok(()) => {}
            Err(AccountError::UsernameTaken) => {
                return problem_page(&state, &ctx, "staff-invite-taken", StatusCode::CONFLICT).await;
            }
            Err(error) => return account_failed(ctx.locale, &error),
        }
    }
    let outcome = PageNote {
        message: Tr::new(ctx.locale).t("staff-invite-created"),
        new_link: link,
        ..PageNote::default()
    };
    accounts_page(&state, &ctx, outcome)
        .await
        .unwrap_or_else(|error| account_failed(ctx.locale, &error))
}

/// Checks the acting person's own password again, off the executor.
pub(crate) async fn reauthenticate(
    state: &AppState,
    ctx: &StaffContext,
    password: &str,
) -> Result<bool, LoginError> {
    if ctx.is_decoy() {
        return Ok(!password.is_empty());
    }
    let blob = ctx.staff.wrapped_secret_keys.clone();
    let password = Password::new(password.to_owned());
    let _permit = state
        .unlock_permits
        .acquire()
        .await
        .map_err(|_| LoginError::Shutdown)?;
    let passed =
        tokio::task::spawn_blocking(move || StaffKeyPair::unwrap_with_password(&blob, &password).is_ok())
            .await
            .map_err(|_| LoginError::Shutdown)?;
    let outcome = if passed { Outcome::Ok } else { Outcome::Denied };
    record(state, Some(ctx.staff.id), Action::Reauthenticated, None, outcome).await?;
    Ok(passed)
}

fn parse_id(text: &str) -> Option<StaffId> {
    super::inbox::unhex16(text).map(StaffId::from_bytes)
}

/// The account an administrator acts on: never their own (no one changes
/// their own roles or disables themselves), and it must exist here.
async fn target(
    state: &AppState,
    ctx: &StaffContext,
    id: &str,
) -> Result<mamar_store::StaffRecord, Response> {
    let Some(id) = parse_id(id) else {
        return Err(PageError::new(ctx.locale, Failure::NotFound).into_response());
    };
    if ctx.is_decoy() && id != ctx.staff.id {
        return Err(PageError::new(ctx.locale, Failure::NotFound).into_response());
    }
    account::other_account(state.store.as_ref(), &caller(ctx), id)
        .await
        .map_err(|error| account_failed(ctx.locale, &error))
}

async fn confirmed(state: &AppState, ctx: &StaffContext, fields: &Fields) -> Result<(), Response> {
    match reauthenticate(state, ctx, field(fields, "password")).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(problem_page(state, ctx, "staff-reauth-failed", StatusCode::UNAUTHORIZED).await),
        Err(error) => Err(internal(ctx.locale, &error)),
    }
}

/// The account an administrator acts on, once their password is confirmed.
async fn confirmed_target(
    state: &AppState,
    ctx: &StaffContext,
    id: &str,
    fields: &Fields,
) -> Result<mamar_store::StaffRecord, Response> {
    let target = target(state, ctx, id).await?;
    confirmed(state, ctx, fields).await?;
    Ok(target)
}

pub async fn set_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let Some(roles) = roles_in(&fields) else {
        return PageError::new(ctx.locale, Failure::BadRequest).into_response();
    };
    let target = match confirmed_target(&state, &ctx, &id, &fields).await {
        Ok(target) => target,
        Err(response) => return response,
    };
    let done = account::set_roles(
        state.store.as_ref(),
        &caller(&ctx),
        target.id,
        &roles,
        state.clock.now(),
    )
    .await;
    done_or_failed(ctx.locale, done)
}

async fn set_disabled(
    state: AppState,
    ctx: Arc<crate::auth::StaffContext>,
    id: String,
    fields: Fields,
    disabled: bool,
) -> Response {
    let target = match confirmed_target(&state, &ctx, &id, &fields).await {
        Ok(target) => target,
        Err(response) => return response,
    };
    let done = account::set_disabled(
        state.store.as_ref(),
        &caller(&ctx),
        target.id,
        disabled,
        state.clock.now(),
    )
    .await;
    done_or_failed(ctx.locale, done)
}

pub async fn disable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    set_disabled(state, ctx.0, id, fields, true).await
}

/// For someone who lost their phone or key: their TOTP secret and security
/// keys are removed and their sessions end; at their next login they enrol
/// a new second factor. Asks for the administrator's password.
pub async fn reset_second_factor(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let target = match confirmed_target(&state, &ctx, &id, &fields).await {
        Ok(target) => target,
        Err(response) => return response,
    };
    let done =
        account::reset_second_factor(state.store.as_ref(), &caller(&ctx), target.id, state.clock.now()).await;
    done_or_failed(ctx.locale, done)
}

/// The organisation's own names for roles, in Arabic and English; an empty
/// field brings back mamar's name.
pub async fn set_role_names(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    let mut labels = RoleLabels::default();
    for role in Role::ALL {
        for lang in ["ar", "en"] {
            let typed = field(&fields, &format!("name.{}.{lang}", role.code()));
            if typed.trim().is_empty() {
                continue;
            }
            let Ok(name) = mamar_core::text::single_line(typed, MAX_ROLE_NAME_CHARS) else {
                return problem_page(
                    &state,
                    &ctx,
                    "staff-role-name-invalid",
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            labels
                .0
                .entry(role.code().to_owned())
                .or_default()
                .insert(lang.to_owned(), name);
        }
    }
    if ctx.is_decoy() {
        return back_to_accounts(ctx.locale);
    }
    let done =
        account::set_role_names(state.store.as_ref(), &caller(&ctx), &labels.0, state.clock.now()).await;
    done_or_failed(ctx.locale, done)
}

pub async fn enable(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    set_disabled(state, ctx.0, id, fields, false).await
}

pub async fn revoke_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, hash)): Path<(String, String)>,
) -> Response {
    let Some(hash) = unhex32(&hash) else {
        return PageError::new(ctx.locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return back_to_accounts(ctx.locale);
    }
    let done =
        account::revoke_invitation(state.store.as_ref(), &caller(&ctx), &hash, state.clock.now()).await;
    done_or_failed(ctx.locale, done)
}

fn unhex32(text: &str) -> Option<[u8; 32]> {
    let (first, second) = text.split_at_checked(32)?;
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(&super::inbox::unhex16(first)?);
    out[16..].copy_from_slice(&super::inbox::unhex16(second)?);
    Some(out)
}

pub async fn set_duress_response(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Fields>,
) -> Response {
    let response = match field(&fields, "response") {
        "wipe-and-alert" => DuressResponse::WipeAndAlert,
        "alert-only" => DuressResponse::AlertOnly,
        _ => return PageError::new(ctx.locale, Failure::BadRequest).into_response(),
    };
    if ctx.is_decoy() {
        return back_to_accounts(ctx.locale);
    }
    let done = account::set_duress_response(state.store.as_ref(), &caller(&ctx), response.code()).await;
    done_or_failed(ctx.locale, done)
}

/// A fresh staff key pair wrapped under `password` with this server's
/// Argon2id parameters, off the executor.
pub(crate) async fn wrap_new_keys(
    state: &AppState,
    password: &str,
) -> Result<(StaffKeyPair, Vec<u8>), LoginError> {
    let params = state.kdf_params().await?;
    let password = Password::new(password.to_owned());
    let _permit = state
        .unlock_permits
        .acquire()
        .await
        .map_err(|_| LoginError::Shutdown)?;
    tokio::task::spawn_blocking(move || {
        let keys = StaffKeyPair::generate()?;
        let wrapped = keys.wrap_with_password(&password, &params)?;
        Ok((keys, wrapped))
    })
    .await
    .map_err(|_| LoginError::Shutdown)?
}
