//! Checking what a requester's form sent against the questionnaire.
//!
//! Rules, per field: values are trimmed and empty ones count as absent; a
//! field other than multiple choice may be sent once; choices must be one of
//! the field's option values, exactly; text must fit its limits (counted in
//! characters) and hold no control characters (long text keeps newlines and
//! tabs; CR LF becomes LF) and no bidirectional control characters; numbers
//! are whole, in range, in ASCII or Arabic-Indic digits. Markup such as
//! `<script>` is ordinary text here: escaping is the template's job.
//! Every field is checked, so the form can show every problem at once.

use std::collections::HashMap;

use super::answers::{AnswerValue, Answers};
use super::{Field, FieldKind, Questionnaire};
use crate::text::is_bidi_control;

/// A problem with one field of a submitted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's id (the form input's name).
    pub field: String,
    pub problem: FieldProblem,
}

/// What is wrong with a field's value. The web layer maps each variant to a
/// message in the requester's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    #[error("this field is required")]
    Missing,
    #[error("this field was sent more than once")]
    Repeated,
    #[error("this is not one of the choices")]
    NotAnOption,
    #[error("at most {max} choices")]
    TooManyChoices { max: usize },
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("shorter than {min} characters")]
    TooShort { min: usize },
    #[error("contains a control character")]
    ControlCharacter,
    #[error("contains a bidirectional control character")]
    BidiControl,
    #[error("not a whole number")]
    NotANumber,
    #[error("must be between {min} and {max}")]
    OutOfRange { min: i64, max: i64 },
}

pub(super) fn validate(
    questionnaire: &Questionnaire,
    pairs: &[(String, String)],
) -> Result<Answers, Vec<FieldError>> {
    let (answers, errors) = check_all(questionnaire, pairs);
    if errors.is_empty() {
        Ok(Answers::new(
            questionnaire.id.clone(),
            questionnaire.version,
            answers,
        ))
    } else {
        Err(errors)
    }
}

/// The answers among `pairs` that pass their field's checks; fields that fail
/// (or are required and absent) are left out rather than refused.
pub(super) fn accepted_part(questionnaire: &Questionnaire, pairs: &[(String, String)]) -> Answers {
    let (answers, _) = check_all(questionnaire, pairs);
    Answers::new(questionnaire.id.clone(), questionnaire.version, answers)
}

type Checked = (Vec<(String, AnswerValue)>, Vec<FieldError>);

fn check_all(questionnaire: &Questionnaire, pairs: &[(String, String)]) -> Checked {
    let mut sent: HashMap<&str, Vec<&str>> = HashMap::with_capacity(questionnaire.fields.len());
    for field in &questionnaire.fields {
        sent.insert(field.id.as_str(), Vec::new());
    }
    for (key, value) in pairs {
        if let Some(values) = sent.get_mut(key.as_str()) {
            let value = value.trim();
            if !value.is_empty() {
                values.push(value);
            }
        }
    }

    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for field in &questionnaire.fields {
        let values = sent.get(field.id.as_str()).map(Vec::as_slice).unwrap_or_default();
        match check_field(field, values) {
            Ok(Some(value)) => answers.push((field.id.clone(), value)),
            Ok(None) => {}
            Err(problem) => errors.push(FieldError {
                field: field.id.clone(),
                problem,
            }),
        }
    }
    (answers, errors)
}

