//! Validated answers and their byte encoding (what gets sealed).
//!
//! Encoding, version 1 (all integers big-endian; `str` is a `u32` byte
//! length then that many bytes of UTF-8):
//!
//! ```text
//! magic "mamar-answers" (13 bytes) || version = 1 (u8)
//! questionnaire id (str) || questionnaire version (u32)
//! count (u32) || count × entry
//! entry = field id (str) || kind (u8) || value
//!   kind 1 choice:   option value (str)
//!   kind 2 choices:  n (u32) || n × option value (str)
//!   kind 3 text:     text (str)
//!   kind 4 number:   i64
//! ```
//!
//! Entries appear in questionnaire order, each field at most once. The
//! decoder refuses anything else: a wrong magic or version, bad UTF-8, an
//! unknown kind, a repeated field, a length past the end, trailing bytes.

use std::fmt;

use super::Questionnaire;
use crate::locale::Locale;
use crate::sensitive::REDACTED;

const MAGIC: &[u8] = b"mamar-answers";
const VERSION: u8 = 1;

const KIND_CHOICE: u8 = 1;
const KIND_CHOICES: u8 = 2;
const KIND_TEXT: u8 = 3;
const KIND_NUMBER: u8 = 4;

/// One answer's value.
#[derive(Clone, PartialEq, Eq)]
pub enum AnswerValue {
    /// The option value of a single-choice field.
    Choice(String),
    /// The option values of a multiple-choice field, in option order.
    Choices(Vec<String>),
    /// A short or long text.
    Text(String),
    Number(i64),
}

/// A requester's answers to one questionnaire. They are personal data:
/// `Debug` shows which fields were answered, never the values.
#[derive(Clone, PartialEq, Eq)]
pub struct Answers {
    questionnaire_id: String,
    questionnaire_version: u32,
    entries: Vec<(String, AnswerValue)>,
}

/// Why bytes are not an encoded answer set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswersDecodeError {
    #[error("these bytes are not mamar answers")]
    NotAnswers,
    #[error("answers format version {0} is not supported by this version of mamar")]
    UnsupportedVersion(u8),
    #[error("the answers end too early")]
    Truncated,
    #[error("the answers contain text that is not UTF-8")]
    InvalidUtf8,
    #[error("unknown answer kind {0}")]
    UnknownKind(u8),
    #[error("a field is answered twice")]
    RepeatedField,
    #[error("bytes follow the end of the answers")]
    TrailingBytes,
}

/// An answer ready to show a staff member: the field's label and the
/// values' labels in one locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayedAnswer {
    pub field_id: String,
    /// The field's label, or its id if the questionnaire no longer has it.
    pub label: String,
    /// Option labels (or the stored value if the option no longer exists),
    /// the text, or the number.
    pub values: Vec<String>,
}

impl Answers {
    pub(super) fn new(
        questionnaire_id: String,
        questionnaire_version: u32,
        entries: Vec<(String, AnswerValue)>,
    ) -> Self {
        Answers {
            questionnaire_id,
            questionnaire_version,
            entries,
        }
    }

    /// The id of the questionnaire that was answered.
    pub fn questionnaire_id(&self) -> &str {
        &self.questionnaire_id
    }

    /// Its version when it was answered.
    pub fn questionnaire_version(&self) -> u32 {
        self.questionnaire_version
    }

