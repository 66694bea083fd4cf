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
        assert!(stdout.contains("Organisation (ar): ممر"), "{stdout}");
        assert!(stdout.contains("Hotline:           +90 555 000 0000"), "{stdout}");
        assert!(stdout.contains("Telegram bot:      @SafePassageBot"), "{stdout}");
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
    assert!(stdout.contains("Organisation (en): Safe Passage"), "{stdout}");
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
    assert_eq!(stdout.trim_end(), "NOT VALID: line 2: expected \"key: value\"");

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
