//! Retention over many closed cases on SQLite: how long `run_retention` takes to shred them
//! (one transaction per 500 cases, an audit entry per case, then checkpoint, VACUUM,
//! checkpoint), and whether the database file keeps growing over repeated rounds.
//!
//! `nice -n 10 cargo run -p mamar-usecases --example retention_bench -- [first] [rounds] [per_round]`
//! (defaults 100000 3 20000), with `MAMAR_BENCH_DIR=DIR` for where the scratch database goes
//! (a temporary directory by default; deleted at the end).
//!
//! The closed cases are stored as the database holds them — opaque ciphertext of realistic
//! sizes: 6 records (~300 bytes), 2 key grants, 4 blind-index tags, a request with 2
//! messages, a facet row, and every 500th case an attachment of 4 chunks of 64 KiB — written
//! straight into the file in large transactions (loading is not what is measured).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Instant;

use mamar_core::{Locale, Organisation, Username};
use mamar_crypto::{KdfParams, Password, random_bytes};
use mamar_store::{RetentionStore, SqliteStore, Store};
use mamar_usecases::{CaseConfig, cases};
use sqlx::Connection;

const DAY: i64 = 86_400;
const NOW: i64 = 1_800_000_000;

fn rand_vec(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        out.extend_from_slice(&random_bytes::<32>().unwrap());
    }
    out.truncate(len);
    out
}

