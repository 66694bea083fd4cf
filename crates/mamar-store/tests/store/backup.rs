//! Logical backups: a snapshot of one store restores into an empty store
//! of the same backend (or the other one) table for table; a store that
//! holds anything refuses a restore.

use mamar_core::{Role, StaffId, Username};
use mamar_store::audit::{self, Action, Outcome};
use mamar_store::backup::{Snapshot, Value};
use mamar_store::{IntakeWrite, NewCase, NewCaseRecord, NewOrgKeyGrant, NewStaff, Store, StoreError};

use crate::conformance::{session, setup};

/// Fills a store through its own methods: organisation, two staff, cases,
/// intake, settings, audit entries, a session (which a backup leaves out).
pub async fn populate(store: &dyn Store) -> StaffId {
    populate_with(store, true).await
}

/// [`populate`], with or without a later message on the request: this build
/// writes messages with the columns of its own format (0024: the month and
/// the requester's own copy), which an older format does not have.
async fn populate_with(store: &dyn Store, with_message: bool) -> StaffId {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;
    let colleague = NewStaff {
        id: StaffId::random(),
        username: Username::parse("vetting1").unwrap(),
        roles: vec![Role::VettingOfficer],
        public_keys: vec![4; 64],
        wrapped_secret_keys: vec![5; 90],
    };
    let grant = NewOrgKeyGrant {
        kind: "intake".into(),
        generation: 1,
        wrapped: vec![6; 80],
    };
    store.add_staff(&colleague, &[grant]).await.unwrap();
    store.set_staff_disabled(colleague.id, true).await.unwrap();
    let cases: Vec<NewCase> = (1..=3u8)
        .map(|n| NewCase {
            id: [n; 16],
            stage: "vetting".into(),
            opened_on: "2026-11".into(),
            grants: vec![(admin, vec![n; 80]), (colleague.id, vec![n ^ 0x40; 80])],
            records: (0..2u8)
                .map(|r| NewCaseRecord {
                    id: [n * 16 + r; 16],
                    kind: "case.note".into(),
                    schema_version: 1,
                    ciphertext: vec![r; 120],
                })
                .collect(),
        })
        .collect();
    store.insert_cases(&cases).await.unwrap();
    let request = mamar_store::IntakeRequest {
        id: [9; 16],
        lookup_tag: vec![9; 32],
        requester_key: vec![8; 32],
        sealed: vec![7; 300],
        intake_generation: 1,
        received_month: "2026-11".into(),
        own_copy: Some(vec![6; 90]),
    };
    let message = mamar_store::IntakeMessage {
        id: [10; 16],
        request_id: [9; 16],
        from_requester: true,
        sealed: vec![1; 100],
        key_generation: 1,
        signature: None,
        staff_copy: None,
        sent_month: None,
        own_copy: None,
    };
    // At an older format the request is written by the test itself (further down), without the
    // columns that format does not have.
    if with_message {
        let writes = [IntakeWrite::Request(request), IntakeWrite::Message(message)];
        store.apply_intake(&writes).await.unwrap();
    }
    store.set_setting("codename-salt", &[3; 16]).await.unwrap();
    store.save_recovery_bundle(&[4, 5, 6]).await.unwrap();
    for action in [Action::LoginSucceeded, Action::RecoveryCreated] {
        audit::record(store, Some(admin), action, None, Outcome::Ok)
            .await
            .unwrap();
    }
    store.create_session(&session(admin, 1, 100, 100)).await.unwrap();
    admin
}

