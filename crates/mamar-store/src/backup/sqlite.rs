//! Snapshots and restores on SQLite.

use std::collections::BTreeSet;

use sqlx::{Row, TypeInfo, ValueRef};

use super::{
    BackupStore, SCHEMA_VERSION, SKIPPED, Snapshot, Value, already_holds, check_restorable, dump_table,
    insert_statement, parents_first, quoted, tables_to_write, unsupported,
};
use crate::{Backend, SqliteStore, StoreError};

#[async_trait::async_trait]
impl BackupStore for SqliteStore {
    async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query(SCHEMA_VERSION).fetch_one(&self.pool).await?;
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
    let schema_version: i64 = sqlx::query(SCHEMA_VERSION)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let mut tables = Vec::new();
    for name in sqlite_tables(conn).await? {
        let rows = sqlx::query(&format!("SELECT * FROM {} ORDER BY 1", quoted(&name)?))
            .fetch_all(&mut *conn)
            .await?;
        tables.push(dump_table(name, &rows, |row, i, table| {
            let raw = row.try_get_raw(i)?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            Ok(match raw.type_info().name() {
                "INTEGER" => Value::Int(row.try_get(i)?),
                "REAL" => Value::Real(row.try_get(i)?),
                "TEXT" => Value::Text(row.try_get(i)?),
                "BLOB" => Value::Blob(row.try_get(i)?),
                other => return Err(unsupported(other, table)),
            })
        })?);
    }
    Ok(Snapshot {
        backend: Backend::Sqlite,
        schema_version,
        tables,
    })
}

async fn sqlite_restore(conn: &mut sqlx::SqliteConnection, snapshot: &Snapshot) -> Result<u64, StoreError> {
    let ours = sqlite_tables(conn).await?;
    let to_write = tables_to_write(snapshot, &ours)?;
    for name in &ours {
        let row = sqlx::query(&format!("SELECT EXISTS (SELECT 1 FROM {})", quoted(name)?))
            .fetch_one(&mut *conn)
            .await?;
        if row.try_get::<i64, _>(0)? != 0 {
            return Err(already_holds(name));
        }
    }
    let mut written = 0u64;
    for table in to_write {
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
