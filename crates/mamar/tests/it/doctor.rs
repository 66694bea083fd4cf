//! `mamar doctor`: what it finds wrong, and that it says how to fix it.

use std::path::Path;
use std::process::Output;

use crate::init::{PASSWORD, init};
use crate::keys::create_shares;
use crate::support::{mamar, run};

const ONION: &str = "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvw.onion";

fn doctor(data: &Path, env: &[(&str, &str)], extra: &[&str]) -> (bool, String) {
    let output: Output = run(mamar()
        .arg("doctor")
        .arg("--data-dir")
        .arg(data)
        .args(extra)
        .envs(env.iter().copied()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn torrc() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../packaging/tor/torrc")
        .display()
        .to_string()
}

#[test]
fn a_missing_installation_is_named_with_the_command_that_makes_it() {
    let root = tempfile::tempdir().unwrap();
    let (ok, report) = doctor(&root.path().join("nowhere"), &[], &[]);
    assert!(!ok);
    assert!(report.contains("FAIL  the data directory"), "{report}");
    assert!(report.contains("run mamar init"), "{report}");
}

#[test]
fn a_fresh_installation_is_told_what_is_missing() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    assert!(init(&data, &[]).status.success());
    let (ok, report) = doctor(&data, &[], &[]);
    assert!(!ok, "no trustees' shares is a failure: {report}");
    for line in [
        "ok    the data directory",
        "ok    the database is in format",
        "ok    the organisation is set up",
        "ok    cases keep their facets for the registry",
        "FAIL  there are no trustees' shares, so no backup can be made: run mamar recovery create",
        "warn  mamar serve writes no backups: set backup_dir",
        "warn  no public_origin is set",
        "free on the data directory's disk",
        "Fix the lines marked FAIL",
    ] {
        assert!(report.contains(line), "{line:?} missing from:\n{report}");
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        let (_, report) = doctor(&data, &[], &[]);
        assert!(
            report.contains("can be read by other users (mode 755): run chmod 700"),
            "{report}"
        );
    }
}

#[test]
fn a_complete_onion_installation_passes_and_a_broken_one_is_explained() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let backups = root.path().join("backups");
    assert!(init(&data, &[]).status.success());
    create_shares(&data, &root.path().join("shares"), PASSWORD);
    let backed_up = run(mamar()
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg("--out-dir")
        .arg(&backups));
    assert!(backed_up.status.success());
    let backup_dir = backups.display().to_string();
    let env = [
        ("MAMAR_BACKUP_DIR", backup_dir.as_str()),
        ("MAMAR_PUBLIC_ORIGIN", ONION),
    ];
    let torrc = torrc();
    let (ok, report) = doctor(&data, &env, &["--torrc", &torrc]);
    assert!(ok, "{report}");
    assert!(report.contains("Everything checked is in order."), "{report}");
    assert!(report.contains("ok    the newest backup in"), "{report}");
    assert!(
        report.contains("has a HiddenServicePort for 127.0.0.1:8080"),
        "{report}"
    );

    // The onion service points elsewhere, and mamar listens beyond this machine.
    let env = [
        ("MAMAR_BACKUP_DIR", backup_dir.as_str()),
        ("MAMAR_PUBLIC_ORIGIN", ONION),
        ("MAMAR_LISTEN", "0.0.0.0:8081"),
    ];
    let (ok, report) = doctor(&data, &env, &["--torrc", &torrc]);
    assert!(!ok);
    assert!(
        report.contains("has no HiddenServicePort for 0.0.0.0:8081"),
        "{report}"
    );
    assert!(report.contains("it should listen on 127.0.0.1 only"), "{report}");

    // An old backup: three days, with backups due every day.
    for file in crate::support::files_in(&backups) {
        let three_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 86_400);
        std::fs::File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_modified(three_days_ago)
            .unwrap();
    }
    let env = [
        ("MAMAR_BACKUP_DIR", backup_dir.as_str()),
        ("MAMAR_BACKUP_EVERY", "1d"),
    ];
    let (ok, report) = doctor(&data, &env, &[]);
    assert!(!ok);
    assert!(
        report.contains("is 3 days old, more than twice backup_every"),
        "{report}"
    );
}
