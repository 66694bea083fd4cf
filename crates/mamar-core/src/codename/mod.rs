//! Codenames: the secret a requester is shown once and types back to follow
//! up. Seven words drawn uniformly from one shipped list (Arabic or English,
//! the requester chooses). New codenames come from the second, curated lists
//! (no words of violence, politics, religion, the military, the body, sex,
//! insults or illness; `docs/codename-words.md`):
//!
//! | list | words | bits a word | bits for 7 words |
//! | --- | --- | --- | --- |
//! | Arabic `ar-2.txt` | 7,431 | 12.859 | 90.01 |
//! | English `en-2.txt` | 7,074 | 12.788 | 89.52 |
//!
//! so every codename carries at least 80 bits of entropy (the threat model's
//! floor), with nine bits to spare for the lists shrinking again.
//!
//! Typed codenames are read against the first lists (`ar.txt`, `en.txt`),
//! which hold every word of the second: a codename handed out before the
//! curation still reads back, and its canonical text (the words, not their
//! positions) and so its keys are unchanged.
//!
//! The canonical form ([`Codename::canonical`]) is the seven list words as
//! shipped, joined by single spaces. It is what key derivation takes
//! (`mamar_crypto::RequesterKeys::derive`), so every way of typing the
//! codename back that [`Codename::parse`] accepts derives the same keys.
//!
//! Randomness comes from the caller (this crate does no I/O): pass a
//! closure that returns 32 random bits, such as one built on
//! `mamar_crypto::random_bytes`.

pub mod wordlist;

use std::fmt;

use crate::locale::Locale;
use crate::sensitive::REDACTED;
use wordlist::{MAX_TYPED_BYTES, codename_list, fold, script_locale, word_list};

/// A codename. `Debug` and `Display` print a placeholder: it is a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Codename {
    locale: Locale,
    positions: [u16; Codename::WORDS],
}

/// Why typed text is not a codename. Messages name positions, never the
/// words: errors may be logged and the words are secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodenameError {
    #[error("no codename was given")]
    Empty,
    #[error("the codename is too long")]
    TooLong,
    #[error("a codename has {expected} words; {found} were given")]
    WrongWordCount { expected: usize, found: usize },
    #[error("{}", unknown_words_message(positions))]
    UnknownWords { positions: Vec<usize> },
}

fn unknown_words_message(positions: &[usize]) -> String {
    match positions {
        [one] => format!("word {one} is not in the word list"),
        _ => {
            let list: Vec<String> = positions.iter().map(ToString::to_string).collect();
            format!("words {} are not in the word list", list.join(", "))
        }
    }
}

/// Why a codename could not be generated.
#[derive(Debug)]
pub enum GenerateError<E> {
    /// The random source failed.
    Rng(E),
    /// The random source kept returning values in the rejected zone: it is
    /// broken (a working one does this with probability below 2^-1000).
    RngStuck,
    /// A word of the codename list is missing from the first list (a
    /// packaging defect; a test rules it out).
    ListMismatch,
}

impl<E: fmt::Display> fmt::Display for GenerateError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Rng(error) => write!(f, "the random number generator failed: {error}"),
            GenerateError::RngStuck => f.write_str("the random number generator is stuck"),
            GenerateError::ListMismatch => f.write_str("the codename list holds a word the first list lacks"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for GenerateError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GenerateError::Rng(error) => Some(error),
            GenerateError::RngStuck | GenerateError::ListMismatch => None,
        }
    }
}

/// Draws to reject before declaring the random source broken. Each draw is
/// rejected with probability below 2^-19 for these list lengths.
const MAX_DRAWS_PER_WORD: usize = 64;

impl Codename {
    /// Words in a codename.
    pub const WORDS: usize = 7;

    /// A new codename from `locale`'s current codename list. `next_u32` must
    /// return uniformly random 32-bit values from a cryptographic generator.
    /// Each word is chosen uniformly by rejection sampling (no modulo bias).
    pub fn generate<E>(
        locale: Locale,
        mut next_u32: impl FnMut() -> Result<u32, E>,
    ) -> Result<Codename, GenerateError<E>> {
        let list = codename_list(locale);
        let reading = word_list(locale);
        let mut positions = [0u16; Codename::WORDS];
        for slot in &mut positions {
            let drawn = uniform_below(list.len(), &mut next_u32)?;
            // Positions are kept in the first list, which holds every word of
            // the current one (a test checks it).
            *slot = list
                .word(usize::from(drawn))
                .and_then(|word| reading.position(word))
                .and_then(|position| u16::try_from(position).ok())
                .ok_or(GenerateError::ListMismatch)?;
        }
        Ok(Codename { locale, positions })
    }