    /// The answered fields, in questionnaire order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AnswerValue)> {
        self.entries.iter().map(|(id, value)| (id.as_str(), value))
    }

    pub fn get(&self, field_id: &str) -> Option<&AnswerValue> {
        self.entries
            .iter()
            .find(|(id, _)| id == field_id)
            .map(|(_, value)| value)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Only what the requester typed (texts and numbers), not what they
    /// chose from a list: what their own copy of the request keeps.
    pub fn typed_part(&self) -> Answers {
        Answers {
            questionnaire_id: self.questionnaire_id.clone(),
            questionnaire_version: self.questionnaire_version,
            entries: self
                .entries
                .iter()
                .filter(|(_, value)| matches!(value, AnswerValue::Text(_) | AnswerValue::Number(_)))
                .cloned()
                .collect(),
        }
    }

    /// The answers with labels in `locale`, for the staff inbox. Labels come
    /// from `questionnaire` (normally the current one); answers to fields or
    /// options it no longer has are shown by their stored ids.
    pub fn display(&self, questionnaire: &Questionnaire, locale: Locale) -> Vec<DisplayedAnswer> {
        self.entries
            .iter()
            .map(|(id, value)| {
                let field = questionnaire.field(id);
                let option_label = |value: &String| {
                    field
                        .and_then(|field| field.option_label(value, locale))
                        .unwrap_or(value)
                        .to_owned()
                };
                let values = match value {
                    AnswerValue::Choice(value) => vec![option_label(value)],
                    AnswerValue::Choices(values) => values.iter().map(option_label).collect(),
                    AnswerValue::Text(text) => vec![text.clone()],
                    AnswerValue::Number(n) => vec![n.to_string()],
                };
                DisplayedAnswer {
                    field_id: id.clone(),
                    label: field.map_or(id.as_str(), |field| field.label(locale)).to_owned(),
                    values,
                }
            })
            .collect()
    }

    /// The stable encoding described in the module documentation.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        put_str(&mut out, &self.questionnaire_id);
        out.extend_from_slice(&self.questionnaire_version.to_be_bytes());
        put_len(&mut out, self.entries.len());
        for (id, value) in &self.entries {
            put_str(&mut out, id);
            match value {
                AnswerValue::Choice(value) => {
                    out.push(KIND_CHOICE);
                    put_str(&mut out, value);
                }
                AnswerValue::Choices(values) => {
                    out.push(KIND_CHOICES);
                    put_len(&mut out, values.len());
                    for value in values {
                        put_str(&mut out, value);
                    }
                }
                AnswerValue::Text(text) => {
                    out.push(KIND_TEXT);
                    put_str(&mut out, text);
                }
                AnswerValue::Number(n) => {
                    out.push(KIND_NUMBER);
                    out.extend_from_slice(&n.to_be_bytes());
                }
            }
        }
        out
    }

    /// Decodes [`Answers::to_bytes`] output. Never panics; refuses anything
    /// that encoder would not have written.
    pub fn from_bytes(bytes: &[u8]) -> Result<Answers, AnswersDecodeError> {
        let mut reader = Reader { rest: bytes };
        if reader.take(MAGIC.len()).ok() != Some(MAGIC) {
            return Err(AnswersDecodeError::NotAnswers);
        }
        let version = reader.u8()?;
        if version != VERSION {
            return Err(AnswersDecodeError::UnsupportedVersion(version));
        }
        let questionnaire_id = reader.string()?;
        let questionnaire_version = reader.u32()?;
        // Each entry takes at least 6 bytes, so a count past that is a lie
        // and must not size an allocation.
        let count = reader.count(6)?;
        let mut entries: Vec<(String, AnswerValue)> = Vec::with_capacity(count);
        for _ in 0..count {
            let id = reader.string()?;
            if entries.iter().any(|(seen, _)| *seen == id) {
                return Err(AnswersDecodeError::RepeatedField);
            }
            let value = match reader.u8()? {
                KIND_CHOICE => AnswerValue::Choice(reader.string()?),
                KIND_CHOICES => {
                    let n = reader.count(4)?;
                    let mut values = Vec::with_capacity(n);
                    for _ in 0..n {
                        values.push(reader.string()?);
                    }
                    AnswerValue::Choices(values)
                }
                KIND_TEXT => AnswerValue::Text(reader.string()?),
                KIND_NUMBER => AnswerValue::Number(i64::from_be_bytes(reader.array()?)),
                other => return Err(AnswersDecodeError::UnknownKind(other)),
            };
            entries.push((id, value));
        }
        if !reader.rest.is_empty() {
            return Err(AnswersDecodeError::TrailingBytes);
        }
        Ok(Answers {
            questionnaire_id,
            questionnaire_version,
            entries,
        })
    }
}

impl fmt::Debug for Answers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<&str> = self.entries.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("Answers")
            .field("questionnaire", &self.questionnaire_id)
            .field("version", &self.questionnaire_version)
            .field("answered", &fields)
            .field("values", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            AnswerValue::Choice(_) => "Choice",
            AnswerValue::Choices(_) => "Choices",
            AnswerValue::Text(_) => "Text",
            AnswerValue::Number(_) => "Number",
        };
        write!(f, "{kind}({REDACTED})")
    }
}

/// Lengths are bounded by the web layer's body limit, far below 4 GiB; a
/// longer value would be a bug upstream, and is cut rather than wrapped.
fn put_len(out: &mut Vec<u8>, len: usize) {
    out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let len = bytes.len().min(u32::MAX as usize);
    put_len(out, len);
    out.extend_from_slice(bytes.get(..len).unwrap_or(bytes));
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], AnswersDecodeError> {
        if n > self.rest.len() {
            return Err(AnswersDecodeError::Truncated);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], AnswersDecodeError> {
        self.take(N)?
            .try_into()
            .map_err(|_| AnswersDecodeError::Truncated)
    }

    fn u8(&mut self) -> Result<u8, AnswersDecodeError> {
        let [byte] = self.array::<1>()?;
        Ok(byte)
    }

    fn u32(&mut self) -> Result<u32, AnswersDecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A count of items that each take at least `min_item_len` bytes.
    fn count(&mut self, min_item_len: usize) -> Result<usize, AnswersDecodeError> {
        let count = usize::try_from(self.u32()?).map_err(|_| AnswersDecodeError::Truncated)?;
        if count.saturating_mul(min_item_len) > self.rest.len() {
            return Err(AnswersDecodeError::Truncated);
        }
        Ok(count)
    }

    fn string(&mut self) -> Result<String, AnswersDecodeError> {
        let len = usize::try_from(self.u32()?).map_err(|_| AnswersDecodeError::Truncated)?;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| AnswersDecodeError::InvalidUtf8)
    }
}
