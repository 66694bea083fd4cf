//! Threat model A1: nothing typed into mamar appears in anything it writes,
//! on the embedded SQLite and on PostgreSQL.
//! Unique canary strings go in through every input path that exists; then
//! the database, its WAL and shared-memory files, the temporary directory
//! and the server's log are searched for them in UTF-8 and UTF-16.
//! Every new input path joins `plant_everywhere`; so does every file mamar writes for
//! elsewhere (a referral file for a partner).

mod cases;
mod staff;

use std::path::{Path, PathBuf};

use cases::{plant_break_glass, plant_case, plant_export, plant_partners};
pub use staff::full_login;
use staff::{plant_accounts, plant_intake, plant_key_name_and_new_app};

use crate::init::init_with_password;
use crate::keys::{change_password, create_shares, login_status, restore, run_with_input};
use crate::support::{Server, form_encode, http_request};

const ADMIN_PASSWORD: &str = "canary-first-passphrase-7f3a9c1e";
const WRONG_PASSWORD: &str = "canary-wrong-password-b41d07aa";
const UNKNOWN_USER: &str = "canaryuser5d2e91";
const RESTORED_PASSWORD: &str = "canary-recovered-access-0c8e6f";
const INTAKE_CONTACT: &str = "canary-contact-evenings-4e1f22";
const INTAKE_MESSAGE: &str = "canary-intake-message-مرحبا-9a7c5d";
const FOLLOW_UP_MESSAGE: &str = "canary-follow-up-8b2c41";
const STAFF_REPLY: &str = "canary-staff-reply-3f9e07";
const USER_AGENT: &str = "canary-user-agent-Mozilla-71d2";
const DURESS_PASSWORD: &str = "canary-duress-password-5e0b3d";
const INVITEE_PASSWORD: &str = "canary-invitee-password-a9c7e2";
const CHANGED_PASSWORD: &str = "canary-changed-password-6d1f80";
const CASE_NAME: &str = "canary-name-كريم-51ad";
const CASE_PHONE: &str = "0944518273";
const CASE_NOTE: &str = "canary-case-note-0f3b72";
const CASE_FINDING: &str = "canary-vetting-finding-6e21c9";
const CASE_RATIONALE: &str = "canary-vetting-rationale-d84a10";
const CASE_MESSAGE: &str = "canary-case-message-2b7e55";
const CASE_ANSWER: &str = "canary-requester-to-case-93c0fa";
const CASE_CLOSE_REASON: &str = "canary-close-reason-47d1b8";
const CASE_FILE_NAME: &str = "canary-file-name-هوية-8e3d19.pdf";
const CASE_FILE_CONTENT: &str = "canary-file-content-c2a94f";
const PLAN_WHO: &str = "canary-plan-who-c3e9a1";
const PLAN_PLACE: &str = "canary-plan-place-8d04f7";
const PLAN_WHEN: &str = "canary-plan-when-17b6e2";
const PLAN_RECOGNITION: &str = "canary-plan-recognition-5af390";
const PLAN_FALLBACK: &str = "canary-plan-fallback-e6c218";
const PLAN_CHECK_IN: &str = "canary-plan-check-in-94d7b0";
const PLAN_TASK: &str = "canary-plan-task-2c85fd";
const EXPORT_REASON: &str = "canary-export-reason-4b19e3";
const EXPORT_PASSPHRASE: &str = "canary-export-passphrase-d07a62";
const BREAK_GLASS_REASON: &str = "canary-break-glass-reason-لا-أحد-يرد-3d7a60";
const KEY_NAME: &str = "canary-key-name-مفتاح-4b19d6";

fn header_value<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    response.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn between<'a>(text: &'a str, before: &str, after: &str) -> &'a str {
    text.split(before)
        .nth(1)
        .and_then(|rest| rest.split(after).next())
        .unwrap_or_default()
}

