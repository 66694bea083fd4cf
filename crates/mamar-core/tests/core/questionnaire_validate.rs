//! Validating submitted forms: tables of good and bad input.

use mamar_core::questionnaire::{AnswerValue, FieldError, FieldProblem, Questionnaire};
use mamar_core::text::MAX_MESSAGE_CHARS;

/// Form pairs added to the required ones.
type Form<'a> = &'a [(&'a str, &'a str)];

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The smallest valid submission of the default questionnaire.
const REQUIRED: [(&str, &str); 4] = [
    ("urgency", "weeks"),
    ("governorate", "sy-hl"),
    ("institution", "army"),
    ("destination", "undecided"),
];

fn submit(extra: &[(&str, &str)]) -> Result<mamar_core::questionnaire::Answers, Vec<FieldError>> {
    let mut all = pairs(&REQUIRED);
    all.extend(pairs(extra));
    Questionnaire::default_shipped().validate(&all)
}

fn problem_of(extra: &[(&str, &str)], field: &str) -> FieldProblem {
    let errors = submit(extra).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, field);
    errors[0].problem
}

#[test]
fn a_complete_submission_keeps_every_value_in_questionnaire_order() {
    let answers = submit(&[
        ("message", "  أحتاج إلى مساعدة\r\nللخروج مع عائلتي  "),
        ("contact", "Signal, after 9 pm"),
        ("contact_channels", "telegram"),
        ("contact_channels", "signal"),
        ("contact_channels", "signal"),
        ("group_size", "٤"),
        ("rank_class", "nco"),
        ("csrf_token", "abc"),
        ("submit", ""),
    ])
    .unwrap();
    assert_eq!(answers.questionnaire_id(), "default");
    assert_eq!(answers.questionnaire_version(), 1);
    let ids: Vec<&str> = answers.iter().map(|(id, _)| id).collect();
    assert_eq!(
        ids,
        [
            "urgency",
            "governorate",
            "institution",
            "rank_class",
            "group_size",
            "destination",
            "contact_channels",
            "contact",
            "message"
        ]
    );
    assert_eq!(answers.get("group_size"), Some(&AnswerValue::Number(4)));
    assert_eq!(
        answers.get("contact_channels"),
        Some(&AnswerValue::Choices(vec!["signal".into(), "telegram".into()]))
    );
    assert_eq!(
        answers.get("message"),
        Some(&AnswerValue::Text("أحتاج إلى مساعدة\nللخروج مع عائلتي".into()))
    );
    assert_eq!(answers.get("csrf_token"), None, "unknown keys are never kept");
    assert_eq!(answers.get("service_type"), None);
}

#[test]
fn good_inputs_are_accepted() {
    let table: &[(Form, &str, AnswerValue)] = &[
        (
            &[("message", "<script>alert(1)</script>")],
            "message",
            AnswerValue::Text("<script>alert(1)</script>".into()),
        ),
        (
            &[("message", "line one\n\tline two")],
            "message",
            AnswerValue::Text("line one\n\tline two".into()),
        ),
        (
            &[("message", "a\rb")],
            "message",
            AnswerValue::Text("a\nb".into()),
        ),
        (
            &[("contact", "  0991 234 567  ")],
            "contact",
            AnswerValue::Text("0991 234 567".into()),
        ),
        (
            &[("contact", "مساء الجمعة & \"quotes\" ' ")],
            "contact",
            AnswerValue::Text("مساء الجمعة & \"quotes\" '".into()),
        ),
        (
            &[("contact", "مرحبا\u{200C}بك")],
            "contact",
            AnswerValue::Text("مرحبا\u{200C}بك".into()),
        ),
        (&[("group_size", "50")], "group_size", AnswerValue::Number(50)),
        (&[("group_size", "۱")], "group_size", AnswerValue::Number(1)),
        (&[("group_size", " +3 ")], "group_size", AnswerValue::Number(3)),
        (
            &[("message", &"x".repeat(MAX_MESSAGE_CHARS))],
            "message",
            AnswerValue::Text("x".repeat(MAX_MESSAGE_CHARS)),
        ),
        (
            &[("message", &"ش".repeat(MAX_MESSAGE_CHARS))],
            "message",
            AnswerValue::Text("ش".repeat(MAX_MESSAGE_CHARS)),
        ),
        (
            &[("contact_channels", "here_only")],
            "contact_channels",
            AnswerValue::Choices(vec!["here_only".into()]),
        ),
    ];
    for (extra, field, expected) in table {
        let result = submit(extra);
        let answers = result.unwrap_or_else(|e| panic!("{extra:?}: {e:?}"));
        assert_eq!(answers.get(field), Some(expected), "{extra:?}");
    }
}

