//! What the embedded default promises beyond the shared behaviour: its
//! pragmas, and that it survives a reopen.

use mamar_store::SqliteStore;
use sqlx::{Connection, Row, SqliteConnection};

#[tokio::test]
async fn the_database_file_uses_wal_and_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reopen.sqlite3");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        mamar_store::Store::initialise(&store, &crate_setup())
            .await
            .unwrap();
        mamar_store::Store::close(&store).await;
    }
    let mut conn = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    drop(conn);

    let store = SqliteStore::open(&path).await.unwrap();
    let org = mamar_store::Store::organisation(&store).await.unwrap().unwrap();
    assert_eq!(org.name_en(), "Reopened");
}

#[tokio::test]
async fn connections_run_with_full_sync_foreign_keys_and_secure_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pragmas.sqlite3");
    let store = SqliteStore::open(&path).await.unwrap();
    let pragmas = store.pragmas().await.unwrap();
    assert_eq!(pragmas.synchronous, 2, "synchronous=FULL");
    assert!(pragmas.foreign_keys);
    assert_eq!(pragmas.secure_delete, 1);
    assert_eq!(pragmas.journal_mode, "wal");
}

fn crate_setup() -> mamar_store::InitialSetup {
    use mamar_core::{Locale, Organisation, Role, StaffId, Username};
    mamar_store::InitialSetup {
        organisation: Organisation::new("ممر", "Reopened", Locale::En).unwrap(),
        admin: mamar_store::NewStaff {
            id: StaffId::random(),
            username: Username::parse("admin").unwrap(),
            roles: vec![Role::Administrator],
            public_keys: vec![1],
            wrapped_secret_keys: vec![2],
        },
        org_keys: vec![],
    }
}
