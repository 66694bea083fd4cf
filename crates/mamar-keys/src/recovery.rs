//! Recovery by trustees: the organisation keys are sealed under a random
//! recovery secret, the sealed bundle is stored, and the secret itself is
//! split k-of-n among trustees and never stored. Any k trustees together can
//! give a new administrator the organisation keys again.

use mamar_core::{Role, StaffId, Username};
use mamar_crypto::{KdfParams, OrgKey, Password, RecoverySecret, RecoveryShare, StaffKeyPair};
use mamar_store::{NewOrgKeyGrant, NewStaff, Store};

use crate::KeyError;

/// Unlocks `username`'s organisation keys with their password, seals them
/// under a fresh recovery secret (replacing any earlier bundle) and returns
/// the secret split into `shares` shares, any `threshold` of which rebuild
/// it. Runs Argon2id inline: call it from the command line, not a server.
pub async fn create_recovery(
    store: &dyn Store,
    username: &Username,
    password: &Password,
    threshold: usize,
    shares: usize,
) -> Result<Vec<RecoveryShare>, KeyError> {
    if threshold < 2 || shares < threshold {
        return Err(KeyError::BadThreshold);
    }
    let (staff, keys) = unlock(store, username, password).await?;
    let mut org_keys = Vec::new();
    for grant in store.org_key_grants(staff.id).await? {
        org_keys.push(OrgKey::unwrap(&grant.wrapped, &keys)?);
    }
    if org_keys.is_empty() {
        return Err(KeyError::NotSetUp);
    }
    let secret = RecoverySecret::generate()?;
    let sealed = mamar_crypto::seal_org_keys(&secret, &org_keys)?;
    store.save_recovery_bundle(&sealed).await?;
    // Backups are sealed to a key pair derived from the same secret: the
    // server keeps the public half, the trustees' shares rebuild the private one.
    let backup_key = secret.backup_key_pair().public_key().to_bytes();
    store
        .set_setting(crate::backup::BACKUP_KEY_SETTING, &backup_key)
        .await?;
    Ok(mamar_crypto::split(&secret, threshold, shares)?)
}

/// `username`'s record and private keys, unlocked with `password` (Argon2id, inline).
pub(crate) async fn unlock(
    store: &dyn Store,
    username: &Username,
    password: &Password,
) -> Result<(mamar_store::StaffRecord, StaffKeyPair), KeyError> {
    let staff = store
        .staff_by_username(username)
        .await?
        .ok_or(KeyError::WrongCredentials)?;
    let keys =
        StaffKeyPair::unwrap_with_password(&staff.wrapped_secret_keys, password).map_err(
            |error| match error {
                mamar_crypto::CryptoError::WrongPassword => KeyError::WrongCredentials,
                other => KeyError::Crypto(other),
            },
        )?;
    Ok((staff, keys))
}

/// Rebuilds the recovery secret from trustees' shares, opens the stored
/// bundle and creates a new administrator who holds every organisation key.
/// Fails, and changes nothing, with too few, wrong or mixed shares, or when
/// the bundle is gone (after a panic).
pub async fn restore_from_recovery(
    store: &dyn Store,
    shares: &[RecoveryShare],
    username: Username,
    password: &Password,
    params: &KdfParams,
) -> Result<StaffId, KeyError> {
    let sealed = store
        .recovery_bundle()
        .await?
        .ok_or(KeyError::NoRecoveryMaterial)?;
    let secret = mamar_crypto::combine(shares)?;
    let org_keys = mamar_crypto::open_org_keys(&secret, &sealed)?;
    let staff = StaffKeyPair::generate()?;
    let public = staff.public_keys();
    let grants = org_keys
        .iter()
        .map(|key| {
            Ok(NewOrgKeyGrant {
                kind: key.kind().code().to_owned(),
                generation: i64::from(key.generation()),
                wrapped: key.wrap_to(&public)?,
            })
        })
        .collect::<Result<Vec<_>, KeyError>>()?;
    let id = StaffId::random();
    let admin = NewStaff {
        id,
        username,
        roles: vec![Role::Administrator],
        public_keys: public.to_bytes(),
        wrapped_secret_keys: staff.wrap_with_password(password, params)?,
    };
    store.add_staff(&admin, &grants).await?;
    Ok(id)
}
