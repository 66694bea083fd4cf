//! Signed contact cards and replies: what verifies, what does not, and why.

use mamar_core::Locale;
use mamar_crypto::{OrgKey, OrgKeyKind, SignaturePurpose, SigningKey};
use mamar_keys::{
    CardDate, CardError, ContactCard, FormatProblem, fingerprint_qr_svg, fingerprint_qr_text,
    fingerprint_words, parse_fingerprint, sign_card, sign_card_with_org_key, sign_reply, signed_reply_text,
    verify_card, verify_reply, verify_reply_text,
};

fn card() -> ContactCard {
    ContactCard {
        org_name_ar: "المركز السوري للسلامة والانشقاق".into(),
        org_name_en: "Syrian Centre for Safety and Defection".into(),
        web_address: Some("https://example.org/safe".into()),
        onion_address: Some(format!("{}.onion", "a".repeat(56))),
        hotlines: vec!["+90 555 000 0000".into(), "+963-11-000-0000".into()],
        telegram_bot: Some("@SafePassageBot".into()),
        referral_seal: None,
        valid_until: CardDate::new(2030, 6, 30).unwrap(),
    }
}

fn today() -> CardDate {
    CardDate::new(2027, 1, 15).unwrap()
}

struct Signed {
    key: SigningKey,
    file: String,
    fingerprint: String,
}

fn signed(card: &ContactCard) -> Signed {
    let key = SigningKey::generate().unwrap();
    let file = sign_card(card, &key).unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();
    Signed {
        key,
        file,
        fingerprint,
    }
}

#[test]
fn a_signed_card_verifies_and_reads_as_plain_text() {
    let s = signed(&card());
    assert_eq!(verify_card(&s.file, &s.fingerprint, today()).unwrap(), card());
    let expected_start = "mamar-contact-card v1\n\
        org-name-ar: المركز السوري للسلامة والانشقاق\n\
        org-name-en: Syrian Centre for Safety and Defection\n\
        web: https://example.org/safe\n";
    assert!(s.file.starts_with(expected_start), "{}", s.file);
    assert!(
        s.file
            .contains("\nhotline: +90 555 000 0000\nhotline: +963-11-000-0000\n")
    );
    assert!(s.file.contains("\nvalid-until: 2030-06-30\nsigning-key: "));
    // The card is valid through its last day.
    assert!(verify_card(&s.file, &s.fingerprint, CardDate::new(2030, 6, 30).unwrap()).is_ok());
}

#[test]
fn every_form_of_the_fingerprint_is_accepted() {
    let s = signed(&card());
    let fingerprint = s.key.verifying_key().fingerprint();
    let hex: String = s.fingerprint.replace(' ', "");
    let forms = [
        s.fingerprint.clone(),
        hex.clone(),
        hex.to_uppercase(),
        hex.as_bytes()
            .chunks(2)
            .map(|p| std::str::from_utf8(p).unwrap())
            .collect::<Vec<_>>()
            .join(":"),
        fingerprint_qr_text(&fingerprint),
        fingerprint_words(&fingerprint, Locale::En),
        fingerprint_words(&fingerprint, Locale::Ar),
        fingerprint_words(&fingerprint, Locale::En)
            .to_uppercase()
            .replace(' ', "  -  "),
    ];
    for form in forms {
        assert_eq!(
            parse_fingerprint(&form).unwrap(),
            *fingerprint.as_bytes(),
            "{form}"
        );
        assert!(verify_card(&s.file, &form, today()).is_ok(), "{form}");
    }
    assert_eq!(fingerprint_words(&fingerprint, Locale::En).split(' ').count(), 20);
    assert_eq!(fingerprint_words(&fingerprint, Locale::Ar).split(' ').count(), 20);
}

#[test]
fn bad_fingerprint_text_says_what_is_wrong() {
    for (text, says) in [
        ("", "nothing was given"),
        ("abcd", "4 hex digits were given"),
        ("olive", "20 words are needed; 1 were given"),
    ] {
        let error = parse_fingerprint(text).unwrap_err();
        assert!(matches!(error, CardError::BadFingerprintText(_)), "{text}");
        assert!(error.to_string().contains(says), "{text}: {error}");
    }
    let s = signed(&card());
    let mut words: Vec<String> = fingerprint_words(&s.key.verifying_key().fingerprint(), Locale::En)
        .split(' ')
        .map(str::to_owned)
        .collect();
    words[4] = "notaword".into();
    let error = parse_fingerprint(&words.join(" ")).unwrap_err();
    assert!(
        error.to_string().contains("word 5 is not a fingerprint word"),
        "{error}"
    );
}

