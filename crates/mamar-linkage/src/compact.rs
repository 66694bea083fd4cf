//! Records in the compact form the linkage compares millions of times: every name part as a
//! number (the most common parts first), each record's fields in one small fixed-size value.
//!
//! Comparing two [`Record`]s follows pointers to several heap blocks per name; at millions of
//! pairs in random order, the time goes to waiting for memory. Here a record is one 32-byte
//! value (half a cache line), and the levels of the most common pairs of name parts sit in a dense table that stays
//! in the processor's cache. [`Comparer::compare`](crate::compare::Comparer::compare) is the
//! reference: [`CompactComparer::compare`] gives the same levels (a test checks it on
//! generated lists).

use rustc_hash::FxHashMap;

use crate::compare::{
    Comparer, Comparison, Emptiness, GRANDFATHER, Level, apply_rotation, name_level_of, part_level, rotated,
};
use crate::model::TF_FIELDS;
use crate::name::{Name, NamePart};
use crate::record::Record;

/// Parts kept per name field; a record with more (three fields in ten thousand) goes the slow
/// way.
const PARTS: usize = 2;
/// No part; parts numbered this or more (the rarest, if there are that many) go the slow way.
const NONE: u16 = u16::MAX;
/// A known town in the place slot: `[TOWN, the town's number]` (a town's name may have more
/// parts than fit).
const TOWN: u16 = NONE - 1;
/// No part, among the first parts kept for term frequencies.
const NO_FIRST: u32 = u32::MAX;
/// The most common parts, whose pairwise levels are kept in a dense table (four bits a pair,
/// each pair once: COMMON² / 4 bytes, small enough to stay in the processor's cache).
const COMMON: usize = 2048;
/// The most common of all, in a table of their own that fits the fastest cache (16 KiB): two
/// pairs of parts in three compared are pairs of these.
const TOP: usize = 256;
/// The levels of the dense tables' four-bit codes (0: not yet known).
const CODES: [Level; 5] = [
    Level::Missing,
    Level::Exact,
    Level::Close,
    Level::Partial,
    Level::Different,
];
/// Slots of the direct-mapped cache for the other pairs (a power of two).
const RECENT_SLOTS: usize = 1 << 15;

#[derive(Debug, Clone, Copy, Default)]
#[repr(align(32))]
pub(crate) struct Fields {
    /// The phone's digits as a number (see `phone_digits`).
    phone: u32,
    /// 0: none.
    year: u16,
    /// Given, father's, family, mother's, grandfather's name, place name: part numbers, `NONE`
    /// after the last.
    names: [[u16; PARTS]; 6],
    /// The number of the phone's digits (0: no phone) in the low four bits; `OVERFLOW`: more
    /// parts than fit, a part numbered too high, or a phone that is not all digits: compare
    /// the full records. (One byte for both keeps a record in 32 bytes.)
    digits_and_overflow: u8,
    /// 0: none; else the governorate's number + 1.
    governorate: u8,
}

const OVERFLOW: u8 = 0x80;
/// The record's `order_unsure` (see `Record`).
const ORDER_UNSURE: u8 = 0x10;

impl Emptiness for [u16; PARTS] {
    fn empty(&self) -> bool {
        self[0] == NONE
    }
}

impl Fields {
    #[inline]
    fn phone_digits(&self) -> u8 {
        self.digits_and_overflow & 0x0F
    }

    #[inline]
    fn order_unsure(&self) -> bool {
        self.digits_and_overflow & ORDER_UNSURE != 0
    }

    #[inline]
    fn overflow(&self) -> bool {
        self.digits_and_overflow & OVERFLOW != 0
    }
}

/// The records of one run in compact form.
pub struct Compacted<'r> {
    records: &'r [Record],
    parts: Vec<&'r NamePart>,
    fields: Vec<Fields>,
    /// The number of the first part of each record's given, father's, family and mother's
    /// name (`NO_FIRST`: none).
    firsts: Vec<[u32; TF_FIELDS]>,
}

fn names(record: &Record) -> [&Name; 6] {
    [
        &record.given,
        &record.father,
        &record.family,
        &record.mother,
        &record.grandfather,
        record.place.compared_name(),
    ]
}

