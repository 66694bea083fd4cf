//! `mamar verify`: a person checks a card or a reply offline.

use std::path::Path;

use mamar_core::Locale;
use mamar_crypto::SigningKey;
use mamar_keys::{CardDate, ContactCard, fingerprint_words, sign_card, signed_reply_text};

use crate::support::{mamar, run};

fn card(valid_until: CardDate) -> ContactCard {
    ContactCard {
        org_name_ar: "ممر".into(),
        org_name_en: "Safe Passage".into(),
        web_address: Some("https://example.org".into()),
        onion_address: None,
        hotlines: vec!["+90 555 000 0000".into()],
        telegram_bot: Some("@SafePassageBot".into()),
        referral_seal: None,
        valid_until,
    }
}

fn verify(kind: &str, file: &Path, fingerprint: &str) -> (i32, String, String) {
    let output = run(mamar()
        .args(["verify", kind])
        .arg(file)
        .args(["--fingerprint", fingerprint]));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_genuine_card_is_valid_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let path = dir.path().join("card.txt");
    std::fs::write(
        &path,
        sign_card(&card(CardDate::new(2099, 12, 31).unwrap()), &key).unwrap(),
    )
    .unwrap();
    let fingerprint = key.verifying_key().fingerprint();

    for given in [
        fingerprint.to_string(),
        fingerprint_words(&fingerprint, Locale::Ar),
    ] {
        let (code, stdout, stderr) = verify("--card", &path, &given);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains("Organisation (Arabic): ممر"), "{stdout}");
        assert!(stdout.contains("Hotline: +90 555 000 0000"), "{stdout}");
        assert!(stdout.contains("Telegram bot: @SafePassageBot"), "{stdout}");
        assert!(
            stdout
                .trim_end()
                .ends_with("VALID: signed by the key with this fingerprint, valid until 2099-12-31"),
            "{stdout}"
        );
    }
}

#[test]
fn a_forged_or_foreign_card_is_not_valid_and_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let genuine = sign_card(&card(CardDate::new(2099, 12, 31).unwrap()), &key).unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();

    let forged = dir.path().join("forged.txt");
    std::fs::write(&forged, genuine.replace("+90 555 000 0000", "+90 555 666 6666")).unwrap();
    let (code, stdout, _) = verify("--card", &forged, &fingerprint);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("NOT VALID: the signature does not match"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("666"),
        "a forged number must not be shown: {stdout}"
    );

    let impostor = SigningKey::generate().unwrap();
    let foreign = dir.path().join("foreign.txt");
    std::fs::write(
        &foreign,
        sign_card(&card(CardDate::new(2099, 12, 31).unwrap()), &impostor).unwrap(),
    )
    .unwrap();
    let (code, stdout, _) = verify("--card", &foreign, &fingerprint);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("NOT VALID: the key in the file does not have the fingerprint you gave"),
        "{stdout}"
    );
}

#[test]
fn an_expired_card_is_shown_but_not_valid() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let path = dir.path().join("old.txt");
    std::fs::write(
        &path,
        sign_card(&card(CardDate::new(2020, 1, 31).unwrap()), &key).unwrap(),
    )
    .unwrap();
    let (code, stdout, _) = verify("--card", &path, &key.verifying_key().fingerprint().to_string());
    assert_eq!(code, 1);
    assert!(
        stdout.contains("Organisation (English): Safe Passage"),
        "{stdout}"
    );
    assert!(
        stdout.contains("NOT VALID: the card expired on 2020-01-31"),
        "{stdout}"
    );
}

#[test]
fn replies_verify_too() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let path = dir.path().join("reply.txt");
    std::fs::write(&path, signed_reply_text(&key, "نراك غدا عند التاسعة.")).unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();
    let (code, stdout, _) = verify("--reply", &path, &fingerprint);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("نراك غدا عند التاسعة.\n"), "{stdout}");
    assert!(stdout.contains("VALID: signed by the key with this fingerprint"));

    std::fs::write(
        &path,
        signed_reply_text(&key, "نراك غدا عند التاسعة.").replace("التاسعة", "العاشرة"),
    )
    .unwrap();
    let (code, stdout, _) = verify("--reply", &path, &fingerprint);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("NOT VALID"), "{stdout}");
}

