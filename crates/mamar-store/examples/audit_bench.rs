//! Audit appends per second on SQLite (always) and PostgreSQL (when
//! `MAMAR_TEST_POSTGRES_URL` is set), one writer and eight at once, and the
//! time to read the whole log back in pages and verify it.
//!
//! `cargo run --release -p mamar-store --example audit_bench [APPENDS]` (default 2,000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use mamar_core::StaffId;
use mamar_store::audit::{Action, AuditDraft, AuditEntry, Outcome};
use mamar_store::{PostgresStore, SqliteStore, Store};
use sqlx::Connection;

fn draft(i: u64) -> AuditDraft {
    AuditDraft::new(1_700_000_000 + i as i64, Action::CaseRead, Outcome::Ok)
        .by(StaffId::from_bytes([(i % 7) as u8; 16]))
        .on([(i % 251) as u8; 16])
}

async fn run(name: &str, store: Arc<dyn Store>, n: u64) {
    let started = Instant::now();
    for i in 0..n {
        store.append_audit(&draft(i)).await.unwrap();
    }
    let one = started.elapsed();

    let writers = 8;
    let started = Instant::now();
    let mut handles = Vec::new();
    for w in 0..writers {
        let store = Arc::clone(&store);
        handles.push(tokio::spawn(async move {
            for i in 0..n / writers {
                store.append_audit(&draft(w * n + i)).await.unwrap();
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let eight = started.elapsed();

    let started = Instant::now();
    let mut all: Vec<AuditEntry> = Vec::new();
    loop {
        let after = all.last().map_or(0, |e| e.seq);
        let page = store.audit_entries(after, 10_000).await.unwrap();
        if page.is_empty() {
            break;
        }
        all.extend(page);
    }
    let report = mamar_audit::verify(&all, &[], &[]).unwrap();
    let read = started.elapsed();
    let rate = |count: u64, d: Duration| count as f64 / d.as_secs_f64();
    println!(
        "{name}: one writer {:.0} appends/s; eight writers {:.0} appends/s; read and verify {} entries in {read:.2?}",
        rate(n, one),
        rate(n / writers * writers, eight),
        report.entries
    );
    store.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("a number of appends"))
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(&dir.path().join("bench.sqlite3"))
        .await
        .unwrap();
    run("SQLite (WAL, synchronous=FULL)", Arc::new(sqlite), n).await;

    if let Ok(admin_url) = std::env::var("MAMAR_TEST_POSTGRES_URL") {
        let name = format!("mamar_bench_{}", std::process::id());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let store = PostgresStore::connect(&format!("{base}/{name}")).await.unwrap();
        run("PostgreSQL", Arc::new(store), n).await;
        sqlx::query(&format!("DROP DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
    }
}