#[test]
fn an_empty_repeat_of_a_field_is_not_a_second_value() {
    let mut form = pairs(&REQUIRED);
    form.push(("governorate".into(), "  ".into()));
    form.push(("institution".into(), String::new()));
    let answers = Questionnaire::default_shipped().validate(&form).unwrap();
    assert_eq!(
        answers.get("governorate"),
        Some(&AnswerValue::Choice("sy-hl".into()))
    );
}

#[test]
fn bad_inputs_get_a_precise_problem() {
    let long = "x".repeat(MAX_MESSAGE_CHARS + 1);
    let table: &[(Form, &str, FieldProblem)] = &[
        (
            &[("message", "hello \u{202E}dlrow")],
            "message",
            FieldProblem::BidiControl,
        ),
        (
            &[("message", "\u{2066}isolate")],
            "message",
            FieldProblem::BidiControl,
        ),
        (
            &[("contact", "call \u{200F}me")],
            "contact",
            FieldProblem::BidiControl,
        ),
        (
            &[("contact", "Arabic letter mark \u{061C}")],
            "contact",
            FieldProblem::BidiControl,
        ),
        (
            &[("contact", "two\nlines")],
            "contact",
            FieldProblem::ControlCharacter,
        ),
        (
            &[("contact", "nul\u{0}byte")],
            "contact",
            FieldProblem::ControlCharacter,
        ),
        (
            &[("message", "bell\u{7}")],
            "message",
            FieldProblem::ControlCharacter,
        ),
        (
            &[("message", "escape \u{1b}[31m")],
            "message",
            FieldProblem::ControlCharacter,
        ),
        (
            &[("message", "line\u{2028}separator")],
            "message",
            FieldProblem::ControlCharacter,
        ),
        (
            &[("message", &long)],
            "message",
            FieldProblem::TooLong {
                max: MAX_MESSAGE_CHARS,
            },
        ),
        (
            &[("contact", &"ص".repeat(201))],
            "contact",
            FieldProblem::TooLong { max: 200 },
        ),
        (
            &[("rank_class", "general")],
            "rank_class",
            FieldProblem::NotAnOption,
        ),
        (
            &[("rank_class", "Officer")],
            "rank_class",
            FieldProblem::NotAnOption,
        ),
        (&[("rank_class", "ضابط")], "rank_class", FieldProblem::NotAnOption),
        (
            &[("rank_class", "officer"), ("rank_class", "nco")],
            "rank_class",
            FieldProblem::Repeated,
        ),
        (
            &[("contact", "a"), ("contact", "b")],
            "contact",
            FieldProblem::Repeated,
        ),
        (
            &[("contact_channels", "signal"), ("contact_channels", "pigeon")],
            "contact_channels",
            FieldProblem::NotAnOption,
        ),
        (&[("group_size", "three")], "group_size", FieldProblem::NotANumber),
        (&[("group_size", "2.5")], "group_size", FieldProblem::NotANumber),
        (
            &[("group_size", "0")],
            "group_size",
            FieldProblem::OutOfRange { min: 1, max: 50 },
        ),
        (
            &[("group_size", "51")],
            "group_size",
            FieldProblem::OutOfRange { min: 1, max: 50 },
        ),
        (
            &[("group_size", "-1")],
            "group_size",
            FieldProblem::OutOfRange { min: 1, max: 50 },
        ),
        (
            &[("group_size", "99999999999999999999999")],
            "group_size",
            FieldProblem::OutOfRange { min: 1, max: 50 },
        ),
    ];
    for (extra, field, problem) in table {
        assert_eq!(problem_of(extra, field), *problem, "{extra:?}");
    }
}