fn encodings(text: &str) -> Vec<(&'static str, Vec<u8>)> {
    let utf16: Vec<u16> = text.encode_utf16().collect();
    vec![
        ("UTF-8", text.as_bytes().to_vec()),
        ("UTF-16LE", utf16.iter().flat_map(|u| u.to_le_bytes()).collect()),
        ("UTF-16BE", utf16.iter().flat_map(|u| u.to_be_bytes()).collect()),
    ]
}

/// The files under `dir`, or `dir` itself when it is a file.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Every place the canaries were found: "canary (encoding) in where".
fn search_bytes(canaries: &[String], name: &str, haystack: &[u8], hits: &mut Vec<String>) {
    for canary in canaries {
        for (encoding, needle) in encodings(canary) {
            if memchr::memmem::find(haystack, &needle).is_some() {
                hits.push(format!("{canary} ({encoding}) in {name}"));
            }
        }
    }
}

/// The canaries found in the files under `dirs` (read one at a time: a PostgreSQL server's
/// write-ahead log can be large).
fn search_files(canaries: &[String], dirs: &[&Path]) -> Vec<String> {
    let mut hits = Vec::new();
    for path in dirs.iter().flat_map(|dir| files_under(dir)) {
        if let Ok(bytes) = std::fs::read(&path) {
            search_bytes(canaries, &path.display().to_string(), &bytes, &mut hits);
        }
    }
    hits
}

