//! PostgreSQL, for deployments where several stateless app servers share one
//! database. Chosen by a `postgres://` URL in the configuration.

use std::str::FromStr;
use std::time::Duration;

use mamar_core::{Organisation, StaffId, Username};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{PgConnection, Row};

use crate::model::{
    organisation_from_row, roles_from_text, roles_to_text, staff_id_from_bytes, username_from_text,
};
use crate::{Backend, InitialSetup, OrgKeyGrant, StaffRecord, Store, StoreError, migrations};

pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (waiting at most a few seconds) and migrates the schema.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Unreachable {
            target: "the configured URL".into(),
            reason: e.to_string(),
        })?;
        // Name the server without the password in any error message.
        let target = format!("{}:{}", options.get_host(), options.get_port());
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unreachable {
                target,
                reason: e.to_string(),
            })?;
        migrations::migrator(migrations::POSTGRES)
            .await?
            .run(&pool)
            .await?;
        Ok(PostgresStore { pool })
    }

    async fn insert_setup(conn: &mut PgConnection, setup: &InitialSetup) -> Result<(), StoreError> {
        // Serialises concurrent `init`s: the second waits, then sees the first's organisation.
        sqlx::query("LOCK TABLE organisation IN EXCLUSIVE MODE")
            .execute(&mut *conn)
            .await?;
        let exists = sqlx::query("SELECT 1 FROM organisation")
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_some() {
            return Err(StoreError::AlreadyInitialised);
        }
        let org = &setup.organisation;
        sqlx::query("INSERT INTO organisation (id, name_ar, name_en, default_locale) VALUES (1, $1, $2, $3)")
            .bind(org.name_ar())
            .bind(org.name_en())
            .bind(org.default_locale().code())
            .execute(&mut *conn)
            .await?;
        let admin = &setup.admin;
        sqlx::query(
            "INSERT INTO staff (id, username, roles, public_keys, wrapped_secret_keys) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(admin.id.as_bytes().as_slice())
        .bind(admin.username.as_str())
        .bind(roles_to_text(&admin.roles))
        .bind(&admin.public_keys)
        .bind(&admin.wrapped_secret_keys)
        .execute(&mut *conn)
        .await
        .map_err(|e| StoreError::from_unique_violation(e, StoreError::UsernameTaken))?;
        for key in &setup.org_keys {
            sqlx::query("INSERT INTO org_key (kind, generation, public_part) VALUES ($1, $2, $3)")
                .bind(&key.kind)
                .bind(key.generation)
                .bind(&key.public_part)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO org_key_grant (kind, generation, staff_id, wrapped) VALUES ($1, $2, $3, $4)",
            )
            .bind(&key.kind)
            .bind(key.generation)
            .bind(admin.id.as_bytes().as_slice())
            .bind(&key.wrapped_for_holder)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    fn staff_from_row(row: &PgRow) -> Result<StaffRecord, StoreError> {
        Ok(StaffRecord {
            id: staff_id_from_bytes(row.try_get::<&[u8], _>("id")?)?,
            username: username_from_text(row.try_get("username")?)?,
            roles: roles_from_text(row.try_get("roles")?)?,
            public_keys: row.try_get("public_keys")?,
            wrapped_secret_keys: row.try_get("wrapped_secret_keys")?,
            disabled: row.try_get("disabled")?,
        })
    }
}

const STAFF_COLUMNS: &str = "id, username, roles, public_keys, wrapped_secret_keys, disabled";

#[async_trait::async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
        let row = sqlx::query("SELECT name_ar, name_en, default_locale FROM organisation WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| organisation_from_row(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
            .transpose()
    }

    async fn initialise(&self, setup: &InitialSetup) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        Self::insert_setup(&mut tx, setup).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn staff_by_username(&self, username: &Username) -> Result<Option<StaffRecord>, StoreError> {
        let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE username = $1");
        let row = sqlx::query(&sql)
            .bind(username.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::staff_from_row).transpose()
    }

    async fn staff_by_id(&self, id: StaffId) -> Result<Option<StaffRecord>, StoreError> {
        let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.as_bytes().as_slice())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::staff_from_row).transpose()
    }

    async fn org_key_grants(&self, staff: StaffId) -> Result<Vec<OrgKeyGrant>, StoreError> {
        let rows = sqlx::query(
            "SELECT g.kind, g.generation, k.public_part, g.wrapped FROM org_key_grant g \
             JOIN org_key k ON k.kind = g.kind AND k.generation = g.generation \
             WHERE g.staff_id = $1 ORDER BY g.kind, g.generation DESC",
        )
        .bind(staff.as_bytes().as_slice())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OrgKeyGrant {
                    kind: row.try_get("kind")?,
                    generation: row.try_get("generation")?,
                    public_part: row.try_get("public_part")?,
                    wrapped: row.try_get("wrapped")?,
                })
            })
            .collect()
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
