//! The stand-alone verifier as a person runs it: a real card signed by the
//! project's own signing code, checked by the built binary, in Arabic and
//! English; a tampered card, a stranger's fingerprint and a missing file
//! refused with their own exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use mamar_core::Locale;
use mamar_crypto::SigningKey;
use mamar_verify::{CardDate, ContactCard, fingerprint_words, sign_card, signed_reply_text};

fn card() -> ContactCard {
    ContactCard {
        org_name_ar: "ممر".into(),
        org_name_en: "Safe Passage".into(),
        web_address: Some("https://example.org".into()),
        onion_address: None,
        hotlines: vec!["+90 555 000 0000".into()],
        telegram_bot: Some("@SafePassageBot".into()),
        referral_seal: None,
        valid_until: CardDate::new(2099, 12, 31).unwrap(),
    }
}

/// Runs the built binary with no language in the environment but `lang`.
fn run(args: &[&str], file: &Path, lang: Option<&str>) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mamar-verify"));
    command
        .args(args)
        .arg(file)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(lang) = lang {
        command.env("LANG", lang);
    }
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_genuine_card_is_valid_and_a_tampered_one_is_not_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let fingerprint = key.verifying_key().fingerprint();
    let hex = fingerprint.to_string();
    let words = fingerprint_words(&fingerprint, Locale::Ar);
    let genuine = sign_card(&card(), &key).unwrap();
    let card_path = dir.path().join("card.txt");
    std::fs::write(&card_path, &genuine).unwrap();
    let tampered_path = dir.path().join("tampered.txt");
    let tampered = genuine.replace("+90 555 000 0000", "+90 555 666 6666");
    assert_ne!(tampered, genuine);
    std::fs::write(&tampered_path, tampered).unwrap();

    // English, by the flag; the hex fingerprint.
    let (code, stdout, stderr) = run(
        &["--fingerprint", &hex, "--lang", "en", "--card"],
        &card_path,
        None,
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Organisation (Arabic): ممر"), "{stdout}");
    assert!(stdout.contains("Hotline: +90 555 000 0000"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("VALID: signed by the key with this fingerprint, valid until 2099-12-31"),
        "{stdout}"
    );

    // Arabic, by the terminal's language; the Arabic fingerprint words.
    let (code, stdout, stderr) = run(
        &["--fingerprint", &words, "--card"],
        &card_path,
        Some("ar_SY.UTF-8"),
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("المنظمة (بالعربية): ممر"), "{stdout}");
    assert!(stdout.contains("الخط الساخن: +90 555 000 0000"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .ends_with("صالح: موقَّع بالمفتاح صاحب هذه البصمة، وصالح حتى 2099-12-31"),
        "{stdout}"
    );

    // The tampered card: exit 1, its changed number never shown.
    let (code, stdout, _) = run(
        &["--fingerprint", &hex, "--lang", "en", "--card"],
        &tampered_path,
        None,
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.starts_with("NOT VALID: the signature does not match the contents"),
        "{stdout}"
    );
    assert!(!stdout.contains("666"), "{stdout}");
    let (code, stdout, _) = run(
        &["--fingerprint", &hex, "--lang", "ar", "--card"],
        &tampered_path,
        None,
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.starts_with("غير صالح: التوقيع لا يطابق المحتوى"),
        "{stdout}"
    );

    // The genuine card against another key's fingerprint: not from the organisation.
    let stranger = SigningKey::generate()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    let (code, stdout, _) = run(
        &["--fingerprint", &stranger, "--lang", "en", "--card"],
        &card_path,
        None,
    );
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("this is not from the organisation"), "{stdout}");

    // A file that is not there: could not check (2), said on stderr.
    let missing = dir.path().join("missing.txt");
    let (code, stdout, stderr) = run(&["--fingerprint", &hex, "--lang", "en", "--card"], &missing, None);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stderr.starts_with("COULD NOT CHECK"), "{stderr}");
}

#[test]
fn a_signed_reply_is_checked_and_printed() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let hex = key.verifying_key().fingerprint().to_string();
    let path = dir.path().join("reply.txt");
    std::fs::write(&path, signed_reply_text(&key, "نراك غدا.")).unwrap();
    let (code, stdout, stderr) = run(&["--fingerprint", &hex, "--lang", "ar", "--reply"], &path, None);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.starts_with("نراك غدا.\n"), "{stdout}");
    assert!(
        stdout.trim_end().ends_with("صالح: موقَّع بالمفتاح صاحب هذه البصمة"),
        "{stdout}"
    );

    std::fs::write(
        &path,
        signed_reply_text(&key, "نراك غدا.").replace("غدا", "اليوم"),
    )
    .unwrap();
    let (code, stdout, _) = run(&["--fingerprint", &hex, "--lang", "en", "--reply"], &path, None);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.starts_with("NOT VALID: the signature does not match"),
        "{stdout}"
    );
}
