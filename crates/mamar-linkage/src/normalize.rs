//! Character-level normalisation of names written in Arabic script or in Latin letters.
//!
//! Every rule here exists because two spellings of the same name differ by it in real lists.
//! The rules, in the order they run:
//!
//! 1. Unicode NFKC: presentation forms (ﻣﺤﻤﺪ, the ligature ﷲ) become ordinary letters.
//! 2. Removed outright: tashkeel (fatha, damma, kasra, tanween, shadda, sukun, superscript alef:
//!    مُحَمَّد → محمد), Quranic annotation marks, tatweel (محـــمد → محمد), bidirectional controls
//!    and zero-width characters (they are invisible and copied in from other software).
//! 3. Alef forms fold to bare alef (أحمد, إبراهيم, آمنة, ٱلله → احمد, ابراهيم, امنه, الله); alef
//!    maqsura to ya (مصطفى → مصطفي); ta marbuta to ha (فاطمة → فاطمه); hamza on a carrier to the
//!    carrier (مؤمن → مومن, هانئ → هاني) and a lone hamza is dropped (علاء → علا).
//! 4. Persian and Urdu letter forms that Arabic keyboards on other systems produce fold to the
//!    Arabic letter (ک → ك, ی → ي, ہ → ه, پ → ب, چ → ج, ژ → ز, ڤ → ف, گ → ك).
//! 5. Arabic-Indic and Eastern Arabic-Indic digits become ASCII digits (١٩٨٥ and ۱۹۸۵ → 1985).
//! 6. Latin letters lose their diacritics and case (Ḥusayn → husayn, Ṣāliḥ → salih, Ğ → g);
//!    ayn and hamza signs (ʿ ʾ ‘ ’ ' `) are dropped (Sa'id → said, ʿAli → ali).
//! 7. Punctuation and hyphens separate words; runs of spaces become one space.

use unicode_normalization::{IsNormalized, UnicodeNormalization as _};

/// The script a word is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Arabic,
    Latin,
}

/// Folds one character after NFKC. `None` removes it; a space separates words.
fn fold_char(c: char) -> Fold {
    match c {
        // Tashkeel, superscript alef, Quranic marks, small high letters.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06ED}' => {
            Fold::Drop
        }
        '\u{08D3}'..='\u{08FF}' => Fold::Drop,
        // Tatweel.
        '\u{0640}' => Fold::Drop,
        // Bidirectional controls, zero-width characters and the byte-order mark.
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}' => Fold::Drop,
        '\u{00AD}' => Fold::Drop,
        // Alef forms: hamza above or below, madda, wasla, wavy hamza.
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' | 'ٵ' => Fold::Char('ا'),
        // Alef maqsura and the Persian/Urdu ya forms.
        'ى' | 'ی' | 'ې' | 'ے' | 'ۓ' | 'ئ' => Fold::Char('ي'),
        // Ta marbuta and the Persian/Urdu ha forms.
        'ة' | 'ۀ' | 'ە' | 'ھ' | 'ہ' => Fold::Char('ه'),
        'ؤ' => Fold::Char('و'),
        'ء' => Fold::Drop,
        'ک' | 'گ' | 'ڪ' => Fold::Char('ك'),
        'پ' => Fold::Char('ب'),
        'چ' => Fold::Char('ج'),
        'ژ' => Fold::Char('ز'),
        'ڤ' => Fold::Char('ف'),
        'ڨ' => Fold::Char('ق'),
        '٠'..='٩' => Fold::Char(shift_digit(c, '٠')),
        '۰'..='۹' => Fold::Char(shift_digit(c, '۰')),
        // Ayn and hamza signs in transliteration.
        'ʿ' | 'ʾ' | 'ʻ' | 'ʼ' | '‘' | '’' | '\'' | '`' | '´' | 'ʹ' => Fold::Drop,
        // Letters NFKD does not decompose.
        'ß' => Fold::Str("ss"),
        'æ' | 'Æ' => Fold::Str("ae"),
        'œ' | 'Œ' => Fold::Str("oe"),
        'ø' | 'Ø' => Fold::Char('o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => Fold::Char('d'),
        'ł' | 'Ł' => Fold::Char('l'),
        'ı' => Fold::Char('i'),
        'þ' | 'Þ' => Fold::Str("th"),
        // The Arabic letters (all but the ones folded above), answered without the look-up
        // in Unicode's tables that `is_alphanumeric` makes for every letter past ASCII.
        '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' => Fold::Char(c),
        c if c.is_alphanumeric() => Fold::Char(c),
        // Everything else (punctuation, hyphens, the Arabic comma, spaces) separates words.
        _ => Fold::Space,
    }
}

