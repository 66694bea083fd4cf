//! The audit log end to end: operator commands append to it, `mamar audit
//! checkpoint` signs its head, and `mamar audit verify` names the first break
//! when someone with the database file edits, deletes, inserts or reorders
//! entries (dropping the triggers first, as an attacker with the file would),
//! or cuts the tail off behind a checkpoint kept elsewhere.

use std::path::{Path, PathBuf};
use std::process::Output;

use sqlx::{Connection, SqliteConnection};

use crate::init::{PASSWORD, init};
use crate::keys::run_with_input;
use crate::support::{mamar, run};

fn rotate(data: &Path, kind: &str, password: &str) -> Output {
    run_with_input(
        &[
            "keys",
            "rotate",
            "--kind",
            kind,
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
        ],
        data,
        &format!("{password}\n"),
    )
}

fn checkpoint(data: &Path, out: &Path) -> Output {
    run_with_input(
        &[
            "audit",
            "checkpoint",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
            "--out",
            out.to_str().unwrap(),
        ],
        data,
        &format!("{PASSWORD}\n"),
    )
}

pub fn verify(data: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let output = run(mamar()
        .args(["audit", "verify", "--data-dir"])
        .arg(data)
        .args(extra));
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn ok(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A data directory whose log holds six entries, with a checkpoint of the
/// fourth kept outside it:
/// 1 org_key_rotated, 2 org_key_rotated (denied: wrong password),
/// 3 org_key_rotated, 4 audit_checkpoint, 5 and 6 org_key_rotated.
struct Logged {
    _dir: tempfile::TempDir,
    root: PathBuf,
    data: PathBuf,
    checkpoint: PathBuf,
    fingerprint: String,
}

fn logged() -> Logged {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_owned();
    let data = root.join("data");
    let output = init(&data, &[]);
    ok(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fingerprint = stdout
        .lines()
        .skip_while(|line| !line.contains("fingerprint"))
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    ok(&rotate(&data, "intake", PASSWORD));
    let denied = rotate(&data, "intake", "not the password at all");
    assert!(!denied.status.success());
    ok(&rotate(&data, "analytics", PASSWORD));
    let checkpoint_file = root.join("checkpoint-4.txt");
    ok(&checkpoint(&data, &checkpoint_file));
    ok(&rotate(&data, "linkage", PASSWORD));
    ok(&rotate(&data, "intake", PASSWORD));
    Logged {
        _dir: dir,
        root,
        data,
        checkpoint: checkpoint_file,
        fingerprint,
    }
}

impl Logged {
    /// A copy of the data directory to tamper with.
    fn copy(&self, name: &str) -> PathBuf {
        let copy = self.root.join(name);
        std::fs::create_dir_all(&copy).unwrap();
        for entry in std::fs::read_dir(&self.data).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
        }
        copy
    }

    fn checkpoint_arg(&self) -> String {
        self.checkpoint.to_str().unwrap().to_owned()
    }
}

/// Plain SQL on the database file, as someone holding it would run.
async fn tamper(data: &Path, statements: &[&str]) {
    let path = data.join("mamar.sqlite3");
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    for sql in statements {
        sqlx::query(sql)
            .execute(&mut db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    db.close().await.unwrap();
}

fn assert_broken(data: &Path, extra: &[&str], expected: &str) {
    let (code, stdout, stderr) = verify(data, extra);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(
        lines[0].starts_with("mamar: the audit log is broken: ") && lines[0].contains(expected),
        "expected {expected:?} in {stderr}"
    );
}

#[tokio::test]
async fn operator_commands_are_on_the_record_and_verify() {
    let logged = logged();
    let checkpoint = std::fs::read_to_string(&logged.checkpoint).unwrap();
    assert!(
        checkpoint.starts_with("mamar audit checkpoint\nversion: 1\nentry: 4\n"),
        "{checkpoint}"
    );
    let (code, stdout, stderr) = verify(&logged.data, &["--checkpoint", &logged.checkpoint_arg()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("intact: 6 entries"), "{stdout}");
    assert!(
        stdout.contains("2 checkpoints checked (1 from files)"),
        "{stdout}"
    );

    let path = logged.data.join("mamar.sqlite3");
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let rows: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT seq, action, outcome, actor IS NOT NULL FROM audit_entry ORDER BY seq")
            .fetch_all(&mut db)
            .await
            .unwrap();
    let expected = [
        (1, "org_key_rotated", "ok"),
        (2, "org_key_rotated", "denied"),
        (3, "org_key_rotated", "ok"),
        (4, "audit_checkpoint", "ok"),
        (5, "org_key_rotated", "ok"),
        (6, "org_key_rotated", "ok"),
    ];
    assert_eq!(rows.len(), expected.len());
    for (row, (seq, action, outcome)) in rows.iter().zip(expected) {
        assert_eq!((row.0, row.1.as_str(), row.2.as_str()), (seq, action, outcome));
        assert!(row.3, "every entry names the administrator by id");
    }
    // The application itself cannot change the record.
    assert!(
        sqlx::query("UPDATE audit_entry SET outcome = 'ok' WHERE seq = 2")
            .execute(&mut db)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_entry WHERE seq = 6")
            .execute(&mut db)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn verify_names_each_kind_of_tampering() {
    let logged = logged();
    let cp = logged.checkpoint_arg();

    let edited = logged.copy("edited");
    tamper(
        &edited,
        &[
            "DROP TRIGGER audit_entry_no_update",
            // Hide the failed attempt.
            "UPDATE audit_entry SET outcome = 'ok' WHERE seq = 2",
        ],
    )
    .await;
    assert_broken(&edited, &[], "entry 2 was edited");

    let deleted = logged.copy("deleted");
    tamper(
        &deleted,
        &[
            "DROP TRIGGER audit_entry_no_delete",
            "DELETE FROM audit_entry WHERE seq = 2",
        ],
    )
    .await;
    assert_broken(&deleted, &[], "entry 2 was deleted");

    let inserted = logged.copy("inserted");
    tamper(
        &inserted,
        &[
            "DROP TRIGGER audit_entry_no_update",
            "DROP TRIGGER audit_entry_append_only_insert",
            // Make room after entry 3 and slip in an entry that never happened.
            "UPDATE audit_entry SET seq = seq + 100 WHERE seq >= 4",
            "UPDATE audit_entry SET seq = seq - 99 WHERE seq >= 100",
            "INSERT INTO audit_entry (seq, at, actor, action, object, outcome, hash) \
             SELECT 4, at, actor, 'login_succeeded', NULL, 'ok', hash FROM audit_entry WHERE seq = 3",
        ],
    )
    .await;
    assert_broken(&inserted, &[], "an entry was inserted after entry 3");

    let reordered = logged.copy("reordered");
    tamper(
        &reordered,
        &[
            "DROP TRIGGER audit_entry_no_update",
            "UPDATE audit_entry SET seq = 100 WHERE seq = 2",
            "UPDATE audit_entry SET seq = 2 WHERE seq = 5",
            "UPDATE audit_entry SET seq = 5 WHERE seq = 100",
        ],
    )
    .await;
    assert_broken(&reordered, &[], "entries were reordered: entry 2");

    let garbage = logged.copy("garbage");
    tamper(
        &garbage,
        &[
            "DROP TRIGGER audit_entry_no_update",
            "UPDATE audit_entry SET action = 'coffee_break' WHERE seq = 5",
        ],
    )
    .await;
    assert_broken(
        &garbage,
        &[],
        "audit entry 5 holds an action that mamar never writes",
    );

    // Entries 4 to 6 cut off, and the stored checkpoint with them: the log
    // left behind is a valid chain, and only the checkpoint kept elsewhere shows the cut.
    let truncated = logged.copy("truncated");
    tamper(
        &truncated,
        &[
            "DROP TRIGGER audit_entry_no_delete",
            "DROP TRIGGER audit_checkpoint_no_delete",
            "DELETE FROM audit_entry WHERE seq >= 4",
            "DELETE FROM audit_checkpoint",
        ],
    )
    .await;
    let (code, stdout, _) = verify(&truncated, &[]);
    assert_eq!(code, Some(0), "without the kept checkpoint the cut does not show");
    assert!(stdout.contains("intact: 3 entries"), "{stdout}");
    assert_broken(
        &truncated,
        &["--checkpoint", &cp],
        "the log ends at entry 3 but a signed checkpoint covers entries up to 4",
    );

    // A checkpoint that was changed (here: made to cover more) no longer verifies.
    let forged = logged.root.join("forged.txt");
    let text = std::fs::read_to_string(&logged.checkpoint).unwrap();
    std::fs::write(&forged, text.replace("entry: 4", "entry: 5")).unwrap();
    assert_broken(
        &logged.data,
        &["--checkpoint", forged.to_str().unwrap()],
        "the checkpoint of entry 5 is not signed by the organisation's signing key",
    );
}

#[tokio::test]
async fn the_log_outlives_the_panic_action() {
    let logged = logged();
    let output = run(mamar().args(["panic", "--yes", "--data-dir"]).arg(&logged.data));
    ok(&output);
    let cp = logged.checkpoint_arg();
    // The public half of the signing key survives the panic (it is public): the log checks as
    // before, and against the published fingerprint too.
    let (code, stdout, stderr) = verify(&logged.data, &["--checkpoint", &cp]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("intact: 7 entries"), "{stdout}");
    let (code, stdout, stderr) = verify(
        &logged.data,
        &["--checkpoint", &cp, "--fingerprint", &logged.fingerprint],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("intact: 7 entries"), "{stdout}");
    // Another key's fingerprint trusts nothing here.
    let (code, _, stderr) = verify(
        &logged.data,
        &["--checkpoint", &cp, "--fingerprint", &"ab".repeat(32)],
    );
    assert_eq!(code, Some(1), "{stderr}");
}

/// What `mamar serve` does on its schedule, done in process on the data directory: an
/// administrator's login certifies the server's in-memory checkpoint key with the organisation's
/// signing key, and the schedule signs the log's head with it.
async fn server_checkpoint(data: &Path) -> mamar_audit::SignedCheckpoint {
    use mamar_crypto::{OrgKey, OrgKeyKind, Password, StaffKeyPair};
    use mamar_store::Store;
    use mamar_usecases::audit_checkpoints::{CheckpointSchedule, Checkpointer};

    let store: std::sync::Arc<dyn Store> = std::sync::Arc::new(
        mamar_store::SqliteStore::open(&data.join("mamar.sqlite3"))
            .await
            .unwrap(),
    );
    let admin = store
        .staff_by_username(&mamar_core::Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let keys =
        StaffKeyPair::unwrap_with_password(&admin.wrapped_secret_keys, &Password::new(PASSWORD.to_owned()))
            .unwrap();
    let mut signing = None;
    for grant in store.org_key_grants(admin.id).await.unwrap() {
        let key = OrgKey::unwrap(&grant.wrapped, &keys).unwrap();
        if key.kind() == OrgKeyKind::Signing {
            signing = Some(key);
        }
    }
    let signing = signing.unwrap();
    let checkpointer = Checkpointer::new(store.clone());
    let now = mamar_store::audit::now();
    assert!(
        checkpointer
            .certify(signing.signing().unwrap(), admin.id, now)
            .await
            .unwrap()
    );
    // An hour on, when the schedule next looks (the checkpoint `logged` signed is newer than that).
    assert!(
        checkpointer
            .run_due(now, CheckpointSchedule::default())
            .await
            .unwrap()
            .is_none()
    );
    let signed = checkpointer
        .run_due(now + 3_600, CheckpointSchedule::default())
        .await
        .unwrap()
        .unwrap();
    store.close().await;
    signed
}

#[tokio::test]
async fn a_checkpoint_the_server_made_verifies_through_its_certificate_and_a_tampered_one_does_not() {
    let logged = logged();
    let signed = server_checkpoint(&logged.data).await;
    assert!(signed.certificate.is_some());
    let text = signed.to_text();
    let copied = logged.root.join("server-checkpoint.txt");
    std::fs::write(&copied, &text).unwrap();
    let cp = copied.to_str().unwrap().to_owned();
    let (code, stdout, stderr) = verify(
        &logged.data,
        &["--checkpoint", &cp, "--fingerprint", &logged.fingerprint],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("The audit log is intact"), "{stdout}");

    let seq = signed.checkpoint.seq;
    let from = signed.certificate.as_ref().unwrap().from;
    // An older time of certification (to vouch for an earlier past), and another head.
    for changed in [
        text.replace(
            &format!("certified-from: {from}"),
            &format!("certified-from: {}", from - 86_400),
        ),
        text.replace(
            &format!("head: {}", signed.checkpoint.head.to_hex()),
            &format!("head: {}", "00".repeat(32)),
        ),
    ] {
        assert_ne!(changed, text);
        let tampered = logged.root.join("tampered.txt");
        std::fs::write(&tampered, changed).unwrap();
        assert_broken(
            &logged.data,
            &["--checkpoint", tampered.to_str().unwrap()],
            &format!("the checkpoint of entry {seq} is not signed by the organisation's signing key"),
        );
    }
    // The log cut back behind the copied checkpoint shows.
    let truncated = logged.copy("cut");
    tamper(
        &truncated,
        &[
            "DROP TRIGGER audit_entry_no_delete",
            "DROP TRIGGER audit_checkpoint_no_delete",
            &format!("DELETE FROM audit_entry WHERE seq >= {seq}"),
            "DELETE FROM audit_checkpoint",
        ],
    )
    .await;
    assert_broken(
        &truncated,
        &["--checkpoint", &cp, "--fingerprint", &logged.fingerprint],
        &format!("a signed checkpoint covers entries up to {seq}"),
    );
}
