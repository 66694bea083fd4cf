//! Logical backups: every table that matters read in one consistent
//! snapshot and encoded as one portable byte string ([`Snapshot`]), and such
//! a snapshot written into an empty database.
//!
//! The snapshot is taken inside one read transaction (SQLite: a deferred
//! transaction on one connection, which in WAL mode sees one state of the
//! database while writers go on; PostgreSQL: `REPEATABLE READ READ ONLY`),
//! so it is consistent while the server runs. It is the same code for both
//! backends and needs no outside tool (no `sqlite3`, no `pg_dump`).
//!
//! Left out: the migration table (the target runs its own migrations and
//! must be at the same schema version), staff sessions and WebAuthn
//! ceremonies in progress (nobody is logged in on a restored server).
//!
//! The encoded snapshot holds what the database holds: ciphertext, wrapped
//! keys and the values visible at rest (user names, ids, the audit log). It
//! is never written anywhere as it is: the binary seals it to the backup key
//! first (`mamar_crypto::seal_backup`).

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{Column, Row};

use crate::{Backend, PostgresStore, SqliteStore, StoreError, migrations};

mod encoding;
mod postgres;
mod sqlite;

/// Tables a backup leaves out (see the module documentation).
const SKIPPED: &[&str] = &[
    "_sqlx_migrations",
    "staff_session",
    "webauthn_challenge",
    // A lease belongs to the servers running now, not to a restored one.
    "singleton_lease",
];

const MAGIC: &[u8] = b"mamar-snapshot\n";
const FORMAT: u8 = 1;

/// One stored value, typed as the database returned it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
}

/// Every row of one table, in the order of its first column.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDump {
    pub name: String,
    /// Empty when the table has no rows.
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// A consistent copy of the database: its schema version and every table,
/// parents before the tables that refer to them.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub backend: Backend,
    pub schema_version: i64,
    pub tables: Vec<TableDump>,
}

/// The schema version (newest migration) this build of the store brings a
/// database to. Both backends number their migrations alike.
pub fn expected_schema_version() -> i64 {
    migrations::SQLITE.latest().max(migrations::POSTGRES.latest())
}

/// Every database format (migration version) this build knows, oldest first.
/// Versions need not be consecutive: branches are given their numbers ahead.
pub fn schema_versions() -> Vec<i64> {
    migrations::SQLITE.versions()
}

/// The database format a database holds, read without changing it (no
/// migration runs): `None` when the embedded database does not exist yet or
/// has no migration table.
pub async fn stored_schema_version(
    database_url: Option<&str>,
    data_dir: &std::path::Path,
) -> Result<Option<i64>, StoreError> {
    const QUERY: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
    use sqlx::Connection;
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let options: sqlx::postgres::PgConnectOptions =
                url.parse().map_err(|e: sqlx::Error| StoreError::Unreachable {
                    target: "the configured URL".into(),
                    reason: e.to_string(),
                })?;
            let target = format!("{}:{}", options.get_host(), options.get_port());
            let mut conn =
                sqlx::PgConnection::connect_with(&options)
                    .await
                    .map_err(|e| StoreError::Unreachable {
                        target,
                        reason: e.to_string(),
                    })?;
            let exists: bool = sqlx::query("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&mut conn)
                .await?
                .try_get(0)?;
            if !exists {
                return Ok(None);
            }
            Ok(sqlx::query(QUERY).fetch_one(&mut conn).await?.try_get(0)?)
        }
        Some(url) if url.starts_with("sqlite:") => {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            sqlite_stored_version(std::path::Path::new(path)).await
        }
        Some(_) => Err(StoreError::UnsupportedUrl),
        None => sqlite_stored_version(&data_dir.join(crate::SQLITE_FILE_NAME)).await,
    }
}

