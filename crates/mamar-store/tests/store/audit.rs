//! The audit log's storage on both backends: appends form one chain (also
//! when many run at once), entries read back in pages, checkpoints are kept,
//! the panic action leaves the log alone, and the database itself refuses to
//! change, delete, truncate or slip in an entry.

use std::path::PathBuf;
use std::sync::Arc;

use mamar_core::StaffId;
use mamar_crypto::SigningKey;
use mamar_store::audit::{self, Action, AuditDraft, AuditEntry, Checkpoint, Outcome};
use mamar_store::{PostgresStore, SqliteStore, Store};
use sqlx::Connection;

/// A store and a way around it, to play the attacker with plain SQL.
pub struct AuditDb {
    pub store: Arc<dyn Store>,
    raw: Raw,
    _dir: Option<tempfile::TempDir>,
}

enum Raw {
    Sqlite(PathBuf),
    Postgres(String),
}

pub async fn sqlite() -> AuditDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.sqlite3");
    let store = SqliteStore::open(&path).await.unwrap();
    AuditDb {
        store: Arc::new(store),
        raw: Raw::Sqlite(path),
        _dir: Some(dir),
    }
}

pub async fn postgres() -> AuditDb {
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
    let url = format!("{base}/{name}");
    let store = PostgresStore::connect(&url).await.unwrap();
    AuditDb {
        store: Arc::new(store),
        raw: Raw::Postgres(url),
        _dir: None,
    }
}

impl AuditDb {
    /// Runs one statement on a connection of its own, outside the store.
    async fn raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            Raw::Sqlite(path) => {
                let mut conn =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
                let done = sqlx::query(sql).execute(&mut conn).await?;
                Ok(done.rows_affected())
            }
            Raw::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url).await?;
                let done = sqlx::query(sql).execute(&mut conn).await?;
                Ok(done.rows_affected())
            }
        }
    }

    fn is_postgres(&self) -> bool {
        matches!(self.raw, Raw::Postgres(_))
    }
}

/// Runs one check against both backends, on a multi-threaded runtime.
macro_rules! audit_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::audit::sqlite().await;
                crate::audit::$name(&db).await;
                db.store.close().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = crate::audit::postgres().await;
                crate::audit::$name(&db).await;
                db.store.close().await;
            }
        }
    };
}

audit_test!(appends_form_one_chain_read_back_in_pages);
audit_test!(concurrent_appends_never_fork_the_chain);
audit_test!(checkpoints_are_kept_and_verify);
audit_test!(the_database_refuses_to_change_or_delete_entries);
audit_test!(the_log_survives_the_panic_action);
audit_test!(every_generation_of_a_public_key_is_listed);

fn draft(i: u64) -> AuditDraft {
    let action = Action::ALL[(i as usize) % Action::ALL.len()];
    let outcome = Outcome::ALL[(i as usize) % Outcome::ALL.len()];
    AuditDraft::new(1_700_000_000 + i as i64, action, outcome)
        .by(i.is_multiple_of(2).then(|| StaffId::from_bytes([i as u8; 16])))
        .on(i.is_multiple_of(3).then_some([i as u8 ^ 0x5a; 16]))
}

/// Every entry, read in pages of `page`.
async fn read_all(store: &dyn Store, page: u32) -> Vec<AuditEntry> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |e: &AuditEntry| e.seq);
        let batch = store.audit_entries(after, page).await.unwrap();
        assert!(batch.len() <= page as usize);
        if batch.is_empty() {
            return all;
        }
        all.extend(batch);
    }
}

fn verified(entries: &[AuditEntry]) -> u64 {
    mamar_audit::verify(entries, &[], &[]).unwrap().entries
}