/// Plants a unique canary through every input path of a server on `data` (a fresh SQLite
/// database there, or the database this thread was told to use) and returns the running server
/// with the canaries, each of which must then appear nowhere.
fn plant_everywhere(dir: &Path, data: &Path, tmp: &Path) -> (Server, Vec<String>) {
    // Setup: the administrator's password.
    let init = init_with_password(data, &[], ADMIN_PASSWORD);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let server = Server::start_with(data, &[("TMPDIR", tmp), ("MAMAR_LOG", Path::new("debug"))]);

    // Staff login: a right password, a wrong one, an unknown user name.
    assert_eq!(login_status(&server, "admin", ADMIN_PASSWORD), 303);
    assert_eq!(login_status(&server, "admin", WRONG_PASSWORD), 401);
    assert_eq!(login_status(&server, UNKNOWN_USER, WRONG_PASSWORD), 401);

    // Recovery: the shares themselves, and a restored administrator's password.
    let shares = create_shares(data, &dir.join("shares"), ADMIN_PASSWORD);
    let share_texts: Vec<String> = shares
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap().trim().to_owned())
        .collect();
    let pair = [shares[0].as_path(), shares[1].as_path()];
    assert!(
        restore(data, &pair, "restored", RESTORED_PASSWORD)
            .status
            .success()
    );
    assert_eq!(login_status(&server, "restored", RESTORED_PASSWORD), 303);

    // Intake: every free-text field (kept twice: sealed to the intake key, and the requester's
    // own copy), the codename, a follow-up, a staff reply, the user agent.
    let (codename, admin_cookie) = plant_intake(&server, ADMIN_PASSWORD);
    // Cases: the person's name and phone, notes, findings, decisions, messages both ways.
    let case = plant_case(&server, &admin_cookie, &codename);

    // Accounts: the second factor's secret, a duress password, an invitation
    // token and the password its invitee chose.
    let (cookie, totp_secret) = full_login(&server, "restored", RESTORED_PASSWORD);
    let invitation_token = plant_accounts(&server, &cookie);
    // A security key's name, and a replaced authenticator app's new secret.
    let new_totp_secret = plant_key_name_and_new_app(&server, data, &cookie);
    // Partners: the consent, and a referral of the person's name, phone and governorate.
    plant_partners(&server, &admin_cookie, &cookie, &codename, &case);
    // The same fields leave as a referral file for the partner (signed, sealed to its card's
    // key), written where the search looks.
    let referral_file = tmp.join("referral.txt");
    let mut export = vec![
        "referral",
        "export",
        "--username",
        "admin",
        "--password-file",
        "-",
        "--case",
        case.as_str(),
        "--partner",
        "Test Partner",
        "--out",
        referral_file.to_str().unwrap(),
    ];
    for field in ["name", "birth-year", "phone", "governorate", "urgency"] {
        export.extend(["--field", field]);
    }
    let exported = crate::keys::run_with_input(&export, data, &format!("{ADMIN_PASSWORD}\n"));
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let file = std::fs::read_to_string(&referral_file).unwrap();
    assert!(file.starts_with("mamar-referral-file v1\n"), "{file}");
    // Export: the reason, and the passphrase the file is encrypted to.
    plant_export(&server, &admin_cookie, &cookie, &case);
    // Break-glass: the written reason of a request to read the case.
    plant_break_glass(&server, data, &admin_cookie, &cookie, &case);

    // A password changed from the command line, then used.
    let changed = change_password(data, dir, "admin", ADMIN_PASSWORD, CHANGED_PASSWORD);
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert_eq!(login_status(&server, "admin", CHANGED_PASSWORD), 303);

    let mut canaries: Vec<String> = [
        ADMIN_PASSWORD,
        WRONG_PASSWORD,
        UNKNOWN_USER,
        RESTORED_PASSWORD,
        INTAKE_CONTACT,
        INTAKE_MESSAGE,
        FOLLOW_UP_MESSAGE,
        STAFF_REPLY,
        USER_AGENT,
        DURESS_PASSWORD,
        INVITEE_PASSWORD,
        CHANGED_PASSWORD,
        CASE_NAME,
        CASE_PHONE,
        CASE_NOTE,
        CASE_FINDING,
        CASE_RATIONALE,
        CASE_MESSAGE,
        CASE_ANSWER,
        CASE_CLOSE_REASON,
        CASE_FILE_NAME,
        CASE_FILE_CONTENT,
        PLAN_WHO,
        PLAN_PLACE,
        PLAN_WHEN,
        PLAN_RECOGNITION,
        PLAN_FALLBACK,
        PLAN_CHECK_IN,
        PLAN_TASK,
        EXPORT_REASON,
        EXPORT_PASSPHRASE,
        BREAK_GLASS_REASON,
        KEY_NAME,
    ]
    .map(String::from)
    .to_vec();
    // A choice answer too: the governorate says where someone is from.
    canaries.push("sy-hl".to_owned());
    canaries.push(codename);
    canaries.push(totp_secret);
    canaries.push(new_totp_secret);
    canaries.push(invitation_token);
    canaries.extend(share_texts);
    (server, canaries)
}

