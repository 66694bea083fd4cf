//! The languages mamar speaks. Arabic comes first and is the default.

use std::fmt;
use std::str::FromStr;

/// A user-interface language. A new language is a new variant plus a folder
/// of Fluent files in the web crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    Ar,
    En,
}

/// Text direction of a locale, as HTML's `dir` attribute spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Rtl,
    Ltr,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
        }
    }
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ar, Locale::En];

    /// The BCP 47 tag, as used in URLs, `lang` attributes and Fluent.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Ar => "ar",
            Locale::En => "en",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Locale::Ar => Direction::Rtl,
            Locale::En => Direction::Ltr,
        }
    }

    /// The language's own name for itself, for a language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ar => "العربية",
            Locale::En => "English",
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: use one of ar, en")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ar" => Ok(Locale::Ar),
            "en" => Ok(Locale::En),
            other => Err(UnknownLocale(other.chars().take(16).collect())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_is_the_default_and_right_to_left() {
        assert_eq!(Locale::default(), Locale::Ar);
        assert_eq!(Locale::Ar.direction().as_str(), "rtl");
        assert_eq!(Locale::En.direction().as_str(), "ltr");
    }

    #[test]
    fn parses_codes_case_insensitively_and_rejects_others() {
        assert_eq!("AR".parse::<Locale>(), Ok(Locale::Ar));
        assert_eq!(" en ".parse::<Locale>(), Ok(Locale::En));
        assert!("fr".parse::<Locale>().is_err());
        for locale in Locale::ALL {
            assert_eq!(locale.code().parse::<Locale>(), Ok(locale));
        }
    }
}
