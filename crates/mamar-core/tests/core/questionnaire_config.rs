//! Loading questionnaire files: the shipped default, and clear errors for bad ones.

use mamar_core::Locale;
use mamar_core::questionnaire::{ConfigProblem, FieldKind, Questionnaire, QuestionnaireError};

#[test]
fn the_shipped_questionnaire_has_the_fields_the_issue_lists() {
    let q = Questionnaire::from_toml(mamar_core::questionnaire::DEFAULT_TOML).unwrap();
    assert_eq!(q, Questionnaire::default_shipped());
    let ids: Vec<&str> = q.fields().iter().map(|f| f.id()).collect();
    assert_eq!(
        ids,
        [
            "urgency",
            "governorate",
            "institution",
            "service_type",
            "rank_class",
            "companions",
            "group_size",
            "destination",
            "contact_channels",
            "contact",
            "message"
        ]
    );
    let options = |id: &str| -> Vec<&str> {
        q.field(id)
            .unwrap()
            .kind()
            .options()
            .iter()
            .map(|o| o.value())
            .collect()
    };
    assert_eq!(options("urgency"), ["immediate", "weeks", "planning"]);
    assert_eq!(options("destination"), ["stay_safe_area", "abroad", "undecided"]);
    assert_eq!(options("rank_class"), ["officer", "nco", "soldier", "civilian"]);
    assert_eq!(
        options("service_type"),
        ["compulsory", "reserve", "volunteer", "not_applicable"]
    );
    assert!(options("institution").contains(&"settlement"));
    // The first message has the limit of every later one.
    assert!(matches!(
        q.field("message").unwrap().kind(),
        FieldKind::LongText { max_chars, .. } if *max_chars == mamar_core::text::MAX_MESSAGE_CHARS
    ));
    assert!(matches!(
        q.field("contact").unwrap().kind(),
        FieldKind::ShortText { .. }
    ));
}

#[test]
fn governorates_match_the_reference_data() {
    let q = Questionnaire::default_shipped();
    let field = q.field("governorate").unwrap();
    let csv = include_str!("../fixtures/syria-governorates.csv");
    let mut expected = Vec::new();
    for line in csv.lines().skip(1) {
        let columns: Vec<&str> = line.split(',').collect();
        expected.push((
            columns[0].to_lowercase(),
            columns[1].to_owned(),
            columns[2].to_owned(),
        ));
    }
    assert_eq!(expected.len(), 14);
    let options = field.kind().options();
    assert_eq!(options.len(), 16);
    for (option, (code, ar, en)) in options.iter().zip(&expected) {
        assert_eq!(option.value(), code);
        assert_eq!(option.label(Locale::Ar), ar);
        assert_eq!(option.label(Locale::En), en);
    }
    assert_eq!(options[14].value(), "outside_syria");
    assert_eq!(options[15].value(), "prefer_not_to_say");
}

#[test]
fn the_default_warns_against_military_information_once_and_where_people_type_and_never_asks_for_it() {
    let q = Questionnaire::default_shipped();
    for word in ["military information", "positions", "unit strengths", "targets"] {
        assert!(q.warning(Locale::En).contains(word));
    }
    for word in ["معلومات عسكرية", "مواقع", "أعداد الوحدات", "أهداف"] {
        assert!(q.warning(Locale::Ar).contains(word));
    }
    // Said once: not again in the introduction shown beside the warning,
    // nor on questions answered by choosing; again where a person types.
    assert!(!q.intro(Locale::En).contains("military information"));
    assert!(!q.intro(Locale::Ar).contains("معلومات عسكرية"));
    let mut warned = 0;
    for field in q.fields() {
        let typed = matches!(
            field.kind(),
            FieldKind::ShortText { .. } | FieldKind::LongText { .. }
        );
        let en = field.help(Locale::En).unwrap_or_default();
        let ar = field.help(Locale::Ar).unwrap_or_default();
        assert_eq!(en.contains("military information"), typed, "{}: {en}", field.id());
        assert_eq!(ar.contains("معلومات عسكرية"), typed, "{}: {ar}", field.id());
        warned += usize::from(typed);
        for forbidden in ["position", "unit", "strength", "target", "weapon", "location_of"] {
            assert!(
                !field.id().contains(forbidden),
                "{} looks like military information",
                field.id()
            );
        }
    }
    assert_eq!(warned, 2, "the contact field and the message");
}

