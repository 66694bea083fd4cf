//! Upgrades: a data directory and a backup written by release 0.1.0
//! (`tests/fixtures/release-0.1.0`) open with this code. The database is
//! brought to this release's format, served, its audit log verifies and its
//! administrator logs in and reads the request it holds; the backup restores
//! at its own format and is then upgraded.

use std::path::{Path, PathBuf};

use crate::canary::full_login;
use crate::init::PASSWORD;
use crate::support::{Server, mamar, run};

const RELEASE: &str = "release-0.1.0";
/// The database format release 0.1.0 wrote.
const RELEASE_FORMAT: i64 = 6;
const REQUEST: &str = "fixture request written by release 0.1.0";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(RELEASE)
        .join(name)
}

/// A copy of the old data directory, as an operator's disk would hold it.
fn old_data_dir(root: &Path) -> PathBuf {
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    std::fs::copy(fixture("mamar.sqlite3"), data.join("mamar.sqlite3")).unwrap();
    data
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn version_names_the_database_format() {
    let output = run(mamar().arg("--version"));
    assert!(output.status.success());
    let expected = mamar_store::backup::expected_schema_version();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("mamar {} (database format {expected})", env!("CARGO_PKG_VERSION"))
    );
    assert!(expected >= RELEASE_FORMAT);
}

#[test]
fn a_data_directory_of_the_previous_release_is_served() {
    let root = tempfile::tempdir().unwrap();
    let data = old_data_dir(root.path());
    let held = run(mamar().arg("doctor").arg("--data-dir").arg(&data));
    let expected = mamar_store::backup::expected_schema_version();
    let report = text(&held);
    if expected == RELEASE_FORMAT {
        assert!(
            report.contains("the database is in format 6, as this mamar expects"),
            "{report}"
        );
    } else {
        assert!(
            report.contains(&format!(
                "format 6; this mamar will upgrade it to format {expected}"
            )),
            "{report}"
        );
    }

    let server = Server::start(&data);
    let (status, page) = server.get("/en/");
    assert_eq!(status, 200);
    assert!(page.contains("Syrian Centre for Safety and Defection"), "{page}");
    let (cookie, _) = full_login(&server, "admin", PASSWORD);
    let inbox = crate::support::newest_request_page(&server, &cookie);
    assert!(inbox.contains(REQUEST), "the old request opens: {inbox}");
    let (stopped, _) = server.terminate();
    assert!(stopped);

    let verified = run(mamar().args(["audit", "verify", "--data-dir"]).arg(&data));
    assert!(verified.status.success(), "{}", text(&verified));
    let now = run(mamar().arg("doctor").arg("--data-dir").arg(&data));
    assert!(
        text(&now).contains(&format!(
            "the database is in format {expected}, as this mamar expects"
        )),
        "{}",
        text(&now)
    );
    // Release 0.1.0 kept no public half of the analytics key: the operator is told how
    // cases come to keep their facets.
    assert!(
        text(&now).contains("warn  no case keeps its facets for the registry")
            && text(&now).contains("run mamar keys rotate analytics"),
        "{}",
        text(&now)
    );
}

#[test]
fn a_backup_of_the_previous_release_restores_and_is_upgraded() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("new-machine");
    let output = run(mamar()
        .arg("restore")
        .arg("--data-dir")
        .arg(&data)
        .arg("--from")
        .arg(fixture("backup.mamar"))
        .arg("--share")
        .arg(fixture("mamar-share-1-of-3.txt"))
        .arg("--share")
        .arg(fixture("mamar-share-3-of-3.txt")));
    assert!(output.status.success(), "{}", text(&output));
    let expected = mamar_store::backup::expected_schema_version();
    assert!(
        text(&output).contains(&format!(
            "1 staff, 0 cases, 1 requests, 1 audit entries (database format {RELEASE_FORMAT}, now {expected})"
        )),
        "{}",
        text(&output)
    );
    let verified = run(mamar().args(["audit", "verify", "--data-dir"]).arg(&data));
    assert!(verified.status.success(), "{}", text(&verified));
    let doctor = run(mamar().arg("doctor").arg("--data-dir").arg(&data));
    assert!(
        text(&doctor).contains(&format!(
            "the database is in format {expected}, as this mamar expects"
        )),
        "{}",
        text(&doctor)
    );
}
