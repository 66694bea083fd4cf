//! `mamar retention run`: closed cases past the retention period (90 days by default) are
//! shredded, those still within it are kept; the run and each case are in the audit log, and
//! nothing of a shredded case is left in the database file or its write-ahead log.

use std::path::Path;

use mamar_core::Username;
use mamar_store::{CaseChange, NewCaseFile, NewCaseRecord, Store};

use crate::init::init;
use crate::postgres::block_on;
use crate::support::{mamar, run};

const DAY: i64 = 86_400;

fn now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// A case closed on `closed_day`, with one record whose ciphertext is `marker` repeated.
async fn closed_case(store: &dyn Store, closed_day: i64, marker: &[u8]) -> [u8; 16] {
    let admin = store
        .staff_by_username(&Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let id = mamar_crypto::random_bytes::<16>().unwrap();
    let case = NewCaseFile {
        id,
        reference: format!(
            "{:09}",
            u32::from_le_bytes(mamar_crypto::random_bytes::<4>().unwrap()) % 1_000_000_000
        ),
        stage: "follow-up".into(),
        owner: admin.id,
        source: "hotline".into(),
        request_id: None,
        forward_key: None,
        opened_on: "2026-01".into(),
        active_day: closed_day,
        team: vec![(admin.id, "coordinator".into())],
        grants: vec![(admin.id, marker.repeat(4))],
        escrow: None,
        records: vec![NewCaseRecord {
            id: mamar_crypto::random_bytes::<16>().unwrap(),
            kind: "case.note".into(),
            schema_version: 1,
            ciphertext: marker.repeat(64),
        }],
        index: vec![("case.phone".into(), marker.repeat(2))],
        facets: None,
    };
    store.open_case(&case).await.unwrap();
    let change = CaseChange {
        expected_version: 0,
        stage: "closed".into(),
        owner: Some(admin.id),
        active_day: closed_day,
        team: case.team.clone(),
        ..CaseChange::default()
    };
    store.change_case(&id, &change).await.unwrap();
    id
}

fn retention_run(data: &Path, extra: &[&str]) -> String {
    let output = run(mamar()
        .args(["retention", "run", "--data-dir"])
        .arg(data)
        .args(extra));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn database_bytes(data: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for name in ["mamar.sqlite3", "mamar.sqlite3-wal"] {
        if let Ok(more) = std::fs::read(data.join(name)) {
            bytes.extend(more);
        }
    }
    bytes
}

#[test]
fn retention_run_shreds_cases_closed_longer_ago_than_the_period_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let today = now() / DAY;
    let (old, recent) = block_on(async {
        let store = mamar_store::open(None, &data).await.unwrap();
        let old = closed_case(store.as_ref(), today - 91, b"OLD-CASE-CIPHERTEXT-1f3e").await;
        let recent = closed_case(store.as_ref(), today - 2, b"RECENT-CASE-CIPHERTEXT-9a0c").await;
        store.close().await;
        (old, recent)
    });
    let said = retention_run(&data, &[]);
    assert!(said.contains("1 case(s) shredded"), "{said}");
    let bytes = database_bytes(&data);
    let find = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!find(b"OLD-CASE-CIPHERTEXT-1f3e"), "a shredded case left a trace");
    assert!(find(b"RECENT-CASE-CIPHERTEXT-9a0c"));
    // The test clock moved past the recent case's period: it goes too.
    let later = (now() + 90 * DAY).to_string();
    let said = retention_run(&data, &["--as-of", &later]);
    assert!(said.contains("1 case(s) shredded"), "{said}");
    assert!(
        !database_bytes(&data)
            .windows(27)
            .any(|w| w == b"RECENT-CASE-CIPHERTEXT-9a0c")
    );
    block_on(async {
        let store = mamar_store::open(None, &data).await.unwrap();
        assert!(store.case_file(&old).await.unwrap().is_none());
        assert!(store.case_file(&recent).await.unwrap().is_none());
        let entries = store.audit_entries(0, 1_000).await.unwrap();
        let shredded: Vec<_> = entries
            .iter()
            .filter(|e| e.action.code() == "case_shredded")
            .collect();
        assert_eq!(shredded.len(), 2);
        assert_eq!(shredded[0].object, Some(old));
        assert_eq!(
            entries
                .iter()
                .filter(|e| e.action.code() == "retention_run")
                .count(),
            2
        );
        store.close().await;
    });
}
