//! The embedded default: one SQLite file in the data directory.
//!
//! Pragmas: WAL so readers never block the writer; `synchronous=FULL` so an
//! acknowledged write survives a power cut; foreign keys on; `secure_delete`
//! so deleted rows are overwritten, not left in free pages.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use mamar_core::{Organisation, StaffId, Username};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection};

use crate::accounts::{AccountStore, INVITATION_COLUMNS, Invitation, LoginState, StaffAlert};
use crate::cases::{
    CASE_FILE_COLUMNS, CaseApproval, CaseChange, CaseFile, CaseInboxMessage, CaseListEntry, CaseStore,
    NewCaseFile, SUMMARY_KIND,
};
use crate::model::{
    id16, organisation_from_row, roles_from_text, roles_to_text, staff_id_from_bytes, username_from_text,
};
use crate::{
    Backend, DestroyReport, InitialSetup, IntakeMessage, IntakeRequest, IntakeWrite, NewCase, NewCaseRecord,
    NewOrgKeyGrant, NewStaff, OrgKeyGrant, SessionRecord, SessionStage, StaffRecord, Store, StoreError,
    migrations, sql,
};

/// The pragmas that make SQLite durable and forgetful enough for mamar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlitePragmas {
    pub journal_mode: String,
    /// 2 is FULL.
    pub synchronous: i64,
    pub foreign_keys: bool,
    pub secure_delete: i64,
}

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// The database file, whose file system `free_space` asks about.
    path: std::path::PathBuf,
    max_pages: Option<u32>,
}

impl SqliteStore {
    crate::shared::shared_helpers!(SqliteConnection, sqlx::sqlite::SqliteRow);

    /// Opens (creating if needed) the database file at `path` and migrates it.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_limited(path, None, None).await
    }

    /// [`SqliteStore::open`], migrating only up to database format `format`
    /// when one is given (a restore of an older backup; see [`crate::backup`]).
    pub async fn open_at_format(path: &Path, format: Option<i64>) -> Result<Self, StoreError> {
        Self::open_limited(path, None, format).await
    }

    /// Opens the database like [`SqliteStore::open`], but lets it grow to
    /// `pages` pages (SQLite's `max_page_count`) and no further: beyond that
    /// every write fails as on a full disk. For a hard cap on the database's
    /// size, and for the tests of a full disk.
    pub async fn open_with_page_limit(path: &Path, pages: u32) -> Result<Self, StoreError> {
        Self::open_limited(path, Some(pages), None).await
    }

    async fn open_limited(
        path: &Path,
        max_pages: Option<u32>,
        format: Option<i64>,
    ) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(open_error)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("secure_delete", "ON")
            // Sorts and temporary indexes stay in memory, never in a file outside the data directory.
            .pragma("temp_store", "MEMORY");
        let options = match max_pages {
            Some(pages) => options.pragma("max_page_count", pages.to_string()),
            None => options,
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            // A ping before every use checks a network link SQLite does not
            // have, and costs a round trip to the connection's thread.
            .test_before_acquire(false)
            .after_release(|conn, _| Box::pin(crate::pool::fit_for_reuse(conn)))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        migrations::migrator(migrations::SQLITE.up_to(format))
            .await?
            .run(&pool)
            .await?;
        Ok(SqliteStore {
            pool,
            path: path.to_path_buf(),
            max_pages,
        })
    }

    /// The pragmas in force on the store's own connections, for diagnostics and tests.
    pub async fn pragmas(&self) -> Result<SqlitePragmas, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut get = async |pragma: &str| -> Result<sqlx::sqlite::SqliteRow, StoreError> {
            Ok(sqlx::query(&format!("PRAGMA {pragma}"))
                .fetch_one(&mut *conn)
                .await?)
        };
        Ok(SqlitePragmas {
            journal_mode: get("journal_mode").await?.try_get(0)?,
            synchronous: get("synchronous").await?.try_get(0)?,
            foreign_keys: get("foreign_keys").await?.try_get::<i64, _>(0)? == 1,
            secure_delete: get("secure_delete").await?.try_get(0)?,
        })
    }
}

/// How this backend stores "not disabled".
const DISABLED_FALSE: i64 = 0_i64;

const STAFF_COLUMNS: &str = "id, username, roles, public_keys, wrapped_secret_keys, disabled";

