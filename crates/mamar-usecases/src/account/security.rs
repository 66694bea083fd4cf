//! A person's own account safety: their security keys and passkeys (a key's
//! name is its owner's own label, sealed to their own key under the key's
//! credential id, so the database shows that a key has a name, never the
//! name), their authenticator app, their duress keys and their password's
//! wrap. Each use case acts on the caller's own account only: nobody reaches
//! another person's second factors from here (an administrator's reset is
//! on the accounts page).
//!
//! The channel checks the caller's password again before a change, and
//! makes the new wraps (the password work runs where the channel bounds it).

use mamar_audit::{Action, AuditDraft, Outcome};
use mamar_crypto::{Keyring, SealPurpose};
use mamar_store::{Store, StoreError};

use super::AccountError;
use crate::Caller;

/// One of the caller's own keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnKey {
    pub credential_id: Vec<u8>,
    /// When it was added, Unix seconds.
    pub added: i64,
    /// Its owner's name for it, opened with their keys; empty when unnamed
    /// (or when the name does not open).
    pub name: String,
}

/// What the caller's own security page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnSecurity {
    /// The caller's keys, oldest first.
    pub keys: Vec<OwnKey>,
    /// An authenticator app is set.
    pub has_app: bool,
    /// A duress password is set.
    pub has_duress: bool,
}

async fn record(
    store: &dyn Store,
    caller: &Caller<'_>,
    action: Action,
    outcome: Outcome,
    now: i64,
) -> Result<(), StoreError> {
    let draft = AuditDraft::new(now, action, outcome).by(Some(caller.staff.id));
    store.append_audit(&draft).await.map(|_| ())
}

/// `name` sealed to the person's own key, under the key's credential id.
pub fn seal_key_name(
    keyring: &Keyring,
    credential_id: &[u8],
    name: &str,
) -> Result<Vec<u8>, mamar_crypto::CryptoError> {
    mamar_crypto::seal(
        keyring.staff().encryption().public_key(),
        &SealPurpose::KeyName { credential_id },
        name.as_bytes(),
    )
}

fn open_key_name(keyring: &Keyring, credential_id: &[u8], sealed: Option<&[u8]>) -> String {
    sealed
        .and_then(|sealed| {
            mamar_crypto::open(
                keyring.staff().encryption(),
                &SealPurpose::KeyName { credential_id },
                sealed,
            )
            .ok()
        })
        .map(|plain| String::from_utf8_lossy(plain.expose_secret()).into_owned())
        .unwrap_or_default()
}

/// The caller's own keys (their names opened), and whether they have an
/// authenticator app and a duress password.
pub async fn own_security(store: &dyn Store, caller: &Caller<'_>) -> Result<OwnSecurity, AccountError> {
    let login = store.login_state(caller.staff.id).await?;
    let keys = store
        .webauthn_key_list(caller.staff.id)
        .await?
        .into_iter()
        .map(|key| OwnKey {
            name: open_key_name(caller.keyring, &key.credential_id, key.name_sealed.as_deref()),
            credential_id: key.credential_id,
            added: key.added,
        })
        .collect();
    Ok(OwnSecurity {
        keys,
        has_duress: login.as_ref().is_some_and(|login| login.duress_keys.is_some()),
        has_app: login.is_some_and(|login| login.totp_sealed.is_some()),
    })
}

/// Sets (`Some`: a throwaway key pair wrapped under the duress password) or
/// removes (`None`) the caller's own duress keys, and records which.
pub async fn set_own_duress_keys(
    store: &dyn Store,
    caller: &Caller<'_>,
    wrapped: Option<&[u8]>,
    now: i64,
) -> Result<(), AccountError> {
    store.set_duress_keys(caller.staff.id, wrapped).await?;
    let action = if wrapped.is_some() {
        Action::DuressPasswordSet
    } else {
        Action::DuressPasswordRemoved
    };
    record(store, caller, action, Outcome::Ok, now).await?;
    Ok(())
}

/// The caller's own duress keys, if set: a new password must not open them
/// (it would then be the duress password).
pub async fn own_duress_keys(
    store: &dyn Store,
    caller: &Caller<'_>,
) -> Result<Option<Vec<u8>>, AccountError> {
    Ok(store
        .login_state(caller.staff.id)
        .await?
        .and_then(|login| login.duress_keys))
}

/// Ends a password change: with `wrapped` (the caller's same keys wrapped
/// under the new password) it is stored and recorded as done; without it
/// the change was refused (wrong current password, or the duress password)
/// and recorded as denied.
pub async fn finish_password_change(
    store: &dyn Store,
    caller: &Caller<'_>,
    wrapped: Option<&[u8]>,
    now: i64,
) -> Result<(), AccountError> {
    let outcome = match wrapped {
        Some(wrapped) => {
            store.update_staff_secret_keys(caller.staff.id, wrapped).await?;
            Outcome::Ok
        }
        None => Outcome::Denied,
    };
    record(store, caller, Action::PasswordChanged, outcome, now).await?;
    Ok(())
}

/// Removes one of the caller's own keys. The last second factor is kept
/// ([`AccountError::LastSecondFactor`]): an account with neither a key nor
/// an authenticator app could not finish a login.
pub async fn remove_own_key(
    store: &dyn Store,
    caller: &Caller<'_>,
    credential_id: &[u8],
    now: i64,
) -> Result<(), AccountError> {
    let keys = store.webauthn_key_list(caller.staff.id).await?;
    let has_app = store
        .login_state(caller.staff.id)
        .await?
        .is_some_and(|login| login.totp_sealed.is_some());
    if keys.len() == 1 && !has_app && keys.iter().any(|key| key.credential_id == credential_id) {
        return Err(AccountError::LastSecondFactor);
    }
    if !store
        .delete_webauthn_credential(caller.staff.id, credential_id)
        .await?
    {
        return Err(AccountError::NoSuchKey);
    }
    record(store, caller, Action::SecondFactorRemoved, Outcome::Ok, now).await?;
    Ok(())
}

/// Names, renames or (`None`) unnames one of the caller's own keys. A name
/// opens nothing, so no password is asked.
pub async fn name_own_key(
    store: &dyn Store,
    caller: &Caller<'_>,
    credential_id: &[u8],
    name: Option<&str>,
) -> Result<(), AccountError> {
    let sealed = name
        .map(|name| seal_key_name(caller.keyring, credential_id, name))
        .transpose()?;
    if store
        .name_webauthn_key(caller.staff.id, credential_id, sealed.as_deref())
        .await?
    {
        Ok(())
    } else {
        Err(AccountError::NoSuchKey)
    }
}
