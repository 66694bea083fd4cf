//! The restore drill, on SQLite and on PostgreSQL: a server with staff,
//! cases and requests is backed up while it runs, destroyed, and restored
//! elsewhere with two of three trustees' shares; then the audit log verifies,
//! every case opens for everyone it was wrapped to, every record reads as
//! before, and staff log in and read the requests. The backup file holds
//! none of the canaries planted in every field, nor any user name.

use std::path::{Path, PathBuf};

use mamar_core::{Role, StaffId, Username};
use mamar_crypto::{CaseKey, KdfParams, Password, RecordContext, StaffKeyPair};
use mamar_store::backup::Snapshot;
use mamar_store::{NewCase, NewCaseRecord, NewStaff, Store};

use crate::canary::full_login;
use crate::init::{PASSWORD, init};
use crate::keys::create_shares;
use crate::postgres::block_on;
use crate::support::{Server, form_encode, http_request, mamar, run};

const COLLEAGUE: &str = "casework2";
const COLLEAGUE_PASSWORD: &str = "canary-colleague-passphrase-2c7e";
const CASE_NOTE: &str = "canary-case-note-ملاحظة-5b8e1d";
const CASE_CONTACT: &str = "canary-case-contact-a3f09c";
const INTAKE_MESSAGE: &str = "canary-drill-intake-رسالة-7d41e2";
const INTAKE_CONTACT: &str = "canary-drill-contact-90bb3f";

async fn open(url: Option<&str>, data: &Path) -> std::sync::Arc<dyn Store> {
    mamar_store::open(url, data).await.unwrap()
}

/// What each case should hold: its id, who it is wrapped to, its records' plaintext.
struct PlantedCase {
    id: [u8; 16],
    holders: Vec<String>,
    records: Vec<([u8; 16], String)>,
}

fn context(id: &[u8; 16]) -> RecordContext<'_> {
    RecordContext {
        record_id: id,
        kind: "case.note",
        schema_version: 1,
    }
}

/// A second staff member and four cases through the store (the web has no
/// case pages yet): cases 1 and 2 wrapped to the administrator, 3 to the
/// colleague, 4 to both.
async fn plant_cases(store: &dyn Store) -> Vec<PlantedCase> {
    let admin_record = store
        .staff_by_username(&Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let admin =
        StaffKeyPair::unwrap_with_password(&admin_record.wrapped_secret_keys, &Password::from(PASSWORD))
            .unwrap();
    let colleague = StaffKeyPair::generate().unwrap();
    let colleague_id = StaffId::random();
    store
        .add_staff(
            &NewStaff {
                id: colleague_id,
                username: Username::parse(COLLEAGUE).unwrap(),
                roles: vec![Role::VettingOfficer],
                public_keys: colleague.public_keys().to_bytes(),
                wrapped_secret_keys: colleague
                    .wrap_with_password(&Password::from(COLLEAGUE_PASSWORD), &KdfParams::test_profile())
                    .unwrap(),
            },
            &[],
        )
        .await
        .unwrap();
    let mut planted = Vec::new();
    let mut cases = Vec::new();
    for n in 1..=4u8 {
        let id = [n; 16];
        let key = CaseKey::generate().unwrap();
        let mut holders = Vec::new();
        let mut grants = Vec::new();
        if n != 3 {
            holders.push("admin".to_owned());
            grants.push((admin_record.id, key.wrap_to(&admin.public_keys(), &id).unwrap()));
        }
        if n >= 3 {
            holders.push(COLLEAGUE.to_owned());
            grants.push((colleague_id, key.wrap_to(&colleague.public_keys(), &id).unwrap()));
        }
        let texts: Vec<([u8; 16], String)> = [CASE_NOTE, CASE_CONTACT]
            .iter()
            .enumerate()
            .map(|(r, text)| {
                let mut record_id = [n; 16];
                record_id[15] = r as u8;
                (record_id, format!("{text} case {n}"))
            })
            .collect();
        let records = texts
            .iter()
            .map(|(record_id, text)| NewCaseRecord {
                id: *record_id,
                kind: "case.note".into(),
                schema_version: 1,
                ciphertext: key.encrypt(text.as_bytes(), &context(record_id)).unwrap(),
            })
            .collect();
        cases.push(NewCase {
            id,
            stage: "vetting".into(),
            opened_on: "2026-12".into(),
            grants,
            records,
        });
        planted.push(PlantedCase {
            id,
            holders,
            records: texts,
        });
    }
    store.insert_cases(&cases).await.unwrap();
    planted
}

/// Every case opens for each person it was wrapped to, with their own
/// password, and reads as planted.
async fn check_cases(store: &dyn Store, planted: &[PlantedCase]) {
    assert_eq!(store.case_count().await.unwrap(), planted.len() as u64);
    for case in planted {
        let grants = store.case_grants(&case.id).await.unwrap();
        assert_eq!(grants.len(), case.holders.len());
        for holder in &case.holders {
            let password = if holder == "admin" {
                PASSWORD
            } else {
                COLLEAGUE_PASSWORD
            };
            let staff = store
                .staff_by_username(&Username::parse(holder).unwrap())
                .await
                .unwrap()
                .unwrap();
            let keys =
                StaffKeyPair::unwrap_with_password(&staff.wrapped_secret_keys, &Password::from(password))
                    .unwrap();
            let wrapped = &grants.iter().find(|(id, _)| *id == staff.id).unwrap().1;
            let key = CaseKey::unwrap(wrapped, &case.id, &keys).unwrap();
            let records = store.case_records(&case.id).await.unwrap();
            assert_eq!(records.len(), case.records.len());
            for (record, (id, text)) in records.iter().zip(&case.records) {
                assert_eq!(&record.id, id);
                let plain = key.decrypt(&record.ciphertext, &context(id)).unwrap();
                assert_eq!(
                    plain.expose_secret(),
                    text.as_bytes(),
                    "{holder} reads case {}",
                    case.id[0]
                );
            }
        }
    }
}

fn submit_request(server: &Server) {
    let form = form_encode(&[
        ("urgency", "immediate"),
        ("governorate", "sy-hl"),
        ("institution", "army"),
        ("destination", "abroad"),
        ("contact", INTAKE_CONTACT),
        ("message", INTAKE_MESSAGE),
        ("codename_language", "en"),
    ]);
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, page) = http_request(&server.address, "POST", "/en/contact", &headers, &form);
    assert_eq!(status, 200, "{page}");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    [needle.as_bytes(), utf16.as_slice()]
        .iter()
        .any(|n| haystack.windows(n.len()).any(|w| w == *n))
}

