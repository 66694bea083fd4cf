//! The intake questionnaire: what a requester is asked, defined by the
//! organisation in a TOML file (both languages, kinds, limits), checked when
//! it is loaded, and used to validate what a form sends.
//!
//! - [`Questionnaire::from_toml`] reads and checks a configuration file;
//!   [`Questionnaire::default_shipped`] is the one mamar ships
//!   (`questionnaires/default.toml`).
//! - [`Questionnaire::validate`] turns raw form pairs into [`Answers`] or a
//!   list of [`FieldError`]s for the web layer to show in the requester's
//!   language.
//! - [`Answers::to_bytes`] is the stable, versioned encoding that gets sealed
//!   to the organisation's intake key.
//!
//! Every questionnaire carries a warning, shown with the form, not to send
//! military information (positions, unit strengths, targets): mamar is not
//! an intelligence tool and its forms must not invite such data.

mod answers;
mod config;
mod validate;

pub use answers::{AnswerValue, Answers, AnswersDecodeError, DisplayedAnswer};
pub use config::{ConfigProblem, QuestionnaireError};
pub use validate::{FieldError, FieldProblem};

use crate::locale::Locale;

/// The questionnaire file mamar ships with.
pub const DEFAULT_TOML: &str = include_str!("../../questionnaires/default.toml");

/// A text in every user-interface language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalText {
    ar: String,
    en: String,
}

impl LocalText {
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Self {
        LocalText {
            ar: ar.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ar => &self.ar,
            Locale::En => &self.en,
        }
    }
}

/// A checked questionnaire. Built only by [`Questionnaire::from_toml`], so
/// every instance satisfies the rules listed in [`ConfigProblem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionnaire {
    id: String,
    version: u32,
    intro: LocalText,
    warning: LocalText,
    fields: Vec<Field>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    id: String,
    required: bool,
    label: LocalText,
    help: Option<LocalText>,
    kind: FieldKind,
}

/// What kind of answer a field takes, with its limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One option (radio buttons or a select).
    SingleChoice { options: Vec<ChoiceOption> },
    /// Any number of options, up to `max_choices` (checkboxes).
    MultipleChoice {
        options: Vec<ChoiceOption>,
        max_choices: Option<usize>,
    },
    /// One line of text.
    ShortText { min_chars: usize, max_chars: usize },
    /// Several lines of text (newlines and tabs allowed).
    LongText { min_chars: usize, max_chars: usize },
    /// A whole number in `min..=max`.
    Number { min: i64, max: i64 },
}

impl FieldKind {
    /// The name used in configuration files.
    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::SingleChoice { .. } => "single_choice",
            FieldKind::MultipleChoice { .. } => "multiple_choice",
            FieldKind::ShortText { .. } => "short_text",
            FieldKind::LongText { .. } => "long_text",
            FieldKind::Number { .. } => "number",
        }
    }

    /// The options of a choice field; empty for other kinds.
    pub fn options(&self) -> &[ChoiceOption] {
        match self {
            FieldKind::SingleChoice { options } | FieldKind::MultipleChoice { options, .. } => options,
            _ => &[],
        }
    }
}

/// An option of a choice field: a stable value (what is stored) and its
/// labels (what is shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceOption {
    value: String,
    label: LocalText,
}

impl ChoiceOption {
    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn label(&self, locale: Locale) -> &str {
        self.label.get(locale)
    }
}

impl Field {
    /// The stable id: the form's input name and the key answers are stored under.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn required(&self) -> bool {
        self.required
    }

    pub fn label(&self, locale: Locale) -> &str {
        self.label.get(locale)
    }

    pub fn help(&self, locale: Locale) -> Option<&str> {
        self.help.as_ref().map(|help| help.get(locale))
    }

    pub fn kind(&self) -> &FieldKind {
        &self.kind
    }

    /// The label of option `value` in `locale`, if the field has that option.
    pub fn option_label(&self, value: &str, locale: Locale) -> Option<&str> {
        self.kind
            .options()
            .iter()
            .find(|option| option.value == value)
            .map(|option| option.label(locale))
    }
}

impl Questionnaire {
    /// Reads and checks a questionnaire from the text of a TOML file.
    pub fn from_toml(source: &str) -> Result<Questionnaire, QuestionnaireError> {
        config::parse(source)
    }

    /// The questionnaire shipped with mamar (`questionnaires/default.toml`).
    pub fn default_shipped() -> Questionnaire {
        // The shipped file is checked by the tests; should it ever fail to
        // load, an empty questionnaire would silently accept nothing, so fall
        // back to the smallest form that still asks and warns.
        Questionnaire::from_toml(DEFAULT_TOML).unwrap_or_else(|_| Questionnaire::minimal())
    }

    fn minimal() -> Questionnaire {
        Questionnaire {
            id: "minimal".into(),
            version: 1,
            intro: LocalText::new("", ""),
            warning: LocalText::new(
                "لا ترسل أي معلومات عسكرية: لا مواقع، ولا أعداد الوحدات، ولا أهداف.",
                "Do not send military information: no positions, no unit strengths, no targets.",
            ),
            fields: vec![Field {
                id: "message".into(),
                required: true,
                label: LocalText::new("رسالتك", "Your message"),
                help: None,
                kind: FieldKind::LongText {
                    min_chars: 1,
                    max_chars: crate::text::MAX_MESSAGE_CHARS,
                },
            }],
        }
    }

    /// The questionnaire's id, stored with every answer set.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The version of the questionnaire, stored with every answer set.
    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn intro(&self, locale: Locale) -> &str {
        self.intro.get(locale)
    }

    /// The warning not to send military information, shown with the form.
    pub fn warning(&self, locale: Locale) -> &str {
        self.warning.get(locale)
    }

    /// The fields, in the order the form shows them.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.id == id)
    }

    /// Checks what a form sent: `pairs` are the decoded
    /// `application/x-www-form-urlencoded` pairs, a multiple-choice field
    /// repeating its key once per ticked box. Keys that are not fields
    /// (a CSRF token, the submit button) are ignored and never stored.
    pub fn validate(&self, pairs: &[(String, String)]) -> Result<Answers, Vec<FieldError>> {
        validate::validate(self, pairs)
    }

    /// What arrives from elsewhere than the form and cannot be sent back to
    /// be corrected (a partner organisation's referral file): the answers
    /// among `pairs` that pass their field's checks, every other pair and any
    /// required field left unanswered rather than refused.
    pub fn accepted_part(&self, pairs: &[(String, String)]) -> Answers {
        validate::accepted_part(self, pairs)
    }
}
