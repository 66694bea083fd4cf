//! Key ceremonies end to end: trustees' recovery, the panic action, the
//! canary search and the seized-image check.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::init::{PASSWORD, init};
use crate::support::{Server, mamar};

/// Runs `mamar` with `input` on standard input.
pub fn run_with_input(args: &[&str], data_dir: &Path, input: &str) -> Output {
    let mut child = mamar()
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn create_shares(data_dir: &Path, out: &Path, password: &str) -> Vec<std::path::PathBuf> {
    let output = run_with_input(
        &[
            "recovery",
            "create",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
            "--threshold",
            "2",
            "--shares",
            "3",
            "--out-dir",
            out.to_str().unwrap(),
        ],
        data_dir,
        &format!("{password}\n"),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    #[cfg(unix)]
    for file in &files {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    files
}

pub fn restore(data_dir: &Path, shares: &[&Path], username: &str, password: &str) -> Output {
    let mut args = vec![
        "recovery",
        "restore",
        "--kdf",
        "test",
        "--admin-username",
        username,
        "--admin-password-file",
        "-",
    ];
    for share in shares {
        args.push("--share");
        args.push(share.to_str().unwrap());
    }
    run_with_input(&args, data_dir, &format!("{password}\n"))
}

pub fn login_status(server: &Server, username: &str, password: &str) -> u16 {
    let encoded: String = password
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let body = format!("username={username}&password={encoded}");
    crate::support::http_post_form(&server.address, "/en/staff/login", &body).0
}

#[test]
fn two_of_three_trustees_restore_an_administrator_and_one_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let shares = create_shares(&data, &dir.path().join("shares"), PASSWORD);

    let alone = restore(&data, &[&shares[0]], "restored", "another long passphrase here");
    assert!(!alone.status.success());
    let stderr = String::from_utf8_lossy(&alone.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let together = restore(
        &data,
        &[&shares[0], &shares[2]],
        "restored",
        "another long passphrase here",
    );
    assert!(
        together.status.success(),
        "{}",
        String::from_utf8_lossy(&together.stderr)
    );

    let server = Server::start(&data);
    assert_eq!(
        login_status(&server, "restored", "another long passphrase here"),
        303
    );
    assert_eq!(login_status(&server, "admin", PASSWORD), 303);
}

#[test]
fn after_panic_nothing_opens_with_every_password_and_every_share() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let shares = create_shares(&data, &dir.path().join("shares"), PASSWORD);
    let server = Server::start(&data);
    assert_eq!(login_status(&server, "admin", PASSWORD), 303);

    let refused = mamar().args(["panic", "--data-dir"]).arg(&data).output().unwrap();
    assert!(
        !refused.status.success(),
        "panic must not run unconfirmed without a terminal"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));

    let output = mamar()
        .args(["panic", "--yes", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("Keys destroyed in"), "{stdout}");
    // Three of the four: the public half of the signing key stays, so genuine replies still check.
    assert!(stdout.contains("organisation keys:    3"), "{stdout}");

    // The password opens nothing, on the running server or anywhere else; the running server
    // notices within half a second and says the keys were destroyed.
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(login_status(&server, "admin", PASSWORD), 503);
    let all: Vec<&Path> = shares.iter().map(|p| p.as_path()).collect();
    let restored = restore(&data, &all, "restored", "another long passphrase here");
    assert!(!restored.status.success());
    assert!(String::from_utf8_lossy(&restored.stderr).contains("no recovery material"));
    let (clean, _) = server.terminate();
    assert!(clean);
}

/// `mamar user password`, the passwords given in files under `dir`.
pub fn change_password(data: &Path, dir: &Path, username: &str, old: &str, new: &str) -> Output {
    let old_file = dir.join("old-password");
    let new_file = dir.join("new-password");
    std::fs::write(&old_file, format!("{old}\n")).unwrap();
    std::fs::write(&new_file, format!("{new}\n")).unwrap();
    let changed = mamar()
        .args([
            "user",
            "password",
            "--kdf",
            "test",
            "--username",
            username,
            "--data-dir",
        ])
        .arg(data)
        .arg("--old-password-file")
        .arg(&old_file)
        .arg("--new-password-file")
        .arg(&new_file)
        .output()
        .unwrap();
    std::fs::remove_file(old_file).unwrap();
    std::fs::remove_file(new_file).unwrap();
    changed
}

#[test]
fn a_password_change_and_a_key_rotation_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let changed = change_password(
        &data,
        dir.path(),
        "admin",
        PASSWORD,
        "the replacement passphrase, also long",
    );
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );

    let new = dir.path().join("new");
    std::fs::write(&new, "the replacement passphrase, also long\n").unwrap();
    let rotated = mamar()
        .args([
            "keys",
            "rotate",
            "--kind",
            "intake",
            "--admin-username",
            "admin",
            "--data-dir",
        ])
        .arg(&data)
        .arg("--admin-password-file")
        .arg(&new)
        .output()
        .unwrap();
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    assert!(String::from_utf8_lossy(&rotated.stdout).contains("generation 2"));

    let server = Server::start(&data);
    assert_eq!(login_status(&server, "admin", PASSWORD), 401);
    assert_eq!(
        login_status(&server, "admin", "the replacement passphrase, also long"),
        303
    );
}