crate::cases::cases_impl!(SqliteStore, SqliteConnection, sqlx::sqlite::SqliteRow);
crate::attachments::attachments_impl!(SqliteStore);
crate::journey::journey_impl!(SqliteStore);
crate::accounts::accounts_impl!(SqliteStore, sqlx::sqlite::SqliteRow);
crate::registry::registry_impl!(SqliteStore, sqlx::sqlite::SqliteRow);
crate::lease::lease_impl!(SqliteStore);
crate::breakglass::breakglass_impl!(SqliteStore, sqlx::sqlite::SqliteRow);
crate::retention::retention_impl!(SqliteStore, SqliteConnection);
crate::partners::partners_impl!(SqliteStore, sqlx::sqlite::SqliteRow);
crate::audit::audit_impl!(SqliteStore, sqlx::sqlite::SqliteRow, crate::audit::begin_sqlite);

crate::shared::store_impl!(SqliteStore, {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn free_space(&self) -> Result<Option<u64>, StoreError> {
        let directory = self.path.parent().unwrap_or(Path::new("."));
        let on_disk = rustix::fs::statvfs(directory)
            .map(|stats| stats.f_bavail.saturating_mul(stats.f_frsize))
            .map_err(|error| StoreError::FreeSpace {
                path: directory.display().to_string(),
                source: error.into(),
            })?;
        let Some(max_pages) = self.max_pages else {
            return Ok(Some(on_disk));
        };
        let mut conn = self.pool.acquire().await?;
        let mut pragma = async |name: &str| -> Result<i64, StoreError> {
            Ok(sqlx::query(&format!("PRAGMA {name}"))
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?)
        };
        let (pages, free_pages, page_size) = (
            pragma("page_count").await?,
            pragma("freelist_count").await?,
            pragma("page_size").await?,
        );
        let left = (i64::from(max_pages) - pages + free_pages).max(0) * page_size;
        Ok(Some(on_disk.min(u64::try_from(left).unwrap_or(0))))
    }

    async fn close(&self) {
        // SQLite folds the WAL back into the database when its last connection closes, but
        // two connections closing at once can each find the other still open and both skip
        // it. Emptying the WAL first leaves a complete database file whatever the order.
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(%error, "could not fold the WAL into the database before closing");
        }
        self.pool.close().await;
    }

    async fn initialise(&self, setup: &InitialSetup) -> Result<(), StoreError> {
        // BEGIN IMMEDIATE takes the write lock first, so two concurrent
        // `init`s cannot both see an empty organisation table.
        let mut conn = self.pool.acquire().await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        match Self::insert_setup_rows(&mut conn, setup).await {
            Ok(()) => {
                sqlx::query("COMMIT").execute(&mut *conn).await?;
                Ok(())
            }
            Err(error) => {
                sqlx::query("ROLLBACK").execute(&mut *conn).await?;
                Err(error)
            }
        }
    }

    async fn destroy_key_material(&self) -> Result<DestroyReport, StoreError> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        let mut affected = [0u64; sql::DESTROY.len()];
        for (slot, statement) in affected.iter_mut().zip(sql::DESTROY) {
            let query = sqlx::query(statement);
            let query = if statement.starts_with("UPDATE staff") {
                query.bind(Vec::<u8>::new()).bind(1_i64)
            } else {
                query
            };
            match query.execute(&mut *conn).await {
                Ok(done) => *slot = done.rows_affected(),
                Err(error) => {
                    sqlx::query("ROLLBACK").execute(&mut *conn).await?;
                    return Err(error.into());
                }
            }
        }
        sqlx::query("COMMIT").execute(&mut *conn).await?;
        // secure_delete has zeroed the freed cells in the database file; the
        // checkpoint copies that into place and empties the WAL, which still
        // held the old pages.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut *conn)
            .await?;
        Ok(sql::destroy_report(affected))
    }
});

/// SQLite takes `?` placeholders as written.
fn q(sql: &str) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(sql)
}

impl SqliteStore {
    /// [`crate::RetentionStore::reclaim_space`] on SQLite. `secure_delete` has already zeroed
    /// the deleted cells in the pages the deletions wrote; the first checkpoint moves those
    /// pages into the file and empties the write-ahead log, which held the pages as they were;
    /// `VACUUM` rebuilds the file without free pages (whatever an older page or a database
    /// written without `secure_delete` left there), and the last checkpoint empties the log
    /// `VACUUM` wrote through.
    async fn reclaim_freed(&self) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        for statement in [
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "VACUUM",
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ] {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        Ok(())
    }
}
