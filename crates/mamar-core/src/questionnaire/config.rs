//! Reading a questionnaire file: TOML into private DTOs, then every rule a
//! questionnaire must satisfy, each failure naming the field and its line.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{ChoiceOption, Field, FieldKind, LocalText, Questionnaire};
use crate::locale::Locale;
use crate::text::is_bidi_control;

const MAX_FIELDS: usize = 100;
const MAX_OPTIONS: usize = 200;
const MAX_ID_CHARS: usize = 40;
const MAX_LABEL_CHARS: usize = 200;
const MAX_HELP_CHARS: usize = 1000;
const MAX_INTRO_CHARS: usize = 4000;
/// The longest text answer a questionnaire may allow, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
const DEFAULT_SHORT_MAX: usize = 200;
const DEFAULT_LONG_MAX: usize = 4000;

/// Why a questionnaire file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireError {
    /// Not valid TOML, or a key of the wrong type or unknown.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid TOML that breaks a rule.
    #[error("{}{}{problem}", line_prefix(*line), field_prefix(field.as_deref()))]
    Invalid {
        /// The field's id, when the problem is inside a field.
        field: Option<String>,
        line: Option<usize>,
        problem: ConfigProblem,
    },
}

fn line_prefix(line: Option<usize>) -> String {
    line.map(|line| format!("line {line}: ")).unwrap_or_default()
}

fn field_prefix(field: Option<&str>) -> String {
    field.map(|id| format!("field {id:?}: ")).unwrap_or_default()
}

