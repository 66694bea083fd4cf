//! Setting up break-glass (issue 16), an organisation's opt-in: a random
//! break-glass secret is made, the escrow key pair derived from it
//! (`RecoverySecret::break_glass_key_pair`), its public half stored, and the
//! secret split k-of-n with the trustees' share code among the current
//! administrators, each share sealed to that administrator's staff key. The
//! secret and the private half are zeroized when this returns; from then on
//! every case key is also wrapped to the public half, and no fewer than k
//! administrators together can open one (`mamar_usecases::breakglass`).

use mamar_core::{Role, StaffId, Username};
use mamar_crypto::{CaseKey, EncryptionPublicKey, Password, RecoverySecret, SealPurpose, StaffPublicKeys};
use mamar_store::{BreakGlassSetup, Store, StoreError};

use crate::KeyError;

/// What the set-up made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassReport {
    pub threshold: usize,
    /// One share per administrator.
    pub administrators: usize,
    /// Cases the ceremony's administrator holds a key to, escrowed at once.
    pub escrowed: usize,
}

/// The administrators a set-up splits the secret among: enabled, with keys.
pub async fn break_glass_holders(store: &dyn Store) -> Result<Vec<(StaffId, StaffPublicKeys)>, KeyError> {
    let mut out = Vec::new();
    for staff in store.all_staff().await? {
        if staff.disabled || !staff.roles.contains(&Role::Administrator) || staff.public_keys.is_empty() {
            continue;
        }
        out.push((staff.id, StaffPublicKeys::from_bytes(&staff.public_keys)?));
    }
    Ok(out)
}

/// The escrow public key, once break-glass is set up.
pub async fn escrow_public_key(store: &dyn Store) -> Result<Option<EncryptionPublicKey>, KeyError> {
    match store.break_glass_setup().await? {
        None => Ok(None),
        Some(setup) => {
            let bytes: [u8; 32] = setup
                .public_key
                .as_slice()
                .try_into()
                .map_err(|_| KeyError::Corrupt)?;
            Ok(Some(EncryptionPublicKey::from_bytes(bytes)))
        }
    }
}

/// `username` (an administrator, unlocked with `password`) sets up
/// break-glass with threshold `threshold` among every current administrator.
/// Runs Argon2id inline: call it from the command line, not a server.
pub async fn set_up_break_glass(
    store: &dyn Store,
    username: &Username,
    password: &Password,
    threshold: usize,
    now: i64,
) -> Result<BreakGlassReport, KeyError> {
    let (staff, keys) = crate::recovery::unlock(store, username, password).await?;
    if staff.disabled {
        return Err(KeyError::WrongCredentials);
    }
    if !staff.roles.contains(&Role::Administrator) {
        return Err(KeyError::NotAnAdministrator);
    }
    let holders = break_glass_holders(store).await?;
    if threshold < 2 || threshold > holders.len() {
        return Err(KeyError::BadBreakGlassThreshold {
            administrators: holders.len(),
        });
    }
    let setup_id = mamar_crypto::random_bytes::<16>()?;
    let secret = RecoverySecret::generate()?;
    let public = *secret.break_glass_key_pair().public_key();
    let shares = mamar_crypto::split(&secret, threshold, holders.len())?;
    drop(secret);
    let purpose = SealPurpose::BreakGlassShare { id: &setup_id };
    let mut sealed = Vec::with_capacity(holders.len());
    for ((holder, public_keys), share) in holders.iter().zip(&shares) {
        let bytes = share.to_bytes();
        sealed.push((
            *holder,
            mamar_crypto::seal(public_keys.encryption(), &purpose, bytes.expose_secret())?,
        ));
    }
    drop(shares);
    let i64_of = |n: usize| i64::try_from(n).map_err(|_| KeyError::Corrupt);
    let setup = BreakGlassSetup {
        setup_id,
        threshold: i64_of(threshold)?,
        public_key: public.to_bytes().to_vec(),
        created_at: now,
    };
    store
        .set_up_break_glass(&setup, &sealed)
        .await
        .map_err(|error| match error {
            StoreError::BreakGlassAlreadySetUp => KeyError::BreakGlassAlreadySetUp,
            other => KeyError::Store(other),
        })?;
    // The cases this administrator holds a key to are escrowed now; every other one the next
    // time a holder of its key acts on it.
    let mut escrowed = 0;
    for entry in store.cases_for_staff(staff.id, u32::MAX).await? {
        let Ok(key) = CaseKey::unwrap(&entry.wrapped_key, &entry.file.id, &keys) else {
            continue;
        };
        let wrapped = key.wrap_to_escrow(&public, &entry.file.id)?;
        store.put_case_escrow(&entry.file.id, &wrapped).await?;
        escrowed += 1;
    }
    Ok(BreakGlassReport {
        threshold,
        administrators: holders.len(),
        escrowed,
    })
}
