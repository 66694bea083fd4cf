//! What the analyst's dashboard costs to read its facets on SQLite: every stored facet row opened
//! with the analytics key (`open_all`, one X25519 open a row), against the dashboard's way
//! (`open_all_reusing`), whose first view opens every row and whose later views open only the rows
//! sealed since.
//!
//! `nice -n 10 cargo run --release -p mamar-usecases --example dashboard_bench -- [rows] [views]`
//! (defaults 100000 5), with `MAMAR_BENCH_DIR=DIR` for where the scratch database goes (a
//! temporary directory by default; deleted at the end).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use mamar_core::facets::Facets;
use mamar_core::{Locale, Organisation, Username};
use mamar_crypto::{KdfParams, Keyring, OrgKey, Password, StaffKeyPair, random_bytes};
use mamar_store::{RetentionStore, SqliteStore, Store};
use mamar_usecases::{OpenedFacets, open_all, open_all_reusing, seal_facets};

const PASSWORD: &str = "benchmark passphrase, long enough";

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rows = args.first().copied().unwrap_or(100_000);
    let views = args.get(1).copied().unwrap_or(5).max(1);
    let dir = match std::env::var("MAMAR_BENCH_DIR") {
        Ok(base) => tempfile::tempdir_in(base).unwrap(),
        Err(_) => tempfile::tempdir().unwrap(),
    };
    let store = SqliteStore::open(&dir.path().join("bench.sqlite3"))
        .await
        .unwrap();
    let bootstrap = mamar_keys::bootstrap(
        Organisation::new("ممر", "Mamar", Locale::Ar).unwrap(),
        Username::parse("admin").unwrap(),
        &Password::new(PASSWORD.into()),
        &KdfParams::test_profile(),
    )
    .unwrap();
    store.initialise(&bootstrap.setup).await.unwrap();
    let admin = store
        .staff_by_id(bootstrap.setup.admin.id)
        .await
        .unwrap()
        .unwrap();
    let keys =
        StaffKeyPair::unwrap_with_password(&admin.wrapped_secret_keys, &Password::new(PASSWORD.into()))
            .unwrap();
    let mut org = Vec::new();
    for grant in store.org_key_grants(admin.id).await.unwrap() {
        org.push(OrgKey::unwrap(&grant.wrapped, &keys).unwrap());
    }
    let keyring = Keyring::new(keys, org);
    let public = mamar_usecases::facets::analytics_public_key(&store)
        .await
        .unwrap()
        .expect("an analytics public key");
    let facets = Facets {
        outcome: Some("safe-relocated".into()),
        destination: Some("relocate".into()),
        ..Facets::default()
    };
    let started = Instant::now();
    for _ in 0..rows {
        let sealed = seal_facets(&facets, &public, random_bytes::<16>().unwrap()).unwrap();
        store.put_facets(&sealed).await.unwrap();
    }
    println!(
        "{rows} facet rows sealed and stored in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut every_row = Vec::new();
    for _ in 0..views.min(3) {
        let started = Instant::now();
        assert_eq!(open_all(&store, &keyring).await.unwrap().len(), rows);
        every_row.push(started.elapsed());
    }
    let opened = OpenedFacets::default();
    let started = Instant::now();
    assert_eq!(
        open_all_reusing(&store, &keyring, &opened).await.unwrap().len(),
        rows
    );
    let first = started.elapsed();
    let mut later = Vec::new();
    for _ in 0..views {
        // A case changes between views: its row is sealed again.
        let sealed = seal_facets(&facets, &public, random_bytes::<16>().unwrap()).unwrap();
        store.put_facets(&sealed).await.unwrap();
        let started = Instant::now();
        open_all_reusing(&store, &keyring, &opened).await.unwrap();
        later.push(started.elapsed());
    }
    println!(
        "| rows | every row opened (median of {}) | reusing: first view | reusing: later views, one new row each (median of {views}) |",
        every_row.len()
    );
    println!("| ---: | ---: | ---: | ---: |");
    println!(
        "| {rows} | {:.2} s | {:.2} s | {:.3} s |",
        median(every_row),
        first.as_secs_f64(),
        median(later)
    );
    store.close().await;
}
