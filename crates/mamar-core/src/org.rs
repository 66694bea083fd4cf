//! The organisation that runs a mamar instance. Its names are public: they
//! appear on the call page and in signed contact cards.

use crate::locale::Locale;
use crate::text::{TextError, single_line};

pub const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    name_ar: String,
    name_en: String,
    default_locale: Locale,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    #[error("the organisation's Arabic name {0}")]
    ArabicName(TextError),
    #[error("the organisation's English name {0}")]
    EnglishName(TextError),
}

impl Organisation {
    pub fn new(name_ar: &str, name_en: &str, default_locale: Locale) -> Result<Self, OrganisationError> {
        Ok(Organisation {
            name_ar: single_line(name_ar, MAX_NAME_CHARS).map_err(OrganisationError::ArabicName)?,
            name_en: single_line(name_en, MAX_NAME_CHARS).map_err(OrganisationError::EnglishName)?,
            default_locale,
        })
    }

    /// The name to show to a reader of `locale`.
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ar => &self.name_ar,
            Locale::En => &self.name_en,
        }
    }

    pub fn name_ar(&self) -> &str {
        &self.name_ar
    }

    pub fn name_en(&self) -> &str {
        &self.name_en
    }

    pub fn default_locale(&self) -> Locale {
        self.default_locale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_reader_locale() {
        let org = Organisation::new("ممر", "Safe Passage", Locale::Ar).unwrap();
        assert_eq!(org.name(Locale::Ar), "ممر");
        assert_eq!(org.name(Locale::En), "Safe Passage");
        assert_eq!(org.default_locale(), Locale::Ar);
    }

    #[test]
    fn says_which_name_is_wrong() {
        let err = Organisation::new("ممر", "", Locale::En).unwrap_err();
        assert_eq!(err.to_string(), "the organisation's English name is empty");
        let err = Organisation::new("م\u{202E}ر", "x", Locale::En).unwrap_err();
        assert!(err.to_string().starts_with("the organisation's Arabic name"));
    }
}