#[test]
fn a_published_contact_card_appears_signed_on_the_verification_page() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let output = run_with_input(
        &[
            "card",
            "publish",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
            "--hotline",
            "+90 555 010 0000",
            "--telegram-bot",
            "@safe_passage_bot",
            "--valid-until",
            "2099-12-31",
        ],
        &data,
        &format!("{PASSWORD}\n"),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let card = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(card.starts_with("mamar-contact-card v1"), "{card}");

    let server = Server::start(&data);
    let (status, page) = server.get("/en/verify");
    assert_eq!(status, 200);
    assert!(page.contains("+90 555 010 0000"), "{page}");
    assert!(page.contains("@safe_passage_bot"));
    assert!(
        page.contains("data:image/svg+xml;base64,"),
        "a QR code of the fingerprint"
    );
    let fingerprint = page
        .split(r#"id="fingerprint">"#)
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert_eq!(fingerprint.split(' ').count(), 16, "{fingerprint}");
    // The card on the page is exactly the one signed, and it checks against the page's fingerprint.
    let today = mamar_keys::CardDate::new(2026, 11, 23).unwrap();
    mamar_keys::verify_card(&card, fingerprint, today).unwrap();
    let (_, arabic) = server.get("/ar/verify");
    assert!(arabic.contains("بصمة مفتاحنا"));

    let wrong = run_with_input(
        &[
            "card",
            "publish",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
            "--valid-until",
            "2099-02-30",
        ],
        &data,
        &format!("{PASSWORD}\n"),
    );
    assert!(!wrong.status.success(), "an impossible date is refused");
}

#[test]
fn break_glass_is_set_up_only_with_enough_administrators_and_the_right_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let setup = |threshold: &str, password: &str| {
        run_with_input(
            &[
                "keys",
                "break-glass",
                "setup",
                "--threshold",
                threshold,
                "--admin-username",
                "admin",
                "--admin-password-file",
                "-",
            ],
            &data,
            &format!("{password}\n"),
        )
    };
    let wrong = setup("2", "not the password at all");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong user name or password"));
    // One administrator cannot split a secret that needs two.
    let alone = setup("2", PASSWORD);
    assert!(!alone.status.success());
    let message = String::from_utf8_lossy(&alone.stderr);
    assert!(
        message.contains("at least 2 and at most the number of administrators (1)"),
        "{message}"
    );
    let doctor = mamar()
        .args(["doctor", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&doctor.stdout).contains("break-glass is not set up"),
        "{}",
        String::from_utf8_lossy(&doctor.stdout)
    );
}
