//! Comparing two records field by field: each field gets a level.
//!
//! | field | exact | close | partial | different |
//! | --- | --- | --- | --- | --- |
//! | given, father, grandfather, family, mother name | same key (same script), or sound alignment ≥ 0.93 across scripts | Jaro–Winkler ≥ 0.88 on the keys, or alignment ≥ 0.85; given and father's names (or father's and grandfather's) both agreeing (exact or close) the other way round | one part of a multi-part name agrees, or the name agrees with another name field of the other record | otherwise |
//! | birth year | equal | one year apart | two or three years apart | otherwise |
//! | place | same governorate, same town, or same name | a town and its governorate, or names close | two towns of one governorate | otherwise |
//! | phone | same nine digits | one edit apart | same last seven digits | otherwise |
//!
//! A field empty on either side is *missing* and counts neither for nor against.

use crate::name::{Name, NamePart};
use crate::normalize::Script;
use crate::record::Record;
use rustc_hash::FxHashMap;

use crate::similarity::{arabic_length, cross_script_alignment, part_similarity};

/// The agreement level of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Exact = 0,
    Close = 1,
    Partial = 2,
    Different = 3,
    Missing = 4,
}

impl Level {
    pub const AGREEMENT_LEVELS: usize = 4;

    pub fn from_index(index: u8) -> Level {
        match index {
            0 => Level::Exact,
            1 => Level::Close,
            2 => Level::Partial,
            3 => Level::Different,
            _ => Level::Missing,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Exact => "exact",
            Level::Close => "close",
            Level::Partial => "partial",
            Level::Different => "different",
            Level::Missing => "missing",
        }
    }
}

/// The compared fields, in the order of a comparison vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Given,
    Father,
    Family,
    Mother,
    BirthYear,
    Place,
    Phone,
    /// Last, so that the fields before it keep their numbers.
    Grandfather,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::Given,
        Field::Father,
        Field::Family,
        Field::Mother,
        Field::BirthYear,
        Field::Place,
        Field::Phone,
        Field::Grandfather,
    ];
    pub const COUNT: usize = Field::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            Field::Given => "given_name",
            Field::Father => "father_name",
            Field::Family => "family_name",
            Field::Mother => "mother_name",
            Field::BirthYear => "birth_year",
            Field::Place => "place",
            Field::Phone => "phone",
            Field::Grandfather => "grandfather_name",
        }
    }
}

/// The levels of all fields of one pair, three bits each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Comparison(pub u32);

impl Comparison {
    pub fn level(self, field: usize) -> Level {
        Level::from_index(((self.0 >> (3 * field)) & 0b111) as u8)
    }

    pub fn from_levels(levels: &[Level; Field::COUNT]) -> Comparison {
        Comparison(
            levels
                .iter()
                .enumerate()
                .fold(0, |acc, (i, l)| acc | ((*l as u32) << (3 * i))),
        )
    }

    pub fn levels(self) -> [Level; Field::COUNT] {
        std::array::from_fn(|i| self.level(i))
    }
}

/// The grandfather's name's place in a comparison.
pub(crate) const GRANDFATHER: usize = Field::Grandfather as usize;

pub(crate) const EXACT_WITHIN_SCRIPT: f64 = 1.0;
pub(crate) const CLOSE_WITHIN_SCRIPT: f64 = 0.88;
pub(crate) const EXACT_ACROSS_SCRIPTS: f64 = 0.93;
pub(crate) const CLOSE_ACROSS_SCRIPTS: f64 = 0.85;

/// Across scripts, a part this much costlier than a close one allows (one letter: a typo on one
/// side, فراسس against Feras, Khaleh against خالد) is near rather than different.
pub(crate) const NEAR_ACROSS_SCRIPTS_SLACK: f64 = 1.0;
/// Within a script, parts of fewer letters than this are never near (one letter of two is
/// another name). Three-letter names are near one letter apart (عنر for عمر, as are علي and
/// عدي): the model learns how often that is one person.
pub(crate) const NEAR_MIN_LETTERS: usize = 3;
/// Across scripts, parts shorter than this (in Arabic sounds, ayn and a first alef not counted)
/// are never near: one letter of علي (two such sounds) is half of it.
pub(crate) const NEAR_MIN_LENGTH: f64 = 3.0;

