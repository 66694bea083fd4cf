//! Measures the panic action on a store holding 100,000 cases (each with its
//! own case key wrapped to the administrator and one 1 KiB encrypted record).
//!
//! `cargo run --release -p mamar-keys --example panic_bench [CASES]`
//! With MAMAR_TEST_POSTGRES_URL set, PostgreSQL is measured too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use mamar_core::{Locale, Organisation, StaffId, Username};
use mamar_crypto::{CaseKey, KdfParams, Password, RecordContext, StaffPublicKeys};
use mamar_store::{NewCase, NewCaseRecord, Store};

const BATCH: usize = 2_000;

fn random_id() -> [u8; 16] {
    mamar_crypto::generate_salt().unwrap()
}

async fn fill(store: &dyn Store, cases: usize) -> (StaffId, f64) {
    let bootstrap = mamar_keys::bootstrap(
        Organisation::new("ممر", "Bench", Locale::Ar).unwrap(),
        Username::parse("admin").unwrap(),
        &Password::new("benchmark password, long enough".into()),
        &KdfParams::test_profile(),
    )
    .unwrap();
    let admin = bootstrap.setup.admin.id;
    let public = StaffPublicKeys::from_bytes(&bootstrap.setup.admin.public_keys).unwrap();
    store.initialise(&bootstrap.setup).await.unwrap();
    let started = Instant::now();
    let body = vec![0x42u8; 1024];
    let mut done = 0;
    while done < cases {
        let batch: Vec<NewCase> = (0..BATCH.min(cases - done))
            .map(|_| {
                let id = random_id();
                let record_id = random_id();
                let key = CaseKey::generate().unwrap();
                let context = RecordContext {
                    record_id: &record_id,
                    kind: "case.intake",
                    schema_version: 1,
                };
                NewCase {
                    id,
                    stage: "triage".into(),
                    opened_on: "2026-11".into(),
                    grants: vec![(admin, key.wrap_to(&public, &id).unwrap())],
                    records: vec![NewCaseRecord {
                        id: record_id,
                        kind: "case.intake".into(),
                        schema_version: 1,
                        ciphertext: key.encrypt(&body, &context).unwrap(),
                    }],
                }
            })
            .collect();
        store.insert_cases(&batch).await.unwrap();
        done += batch.len();
    }
    (admin, started.elapsed().as_secs_f64())
}

async fn measure(name: &str, store: Arc<dyn Store>, cases: usize) {
    let (_, fill_secs) = fill(store.as_ref(), cases).await;
    assert_eq!(store.case_count().await.unwrap(), cases as u64);
    let started = Instant::now();
    let report = store.destroy_key_material().await.unwrap();
    let elapsed = started.elapsed();
    assert_eq!(report.case_key_grants, cases as u64);
    println!(
        "| {name} | {cases} | {:.0} ms | {} case-key grants, {} org keys, {} staff key sets | (filling took {fill_secs:.1} s) |",
        elapsed.as_secs_f64() * 1000.0,
        report.case_key_grants,
        report.org_keys,
        report.staff_keys
    );
    store.close().await;
}

#[tokio::main]
async fn main() {
    let cases: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = mamar_store::SqliteStore::open(&dir.path().join("bench.sqlite3"))
        .await
        .unwrap();
    measure("SQLite", Arc::new(sqlite), cases).await;
    if let Ok(url) = std::env::var("MAMAR_TEST_POSTGRES_URL") {
        let store = mamar_store::PostgresStore::connect(&url).await.unwrap();
        measure("PostgreSQL", Arc::new(store), cases).await;
    }
}