#[test]
fn bad_input_gets_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let (code, stdout, stderr) = verify("--card", &missing, "00");
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("mamar: cannot read "), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");

    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, b"mamar-contact-card v1\n\xff\xfe").unwrap();
    let (code, _, stderr) = verify("--card", &binary, "00");
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is not UTF-8 text (invalid byte at offset 22)"),
        "{stderr}"
    );

    let garbage = dir.path().join("garbage.txt");
    std::fs::write(&garbage, "mamar-contact-card v1\norg-name-ar ممر\n").unwrap();
    let (code, stdout, _) = verify("--card", &garbage, "00");
    assert_eq!(code, 1);
    assert_eq!(
        stdout.trim_end(),
        "NOT VALID: the file is damaged or is not a mamar card, reply or release (line 2: expected \"key: value\")"
    );

    let key = SigningKey::generate().unwrap();
    let card = dir.path().join("card.txt");
    std::fs::write(
        &card,
        sign_card(&self::card(CardDate::new(2099, 1, 1).unwrap()), &key).unwrap(),
    )
    .unwrap();
    let (code, stdout, _) = verify("--card", &card, "not a fingerprint");
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("NOT VALID: the fingerprint must be 64 hex digits"),
        "{stdout}"
    );

    let output = run(mamar().args(["verify", "--fingerprint", "00"]));
    assert_eq!(
        output.status.code(),
        Some(2),
        "clap refuses a missing --card/--reply"
    );
}

/// The same check, answered in Arabic: asked for with `--lang ar`, or because the terminal
/// runs in Arabic.
#[test]
fn the_answer_comes_in_arabic_when_asked_or_when_the_terminal_speaks_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let fingerprint = key.verifying_key().fingerprint();
    let genuine = sign_card(&card(CardDate::new(2099, 12, 31).unwrap()), &key).unwrap();
    let card_path = dir.path().join("card.txt");
    std::fs::write(&card_path, &genuine).unwrap();
    let forged_path = dir.path().join("forged.txt");
    std::fs::write(
        &forged_path,
        genuine.replace("+90 555 000 0000", "+90 555 666 6666"),
    )
    .unwrap();
    let old_path = dir.path().join("old.txt");
    std::fs::write(
        &old_path,
        sign_card(&card(CardDate::new(2020, 1, 31).unwrap()), &key).unwrap(),
    )
    .unwrap();
    let reply_path = dir.path().join("reply.txt");
    std::fs::write(&reply_path, signed_reply_text(&key, "نراك غدا.")).unwrap();
    let words = fingerprint_words(&fingerprint, Locale::Ar);
    let in_arabic = |kind: &str, file: &Path, fingerprint: &str, how: &str| {
        let mut command = mamar();
        command
            .args(["verify", kind])
            .arg(file)
            .args(["--fingerprint", fingerprint]);
        if how == "flag" {
            command.args(["--lang", "ar"]);
        } else {
            command.env("LANG", "ar_SY.UTF-8");
        }
        let output = run(&mut command);
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            !stdout.contains("verify-cli"),
            "an untranslated message: {stdout}"
        );
        (output.status.code(), stdout)
    };

    let (code, stdout) = in_arabic("--card", &card_path, &words, "flag");
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("المنظمة (بالعربية): ممر"), "{stdout}");
    assert!(stdout.contains("الخط الساخن: +90 555 000 0000"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("صالح: موقَّع بالمفتاح صاحب هذه البصمة، وصالح حتى 2099-12-31"),
        "{stdout}"
    );

    let (code, stdout) = in_arabic("--card", &forged_path, &words, "terminal");
    assert_eq!(code, Some(1));
    assert!(
        stdout.starts_with("غير صالح: التوقيع لا يطابق المحتوى"),
        "{stdout}"
    );
    assert!(!stdout.contains("666"), "{stdout}");

    let stranger = SigningKey::generate()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    let (code, stdout) = in_arabic("--card", &card_path, &stranger, "terminal");
    assert_eq!(code, Some(1));
    assert!(stdout.contains("فهذا الملف ليس من المنظمة"), "{stdout}");

    let (code, stdout) = in_arabic("--card", &old_path, &words, "flag");
    assert_eq!(code, Some(1));
    assert!(stdout.contains("انتهت صلاحية البطاقة في 2020-01-31"), "{stdout}");

    let (code, stdout) = in_arabic("--reply", &reply_path, &words, "flag");
    assert_eq!(code, Some(0));
    assert!(
        stdout.trim_end().ends_with("صالح: موقَّع بالمفتاح صاحب هذه البصمة"),
        "{stdout}"
    );

    let refused = run(mamar().args(["verify", "--card"]).arg(&card_path).args([
        "--fingerprint",
        &words,
        "--lang",
        "fr",
    ]));
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--lang must be ar or en"));
}

