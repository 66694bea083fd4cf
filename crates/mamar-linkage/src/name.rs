//! Person names: parsing into parts, and the keys on which spellings of one name meet.
//!
//! Parsing (after [`normalize`](crate::normalize::normalize)):
//!
//! - `عبد` + name is one part, written together or apart, with or without the article
//!   (عبد الرحمن = عبدالرحمن; Abd al-Rahman = Abdul Rahman = Abdelrahman = Abdurrahman).
//! - `ابو` / Abu / Abou + name is one part (ابو زيد, Abou Zaid).
//! - A part followed by `الدين` / ad-Din / Eddine / Uddin, or by `الله` / Allah, is one part
//!   (نور الدين = Nour Eddine = Nureddin; نصر الله = Nasr Allah).
//! - `بن`, `ابن`, `بنت`, ibn, bin, ben, bint join a person to the father and carry no identity:
//!   they are dropped.
//! - The article is dropped: `ال` before a word (الخطيب → خطيب), and al-, el-, il-, ul- and the
//!   assimilated forms before a sun letter (ad-, adh-, an-, ar-, as-, ash-, at-, ath-, az-, and
//!   their e-/u- forms) when written apart; Al-Khatib = Alkhatib = El Khatib = Khatib.
//! - Abbreviations of Muhammad (Mhd, Mohd, Muhd, Md, Mhmd) are Muhammad.
//! - Arabic chat digits inside a Latin word are letters (7amza → hamza, 3ali → ali, 5aled → khaled).
//!
//! Keys of a part:
//!
//! - `canonical`: the parsed form in its own script; equal canonical forms are the same name.
//! - `latin_skeleton` (Latin parts): where common transliterations meet. Vowels fold to three
//!   classes (a/e → a; i/ee/y → i; o/u/ou/oo → u), the diphthongs ai/ay/ei/ey → ai, q/c/ck → k,
//!   ch/sch → sh, ph/v → f, dj/g → j, p → b, doubled letters are single and a final h after a
//!   vowel goes (Mohammed = Muhammad = Mohamad = Mhd → `muhamad`; Qashami = Kashami → `kashami`;
//!   Hussein = Husayn = Hussain → `husain`; Fatimah = Fatima).
//! - `sounds`: a sequence of sound classes shared by both scripts, aligned across scripts by
//!   [`cross_script_similarity`](crate::similarity::cross_script_similarity).
//! - `consonants`: the consonant classes only, doubled ones single, vowels, ayn, hamza, و and ي
//!   dropped; the key on which Arabic-script and Latin spellings meet for blocking
//!   (محمد = Mohammed = `MHMD`; خالد = Khaled = `XLD`; قاسم = Kassem = Qasim = `KSM`).

use std::sync::Arc;

use crate::normalize::{Script, normalize, script_of, words};

/// One part of a name (a given name, a compound such as Abd al-Rahman, a family name). Shared:
/// a clone is a reference count, as lists repeat the same names thousands of times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePart(Arc<PartData>);

impl std::ops::Deref for NamePart {
    type Target = PartData;

    fn deref(&self) -> &PartData {
        &self.0
    }
}

/// What a [`NamePart`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartData {
    pub script: Script,
    pub canonical: String,
    pub latin_skeleton: String,
    /// One byte per letter of the same-script key, for string similarity within a script.
    pub key: Vec<u8>,
    pub sounds: Vec<u8>,
    pub consonants: String,
    /// A hash of the script, the same-script key and the sounds: parts with equal hashes are
    /// the same name and compare alike with any other part (Mahmoud and Mahmud share a key but
    /// not their sounds, and meet محمود and محمد differently).
    pub hash: u64,
}

/// A name field parsed into parts (a field may hold several words: a full name, a compound).
/// The parts are shared: a clone is a reference count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Name {
    pub parts: Arc<[NamePart]>,
}

impl Name {
    pub fn parse(text: &str) -> Name {
        Name::from_parts(
            part_texts(&normalize(text))
                .into_iter()
                .map(NamePart::new)
                .collect(),
        )
    }

    /// [`Name::parse`] of a text already normalised (see [`normalize`]), taking the parts
    /// already made from `memo` (lists repeat the same parts in many different full names).
    pub(crate) fn parse_normalized(normalized: &str, memo: &mut PartMemo) -> Name {
        Name::from_parts(
            part_texts(normalized)
                .into_iter()
                .map(|part| memo.part(part))
                .collect(),
        )
    }

