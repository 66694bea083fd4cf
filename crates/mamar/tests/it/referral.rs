//! `mamar referral`: the command line's side of referral files. The exchange between two
//! servers is `mamar-usecases`' test (`referral_files`); here, that the published card carries
//! the key partners seal to (and the doctor says so), and that a bad file or a wrong password is
//! refused in plain words, never with a panic.

use crate::init::{PASSWORD, init};
use crate::keys::run_with_input;
use crate::support::{mamar, run};

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_card_carries_the_sealing_key_and_bad_files_are_refused_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let published = run_with_input(
        &[
            "card",
            "publish",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
            "--valid-until",
            "2099-12-31",
        ],
        &data,
        &format!("{PASSWORD}\n"),
    );
    assert!(published.status.success(), "{}", text(&published));
    let card = String::from_utf8_lossy(&published.stdout).into_owned();
    let seal = card
        .lines()
        .find_map(|line| line.strip_prefix("referral-seal: "))
        .unwrap_or_else(|| panic!("no referral-seal line in {card}"));
    assert_eq!(seal.len(), 64);
    let doctor = run(mamar().arg("doctor").arg("--data-dir").arg(&data));
    assert!(
        text(&doctor)
            .contains("ok    the published contact card carries the key partners seal referral files to"),
        "{}",
        text(&doctor)
    );

    // A card published by a release before referral files (the same text without the line, as
    // it was signed then): the doctor says partners cannot send files, and what to do.
    let old_card: String = card
        .lines()
        .filter(|line| !line.starts_with("referral-seal: "))
        .map(|line| format!("{line}\n"))
        .collect();
    crate::postgres::block_on(async {
        let store = mamar_store::open(None, &data).await.unwrap();
        store
            .set_setting(mamar_web::CARD_SETTING, old_card.as_bytes())
            .await
            .unwrap();
        store.close().await;
    });
    let doctor = run(mamar().arg("doctor").arg("--data-dir").arg(&data));
    assert!(
        text(&doctor).contains("warn  the published contact card carries no referral-seal key")
            && text(&doctor).contains("mamar card publish"),
        "{}",
        text(&doctor)
    );

    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello, this is not a referral\n").unwrap();
    let junk_arg = junk.to_str().unwrap();
    let import = |password: &str| {
        run_with_input(
            &[
                "referral",
                "import",
                junk_arg,
                "--username",
                "admin",
                "--password-file",
                "-",
            ],
            &data,
            &format!("{password}\n"),
        )
    };
    let refused = import(PASSWORD);
    assert!(!refused.status.success());
    let said = text(&refused);
    assert!(said.contains("not a mamar referral file"), "{said}");
    assert!(
        !said.contains("panicked") && !said.contains("RUST_BACKTRACE"),
        "{said}"
    );
    assert!(!dir.path().join("junk.txt.ack").exists());

    let wrong = import("not the password at all, sorry");
    assert!(!wrong.status.success());
    assert!(
        text(&wrong).contains("wrong user name or password"),
        "{}",
        text(&wrong)
    );

    // A file may be allowed to be up to a year old, no more.
    let year_and_a_day = run_with_input(
        &["referral", "import", junk_arg, "--max-age-days", "366"],
        &data,
        "",
    );
    assert!(!year_and_a_day.status.success());
    assert!(
        text(&year_and_a_day).contains("366 is not in 1..=365"),
        "{}",
        text(&year_and_a_day)
    );

    // Exporting names what is missing: no such partner.
    let export = run_with_input(
        &[
            "referral",
            "export",
            "--username",
            "admin",
            "--password-file",
            "-",
            "--case",
            "123456789",
            "--partner",
            "Nobody",
            "--field",
            "name",
            "--out",
            dir.path().join("out.txt").to_str().unwrap(),
        ],
        &data,
        &format!("{PASSWORD}\n"),
    );
    assert!(!export.status.success());
    assert!(!dir.path().join("out.txt").exists());
}
