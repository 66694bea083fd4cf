//! `mamar init` run by a script, and the server it turns from the setup page
//! into the organisation's call page.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::support::{Server, mamar};

pub const PASSWORD: &str = "a long test passphrase, not for real use";

/// Runs `mamar init` non-interactively with the cheap test KDF.
pub fn init(data_dir: &Path, extra: &[&str]) -> Output {
    init_with_password(data_dir, extra, PASSWORD)
}

pub fn init_with_password(data_dir: &Path, extra: &[&str], password: &str) -> Output {
    let mut child = mamar()
        .args(["init", "--kdf", "test", "--data-dir"])
        .arg(data_dir)
        .args([
            "--org-name-ar",
            "المركز السوري للسلامة والانشقاق",
            "--org-name-en",
            "Syrian Centre for Safety and Defection",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
        ])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn init_turns_the_setup_page_into_the_call_page_in_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    assert_eq!(server.get("/ar/").0, 503);

    let output = init(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("mamar is set up"), "{stdout}");
    assert!(stdout.contains("fingerprint"), "{stdout}");

    let (status, body) = server.get("/ar/");
    assert_eq!(status, 200);
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#), "{body}");
    assert!(body.contains("المركز السوري للسلامة والانشقاق"));
    let (_, english) = server.get("/en/");
    assert!(english.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(english.contains("Syrian Centre for Safety and Defection"));
    let (clean, log) = server.terminate();
    assert!(clean, "{log:?}");
}

#[test]
fn init_runs_once() {
    let dir = tempfile::tempdir().unwrap();
    assert!(init(dir.path(), &[]).status.success());
    let again = init(dir.path(), &[]);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already set up"), "{stderr}");
}

#[test]
fn init_without_a_terminal_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let output = mamar()
        .args(["init", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--org-name-ar is required"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn init_refuses_a_spoofable_name_and_a_short_password_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let output = mamar()
        .args(["init", "--kdf", "test", "--data-dir"])
        .arg(dir.path())
        .args([
            "--org-name-ar",
            "مركز\u{202E}زكرم",
            "--org-name-en",
            "Centre",
            "--admin-username",
            "admin",
        ])
        .args(["--admin-password-file", "/dev/null"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bidirectional control character"), "{stderr}");

    let password_file = dir.path().join("password");
    std::fs::write(&password_file, "short\n").unwrap();
    let output = mamar()
        .args(["init", "--kdf", "test", "--data-dir"])
        .arg(dir.path().join("data"))
        .args([
            "--org-name-ar",
            "مركز",
            "--org-name-en",
            "Centre",
            "--admin-username",
            "admin",
        ])
        .arg("--admin-password-file")
        .arg(&password_file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("too short"));
    assert!(
        !dir.path().join("data").exists(),
        "a refused init created the data directory"
    );
}