    pub fn from_parts(parts: Vec<NamePart>) -> Name {
        Name { parts: parts.into() }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The first part (the given name of a full name).
    pub fn first(&self) -> Option<&NamePart> {
        self.parts.first()
    }

    /// All consonant skeletons, space-separated (a blocking key for a whole name field).
    pub fn consonant_key(&self) -> String {
        let mut key = String::new();
        for part in self.parts.iter() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&part.consonants);
        }
        key
    }
}

#[derive(Debug, Clone)]
struct Token {
    script: Script,
    text: String,
}

impl Token {
    fn new(word: &str) -> Option<Token> {
        let script = script_of(word)?;
        let text = match script {
            Script::Arabic => word
                .chars()
                .filter(|c| crate::normalize::is_arabic_letter(*c))
                .collect(),
            Script::Latin => expand_abbreviation(&arabizi(word)).to_owned(),
        };
        (!text.is_empty()).then_some(Token { script, text })
    }

    fn is(&self, arabic: &[&str], latin: &[&str]) -> bool {
        match self.script {
            Script::Arabic => arabic.contains(&self.text.as_str()),
            Script::Latin => latin.contains(&self.text.as_str()),
        }
    }

    fn is_article(&self) -> bool {
        self.is(&["ال"], LATIN_ARTICLES)
    }

    fn is_connector(&self) -> bool {
        self.is(
            &["بن", "ابن", "بنت"],
            &["ibn", "bin", "ben", "bint", "bent", "ibnat"],
        )
    }

    fn is_abd(&self) -> bool {
        self.is(
            &["عبد"],
            &[
                "abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdoul", "abdou", "abdu", "abdur",
                "abdus", "abed",
            ],
        )
    }

    fn is_abu(&self) -> bool {
        self.is(&["ابو"], &["abu", "abou", "abo", "aboo", "bou"])
    }

    fn is_din(&self) -> bool {
        self.is(
            &["الدين", "دين"],
            &[
                "din", "deen", "dine", "eddin", "eddine", "eddeen", "uddin", "uddeen", "addin", "iddin",
                "aldin", "eldin",
            ],
        )
    }

    fn is_allah(&self) -> bool {
        self.is(
            &["الله"],
            &["allah", "ullah", "illah", "ollah", "alla", "ulla", "allh"],
        )
    }
}

const LATIN_ARTICLES: &[&str] = &[
    "al", "el", "il", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er", "es",
    "esh", "et", "ez", "ud", "un", "ur", "us", "ut", "uz",
];

/// Arabic chat digits inside a Latin word stand for letters with no Latin equivalent.
fn arabizi(word: &str) -> String {
    if !word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut out = String::with_capacity(word.len() + 2);
    for c in word.chars() {
        match c {
            '2' | '3' => {}
            '5' => out.push_str("kh"),
            '6' => out.push('t'),
            '7' => out.push('h'),
            '8' => out.push('q'),
            '9' => out.push('s'),
            c if c.is_ascii_alphabetic() => out.push(c),
            _ => {}
        }
    }
    out
}

fn expand_abbreviation(word: &str) -> &str {
    match word {
        "mhd" | "mohd" | "muhd" | "md" | "mhmd" => "muhammad",
        other => other,
    }
}

/// Words of a name whose leading `ال`/al is part of the name, not the article.
const ARABIC_AL_NAMES: &[&str] = &["الياس", "اليسع", "الهام", "الفت", "الماس", "اليسار"];
const LATIN_AL_NAMES: &[&str] = &[
    "alwan", "elham", "alyas", "elyas", "almas", "alfat", "elissar", "alissar",
];

fn strip_article(token: &Token) -> String {
    let text = token.text.as_str();
    match token.script {
        Script::Arabic => {
            if let Some(rest) = text.strip_prefix("ال")
                && rest.chars().count() >= 2
                && !ARABIC_AL_NAMES.contains(&text)
            {
                return rest.to_owned();
            }
        }
        Script::Latin => {
            for prefix in ["al", "el"] {
                // Before a consonant at least three letters must remain (Alkhatib), before a
                // vowel four (Alahmad, not Alaa or Alia).
                if let Some(rest) = text.strip_prefix(prefix)
                    && !LATIN_AL_NAMES.contains(&text)
                    && (rest.len() >= 4
                        || (rest.len() >= 3 && rest.starts_with(|c: char| !is_latin_vowel(c))))
                {
                    return rest.to_owned();
                }
            }
        }
    }
    text.to_owned()
}

