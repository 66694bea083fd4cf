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

impl InitialSetup {
    /// The organisation keys as grants to the first administrator.
    pub(crate) fn admin_grants(&self) -> Vec<NewOrgKeyGrant> {
        self.org_keys
            .iter()
            .map(|key| NewOrgKeyGrant {
                kind: key.kind.clone(),
                generation: key.generation,
                wrapped: key.wrapped_for_holder.clone(),
            })
            .collect()
    }
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

/// A staff session as stored: the keyring is ciphertext under a key that
/// only the session cookie holds.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: [u8; 16],
    pub staff_id: StaffId,
    pub keyring: Vec<u8>,
    pub csrf_token: Vec<u8>,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub last_seen: i64,
    /// How far the login has come.
    pub stage: SessionStage,
    /// A session opened with a duress password: it shows an empty workspace.
    pub decoy: bool,
}

/// How far a login has come: a session that has passed the password only can
/// do nothing but its second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// The password was right; the second factor is asked next.
    SecondFactor,
    /// The password was right and no second factor is set up: enrolling one is asked next.
    Enrol,
    /// Both factors passed.
    Full,
}

impl SessionStage {
    pub fn code(self) -> &'static str {
        match self {
            SessionStage::SecondFactor => "second-factor",
            SessionStage::Enrol => "enrol",
            SessionStage::Full => "full",
        }
    }

    pub(crate) fn from_code(code: &str) -> Result<Self, StoreError> {
        match code {
            "second-factor" => Ok(SessionStage::SecondFactor),
            "enrol" => Ok(SessionStage::Enrol),
            "full" => Ok(SessionStage::Full),
            other => Err(StoreError::Corrupt(format!("session stage {other:?}"))),
        }
    }
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("staff_id", &self.staff_id)
            .field("created_at", &self.created_at)
            .field("last_seen", &self.last_seen)
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

/// An organisation key wrapped to one more holder.
#[derive(Debug, Clone)]
pub struct NewOrgKeyGrant {
    pub kind: String,
    pub generation: i64,
    pub wrapped: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct NewCaseRecord {
    pub id: [u8; 16],
    pub kind: String,
    pub schema_version: i64,
    pub ciphertext: Vec<u8>,
}

/// A case with its key wrapped to each assignee and its first records.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub id: [u8; 16],
    pub stage: String,
    /// Coarse on purpose: year and month.
    pub opened_on: String,
    pub grants: Vec<(StaffId, Vec<u8>)>,
    pub records: Vec<NewCaseRecord>,
}

/// What `destroy_key_material` removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DestroyReport {
    pub staff_keys: u64,
    pub org_keys: u64,
    pub org_key_grants: u64,
    pub case_key_grants: u64,
    pub sessions: u64,
    pub recovery_bundles: u64,
    /// Open invitations withdrawn.
    pub invitations: u64,
    /// Replies whose copy for the requester was erased.
    pub replies: u64,
    /// Break-glass shares (standing and handed to an asker) and the escrow key.
    pub break_glass: u64,
    /// Requesters' own copies of their messages and first requests, erased.
    pub own_copies: u64,
}

/// A 16-byte id (session, case, record) read back from the database.
pub(crate) fn id16(bytes: &[u8], what: &str) -> Result<[u8; 16], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("{what} id")))
}

/// A request as stored: everything personal is inside `sealed`.
#[derive(Clone, PartialEq, Eq)]
pub struct IntakeRequest {
    pub id: [u8; 16],
    pub lookup_tag: Vec<u8>,
    pub requester_key: Vec<u8>,
    pub sealed: Vec<u8>,
    pub intake_generation: i64,
    /// `YYYY-MM`: coarse on purpose.
    pub received_month: String,
    /// What the requester typed into the form, sealed under their own-copy
    /// key (derived from the codename) so that they can read it again:
    /// `None` for requests made before copies were kept, empty once the
    /// panic has erased it.
    pub own_copy: Option<Vec<u8>>,
}

impl std::fmt::Debug for IntakeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeRequest")
            .field("received_month", &self.received_month)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeMessage {
    pub id: [u8; 16],
    pub request_id: [u8; 16],
    pub from_requester: bool,
    pub sealed: Vec<u8>,
    pub key_generation: i64,
    pub signature: Option<Vec<u8>>,
    /// A staff reply sealed again to the intake key, so colleagues can read it.
    pub staff_copy: Option<Vec<u8>>,
    /// The month it was sent (`YYYY-MM`, never a day or a time); `None` for
    /// messages stored before months were kept.
    pub sent_month: Option<String>,
    /// A requester's message sealed to their own codename-derived key, so that
    /// they can read it again; `None` for replies and older messages.
    pub own_copy: Option<Vec<u8>>,
}

/// What a requester keeps of a message they send: the month and a copy
/// sealed to their own codename-derived key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnCopy {
    pub sent_month: String,
    pub sealed: Vec<u8>,
}

/// One of a staff member's security keys as it is listed to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebauthnKey {
    pub credential_id: Vec<u8>,
    /// When it was added, unix seconds.
    pub added: i64,
    /// Its owner's label, sealed to their own key; `None` when unnamed.
    pub name_sealed: Option<Vec<u8>>,
}

/// One write of the intake path; the writer commits many in one transaction.
#[derive(Debug, Clone)]
pub enum IntakeWrite {
    Request(IntakeRequest),
    Message(IntakeMessage),
    /// Wipes a request and its messages (secure_delete overwrites them).
    Delete {
        request_id: [u8; 16],
    },
}
