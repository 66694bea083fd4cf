//! The sealed byte encoding of answers, and showing them to staff.

use mamar_core::Locale;
use mamar_core::questionnaire::{AnswerValue, Answers, AnswersDecodeError, Questionnaire};

fn sample() -> Answers {
    let form: Vec<(String, String)> = [
        ("urgency", "immediate"),
        ("governorate", "outside_syria"),
        ("institution", "security"),
        ("destination", "abroad"),
        ("contact_channels", "sms"),
        ("contact_channels", "signal"),
        ("group_size", "3"),
        ("message", "نحن ثلاثة\nأنا وزوجتي وابني"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Questionnaire::default_shipped().validate(&form).unwrap()
}

#[test]
fn answers_round_trip_through_bytes() {
    let answers = sample();
    let bytes = answers.to_bytes();
    assert_eq!(Answers::from_bytes(&bytes).unwrap(), answers);
    assert!(bytes.starts_with(b"mamar-answers\x01"));
}

#[test]
fn the_typed_part_keeps_the_texts_and_numbers_and_no_choice() {
    let typed = sample().typed_part();
    let kept: Vec<(&str, &AnswerValue)> = typed.iter().collect();
    assert_eq!(
        kept,
        vec![
            ("group_size", &AnswerValue::Number(3)),
            ("message", &AnswerValue::Text("نحن ثلاثة\nأنا وزوجتي وابني".into())),
        ]
    );
    assert_eq!(typed.questionnaire_id(), "default");
    assert_eq!(Answers::from_bytes(&typed.to_bytes()).unwrap(), typed);
}

#[test]
fn the_encoding_is_pinned() {
    // A change here breaks every sealed request already stored: it needs a
    // new format version, not an edit.
    let form = vec![
        ("urgency".to_string(), "weeks".to_string()),
        ("governorate".to_string(), "sy-di".to_string()),
        ("institution".to_string(), "navy".to_string()),
        ("destination".to_string(), "undecided".to_string()),
        ("group_size".to_string(), "2".to_string()),
    ];
    let answers = Questionnaire::default_shipped().validate(&form).unwrap();
    let mut expected = b"mamar-answers\x01".to_vec();
    expected.extend_from_slice(b"\0\0\0\x07default\0\0\0\x01\0\0\0\x05");
    for (id, kind, value) in [
        ("urgency", 1u8, "weeks"),
        ("governorate", 1, "sy-di"),
        ("institution", 1, "navy"),
    ] {
        expected.extend_from_slice(&(id.len() as u32).to_be_bytes());
        expected.extend_from_slice(id.as_bytes());
        expected.push(kind);
        expected.extend_from_slice(&(value.len() as u32).to_be_bytes());
        expected.extend_from_slice(value.as_bytes());
    }
    expected.extend_from_slice(b"\0\0\0\x0agroup_size\x04");
    expected.extend_from_slice(&2i64.to_be_bytes());
    expected.extend_from_slice(b"\0\0\0\x0bdestination\x01\0\0\0\x09undecided");
    assert_eq!(answers.to_bytes(), expected);
}

#[test]
fn damaged_bytes_are_refused_with_a_reason() {
    let bytes = sample().to_bytes();
    assert_eq!(Answers::from_bytes(b""), Err(AnswersDecodeError::NotAnswers));
    assert_eq!(
        Answers::from_bytes(b"something else entirely"),
        Err(AnswersDecodeError::NotAnswers)
    );
    let mut version = bytes.clone();
    version[13] = 2;
    assert_eq!(
        Answers::from_bytes(&version),
        Err(AnswersDecodeError::UnsupportedVersion(2))
    );
    for cut in 14..bytes.len() {
        assert!(Answers::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        Answers::from_bytes(&trailing),
        Err(AnswersDecodeError::TrailingBytes)
    );
    // A count of four billion entries must fail fast, not allocate.
    let mut huge = b"mamar-answers\x01\0\0\0\x01x\0\0\0\x01".to_vec();
    huge.extend_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(Answers::from_bytes(&huge), Err(AnswersDecodeError::Truncated));
    let mut bad_kind = b"mamar-answers\x01\0\0\0\x01x\0\0\0\x01\0\0\0\x01\0\0\0\x01f".to_vec();
    bad_kind.push(9);
    assert_eq!(
        Answers::from_bytes(&bad_kind),
        Err(AnswersDecodeError::UnknownKind(9))
    );
    let mut bad_utf8 = b"mamar-answers\x01\0\0\0\x01".to_vec();
    bad_utf8.push(0xff);
    bad_utf8.extend_from_slice(b"\0\0\0\x01\0\0\0\0");
    assert_eq!(
        Answers::from_bytes(&bad_utf8),
        Err(AnswersDecodeError::InvalidUtf8)
    );
    let mut twice = b"mamar-answers\x01\0\0\0\x01x\0\0\0\x01\0\0\0\x02".to_vec();
    for _ in 0..2 {
        twice.extend_from_slice(b"\0\0\0\x01f\x04");
        twice.extend_from_slice(&1i64.to_be_bytes());
    }
    assert_eq!(
        Answers::from_bytes(&twice),
        Err(AnswersDecodeError::RepeatedField)
    );
}

#[test]
fn staff_see_labels_in_their_language() {
    let answers = sample();
    let q = Questionnaire::default_shipped();
    let shown = answers.display(&q, Locale::En);
    assert_eq!(shown[0].label, "How urgent is your situation?");
    assert_eq!(shown[0].values, ["In immediate danger now"]);
    assert_eq!(shown[1].values, ["Outside Syria"]);
    let channels = shown.iter().find(|a| a.field_id == "contact_channels").unwrap();
    assert_eq!(channels.values, ["Signal", "Text message (SMS)"]);
    let arabic = answers.display(&q, Locale::Ar);
    assert_eq!(arabic[2].values, ["الأجهزة الأمنية"]);
    let size = arabic.iter().find(|a| a.field_id == "group_size").unwrap();
    assert_eq!(size.values, ["3"]);
}

#[test]
fn answers_to_a_changed_questionnaire_still_display() {
    let answers = sample();
    let smaller = Questionnaire::from_toml(
        r#"id = "default"
version = 2
intro = { ar = "م", en = "i" }
warning = { ar = "ت", en = "w" }

[[fields]]
id = "urgency"
kind = "single_choice"
label = { ar = "ع", en = "Urgency" }
options = [ { value = "later", label = { ar = "لاحقا", en = "Later" } } ]
"#,
    )
    .unwrap();
    let shown = answers.display(&smaller, Locale::En);
    assert_eq!(shown[0].label, "Urgency");
    assert_eq!(
        shown[0].values,
        ["immediate"],
        "a removed option shows its stored value"
    );
    assert_eq!(shown[1].label, "governorate", "a removed field shows its id");
}

#[test]
fn debug_output_never_shows_answers() {
    let answers = sample();
    let printed = format!("{answers:?} {:?}", answers.get("message").unwrap());
    assert!(!printed.contains("ثلاثة"), "{printed}");
    assert!(!printed.contains("abroad"), "{printed}");
    assert!(printed.contains("message"), "{printed}");
    assert!(matches!(answers.get("group_size"), Some(AnswerValue::Number(3))));
}
