//! Persistence for mamar. One [`Store`] trait, two implementations: SQLite
//! (the embedded default, a file in the data directory) and PostgreSQL (for
//! deployments with several app servers). Each has its own migrations.
//!
//! The store saves and returns ciphertext, wrapped keys and the few values
//! that are visible at rest by design (ids, roles, the organisation's public
//! names). It never sees a key and knows nothing of HTTP.

mod accounts;
mod attachments;
pub mod audit;
pub mod backup;
mod breakglass;
mod cases;
mod error;
mod journey;
mod lease;
mod migrations;
mod model;
mod partners;
mod pool;
mod postgres;
mod registry;
mod retention;
mod shared;
mod sql;
mod sqlite;
mod writer;

use std::path::Path;
use std::sync::Arc;

pub use accounts::{AccountStore, Invitation, LoginState, StaffAlert};
pub use attachments::AttachmentStore;
pub use audit::AuditLog;
pub use backup::BackupStore;
pub use breakglass::{
    BreakGlassRequestRecord, BreakGlassSetup, BreakGlassStore, EscrowRewrap, ReshareOutcome,
};
pub use cases::{
    CaseApproval, CaseChange, CaseFile, CaseInboxMessage, CaseListEntry, CaseStore, NewCaseFile, Rekey,
    SUMMARY_KIND,
};
pub use error::StoreError;
pub use journey::{JourneyStore, StaffCaseRecord};
pub use lease::LeaseStore;
pub use model::{
    DestroyReport, InitialSetup, IntakeMessage, IntakeRequest, IntakeWrite, NewCase, NewCaseRecord,
    NewOrgKey, NewOrgKeyGrant, NewStaff, OrgKeyGrant, OwnCopy, SessionRecord, SessionStage, StaffRecord,
    WebauthnKey,
};
pub use partners::{ConsentRecord, PartnerRecord, PartnerStore, ReferralNews, ReferralRecord};
pub use postgres::PostgresStore;
pub use registry::{NewRelease, PeriodBudget, RegistryStore, StoredRelease};
pub use retention::{RetentionStore, SealedFacets, ShredReport};
pub use sqlite::{SqlitePragmas, SqliteStore};
pub use writer::{DEFAULT_BATCH, DEFAULT_QUEUE, IntakeWriter, WriteError};

use mamar_core::{Organisation, StaffId, Username};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The file name of the embedded database inside the data directory.
pub const SQLITE_FILE_NAME: &str = "mamar.sqlite3";