impl<'r> Compacted<'r> {
    pub fn new(records: &'r [Record]) -> Compacted<'r> {
        Compacted::with_threads(records, 1)
    }

    /// [`Compacted::new`] on `threads` threads (the same result).
    pub fn with_threads(records: &'r [Record], threads: usize) -> Compacted<'r> {
        let chunk = records.len().div_ceil(threads.max(1)).max(1);
        // Number the parts by how often they occur, most common first.
        let partial: Vec<FxHashMap<u64, (u32, &'r NamePart)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = records
                .chunks(chunk)
                .map(|slice| {
                    scope.spawn(move || {
                        let mut counts: FxHashMap<u64, (u32, &'r NamePart)> = FxHashMap::default();
                        for record in slice {
                            for name in names(record).into_iter().take(if record.place.town.is_empty() {
                                6
                            } else {
                                5
                            }) {
                                for part in name.parts.iter() {
                                    counts.entry(part.hash).or_insert((0, part)).0 += 1;
                                }
                            }
                        }
                        counts
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut partial = partial.into_iter();
        let mut counts = partial.next().unwrap_or_default();
        for more in partial {
            for (hash, (count, part)) in more {
                // The part first met stays the one that stands for its hash.
                counts.entry(hash).or_insert((0, part)).0 += count;
            }
        }
        let mut ordered: Vec<(u64, u32, &'r NamePart)> = counts
            .into_iter()
            .map(|(hash, (count, part))| (hash, count, part))
            .collect();
        ordered.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let number: FxHashMap<u64, u32> = ordered
            .iter()
            .enumerate()
            .map(|(i, (hash, _, _))| (*hash, u32::try_from(i).unwrap_or(NO_FIRST)))
            .collect();
        let parts: Vec<&'r NamePart> = ordered.iter().map(|(_, _, part)| *part).collect();
        let mut governorates: FxHashMap<&'static str, u8> = FxHashMap::default();
        for governorate in records.iter().filter_map(|r| r.place.governorate) {
            let next = u8::try_from(governorates.len() + 1).unwrap_or(u8::MAX);
            governorates.entry(governorate).or_insert(next);
        }
        // Towns by number, in order of first appearance.
        let mut towns: FxHashMap<u64, u16> = FxHashMap::default();
        for record in records.iter().filter(|r| !r.place.town.is_empty()) {
            let next = u16::try_from(towns.len()).unwrap_or(NONE);
            towns.entry(town_key(&record.place.town)).or_insert(next);
        }
        let (number, governorates, towns) = (&number, &governorates, &towns);
        let compact = move |record: &Record| -> (Fields, [u32; TF_FIELDS]) {
            let mut overflow = false;
            let mut out = [[NONE; PARTS]; 6];
            let town =
                (!record.place.town.is_empty()).then(|| towns.get(&town_key(&record.place.town)).copied());
            for (slot, name) in out
                .iter_mut()
                .zip(names(record))
                .take(if town.is_some() { 5 } else { 6 })
            {
                overflow |= name.parts.len() > PARTS;
                for (cell, part) in slot.iter_mut().zip(name.parts.iter()) {
                    match number.get(&part.hash).and_then(|&n| u16::try_from(n).ok()) {
                        Some(n) if n < TOWN => *cell = n,
                        _ => overflow = true,
                    }
                }
            }
            match town {
                Some(Some(t)) if t < TOWN => out[5] = [TOWN, t],
                Some(_) => overflow = true,
                None => {}
            }
            let (phone, phone_digits) = match record.phone.as_deref() {
                Some(text) => match text.parse::<u32>() {
                    Ok(value) if text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit()) => {
                        (value, u8::try_from(text.len()).unwrap_or(0))
                    }
                    _ => {
                        overflow = true;
                        (0, 0)
                    }
                },
                None => (0, 0),
            };
            let governorate = record
                .place
                .governorate
                .and_then(|g| governorates.get(g).copied())
                .unwrap_or(0);
            let [given, father, family, mother, grandfather, _] = names(record);
            let firsts = [given, father, family, mother, grandfather].map(|name| {
                name.first()
                    .and_then(|part| number.get(&part.hash).copied())
                    .unwrap_or(NO_FIRST)
            });
            let fields = Fields {
                names: out,
                phone,
                digits_and_overflow: (phone_digits & 0x0F)
                    | if overflow { OVERFLOW } else { 0 }
                    | if record.order_unsure { ORDER_UNSURE } else { 0 },
                governorate,
                year: record.birth_year.unwrap_or(0),
            };
            (fields, firsts)
        };
        let (fields, firsts): (Vec<Fields>, Vec<[u32; TF_FIELDS]>) = std::thread::scope(|scope| {
            let handles: Vec<_> = records
                .chunks(chunk)
                .map(|slice| scope.spawn(move || slice.iter().map(compact).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .unzip()
        });
        Compacted {
            records,
            parts,
            fields,
            firsts,
        }
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// The number of the first part of a record's given, father's, family, mother's and
    /// grandfather's name (`None` for an empty field).
    pub(crate) fn first_parts(&self, record: usize) -> [Option<u32>; TF_FIELDS] {
        self.firsts
            .get(record)
            .map_or([None; TF_FIELDS], |row| row.map(|p| (p != NO_FIRST).then_some(p)))
    }

    /// A record's compact fields.
    pub(crate) fn fields(&self, record: usize) -> Fields {
        self.fields.get(record).copied().unwrap_or_default()
    }

    /// The parts, by number.
    pub(crate) fn parts(&self) -> &[&'r NamePart] {
        &self.parts
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// Compares compact records, remembering the levels of name parts (one per thread).
pub struct CompactComparer {
    top: Vec<u8>,
    common: Vec<u8>,
    recent: Vec<(u64, Level)>,
    levels: FxHashMap<u64, Level>,
    slow: Comparer,
}

impl Default for CompactComparer {
    fn default() -> Self {
        CompactComparer {
            // Four bits a pair: 0 not yet known, else the level + 1 (exact, close, near,
            // different).
            top: vec![0; triangle(TOP).div_ceil(2)],
            common: vec![0; triangle(COMMON).div_ceil(2)],
            // Key u64::MAX would need two parts numbered NONE, which are never compared.
            recent: vec![(u64::MAX, Level::Missing); RECENT_SLOTS],
            levels: FxHashMap::default(),
            slow: Comparer::new(),
        }
    }
}

impl CompactComparer {
    pub fn new() -> CompactComparer {
        CompactComparer::default()
    }

    /// The level of parts `a` and `b`. Most calls are answered by a dense table, inline; the
    /// rest (a level computed for the first time, a pair of rarer parts) take
    /// [`CompactComparer::part_level_slow`], so that the common path saves no registers.
    #[inline(always)]
    fn part_level(&mut self, parts: &[&NamePart], a: u16, b: u16) -> Level {
        if a == b {
            return Level::Exact;
        }
        // Only pairs low < high are kept: the tables are triangles, half the size of squares,
        // and more of them stays in the processor's cache.
        let (low, high) = if a < b {
            (usize::from(a), usize::from(b))
        } else {
            (usize::from(b), usize::from(a))
        };
        let table = if high < TOP {
            &self.top
        } else if high < COMMON {
            &self.common
        } else {
            return self.part_level_slow(parts, low, high);
        };
        let index = triangle(high) + low;
        let code = table
            .get(index >> 1)
            .map_or(0, |&byte| (byte >> ((index & 1) * 4)) & 15);
        if code != 0 {
            return CODES.get(usize::from(code)).copied().unwrap_or(Level::Different);
        }
        self.part_level_slow(parts, low, high)
    }

    /// [`CompactComparer::part_level`] of parts `low` < `high` not (yet) in a dense table:
    /// computed and kept, or looked up in the cache of rarer pairs.
    #[cold]
    #[inline(never)]
    fn part_level_slow(&mut self, parts: &[&NamePart], low: usize, high: usize) -> Level {
        let compute = || match (parts.get(low), parts.get(high)) {
            (Some(x), Some(y)) => part_level(x, y),
            _ => Level::Different,
        };
        let dense = if high < TOP {
            Some(&mut self.top)
        } else if high < COMMON {
            Some(&mut self.common)
        } else {
            None
        };
        if let Some(table) = dense {
            let index = triangle(high) + low;
            let level = compute();
            let code = match level {
                Level::Exact => 1u8,
                Level::Close => 2,
                Level::Partial => 3,
                _ => 4,
            };
            if let Some(byte) = table.get_mut(index >> 1) {
                *byte |= code << ((index & 1) * 4);
            }
            return level;
        }
        let key = ((low as u64) << 32) | high as u64;
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 49) as usize & (RECENT_SLOTS - 1);
        if let Some(&(k, level)) = self.recent.get(slot)
            && k == key
        {
            return level;
        }
        let level = match self.levels.get(&key) {
            Some(level) => *level,
            None => {
                let level = compute();
                if self.levels.len() < 4_000_000 {
                    self.levels.insert(key, level);
                }
                level
            }
        };
        if let Some(entry) = self.recent.get_mut(slot) {
            *entry = (key, level);
        }
        level
    }

    /// The level of two name fields (see [`Comparer::name_level`]).
    fn name_level(&mut self, parts: &[&NamePart], a: &[u16; PARTS], b: &[u16; PARTS]) -> Level {
        if a[0] == NONE || b[0] == NONE {
            return Level::Missing;
        }
        // Most names are one part on both sides: their level is the parts'.
        if a[1] == NONE && b[1] == NONE {
            let level = self.part_level(parts, a[0], b[0]);
            return name_level_of(level, level <= Level::Partial, false);
        }
        let count = |n: &[u16; PARTS]| n.iter().take_while(|&&p| p != NONE).count();
        let (len_a, len_b) = (count(a), count(b));
        let (short, long, short_len, long_len) = if len_a <= len_b {
            (a, b, len_a, len_b)
        } else {
            (b, a, len_b, len_a)
        };
        let mut worst = Level::Exact;
        let mut any = false;
        for &part in short.iter().take(short_len) {
            let mut best = Level::Different;
            for &other in long.iter().take(long_len) {
                best = best.min(self.part_level(parts, part, other));
                if best == Level::Exact {
                    break;
                }
            }
            any |= best <= Level::Partial;
            worst = worst.max(best);
        }
        name_level_of(worst, any, short_len != long_len)
    }

    /// Whether the first part of `own` agrees (exact or close) with a part of `others`.
    fn swapped(
        &mut self,
        parts: &[&NamePart],
        own: &[u16; PARTS],
        (others, count): ([&[u16; PARTS]; 3], usize),
    ) -> bool {
        let first = own[0];
        if first == NONE {
            return false;
        }
        others.iter().take(count).any(|other| {
            other
                .iter()
                .take_while(|&&p| p != NONE)
                .any(|&p| self.part_level(parts, first, p) <= Level::Close)
        })
    }

    /// Compares records `a` and `b` of `compacted`; the same levels as
    /// [`Comparer::compare`](crate::compare::Comparer::compare) on the full records.
    pub fn compare(&mut self, compacted: &Compacted<'_>, a: usize, b: usize) -> Comparison {
        let (Some(x), Some(y)) = (compacted.fields.get(a), compacted.fields.get(b)) else {
            return Comparison(u32::MAX);
        };
        self.compare_fields(compacted, a, x, b, y)
    }

    /// [`CompactComparer::compare`] with the records' compact fields already read.
    pub(crate) fn compare_fields(
        &mut self,
        compacted: &Compacted<'_>,
        a: usize,
        x: &Fields,
        b: usize,
        y: &Fields,
    ) -> Comparison {
        if x.overflow() || y.overflow() {
            return match (compacted.records.get(a), compacted.records.get(b)) {
                (Some(ra), Some(rb)) => self.slow.compare(ra, rb),
                _ => Comparison(u32::MAX),
            };
        }
        let parts = compacted.parts.as_slice();
        let [given_a, father_a, family_a, mother_a, grandfather_a, place_a] = &x.names;
        let [given_b, father_b, family_b, mother_b, grandfather_b, place_b] = &y.names;
        let mut levels = [
            self.name_level(parts, given_a, given_b),
            self.name_level(parts, father_a, father_b),
            self.name_level(parts, family_a, family_b),
            self.name_level(parts, mother_a, mother_b),
            year_level(x.year, y.year),
            match (x.governorate, y.governorate) {
                // No place on one side.
                (0, _) if place_a[0] == NONE => Level::Missing,
                (_, 0) if place_b[0] == NONE => Level::Missing,
                // A town against a place the gazetteer does not know: by name, the slow way.
                (0, _) | (_, 0) if place_a[0] == TOWN || place_b[0] == TOWN => {
                    match (compacted.records.get(a), compacted.records.get(b)) {
                        (Some(ra), Some(rb)) => self.slow.place_level(ra, rb),
                        _ => Level::Missing,
                    }
                }
                (0, _) | (_, 0) => match self.name_level(parts, place_a, place_b) {
                    Level::Partial => Level::Different,
                    level => level,
                },
                // The same governorate: the towns (see `Comparer::place_level`).
                (g, h) if g == h => match (place_a[0] == NONE, place_b[0] == NONE) {
                    (true, true) => Level::Exact,
                    (false, false) if place_a == place_b => Level::Exact,
                    (false, false) => Level::Partial,
                    _ => Level::Close,
                },
                _ => Level::Different,
            },
            phone_level(x, y),
            self.name_level(parts, grandfather_a, grandfather_b),
        ];
        // Given and father's names the other way round (see `Comparer::compare`).
        if levels[0] > Level::Close
            && levels[1] > Level::Close
            && self.name_level(parts, given_a, father_b) <= Level::Close
            && self.name_level(parts, father_a, given_b) <= Level::Close
        {
            levels[0] = Level::Close;
            levels[1] = Level::Close;
        }
        // Father's and grandfather's names the other way round, likewise.
        if levels[1] > Level::Close
            && levels[GRANDFATHER] > Level::Close
            && levels[GRANDFATHER] != Level::Missing
            && self.name_level(parts, father_a, grandfather_b) <= Level::Close
            && self.name_level(parts, grandfather_a, father_b) <= Level::Close
        {
            levels[1] = Level::Close;
            levels[GRANDFATHER] = Level::Close;
        }
        let names_a = [given_a, father_a, family_a, grandfather_a];
        let names_b = [given_b, father_b, family_b, grandfather_b];
        for field in 0..3 {
            if levels.get(field) != Some(&Level::Different) {
                continue;
            }
            let (Some(own_a), Some(own_b)) = (names_a.get(field), names_b.get(field)) else {
                continue;
            };
            if (self.swapped(parts, own_a, others(names_b, field))
                || self.swapped(parts, own_b, others(names_a, field)))
                && let Some(level) = levels.get_mut(field)
            {
                *level = Level::Partial;
            }
        }
        // A chain that may have been written family name first (see `Comparer::compare`).
        for (p, q) in [(x, y), (y, x)] {
            if !q.order_unsure() {
                continue;
            }
            let [given, father, family, _, grandfather, _] = &q.names;
            let (g, f, gf, fam) = rotated(given, father, grandfather, family);
            let other = [
                self.name_level(parts, &p.names[0], g),
                self.name_level(parts, &p.names[1], f),
                self.name_level(parts, &p.names[2], fam),
                self.name_level(parts, &p.names[4], gf),
            ];
            apply_rotation(&mut levels, other);
        }
        Comparison::from_levels(&levels)
    }
}

/// The pairs (low, high) with low < high < `high`: where row `high` of a triangular table
/// starts.
#[inline]
const fn triangle(high: usize) -> usize {
    high * high.saturating_sub(1) / 2
}

/// The name fields a field's name may have strayed into: for the father's name also the
/// grandfather's (a chain written without the father's name, or the two swapped); never the
/// grandfather's for the given name (an eldest son is often named after his grandfather).
/// (Two entries, or three for the father's name: the slice of them to look at.)
fn others(names: [&[u16; PARTS]; 4], field: usize) -> ([&[u16; PARTS]; 3], usize) {
    match field {
        0 => ([names[1], names[2], names[2]], 2),
        1 => ([names[0], names[2], names[3]], 3),
        _ => ([names[0], names[1], names[1]], 2),
    }
}

/// A town's identity: its name's parts (one spelling for all, see `Place::town`).
fn town_key(town: &Name) -> u64 {
    town.parts.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, part| {
        (h ^ part.hash).wrapping_mul(0x100_0000_01b3)
    })
}

fn year_level(a: u16, b: u16) -> Level {
    if a == 0 || b == 0 {
        return Level::Missing;
    }
    match a.abs_diff(b) {
        0 => Level::Exact,
        1 => Level::Close,
        2 | 3 => Level::Partial,
        _ => Level::Different,
    }
}

/// The phone's digits, most significant first, without leading zeros lost.
fn digits(value: u32, count: u8) -> ([u8; 9], usize) {
    let mut out = [0u8; 9];
    let count = usize::from(count).min(9);
    let mut v = value;
    for slot in out.iter_mut().take(count).rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    (out, count)
}

fn phone_level(x: &Fields, y: &Fields) -> Level {
    if x.phone_digits() == 0 || y.phone_digits() == 0 {
        return Level::Missing;
    }
    if x.phone == y.phone && x.phone_digits() == y.phone_digits() {
        return Level::Exact;
    }
    if x.phone_digits() == y.phone_digits() {
        // As many digits: one edit is one digit different.
        let (mut p, mut q, mut different) = (x.phone, y.phone, 0);
        for _ in 0..x.phone_digits() {
            different += u32::from(p % 10 != q % 10);
            p /= 10;
            q /= 10;
        }
        if different <= 1 {
            return Level::Close;
        }
    } else {
        let (a, la) = digits(x.phone, x.phone_digits());
        let (b, lb) = digits(y.phone, y.phone_digits());
        if crate::compare::within_one_edit(a.get(..la).unwrap_or_default(), b.get(..lb).unwrap_or_default()) {
            return Level::Close;
        }
    }
    let last_seven_agree = if x.phone_digits() >= 7 && y.phone_digits() >= 7 {
        x.phone % 10_000_000 == y.phone % 10_000_000
    } else {
        let (a, la) = digits(x.phone, x.phone_digits());
        let (b, lb) = digits(y.phone, y.phone_digits());
        a.get(la.saturating_sub(7)..la) == b.get(lb.saturating_sub(7)..lb)
    };
    if last_seven_agree {
        Level::Partial
    } else {
        Level::Different
    }
}
