//! What administrators do to other people's accounts and to the
//! organisation's account settings: invitations, roles (which wrap or
//! withdraw the organisation keys those roles need), disabling and
//! re-enabling, second-factor resets, the organisation's names for roles and
//! the duress response. Administrators only, each act on another person's
//! account only (nobody changes their own roles or disables themselves), and
//! each recorded in the audit log.
//!
//! The channel checks the administrator's password again before the
//! sensitive acts; a decoy session's changes are dropped by the channel.

use mamar_audit::{Action, AuditDraft, Outcome};
use mamar_core::{Role, StaffId, Username, org_key_kinds_for};
use mamar_crypto::StaffPublicKeys;
use mamar_store::{Invitation, NewOrgKeyGrant, StaffRecord, Store, StoreError};

use super::{AccountError, DURESS_RESPONSE_SETTING, ROLE_NAMES_SETTING, RoleNames};
use crate::Caller;

/// How long an invitation link works.
pub const INVITATION_LIFETIME_SECS: i64 = 72 * 60 * 60;

fn require_admin(caller: &Caller<'_>) -> Result<(), AccountError> {
    if caller.actor().is_administrator() {
        Ok(())
    } else {
        Err(AccountError::NotAllowed)
    }
}

async fn record(
    store: &dyn Store,
    caller: &Caller<'_>,
    action: Action,
    object: Option<[u8; 16]>,
    now: i64,
) -> Result<(), StoreError> {
    let draft = AuditDraft::new(now, action, Outcome::Ok)
        .by(Some(caller.staff.id))
        .on(object);
    store.append_audit(&draft).await.map(|_| ())
}

/// The first 16 bytes of an invitation's token hash: its audit object id.
pub(super) fn invitation_object(hash: &[u8; 32]) -> [u8; 16] {
    let mut id = [0u8; 16];
    id.copy_from_slice(&hash[..16]);
    id
}

/// The account an administrator acts on: never their own
/// ([`AccountError::OwnAccount`]), and it must exist here
/// ([`AccountError::NoSuchAccount`]).
pub async fn other_account(
    store: &dyn Store,
    caller: &Caller<'_>,
    id: StaffId,
) -> Result<StaffRecord, AccountError> {
    require_admin(caller)?;
    if id == caller.staff.id {
        return Err(AccountError::OwnAccount);
    }
    store.staff_by_id(id).await?.ok_or(AccountError::NoSuchAccount)
}

/// An invitation for `username` with `roles`, its one-time link's token
/// stored only as `token_hash`; it works for [`INVITATION_LIFETIME_SECS`].
/// [`AccountError::UsernameTaken`] when an account or invitation has the name.
pub async fn invite(
    store: &dyn Store,
    caller: &Caller<'_>,
    token_hash: [u8; 32],
    username: Username,
    roles: Vec<Role>,
    now: i64,
) -> Result<(), AccountError> {
    require_admin(caller)?;
    let invitation = Invitation {
        token_hash,
        username,
        roles,
        invited_by: caller.staff.id,
        created_at: now,
        expires_at: now + INVITATION_LIFETIME_SECS,
    };
    match store.create_invitation(&invitation).await {
        Ok(()) => {}
        Err(StoreError::UsernameTaken) => return Err(AccountError::UsernameTaken),
        Err(error) => return Err(error.into()),
    }
    let object = Some(invitation_object(&token_hash));
    record(store, caller, Action::StaffInvited, object, now).await?;
    Ok(())
}

/// Withdraws an invitation before it is used.
pub async fn revoke_invitation(
    store: &dyn Store,
    caller: &Caller<'_>,
    token_hash: &[u8; 32],
    now: i64,
) -> Result<(), AccountError> {
    require_admin(caller)?;
    if !store.delete_invitation(token_hash).await? {
        return Err(AccountError::NoSuchInvitation);
    }
    let object = Some(invitation_object(token_hash));
    record(store, caller, Action::InvitationRevoked, object, now).await?;
    Ok(())
}

/// Sets another person's roles and makes their organisation keys exactly
/// those the roles need, wrapped from the administrator's own keys. Keys a
/// role no longer needs are withdrawn; the person's sessions end so that
/// nothing unlocked under the old roles lives on. (Withdrawing a wrapping
/// does not unlearn a key someone has already seen: rotate the key for that.)
pub async fn set_roles(
    store: &dyn Store,
    caller: &Caller<'_>,
    target: StaffId,
    roles: &[Role],
    now: i64,
) -> Result<(), AccountError> {
    let target = other_account(store, caller, target).await?;
    let public = StaffPublicKeys::from_bytes(&target.public_keys)?;
    let needed = org_key_kinds_for(roles);
    let mut grants = Vec::new();
    for key in caller.keyring.org_keys() {
        if needed.contains(&key.kind().code()) {
            grants.push(NewOrgKeyGrant {
                kind: key.kind().code().to_owned(),
                generation: i64::from(key.generation()),
                wrapped: key.wrap_to(&public)?,
            });
        }
    }
    store.set_staff_roles(target.id, roles).await?;
    store.delete_org_key_grants(target.id).await?;
    store.add_org_key_grants(target.id, &grants).await?;
    store.delete_staff_sessions(target.id, None).await?;
    record(
        store,
        caller,
        Action::RoleChanged,
        Some(*target.id.as_bytes()),
        now,
    )
    .await?;
    Ok(())
}

/// Disables (or re-enables) another person's account.
pub async fn set_disabled(
    store: &dyn Store,
    caller: &Caller<'_>,
    target: StaffId,
    disabled: bool,
    now: i64,
) -> Result<(), AccountError> {
    let target = other_account(store, caller, target).await?;
    store.set_staff_disabled(target.id, disabled).await?;
    let action = if disabled {
        Action::StaffDisabled
    } else {
        Action::StaffEnabled
    };
    record(store, caller, action, Some(*target.id.as_bytes()), now).await?;
    Ok(())
}

/// For someone who lost their phone or key: their authenticator secret and
/// security keys are removed and their sessions end; at their next login
/// they enrol a new second factor.
pub async fn reset_second_factor(
    store: &dyn Store,
    caller: &Caller<'_>,
    target: StaffId,
    now: i64,
) -> Result<(), AccountError> {
    let target = other_account(store, caller, target).await?;
    store.set_totp(target.id, None).await?;
    store.delete_webauthn_credentials(target.id).await?;
    store.delete_staff_sessions(target.id, None).await?;
    record(
        store,
        caller,
        Action::SecondFactorRemoved,
        Some(*target.id.as_bytes()),
        now,
    )
    .await?;
    Ok(())
}

/// The organisation's own names for roles (replacing every earlier one). A
/// name changes only what people read: what a role may do stays with its code.
pub async fn set_role_names(
    store: &dyn Store,
    caller: &Caller<'_>,
    names: &RoleNames,
    now: i64,
) -> Result<(), AccountError> {
    require_admin(caller)?;
    let json = serde_json::to_vec(names).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store.set_setting(ROLE_NAMES_SETTING, &json).await?;
    record(store, caller, Action::RoleChanged, None, now).await?;
    Ok(())
}

/// What a duress login does from now on, by its code (the channel's
/// `DuressResponse`).
pub async fn set_duress_response(
    store: &dyn Store,
    caller: &Caller<'_>,
    code: &str,
) -> Result<(), AccountError> {
    require_admin(caller)?;
    store
        .set_setting(DURESS_RESPONSE_SETTING, code.as_bytes())
        .await?;
    Ok(())
}