async fn sqlite_stored_version(path: &std::path::Path) -> Result<Option<i64>, StoreError> {
    use sqlx::Connection;
    if !path.exists() {
        return Ok(None);
    }
    let open_error = |source| StoreError::Open {
        path: path.display().to_string(),
        source,
    };
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .map_err(open_error)?;
    let exists =
        sqlx::query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(&mut conn)
            .await?
            .is_some();
    if !exists {
        return Ok(None);
    }
    Ok(
        sqlx::query("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await?
            .try_get(0)?,
    )
}

/// Opens the database a backup of format `format` is restored into: created
/// (or found empty) and migrated only up to that format, so that the
/// snapshot's tables and columns match. Close it after the restore and open
/// the database again with [`crate::open`], which brings it to this
/// release's format. Refused for a format newer than this release's, and
/// for a database already at a newer format than the backup's.
pub async fn open_for_restore(
    database_url: Option<&str>,
    data_dir: &std::path::Path,
    format: i64,
) -> Result<std::sync::Arc<dyn crate::Store>, StoreError> {
    let ours = expected_schema_version();
    if format > ours || format < 1 {
        return Err(StoreError::RestoreRefused(format!(
            "the backup holds database format {format}, and this mamar knows formats 1 to {ours}: restore it with a newer release"
        )));
    }
    if let Some(held) = stored_schema_version(database_url, data_dir).await?
        && held > format
    {
        return Err(StoreError::RestoreRefused(format!(
            "the target database is already at format {held}, newer than the backup's {format}: restore only into a new data directory or an empty database"
        )));
    }
    match database_url {
        None => Ok(std::sync::Arc::new(
            SqliteStore::open_at_format(&data_dir.join(crate::SQLITE_FILE_NAME), Some(format)).await?,
        )),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => Ok(
            std::sync::Arc::new(PostgresStore::connect_at_format(url, Some(format)).await?),
        ),
        Some(url) if url.starts_with("sqlite:") => {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            Ok(std::sync::Arc::new(
                SqliteStore::open_at_format(std::path::Path::new(path), Some(format)).await?,
            ))
        }
        Some(_) => Err(StoreError::UnsupportedUrl),
    }
}

/// Backups and schema versions, for both backends; required by [`crate::Store`].
#[async_trait::async_trait]
pub trait BackupStore: Send + Sync {
    /// The newest migration applied to this database.
    async fn schema_version(&self) -> Result<i64, StoreError>;

    /// Reads every table (but those left out) in one consistent snapshot.
    async fn snapshot(&self) -> Result<Snapshot, StoreError>;

    /// Writes `snapshot` into this database in one transaction. Refused,
    /// changing nothing, unless every table it would write is empty and the
    /// schema versions match. Returns the number of rows written.
    async fn restore_snapshot(&self, snapshot: &Snapshot) -> Result<u64, StoreError>;
}

/// Orders `tables` so that every table comes after the tables it refers to
/// (`references`: child → parent); ties and cycles keep name order.
fn parents_first(tables: &BTreeSet<String>, references: &[(String, String)]) -> Vec<String> {
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (child, parent) in references {
        if child != parent && tables.contains(child) && tables.contains(parent) {
            parents.entry(child).or_default().insert(parent);
        }
    }
    let mut ordered: Vec<String> = Vec::new();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    while placed.len() < tables.len() {
        let ready: Vec<&str> = tables
            .iter()
            .map(String::as_str)
            .filter(|table| !placed.contains(table))
            .filter(|table| {
                parents
                    .get(table)
                    .is_none_or(|needed| needed.iter().all(|parent| placed.contains(parent)))
            })
            .collect();
        // A cycle (none exists today): place the rest in name order.
        let next = if ready.is_empty() {
            tables
                .iter()
                .map(String::as_str)
                .filter(|table| !placed.contains(table))
                .collect()
        } else {
            ready
        };
        for table in next {
            placed.insert(table);
            ordered.push(table.to_owned());
        }
    }
    ordered
}

fn quoted(name: &str) -> Result<String, StoreError> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(bad("a table or column name that is not a plain identifier"));
    }
    Ok(format!("\"{name}\""))
}

