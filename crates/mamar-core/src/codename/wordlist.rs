//! The shipped word lists, the folding that makes a typed word match its list
//! entry, and a base-N encoding of bytes as words (used to read out key
//! fingerprints).
//!
//! A word's position in its list is its value. The lists are data, not code:
//! see `wordlists/README.md` for their sources, licences and the rule that a
//! shipped list never changes.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization as _;

use crate::locale::Locale;
use crate::text::is_bidi_control;

/// The longest text (in bytes) accepted where a person types words back.
/// Seven of the longest listed words with generous spacing fit many times.
pub const MAX_TYPED_BYTES: usize = 1024;

/// One shipped word list.
pub struct WordList {
    locale: Locale,
    words: Vec<&'static str>,
    index: HashMap<String, u16>,
}

static ARABIC: LazyLock<WordList> =
    LazyLock::new(|| WordList::load(Locale::Ar, include_str!("../../wordlists/ar.txt")));
static ENGLISH: LazyLock<WordList> =
    LazyLock::new(|| WordList::load(Locale::En, include_str!("../../wordlists/en.txt")));

/// The second lists: the first, in the same order, less every word that the
/// deny-lists (`wordlists/deny-{ar,en}.txt`) match. New codenames are drawn
/// from these; see `docs/codename-words.md`.
static ARABIC_2: LazyLock<WordList> =
    LazyLock::new(|| WordList::load(Locale::Ar, include_str!("../../wordlists/ar-2.txt")));
static ENGLISH_2: LazyLock<WordList> =
    LazyLock::new(|| WordList::load(Locale::En, include_str!("../../wordlists/en-2.txt")));

/// The first (complete) word list of a language. Every word of a later
/// list is in it, so it reads back every codename ever handed out, and key
/// fingerprints are written in it.
pub fn word_list(locale: Locale) -> &'static WordList {
    match locale {
        Locale::Ar => &ARABIC,
        Locale::En => &ENGLISH,
    }
}

/// The list new codenames are drawn from: the newest curated version.
pub fn codename_list(locale: Locale) -> &'static WordList {
    match locale {
        Locale::Ar => &ARABIC_2,
        Locale::En => &ENGLISH_2,
    }
}

/// Why typed words could not be turned back into bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordsError {
    #[error("the text is too long")]
    TooLong,
    #[error("{expected} words are needed; {found} were given")]
    WrongWordCount { expected: usize, found: usize },
    #[error("word {position} is not in the word list")]
    UnknownWord { position: usize },
    #[error("these words do not encode a valid value")]
    OutOfRange,
}

impl WordList {
    fn load(locale: Locale, text: &'static str) -> WordList {
        let words: Vec<&'static str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .take(usize::from(u16::MAX))
            .collect();
        let mut index = HashMap::with_capacity(words.len());
        for (position, word) in words.iter().enumerate() {
            let key = fold(word).join(" ");
            // The first spelling wins; the list test makes sure there is no second.
            if let Ok(position) = u16::try_from(position) {
                index.entry(key).or_insert(position);
            }
        }
        WordList { locale, words, index }
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every word, in list order, as shipped.
    pub fn words(&self) -> &[&'static str] {
        &self.words
    }

    /// The word at `position`.
    pub fn word(&self, position: usize) -> Option<&'static str> {
        self.words.get(position).copied()
    }

    /// Bits of entropy of one uniformly chosen word: log2 of the list length.
    pub fn bits_per_word(&self) -> f64 {
        (self.words.len() as f64).log2()
    }

    /// The position of a word as a person typed it (any case, with or
    /// without diacritics, with either spelling of a folded letter).
    pub fn position(&self, typed_word: &str) -> Option<usize> {
        let key = fold(typed_word).join(" ");
        self.index.get(&key).map(|&p| usize::from(p))
    }