pub async fn appends_form_one_chain_read_back_in_pages(db: &AuditDb) {
    let store = db.store.as_ref();
    assert_eq!(store.audit_head().await.unwrap(), None);
    assert!(store.audit_entries(0, 10).await.unwrap().is_empty());
    let mut appended = Vec::new();
    for i in 0..25 {
        appended.push(store.append_audit(&draft(i)).await.unwrap());
    }
    assert_eq!(
        appended.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=25).collect::<Vec<_>>()
    );
    assert_eq!(store.audit_head().await.unwrap(), appended.last().copied());
    assert_eq!(read_all(store, 7).await, appended);
    assert_eq!(store.audit_entries(20, 100).await.unwrap(), appended[20..]);
    assert_eq!(verified(&appended), 25);

    // The helper for the web server stamps the time and chains on.
    let before = audit::now();
    let entry = audit::record(store, None, Action::LoginFailed, None, Outcome::Denied)
        .await
        .unwrap();
    assert_eq!(entry.seq, 26);
    assert!(entry.at >= before && entry.at <= audit::now());
    assert_eq!(entry.actor, None);
    assert_eq!(verified(&read_all(store, 100).await), 26);
}

pub async fn concurrent_appends_never_fork_the_chain(db: &AuditDb) {
    const TASKS: u64 = 8;
    const EACH: u64 = 25;
    let mut handles = Vec::new();
    for task in 0..TASKS {
        let store = Arc::clone(&db.store);
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for i in 0..EACH {
                mine.push(store.append_audit(&draft(task * 1000 + i)).await.unwrap());
            }
            mine
        }));
    }
    let mut returned = Vec::new();
    for handle in handles {
        returned.extend(handle.await.unwrap());
    }
    let stored = read_all(db.store.as_ref(), 64).await;
    assert_eq!(verified(&stored), TASKS * EACH);
    returned.sort_by_key(|e| e.seq);
    assert_eq!(
        returned, stored,
        "every append got its own place in the one chain"
    );
}

pub async fn checkpoints_are_kept_and_verify(db: &AuditDb) {
    let store = db.store.as_ref();
    let key = SigningKey::generate().unwrap();
    assert!(store.audit_checkpoints().await.unwrap().is_empty());
    let mut checkpoints = Vec::new();
    for i in 0..3 {
        store.append_audit(&draft(i)).await.unwrap();
        let head = store
            .append_audit(&AuditDraft::new(5, Action::AuditCheckpoint, Outcome::Ok))
            .await
            .unwrap();
        let signed = Checkpoint {
            seq: head.seq,
            head: head.hash,
            at: 1_800_000_000 + i as i64,
        }
        .sign(&key);
        store.add_audit_checkpoint(&signed).await.unwrap();
        checkpoints.push(signed);
    }
    let stored = store.audit_checkpoints().await.unwrap();
    assert_eq!(stored, checkpoints);
    assert!(
        store.add_audit_checkpoint(&checkpoints[0]).await.is_err(),
        "one checkpoint per entry"
    );
    let entries = read_all(store, 100).await;
    let report = mamar_audit::verify(&entries, &stored, &[key.verifying_key()]).unwrap();
    assert_eq!((report.entries, report.checkpoints), (6, 3));
}