fn check_restorable(snapshot: &Snapshot, ours: i64) -> Result<(), StoreError> {
    if snapshot.schema_version != ours {
        return Err(StoreError::RestoreRefused(format!(
            "the backup holds database format {} and this database is at format {ours}: open the database for the backup's format (mamar_store::backup::open_for_restore)",
            snapshot.schema_version
        )));
    }
    Ok(())
}

fn insert_statement(table: &TableDump, numbered: bool) -> Result<String, StoreError> {
    let columns = table
        .columns
        .iter()
        .map(|c| quoted(c))
        .collect::<Result<Vec<_>, _>>()?;
    let placeholders: Vec<String> = (1..=columns.len())
        .map(|i| if numbered { format!("${i}") } else { "?".to_owned() })
        .collect();
    Ok(format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quoted(&table.name)?,
        columns.join(", "),
        placeholders.join(", ")
    ))
}

fn already_holds(table: &str) -> StoreError {
    StoreError::RestoreRefused(format!(
        "the target database is not empty (table {table} has rows): restore only into a new data directory or an empty database"
    ))
}

/// The newest migration applied, read inside a store's own connection.
const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";

/// One table's rows as the database returned them, each value read by `decode`
/// (row, column index, table name).
fn dump_table<R: Row>(
    name: String,
    rows: &[R],
    decode: impl Fn(&R, usize, &str) -> Result<Value, StoreError>,
) -> Result<TableDump, StoreError> {
    let columns = rows
        .first()
        .map(|row| row.columns().iter().map(|c| c.name().to_owned()).collect())
        .unwrap_or_default();
    let values = rows
        .iter()
        .map(|row| (0..row.len()).map(|i| decode(row, i, &name)).collect())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TableDump {
        name,
        columns,
        rows: values,
    })
}

/// The snapshot's tables that hold rows, in this database's order (parents
/// first); a table this database does not have is damage.
fn tables_to_write<'a>(snapshot: &'a Snapshot, ours: &[String]) -> Result<Vec<&'a TableDump>, StoreError> {
    if let Some(table) = snapshot.tables.iter().find(|t| !ours.contains(&t.name)) {
        return Err(bad(&format!(
            "a table this version does not have ({})",
            table.name
        )));
    }
    Ok(ours
        .iter()
        .filter_map(|name| snapshot.table(name))
        .filter(|table| !table.rows.is_empty())
        .collect())
}

fn unsupported(column_type: &str, table: &str) -> StoreError {
    bad(&format!("a column of type {column_type} in {table}"))
}

fn bad(what: &str) -> StoreError {
    StoreError::Corrupt(format!("backup snapshot: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_before_the_tables_that_refer_to_them() {
        let tables: BTreeSet<String> = ["a_child", "b_parent", "c_grandparent", "d_alone"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let references = vec![
            ("a_child".to_owned(), "b_parent".to_owned()),
            ("b_parent".to_owned(), "c_grandparent".to_owned()),
            ("a_child".to_owned(), "a_child".to_owned()),
        ];
        assert_eq!(
            parents_first(&tables, &references),
            ["c_grandparent", "d_alone", "b_parent", "a_child"]
        );
    }

    #[test]
    fn snapshots_round_trip_and_damage_is_an_error() {
        let snapshot = Snapshot {
            backend: Backend::Postgres,
            schema_version: 6,
            tables: vec![
                TableDump {
                    name: "t".into(),
                    columns: vec!["a".into(), "b".into(), "c".into()],
                    rows: vec![
                        vec![Value::Int(-3), Value::Text("نص".into()), Value::Blob(vec![0, 1])],
                        vec![Value::Null, Value::Bool(true), Value::Real(0.5)],
                    ],
                },
                TableDump {
                    name: "empty".into(),
                    columns: vec![],
                    rows: vec![],
                },
            ],
        };
        let bytes = snapshot.encode();
        assert_eq!(Snapshot::decode(&bytes).unwrap(), snapshot);
        for cut in 0..bytes.len() {
            assert!(Snapshot::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Snapshot::decode(&longer).is_err());
    }
}