pub async fn a_snapshot_restores_table_for_table(source: &dyn Store, target: &dyn Store) {
    let admin = populate(source).await;
    let snapshot = source.snapshot().await.unwrap();
    assert_eq!(
        snapshot.schema_version,
        mamar_store::backup::expected_schema_version()
    );
    assert_eq!(source.schema_version().await.unwrap(), snapshot.schema_version);
    assert!(snapshot.table("staff_session").is_none(), "sessions are left out");
    assert!(snapshot.table("_sqlx_migrations").is_none());
    assert_eq!(snapshot.table("case_record").unwrap().rows.len(), 6);
    assert_eq!(snapshot.table("audit_entry").unwrap().rows.len(), 2);
    let order: Vec<&str> = snapshot.tables.iter().map(|t| t.name.as_str()).collect();
    let position = |name: &str| order.iter().position(|t| *t == name).unwrap();
    assert!(position("staff") < position("case_key_grant"));
    assert!(position("case_file") < position("case_record"));
    assert!(position("intake_request") < position("intake_message"));

    let decoded = Snapshot::decode(&snapshot.encode()).unwrap();
    let written = target.restore_snapshot(&decoded).await.unwrap();
    assert_eq!(written, snapshot.row_count());

    // Everything the source holds, the target holds, read through the store.
    assert_eq!(
        target.organisation().await.unwrap(),
        source.organisation().await.unwrap()
    );
    for name in ["admin", "vetting1"] {
        let name = Username::parse(name).unwrap();
        assert_eq!(
            target.staff_by_username(&name).await.unwrap(),
            source.staff_by_username(&name).await.unwrap()
        );
    }
    for n in 1..=3u8 {
        assert_eq!(
            target.case_grants(&[n; 16]).await.unwrap(),
            source.case_grants(&[n; 16]).await.unwrap()
        );
        let records = target.case_records(&[n; 16]).await.unwrap();
        assert_eq!(records.len(), 2);
        for (a, b) in records.iter().zip(source.case_records(&[n; 16]).await.unwrap()) {
            assert_eq!((a.id, &a.ciphertext), (b.id, &b.ciphertext));
        }
    }
    assert_eq!(
        target.org_key_grants(admin).await.unwrap().len(),
        source.org_key_grants(admin).await.unwrap().len()
    );
    assert_eq!(
        target.intake_messages(&[9; 16]).await.unwrap(),
        source.intake_messages(&[9; 16]).await.unwrap()
    );
    assert_eq!(target.recovery_bundle().await.unwrap(), Some(vec![4, 5, 6]));
    assert_eq!(
        target.audit_entries(0, 100).await.unwrap(),
        source.audit_entries(0, 100).await.unwrap()
    );
    assert_eq!(target.session(&[1; 16]).await.unwrap(), None);
    let again = target.snapshot().await.unwrap();
    if again.backend == snapshot.backend {
        assert_eq!(
            again.tables, snapshot.tables,
            "the restored database is the same, value for value"
        );
    }

    // The restored store carries on: new requests, audit entries after the old ones.
    let request = mamar_store::IntakeRequest {
        id: [11; 16],
        lookup_tag: vec![11; 32],
        requester_key: vec![8; 32],
        sealed: vec![7; 30],
        intake_generation: 1,
        received_month: "2026-12".into(),
        own_copy: None,
    };
    target
        .apply_intake(&[IntakeWrite::Request(request)])
        .await
        .unwrap();
    assert_eq!(target.intake_requests(10).await.unwrap()[0].id, [11; 16]);
    let entry = audit::record(target, None, Action::BackupRestored, None, Outcome::Ok)
        .await
        .unwrap();
    assert_eq!(entry.seq, 3);
}

pub async fn a_store_that_holds_anything_refuses_a_restore(source: &dyn Store, target: &dyn Store) {
    populate(source).await;
    let snapshot = source.snapshot().await.unwrap();
    audit::record(target, None, Action::LoginFailed, None, Outcome::Denied)
        .await
        .unwrap();
    let refused = target.restore_snapshot(&snapshot).await;
    assert!(
        matches!(&refused, Err(StoreError::RestoreRefused(why)) if why.contains("not empty")),
        "{refused:?}"
    );
    assert_eq!(target.organisation().await.unwrap(), None, "nothing was written");

    let mut other_format = snapshot.clone();
    other_format.schema_version += 1;
    let fresh = crate::sqlite().await;
    let refused = fresh.store.restore_snapshot(&other_format).await;
    assert!(
        matches!(&refused, Err(StoreError::RestoreRefused(why)) if why.contains("database format")),
        "{refused:?}"
    );
}

/// A snapshot holds exactly what the store returned, typed: blobs stay bytes.
pub async fn values_keep_their_types(store: &dyn Store) {
    populate(store).await;
    let snapshot = store.snapshot().await.unwrap();
    let staff = snapshot.table("staff").unwrap();
    let column = |name: &str| staff.columns.iter().position(|c| c == name).unwrap();
    let row = staff
        .rows
        .iter()
        .find(|row| row[column("username")] == Value::Text("vetting1".into()))
        .unwrap();
    assert_eq!(row[column("public_keys")], Value::Blob(vec![4; 64]));
    assert!(matches!(
        row[column("disabled")],
        Value::Bool(true) | Value::Int(1)
    ));
    assert_eq!(row[column("totp_sealed")], Value::Null);
}