fn is_latin_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The name after `abd` in a word written as one (`abdulrahman` → `rahman`,
/// `abdurrahman` → `rahman`, `abdullah` → `lah`, `عبدالرحمن` → `رحمن`).
fn split_joined_abd(token: &Token) -> Option<String> {
    match token.script {
        Script::Arabic => {
            let rest = token.text.strip_prefix("عبد")?;
            let rest = rest
                .strip_prefix("ال")
                .filter(|r| r.chars().count() >= 2)
                .unwrap_or(rest);
            (rest.chars().count() >= 2).then(|| rest.to_owned())
        }
        Script::Latin => {
            let rest = token.text.strip_prefix("abd")?;
            // The linking vowel of abdul/abdel/abdou, then the article's l or an assimilated
            // sun letter (abdur-rahman).
            let rest = strip_vowels(rest, 2);
            let bytes = rest.as_bytes();
            let rest = match bytes {
                [b'l', tail @ ..] if tail.len() >= 2 => &rest[1..],
                [first, second, tail @ ..] if first == second && tail.len() >= 2 => &rest[1..],
                _ => rest,
            };
            (rest.len() >= 2).then(|| rest.to_owned())
        }
    }
}

fn strip_vowels(text: &str, at_most: usize) -> &str {
    let count = text
        .chars()
        .take(at_most)
        .take_while(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
        .count();
    &text[count..]
}

/// `nour` + `din`: the stem of a joined `...eddine` / `...الدين` word, if it is one.
fn split_joined_din(token: &Token) -> Option<String> {
    match token.script {
        Script::Arabic => {
            let stem = token.text.strip_suffix("الدين")?;
            (stem.chars().count() >= 2).then(|| stem.to_owned())
        }
        Script::Latin => {
            for suffix in [
                "eddine", "eddin", "eddeen", "uddin", "uddeen", "addin", "iddin", "aldin", "eldin",
            ] {
                if let Some(stem) = token.text.strip_suffix(suffix)
                    && stem.len() >= 2
                {
                    return Some(stem.to_owned());
                }
            }
            None
        }
    }
}

fn din(script: Script) -> &'static str {
    match script {
        Script::Arabic => "دين",
        Script::Latin => "din",
    }
}

fn abd(script: Script) -> &'static str {
    match script {
        Script::Arabic => "عبد",
        Script::Latin => "abd",
    }
}

fn allah(script: Script) -> &'static str {
    match script {
        Script::Arabic => "له",
        Script::Latin => "lah",
    }
}

/// Joins compounds, drops connectors and articles. Returns (script, canonical) per part.
fn join_parts(tokens: &[Token]) -> Vec<(Script, String)> {
    let mut parts: Vec<(Script, String)> = Vec::new();
    let mut index = 0;
    while let Some(token) = tokens.get(index) {
        index += 1;
        let has_next = index < tokens.len();
        if has_next && (token.is_article() || token.is_connector()) {
            continue;
        }
        if has_next && (token.is_abd() || token.is_abu()) {
            // Skip articles between `abd` and the name (Abd al-Rahman, عبد ال رحمن).
            while tokens.get(index).is_some_and(|t| t.is_article()) && index + 1 < tokens.len() {
                index += 1;
            }
            if let Some(next) = tokens.get(index) {
                index += 1;
                let head = if token.is_abd() {
                    abd(token.script).to_owned()
                } else {
                    token.text.clone()
                };
                let head = if token.is_abu() && token.script == Script::Latin {
                    "abu".to_owned()
                } else {
                    head
                };
                let stem = if next.is_allah() {
                    allah(next.script).to_owned()
                } else {
                    strip_article(next)
                };
                parts.push((token.script, head + &stem));
                continue;
            }
        }
        if let Some(last) = parts.last_mut() {
            if token.is_din() {
                last.1.push_str(din(token.script));
                continue;
            }
            if token.is_allah() {
                last.1.push_str(allah(token.script));
                continue;
            }
        }
        if let Some(rest) = split_joined_abd(token) {
            parts.push((token.script, format!("{}{rest}", abd(token.script))));
            continue;
        }
        if let Some(stem) = split_joined_din(token) {
            parts.push((token.script, format!("{stem}{}", din(token.script))));
            continue;
        }
        parts.push((token.script, strip_article(token)));
    }
    parts
}

/// The parts of a normalised name field: its words, compounds joined, each with its script.
fn part_texts(normalized: &str) -> Vec<(Script, String)> {
    let raw: Vec<Token> = words(normalized).into_iter().filter_map(Token::new).collect();
    join_parts(&raw)
}