#[async_trait::async_trait]
pub trait Store:
    AccountStore
    + CaseStore
    + AttachmentStore
    + JourneyStore
    + RegistryStore
    + RetentionStore
    + PartnerStore
    + LeaseStore
    + AuditLog
    + BackupStore
    + BreakGlassStore
    + Send
    + Sync
{
    fn backend(&self) -> Backend;

    /// Checks the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// How many bytes the database can still grow by, where the store can
    /// tell: for the embedded SQLite file, the space left on its file system
    /// (or under its page limit, if less). `None` for PostgreSQL, whose disk
    /// belongs to the database server.
    async fn free_space(&self) -> Result<Option<u64>, StoreError> {
        Ok(None)
    }

    /// The organisation, once `mamar init` has run.
    async fn organisation(&self) -> Result<Option<Organisation>, StoreError>;

    /// Creates the organisation, its first administrator and the
    /// organisation keys wrapped to that administrator, all or nothing.
    /// Fails with [`StoreError::AlreadyInitialised`] the second time.
    async fn initialise(&self, setup: &InitialSetup) -> Result<(), StoreError>;

    async fn staff_by_username(&self, username: &Username) -> Result<Option<StaffRecord>, StoreError>;

    async fn staff_by_id(&self, id: StaffId) -> Result<Option<StaffRecord>, StoreError>;

    /// The public half of the newest generation of organisation key `kind`, if it has one.
    async fn org_public_key(&self, kind: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every organisation key wrapped to this staff member, newest generation first.
    async fn org_key_grants(&self, staff: StaffId) -> Result<Vec<OrgKeyGrant>, StoreError>;

    /// Adds a staff member together with the organisation keys wrapped to them.
    async fn add_staff(&self, staff: &NewStaff, grants: &[NewOrgKeyGrant]) -> Result<(), StoreError>;

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;

    async fn session(&self, id: &[u8; 16]) -> Result<Option<SessionRecord>, StoreError>;

    async fn touch_session(&self, id: &[u8; 16], now: i64) -> Result<(), StoreError>;

    /// Returns whether there was such a session.
    async fn delete_session(&self, id: &[u8; 16]) -> Result<bool, StoreError>;

    /// Deletes sessions idle since before `idle_before` or created before
    /// `created_before`; returns how many.
    async fn delete_expired_sessions(&self, idle_before: i64, created_before: i64)
    -> Result<u64, StoreError>;

    /// Replaces the organisation keys sealed for recovery.
    async fn save_recovery_bundle(&self, sealed: &[u8]) -> Result<(), StoreError>;

    async fn recovery_bundle(&self) -> Result<Option<Vec<u8>>, StoreError>;

    /// Inserts cases with their key grants and records, all or nothing.
    async fn insert_cases(&self, cases: &[NewCase]) -> Result<(), StoreError>;

    async fn case_count(&self) -> Result<u64, StoreError>;

    /// Replaces a staff member's password-wrapped private keys (a password change).
    async fn update_staff_secret_keys(&self, staff: StaffId, wrapped: &[u8]) -> Result<(), StoreError>;

    /// Each assignee of a case with the case key wrapped to them.
    async fn case_grants(&self, case: &[u8; 16]) -> Result<Vec<(StaffId, Vec<u8>)>, StoreError>;

    /// A case's records in the order they were added.
    async fn case_records(&self, case: &[u8; 16]) -> Result<Vec<NewCaseRecord>, StoreError>;

    /// Re-keys a case in one transaction: its grants become exactly
    /// `grants`, and each listed record gets its new ciphertext.
    async fn rekey_case(
        &self,
        case: &[u8; 16],
        grants: &[(StaffId, Vec<u8>)],
        records: &[([u8; 16], Vec<u8>)],
    ) -> Result<(), StoreError>;

    /// Staff holding any generation of the organisation key `kind`, with their public keys.
    async fn org_key_holders(&self, kind: &str) -> Result<Vec<(StaffId, Vec<u8>)>, StoreError>;

    /// Stores a new generation of an organisation key with its grants.
    async fn add_org_key_generation(
        &self,
        kind: &str,
        generation: i64,
        public_part: Option<&[u8]>,
        grants: &[(StaffId, Vec<u8>)],
    ) -> Result<(), StoreError>;

    /// Applies intake writes in one transaction with one sync (group
    /// commit). All succeed or none does.
    async fn apply_intake(&self, writes: &[IntakeWrite]) -> Result<(), StoreError>;

    async fn intake_request_by_tag(&self, lookup_tag: &[u8]) -> Result<Option<IntakeRequest>, StoreError>;

    async fn intake_request(&self, id: &[u8; 16]) -> Result<Option<IntakeRequest>, StoreError>;

    /// The newest requests first, at most `limit`.
    async fn intake_requests(&self, limit: u32) -> Result<Vec<IntakeRequest>, StoreError>;

    /// A request's messages in the order they arrived.
    async fn intake_messages(&self, request: &[u8; 16]) -> Result<Vec<IntakeMessage>, StoreError>;

    /// A public setting of the organisation (the codename salt, the signed contact card).
    async fn setting(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores `value` unless the setting exists; returns the stored value either way.
    async fn setting_or_insert(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError>;

    async fn set_setting(&self, name: &str, value: &[u8]) -> Result<(), StoreError>;

    /// The panic action: destroys every wrapped staff and organisation key,
    /// every case-key grant and escrow wrap, the break-glass key and shares,
    /// every session and the recovery bundle, in one
    /// transaction, then asks the database to forget the old pages. Stored
    /// ciphertext is left in place and can never be opened again.
    async fn destroy_key_material(&self) -> Result<DestroyReport, StoreError>;

    /// Waits for in-flight work and closes every connection.
    async fn close(&self);
}

/// Opens the database named by `database_url`, or the embedded SQLite
/// database in `data_dir` when no URL is given, and brings its schema up to
/// date.
pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    match database_url {
        None => Ok(Arc::new(
            SqliteStore::open(&data_dir.join(SQLITE_FILE_NAME)).await?,
        )),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PostgresStore::connect(url).await?))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            Ok(Arc::new(SqliteStore::open(Path::new(path)).await?))
        }
        Some(_) => Err(StoreError::UnsupportedUrl),
    }
}