macro_rules! backup_test {
    ($name:ident, $source:ident, $target:ident) => {
        #[tokio::test]
        async fn $name() {
            let source = crate::$source().await;
            let target = crate::$target().await;
            a_snapshot_restores_table_for_table(source.store.as_ref(), target.store.as_ref()).await;
            source.store.close().await;
            target.store.close().await;
        }
    };
}

backup_test!(sqlite_to_sqlite, sqlite, sqlite);
backup_test!(postgres_to_postgres, postgres, postgres);
backup_test!(sqlite_to_postgres, sqlite, postgres);
backup_test!(postgres_to_sqlite, postgres, sqlite);

#[tokio::test]
async fn sqlite_refuses_a_restore_over_data() {
    let (source, target) = (crate::sqlite().await, crate::sqlite().await);
    a_store_that_holds_anything_refuses_a_restore(source.store.as_ref(), target.store.as_ref()).await;
}

#[tokio::test]
async fn postgres_refuses_a_restore_over_data() {
    let (source, target) = (crate::postgres().await, crate::postgres().await);
    a_store_that_holds_anything_refuses_a_restore(source.store.as_ref(), target.store.as_ref()).await;
}

#[tokio::test]
async fn sqlite_values_keep_their_types() {
    values_keep_their_types(crate::sqlite().await.store.as_ref()).await;
}

#[tokio::test]
async fn postgres_values_keep_their_types() {
    values_keep_their_types(crate::postgres().await.store.as_ref()).await;
}

/// A backup of an older database format restores at that format and is then
/// upgraded by the ordinary open, data and all.
#[tokio::test]
async fn an_older_format_restores_and_is_then_upgraded() {
    use mamar_store::BackupStore;
    // The format before the newest (numbers may skip: parallel branches each take their own).
    let newest = mamar_store::backup::expected_schema_version();
    let dir = tempfile::tempdir().unwrap();
    let old = mamar_store::SqliteStore::open_at_format(&dir.path().join("old.sqlite3"), Some(newest - 1))
        .await
        .unwrap();
    let old_format = old.schema_version().await.unwrap();
    assert!(old_format < newest);
    populate_with(&old, false).await;
    // A request as the older format stored it: no own copy of what the requester typed.
    {
        use sqlx::Connection;
        let path = dir.path().join("old.sqlite3");
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO intake_request (id, lookup_tag, requester_key, sealed, intake_generation, received_month) \
             VALUES (?, ?, ?, ?, 1, '2026-11')",
        )
        .bind(&[9u8; 16][..])
        .bind(&[9u8; 32][..])
        .bind(&[8u8; 32][..])
        .bind(&[7u8; 300][..])
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }
    let snapshot = old.snapshot().await.unwrap();
    assert_eq!(snapshot.schema_version, old_format);
    old.close().await;

    let target_dir = dir.path().join("new");
    std::fs::create_dir_all(&target_dir).unwrap();
    let target = mamar_store::backup::open_for_restore(None, &target_dir, old_format)
        .await
        .unwrap();
    assert_eq!(
        target.restore_snapshot(&snapshot).await.unwrap(),
        snapshot.row_count()
    );
    target.close().await;
    let upgraded = mamar_store::open(None, &target_dir).await.unwrap();
    assert_eq!(
        upgraded.schema_version().await.unwrap(),
        mamar_store::backup::expected_schema_version()
    );
    assert_eq!(upgraded.case_count().await.unwrap(), 3);
    assert_eq!(upgraded.audit_entries(0, 10).await.unwrap().len(), 2);
    let request = upgraded.intake_request(&[9; 16]).await.unwrap().unwrap();
    assert_eq!(request.sealed, vec![7; 300]);
    assert_eq!(
        request.own_copy, None,
        "made before own copies of requests were kept"
    );

    // Now at the newer format, it is no place for the old backup, nor for one from the future.
    let refused = mamar_store::backup::open_for_restore(None, &target_dir, old_format).await;
    assert!(matches!(&refused, Err(StoreError::RestoreRefused(why)) if why.contains("already at format")));
    let future = mamar_store::backup::expected_schema_version() + 1;
    let refused = mamar_store::backup::open_for_restore(None, &dir.path().join("x"), future).await;
    assert!(matches!(&refused, Err(StoreError::RestoreRefused(why)) if why.contains("newer release")));
}
