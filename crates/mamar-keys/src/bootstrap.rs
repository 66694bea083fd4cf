use mamar_core::{Organisation, Role, StaffId, Username};
use mamar_crypto::{KdfParams, OrgKey, OrgKeyKind, OrgPublicKey, Password, StaffKeyPair};
use mamar_store::{InitialSetup, NewOrgKey, NewStaff, OrgKeyGrant};

use crate::KeyError;

/// Everything `mamar init` stores, and the fingerprint to publish.
pub struct Bootstrap {
    pub setup: InitialSetup,
    pub signing_fingerprint: String,
}

/// Generates every organisation key and the first administrator's key
/// pairs, wraps the administrator's private keys under their password (with
/// `params`, stored in the blob) and every organisation key to the
/// administrator. Slow by design (Argon2id): keep it off async executors.
pub fn bootstrap(
    organisation: Organisation,
    username: Username,
    password: &Password,
    params: &KdfParams,
) -> Result<Bootstrap, KeyError> {
    let staff = StaffKeyPair::generate()?;
    let wrapped_secret_keys = staff.wrap_with_password(password, params)?;
    let public = staff.public_keys();
    let org_keys = OrgKey::generate_all(1)?;
    let mut records = Vec::with_capacity(org_keys.len());
    let mut fingerprint = String::new();
    for key in &org_keys {
        let public_part = key.public_key();
        if let Some(verifying) = public_part.as_ref().and_then(OrgPublicKey::signing) {
            fingerprint = verifying.fingerprint().to_string();
        }
        records.push(NewOrgKey {
            kind: key.kind().code().to_owned(),
            generation: i64::from(key.generation()),
            public_part: public_part.map(|p| p.to_bytes()),
            wrapped_for_holder: key.wrap_to(&public)?,
        });
    }
    let admin = NewStaff {
        id: StaffId::random(),
        username,
        roles: vec![Role::Administrator],
        public_keys: public.to_bytes(),
        wrapped_secret_keys,
    };
    Ok(Bootstrap {
        setup: InitialSetup {
            organisation,
            admin,
            org_keys: records,
        },
        signing_fingerprint: fingerprint,
    })
}

/// The fingerprint of the organisation's newest signing key, from the
/// public halves stored beside the grants.
pub fn signing_fingerprint(grants: &[OrgKeyGrant]) -> Option<String> {
    grants
        .iter()
        .filter(|grant| grant.kind == OrgKeyKind::Signing.code())
        .max_by_key(|grant| grant.generation)
        .and_then(|grant| grant.public_part.as_deref())
        .and_then(|bytes| OrgPublicKey::from_bytes(bytes).ok())
        .and_then(|public| public.signing().map(|key| key.fingerprint().to_string()))
}