    /// Positions of already-folded tokens; `Err` holds the 1-based positions
    /// of the tokens that are not in the list.
    pub(crate) fn positions_of(&self, tokens: &[String]) -> Result<Vec<u16>, Vec<usize>> {
        let mut found = Vec::with_capacity(tokens.len());
        let mut unknown = Vec::new();
        for (n, token) in tokens.iter().enumerate() {
            match self.index.get(token) {
                Some(&p) => found.push(p),
                None => unknown.push(n + 1),
            }
        }
        if unknown.is_empty() {
            Ok(found)
        } else {
            Err(unknown)
        }
    }

    /// How many words it takes to write any `byte_len`-byte value.
    pub fn words_for_len(&self, byte_len: usize) -> usize {
        let base = self.base();
        if base < 2 {
            return 0;
        }
        // The smallest k with base^k >= 256^byte_len, computed exactly in a
        // number three bytes wider than the value (base < 2^16, so one
        // multiplication cannot overflow it once the loop has stopped).
        const HEADROOM: usize = 3;
        let mut power = vec![0u8; byte_len + HEADROOM];
        if let Some(last) = power.last_mut() {
            *last = 1;
        }
        let mut k = 0;
        while power.iter().take(HEADROOM).all(|&b| b == 0) {
            multiply_add(&mut power, base, 0);
            k += 1;
        }
        k
    }

    /// `bytes` (a big-endian number) written as words, most significant
    /// first, always [`WordList::words_for_len`] words long.
    pub fn encode_bytes(&self, bytes: &[u8]) -> Vec<&'static str> {
        let count = self.words_for_len(bytes.len());
        let base = self.base();
        let mut number = bytes.to_vec();
        let mut digits = Vec::with_capacity(count);
        for _ in 0..count {
            let remainder = divide(&mut number, base);
            digits.push(self.words.get(remainder as usize).copied().unwrap_or_default());
        }
        digits.reverse();
        digits
    }

    /// The inverse of [`WordList::encode_bytes`], from text a person typed.
    pub fn decode_words(&self, typed: &str, byte_len: usize) -> Result<Vec<u8>, WordsError> {
        if typed.len() > MAX_TYPED_BYTES {
            return Err(WordsError::TooLong);
        }
        let tokens = fold(typed);
        let expected = self.words_for_len(byte_len);
        let positions = self
            .positions_of(&tokens)
            .map_err(|unknown| WordsError::UnknownWord {
                position: unknown.first().copied().unwrap_or(1),
            })?;
        if positions.len() != expected {
            return Err(WordsError::WrongWordCount {
                expected,
                found: positions.len(),
            });
        }
        let base = self.base();
        let mut number = vec![0u8; byte_len];
        for position in positions {
            if multiply_add(&mut number, base, u32::from(position)) != 0 {
                return Err(WordsError::OutOfRange);
            }
        }
        Ok(number)
    }

    fn base(&self) -> u32 {
        u32::try_from(self.words.len()).unwrap_or(0)
    }
}

/// Multiplies the big-endian number in place by `factor` and adds `addend`;
/// returns the carry that did not fit (0 when nothing overflowed). Both
/// arguments stay below 2^16, so every intermediate fits in a `u32`.
fn multiply_add(number: &mut [u8], factor: u32, addend: u32) -> u32 {
    let mut carry = addend;
    for byte in number.iter_mut().rev() {
        let value = u32::from(*byte) * factor + carry;
        *byte = (value & 0xff) as u8;
        carry = value >> 8;
    }
    carry
}

/// Divides the big-endian number in place by `divisor`; returns the remainder.
fn divide(number: &mut [u8], divisor: u32) -> u32 {
    let mut remainder = 0u32;
    for byte in number.iter_mut() {
        let value = (remainder << 8) | u32::from(*byte);
        *byte = (value / divisor) as u8;
        remainder = value % divisor;
    }
    remainder
}