fn error_of(toml: &str) -> QuestionnaireError {
    Questionnaire::from_toml(toml).unwrap_err()
}

const HEAD: &str = r#"id = "test"
version = 1
intro = { ar = "مقدمة", en = "Intro" }
warning = { ar = "تحذير", en = "Warning" }
"#;

fn with_fields(fields: &str) -> String {
    format!("{HEAD}{fields}")
}

#[test]
fn a_small_questionnaire_of_every_kind_loads() {
    let q = Questionnaire::from_toml(&with_fields(
        r#"
[[fields]]
id = "choice"
kind = "single_choice"
required = true
label = { ar = "اختر", en = "Choose" }
options = [ { value = "a", label = { ar = "أ", en = "A" } } ]

[[fields]]
id = "many"
kind = "multiple_choice"
max_choices = 1
label = { ar = "اختر", en = "Choose" }
options = [ { value = "a", label = { ar = "أ", en = "A" } } ]

[[fields]]
id = "line"
kind = "short_text"
label = { ar = "سطر", en = "Line" }

[[fields]]
id = "text"
kind = "long_text"
min_chars = 2
max_chars = 10
label = { ar = "نص", en = "Text" }

[[fields]]
id = "count"
kind = "number"
min = -5
max = 5
label = { ar = "عدد", en = "Count" }
"#,
    ))
    .unwrap();
    assert_eq!(q.fields().len(), 5);
    assert_eq!(
        q.field("line").unwrap().kind(),
        &FieldKind::ShortText {
            min_chars: 0,
            max_chars: 200
        }
    );
    assert_eq!(
        q.field("text").unwrap().kind(),
        &FieldKind::LongText {
            min_chars: 2,
            max_chars: 10
        }
    );
    assert!(q.field("choice").unwrap().required());
    assert!(!q.field("line").unwrap().required());
    assert_eq!(q.field("line").unwrap().help(Locale::Ar), None);
}

