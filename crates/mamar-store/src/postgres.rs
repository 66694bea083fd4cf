//! PostgreSQL, for deployments where several stateless app servers share one
//! database. Chosen by a `postgres://` URL in the configuration.

use std::str::FromStr;
use std::time::Duration;

use mamar_core::{Organisation, StaffId, Username};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{PgConnection, Row};

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

pub struct PostgresStore {
    pub(crate) pool: PgPool,
}

impl PostgresStore {
    crate::shared::shared_helpers!(PgConnection, PgRow);

    /// Connects to `url` (waiting at most a few seconds) and migrates the schema.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_at_format(url, None).await
    }

    /// [`PostgresStore::connect`], migrating only up to database format
    /// `format` when one is given (a restore of an older backup; see [`crate::backup`]).
    pub async fn connect_at_format(url: &str, format: Option<i64>) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Unreachable {
            target: "the configured URL".into(),
            reason: e.to_string(),
        })?;
        // Name the server without the password in any error message.
        let target = format!("{}:{}", options.get_host(), options.get_port());
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .after_release(|conn, _| Box::pin(crate::pool::fit_for_reuse(conn)))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unreachable {
                target,
                reason: e.to_string(),
            })?;
        migrations::migrator(migrations::POSTGRES.up_to(format))
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
        Self::insert_setup_rows(conn, setup).await
    }
}

/// How this backend stores "not disabled".
const DISABLED_FALSE: bool = false;

const STAFF_COLUMNS: &str = "id, username, roles, public_keys, wrapped_secret_keys, disabled";

crate::cases::cases_impl!(PostgresStore, PgConnection, PgRow);
crate::attachments::attachments_impl!(PostgresStore);
crate::journey::journey_impl!(PostgresStore);
crate::accounts::accounts_impl!(PostgresStore, PgRow);
crate::registry::registry_impl!(PostgresStore, PgRow);
crate::lease::lease_impl!(PostgresStore);
crate::breakglass::breakglass_impl!(PostgresStore, PgRow);
crate::retention::retention_impl!(PostgresStore, PgConnection);
crate::partners::partners_impl!(PostgresStore, PgRow);
crate::audit::audit_impl!(PostgresStore, PgRow, crate::audit::begin_postgres);

crate::shared::store_impl!(PostgresStore, {
    async fn close(&self) {
        self.pool.close().await;
    }

    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn initialise(&self, setup: &InitialSetup) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        Self::insert_setup(&mut tx, setup).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn destroy_key_material(&self) -> Result<DestroyReport, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut affected = [0u64; sql::DESTROY.len()];
        for (slot, statement) in affected.iter_mut().zip(sql::DESTROY) {
            let numbered = sql::numbered(statement);
            let query = sqlx::query(&numbered);
            let query = if statement.starts_with("UPDATE staff") {
                query.bind(Vec::<u8>::new()).bind(true)
            } else {
                query
            };
            *slot = query.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        // Dead row versions stay in the table files until vacuumed; VACUUM
        // FULL rewrites the tables without them. (Old WAL segments and
        // archives are outside this process's reach: see ARCHITECTURE.md.)
        sqlx::query(
            "VACUUM FULL staff_session, org_key_grant, case_key_grant, referral_grant, org_key, recovery_bundle, \
             staff_invitation, staff, case_escrow, break_glass_share, break_glass_approval, break_glass_key, \
             break_glass_reason, break_glass_request, intake_message, intake_request",
        )
        .execute(&self.pool)
        .await?;
        Ok(sql::destroy_report(affected))
    }
});

/// PostgreSQL numbers its placeholders.
fn q(sql: &str) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Owned(sql::numbered(sql))
}

impl PostgresStore {
    /// [`crate::RetentionStore::reclaim_space`] on PostgreSQL. The tables that held keys, blind
    /// indexes, the team and the requester's key and lookup tag are small: `VACUUM FULL`
    /// rewrites them without the dead rows (a short exclusive lock). The large ciphertext
    /// tables get a plain `VACUUM` (no lock against the service): their dead rows are
    /// ciphertext under case keys that no longer exist anywhere, and the space is reused.
    async fn reclaim_freed(&self) -> Result<(), StoreError> {
        sqlx::query(
            "VACUUM FULL case_key_grant, case_index, case_assignment, case_approval, case_file, \
             referral_grant, referral_consent, intake_message, intake_request, case_escrow, case_rekey_due, \
             break_glass_request, break_glass_reason, break_glass_approval",
        )
        .execute(&self.pool)
        .await?;
        sqlx::query("VACUUM case_record, case_attachment, case_attachment_chunk, referral")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