#[test]
fn missing_required_fields_are_all_reported_at_once() {
    let q = Questionnaire::default_shipped();
    let errors = q
        .validate(&pairs(&[("urgency", " "), ("message", "hi")]))
        .unwrap_err();
    let reported: Vec<(&str, FieldProblem)> = errors.iter().map(|e| (e.field.as_str(), e.problem)).collect();
    assert_eq!(
        reported,
        [
            ("urgency", FieldProblem::Missing),
            ("governorate", FieldProblem::Missing),
            ("institution", FieldProblem::Missing),
            ("destination", FieldProblem::Missing)
        ]
    );
    let errors = q
        .validate(&pairs(&[
            ("urgency", "weeks"),
            ("governorate", "sy-zz"),
            ("institution", "army"),
            ("destination", "abroad"),
            ("message", "\u{202E}"),
        ]))
        .unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0],
        FieldError {
            field: "governorate".into(),
            problem: FieldProblem::NotAnOption
        }
    );
    assert_eq!(
        errors[1],
        FieldError {
            field: "message".into(),
            problem: FieldProblem::BidiControl
        }
    );
}

#[test]
fn limits_from_the_configuration_apply() {
    let q = Questionnaire::from_toml(
        r#"id = "t"
version = 3
intro = { ar = "م", en = "i" }
warning = { ar = "ت", en = "w" }

[[fields]]
id = "pick"
kind = "multiple_choice"
max_choices = 2
label = { ar = "ا", en = "p" }
options = [
  { value = "a", label = { ar = "ا", en = "a" } },
  { value = "b", label = { ar = "ب", en = "b" } },
  { value = "c", label = { ar = "ج", en = "c" } },
]

[[fields]]
id = "why"
kind = "long_text"
min_chars = 5
max_chars = 10
label = { ar = "ل", en = "why" }
"#,
    )
    .unwrap();
    let check = |list: &[(&str, &str)]| q.validate(&pairs(list));
    assert_eq!(
        check(&[("pick", "a"), ("pick", "b"), ("pick", "c")]).unwrap_err()[0].problem,
        FieldProblem::TooManyChoices { max: 2 }
    );
    assert!(check(&[("pick", "c"), ("pick", "a")]).is_ok());
    assert_eq!(
        check(&[("why", "abc")]).unwrap_err()[0].problem,
        FieldProblem::TooShort { min: 5 }
    );
    assert_eq!(
        check(&[("why", "abcdefghijk")]).unwrap_err()[0].problem,
        FieldProblem::TooLong { max: 10 }
    );
    assert!(check(&[("why", "  abcde  ")]).is_ok());
    let answers = check(&[]).unwrap();
    assert!(answers.is_empty());
    assert_eq!(answers.questionnaire_version(), 3);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn field_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("urgency".to_string()),
            Just("governorate".to_string()),
            Just("contact".to_string()),
            Just("message".to_string()),
            Just("group_size".to_string()),
            Just("contact_channels".to_string()),
            "\\PC{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever is sent, validation answers (never panics), and what it
        /// accepts holds no control or bidi characters outside long text's
        /// newlines and tabs, and survives the byte encoding.
        #[test]
        fn validation_is_total_and_accepted_text_is_clean(
            form in proptest::collection::vec((field_name(), "\\PC{0,40}|[\\x00-\\x7f\\u{202a}-\\u{202e}]{0,10}"), 0..12)
        ) {
            let q = Questionnaire::default_shipped();
            if let Ok(answers) = q.validate(&form) {
                for (_, value) in answers.iter() {
                    if let AnswerValue::Text(text) = value {
                        prop_assert!(!text.chars().any(mamar_core::text::is_bidi_control));
                        prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
                    }
                }
                let bytes = answers.to_bytes();
                prop_assert_eq!(mamar_core::questionnaire::Answers::from_bytes(&bytes).unwrap(), answers);
            }
        }
    }
}
