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

use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{Backend, PostgresStore, SqliteStore, StoreError, migrations};

/// Tables a backup leaves out (see the module documentation).
const SKIPPED: &[&str] = &["_sqlx_migrations", "staff_session", "webauthn_challenge"];

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

impl Snapshot {
    /// The table called `name`, if the snapshot holds it.
    pub fn table(&self, name: &str) -> Option<&TableDump> {
        self.tables.iter().find(|table| table.name == name)
    }

    /// How many rows the snapshot holds in all.
    pub fn row_count(&self) -> u64 {
        self.tables.iter().map(|table| table.rows.len() as u64).sum()
    }

    /// The portable encoding: a magic line, the format, the backend, the
    /// schema version, then each table's name, columns and typed rows, every
    /// length given before its bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(FORMAT);
        out.push(match self.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        });
        out.extend_from_slice(&self.schema_version.to_le_bytes());
        put_len(&mut out, self.tables.len());
        for table in &self.tables {
            put_bytes(&mut out, table.name.as_bytes());
            put_len(&mut out, table.columns.len());
            for column in &table.columns {
                put_bytes(&mut out, column.as_bytes());
            }
            put_len(&mut out, table.rows.len());
            for row in &table.rows {
                for value in row {
                    match value {
                        Value::Null => out.push(0),
                        Value::Int(v) => {
                            out.push(1);
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                        Value::Real(v) => {
                            out.push(2);
                            out.extend_from_slice(&v.to_le_bytes());
                        }
                        Value::Text(v) => {
                            out.push(3);
                            put_bytes(&mut out, v.as_bytes());
                        }
                        Value::Blob(v) => {
                            out.push(4);
                            put_bytes(&mut out, v);
                        }
                        Value::Bool(v) => out.push(if *v { 6 } else { 5 }),
                    }
                }
            }
        }
        out
    }

    /// Parses [`Snapshot::encode`]'s form; any damage is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, StoreError> {
        let mut input = Input { bytes, at: 0 };
        if input.take(MAGIC.len())? != MAGIC {
            return Err(bad("not a mamar snapshot"));
        }
        if input.u8()? != FORMAT {
            return Err(bad("a snapshot format this version cannot read"));
        }
        let backend = match input.u8()? {
            1 => Backend::Sqlite,
            2 => Backend::Postgres,
            _ => return Err(bad("an unknown backend")),
        };
        let schema_version = input.i64()?;
        let table_count = input.len()?;
        let mut tables = Vec::new();
        for _ in 0..table_count {
            let name = input.text()?;
            let column_count = input.len()?;
            let columns = (0..column_count)
                .map(|_| input.text())
                .collect::<Result<Vec<_>, _>>()?;
            let row_count = input.len()?;
            if column_count == 0 && row_count > 0 {
                return Err(bad("rows without columns"));
            }
            let mut rows = Vec::new();
            for _ in 0..row_count {
                let row = (0..column_count)
                    .map(|_| input.value())
                    .collect::<Result<Vec<_>, _>>()?;
                rows.push(row);
            }
            tables.push(TableDump { name, columns, rows });
        }
        if input.at != bytes.len() {
            return Err(bad("bytes after the last table"));
        }
        Ok(Snapshot {
            backend,
            schema_version,
            tables,
        })
    }
}

fn bad(what: &str) -> StoreError {
    StoreError::Corrupt(format!("backup snapshot: {what}"))
}

fn put_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&(len as u64).to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_len(out, bytes.len());
    out.extend_from_slice(bytes);
}

struct Input<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Input<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], StoreError> {
        let end = self.at.checked_add(len).ok_or_else(|| bad("truncated"))?;
        let slice = self.bytes.get(self.at..end).ok_or_else(|| bad("truncated"))?;
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, StoreError> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    fn array8(&mut self) -> Result<[u8; 8], StoreError> {
        self.take(8)?.try_into().map_err(|_| bad("truncated"))
    }

    fn i64(&mut self) -> Result<i64, StoreError> {
        Ok(i64::from_le_bytes(self.array8()?))
    }

    fn len(&mut self) -> Result<usize, StoreError> {
        let len = usize::try_from(u64::from_le_bytes(self.array8()?)).map_err(|_| bad("a length"))?;
        // Every counted item takes at least one byte: a length beyond the
        // rest of the input is damage, not a reason to allocate.
        if len > self.bytes.len().saturating_sub(self.at) {
            return Err(bad("truncated"));
        }
        Ok(len)
    }

    fn bytes(&mut self) -> Result<&'a [u8], StoreError> {
        let len = self.len()?;
        self.take(len)
    }

    fn text(&mut self) -> Result<String, StoreError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| bad("text that is not UTF-8"))
    }

    fn value(&mut self) -> Result<Value, StoreError> {
        Ok(match self.u8()? {
            0 => Value::Null,
            1 => Value::Int(self.i64()?),
            2 => Value::Real(f64::from_le_bytes(self.array8()?)),
            3 => Value::Text(self.text()?),
            4 => Value::Blob(self.bytes()?.to_vec()),
            5 => Value::Bool(false),
            6 => Value::Bool(true),
            _ => return Err(bad("an unknown value type")),
        })
    }
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