/// The audit log recorded what happened: it holds entries for the logins (failed ones for the
/// unknown user name too), the invitation and the duress password, and its chain is intact.
fn assert_the_audit_log_was_searched_too(data: &Path) {
    let (code, stdout, stderr) = crate::audit::verify(data, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let entries: u64 = stdout
        .split_whitespace()
        .find_map(|word| word.parse().ok())
        .unwrap_or(0);
    assert!(entries >= 15, "too few audit entries to mean anything: {stdout}");
}

/// The search finds what is there, so an empty result means something.
fn assert_the_search_finds_a_planted_canary(canaries: &[String]) {
    let mut hits = Vec::new();
    let control = encodings(&canaries[0])[1].1.clone();
    search_bytes(&canaries[..1], "control", &control, &mut hits);
    assert_eq!(hits.len(), 1);
}

/// A backup taken while the server runs shows none of the canaries, no user name and not even
/// what the live database keeps in the clear (the organisation's name, roles, months).
fn assert_a_backup_shows_nothing(dir: &Path, data: &Path, canaries: &[String]) {
    let backups = dir.join("backups");
    let output = crate::support::run(
        crate::support::mamar()
            .args(["backup", "--data-dir"])
            .arg(data)
            .arg("--out-dir")
            .arg(&backups),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = crate::support::files_in(&backups);
    assert_eq!(files.len(), 1);
    let mut secrets = canaries.to_vec();
    secrets.extend(
        [
            "admin",
            "restored",
            "analyst1",
            "Syrian Centre for Safety and Defection",
            "المركز السوري",
            "administrator",
            "login_succeeded",
            "codename-salt",
        ]
        .map(String::from),
    );
    let places: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    assert_eq!(search_files(&secrets, &places), Vec::<String>::new());
}

#[test]
fn canaries_planted_through_every_input_path_appear_in_no_file_and_no_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let (server, canaries) = plant_everywhere(dir.path(), &data, &tmp);
    assert_a_backup_shows_nothing(dir.path(), &data, &canaries);

    // While the server runs: the database, its WAL and shared memory, temporary files.
    assert!(
        files_under(&data)
            .iter()
            .any(|path| path.display().to_string().ends_with("mamar.sqlite3-wal")),
        "no WAL to search"
    );
    assert_eq!(search_files(&canaries, &[&data, &tmp]), Vec::<String>::new());

    // No requester address is stored: every request came from 127.0.0.1.
    let database_files: Vec<PathBuf> = files_under(&data)
        .into_iter()
        .filter(|path| path.display().to_string().contains("mamar.sqlite3"))
        .collect();
    let database_files: Vec<&Path> = database_files.iter().map(PathBuf::as_path).collect();
    assert_eq!(
        search_files(&["127.0.0.1".to_owned()], &database_files),
        Vec::<String>::new()
    );

    // After a clean stop: the files again, and everything the server logged.
    let (clean, log) = server.terminate();
    assert!(clean);
    assert!(
        log.len() > 5,
        "the debug log should have lines to search: {log:?}"
    );
    let mut hits = search_files(&canaries, &[&data, &tmp]);
    search_bytes(&canaries, "the server log", log.join("\n").as_bytes(), &mut hits);
    assert_eq!(hits, Vec::<String>::new());

    assert_the_audit_log_was_searched_too(&data);
    assert_the_search_finds_a_planted_canary(&canaries);
}

#[test]
fn on_postgresql_the_canaries_appear_in_no_table_file_no_write_ahead_log_and_no_server_log() {
    let postgres = crate::postgres::TestPostgres::create();
    let _database = crate::support::use_database(&postgres.url);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let (server, canaries) = plant_everywhere(dir.path(), &data, &tmp);
    assert_a_backup_shows_nothing(dir.path(), &data, &canaries);

    // Everything PostgreSQL holds in memory goes to its files first.
    postgres.checkpoint();
    let database_dir = postgres.database_dir();
    assert!(
        files_under(&database_dir).len() > 10,
        "no table files to search in {}",
        database_dir.display()
    );
    let places = [
        database_dir.as_path(),
        &postgres.wal_dir(),
        &postgres.server_log(),
        &data,
        &tmp,
    ];
    assert_eq!(search_files(&canaries, &places), Vec::<String>::new());

    // No requester address is stored: every request came from 127.0.0.1.
    assert_eq!(
        search_files(&["127.0.0.1".to_owned()], &[&database_dir]),
        Vec::<String>::new()
    );
    // The organisation's public name is stored in the clear, so the search must find it in
    // the table files and in the write-ahead log: proof that both were reached and current.
    let public_name = ["Syrian Centre for Safety and Defection".to_owned()];
    assert!(!search_files(&public_name, &[&database_dir]).is_empty());
    assert!(!search_files(&public_name, &[&postgres.wal_dir()]).is_empty());

    let (clean, log) = server.terminate();
    assert!(clean);
    let mut hits = Vec::new();
    search_bytes(&canaries, "the server log", log.join("\n").as_bytes(), &mut hits);
    assert_eq!(hits, Vec::<String>::new());
    assert_the_audit_log_was_searched_too(&data);
    assert_the_search_finds_a_planted_canary(&canaries);
}
