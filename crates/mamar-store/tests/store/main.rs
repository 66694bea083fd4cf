//! The store conformance suite: the same checks against SQLite and
//! PostgreSQL, in the same run. PostgreSQL comes from `scripts/test`, which
//! starts a throwaway server and sets `MAMAR_TEST_POSTGRES_URL`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod audit;
mod backup;
mod conformance;
mod full_disk;
mod registry;
mod sqlite_specific;
mod writer;

use std::sync::Arc;

use mamar_store::{PostgresStore, SqliteStore, Store};
use sqlx::Connection;

pub struct TestDb {
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("test.sqlite3")).await.unwrap();
    TestDb {
        store: Arc::new(store),
        _dir: Some(dir),
    }
}

/// A fresh, empty database on the test server for each test.
pub async fn postgres() -> TestDb {
    let admin_url = std::env::var("MAMAR_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "MAMAR_TEST_POSTGRES_URL is not set: run the tests with ./scripts/test, which starts PostgreSQL"
        )
    });
    let name = format!("mamar_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    let store = PostgresStore::connect(&format!("{base}/{name}")).await.unwrap();
    TestDb {
        store: Arc::new(store),
        _dir: None,
    }
}

/// Runs one conformance check against both backends.
macro_rules! conformance_test {
    ($module:ident :: $name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = crate::sqlite().await;
                crate::$module::$name(db.store.as_ref()).await;
                db.store.close().await;
            }

            #[tokio::test]
            async fn postgres() {
                let db = crate::postgres().await;
                crate::$module::$name(db.store.as_ref()).await;
                db.store.close().await;
            }
        }
    };
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = crate::sqlite().await;
                crate::conformance::$name(db.store.as_ref()).await;
                db.store.close().await;
            }

            #[tokio::test]
            async fn postgres() {
                let db = crate::postgres().await;
                crate::conformance::$name(db.store.as_ref()).await;
                db.store.close().await;
            }
        }
    };
}

conformance_test!(a_new_store_is_empty_and_answers);
conformance_test!(initialise_stores_the_organisation_admin_and_keys);
conformance_test!(initialise_happens_once);
conformance_test!(concurrent_initialise_creates_exactly_one_organisation);
conformance_test!(unknown_staff_are_absent);
conformance_test!(sessions_are_created_touched_and_deleted);
conformance_test!(a_second_staff_member_joins_with_their_grants);
conformance_test!(the_recovery_bundle_is_replaced_not_added);
conformance_test!(panic_destroys_every_key_and_leaves_the_ciphertext);
conformance_test!(inserting_cases_is_all_or_nothing);
conformance_test!(key_changes_replace_exactly_what_they_name);
conformance_test!(intake_requests_messages_and_deletion);
conformance_test!(panic_erases_replies_and_keeps_the_public_signing_key);
conformance_test!(settings_are_kept_and_replaced);
conformance_test!(accounts::failed_logins_lockout_and_second_factor_steps);
conformance_test!(accounts::invitations_are_used_once_and_expire);
conformance_test!(accounts::roles_disabling_and_grants);
conformance_test!(accounts::duress_wipe_leaves_only_the_decoy_session);
conformance_test!(accounts::security_keys_and_their_ceremonies);
conformance_test!(registry::releases_are_logged_and_a_period_is_never_overspent);

mod releases_made_at_once_cannot_overspend {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let db = crate::sqlite().await;
        crate::registry::releases_made_at_once_cannot_overspend(db.store.clone()).await;
        db.store.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let db = crate::postgres().await;
        crate::registry::releases_made_at_once_cannot_overspend(db.store.clone()).await;
        db.store.close().await;
    }
}
