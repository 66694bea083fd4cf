//! Records as the store keeps them: ids, roles and opaque byte blobs whose
//! meaning (ciphertext, wrapped keys) belongs to the crypto crate.

use mamar_core::{Organisation, Role, StaffId, Username};

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub id: StaffId,
    pub username: Username,
    pub roles: Vec<Role>,
    pub public_keys: Vec<u8>,
    pub wrapped_secret_keys: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    pub id: StaffId,
    pub username: Username,
    pub roles: Vec<Role>,
    pub public_keys: Vec<u8>,
    pub wrapped_secret_keys: Vec<u8>,
    pub disabled: bool,
}

/// A new organisation key, already wrapped to the first holder.
#[derive(Debug, Clone)]
pub struct NewOrgKey {
    pub kind: String,
    pub generation: i64,
    pub public_part: Option<Vec<u8>>,
    pub wrapped_for_holder: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgKeyGrant {
    pub kind: String,
    pub generation: i64,
    pub public_part: Option<Vec<u8>>,
    pub wrapped: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct InitialSetup {
    pub organisation: Organisation,
    pub admin: NewStaff,
    pub org_keys: Vec<NewOrgKey>,
}

pub(crate) fn roles_to_text(roles: &[Role]) -> String {
    roles.iter().map(|role| role.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn roles_from_text(text: &str) -> Result<Vec<Role>, StoreError> {
    text.split(',')
        .filter(|code| !code.is_empty())
        .map(|code| {
            code.parse()
                .map_err(|_| StoreError::Corrupt(format!("role {code:?}")))
        })
        .collect()
}

pub(crate) fn staff_id_from_bytes(bytes: &[u8]) -> Result<StaffId, StoreError> {
    let array: [u8; 16] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("staff id".into()))?;
    Ok(StaffId::from_bytes(array))
}

pub(crate) fn username_from_text(text: &str) -> Result<Username, StoreError> {
    Username::parse(text).map_err(|_| StoreError::Corrupt("user name".into()))
}

pub(crate) fn organisation_from_row(
    name_ar: &str,
    name_en: &str,
    locale: &str,
) -> Result<Organisation, StoreError> {
    let locale = locale
        .parse()
        .map_err(|_| StoreError::Corrupt("organisation locale".into()))?;
    Organisation::new(name_ar, name_en, locale).map_err(|e| StoreError::Corrupt(e.to_string()))
}