/// Name parts already made, by script and canonical form (one thread's; at most a million).
#[derive(Default)]
pub(crate) struct PartMemo {
    parts: rustc_hash::FxHashMap<(Script, String), NamePart>,
}

impl PartMemo {
    const LIMIT: usize = 1_000_000;

    fn part(&mut self, key: (Script, String)) -> NamePart {
        if let Some(part) = self.parts.get(&key) {
            return part.clone();
        }
        let part = NamePart::new(key.clone());
        if self.parts.len() < PartMemo::LIMIT {
            self.parts.insert(key, part.clone());
        }
        part
    }
}

impl NamePart {
    fn new((script, canonical): (Script, String)) -> NamePart {
        let (latin_skeleton, sounds) = match script {
            Script::Arabic => (String::new(), arabic_sounds(&canonical)),
            Script::Latin => {
                let skeleton = latin_skeleton(&canonical);
                let sounds = latin_sounds(&marked_skeleton(&canonical, true));
                (skeleton, sounds)
            }
        };
        let consonants = consonant_skeleton(&sounds);
        let key = match script {
            Script::Arabic => canonical.chars().map(arabic_letter_byte).collect(),
            Script::Latin => latin_skeleton.as_bytes().to_vec(),
        };
        let hash = {
            let mut hasher = rustc_hash::FxHasher::default();
            std::hash::Hash::hash(&(script == Script::Arabic), &mut hasher);
            std::hash::Hash::hash(&key, &mut hasher);
            std::hash::Hash::hash(&sounds, &mut hasher);
            std::hash::Hasher::finish(&hasher)
        };
        NamePart(Arc::new(PartData {
            script,
            canonical,
            latin_skeleton,
            key,
            sounds,
            consonants,
            hash,
        }))
    }

    /// The key on which equal names meet within a script: the canonical Arabic form, or the
    /// Latin skeleton.
    pub fn same_script_key(&self) -> &str {
        match self.script {
            Script::Arabic => &self.canonical,
            Script::Latin => &self.latin_skeleton,
        }
    }
}

/// Arabic letters U+0621..U+064A as one byte each; anything else as 0x7F.
fn arabic_letter_byte(c: char) -> u8 {
    u32::from(c)
        .checked_sub(0x0600)
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| *v < 0x7F)
        .unwrap_or(0x7F)
}

/// The Latin skeleton of a canonical Latin word (see the module documentation).
pub fn latin_skeleton(word: &str) -> String {
    marked_skeleton(word, false)
}

