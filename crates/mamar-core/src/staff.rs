//! Staff identities and roles. Roles are fixed in kind (an organisation may
//! rename them for display, never weaken them); what each grants lives with
//! the authorization rules.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StaffId(uuid::Uuid);

impl StaffId {
    /// A fresh random id: ids carry no time or order, so they reveal nothing.
    pub fn random() -> Self {
        StaffId(uuid::Uuid::new_v4())
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        StaffId(uuid::Uuid::from_bytes(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }
}

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Administrator,
    IntakeOperator,
    VettingOfficer,
    ExitCoordinator,
    ReceptionOfficer,
    Analyst,
    Auditor,
    PartnerLiaison,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Administrator,
        Role::IntakeOperator,
        Role::VettingOfficer,
        Role::ExitCoordinator,
        Role::ReceptionOfficer,
        Role::Analyst,
        Role::Auditor,
        Role::PartnerLiaison,
    ];

    /// The stable identifier stored in the database and used in translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::IntakeOperator => "intake-operator",
            Role::VettingOfficer => "vetting-officer",
            Role::ExitCoordinator => "exit-coordinator",
            Role::ReceptionOfficer => "reception-officer",
            Role::Analyst => "analyst",
            Role::Auditor => "auditor",
            Role::PartnerLiaison => "partner-liaison",
        }
    }
}

impl Role {
    /// The organisation keys (by their stable codes) a holder of this role
    /// needs. Roles that work on cases get case keys per assignment instead;
    /// the auditor reads the audit log, which holds no secrets.
    pub fn org_key_kinds(self) -> &'static [&'static str] {
        match self {
            Role::Administrator => &["intake", "analytics", "linkage", "signing"],
            // Reads new requests, signs replies to requesters, and indexes
            // who a person is (blind indexes under the linkage key) when it
            // opens a case, to warn of duplicates.
            Role::IntakeOperator => &["intake", "linkage", "signing"],
            // Signs the messages it sends requesters from its cases.
            Role::ExitCoordinator => &["signing"],
            // Aggregates and cross-organisation matching only.
            Role::Analyst => &["analytics", "linkage"],
            Role::VettingOfficer | Role::ReceptionOfficer | Role::Auditor | Role::PartnerLiaison => &[],
        }
    }
}

/// The organisation keys a set of roles needs, each once, in a stable order.
pub fn org_key_kinds_for(roles: &[Role]) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = roles
        .iter()
        .flat_map(|role| role.org_key_kinds().iter().copied())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.code() == s)
            .ok_or_else(|| UnknownRole(s.chars().take(32).collect()))
    }
}

/// A staff login name: 3 to 64 characters of lower-case ASCII letters,
/// digits, `.`, `_` and `-`, starting with a letter. Kept ASCII so that two
/// names that look alike are alike.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("a user name needs 3 to 64 characters")]
    Length,
    #[error("a user name starts with a letter a-z")]
    Start,
    #[error("a user name may hold only a-z, 0-9, '.', '_' and '-'")]
    Character,
}

impl Username {
    pub fn parse(input: &str) -> Result<Self, UsernameError> {
        let name = input.trim().to_ascii_lowercase();
        if !(3..=64).contains(&name.len()) {
            return Err(UsernameError::Length);
        }
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(UsernameError::Start);
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err(UsernameError::Character);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_need_only_the_organisation_keys_of_their_work() {
        assert_eq!(
            org_key_kinds_for(&[Role::Auditor, Role::PartnerLiaison]),
            Vec::<&str>::new()
        );
        assert_eq!(
            org_key_kinds_for(&[Role::IntakeOperator]),
            ["intake", "linkage", "signing"]
        );
        assert_eq!(org_key_kinds_for(&[Role::ExitCoordinator]), ["signing"]);
        assert_eq!(
            org_key_kinds_for(&[Role::Analyst, Role::IntakeOperator]),
            ["analytics", "intake", "linkage", "signing"]
        );
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn usernames_are_folded_and_checked() {
        assert_eq!(Username::parse(" Admin.1 ").unwrap().as_str(), "admin.1");
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse("1abc"), Err(UsernameError::Start));
        assert_eq!(Username::parse("ahmad salim"), Err(UsernameError::Character));
        assert_eq!(Username::parse("أحمد"), Err(UsernameError::Start));
    }

    #[test]
    fn random_ids_differ() {
        assert_ne!(StaffId::random(), StaffId::random());
    }
}
