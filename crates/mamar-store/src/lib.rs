//! Persistence for mamar. One [`Store`] trait, two implementations: SQLite
//! (the embedded default, a file in the data directory) and PostgreSQL (for
//! deployments with several app servers). Each has its own migrations.
//!
//! The store saves and returns ciphertext, wrapped keys and the few values
//! that are visible at rest by design (ids, roles, the organisation's public
//! names). It never sees a key and knows nothing of HTTP.

mod error;
mod migrations;
mod model;
mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

pub use error::StoreError;
pub use model::{InitialSetup, NewOrgKey, NewStaff, OrgKeyGrant, StaffRecord};
pub use postgres::PostgresStore;
pub use sqlite::{SqlitePragmas, SqliteStore};

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
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;

    /// Checks the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// The organisation, once `mamar init` has run.
    async fn organisation(&self) -> Result<Option<Organisation>, StoreError>;

    /// Creates the organisation, its first administrator and the
    /// organisation keys wrapped to that administrator, all or nothing.
    /// Fails with [`StoreError::AlreadyInitialised`] the second time.
    async fn initialise(&self, setup: &InitialSetup) -> Result<(), StoreError>;

    async fn staff_by_username(&self, username: &Username) -> Result<Option<StaffRecord>, StoreError>;

    async fn staff_by_id(&self, id: StaffId) -> Result<Option<StaffRecord>, StoreError>;

    /// Every organisation key wrapped to this staff member, newest generation first.
    async fn org_key_grants(&self, staff: StaffId) -> Result<Vec<OrgKeyGrant>, StoreError>;

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