    /// Reads a codename typed back by a person. `language` restricts the
    /// word list; `None` picks it from the script of the first word.
    /// Case, spacing, punctuation between words, Arabic diacritics and
    /// tatweel, alef, ta marbuta, alef maqsura and hamza spellings, and
    /// Arabic-Indic digits do not matter.
    pub fn parse(language: Option<Locale>, typed: &str) -> Result<Codename, CodenameError> {
        if typed.len() > MAX_TYPED_BYTES {
            return Err(CodenameError::TooLong);
        }
        let tokens = fold(typed);
        let Some(first) = tokens.first() else {
            return Err(CodenameError::Empty);
        };
        let locale = language.unwrap_or_else(|| script_locale(first));
        let found = word_list(locale)
            .positions_of(&tokens)
            .map_err(|positions| CodenameError::UnknownWords { positions })?;
        let positions: [u16; Codename::WORDS] =
            found
                .try_into()
                .map_err(|found: Vec<u16>| CodenameError::WrongWordCount {
                    expected: Codename::WORDS,
                    found: found.len(),
                })?;
        Ok(Codename { locale, positions })
    }

    /// The list the words come from.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// The words, as shipped in the list, to show the requester once.
    pub fn words(&self) -> Vec<&'static str> {
        let list = word_list(self.locale);
        self.positions
            .iter()
            .map(|&p| list.word(usize::from(p)).unwrap_or_default())
            .collect()
    }

    /// The canonical text for key derivation: the words as shipped, joined
    /// by single ASCII spaces.
    pub fn canonical(&self) -> String {
        self.words().join(" ")
    }

    /// Bits of entropy of a new codename in `locale`: 7 × log2(length of
    /// the list new codenames are drawn from).
    pub fn entropy_bits(locale: Locale) -> f64 {
        Codename::WORDS as f64 * codename_list(locale).bits_per_word()
    }
}

impl fmt::Debug for Codename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Codename({REDACTED})")
    }
}

impl fmt::Display for Codename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A uniform value in `0..n` from 32-bit draws: values at or above the
/// largest multiple of `n` that fits are drawn again, so every result is
/// equally likely.
fn uniform_below<E>(
    n: usize,
    next_u32: &mut impl FnMut() -> Result<u32, E>,
) -> Result<u16, GenerateError<E>> {
    let n = u64::try_from(n).unwrap_or(0).clamp(1, u64::from(u16::MAX));
    let zone = (1u64 << 32) / n * n;
    for _ in 0..MAX_DRAWS_PER_WORD {
        let draw = u64::from(next_u32().map_err(GenerateError::Rng)?);
        if draw < zone {
            return u16::try_from(draw % n).map_err(|_| GenerateError::RngStuck);
        }
    }
    Err(GenerateError::RngStuck)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(start: u32) -> impl FnMut() -> Result<u32, std::convert::Infallible> {
        let mut state = start;
        move || {
            // A fixed LCG: deterministic test input, not randomness.
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            Ok(state)
        }
    }

    #[test]
    fn rejection_sampling_skips_the_biased_zone() {
        let n = 7776u64;
        let zone = ((1u64 << 32) / n * n) as u32;
        let mut draws = [zone, zone + 5, 42].into_iter();
        let value = uniform_below(7776, &mut || Ok::<u32, ()>(draws.next().unwrap())).unwrap();
        assert_eq!(value, 42);
    }

    #[test]
    fn a_stuck_generator_is_an_error_not_a_hang() {
        let result = uniform_below(7776, &mut || Ok::<u32, ()>(u32::MAX));
        assert!(matches!(result, Err(GenerateError::RngStuck)));
        let failing = Codename::generate(Locale::En, || Err::<u32, &str>("no entropy"));
        assert!(matches!(failing, Err(GenerateError::Rng("no entropy"))));
    }

    #[test]
    fn debug_and_display_hide_the_words() {
        let codename = Codename::generate(Locale::En, counter(1)).unwrap();
        assert_eq!(
            format!("{codename:?} {codename}"),
            "Codename([REDACTED]) [REDACTED]"
        );
    }
}