#[test]
fn another_key_or_any_change_is_refused() {
    let s = signed(&card());
    let other = SigningKey::generate()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    assert_eq!(
        verify_card(&s.file, &other, today()),
        Err(CardError::FingerprintMismatch)
    );

    // A forger who changes a hotline cannot keep the signature valid.
    let forged = s.file.replace("+90 555 000 0000", "+90 555 000 0001");
    assert_eq!(
        verify_card(&forged, &s.fingerprint, today()),
        Err(CardError::BadSignature)
    );
    // Nor by signing with their own key and keeping the real fingerprint.
    let forger = signed(&ContactCard {
        hotlines: vec!["+90 555 666 6666".into()],
        ..card()
    });
    assert_eq!(
        verify_card(&forger.file, &s.fingerprint, today()),
        Err(CardError::FingerprintMismatch)
    );
    // Removing a line or the signature breaks it too.
    let without_bot = s.file.replace("telegram-bot: @SafePassageBot\n", "");
    assert_eq!(
        verify_card(&without_bot, &s.fingerprint, today()),
        Err(CardError::BadSignature)
    );
    let mut flipped = s.file.clone();
    let signature_at = flipped.find("signature: ").unwrap() + "signature: ".len() + 30;
    let digit = if &flipped[signature_at..signature_at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    flipped.replace_range(signature_at..signature_at + 1, digit);
    assert!(verify_card(&flipped, &s.fingerprint, today()).is_err());
}

#[test]
fn a_reply_signature_is_not_a_card_signature() {
    let s = signed(&card());
    let text = card().canonical_text();
    let reply_signature = sign_reply(&s.key, text.as_bytes());
    assert_eq!(reply_signature.purpose(), SignaturePurpose::Reply);
    let lines: Vec<&str> = s.file.lines().collect();
    let swapped = format!(
        "{}\nsignature: {}\n",
        lines[..lines.len() - 1].join("\n"),
        hex::encode(reply_signature.to_bytes())
    );
    assert_eq!(
        verify_card(&swapped, &s.fingerprint, today()),
        Err(CardError::BadSignature)
    );
}

#[test]
fn an_expired_card_says_so_and_still_shows_what_it_said() {
    let s = signed(&card());
    let late = CardDate::new(2030, 7, 1).unwrap();
    match verify_card(&s.file, &s.fingerprint, late) {
        Err(CardError::Expired {
            valid_until,
            card: shown,
        }) => {
            assert_eq!(valid_until.to_string(), "2030-06-30");
            assert_eq!(*shown, card());
        }
        other => panic!("{other:?}"),
    }
    let error = verify_card(&s.file, &s.fingerprint, late).unwrap_err();
    assert_eq!(error.to_string(), "the card expired on 2030-06-30");
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_still_verify() {
    let s = signed(&card());
    let windows = format!("\u{FEFF}{}", s.file.replace('\n', "\r\n"));
    assert_eq!(verify_card(&windows, &s.fingerprint, today()).unwrap(), card());
}

#[test]
fn malformed_files_name_the_line() {
    let s = signed(&card());
    let cases: Vec<(String, usize, FormatProblem)> = vec![
        (
            "hello".into(),
            1,
            FormatProblem::WrongHeader("mamar-contact-card v1"),
        ),
        (
            s.file.replacen("web: ", "web = ", 1),
            4,
            FormatProblem::NotKeyValue,
        ),
        (
            s.file.replacen("web: ", "website: ", 1),
            4,
            FormatProblem::UnknownKey("website".into()),
        ),
        (
            s.file.replacen("org-name-en: Syrian", "org-name-ar: Syrian", 1),
            3,
            FormatProblem::OutOfOrder("org-name-ar"),
        ),
        (format!("{}extra: 1\n", s.file), 12, FormatProblem::TrailingText),
        (
            s.file
                .replacen("valid-until: 2030-06-30", "valid-until: 2030-02-30", 1),
            9,
            FormatProblem::BadValue {
                key: "valid-until",
                reason: "that day does not exist in that month".into(),
            },
        ),
    ];
    for (file, line, problem) in cases {
        assert_eq!(
            verify_card(&file, &s.fingerprint, today()),
            Err(CardError::Format {
                line,
                problem: problem.clone()
            }),
            "{problem:?}"
        );
    }
    let missing = s.file.replacen("valid-until: 2030-06-30\n", "", 1);
    assert!(matches!(
        verify_card(&missing, &s.fingerprint, today()),
        Err(CardError::Format {
            problem: FormatProblem::Missing("valid-until"),
            ..
        })
    ));
    let bidi = s.file.replacen("Syrian Centre", "Syrian \u{202E}Centre", 1);
    let error = verify_card(&bidi, &s.fingerprint, today()).unwrap_err();
    assert!(
        matches!(
            error,
            CardError::Format {
                line: 3,
                problem: FormatProblem::BadValue {
                    key: "org-name-en",
                    ..
                }
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("bidirectional"), "{error}");
    assert!(matches!(
        verify_card(&"x".repeat(20_000), &s.fingerprint, today()),
        Err(CardError::TooLarge { .. })
    ));
}

#[test]
fn cards_are_checked_before_signing() {
    let key = SigningKey::generate().unwrap();
    let bad_cards = [
        (
            ContactCard {
                web_address: Some("ftp://x".into()),
                ..card()
            },
            "web",
        ),
        (
            ContactCard {
                web_address: Some("https://exаmple.org".into()),
                ..card()
            },
            "web",
        ),
        (
            ContactCard {
                onion_address: Some("short.onion".into()),
                ..card()
            },
            "onion",
        ),
        (
            ContactCard {
                hotlines: vec!["call me".into()],
                ..card()
            },
            "hotline",
        ),
        (
            ContactCard {
                hotlines: vec!["+1 2".into()],
                ..card()
            },
            "hotline",
        ),
        (
            ContactCard {
                hotlines: vec!["+90 555 000 0000".into(); 11],
                ..card()
            },
            "hotline",
        ),
        (
            ContactCard {
                telegram_bot: Some("@SafePassage".into()),
                ..card()
            },
            "telegram-bot",
        ),
        (
            ContactCard {
                org_name_en: " padded ".into(),
                ..card()
            },
            "org-name-en",
        ),
        (
            ContactCard {
                org_name_ar: "\u{2067}ممر".into(),
                ..card()
            },
            "org-name-ar",
        ),
        (
            ContactCard {
                org_name_ar: String::new(),
                ..card()
            },
            "org-name-ar",
        ),
    ];
    for (bad, field) in bad_cards {
        match sign_card(&bad, &key) {
            Err(CardError::BadField { field: got, .. }) => assert_eq!(got, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let minimal = ContactCard {
        web_address: None,
        onion_address: None,
        hotlines: vec![],
        telegram_bot: None,
        referral_seal: None,
        ..card()
    };
    let file = sign_card(&minimal, &key).unwrap();
    assert_eq!(file.lines().count(), 6);
    let fingerprint = key.verifying_key().fingerprint().to_string();
    assert_eq!(verify_card(&file, &fingerprint, today()).unwrap(), minimal);
}

#[test]
fn the_referral_seal_line_is_signed_and_old_cards_without_it_still_verify() {
    // A card signed before the line existed (the card() fixture has none): unchanged text, valid.
    let old = signed(&card());
    assert!(!old.file.contains("referral-seal"));
    assert_eq!(
        verify_card(&old.file, &old.fingerprint, today())
            .unwrap()
            .referral_seal,
        None
    );
    // The organisation's card carries its signing key's referral sealing key, signed with the rest.
    let signing = OrgKey::generate(OrgKeyKind::Signing, 1).unwrap();
    let key = signing.signing().unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();
    let file = sign_card_with_org_key(&card(), &signing).unwrap();
    let seal = hex::encode(key.referral_seal_pair().public_key().to_bytes());
    assert!(
        file.contains(&format!(
            "\ntelegram-bot: @SafePassageBot\nreferral-seal: {seal}\nvalid-until: "
        )),
        "{file}"
    );
    let verified = verify_card(&file, &fingerprint, today()).unwrap();
    assert_eq!(
        verified.referral_seal,
        Some(*key.referral_seal_pair().public_key())
    );
    // Another key put in its place, or the line taken out, breaks the signature.
    let other = hex::encode(
        SigningKey::generate()
            .unwrap()
            .referral_seal_pair()
            .public_key()
            .to_bytes(),
    );
    assert_eq!(
        verify_card(&file.replace(&seal, &other), &fingerprint, today()),
        Err(CardError::BadSignature)
    );
    assert_eq!(
        verify_card(
            &file.replace(&format!("referral-seal: {seal}\n"), ""),
            &fingerprint,
            today()
        ),
        Err(CardError::BadSignature)
    );
    // A line that is not a key names its line.
    let broken = file.replace(&seal, "not-a-key");
    assert!(matches!(
        verify_card(&broken, &fingerprint, today()),
        Err(CardError::Format {
            problem: FormatProblem::BadValue {
                key: "referral-seal",
                ..
            },
            ..
        })
    ));
}

#[test]
fn only_the_organisation_signing_key_signs_cards() {
    let signing = OrgKey::generate(OrgKeyKind::Signing, 1).unwrap();
    let file = sign_card_with_org_key(&card(), &signing).unwrap();
    let fingerprint = signing
        .signing()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    assert!(verify_card(&file, &fingerprint, today()).is_ok());
    let intake = OrgKey::generate(OrgKeyKind::Intake, 1).unwrap();
    assert_eq!(
        sign_card_with_org_key(&card(), &intake),
        Err(CardError::NotASigningKey)
    );
}

#[test]
fn signed_replies_verify_and_refuse_changes() {
    let key = SigningKey::generate().unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();
    let reply = "مرحبا، تلقينا رسالتك.\r\nسنتواصل معك غدا.\n\n";
    let block = signed_reply_text(&key, reply);
    assert!(block.starts_with("mamar-signed-reply v1\nsigning-key: "));
    let text = verify_reply_text(&block, &fingerprint).unwrap();
    assert_eq!(text, "مرحبا، تلقينا رسالتك.\nسنتواصل معك غدا.");
    assert_eq!(
        verify_reply_text(&block.replace('\n', "\r\n"), &fingerprint).unwrap(),
        text
    );

    let changed = block.replace("غدا", "اليوم");
    assert_eq!(
        verify_reply_text(&changed, &fingerprint),
        Err(CardError::BadSignature)
    );
    let other = SigningKey::generate()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    assert_eq!(
        verify_reply_text(&block, &other),
        Err(CardError::FingerprintMismatch)
    );
    assert!(matches!(
        verify_reply_text("mamar-signed-reply v1\n", &fingerprint),
        Err(CardError::Format { .. })
    ));

    let signature = sign_reply(&key, b"raw bytes");
    verify_reply(&key.verifying_key(), b"raw bytes", &signature).unwrap();
    assert_eq!(
        verify_reply(&key.verifying_key(), b"raw bytez", &signature),
        Err(CardError::BadSignature)
    );
    // A contact-card signature over the same bytes is not a reply signature.
    let card_signature = key.sign(SignaturePurpose::ContactCard, b"raw bytes");
    assert_eq!(
        verify_reply(&key.verifying_key(), b"raw bytes", &card_signature),
        Err(CardError::BadSignature)
    );
}

#[test]
fn the_qr_code_is_a_self_contained_svg() {
    let fingerprint = SigningKey::generate().unwrap().verifying_key().fingerprint();
    let svg = fingerprint_qr_svg(&fingerprint).unwrap();
    assert!(svg.starts_with("<?xml"), "{}", &svg[..60]);
    assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
    // Nothing from another origin: the only URL is the SVG namespace.
    assert_eq!(
        svg.matches("http").count(),
        svg.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!svg.contains("<script") && !svg.contains("href"));
    assert_eq!(
        fingerprint_qr_text(&fingerprint).len(),
        "mamar-fingerprint:".len() + 64
    );
}
