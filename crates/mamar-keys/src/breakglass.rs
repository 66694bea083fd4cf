//! Setting up break-glass (issue 16), an organisation's opt-in: a random
//! break-glass secret is made, the escrow key pair derived from it
//! (`RecoverySecret::break_glass_key_pair`), its public half stored, and the
//! secret split k-of-n with the trustees' share code among the current
//! administrators, each share sealed to that administrator's staff key. The
//! secret and the private half are zeroized when this returns; from then on
//! every case key is also wrapped to the public half, and no fewer than k
//! administrators together can open one (`mamar_usecases::breakglass`).
//!
//! When the administrators change, k of those who hold a share re-share it
//! ([`reshare_break_glass`]): their shares rebuild the old secret, a new
//! secret and escrow key pair are made, every case's escrow wrap is re-made
//! for the new key, and the new secret is split among the current
//! administrators. A new administrator takes part, and a share kept from
//! before (by one who left, or from a copy of an old database) opens
//! nothing stored from then on: only old copies of the database, which
//! held the same cases under the old key.

use mamar_core::{Role, StaffId, Username};
use mamar_crypto::{
    CaseKey, EncryptionPublicKey, Password, RecoverySecret, RecoveryShare, SealPurpose, StaffPublicKeys,
};
use mamar_store::{BreakGlassSetup, EscrowRewrap, Store, StoreError};

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
    let sealed = split_among(&secret, threshold, &holders, &setup_id)?;
    drop(secret);
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

/// Where the shares are against the administrators in office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareHolders {
    pub threshold: usize,
    /// Administrators in office (enabled, with keys) who hold a share.
    pub in_office: usize,
    /// Holders who are no longer administrators in office.
    pub left: usize,
    /// Administrators in office who hold none.
    pub without_share: usize,
}

impl ShareHolders {
    /// Whether the administrators in office can still open a case together.
    pub fn usable(&self) -> bool {
        self.in_office >= self.threshold
    }

    /// Whether every administrator in office, and nobody else, holds a share.
    pub fn match_the_administrators(&self) -> bool {
        self.left == 0 && self.without_share == 0
    }
}

/// Where the shares of `setup` (the set-up the caller has read) are.
pub async fn break_glass_share_holders(
    store: &dyn Store,
    setup: &BreakGlassSetup,
) -> Result<ShareHolders, KeyError> {
    let holders = store.break_glass_share_holders().await?;
    let current = break_glass_holders(store).await?;
    let in_office = current.iter().filter(|(id, _)| holders.contains(id)).count();
    Ok(ShareHolders {
        threshold: usize::try_from(setup.threshold).map_err(|_| KeyError::Corrupt)?,
        in_office,
        left: holders.len() - in_office,
        without_share: current.len() - in_office,
    })
}

/// What a re-share did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReshareReport {
    pub threshold: usize,
    /// One new share per current administrator.
    pub administrators: usize,
    /// Requests that were waiting for approvals, cancelled (they must be asked again).
    pub cancelled_requests: u64,
    /// Cases whose escrow wrap was re-made for the new escrow key.
    pub rewrapped: u64,
    /// Escrow wraps deleted because they did not open with the old key or changed during the
    /// re-share: those cases are escrowed again under the new key the next time a holder of
    /// their key acts on them (`mamar doctor` and the break-glass page count them).
    pub dropped: u64,
}

/// Seals a share of `secret` to each holder for the set-up `setup_id`.
fn split_among(
    secret: &RecoverySecret,
    threshold: usize,
    holders: &[(StaffId, StaffPublicKeys)],
    setup_id: &[u8; 16],
) -> Result<Vec<(StaffId, Vec<u8>)>, KeyError> {
    let shares = mamar_crypto::split(secret, threshold, holders.len())?;
    let purpose = SealPurpose::BreakGlassShare { id: setup_id };
    let mut sealed = Vec::with_capacity(holders.len());
    for ((holder, public_keys), share) in holders.iter().zip(&shares) {
        let bytes = share.to_bytes();
        sealed.push((
            *holder,
            mamar_crypto::seal(public_keys.encryption(), &purpose, bytes.expose_secret())?,
        ));
    }
    Ok(sealed)
}