#[async_trait::async_trait]
impl BackupStore for SqliteStore {
    async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut conn = self.pool.acquire().await?;
        // A deferred transaction: its first read fixes the state every later read sees.
        sqlx::query("BEGIN").execute(&mut *conn).await?;
        let result = sqlite_snapshot(&mut conn).await;
        sqlx::query("COMMIT").execute(&mut *conn).await?;
        result
    }

    async fn restore_snapshot(&self, snapshot: &Snapshot) -> Result<u64, StoreError> {
        check_restorable(snapshot, self.schema_version().await?)?;
        let mut conn = self.pool.acquire().await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        match sqlite_restore(&mut conn, snapshot).await {
            Ok(rows) => {
                sqlx::query("COMMIT").execute(&mut *conn).await?;
                Ok(rows)
            }
            Err(error) => {
                sqlx::query("ROLLBACK").execute(&mut *conn).await?;
                Err(error)
            }
        }
    }
}

async fn sqlite_tables(conn: &mut sqlx::SqliteConnection) -> Result<Vec<String>, StoreError> {
    let names: BTreeSet<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| row.try_get::<String, _>(0))
    .collect::<Result<_, _>>()?;
    let names: BTreeSet<String> = names
        .into_iter()
        .filter(|name| !SKIPPED.contains(&name.as_str()))
        .collect();
    let references: Vec<(String, String)> = sqlx::query(
        "SELECT m.name, p.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p WHERE m.type = 'table'",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(parents_first(&names, &references))
}

async fn sqlite_snapshot(conn: &mut sqlx::SqliteConnection) -> Result<Snapshot, StoreError> {
    let schema_version: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
    let mut tables = Vec::new();
    for name in sqlite_tables(conn).await? {
        let rows = sqlx::query(&format!("SELECT * FROM {} ORDER BY 1", quoted(&name)?))
            .fetch_all(&mut *conn)
            .await?;
        let columns = rows
            .first()
            .map(|row| row.columns().iter().map(|c| c.name().to_owned()).collect())
            .unwrap_or_default();
        let mut values = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut out = Vec::with_capacity(row.len());
            for i in 0..row.len() {
                let raw = row.try_get_raw(i)?;
                let value = if raw.is_null() {
                    Value::Null
                } else {
                    match raw.type_info().name() {
                        "INTEGER" => Value::Int(row.try_get(i)?),
                        "REAL" => Value::Real(row.try_get(i)?),
                        "TEXT" => Value::Text(row.try_get(i)?),
                        "BLOB" => Value::Blob(row.try_get(i)?),
                        other => return Err(bad(&format!("a column of type {other} in {name}"))),
                    }
                };
                out.push(value);
            }
            values.push(out);
        }
        tables.push(TableDump {
            name,
            columns,
            rows: values,
        });
    }
    Ok(Snapshot {
        backend: Backend::Sqlite,
        schema_version,
        tables,
    })
}

async fn sqlite_restore(conn: &mut sqlx::SqliteConnection, snapshot: &Snapshot) -> Result<u64, StoreError> {
    let ours = sqlite_tables(conn).await?;
    for table in &snapshot.tables {
        if !ours.contains(&table.name) {
            return Err(bad(&format!(
                "a table this version does not have ({})",
                table.name
            )));
        }
    }
    for name in &ours {
        let row = sqlx::query(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(name)?))
            .fetch_one(&mut *conn)
            .await?;
        if row.try_get::<i64, _>(0)? != 0 {
            return Err(already_holds(name));
        }
    }
    let mut written = 0u64;
    for name in &ours {
        let Some(table) = snapshot.table(name) else {
            continue;
        };
        if table.rows.is_empty() {
            continue;
        }
        let statement = insert_statement(table, false)?;
        for row in &table.rows {
            let mut query = sqlx::query(&statement);
            for value in row {
                query = match value {
                    Value::Null => query.bind(None::<i64>),
                    Value::Int(v) => query.bind(*v),
                    Value::Real(v) => query.bind(*v),
                    Value::Text(v) => query.bind(v.as_str()),
                    Value::Blob(v) => query.bind(v.as_slice()),
                    Value::Bool(v) => query.bind(i64::from(*v)),
                };
            }
            query.execute(&mut *conn).await?;
            written += 1;
        }
    }
    Ok(written)
}

#[async_trait::async_trait]
impl BackupStore for PostgresStore {
    async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    async fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let snapshot = postgres_snapshot(&mut tx).await?;
        tx.commit().await?;
        Ok(snapshot)
    }

    async fn restore_snapshot(&self, snapshot: &Snapshot) -> Result<u64, StoreError> {
        check_restorable(snapshot, self.schema_version().await?)?;
        let mut tx = self.pool.begin().await?;
        let written = postgres_restore(&mut tx, snapshot).await?;
        tx.commit().await?;
        Ok(written)
    }
}