#[test]
fn syntax_errors_name_the_line_and_column() {
    let error = error_of(&format!("{HEAD}\n[[fields]]\nid = \"x\"\nkind = single_choice\n"));
    let QuestionnaireError::Syntax { line, column, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((*line, *column), (8, 8));
    assert!(error.to_string().starts_with("line 8, column 8: "), "{error}");

    let unknown_key = error_of(&with_fields(
        "\n[[fields]]\nid = \"x\"\nkind = \"short_text\"\nlabel = { ar = \"a\", en = \"b\" }\nmax_length = 3\n",
    ));
    assert!(
        matches!(unknown_key, QuestionnaireError::Syntax { line: 10, .. }),
        "{unknown_key:?}"
    );
    assert!(unknown_key.to_string().contains("max_length"), "{unknown_key}");
}

#[test]
fn broken_rules_name_the_field_and_its_line() {
    let field = |body: &str| with_fields(&format!("\n[[fields]]\nid = \"f1\"\n{body}\n"));
    let label = "label = { ar = \"س\", en = \"Q\" }";
    let cases: Vec<(String, ConfigProblem)> = vec![
        (
            field(&format!("kind = \"dropdown\"\n{label}")),
            ConfigProblem::UnknownKind("dropdown".into()),
        ),
        (
            field(&format!("kind = \"single_choice\"\n{label}")),
            ConfigProblem::NoOptions,
        ),
        (
            field(&format!("kind = \"short_text\"\n{label}\noptions = []")),
            ConfigProblem::OptionsNotAllowed,
        ),
        (
            field(&format!(
                "kind = \"single_choice\"\nmax_chars = 3\n{label}\noptions = [{{ value = \"a\", label = {{ ar = \"a\", en = \"a\" }} }}]"
            )),
            ConfigProblem::LimitNotAllowed {
                key: "max_chars",
                kind: "single_choice",
            },
        ),
        (
            field(&format!(
                "kind = \"single_choice\"\n{label}\noptions = [{{ value = \"a\", label = {{ ar = \"a\", en = \"a\" }} }}, {{ value = \"a\", label = {{ ar = \"b\", en = \"b\" }} }}]"
            )),
            ConfigProblem::DuplicateOption("a".into()),
        ),
        (
            field(&format!(
                "kind = \"single_choice\"\n{label}\noptions = [{{ value = \"A b\", label = {{ ar = \"a\", en = \"a\" }} }}]"
            )),
            ConfigProblem::BadOptionValue("A b".into()),
        ),
        (
            field(&format!("kind = \"number\"\n{label}")),
            ConfigProblem::BadLimits("a number field needs min and max"),
        ),
        (
            field(&format!("kind = \"number\"\nmin = 5\nmax = 1\n{label}")),
            ConfigProblem::BadLimits("min is larger than max"),
        ),
        (
            field(&format!("kind = \"long_text\"\nmax_chars = 0\n{label}")),
            ConfigProblem::BadLimits("max_chars must be between 1 and 20000"),
        ),
        (
            field(&format!(
                "kind = \"long_text\"\nmin_chars = 9\nmax_chars = 3\n{label}"
            )),
            ConfigProblem::BadLimits("min_chars is larger than max_chars"),
        ),
        (
            field("kind = \"short_text\"\nlabel = { ar = \"\", en = \"Q\" }"),
            ConfigProblem::EmptyText {
                what: "label",
                locale: Locale::Ar,
            },
        ),
        (
            field("kind = \"short_text\"\nlabel = { ar = \"س\", en = \"Q\\u202E\" }"),
            ConfigProblem::TextControl {
                what: "label",
                locale: Locale::En,
            },
        ),
        (
            field(&format!(
                "kind = \"short_text\"\n{label}\nhelp = {{ ar = \"x\", en = \"{}\" }}",
                "h".repeat(1001)
            )),
            ConfigProblem::TextTooLong {
                what: "help",
                locale: Locale::En,
                max: 1000,
            },
        ),
    ];
    for (toml, problem) in cases {
        let error = error_of(&toml);
        assert_eq!(
            error,
            QuestionnaireError::Invalid {
                field: Some("f1".into()),
                line: error_line(&error),
                problem: problem.clone()
            },
            "{toml}"
        );
        let line = error_line(&error).unwrap();
        assert!((6..=12).contains(&line), "{problem:?} at line {line}");
        assert!(error.to_string().contains("field \"f1\""), "{error}");
    }
}

fn error_line(error: &QuestionnaireError) -> Option<usize> {
    match error {
        QuestionnaireError::Invalid { line, .. } => *line,
        QuestionnaireError::Syntax { line, .. } => Some(*line),
    }
}

#[test]
fn ids_must_be_plain_and_unique() {
    let two = with_fields(
        "\n[[fields]]\nid = \"same\"\nkind = \"short_text\"\nlabel = { ar = \"a\", en = \"a\" }\n\n[[fields]]\nid = \"same\"\nkind = \"short_text\"\nlabel = { ar = \"a\", en = \"a\" }\n",
    );
    let error = error_of(&two);
    assert_eq!(
        error,
        QuestionnaireError::Invalid {
            field: Some("same".into()),
            line: Some(12),
            problem: ConfigProblem::DuplicateId
        }
    );
    assert_eq!(
        error.to_string(),
        "line 12: field \"same\": another field already has this id"
    );
    for bad in ["Name", "1st", "with space", "dash-ed", ""] {
        let toml = with_fields(&format!(
            "\n[[fields]]\nid = \"{bad}\"\nkind = \"short_text\"\nlabel = {{ ar = \"a\", en = \"a\" }}\n"
        ));
        assert!(
            matches!(
                error_of(&toml),
                QuestionnaireError::Invalid {
                    problem: ConfigProblem::BadId(_),
                    ..
                }
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_questionnaire_itself_must_warn_and_ask_something() {
    assert_eq!(
        error_of(HEAD),
        QuestionnaireError::Invalid {
            field: None,
            line: None,
            problem: ConfigProblem::NoFields
        }
    );
    let no_warning = HEAD.replace("warning = { ar = \"تحذير\", en = \"Warning\" }\n", "");
    assert!(matches!(error_of(&no_warning), QuestionnaireError::Syntax { .. }));
    assert!(error_of(&no_warning).to_string().contains("warning"));
    let empty_warning = HEAD.replace("en = \"Warning\"", "en = \"  \"");
    assert!(matches!(
        error_of(&empty_warning),
        QuestionnaireError::Invalid {
            problem: ConfigProblem::EmptyText {
                what: "warning",
                locale: Locale::En
            },
            ..
        }
    ));
    let version_zero = HEAD.replace("version = 1", "version = 0");
    assert!(matches!(
        error_of(&version_zero),
        QuestionnaireError::Invalid {
            problem: ConfigProblem::BadVersion,
            line: Some(2),
            ..
        }
    ));
}
