//! String similarity: Jaro–Winkler and edit distance within a script, and a weighted alignment
//! of sound classes across scripts.

use crate::name::{NamePart, is_consonant};
use crate::normalize::Script;

/// Jaro–Winkler similarity of two byte strings, in [0, 1] (prefix scale 0.1, at most 4).
/// Strings longer than 64 bytes are compared on their first 64.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let a = a.get(..a.len().min(64)).unwrap_or(a);
    let b = b.get(..b.len().min(64)).unwrap_or(b);
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() { 1.0 } else { 0.0 };
    }
    if a == b {
        return 1.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_matched = 0u64;
    let mut b_matched = 0u64;
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let low = i.saturating_sub(window);
        let high = (i + window + 1).min(b.len());
        for j in low..high {
            if b_matched & (1 << j) == 0 && b.get(j) == Some(&ca) {
                a_matched |= 1 << i;
                b_matched |= 1 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if a_matched & (1 << i) == 0 {
            continue;
        }
        while j < b.len() && b_matched & (1 << j) == 0 {
            j += 1;
        }
        if b.get(j) != Some(&ca) {
            transpositions += 1;
        }
        j += 1;
    }
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

/// Levenshtein distance of two byte strings.
pub fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = i;
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let value = (diagonal + usize::from(ca != cb))
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// Cost of an Arabic sound left without a Latin counterpart.
fn arabic_alone(sound: u8, last: bool) -> f64 {
    match sound {
        b'@' => 0.05,
        b'E' => 0.1,
        b'H' if last => 0.3,
        b'A' => 0.35,
        b'W' | b'Y' => 0.6,
        _ => 1.0,
    }
}

/// Cost of a Latin sound left without an Arabic counterpart: short vowels are not written in
/// Arabic, so they are almost free; long ones and consonants are not. A `u` before a name's
/// last consonant is mostly the long ū of the pattern maf'ūl, written و in Arabic (Mahmud
/// محمود, Masud, Mansur): left alone it costs more, so that Mahmud is at most close to محمد,
/// while Yusuf, whose last u is short, still meets يوسف.
fn latin_alone(sound: u8, before_last_consonant: bool) -> f64 {
    match sound {
        b'u' if before_last_consonant => 0.25,
        b'a' | b'e' | b'i' | b'u' => 0.05,
        b'I' | b'U' => 0.5,
        b'W' | b'Y' => 0.6,
        _ => 1.0,
    }
}

/// [`substitution`] of every two sounds, not both last. Sounds are the bytes 64 to 127 (`@`,
/// capital letters, the Latin vowels): the table is 32 KiB, the processor's fastest cache.
static SUBSTITUTIONS: [[f64; 64]; 64] = {
    let mut table = [[0.0; 64]; 64];
    let mut a = 0;
    while a < 64 {
        let mut l = 0;
        while l < 64 {
            table[a][l] = substitution(a as u8 + 64, l as u8 + 64, false, false);
            l += 1;
        }
        a += 1;
    }
    table
};

/// [`substitution`] from the table where it can.
#[inline]
fn substitution_cost(arabic: u8, latin: u8, arabic_last: bool, latin_last: bool) -> f64 {
    let from_table = || {
        let row = SUBSTITUTIONS.get(usize::from(arabic.checked_sub(64)?))?;
        row.get(usize::from(latin.checked_sub(64)?)).copied()
    };
    match (arabic_last && latin_last, from_table()) {
        (false, Some(cost)) => cost,
        _ => substitution(arabic, latin, arabic_last, latin_last),
    }
}

const fn substitution(arabic: u8, latin: u8, arabic_last: bool, latin_last: bool) -> f64 {
    if arabic == latin {
        return 0.0;
    }
    let latin_vowel = matches!(latin, b'a' | b'e' | b'i' | b'u');
    match (arabic, latin) {
        (b'@', _) if latin_vowel => 0.0,
        (b'@', b'I' | b'U') => 0.2,
        (b'E', _) if latin_vowel => 0.05,
        (b'E', b'I' | b'U') => 0.3,
        (b'A', b'a' | b'e') => 0.0,
        (b'A', b'i' | b'u') => 0.5,
        (b'W', b'u' | b'U') => 0.0,
        (b'Y', b'i' | b'I') => 0.0,
        (b'Y', b'e') => 0.2,
        // Ta marbuta (folded to ه) and alef maqsura (folded to ي) end a word with a vowel.
        (b'H' | b'Y', b'a' | b'e') if arabic_last && latin_last => 0.1,
        (b'T', b'S') | (b'D', b'Z') | (b'Z', b'D') | (b'H', b'X') | (b'X', b'H') | (b'K', b'J' | b'G') => 0.5,
        (a, l) if is_consonant(a) && is_consonant(l) => 1.0,
        _ => 0.8,
    }
}

/// Similarity in [0, 1] of an Arabic-script name and a Latin one, from a weighted alignment of
/// their sound classes (1 − cost / Arabic length). A Latin short vowel costs almost nothing,
/// a long vowel or a consonant with no counterpart costs much: حسين meets Hussein and Husayn,
/// not Hasan.
pub fn cross_script_similarity(arabic: &[u8], latin: &[u8]) -> f64 {
    cross_script_similarity_from(arabic, latin, 0.0)
}

/// [`cross_script_similarity`] when it is at least `floor`; otherwise some value below `floor`
/// (the alignment stops as soon as its cost can only exceed what `floor` allows: most pairs of
/// different names are told apart after a letter or two).
pub fn cross_script_similarity_from(arabic: &[u8], latin: &[u8], floor: f64) -> f64 {
    cross_script_alignment(arabic, latin, floor, 0.0)
}

/// The length an alignment's cost is measured against: the Arabic sounds, the hamza seat and
/// ayn not counted (at least 2).
pub fn arabic_length(arabic: &[u8]) -> f64 {
    arabic
        .iter()
        .filter(|&&s| !matches!(s, b'@' | b'E'))
        .count()
        .max(2) as f64
}

/// [`cross_script_similarity`] when its cost is at most `(1 − floor) × length + slack`
/// (length: [`arabic_length`]); otherwise some value below that bound's similarity.
pub fn cross_script_alignment(arabic: &[u8], latin: &[u8], floor: f64, slack: f64) -> f64 {
    let (n, m) = (arabic.len(), latin.len());
    if n == 0 || m == 0 {
        return if n == m { 1.0 } else { 0.0 };
    }
    if n > 40 || m > 60 {
        return 0.0;
    }
    let length = arabic_length(arabic);
    // Costs only add up along the alignment: once a whole row costs more than this, so does
    // the end (the margin keeps rounding from deciding).
    let most = (1.0 - floor) * length + slack + 1e-9;
    // Bounded above, so indexing stays inside the rows.
    let mut previous = [0f64; 61];
    let mut current = [0f64; 61];
    let ends_in_consonant = latin.last().is_some_and(|&l| is_consonant(l));
    // Each Latin sound's cost alone, once rather than once a row.
    let mut alone = [0f64; 61];
    for j in 1..=m {
        alone[j] = latin_alone(latin[j - 1], ends_in_consonant && j + 1 == m);
        previous[j] = previous[j - 1] + alone[j];
    }
    for i in 1..=n {
        let a = arabic[i - 1];
        let a_last = i == n;
        let delete = arabic_alone(a, a_last);
        current[0] = previous[0] + delete;
        let mut lowest = current[0];
        for j in 1..=m {
            let l = latin[j - 1];
            let diagonal = previous[j - 1] + substitution_cost(a, l, a_last, j == m);
            let up = previous[j] + delete;
            let left = current[j - 1] + alone[j];
            current[j] = diagonal.min(up).min(left);
            lowest = lowest.min(current[j]);
        }
        if lowest > most {
            return 0.0;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let cost = previous.get(m).copied().unwrap_or(f64::INFINITY);
    (1.0 - cost / length).max(0.0)
}

/// Similarity of two name parts in [0, 1]: 1 when their keys are equal; Jaro–Winkler on the
/// keys within a script; the sound alignment across scripts.
pub fn part_similarity(a: &NamePart, b: &NamePart) -> f64 {
    match (a.script, b.script) {
        (Script::Arabic, Script::Arabic) | (Script::Latin, Script::Latin) => jaro_winkler(&a.key, &b.key),
        (Script::Arabic, Script::Latin) => cross_script_similarity(&a.sounds, &b.sounds),
        (Script::Latin, Script::Arabic) => cross_script_similarity(&b.sounds, &a.sounds),
    }
}