pub async fn the_database_refuses_to_change_or_delete_entries(db: &AuditDb) {
    let store = db.store.as_ref();
    for i in 0..4 {
        store.append_audit(&draft(i)).await.unwrap();
    }
    let before = read_all(store, 100).await;
    let key = SigningKey::generate().unwrap();
    let head = before[3];
    store
        .add_audit_checkpoint(
            &Checkpoint {
                seq: head.seq,
                head: head.hash,
                at: 9,
            }
            .sign(&key),
        )
        .await
        .unwrap();
    let hash = "'\\x".to_owned() + &"00".repeat(32) + "'";
    let blob = if db.is_postgres() {
        format!("{hash}::bytea")
    } else {
        format!("x'{}'", "00".repeat(32))
    };
    let mut refused = vec![
        "UPDATE audit_entry SET outcome = 'denied' WHERE seq = 2".to_owned(),
        "UPDATE audit_entry SET seq = seq + 100".to_owned(),
        "DELETE FROM audit_entry WHERE seq = 4".to_owned(),
        "DELETE FROM audit_entry".to_owned(),
        // Slipping a row in anywhere but next in line, or over an existing one.
        format!(
            "INSERT INTO audit_entry (seq, at, action, outcome, hash) VALUES (2, 0, 'panic', 'ok', {blob})"
        ),
        format!(
            "INSERT INTO audit_entry (seq, at, action, outcome, hash) VALUES (9, 0, 'panic', 'ok', {blob})"
        ),
        "UPDATE audit_checkpoint SET at = 10".to_owned(),
        "DELETE FROM audit_checkpoint".to_owned(),
    ];
    if db.is_postgres() {
        refused.push("TRUNCATE audit_entry".into());
        refused.push("TRUNCATE audit_checkpoint".into());
        refused.push(format!(
            "INSERT INTO audit_entry (seq, at, action, outcome, hash) VALUES (1, 0, 'panic', 'ok', {blob}) \
             ON CONFLICT (seq) DO UPDATE SET outcome = 'failed'"
        ));
    } else {
        // REPLACE deletes the old row without firing delete triggers; the insert trigger stops it.
        refused.push(format!(
            "INSERT OR REPLACE INTO audit_entry (seq, at, action, outcome, hash) VALUES (1, 0, 'panic', 'ok', {blob})"
        ));
        refused.push(format!(
            "REPLACE INTO audit_entry (seq, at, action, outcome, hash) VALUES (3, 0, 'panic', 'ok', {blob})"
        ));
    }
    for sql in &refused {
        let error = db.raw(sql).await.expect_err(sql).to_string();
        // Refused by the triggers, not by some other rule.
        assert!(
            error.contains("append") || error.contains("cannot be"),
            "{sql}: {error}"
        );
    }
    assert_eq!(read_all(store, 100).await, before);
    assert_eq!(store.audit_checkpoints().await.unwrap().len(), 1);
    // Appending goes on as before.
    assert_eq!(store.append_audit(&draft(9)).await.unwrap().seq, 5);
    assert_eq!(verified(&read_all(store, 100).await), 5);

    // Whoever owns the database can drop the triggers; the chain shows the edit.
    let drop = if db.is_postgres() {
        "DROP TRIGGER audit_entry_no_change ON audit_entry"
    } else {
        "DROP TRIGGER audit_entry_no_update"
    };
    db.raw(drop).await.unwrap();
    let changed = db
        .raw("UPDATE audit_entry SET outcome = CASE WHEN outcome = 'ok' THEN 'failed' ELSE 'ok' END WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(changed, 1);
    let entries = read_all(store, 100).await;
    assert_eq!(
        mamar_audit::verify(&entries, &[], &[]),
        Err(mamar_audit::Break::Edited { seq: 2 })
    );
}

pub async fn the_log_survives_the_panic_action(db: &AuditDb) {
    let store = db.store.as_ref();
    for i in 0..3 {
        store.append_audit(&draft(i)).await.unwrap();
    }
    audit::record(store, None, Action::Panic, None, Outcome::Ok)
        .await
        .unwrap();
    store.destroy_key_material().await.unwrap();
    let entries = read_all(store, 100).await;
    assert_eq!(verified(&entries), 4);
    assert_eq!(entries[3].action, Action::Panic);
}

pub async fn every_generation_of_a_public_key_is_listed(db: &AuditDb) {
    let store = db.store.as_ref();
    assert!(store.org_public_keys("signing").await.unwrap().is_empty());
    store
        .add_org_key_generation("signing", 1, Some(&[1; 40]), &[])
        .await
        .unwrap();
    store
        .add_org_key_generation("signing", 2, Some(&[2; 40]), &[])
        .await
        .unwrap();
    store
        .add_org_key_generation("analytics", 1, None, &[])
        .await
        .unwrap();
    assert_eq!(
        store.org_public_keys("signing").await.unwrap(),
        vec![vec![1; 40], vec![2; 40]]
    );
    assert!(store.org_public_keys("analytics").await.unwrap().is_empty());
}