fn succeed(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn restore_command(data: &Path, backup: &Path, shares: &[&PathBuf]) -> std::process::Command {
    let mut command = mamar();
    command
        .arg("restore")
        .arg("--data-dir")
        .arg(data)
        .arg("--from")
        .arg(backup);
    for share in shares {
        command.arg("--share").arg(share);
    }
    command
}

/// The drill. `source` and `target` are the two databases' URLs (PostgreSQL)
/// or `None` (SQLite in the two data directories); `destroy` loses the first.
fn drill(root: &Path, source: Option<&str>, target: Option<&str>, destroy: impl FnOnce(&Path)) {
    let (data, elsewhere) = (root.join("server"), root.join("new-machine"));
    let (shares_dir, backups) = (root.join("shares"), root.join("backups"));
    let guard = source.map(crate::support::use_database);
    succeed(init(&data, &[]));
    let shares = create_shares(&data, &shares_dir, PASSWORD);
    let planted = block_on(async {
        let store = open(source, &data).await;
        let planted = plant_cases(store.as_ref()).await;
        store.close().await;
        planted
    });
    let server = Server::start(&data);
    submit_request(&server);

    // A backup while the server runs.
    let out = succeed(run(mamar()
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg("--out-dir")
        .arg(&backups)));
    assert!(out.contains("written and checked"), "{out}");
    let files = crate::support::files_in(&backups);
    assert_eq!(files.len(), 1, "{files:?}");
    let backup = files[0].clone();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bytes = std::fs::read(&backup).unwrap();
    for secret in [
        CASE_NOTE,
        CASE_CONTACT,
        INTAKE_MESSAGE,
        INTAKE_CONTACT,
        PASSWORD,
        COLLEAGUE_PASSWORD,
        "admin",
        COLLEAGUE,
        "المركز السوري",
        "Syrian Centre",
        "case.note",
        "vetting",
        "2026-12",
        "SQLite",
        "mamar-snapshot",
        "recovery_created",
    ] {
        assert!(!contains(&bytes, secret), "the backup file shows {secret:?}");
    }
    let (stopped, _) = server.terminate();
    assert!(stopped);
    let before = block_on(async {
        let store = open(source, &data).await;
        let snapshot = store.snapshot().await.unwrap();
        store.close().await;
        snapshot
    });

    // The server is lost.
    destroy(&data);
    drop(guard);

    let _target = target.map(crate::support::use_database);
    // One share is not enough, and nothing is written.
    let refused = run(&mut restore_command(&elsewhere, &backup, &[&shares[0]]));
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("share"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let out = succeed(run(&mut restore_command(
        &elsewhere,
        &backup,
        &[&shares[0], &shares[2]],
    )));
    assert!(out.contains("2 staff, 4 cases, 1 requests"), "{out}");
    // Restoring a second time over it is refused.
    let again = run(&mut restore_command(
        &elsewhere,
        &backup,
        &[&shares[1], &shares[2]],
    ));
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    succeed(run(mamar()
        .args(["audit", "verify", "--data-dir"])
        .arg(&elsewhere)));

    let after = block_on(async {
        let store = open(target, &elsewhere).await;
        check_cases(store.as_ref(), &planted).await;
        let snapshot = store.snapshot().await.unwrap();
        store.close().await;
        snapshot
    });
    compare(&before, &after);

    // Staff log in on the new machine with their own passwords and read the request.
    let server = Server::start(&elsewhere);
    let (cookie, _) = full_login(&server, "admin", PASSWORD);
    let inbox = crate::support::newest_request_page(&server, &cookie);
    assert!(
        inbox.contains(INTAKE_MESSAGE),
        "the restored inbox shows the request"
    );
    let (stopped, _) = server.terminate();
    assert!(stopped);
}

/// Every table of the restored database equals the lost one's, but for the
/// audit entries written after the backup (the backup's own) and the
/// restore's entry; sessions are never in a backup.
fn compare(before: &Snapshot, after: &Snapshot) {
    for table in &before.tables {
        let restored = after.table(&table.name).unwrap();
        if table.name == "audit_entry" {
            let kept = restored.rows.len() - 1;
            assert!(kept <= table.rows.len());
            assert_eq!(restored.rows[..kept], table.rows[..kept]);
            continue;
        }
        assert_eq!(restored, table, "table {}", table.name);
    }
}

#[test]
fn restore_drill_on_sqlite() {
    let root = tempfile::tempdir().unwrap();
    drill(root.path(), None, None, |data| {
        std::fs::remove_dir_all(data).unwrap();
    });
}

#[test]
fn restore_drill_on_postgres() {
    let root = tempfile::tempdir().unwrap();
    let lost = crate::postgres::TestPostgres::create();
    let fresh = crate::postgres::TestPostgres::create();
    drill(root.path(), Some(&lost.url), Some(&fresh.url), |_| lost.destroy());
}

#[test]
fn a_backup_needs_the_trustees_shares_first() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    succeed(init(&data, &[]));
    let output = run(mamar()
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg("--out-dir")
        .arg(root.path().join("backups")));
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("mamar recovery create"), "{error}");
}

#[test]
fn the_server_writes_backups_on_its_schedule() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let backups = root.path().join("backups");
    succeed(init(&data, &[]));
    create_shares(&data, &root.path().join("shares"), PASSWORD);
    let every = std::path::PathBuf::from("5s");
    let keep = std::path::PathBuf::from("1");
    let server = Server::start_with(
        &data,
        &[
            ("MAMAR_BACKUP_DIR", backups.as_path()),
            ("MAMAR_BACKUP_EVERY", every.as_path()),
            ("MAMAR_BACKUP_KEEP", keep.as_path()),
        ],
    );
    // The first backup comes one interval after the start; wait for the server to say so.
    let mut said = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !said
        .iter()
        .any(|line: &String| line.contains("backup written and checked"))
        && std::time::Instant::now() < deadline
    {
        if let Ok(line) = server.log.recv_timeout(std::time::Duration::from_millis(500)) {
            said.push(line);
        }
    }
    let files = crate::support::files_in(&backups);
    let (stopped, log) = server.terminate();
    assert!(stopped);
    assert_eq!(files.len(), 1, "{files:?} {said:?}");
    let log = [said, log].concat();
    assert!(
        log.iter().any(|line| line.contains("backup written and checked")),
        "{log:?}"
    );
}
