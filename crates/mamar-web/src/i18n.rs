//! Translations with Fluent. Every user-facing string lives in
//! `locales/<lang>/*.ftl`; the files are compiled into the binary and
//! checked for completeness by the tests. Arabic plural rules (six forms:
//! zero, one, two, few, many, other) come from the CLDR rules in
//! `intl_pluralrules`, which Fluent applies for the `ar` locale.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use mamar_core::Locale;

/// The translation files, by locale. A new locale adds its files here.
const SOURCES: [(Locale, &str); 2] = [
    (
        Locale::Ar,
        concat!(
            include_str!("../locales/ar/main.ftl"),
            "\n",
            include_str!("../locales/ar/cases.ftl"),
            "\n",
            include_str!("../locales/ar/telegram.ftl"),
            "\n",
            include_str!("../locales/ar/journey.ftl"),
            "\n",
            include_str!("../locales/ar/registry.ftl"),
            "\n",
            include_str!("../locales/ar/partners.ftl"),
            "\n",
            include_str!("../locales/ar/export.ftl")
        ),
    ),
    (
        Locale::En,
        concat!(
            include_str!("../locales/en/main.ftl"),
            "\n",
            include_str!("../locales/en/cases.ftl"),
            "\n",
            include_str!("../locales/en/telegram.ftl"),
            "\n",
            include_str!("../locales/en/journey.ftl"),
            "\n",
            include_str!("../locales/en/registry.ftl"),
            "\n",
            include_str!("../locales/en/partners.ftl"),
            "\n",
            include_str!("../locales/en/export.ftl")
        ),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("translation file for {locale} does not parse: {detail}")]
    Syntax { locale: Locale, detail: String },
    #[error("translation file for {locale} defines a message twice: {detail}")]
    Duplicate { locale: Locale, detail: String },
}

pub struct I18n {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

/// The shipped translations, loaded once. They are part of the binary, so a
/// broken file is a build defect that `I18n::load_strict` (run by the tests)
/// reports; at run time whatever parsed is used and gaps show their keys.
static SHIPPED: LazyLock<I18n> = LazyLock::new(|| I18n::load(false).unwrap_or_else(|_| I18n::empty()));

pub fn shipped() -> &'static I18n {
    &SHIPPED
}

impl I18n {
    fn empty() -> Self {
        I18n {
            bundles: HashMap::new(),
        }
    }

    /// Loads the built-in translations and fails on any syntax error or
    /// duplicate message.
    pub fn load_strict() -> Result<Self, I18nError> {
        Self::load(true)
    }

    fn load(strict: bool) -> Result<Self, I18nError> {
        let mut bundles = HashMap::new();
        for (locale, source) in SOURCES {
            let resource = match FluentResource::try_new(source.to_owned()) {
                Ok(resource) => resource,
                Err((_, errors)) if strict => {
                    return Err(I18nError::Syntax {
                        locale,
                        detail: format!("{errors:?}"),
                    });
                }
                Err((partial, _)) => partial,
            };
            let langid: unic_langid::LanguageIdentifier = match locale {
                Locale::Ar => unic_langid::langid!("ar"),
                Locale::En => unic_langid::langid!("en"),
            };
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            if let Err(errors) = bundle.add_resource(resource)
                && strict
            {
                return Err(I18nError::Duplicate {
                    locale,
                    detail: format!("{errors:?}"),
                });
            }
            bundles.insert(locale, bundle);
        }
        Ok(I18n { bundles })
    }

    /// The message `key` in `locale`. A missing message shows its key, so a
    /// gap is visible on the page and caught by the completeness test.
    pub fn message(&self, locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(bundle) = self.bundles.get(&locale) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
            tracing::warn!(%locale, key, "missing translation");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(%locale, key, "translation did not format cleanly");
        }
        text.into_owned()
    }

    /// The message `key` in `locale` with text arguments (for channels
    /// other than the web, such as the Telegram bot).
    pub fn message_with(&self, locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        self.message(locale, key, Some(&fluent))
    }

    /// The ids of every message defined for `locale`, for completeness checks.
    pub fn message_ids(&self, locale: Locale) -> Vec<String> {
        SOURCES
            .iter()
            .filter(|(l, _)| *l == locale)
            .filter_map(|(_, source)| FluentResource::try_new((*source).to_owned()).ok())
            .flat_map(|resource| {
                resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A stored month (`YYYY-MM`) in words, «تشرين الثاني 2026» or "November
/// 2026" (`month-year`); empty for anything else.
pub fn month_in_words(tr: &Tr, month: &str) -> String {
    match mamar_usecases::intake::month_arguments(month) {
        Some((name, year)) => tr.t2(
            "month-year",
            ("month", FluentValue::from(name)),
            ("year", FluentValue::from(year)),
        ),
        None => String::new(),
    }
}

/// A translator bound to one locale, handed to templates as `tr`.
#[derive(Clone, Copy)]
pub struct Tr {
    i18n: &'static I18n,
    pub locale: Locale,
}

impl Tr {
    pub fn new(locale: Locale) -> Self {
        Tr {
            i18n: shipped(),
            locale,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.message(self.locale, key, None)
    }

    /// A message with one named argument, e.g. a name or a count.
    pub fn t1<'v>(&self, key: &str, name: &str, value: impl Into<FluentValue<'v>>) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), value.into());
        self.i18n.message(self.locale, key, Some(&args))
    }

    /// A message with two arguments.
    pub fn t2<'v>(
        &self,
        key: &str,
        first: (&str, FluentValue<'v>),
        second: (&str, FluentValue<'v>),
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(first.0.to_owned(), first.1);
        args.set(second.0.to_owned(), second.1);
        self.i18n.message(self.locale, key, Some(&args))
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    pub fn dir(&self) -> &'static str {
        self.locale.direction().as_str()
    }
}