/// A release as the registry makes it: 40 army officers and 25 interior
/// soldiers, counted by institution.
fn release_files(key: &SigningKey) -> (String, String) {
    use mamar_core::facets::{Facet, Facets};
    use mamar_registry::{Budget, Policy, Published, TableRequest, release};
    let person = |institution: &str| Facets {
        institution: Some(institution.into()),
        ..Facets::default()
    };
    let mut people = vec![person("army"); 40];
    people.extend(vec![person("interior"); 25]);
    let made = release(
        &people,
        &[TableRequest {
            rows: Facet::Institution,
            cols: None,
        }],
        &Policy::default(),
        &mut Budget::new("2026-Q4", 1_000_000),
    )
    .unwrap();
    let published = Published::new("ممر", "Safe Passage", 3, "2026-12-05", made);
    (
        mamar_keys::signed_release_csv(key, &published.to_csv()),
        mamar_keys::signed_release_json(key, &published.to_json()),
    )
}

#[test]
fn a_genuine_release_verifies_and_a_changed_number_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();
    let (csv, json) = release_files(&key);
    let csv_path = dir.path().join("release-3.csv");
    let json_path = dir.path().join("release-3.json");
    std::fs::write(&csv_path, &csv).unwrap();
    std::fs::write(&json_path, &json).unwrap();

    let (code, stdout, stderr) = verify("--release", &json_path, &fingerprint);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("Organisation (English): Safe Passage"),
        "{stdout}"
    );
    assert!(stdout.contains("Release: 3"), "{stdout}");
    assert!(stdout.contains("Period: 2026-Q4"), "{stdout}");
    assert!(stdout.contains("lower bound"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("VALID: signed by the key with this fingerprint")
    );

    let (code, stdout, _) = verify("--release", &csv_path, &fingerprint);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Safe Passage,3,2026-12-05,2026-Q4,1,institution,army"),
        "{stdout}"
    );

    // Change one published count by one, in each file: the army line of
    // the CSV, the first count alone on its line in the JSON.
    for (path, text) in [(&csv_path, &csv), (&json_path, &json)] {
        let bare = |l: &str| l.trim().trim_end_matches(',').parse::<u64>().ok();
        let line = text
            .lines()
            .find(|l| l.contains(",army,") || bare(l).is_some())
            .unwrap();
        let changed_line = match bare(line) {
            Some(count) => line.replacen(&count.to_string(), &(count + 1).to_string(), 1),
            None => {
                let count: u64 = line.split(',').nth(9).unwrap().parse().unwrap();
                line.replacen(
                    &format!(",{count},published"),
                    &format!(",{},published", count + 1),
                    1,
                )
            }
        };
        assert_ne!(changed_line, line);
        std::fs::write(path, text.replacen(line, &changed_line, 1)).unwrap();
        let (code, stdout, _) = verify("--release", path, &fingerprint);
        assert_eq!(code, 1, "{stdout}");
        assert!(
            stdout.starts_with("NOT VALID: the signature does not match"),
            "{stdout}"
        );
    }

    // The right file under someone else's fingerprint is not the organisation's.
    std::fs::write(&csv_path, &csv).unwrap();
    let other = SigningKey::generate()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    let (code, stdout, _) = verify("--release", &csv_path, &other);
    assert_eq!(code, 1);
    assert!(stdout.contains("not from the organisation"), "{stdout}");
}