/// Writes `count` cases closed on `closed_day` straight into the file.
async fn load(path: &Path, owner: &[u8], count: usize, closed_day: i64, serial: &mut u64) {
    let url = format!("sqlite://{}", path.display());
    let mut conn = sqlx::sqlite::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut conn)
        .await
        .unwrap();
    for batch in 0..count.div_ceil(5_000) {
        let mut tx = conn.begin().await.unwrap();
        for _ in 0..5_000.min(count - batch * 5_000) {
            *serial += 1;
            let case = random_bytes::<16>().unwrap();
            let request = random_bytes::<16>().unwrap();
            sqlx::query(
                "INSERT INTO intake_request (id, lookup_tag, requester_key, sealed, intake_generation, received_month, forward_key) \
                 VALUES (?, ?, ?, X'', 1, '2026-12', ?)",
            )
            .bind(request.as_slice())
            .bind(rand_vec(32))
            .bind(rand_vec(32))
            .bind(rand_vec(32))
            .execute(&mut *tx)
            .await
            .unwrap();
            for from_requester in [true, false] {
                sqlx::query(
                    "INSERT INTO intake_message (id, request_id, from_requester, sealed, key_generation, to_case) \
                     VALUES (?, ?, ?, ?, 0, 1)",
                )
                .bind(random_bytes::<16>().unwrap().as_slice())
                .bind(request.as_slice())
                .bind(from_requester)
                .bind(rand_vec(300))
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            sqlx::query(
                "INSERT INTO case_file (id, stage, opened_on, reference, frozen, owner_id, source, request_id, \
                 active_day, version, closed_day) VALUES (?, 'closed', '2026-12', ?, 0, ?, 'request', ?, ?, 9, ?)",
            )
            .bind(case.as_slice())
            .bind(format!("{:09}", *serial))
            .bind(owner)
            .bind(request.as_slice())
            .bind(closed_day)
            .bind(closed_day)
            .execute(&mut *tx)
            .await
            .unwrap();
            for duty in ["intake", "coordinator"] {
                sqlx::query("INSERT INTO case_assignment (case_id, staff_id, duty) VALUES (?, ?, ?)")
                    .bind(case.as_slice())
                    .bind(owner)
                    .bind(duty)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            sqlx::query("INSERT INTO case_key_grant (case_id, staff_id, wrapped) VALUES (?, ?, ?)")
                .bind(case.as_slice())
                .bind(owner)
                .bind(rand_vec(90))
                .execute(&mut *tx)
                .await
                .unwrap();
            for seq in 1..=6 {
                sqlx::query(
                    "INSERT INTO case_record (id, case_id, kind, schema_version, ciphertext, seq) VALUES (?, ?, 'case.note', 1, ?, ?)",
                )
                .bind(random_bytes::<16>().unwrap().as_slice())
                .bind(case.as_slice())
                .bind(rand_vec(300))
                .bind(seq)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
            for field in ["case.phone", "case.name-word", "case.birth-year", "case.encoding"] {
                sqlx::query("INSERT INTO case_index (case_id, field, tag) VALUES (?, ?, ?)")
                    .bind(case.as_slice())
                    .bind(field)
                    .bind(rand_vec(if field == "case.encoding" { 180 } else { 32 }))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            sqlx::query("INSERT INTO case_facets (id, generation, sealed) VALUES (?, 1, ?)")
                .bind(random_bytes::<16>().unwrap().as_slice())
                .bind(rand_vec(250))
                .execute(&mut *tx)
                .await
                .unwrap();
            if (*serial).is_multiple_of(500) {
                let attachment = random_bytes::<16>().unwrap();
                sqlx::query(
                    "INSERT INTO case_attachment (id, case_id, started_day, chunks, complete) VALUES (?, ?, ?, 4, 1)",
                )
                .bind(attachment.as_slice())
                .bind(case.as_slice())
                .bind(closed_day)
                .execute(&mut *tx)
                .await
                .unwrap();
                for seq in 0..4 {
                    sqlx::query(
                        "INSERT INTO case_attachment_chunk (attachment_id, seq, ciphertext) VALUES (?, ?, ?)",
                    )
                    .bind(attachment.as_slice())
                    .bind(seq)
                    .bind(rand_vec(65_536 + 40))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                }
            }
        }
        tx.commit().await.unwrap();
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

fn size_mb(path: &Path) -> f64 {
    let wal = path.with_extension("sqlite3-wal");
    let bytes =
        std::fs::metadata(path).map_or(0, |m| m.len()) + std::fs::metadata(wal).map_or(0, |m| m.len());
    bytes as f64 / 1_048_576.0
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let first = args.first().copied().unwrap_or(100_000);
    let rounds = args.get(1).copied().unwrap_or(3);
    let per_round = args.get(2).copied().unwrap_or(20_000);
    let dir = match std::env::var("MAMAR_BENCH_DIR") {
        Ok(base) => tempfile::tempdir_in(base).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    };
    let path = dir.path().join("bench.sqlite3");
    let store = SqliteStore::open(&path).await.unwrap();
    let bootstrap = mamar_keys::bootstrap(
        Organisation::new("ممر", "Mamar", Locale::Ar).unwrap(),
        Username::parse("admin").unwrap(),
        &Password::new("benchmark passphrase, long enough".into()),
        &KdfParams::test_profile(),
    )
    .unwrap();
    store.initialise(&bootstrap.setup).await.unwrap();
    let owner = bootstrap.setup.admin.id.as_bytes().to_vec();
    store.close().await;
    let config = CaseConfig::shipped();
    let mut serial = 0;
    let mut now = NOW;
    println!("round | cases shredded | load | file before | retention run | file after | facet rows");
    for round in 0..=rounds {
        let count = if round == 0 { first } else { per_round };
        let started = Instant::now();
        load(
            &path,
            &owner,
            count,
            now / DAY - config.retention_days - 1,
            &mut serial,
        )
        .await;
        let loaded = started.elapsed();
        let before = size_mb(&path);
        let store = SqliteStore::open(&path).await.unwrap();
        let started = Instant::now();
        let report = cases::run_retention(&store, &config, None, now).await.unwrap();
        let took = started.elapsed();
        let facets = store.all_sealed_facets().await.unwrap().len();
        assert_eq!(store.cases_closed_by(i64::MAX, 1).await.unwrap().len(), 0);
        store.close().await;
        println!(
            "{round} | {} | {:.1} s | {before:.1} MB | {:.1} s | {:.1} MB | {facets}",
            report.cases,
            loaded.as_secs_f64(),
            took.as_secs_f64(),
            size_mb(&path),
        );
        now += DAY;
    }
}
