//! Between the questionnaire and codenames of `mamar-core` and the pages:
//! form views with what was entered and a message per problem, and answers
//! shown to staff in their language. (Codenames are made and read back by
//! `mamar_usecases::intake`, for every channel.)

use std::collections::HashMap;

use mamar_core::Locale;
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
                    .map(|problem| tr.t(mamar_usecases::intake::problem_message(*problem))),
            }
        })
        .collect()
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