async fn postgres_tables(conn: &mut sqlx::PgConnection) -> Result<Vec<String>, StoreError> {
    let names: BTreeSet<String> =
        sqlx::query("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
    let names: BTreeSet<String> = names
        .into_iter()
        .filter(|name| !SKIPPED.contains(&name.as_str()))
        .collect();
    let references: Vec<(String, String)> = sqlx::query(
        "SELECT child.relname::text, parent.relname::text FROM pg_constraint c \
         JOIN pg_class child ON child.oid = c.conrelid \
         JOIN pg_class parent ON parent.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = child.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    Ok(parents_first(&names, &references))
}

async fn postgres_snapshot(conn: &mut sqlx::PgConnection) -> Result<Snapshot, StoreError> {
    let schema_version: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
    let mut tables = Vec::new();
    for name in postgres_tables(conn).await? {
        let rows = sqlx::query(&format!("SELECT * FROM {} ORDER BY 1", quoted(&name)?))
            .fetch_all(&mut *conn)
            .await?;
        let columns = rows
            .first()
            .map(|row| row.columns().iter().map(|c| c.name().to_owned()).collect())
            .unwrap_or_default();
        let mut values = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut out = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let value = if row.try_get_raw(i)?.is_null() {
                    Value::Null
                } else {
                    match column.type_info().name() {
                        "INT2" => Value::Int(i64::from(row.try_get::<i16, _>(i)?)),
                        "INT4" => Value::Int(i64::from(row.try_get::<i32, _>(i)?)),
                        "INT8" => Value::Int(row.try_get(i)?),
                        "FLOAT8" => Value::Real(row.try_get(i)?),
                        "TEXT" | "VARCHAR" => Value::Text(row.try_get(i)?),
                        "BYTEA" => Value::Blob(row.try_get(i)?),
                        "BOOL" => Value::Bool(row.try_get(i)?),
                        other => return Err(bad(&format!("a column of type {other} in {name}"))),
                    }
                };
                out.push(value);
            }
            values.push(out);
        }
        tables.push(TableDump {
            name,
            columns,
            rows: values,
        });
    }
    Ok(Snapshot {
        backend: Backend::Postgres,
        schema_version,
        tables,
    })
}

async fn postgres_restore(conn: &mut sqlx::PgConnection, snapshot: &Snapshot) -> Result<u64, StoreError> {
    let ours = postgres_tables(conn).await?;
    for table in &snapshot.tables {
        if !ours.contains(&table.name) {
            return Err(bad(&format!(
                "a table this version does not have ({})",
                table.name
            )));
        }
    }
    for name in &ours {
        // Nobody else writes while the restore runs.
        sqlx::query(&format!("LOCK TABLE {} IN EXCLUSIVE MODE", quoted(name)?))
            .execute(&mut *conn)
            .await?;
        let row = sqlx::query(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(name)?))
            .fetch_one(&mut *conn)
            .await?;
        if row.try_get::<bool, _>(0)? {
            return Err(already_holds(name));
        }
    }
    // Each column's type: NULL must be bound with the column's type, and a
    // snapshot from SQLite holds booleans as 0 and 1.
    let types: BTreeMap<(String, String), String> = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| Ok(((row.try_get(0)?, row.try_get(1)?), row.try_get(2)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let mut written = 0u64;
    for name in &ours {
        let Some(table) = snapshot.table(name) else {
            continue;
        };
        if table.rows.is_empty() {
            continue;
        }
        let statement = insert_statement(table, true)?;
        let column_types: Vec<&str> = table
            .columns
            .iter()
            .map(|c| types.get(&(name.clone(), c.clone())).map_or("", String::as_str))
            .collect();
        for row in &table.rows {
            let mut query = sqlx::query(&statement);
            for (value, column_type) in row.iter().zip(&column_types) {
                query = match (value, *column_type) {
                    (Value::Null, "bytea") => query.bind(None::<Vec<u8>>),
                    (Value::Null, "text" | "character varying") => query.bind(None::<String>),
                    (Value::Null, "boolean") => query.bind(None::<bool>),
                    (Value::Null, "double precision") => query.bind(None::<f64>),
                    (Value::Null, _) => query.bind(None::<i64>),
                    (Value::Int(v), "boolean") => query.bind(*v != 0),
                    (Value::Int(v), _) => query.bind(*v),
                    (Value::Real(v), _) => query.bind(*v),
                    (Value::Text(v), _) => query.bind(v.as_str()),
                    (Value::Blob(v), _) => query.bind(v.as_slice()),
                    (Value::Bool(v), _) => query.bind(*v),
                };
            }
            query.execute(&mut *conn).await?;
            written += 1;
        }
    }
    // Serial columns carry on after the restored rows.
    let serials: Vec<(String, String)> = sqlx::query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (table, column) in serials {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
            quoted(&column)?,
            quoted(&table)?
        ))
        .bind(&table)
        .bind(&column)
        .execute(&mut *conn)
        .await?;
    }
    Ok(written)
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