/// Re-shares break-glass among the current administrators (enabled, with keys), with
/// `threshold` (the present one when `None`): `shares_of` are holders of a share of the present
/// split, each unlocked with their password, at least as many as its threshold, one of them an
/// administrator in office (a holder who has left may still give their share in person).
/// Their shares rebuild the secret (checked against the stored escrow key); a new secret and
/// escrow key pair are made, every case's escrow wrap is re-made for the new key, and the new
/// secret is split and sealed to each current administrator; the set-up, the shares, the
/// wraps and the cancelling of waiting requests are one transaction. Afterwards every stored
/// wrap is tried with the new key and any that does not open (written with the old key by a
/// request that read the set-up just before the change) is deleted. Runs Argon2id inline once
/// per administrator: call it from the command line, not a server.
pub async fn reshare_break_glass(
    store: &dyn Store,
    shares_of: &[(Username, Password)],
    threshold: Option<usize>,
) -> Result<ReshareReport, KeyError> {
    let setup = store
        .break_glass_setup()
        .await?
        .ok_or(KeyError::BreakGlassNotSetUp)?;
    let needed = usize::try_from(setup.threshold).map_err(|_| KeyError::Corrupt)?;
    let mut seen = Vec::with_capacity(shares_of.len());
    let mut led = false;
    let mut shares: Vec<RecoveryShare> = Vec::with_capacity(shares_of.len());
    let old_purpose = SealPurpose::BreakGlassShare { id: &setup.setup_id };
    for (username, password) in shares_of {
        let (staff, keys) = crate::recovery::unlock(store, username, password).await?;
        // A holder who has left (disabled, or no longer an administrator) may still give their
        // share in person; an administrator in office must run the ceremony.
        led |= !staff.disabled && staff.roles.contains(&Role::Administrator);
        if seen.contains(&staff.id) {
            return Err(KeyError::SameAdministratorTwice {
                name: username.to_string(),
            });
        }
        seen.push(staff.id);
        let sealed = store
            .break_glass_share(staff.id)
            .await?
            .ok_or_else(|| KeyError::NoBreakGlassShare {
                name: username.to_string(),
            })?;
        let bytes = mamar_crypto::open(keys.encryption(), &old_purpose, &sealed)?;
        shares.push(RecoveryShare::from_bytes(bytes.expose_secret())?);
    }
    if !led {
        return Err(KeyError::NotAnAdministrator);
    }
    if shares.len() < needed {
        return Err(KeyError::TooFewBreakGlassShares {
            needed,
            given: shares.len(),
        });
    }
    let secret = mamar_crypto::combine(&shares).map_err(|_| KeyError::BreakGlassSharesDoNotMatch)?;
    drop(shares);
    let old_escrow = secret.break_glass_key_pair();
    drop(secret);
    if old_escrow.public_key().to_bytes().as_slice() != setup.public_key.as_slice() {
        return Err(KeyError::BreakGlassSharesDoNotMatch);
    }
    let holders = break_glass_holders(store).await?;
    let threshold = threshold.unwrap_or(needed);
    if threshold < 2 || threshold > holders.len() {
        return Err(KeyError::BadBreakGlassThreshold {
            administrators: holders.len(),
        });
    }
    let new_secret = RecoverySecret::generate()?;
    let new_escrow = new_secret.break_glass_key_pair();
    let new_public = *new_escrow.public_key();
    let mut rewrapped = Vec::new();
    for (case, wrapped) in store.case_escrows().await? {
        // A wrap the old key does not open is left out: the store deletes it.
        let Ok(key) = CaseKey::unwrap_escrow(&wrapped, &case, &old_escrow) else {
            continue;
        };
        rewrapped.push(EscrowRewrap {
            case_id: case,
            new: key.wrap_to_escrow(&new_public, &case)?,
            old: wrapped,
        });
    }
    drop(old_escrow);
    let new = BreakGlassSetup {
        setup_id: mamar_crypto::random_bytes::<16>()?,
        threshold: i64::try_from(threshold).map_err(|_| KeyError::Corrupt)?,
        public_key: new_public.to_bytes().to_vec(),
        created_at: setup.created_at,
    };
    let sealed = split_among(&new_secret, threshold, &holders, &new.setup_id)?;
    drop(new_secret);
    let outcome = store
        .reshare_break_glass(&setup.setup_id, &new, &sealed, &rewrapped)
        .await?
        .ok_or(KeyError::BreakGlassChangedMeanwhile)?;
    // A request that read the old set-up just before the change may have written a wrap for the
    // old key since: none may stay.
    // The wraps just written are known to open: only the others are tried.
    let written: std::collections::HashMap<[u8; 16], &[u8]> =
        rewrapped.iter().map(|r| (r.case_id, r.new.as_slice())).collect();
    let mut dropped = outcome.dropped;
    for (case, wrapped) in store.case_escrows().await? {
        if written.get(&case) == Some(&wrapped.as_slice()) {
            continue;
        }
        if CaseKey::unwrap_escrow(&wrapped, &case, &new_escrow).is_err()
            && store.drop_case_escrow_if(&case, &wrapped).await?
        {
            dropped += 1;
        }
    }
    Ok(ReshareReport {
        threshold,
        administrators: holders.len(),
        cancelled_requests: outcome.cancelled_requests,
        rewrapped: outcome.rewrapped,
        dropped,
    })
}