enum Fold {
    Drop,
    Space,
    Char(char),
    Str(&'static str),
}

fn shift_digit(c: char, zero: char) -> char {
    let offset = u32::from(c).saturating_sub(u32::from(zero));
    char::from_digit(offset, 10).unwrap_or('0')
}

/// Whether a character is an Arabic-script letter (after folding).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}')
}

/// Normalises free text: the rules of the module, words separated by single spaces.
///
/// ```
/// use mamar_linkage::normalize::normalize;
/// assert_eq!(normalize("مُحَمَّد  أحمـــد"), "محمد احمد");
/// assert_eq!(normalize("Ḥusayn al-Ṣāliḥ"), "husayn al salih");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = Words::default();
    // NFKC first so that presentation forms and ligatures are ordinary letters; Latin letters
    // with diacritics are then decomposed one by one and lose their combining marks. Most
    // names are already in NFKC, which the quick check tells without decomposing them.
    if unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        fold_into(text.chars(), &mut out);
    } else {
        fold_into(text.nfkc(), &mut out);
    }
    out.text
}

/// Folds characters already in NFKC into words (see [`normalize`]).
fn fold_into(chars: impl Iterator<Item = char>, out: &mut Words) {
    for c in chars {
        match fold_char(c) {
            Fold::Drop => {}
            Fold::Space => out.space(),
            Fold::Str(s) => s.chars().for_each(|ch| out.push(ch)),
            Fold::Char(ch) if ch.is_ascii() || is_arabic_letter(ch) => out.push(ch.to_ascii_lowercase()),
            Fold::Char(ch) => {
                for base in ch.to_lowercase().flat_map(|l| l.nfd()) {
                    if is_combining_mark(base) {
                        continue;
                    }
                    match fold_char(base) {
                        Fold::Char(b) => out.push(b),
                        Fold::Str(s) => s.chars().for_each(|x| out.push(x)),
                        Fold::Drop => {}
                        Fold::Space => out.space(),
                    }
                }
            }
        }
    }
}

/// Words separated by single spaces, none leading or trailing.
#[derive(Default)]
struct Words {
    text: String,
    pending_space: bool,
}

impl Words {
    fn push(&mut self, c: char) {
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push(c);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The script of a normalised word: Arabic if most of its letters are Arabic.
pub fn script_of(word: &str) -> Option<Script> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in word.chars() {
        if is_arabic_letter(c) {
            arabic += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, 0) => None,
        (a, l) if a >= l => Some(Script::Arabic),
        _ => Some(Script::Latin),
    }
}

/// Splits a normalised text into words, also where the script changes inside a word
/// (`محمدAhmad` is two words).
pub fn words(normalized: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in normalized.split(' ').filter(|w| !w.is_empty()) {
        let mut start = 0;
        let mut previous: Option<bool> = None;
        for (index, c) in word.char_indices() {
            let arabic = is_arabic_letter(c);
            let letter = arabic || c.is_ascii_alphabetic();
            if letter {
                if previous.is_some_and(|p| p != arabic) && index > start {
                    out.push(&word[start..index]);
                    start = index;
                }
                previous = Some(arabic);
            }
        }
        if start < word.len() {
            out.push(&word[start..]);
        }
    }
    out
}

/// Only the ASCII digits of a text (for phone numbers and years), after folding
/// Arabic-Indic digits.
pub fn digits(text: &str) -> String {
    if text.is_ascii() {
        // Nothing for normalisation to fold: the digits are the ASCII ones.
        return text.chars().filter(char::is_ascii_digit).collect();
    }
    normalize(text).chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `normalize` gives when every text goes through NFKC first.
    fn through_nfkc(text: &str) -> String {
        let mut out = Words::default();
        fold_into(text.nfkc(), &mut out);
        out.text
    }

    #[test]
    fn a_text_the_quick_check_passes_normalises_as_through_nfkc() {
        let texts = [
            "محمد احمد الخطيب",
            "مُحَمَّد  أحمـــد",
            "فاطمة الزهراء بنت علي",
            "ﻣﺤﻤﺪ عبد ﷲ",
            "ا\u{0654}حمد",
            "Ḥusayn al-Ṣāliḥ",
            "Jose\u{0301} Müller",
            "ＡＢＣ Ahmad",
            "Sa'id ʿAli",
            "١٩٨٥ ۱۹۸۵ 1985",
            "Œuvre ß Ø",
            "محمد\u{200F} - Mohammed",
            "ڤيصل گمال",
        ];
        let mut quick = 0;
        for text in texts {
            quick += usize::from(unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes);
            assert_eq!(normalize(text), through_nfkc(text), "{text}");
        }
        // Both ways are exercised: texts the quick check passes, and texts it sends to NFKC.
        assert!(
            quick >= 5 && quick < texts.len(),
            "{quick} of {} passed",
            texts.len()
        );
    }
}