fn check_field(field: &Field, values: &[&str]) -> Result<Option<AnswerValue>, FieldProblem> {
    if values.is_empty() {
        return if field.required {
            Err(FieldProblem::Missing)
        } else {
            Ok(None)
        };
    }
    if let FieldKind::MultipleChoice { options, max_choices } = &field.kind {
        let mut ticked = vec![false; options.len()];
        for value in values {
            let position = options
                .iter()
                .position(|option| option.value == *value)
                .ok_or(FieldProblem::NotAnOption)?;
            if let Some(slot) = ticked.get_mut(position) {
                *slot = true;
            }
        }
        let chosen: Vec<String> = options
            .iter()
            .zip(&ticked)
            .filter(|(_, ticked)| **ticked)
            .map(|(option, _)| option.value.clone())
            .collect();
        if let Some(max) = *max_choices
            && chosen.len() > max
        {
            return Err(FieldProblem::TooManyChoices { max });
        }
        return Ok(Some(AnswerValue::Choices(chosen)));
    }
    let [value] = values else {
        return Err(FieldProblem::Repeated);
    };
    let answer = match &field.kind {
        FieldKind::SingleChoice { options } => {
            let option = options
                .iter()
                .find(|option| option.value == *value)
                .ok_or(FieldProblem::NotAnOption)?;
            AnswerValue::Choice(option.value.clone())
        }
        FieldKind::ShortText { min_chars, max_chars } => {
            AnswerValue::Text(check_text(value, false, *min_chars, *max_chars)?)
        }
        FieldKind::LongText { min_chars, max_chars } => {
            AnswerValue::Text(check_text(value, true, *min_chars, *max_chars)?)
        }
        FieldKind::Number { min, max } => {
            let number = parse_number(value).ok_or(FieldProblem::NotANumber)?;
            match number {
                Some(n) if (*min..=*max).contains(&n) => AnswerValue::Number(n),
                _ => return Err(FieldProblem::OutOfRange { min: *min, max: *max }),
            }
        }
        FieldKind::MultipleChoice { .. } => return Err(FieldProblem::Repeated),
    };
    Ok(Some(answer))
}

/// Checks one text value (already trimmed and not empty) and returns it with
/// line endings made uniform.
fn check_text(value: &str, multiline: bool, min: usize, max: usize) -> Result<String, FieldProblem> {
    let text = if multiline {
        value.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        value.to_owned()
    };
    let mut count = 0usize;
    for c in text.chars() {
        if is_bidi_control(c) {
            return Err(FieldProblem::BidiControl);
        }
        let allowed_control = multiline && (c == '\n' || c == '\t');
        if (c.is_control() && !allowed_control) || c == '\u{2028}' || c == '\u{2029}' {
            return Err(FieldProblem::ControlCharacter);
        }
        count += 1;
    }
    if count > max {
        return Err(FieldProblem::TooLong { max });
    }
    if count < min {
        return Err(FieldProblem::TooShort { min });
    }
    Ok(text)
}

/// A whole number written with an optional sign and ASCII, Arabic-Indic
/// (٠-٩) or Eastern Arabic-Indic (۰-۹) digits. `None` when it is not a
/// number; `Some(None)` when it is one but does not fit an `i64`.
fn parse_number(text: &str) -> Option<Option<i64>> {
    let (negative, digits) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: Option<i64> = Some(0);
    for c in digits.chars() {
        let digit = digit_value(c)?;
        value = value.and_then(|v| v.checked_mul(10)).and_then(|v| {
            if negative {
                v.checked_sub(digit)
            } else {
                v.checked_add(digit)
            }
        });
    }
    Some(value)
}

fn digit_value(c: char) -> Option<i64> {
    let zero = match c {
        '0'..='9' => '0',
        '٠'..='٩' => '٠',
        '۰'..='۹' => '۰',
        _ => return None,
    };
    Some(i64::from(u32::from(c) - u32::from(zero)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_digit_set() {
        assert_eq!(parse_number("12"), Some(Some(12)));
        assert_eq!(parse_number("١٢"), Some(Some(12)));
        assert_eq!(parse_number("۱۲"), Some(Some(12)));
        assert_eq!(parse_number("-3"), Some(Some(-3)));
        assert_eq!(parse_number("+3"), Some(Some(3)));
        assert_eq!(parse_number("99999999999999999999"), Some(None));
        assert_eq!(parse_number("-9223372036854775808"), Some(Some(i64::MIN)));
        assert_eq!(parse_number("1.5"), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number("12a"), None);
    }
}
