//! Between the questionnaire and codenames of `mamar-core` and the pages:
//! form views with what was entered and a message per problem, validation,
//! fresh codenames from the OS random number generator, and answers shown
//! to staff in their language.

use std::collections::HashMap;

use mamar_core::Locale;
use mamar_core::codename::Codename as Words;
use mamar_core::questionnaire::{FieldKind as QuestionKind, FieldProblem, Questionnaire};

use crate::i18n::Tr;

/// How a field is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Choice,
    Multi,
    Text,
    LongText,
}

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct FieldView {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub options: Vec<OptionView>,
    pub value: String,
    pub max_chars: usize,
    pub error: Option<String>,
}

fn problem_key(problem: FieldProblem) -> &'static str {
    match problem {
        FieldProblem::Missing | FieldProblem::TooShort { .. } => "field-missing",
        FieldProblem::NotAnOption | FieldProblem::TooManyChoices { .. } => "field-not-an-option",
        FieldProblem::TooLong { .. } => "field-too-long",
        FieldProblem::ControlCharacter | FieldProblem::BidiControl => "field-control-character",
        FieldProblem::Repeated | FieldProblem::NotANumber | FieldProblem::OutOfRange { .. } => {
            "field-invalid"
        }
    }
}

/// The form, filled with what was sent and a message on each field with a problem.
pub fn form(
    questionnaire: &Questionnaire,
    locale: Locale,
    sent: &[(String, String)],
    problems: &HashMap<String, FieldProblem>,
) -> Vec<FieldView> {
    let tr = Tr::new(locale);
    questionnaire
        .fields()
        .iter()
        .map(|field| {
            let values: Vec<&str> = sent
                .iter()
                .filter(|(name, _)| name == field.id())
                .map(|(_, value)| value.as_str())
                .collect();
            let (kind, max_chars) = match field.kind() {
                QuestionKind::SingleChoice { .. } => (FieldKind::Choice, 0),
                QuestionKind::MultipleChoice { .. } => (FieldKind::Multi, 0),
                QuestionKind::ShortText { max_chars, .. } => (FieldKind::Text, *max_chars),
                QuestionKind::LongText { max_chars, .. } => (FieldKind::LongText, *max_chars),
                QuestionKind::Number { .. } => (FieldKind::Text, 20),
            };
            FieldView {
                id: field.id().to_owned(),
                kind,
                label: field.label(locale).to_owned(),
                help: field.help(locale).unwrap_or_default().to_owned(),
                required: field.required(),
                options: field
                    .kind()
                    .options()
                    .iter()
                    .map(|option| OptionView {
                        value: option.value().to_owned(),
                        label: option.label(locale).to_owned(),
                        checked: values.contains(&option.value()),
                    })
                    .collect(),
                value: values.first().map(|v| (*v).to_owned()).unwrap_or_default(),
                max_chars,
                error: problems
                    .get(field.id())
                    .map(|problem| tr.t(problem_key(*problem))),
            }
        })
        .collect()
}

/// A fresh codename in `locale`, from the operating system's random generator.
/// The random values for all seven words come from one call to the OS (32
/// bytes, one more such call in the rare case rejection sampling needs more).
pub fn new_codename(locale: Locale) -> Result<String, mamar_crypto::CryptoError> {
    let mut pool = zeroize::Zeroizing::new([0u8; 32]);
    let mut used = pool.len();
    let words = Words::generate(locale, || {
        if used == pool.len() {
            *pool = mamar_crypto::random_bytes::<32>()?;
            used = 0;
        }
        let mut value = [0u8; 4];
        value.copy_from_slice(&pool[used..used + 4]);
        used += 4;
        Ok::<_, mamar_crypto::CryptoError>(u32::from_le_bytes(value))
    })
    .map_err(|_| mamar_crypto::CryptoError::Decrypt)?;
    Ok(words.canonical())
}

/// What a returning requester typed, as the canonical codename, if it is one.
pub fn parse_codename(typed: &str) -> Option<String> {
    Words::parse(None, typed).ok().map(|words| words.canonical())
}

/// Sealed answers, opened, as (question, answer) in the reader's language.
/// `None` when the bytes are not answers this version can read.
pub fn describe_answers(
    questionnaire: &Questionnaire,
    bytes: &[u8],
    locale: Locale,
) -> Option<Vec<(String, String)>> {
    let answers = mamar_core::questionnaire::Answers::from_bytes(bytes).ok()?;
    Some(
        answers
            .display(questionnaire, locale)
            .into_iter()
            .map(|shown| (shown.label, shown.values.join("، ")))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use mamar_crypto::{Codename, RequesterKeys};

    use super::parse_codename;
    use crate::intake::CODENAME_KDF;

    fn lookup_tag(typed: &str) -> String {
        let canonical = parse_codename(typed).unwrap();
        let keys = RequesterKeys::derive(
            &Codename::new(canonical),
            b"a fixed organisation salt",
            &CODENAME_KDF,
        )
        .unwrap();
        crate::pages::inbox::hex(keys.lookup_tag().as_bytes())
    }

    /// A codename given today must find its request after any upgrade: the word lists, the
    /// normalisation of what is typed, the derivation and its parameters all feed this value.
    #[test]
    fn a_codename_given_today_finds_its_request_after_any_upgrade() {
        assert_eq!(
            lookup_tag("  Aground ahead   AHOY aide aids aim ajar "),
            "3ef487f1d56562a9c9f2cc0ce470c8833bbc623e766f75a365a04b0e0e64d20b"
        );
        let arabic = "e2b72b8eb4085db3d9676e1ad93a30e175cd107522b8c751eec464a4847e8fce";
        assert_eq!(lookup_tag("أجر أجرة أجرت أجرى أجريت أجزاء أجزم"), arabic);
        // Typed with short vowels and a bare alif, as a phone keyboard may give it.
        assert_eq!(lookup_tag("أَجر اجرة أجرت أجرى أجريت أجزاء أجزم"), arabic);
    }
}