/// The level of two name parts: exact, close, partial (near: across scripts, a letter more
/// than close allows) or different.
///
/// Within a script, Jaro–Winkler already calls a typo close; across scripts the sound
/// alignment does not (a letter costs a whole sound of a name four sounds long), so one
/// person's name written in Arabic on one list, with a slip, and in Latin letters on another
/// compared as different — as brothers' names do. The near level keeps the two apart.
pub fn part_level(a: &NamePart, b: &NamePart) -> Level {
    if a.script == b.script && a.same_script_key() == b.same_script_key() {
        return Level::Exact;
    }
    let (arabic, latin) = match (a.script, b.script) {
        (Script::Arabic, Script::Latin) => (&a.sounds, &b.sounds),
        (Script::Latin, Script::Arabic) => (&b.sounds, &a.sounds),
        _ => {
            let similarity = part_similarity(a, b);
            return if similarity >= EXACT_WITHIN_SCRIPT {
                Level::Exact
            } else if similarity >= CLOSE_WITHIN_SCRIPT {
                Level::Close
            } else if a.key.len().min(b.key.len()) >= NEAR_MIN_LETTERS
                && within_one_edit_or_swap(&a.key, &b.key)
            {
                Level::Partial
            } else {
                Level::Different
            };
        }
    };
    let length = arabic_length(arabic);
    let slack = if length >= NEAR_MIN_LENGTH {
        NEAR_ACROSS_SCRIPTS_SLACK
    } else {
        0.0
    };
    let similarity = cross_script_alignment(arabic, latin, CLOSE_ACROSS_SCRIPTS, slack);
    if similarity >= EXACT_ACROSS_SCRIPTS {
        Level::Exact
    } else if similarity >= CLOSE_ACROSS_SCRIPTS {
        Level::Close
    } else if slack > 0.0 && similarity >= CLOSE_ACROSS_SCRIPTS - slack / length - 1e-9
        || near_skeletons(a, b)
    {
        Level::Partial
    } else {
        Level::Different
    }
}

/// Slots of the small cache in front of the large one (a power of two).
const RECENT_SLOTS: usize = 1 << 15;

/// Remembers the levels of name parts already compared: real lists repeat a few thousand
/// names, so most comparisons are look-ups. A small direct-mapped cache (512 KiB, it stays in
/// the processor's cache) holds the pairs seen last; behind it, a hash map holds up to four
/// million pairs.
#[derive(Debug)]
pub struct Comparer {
    recent: Vec<(u64, u64, Level)>,
    levels: FxHashMap<(u64, u64), Level>,
}

impl Default for Comparer {
    fn default() -> Self {
        Comparer {
            // Hash 0 is never looked up with itself (equal hashes return early), so the empty
            // slot (0, 0) never answers.
            recent: vec![(0, 0, Level::Missing); RECENT_SLOTS],
            levels: FxHashMap::default(),
        }
    }
}

impl Comparer {
    pub fn new() -> Comparer {
        Comparer::default()
    }

    fn part_level(&mut self, a: &NamePart, b: &NamePart) -> Level {
        if a.hash == b.hash {
            return Level::Exact;
        }
        let key = if a.hash < b.hash {
            (a.hash, b.hash)
        } else {
            (b.hash, a.hash)
        };
        let slot = ((key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 49) as usize
            & (RECENT_SLOTS - 1);
        if let Some(&(x, y, level)) = self.recent.get(slot)
            && (x, y) == key
        {
            return level;
        }
        let level = match self.levels.get(&key) {
            Some(level) => *level,
            None => {
                let level = part_level(a, b);
                if self.levels.len() < 4_000_000 {
                    self.levels.insert(key, level);
                }
                level
            }
        };
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = (key.0, key.1, level);
        }
        level
    }

    /// Compares two records.
    pub fn compare(&mut self, a: &Record, b: &Record) -> Comparison {
        let mut levels = [
            self.name_level(&a.given, &b.given),
            self.name_level(&a.father, &b.father),
            self.name_level(&a.family, &b.family),
            self.name_level(&a.mother, &b.mother),
            year_level(a.birth_year, b.birth_year),
            self.place_level(a, b),
            phone_level(a.phone.as_deref(), b.phone.as_deref()),
            self.name_level(&a.grandfather, &b.grandfather),
        ];
        // Given and father's names written the other way round: each agrees with the other
        // record's other name. Read as close (not exact: a man and his son named after his
        // father, Omar ibn Khaled and Khaled ibn Omar, look the same).
        if levels[0] > Level::Close && levels[1] > Level::Close {
            let crossed = (
                self.name_level(&a.given, &b.father),
                self.name_level(&a.father, &b.given),
            );
            if crossed.0 <= Level::Close && crossed.1 <= Level::Close {
                levels[0] = Level::Close;
                levels[1] = Level::Close;
            }
        }
        // Father's and grandfather's names the other way round, likewise.
        if levels[1] > Level::Close
            && levels[GRANDFATHER] > Level::Close
            && levels[GRANDFATHER] != Level::Missing
        {
            let crossed = (
                self.name_level(&a.father, &b.grandfather),
                self.name_level(&a.grandfather, &b.father),
            );
            if crossed.0 <= Level::Close && crossed.1 <= Level::Close {
                levels[1] = Level::Close;
                levels[GRANDFATHER] = Level::Close;
            }
        }
        let names_a = [&a.given, &a.father, &a.family, &a.grandfather];
        let names_b = [&b.given, &b.father, &b.family, &b.grandfather];
        for field in 0..3 {
            let Some(level) = levels.get_mut(field) else {
                continue;
            };
            if *level != Level::Different {
                continue;
            }
            let (Some(own_a), Some(own_b)) = (names_a.get(field), names_b.get(field)) else {
                continue;
            };
            if self.swapped(own_a, others(names_b, field)) || self.swapped(own_b, others(names_a, field)) {
                *level = Level::Partial;
            }
        }
        // A chain from one field that may have been written family name first: read it so
        // too, and keep the reading where more names agree.
        for (x, y) in [(a, b), (b, a)] {
            if !y.order_unsure {
                continue;
            }
            let (g, f, gf, fam) = rotated(&y.given, &y.father, &y.grandfather, &y.family);
            let other = [
                self.name_level(&x.given, g),
                self.name_level(&x.father, f),
                self.name_level(&x.family, fam),
                self.name_level(&x.grandfather, gf),
            ];
            apply_rotation(&mut levels, other);
        }
        Comparison::from_levels(&levels)
    }

