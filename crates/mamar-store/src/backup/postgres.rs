//! Snapshots and restores on PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{Column, Row, TypeInfo, ValueRef};

use super::{
    BackupStore, SCHEMA_VERSION, SKIPPED, Snapshot, Value, already_holds, check_restorable, dump_table,
    insert_statement, parents_first, quoted, tables_to_write, unsupported,
};
use crate::{Backend, PostgresStore, StoreError};

#[async_trait::async_trait]
impl BackupStore for PostgresStore {
    async fn schema_version(&self) -> Result<i64, StoreError> {
        let row = sqlx::query(SCHEMA_VERSION).fetch_one(&self.pool).await?;
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
    let schema_version: i64 = sqlx::query(SCHEMA_VERSION)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let mut tables = Vec::new();
    for name in postgres_tables(conn).await? {
        let rows = sqlx::query(&format!("SELECT * FROM {} ORDER BY 1", quoted(&name)?))
            .fetch_all(&mut *conn)
            .await?;
        tables.push(dump_table(name, &rows, |row, i, table| {
            if row.try_get_raw(i)?.is_null() {
                return Ok(Value::Null);
            }
            let column_type = row
                .columns()
                .get(i)
                .map(|c| c.type_info().name())
                .unwrap_or_default();
            Ok(match column_type {
                "INT2" => Value::Int(i64::from(row.try_get::<i16, _>(i)?)),
                "INT4" => Value::Int(i64::from(row.try_get::<i32, _>(i)?)),
                "INT8" => Value::Int(row.try_get(i)?),
                "FLOAT8" => Value::Real(row.try_get(i)?),
                "TEXT" | "VARCHAR" => Value::Text(row.try_get(i)?),
                "BYTEA" => Value::Blob(row.try_get(i)?),
                "BOOL" => Value::Bool(row.try_get(i)?),
                other => return Err(unsupported(other, table)),
            })
        })?);
    }
    Ok(Snapshot {
        backend: Backend::Postgres,
        schema_version,
        tables,
    })
}

async fn postgres_restore(conn: &mut sqlx::PgConnection, snapshot: &Snapshot) -> Result<u64, StoreError> {
    let ours = postgres_tables(conn).await?;
    let to_write = tables_to_write(snapshot, &ours)?;
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
    for table in to_write {
        let statement = insert_statement(table, true)?;
        let column_types: Vec<&str> = table
            .columns
            .iter()
            .map(|c| {
                types
                    .get(&(table.name.clone(), c.clone()))
                    .map_or("", String::as_str)
            })
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
