//! Accounts: what the administrators' accounts page shows, the invitation a
//! one-time link stands for, and each person's own second factors and duress
//! keys (`security`). The rules live here so that the web page, the command
//! line and any other channel refuse and allow alike; a channel parses,
//! calls one function and renders.

use std::collections::{BTreeMap, HashSet};

use mamar_core::{StaffId, org_key_kinds_for};
use mamar_store::{Invitation, StaffAlert, StaffRecord, Store, StoreError};

use crate::Caller;

mod admin;
mod security;
pub use admin::{
    INVITATION_LIFETIME_SECS, invite, other_account, reset_second_factor, revoke_invitation, set_disabled,
    set_duress_response, set_role_names, set_roles,
};
pub use security::{
    OwnKey, OwnSecurity, finish_password_change, name_own_key, own_duress_keys, own_security, remove_own_key,
    seal_key_name, set_own_duress_keys,
};

/// Where an organisation keeps its own names for roles (JSON: role code → language → name).
pub const ROLE_NAMES_SETTING: &str = "role_names";
/// Where the organisation keeps what a duress login does (`mamar_web`'s `DuressResponse` code).
pub const DURESS_RESPONSE_SETTING: &str = "duress_response";
/// How many duress alerts the accounts page lists, newest first.
const ALERTS_SHOWN: u32 = 20;