/// The rules a questionnaire must satisfy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigProblem {
    #[error("the questionnaire has no fields")]
    NoFields,
    #[error("the questionnaire has more than {MAX_FIELDS} fields")]
    TooManyFields,
    #[error("the version must be 1 or more")]
    BadVersion,
    #[error(
        "ids must be 1 to {MAX_ID_CHARS} characters of a-z, 0-9 and _, starting with a letter (got {0:?})"
    )]
    BadId(String),
    #[error("another field already has this id")]
    DuplicateId,
    #[error("unknown kind {0:?}: use single_choice, multiple_choice, short_text, long_text or number")]
    UnknownKind(String),
    #[error("a choice field needs at least one option")]
    NoOptions,
    #[error("more than {MAX_OPTIONS} options")]
    TooManyOptions,
    #[error("only choice fields have options")]
    OptionsNotAllowed,
    #[error("option values must be 1 to {MAX_ID_CHARS} characters of a-z, 0-9, _ and - (got {0:?})")]
    BadOptionValue(String),
    #[error("option {0:?} appears twice")]
    DuplicateOption(String),
    #[error("{key} does not apply to a {kind} field")]
    LimitNotAllowed { key: &'static str, kind: &'static str },
    #[error("{0}")]
    BadLimits(&'static str),
    #[error("{what} ({locale}) is empty")]
    EmptyText { what: &'static str, locale: Locale },
    #[error("{what} ({locale}) is longer than {max} characters")]
    TextTooLong {
        what: &'static str,
        locale: Locale,
        max: usize,
    },
    #[error("{what} ({locale}) contains a control or bidirectional control character")]
    TextControl { what: &'static str, locale: Locale },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionnaireDto {
    id: Spanned<String>,
    version: Spanned<u32>,
    intro: TextDto,
    warning: TextDto,
    #[serde(default)]
    fields: Vec<FieldDto>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextDto {
    ar: String,
    en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldDto {
    id: Spanned<String>,
    kind: String,
    #[serde(default)]
    required: bool,
    label: TextDto,
    help: Option<TextDto>,
    min_chars: Option<usize>,
    max_chars: Option<usize>,
    max_choices: Option<usize>,
    min: Option<i64>,
    max: Option<i64>,
    options: Option<Vec<OptionDto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionDto {
    value: Spanned<String>,
    label: TextDto,
}

/// Where a problem is, to build errors without repeating the source text.
struct Place<'a> {
    source: &'a str,
    field: Option<String>,
    offset: Option<usize>,
}

impl Place<'_> {
    fn error(&self, problem: ConfigProblem) -> QuestionnaireError {
        QuestionnaireError::Invalid {
            field: self.field.clone(),
            line: self.offset.map(|offset| line_and_column(self.source, offset).0),
            problem,
        }
    }

    fn at(&self, offset: usize) -> Place<'_> {
        Place {
            source: self.source,
            field: self.field.clone(),
            offset: Some(offset),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
    (line, column)
}

pub(super) fn parse(source: &str) -> Result<Questionnaire, QuestionnaireError> {
    let dto: QuestionnaireDto = toml::from_str(source).map_err(|error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_and_column(source, span.start));
        QuestionnaireError::Syntax {
            line,
            column,
            message: error.message().trim().to_owned(),
        }
    })?;
    let top = Place {
        source,
        field: None,
        offset: None,
    };
    check_id(dto.id.get_ref(), &top.at(dto.id.span().start))?;
    if *dto.version.get_ref() == 0 {
        return Err(top.at(dto.version.span().start).error(ConfigProblem::BadVersion));
    }
    let intro = local_text(&dto.intro, "intro", MAX_INTRO_CHARS, true, &top)?;
    let warning = local_text(&dto.warning, "warning", MAX_INTRO_CHARS, true, &top)?;
    if dto.fields.is_empty() {
        return Err(top.error(ConfigProblem::NoFields));
    }
    if dto.fields.len() > MAX_FIELDS {
        return Err(top.error(ConfigProblem::TooManyFields));
    }
    let mut seen = HashSet::new();
    let mut fields = Vec::with_capacity(dto.fields.len());
    for field in dto.fields {
        let place = Place {
            source,
            field: Some(field.id.get_ref().clone()),
            offset: Some(field.id.span().start),
        };
        check_id(field.id.get_ref(), &place)?;
        if !seen.insert(field.id.get_ref().clone()) {
            return Err(place.error(ConfigProblem::DuplicateId));
        }
        fields.push(build_field(field, &place)?);
    }
    Ok(Questionnaire {
        id: dto.id.into_inner(),
        version: dto.version.into_inner(),
        intro,
        warning,
        fields,
    })
}

fn build_field(dto: FieldDto, place: &Place<'_>) -> Result<Field, QuestionnaireError> {
    let label = local_text(&dto.label, "label", MAX_LABEL_CHARS, false, place)?;
    let help = dto
        .help
        .as_ref()
        .map(|help| local_text(help, "help", MAX_HELP_CHARS, true, place))
        .transpose()?;
    let kind = match dto.kind.as_str() {
        "single_choice" => {
            refuse_limits(
                &dto,
                "single_choice",
                &["min_chars", "max_chars", "max_choices", "min", "max"],
                place,
            )?;
            FieldKind::SingleChoice {
                options: build_options(dto.options, place)?,
            }
        }
        "multiple_choice" => {
            refuse_limits(
                &dto,
                "multiple_choice",
                &["min_chars", "max_chars", "min", "max"],
                place,
            )?;
            let options = build_options(dto.options, place)?;
            if let Some(max) = dto.max_choices
                && (max == 0 || max > options.len())
            {
                return Err(place.error(ConfigProblem::BadLimits(
                    "max_choices must be between 1 and the number of options",
                )));
            }
            FieldKind::MultipleChoice {
                options,
                max_choices: dto.max_choices,
            }
        }
        kind @ ("short_text" | "long_text") => {
            let code = if kind == "short_text" {
                "short_text"
            } else {
                "long_text"
            };
            refuse_limits(&dto, code, &["max_choices", "min", "max", "options"], place)?;
            let default_max = if kind == "short_text" {
                DEFAULT_SHORT_MAX
            } else {
                DEFAULT_LONG_MAX
            };
            let max_chars = dto.max_chars.unwrap_or(default_max);
            let min_chars = dto.min_chars.unwrap_or(0);
            if max_chars == 0 || max_chars > MAX_TEXT_CHARS {
                return Err(place.error(ConfigProblem::BadLimits("max_chars must be between 1 and 20000")));
            }
            if min_chars > max_chars {
                return Err(place.error(ConfigProblem::BadLimits("min_chars is larger than max_chars")));
            }
            if kind == "short_text" {
                FieldKind::ShortText { min_chars, max_chars }
            } else {
                FieldKind::LongText { min_chars, max_chars }
            }
        }
        "number" => {
            refuse_limits(
                &dto,
                "number",
                &["min_chars", "max_chars", "max_choices", "options"],
                place,
            )?;
            let (Some(min), Some(max)) = (dto.min, dto.max) else {
                return Err(place.error(ConfigProblem::BadLimits("a number field needs min and max")));
            };
            if min > max {
                return Err(place.error(ConfigProblem::BadLimits("min is larger than max")));
            }
            FieldKind::Number { min, max }
        }
        other => {
            return Err(place.error(ConfigProblem::UnknownKind(other.chars().take(40).collect())));
        }
    };
    Ok(Field {
        id: dto.id.into_inner(),
        required: dto.required,
        label,
        help,
        kind,
    })
}

/// Refuses limit keys that mean nothing for this kind, so that a typo such
/// as `max_chars` on a choice field is not silently ignored.
fn refuse_limits(
    dto: &FieldDto,
    kind: &'static str,
    keys: &[&'static str],
    place: &Place<'_>,
) -> Result<(), QuestionnaireError> {
    for &key in keys {
        let present = match key {
            "min_chars" => dto.min_chars.is_some(),
            "max_chars" => dto.max_chars.is_some(),
            "max_choices" => dto.max_choices.is_some(),
            "min" => dto.min.is_some(),
            "max" => dto.max.is_some(),
            "options" => dto.options.is_some(),
            _ => false,
        };
        if present {
            let problem = if key == "options" {
                ConfigProblem::OptionsNotAllowed
            } else {
                ConfigProblem::LimitNotAllowed { key, kind }
            };
            return Err(place.error(problem));
        }
    }
    Ok(())
}

fn build_options(
    options: Option<Vec<OptionDto>>,
    place: &Place<'_>,
) -> Result<Vec<ChoiceOption>, QuestionnaireError> {
    let options = options.unwrap_or_default();
    if options.is_empty() {
        return Err(place.error(ConfigProblem::NoOptions));
    }
    if options.len() > MAX_OPTIONS {
        return Err(place.error(ConfigProblem::TooManyOptions));
    }
    let mut seen = HashSet::new();
    let mut built = Vec::with_capacity(options.len());
    for option in options {
        let at = place.at(option.value.span().start);
        let value = option.value.into_inner();
        let valid = (1..=MAX_ID_CHARS).contains(&value.chars().count())
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid {
            return Err(at.error(ConfigProblem::BadOptionValue(value.chars().take(60).collect())));
        }
        if !seen.insert(value.clone()) {
            return Err(at.error(ConfigProblem::DuplicateOption(value)));
        }
        let label = local_text(&option.label, "option label", MAX_LABEL_CHARS, false, &at)?;
        built.push(ChoiceOption { value, label });
    }
    Ok(built)
}

fn check_id(id: &str, place: &Place<'_>) -> Result<(), QuestionnaireError> {
    let mut chars = id.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= MAX_ID_CHARS;
    if valid {
        Ok(())
    } else {
        Err(place.error(ConfigProblem::BadId(id.chars().take(60).collect())))
    }
}

/// Checks both languages of a text: not empty, not too long, no control
/// characters (newlines only where `multiline`), no bidirectional controls.
fn local_text(
    dto: &TextDto,
    what: &'static str,
    max: usize,
    multiline: bool,
    place: &Place<'_>,
) -> Result<LocalText, QuestionnaireError> {
    for (locale, text) in [(Locale::Ar, &dto.ar), (Locale::En, &dto.en)] {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(place.error(ConfigProblem::EmptyText { what, locale }));
        }
        if trimmed.chars().count() > max {
            return Err(place.error(ConfigProblem::TextTooLong { what, locale, max }));
        }
        let bad = |c: char| is_bidi_control(c) || (c.is_control() && !(multiline && c == '\n'));
        if trimmed.chars().any(bad) {
            return Err(place.error(ConfigProblem::TextControl { what, locale }));
        }
    }
    Ok(LocalText::new(dto.ar.trim(), dto.en.trim()))
}