/// Splits typed text into folded words: Unicode NFKC, then per character
/// the rules below; anything that is not a letter or digit separates words.
///
/// - dropped: Arabic diacritics (tashkeel, superscript alef, Quranic marks),
///   tatweel, lone hamza, bidirectional controls, zero-width characters,
///   soft hyphens;
/// - alef with hamza or madda and alef wasla → alef; ta marbuta → ha; alef
///   maqsura, ya with hamza and Persian ya → ya; waw with hamza → waw;
///   Persian kaf → kaf;
/// - Arabic-Indic and Eastern Arabic-Indic digits → ASCII digits;
/// - letters → lower case.
pub fn fold(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in text.nfkc() {
        match fold_char(c) {
            Folded::Drop => {}
            Folded::Char(folded) => current.extend(folded.to_lowercase()),
            Folded::Separator => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    tokens
}

enum Folded {
    Drop,
    Char(char),
    Separator,
}

fn fold_char(c: char) -> Folded {
    match c {
        '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}'
        | '\u{0640}'
        | 'ء'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{00AD}' => Folded::Drop,
        c if is_bidi_control(c) => Folded::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' | 'ٵ' => Folded::Char('ا'),
        'ة' => Folded::Char('ه'),
        'ى' | 'ی' | 'ئ' => Folded::Char('ي'),
        'ؤ' => Folded::Char('و'),
        'ک' => Folded::Char('ك'),
        '٠'..='٩' => Folded::Char(shift_digit(c, '٠')),
        '۰'..='۹' => Folded::Char(shift_digit(c, '۰')),
        c if c.is_alphanumeric() => Folded::Char(c),
        _ => Folded::Separator,
    }
}

fn shift_digit(c: char, zero: char) -> char {
    let value = u32::from(c).saturating_sub(u32::from(zero));
    char::from_digit(value, 10).unwrap_or('0')
}

/// The language a folded word is written in: Arabic script or not.
pub fn script_locale(token: &str) -> Locale {
    if token.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        Locale::Ar
    } else {
        Locale::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_what_people_type_differently() {
        assert_eq!(fold("  Abacus   ZONE "), vec!["abacus", "zone"]);
        assert_eq!(fold("مَدِينَة"), vec!["مدينه"]);
        assert_eq!(fold("مـــدينة"), vec!["مدينه"]);
        assert_eq!(fold("إبرة أبواب آثار"), vec!["ابره", "ابواب", "اثار"]);
        assert_eq!(fold("على"), fold("علي"));
        assert_eq!(fold("مؤتمر"), vec!["موتمر"]);
        assert_eq!(fold("a-b,c،d.e"), vec!["a", "b", "c", "d", "e"]);
        assert_eq!(fold("x\u{202E}y \u{200B}z"), vec!["xy", "z"]);
        assert_eq!(fold("٣٤ ۵"), vec!["34", "5"]);
        // Presentation forms from old software become ordinary letters (NFKC).
        assert_eq!(fold("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}"), vec!["محمد"]);
    }

    #[test]
    fn bytes_round_trip_through_words() {
        let list = word_list(Locale::En);
        assert_eq!(list.words_for_len(32), 20);
        assert_eq!(list.words_for_len(1), 1);
        for bytes in [[0u8; 32], [0xff; 32], core::array::from_fn(|i| i as u8)] {
            let words = list.encode_bytes(&bytes);
            assert_eq!(words.len(), 20);
            let decoded = list.decode_words(&words.join(" "), 32).unwrap();
            assert_eq!(decoded, bytes);
        }
        assert_eq!(list.encode_bytes(&[0u8; 32])[19], list.words()[0]);
    }

    #[test]
    fn words_beyond_the_range_are_refused() {
        let list = word_list(Locale::En);
        let last = list.words()[list.len() - 1];
        let too_big = vec![last; 20].join(" ");
        assert_eq!(list.decode_words(&too_big, 32), Err(WordsError::OutOfRange));
    }
}
