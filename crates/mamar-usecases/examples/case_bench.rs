//! Case list, blind-index search and case page with many cases in the
//! database. One coordinator is on `MINE` real cases (opened through the use
//! cases); the rest of the `TOTAL` cases belong to other people and are
//! stored as opaque rows, as the database holds them.
//!
//! `cargo run --release -p mamar-usecases --example case_bench -- [total] [mine]`
//! (SQLite in a temporary directory), and with `MAMAR_BENCH_POSTGRES_URL=postgres://…/db`
//! against an empty PostgreSQL database instead. Prints p50 and p95 of each operation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Instant;

use mamar_core::case::Duty;
use mamar_core::questionnaire::Questionnaire;
use mamar_core::{Locale, Organisation, Role, StaffId, Username};
use mamar_crypto::{KdfParams, Keyring, OrgKey, OrgKeyKind, Password, StaffKeyPair};
use mamar_store::{NewCaseFile, NewCaseRecord, NewOrgKeyGrant, NewStaff, StaffRecord, Store};
use mamar_usecases::{Caller, CaseConfig, Identity, cases};

const PASSWORD: &str = "benchmark passphrase, long enough";

async fn person(store: &dyn Store, admin: &Keyring, name: &str, role: Role) -> (StaffRecord, Keyring) {
    let keys = StaffKeyPair::generate().unwrap();
    let mut grants = Vec::new();
    let mut org = Vec::new();
    for kind in role.org_key_kinds() {
        let kind: OrgKeyKind = kind.parse().unwrap();
        let key = admin.org_key(kind).unwrap();
        grants.push(NewOrgKeyGrant {
            kind: kind.code().into(),
            generation: i64::from(key.generation()),
            wrapped: key.wrap_to(&keys.public_keys()).unwrap(),
        });
        org.push(OrgKey::unwrap(&key.wrap_to(&keys.public_keys()).unwrap(), &keys).unwrap());
    }
    let id = StaffId::random();
    let staff = NewStaff {
        id,
        username: Username::parse(name).unwrap(),
        roles: vec![role],
        public_keys: keys.public_keys().to_bytes(),
        wrapped_secret_keys: keys
            .wrap_with_password(&Password::new(PASSWORD.into()), &KdfParams::test_profile())
            .unwrap(),
    };
    store.add_staff(&staff, &grants).await.unwrap();
    (
        store.staff_by_id(id).await.unwrap().unwrap(),
        Keyring::new(keys, org),
    )
}

fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95))
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let total = args.first().copied().unwrap_or(100_000);
    let mine = args.get(1).copied().unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let (store, backend): (Arc<dyn Store>, &str) = match std::env::var("MAMAR_BENCH_POSTGRES_URL") {
        Ok(url) => (
            Arc::new(mamar_store::PostgresStore::connect(&url).await.unwrap()),
            "PostgreSQL",
        ),
        Err(_) => (
            Arc::new(
                mamar_store::SqliteStore::open(&dir.path().join("bench.sqlite3"))
                    .await
                    .unwrap(),
            ),
            "SQLite",
        ),
    };
    let bootstrap = mamar_keys::bootstrap(
        Organisation::new("ممر", "Mamar", Locale::Ar).unwrap(),
        Username::parse("admin").unwrap(),
        &Password::new(PASSWORD.into()),
        &KdfParams::test_profile(),
    )
    .unwrap();
    store.initialise(&bootstrap.setup).await.unwrap();
    let admin_keys = StaffKeyPair::unwrap_with_password(
        &bootstrap.setup.admin.wrapped_secret_keys,
        &Password::new(PASSWORD.into()),
    )
    .unwrap();
    let mut admin_org = Vec::new();
    for grant in store.org_key_grants(bootstrap.setup.admin.id).await.unwrap() {
        admin_org.push(OrgKey::unwrap(&grant.wrapped, &admin_keys).unwrap());
    }
    let admin = Keyring::new(admin_keys, admin_org);
    let (intake, intake_ring) = person(store.as_ref(), &admin, "intake", Role::IntakeOperator).await;
    let (coordinator, coordinator_ring) =
        person(store.as_ref(), &admin, "coordinator", Role::ExitCoordinator).await;
    let (other, _) = person(store.as_ref(), &admin, "other", Role::ExitCoordinator).await;
    let questionnaire = Questionnaire::default_shipped();
    let config = CaseConfig::shipped();
    let answers = questionnaire
        .validate(&[
            ("urgency".into(), "immediate".into()),
            ("governorate".into(), "sy-hl".into()),
            ("institution".into(), "army".into()),
            ("destination".into(), "abroad".into()),
        ])
        .unwrap();
    let intake_caller = Caller {
        staff: &intake,
        keyring: &intake_ring,
    };
    let now = 1_800_000_000;
    let started = Instant::now();
    let mut my_cases = Vec::new();
    for n in 0..mine {
        let identity = Identity {
            name: format!("أحمد محمد {n}"),
            birth_year: Some(1990),
            phone: format!("0944{n:06}"),
        };
        let opened = cases::open_from_call(
            store.as_ref(),
            &questionnaire,
            &intake_caller,
            &answers,
            Some(identity),
            now,
        )
        .await
        .unwrap();
        cases::assign(
            store.as_ref(),
            &intake_caller,
            &opened.id,
            coordinator.id,
            Duty::Coordinator,
            now,
        )
        .await
        .unwrap();
        my_cases.push(opened.id);
    }
    // The others' cases: what the database holds of them, opaque to this bench, but for the
    // sealed keyed encoding each case keeps for the duplicate check (a random 1,024-bit one).
    let blob = vec![0x5a; 600];
    let encodings = intake_ring
        .org_key(OrgKeyKind::Linkage)
        .and_then(|k| k.linkage())
        .unwrap()
        .encoding_seal();
    for n in 0..total.saturating_sub(mine) {
        let id = mamar_crypto::random_bytes::<16>().unwrap();
        let encoding = encodings
            .seal(&id, &mamar_crypto::random_bytes::<128>().unwrap())
            .unwrap();
        let case = NewCaseFile {
            id,
            reference: format!("{:09}", 1_000_000_000u64 - 1 - n as u64),
            stage: "planning".into(),
            owner: other.id,
            source: "hotline".into(),
            request_id: None,
            forward_key: None,
            opened_on: "2026-12".into(),
            active_day: 20_000 + (n % 400) as i64,
            team: vec![(other.id, "coordinator".into())],
            grants: vec![(other.id, blob[..80].to_vec())],
            escrow: None,
            records: vec![NewCaseRecord {
                id: mamar_crypto::random_bytes::<16>().unwrap(),
                kind: "case.summary".into(),
                schema_version: 1,
                ciphertext: blob.clone(),
            }],
            index: vec![
                (
                    "case.phone".into(),
                    mamar_crypto::random_bytes::<32>().unwrap().to_vec(),
                ),
                (
                    "case.name-word".into(),
                    mamar_crypto::random_bytes::<32>().unwrap().to_vec(),
                ),
                ("case.encoding".into(), encoding),
            ],
            facets: None,
        };
        store.open_case(&case).await.unwrap();
    }
    let load_secs = started.elapsed().as_secs_f64();
    let caller = Caller {
        staff: &coordinator,
        keyring: &coordinator_ring,
    };
    let runs = 200;
    let mut list = Vec::new();
    let mut search = Vec::new();
    let mut page = Vec::new();
    let mut query = Vec::new();
    let mut open = Vec::new();
    for n in 0..20 {
        let t = Instant::now();
        cases::open_from_call(
            store.as_ref(),
            &questionnaire,
            &intake_caller,
            &answers,
            Some(Identity {
                name: format!("Khaled Hasan {n}"),
                birth_year: Some(1985),
                phone: format!("0933{n:06}"),
            }),
            now,
        )
        .await
        .unwrap();
        open.push(t.elapsed().as_secs_f64() * 1e3);
    }
    for n in 0..runs {
        let t = Instant::now();
        let rows = store.cases_for_staff(coordinator.id, 2_000).await.unwrap();
        query.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(rows.len(), mine);
        let t = Instant::now();
        let items = cases::list_mine(store.as_ref(), &config, &caller).await.unwrap();
        list.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(items.len(), mine);
        let t = Instant::now();
        let found = cases::search(store.as_ref(), &intake_caller, &format!("0944{:06}", n % mine))
            .await
            .unwrap();
        search.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(found.len(), 1);
        let t = Instant::now();
        let view = cases::view(store.as_ref(), &config, &caller, &my_cases[n % mine], now)
            .await
            .unwrap();
        page.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(view.answers.is_some());
    }
    println!(
        "{backend}: {total} cases in the database, {mine} of them the coordinator's (loaded in {load_secs:.0} s)"
    );
    for (name, samples) in [
        ("case list (decrypts every summary)", list),
        ("  of which the database's rows", query),
        ("search by phone (blind index)", search),
        ("case page (every record)", page),
        ("opening a case (duplicate check)", open),
    ] {
        let (p50, p95) = percentiles(samples);
        println!("  {name:40} p50 {p50:7.2} ms   p95 {p95:7.2} ms");
    }
}