/// Why an account use case did not happen. None carries detail to show.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Only an administrator runs accounts.
    #[error("only an administrator may do this")]
    NotAllowed,
    /// No such invitation, or it has expired (the two are not told apart: a
    /// link's holder learns nothing from trying one).
    #[error("no such invitation")]
    NoSuchInvitation,
    /// An administrator acts on another person's account, never their own.
    #[error("an administrator does not change their own account here")]
    OwnAccount,
    #[error("no such account")]
    NoSuchAccount,
    /// An account or an invitation has that user name already.
    #[error("the user name is taken")]
    UsernameTaken,
    /// The key to remove is the account's last second factor.
    #[error("the last second factor is kept")]
    LastSecondFactor,
    /// No such key among the caller's own.
    #[error("no such key")]
    NoSuchKey,
    #[error(transparent)]
    Crypto(#[from] mamar_crypto::CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An organisation's own names for roles, by role code and language.
pub type RoleNames = BTreeMap<String, BTreeMap<String, String>>;

/// Everything the administrators' accounts page shows, read in one go.
#[derive(Debug, Default)]
pub struct AccountsOverview {
    pub staff: Vec<StaffRecord>,
    pub invitations: Vec<Invitation>,
    /// The newest duress alerts.
    pub alerts: Vec<StaffAlert>,
    /// Accounts whose roles need organisation keys they have not been given
    /// (a new account before an administrator saves its roles, say).
    pub keys_missing: HashSet<StaffId>,
    pub role_names: RoleNames,
    /// The stored duress response setting, as the channel reads it.
    pub duress_response: Option<Vec<u8>>,
}

/// The organisation's own names for roles; none stored (or unreadable) gives none.
pub async fn role_names(store: &dyn Store) -> Result<RoleNames, StoreError> {
    Ok(store
        .setting(ROLE_NAMES_SETTING)
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default())
}

/// Every colleague's user name by id, for naming the people on a case, its
/// timeline and its referrals. Any signed-in staff member may see them: they
/// are the names people work under, shown on every case they share, and
/// carry nothing about a requester. A decoy session (after a duress login)
/// sees only its own name.
pub async fn staff_names(
    store: &dyn Store,
    caller: &Caller<'_>,
    decoy: bool,
) -> Result<Vec<(StaffId, String)>, StoreError> {
    if decoy {
        return Ok(vec![(caller.staff.id, caller.staff.username.to_string())]);
    }
    Ok(store
        .all_staff()
        .await?
        .into_iter()
        .map(|staff| (staff.id, staff.username.to_string()))
        .collect())
}

/// The accounts page: every account (and which wait for organisation
/// keys), the invitations, the newest duress alerts, the organisation's names
/// for roles and its duress response. Administrators only: anyone else is
/// refused, since the list names everyone who works here.
///
/// A decoy session (`decoy`, after a duress login) sees only the caller's own
/// account, no invitations and no alerts, while the organisation's names and
/// settings stay as usual so the page looks the same to whoever watches.
pub async fn accounts_overview(
    store: &dyn Store,
    caller: &Caller<'_>,
    decoy: bool,
) -> Result<AccountsOverview, AccountError> {
    if !caller.actor().is_administrator() {
        return Err(AccountError::NotAllowed);
    }
    let role_names = role_names(store).await?;
    let duress_response = store.setting(DURESS_RESPONSE_SETTING).await?;
    if decoy {
        return Ok(AccountsOverview {
            staff: vec![caller.staff.clone()],
            role_names,
            duress_response,
            ..AccountsOverview::default()
        });
    }
    let staff = store.all_staff().await?;
    let mut keys_missing = HashSet::new();
    for account in &staff {
        let held: Vec<String> = store
            .org_key_grants(account.id)
            .await?
            .into_iter()
            .map(|grant| grant.kind)
            .collect();
        if org_key_kinds_for(&account.roles)
            .iter()
            .any(|kind| !held.iter().any(|h| h == kind))
        {
            keys_missing.insert(account.id);
        }
    }
    Ok(AccountsOverview {
        invitations: store.invitations().await?,
        alerts: store.alerts(ALERTS_SHOWN).await?,
        staff,
        keys_missing,
        role_names,
        duress_response,
    })
}

/// The invitation a one-time link's token hash stands for, while it is still
/// valid at `now`. Anyone holding the link may ask: the link is the
/// permission, and an expired or unknown one is [`AccountError::NoSuchInvitation`].
pub async fn open_invitation(
    store: &dyn Store,
    token_hash: &[u8; 32],
    now: i64,
) -> Result<Invitation, AccountError> {
    store
        .invitation(token_hash)
        .await?
        .filter(|invitation| invitation.expires_at > now)
        .ok_or(AccountError::NoSuchInvitation)
}

/// An invitee accepts `invitation` (as [`open_invitation`] gave it) with
/// the key pair they made under their own password: the account gets the
/// invitation's user name and roles, never others the channel might send,
/// and the invitation is spent in the same transaction. Recorded as the new
/// account's act. Its organisation keys come when an administrator saves its
/// roles. [`AccountError::NoSuchInvitation`] when it was spent or expired
/// meanwhile.
pub async fn accept_invitation(
    store: &dyn Store,
    invitation: &Invitation,
    public_keys: Vec<u8>,
    wrapped_secret_keys: Vec<u8>,
    now: i64,
) -> Result<StaffId, AccountError> {
    let staff = mamar_store::NewStaff {
        id: StaffId::random(),
        username: invitation.username.clone(),
        roles: invitation.roles.clone(),
        public_keys,
        wrapped_secret_keys,
    };
    match store.accept_invitation(&invitation.token_hash, now, &staff).await {
        Ok(()) => {}
        Err(StoreError::InvitationInvalid) => return Err(AccountError::NoSuchInvitation),
        Err(error) => return Err(error.into()),
    }
    let mut object = [0u8; 16];
    object.copy_from_slice(&invitation.token_hash[..16]);
    let draft = mamar_audit::AuditDraft::new(
        now,
        mamar_audit::Action::InvitationAccepted,
        mamar_audit::Outcome::Ok,
    )
    .by(Some(staff.id))
    .on(Some(object));
    store.append_audit(&draft).await?;
    Ok(staff.id)
}

/// The panic action from the staff side: every wrapped key, grant, session
/// and the recovery bundle destroyed, so that what is stored can never be
/// opened again. An administrator only (the channel has asked for their
/// password again and a typed phrase). The act is recorded on the audit log
/// first, and never waited on: the keys go whatever the log says (a failure
/// to record is logged); the log holds no key and survives it. The channel
/// then forgets whatever keys it keeps in memory.
pub async fn destroy_all_keys(
    store: &dyn Store,
    caller: &Caller<'_>,
    now: i64,
) -> Result<mamar_store::DestroyReport, AccountError> {
    if !caller.actor().is_administrator() {
        return Err(AccountError::NotAllowed);
    }
    let draft = mamar_audit::AuditDraft::new(now, mamar_audit::Action::Panic, mamar_audit::Outcome::Ok)
        .by(Some(caller.staff.id));
    if let Err(error) = store.append_audit(&draft).await {
        tracing::error!(%error, "the audit log could not record the panic");
    }
    Ok(store.destroy_key_material().await?)
}