/// The Latin skeleton; with `mark_long`, vowels written long (ee, ou, oo) and the diphthongs
/// are upper case (`I`, `U`) so that the sound alignment can tell them from short ones.
fn marked_skeleton(word: &str, mark_long: bool) -> String {
    let (long_i, long_u, diphthong): (&[u8], &[u8], &[u8]) = if mark_long {
        (b"I", b"U", b"I")
    } else {
        (b"i", b"u", b"ai")
    };
    let bytes = word.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut index = 0;
    let next_is_vowel = |i: usize| {
        bytes
            .get(i)
            .is_some_and(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
    };
    while let Some(&b) = bytes.get(index) {
        let next = bytes.get(index + 1).copied();
        let single = [b];
        let (emit, used): (&[u8], usize) = match (b, next) {
            (b's', Some(b'c')) if bytes.get(index + 2) == Some(&b'h') => (b"sh", 3),
            (b'c', Some(b'h')) => (b"sh", 2),
            (b'p', Some(b'h')) => (b"f", 2),
            (b'd', Some(b'j')) => (b"j", 2),
            (b'c', Some(b'k')) => (b"k", 2),
            (b'e', Some(b'e')) => (long_i, 2),
            (b'o', Some(b'o')) | (b'o', Some(b'u')) => (long_u, 2),
            (b'a' | b'e', Some(b'i' | b'y')) if !next_is_vowel(index + 2) => (diphthong, 2),
            (b'q' | b'c', _) => (b"k", 1),
            (b'g', Some(b'h')) => (b"gh", 2),
            (b'k', Some(b'h')) => (b"kh", 2),
            (b'g', _) => (b"j", 1),
            (b'v', _) => (b"f", 1),
            (b'p', _) => (b"b", 1),
            (b'x', _) => (b"ks", 1),
            (b'e', _) => (b"a", 1),
            (b'o', _) => (b"u", 1),
            (b'y', _) if !next_is_vowel(index + 1) => (b"i", 1),
            (b'w', _) if !next_is_vowel(index + 1) => (b"u", 1),
            _ => (&single[..], 1),
        };
        for &e in emit {
            if out.last() != Some(&e) {
                out.push(e);
            }
        }
        index += used;
    }
    if out.len() > 2
        && out.last() == Some(&b'h')
        && out
            .iter()
            .rev()
            .nth(1)
            .is_some_and(|b| matches!(b, b'a' | b'i' | b'u' | b'I' | b'U'))
    {
        out.pop();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Sound classes. Consonants are upper-case letters shared by both scripts; Latin vowels are
/// `a e i u` (short or unmarked) and `I U` (written long: ee, ai, ei, ou, oo); Arabic letters
/// that are vowels or half-vowels are `A` (ا inside a word), `@` (ا starting a word: a hamza
/// seat), `W` (و), `Y` (ي), and `E` is ayn.
fn arabic_sounds(word: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(word.len() / 2);
    for (position, c) in word.chars().enumerate() {
        let sound = match c {
            'ا' if position == 0 => b'@',
            'ا' => b'A',
            'ب' => b'B',
            'ت' | 'ث' | 'ط' => b'T',
            'ج' => b'J',
            'ح' | 'ه' => b'H',
            'خ' => b'X',
            'د' | 'ذ' | 'ض' => b'D',
            'ر' => b'R',
            'ز' | 'ظ' => b'Z',
            'س' | 'ص' => b'S',
            'ش' => b'C',
            'ع' => b'E',
            'غ' => b'G',
            'ف' => b'F',
            'ق' | 'ك' => b'K',
            'ل' => b'L',
            'م' => b'M',
            'ن' => b'N',
            'و' => b'W',
            'ي' => b'Y',
            _ => continue,
        };
        out.push(sound);
    }
    out
}

/// Sound classes of a Latin skeleton (see [`arabic_sounds`]).
fn latin_sounds(skeleton: &str) -> Vec<u8> {
    let bytes = skeleton.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&b) = bytes.get(index) {
        let next = bytes.get(index + 1).copied();
        let (sound, used) = match (b, next) {
            (b'k', Some(b'h')) => (b'X', 2),
            (b'g', Some(b'h')) => (b'G', 2),
            (b's', Some(b'h')) => (b'C', 2),
            (b't', Some(b'h')) => (b'T', 2),
            (b'd', Some(b'h')) => (b'D', 2),
            (b'z', Some(b'h')) => (b'Z', 2),
            (b'I', _) => (b'I', 1),
            (b'U', _) => (b'U', 1),
            (b'a', _) => (b'a', 1),
            (b'i', _) => (b'i', 1),
            (b'u', _) => (b'u', 1),
            (b'y', _) => (b'Y', 1),
            (b'w', _) => (b'W', 1),
            (b'b', _) => (b'B', 1),
            (b't', _) => (b'T', 1),
            (b'j', _) => (b'J', 1),
            (b'h', _) => (b'H', 1),
            (b'd', _) => (b'D', 1),
            (b'r', _) => (b'R', 1),
            (b'z', _) => (b'Z', 1),
            (b's', _) => (b'S', 1),
            (b'f', _) => (b'F', 1),
            (b'k', _) => (b'K', 1),
            (b'l', _) => (b'L', 1),
            (b'm', _) => (b'M', 1),
            (b'n', _) => (b'N', 1),
            _ => {
                index += 1;
                continue;
            }
        };
        out.push(sound);
        index += used;
    }
    out
}

/// Consonant classes only, doubled ones single.
fn consonant_skeleton(sounds: &[u8]) -> String {
    let mut out = String::with_capacity(sounds.len());
    let mut last = 0u8;
    for &s in sounds {
        if matches!(
            s,
            b'@' | b'A' | b'W' | b'Y' | b'E' | b'a' | b'e' | b'i' | b'u' | b'I' | b'U'
        ) {
            continue;
        }
        if s != last {
            out.push(char::from(s));
        }
        last = s;
    }
    // A final h is ta marbuta in Arabic (فاطمة) and often dropped in Latin (Fatima, Hamza).
    if out.len() > 1 && out.ends_with('H') {
        out.pop();
    }
    out
}

/// Whether a sound class is a consonant.
pub(crate) const fn is_consonant(sound: u8) -> bool {
    sound.is_ascii_uppercase() && !matches!(sound, b'@' | b'A' | b'W' | b'Y' | b'E' | b'I' | b'U')
}
