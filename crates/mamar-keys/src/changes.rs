//! Key changes that keep the data where it is: a new password re-wraps the
//! same private keys; removing someone from a case gives the case a new key
//! (so what they may have kept of the old one opens nothing new); rotating
//! an organisation key adds a generation wrapped to the same holders.

use mamar_core::StaffId;
use mamar_crypto::{
    CaseKey, CryptoError, KdfParams, Keyring, OrgKeyKind, Password, RecordContext, StaffPublicKeys,
};
use mamar_store::Store;

use crate::KeyError;

/// Re-wraps `staff`'s private keys under `new_password`. Nothing wrapped to
/// those keys (organisation keys, case keys) changes. Runs Argon2id twice
/// inline: keep it off async executors' worker threads.
pub async fn change_password(
    store: &dyn Store,
    staff: StaffId,
    old_password: &Password,
    new_password: &Password,
    params: &KdfParams,
) -> Result<(), KeyError> {
    let record = store
        .staff_by_id(staff)
        .await?
        .ok_or(KeyError::WrongCredentials)?;
    let rewrapped =
        mamar_crypto::rewrap_with_password(&record.wrapped_secret_keys, old_password, new_password, params)
            .map_err(|error| match error {
            CryptoError::WrongPassword => KeyError::WrongCredentials,
            other => KeyError::Crypto(other),
        })?;
    store.update_staff_secret_keys(staff, &rewrapped).await?;
    Ok(())
}

/// Takes `removed` off a case: a fresh case key re-encrypts every record
/// and is wrapped to the remaining assignees only. `actor` must be an
/// assignee; the whole change is one transaction.
pub async fn remove_from_case(
    store: &dyn Store,
    actor: &Keyring,
    actor_id: StaffId,
    case: &[u8; 16],
    removed: StaffId,
) -> Result<(), KeyError> {
    let grants = store.case_grants(case).await?;
    let own = grants
        .iter()
        .find(|(staff, _)| *staff == actor_id)
        .ok_or(KeyError::NotAssigned)?;
    let old_key = CaseKey::unwrap(&own.1, case, actor.staff())?;
    let new_key = CaseKey::generate()?;
    let mut records = Vec::new();
    for record in store.case_records(case).await? {
        let schema_version = u32::try_from(record.schema_version).map_err(|_| KeyError::Corrupt)?;
        let context = RecordContext {
            record_id: &record.id,
            kind: &record.kind,
            schema_version,
        };
        records.push((
            record.id,
            old_key.reencrypt(&record.ciphertext, &context, &new_key)?,
        ));
    }
    let mut new_grants = Vec::new();
    for (staff, _) in grants.iter().filter(|(staff, _)| *staff != removed) {
        let holder = store.staff_by_id(*staff).await?.ok_or(KeyError::Corrupt)?;
        let public = StaffPublicKeys::from_bytes(&holder.public_keys)?;
        new_grants.push((*staff, new_key.wrap_to(&public, case)?));
    }
    store.rekey_case(case, &new_grants, &records).await?;
    // The re-key dropped the old escrow wrap; the new key is escrowed when break-glass is set up.
    if let Some(escrow) = crate::escrow_public_key(store).await? {
        store
            .put_case_escrow(case, &new_key.wrap_to_escrow(&escrow, case)?)
            .await?;
    }
    Ok(())
}

/// Adds the next generation of organisation key `kind`, wrapped to every
/// current holder. Older generations stay, to read what they protected.
/// Returns the new generation.
pub async fn rotate_org_key(store: &dyn Store, actor: &Keyring, kind: OrgKeyKind) -> Result<u32, KeyError> {
    let current = actor.org_key(kind).ok_or(KeyError::NotAHolder)?;
    let next = current.rotate()?;
    let mut grants = Vec::new();
    for (staff, public_keys) in store.org_key_holders(kind.code()).await? {
        let public = StaffPublicKeys::from_bytes(&public_keys)?;
        grants.push((staff, next.wrap_to(&public)?));
    }
    let public_part = next.public_key().map(|p| p.to_bytes());
    store
        .add_org_key_generation(
            kind.code(),
            i64::from(next.generation()),
            public_part.as_deref(),
            &grants,
        )
        .await?;
    Ok(next.generation())
}