    /// The level of two name fields: every part of the shorter one must find its match.
    pub fn name_level(&mut self, a: &Name, b: &Name) -> Level {
        if a.is_empty() || b.is_empty() {
            return Level::Missing;
        }
        let (short, long) = if a.parts.len() <= b.parts.len() {
            (a, b)
        } else {
            (b, a)
        };
        let mut worst = Level::Exact;
        let mut any = false;
        for part in short.parts.iter() {
            let mut best = Level::Different;
            for other in long.parts.iter() {
                best = best.min(self.part_level(part, other));
            }
            any |= best <= Level::Partial;
            worst = worst.max(best);
        }
        name_level_of(worst, any, short.parts.len() != long.parts.len())
    }

    /// Places: the same governorate, or the same town, is exact; a town and its own
    /// governorate are close (compatible, not different); two towns of one governorate are
    /// partial.
    pub(crate) fn place_level(&mut self, a: &Record, b: &Record) -> Level {
        match (a.place.governorate, b.place.governorate) {
            (Some(x), Some(y)) if x == y => match (a.place.town.is_empty(), b.place.town.is_empty()) {
                (true, true) => Level::Exact,
                (false, false) if a.place.town == b.place.town => Level::Exact,
                (false, false) => Level::Partial,
                _ => Level::Close,
            },
            (Some(_), Some(_)) => Level::Different,
            // A place the gazetteer does not know is compared by name with another such place
            // or a town; against a governorate alone it tells nothing (missing).
            _ => match self.name_level(a.place.compared_name(), b.place.compared_name()) {
                Level::Partial => Level::Different,
                level => level,
            },
        }
    }

    /// Whether a name field of one record agrees with a different name field of the other (the
    /// given name written where the father's or the family name should be).
    fn swapped(&mut self, a: &Name, (others, count): ([&Name; 3], usize)) -> bool {
        let Some(first) = a.first() else { return false };
        others.iter().take(count).any(|other| {
            other
                .parts
                .iter()
                .any(|part| self.part_level(first, part) <= Level::Close)
        })
    }
}

/// A name field's level from its parts': `worst`, the worst of each shorter part's best match;
/// `any`, whether some part matched at all (near or better). A shorter name all of whose parts
/// match exactly, or a name of which only some parts match, is partial.
pub(crate) fn name_level_of(worst: Level, any: bool, lengths_differ: bool) -> Level {
    match worst {
        Level::Exact if lengths_differ => Level::Partial,
        Level::Exact | Level::Close | Level::Partial => worst,
        _ if any => Level::Partial,
        _ => Level::Different,
    }
}

fn year_level(a: Option<u16>, b: Option<u16>) -> Level {
    match (a, b) {
        (Some(a), Some(b)) => match a.abs_diff(b) {
            0 => Level::Exact,
            1 => Level::Close,
            2 | 3 => Level::Partial,
            _ => Level::Different,
        },
        _ => Level::Missing,
    }
}

fn phone_level(a: Option<&str>, b: Option<&str>) -> Level {
    match (a, b) {
        (Some(a), Some(b)) if a == b => Level::Exact,
        (Some(a), Some(b)) if within_one_edit(a.as_bytes(), b.as_bytes()) => Level::Close,
        (Some(a), Some(b)) if a.get(a.len().saturating_sub(7)..) == b.get(b.len().saturating_sub(7)..) => {
            Level::Partial
        }
        (Some(_), Some(_)) => Level::Different,
        _ => Level::Missing,
    }
}

/// Whether two strings are at most one insertion, deletion or substitution apart (edit
/// distance ≤ 1, without the distance's table).
pub(crate) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    let (short_rest, long_rest) = (
        short.get(prefix..).unwrap_or_default(),
        long.get(prefix..).unwrap_or_default(),
    );
    if short.len() == long.len() {
        short_rest.get(1..) == long_rest.get(1..) || short_rest.is_empty()
    } else {
        Some(short_rest) == long_rest.get(1..)
    }
}

/// Across scripts: consonant skeletons of three or more letters one edit or one swap apart
/// (محدم for Mohammad, خادل for Khaled, Ahmet for أحمد), which the sound alignment, paying for
/// a swap twice, calls different.
fn near_skeletons(a: &NamePart, b: &NamePart) -> bool {
    let (x, y) = (a.consonants.as_bytes(), b.consonants.as_bytes());
    x.len().min(y.len()) >= NEAR_MIN_LETTERS && within_one_edit_or_swap(x, y)
}

/// Whether two strings are one edit apart or two neighbouring letters swapped (ممحد for محمد).
pub(crate) fn within_one_edit_or_swap(a: &[u8], b: &[u8]) -> bool {
    if within_one_edit(a, b) {
        return true;
    }
    if a.len() != b.len() {
        return false;
    }
    // The first difference, then the rest equal once its two letters are swapped.
    let Some(i) = (0..a.len()).find(|&i| a.get(i) != b.get(i)) else {
        return true;
    };
    a.get(i) == b.get(i + 1) && a.get(i + 1) == b.get(i) && a.get(i + 2..) == b.get(i + 2..)
}

/// Compares two records (without remembering name levels; see [`Comparer`]).
pub fn compare(a: &Record, b: &Record) -> Comparison {
    Comparer::new().compare(a, b)
}

/// A chain read family name first: (given, father, grandfather, family) from the fields read
/// in the usual order (given ← father, father ← grandfather or, with three parts, family,
/// grandfather ← family with four parts, family ← given).
pub(crate) fn rotated<'n, T: ?Sized + Emptiness>(
    given: &'n T,
    father: &'n T,
    grandfather: &'n T,
    family: &'n T,
) -> (&'n T, &'n T, &'n T, &'n T) {
    if grandfather.empty() {
        (father, family, grandfather, given)
    } else {
        (father, grandfather, family, given)
    }
}

/// Whether a name field is empty, for [`rotated`].
pub(crate) trait Emptiness {
    fn empty(&self) -> bool;
}

impl Emptiness for Name {
    fn empty(&self) -> bool {
        self.is_empty()
    }
}

/// Takes the rotated reading's levels of given, father, family and grandfather when more of
/// given, father and family agree (exact or close) in it, at least two.
pub(crate) fn apply_rotation(levels: &mut [Level; Field::COUNT], rotated: [Level; 4]) {
    let agree = |l: &Level| *l <= Level::Close;
    let now = levels.iter().take(3).filter(|l| agree(l)).count();
    let then = rotated.iter().take(3).filter(|l| agree(l)).count();
    if then >= 2 && then > now {
        let [g, f, fam, gf] = rotated;
        levels[0] = g;
        levels[1] = f;
        levels[2] = fam;
        levels[GRANDFATHER] = gf;
    }
}

/// The name fields a field's name may have strayed into: for the father's name also the
/// grandfather's (a chain written without the father's name, or the two swapped); never the
/// grandfather's for the given name (an eldest son is often named after his grandfather).
/// (Two entries, or three for the father's name: the slice of them to look at.)
fn others(names: [&Name; 4], field: usize) -> ([&Name; 3], usize) {
    match field {
        0 => ([names[1], names[2], names[2]], 2),
        1 => ([names[0], names[2], names[3]], 3),
        _ => ([names[0], names[1], names[1]], 2),
    }
}

/// Whether a part is written in Arabic script.
pub fn is_arabic(part: &NamePart) -> bool {
    part.script == Script::Arabic
}

#[cfg(test)]
mod tests {
    use super::within_one_edit;

    #[test]
    fn one_edit_agrees_with_the_edit_distance() {
        let words: [&[u8]; 9] = [
            b"",
            b"9",
            b"944",
            b"945",
            b"9445",
            b"4944",
            b"944123456",
            b"944123457",
            b"94412345",
        ];
        for a in words {
            for b in words {
                let distance = crate::similarity::levenshtein(a, b);
                assert_eq!(within_one_edit(a, b), distance <= 1, "{a:?} {b:?}");
            }
        }
    }
}
