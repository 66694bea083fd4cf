//! Person records as they arrive (text fields) and as they are compared (parsed once).

use rustc_hash::FxHashMap;

use crate::name::Name;
use crate::normalize::digits;
use crate::place::{Gazetteer, Place};

/// One person record as given: every field optional text. Either the name parts are given
/// separately or `full_name` holds them in the usual order (given, father, [grandfather], family).
#[derive(Debug, Clone, Default)]
pub struct RecordInput {
    pub full_name: String,
    pub given: String,
    pub father: String,
    pub family: String,
    pub mother: String,
    pub birth_year: String,
    pub place: String,
    pub phone: String,
}

/// A record parsed for comparison.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub given: Name,
    pub father: Name,
    pub family: Name,
    pub mother: Name,
    pub birth_year: Option<u16>,
    pub place: Place,
    /// The national significant number: the last nine digits, without country code or trunk 0.
    pub phone: Option<String>,
}

impl Record {
    pub fn prepare(input: &RecordInput, gazetteer: &Gazetteer) -> Record {
        Record::prepare_with(input, gazetteer, &mut Memo::default())
    }

    /// Prepares many records on `threads` threads. Lists repeat the same names, places and
    /// years thousands of times, so each thread parses each distinct text once. The same
    /// records as [`Record::prepare`] one by one, in the same order.
    pub fn prepare_all(inputs: &[RecordInput], gazetteer: &Gazetteer, threads: usize) -> Vec<Record> {
        let chunk = inputs.len().div_ceil(threads.max(1)).max(1);
        let prepare_chunk = |slice: &[RecordInput]| -> Vec<Record> {
            let mut memo = Memo::default();
            slice
                .iter()
                .map(|input| Record::prepare_with(input, gazetteer, &mut memo))
                .collect()
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = inputs
                .chunks(chunk)
                .map(|slice| scope.spawn(move || prepare_chunk(slice)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    fn prepare_with<'a>(input: &'a RecordInput, gazetteer: &Gazetteer, memo: &mut Memo<'a>) -> Record {
        let mut given = memo.name(&input.given);
        let mut father = memo.name(&input.father);
        let mut family = memo.name(&input.family);
        if given.is_empty() && father.is_empty() && family.is_empty() {
            let full = memo.name(&input.full_name);
            let mut parts = full.parts.into_iter();
            let count = parts.len();
            if let Some(first) = parts.next() {
                given.parts.push(first);
            }
            let rest: Vec<_> = parts.collect();
            if let Some((last, middle)) = rest.split_last() {
                family.parts.push(last.clone());
                if count >= 3
                    && let Some(f) = middle.first()
                {
                    father.parts.push(f.clone());
                }
            }
        }
        Record {
            given,
            father,
            family,
            mother: memo.name(&input.mother),
            birth_year: memo.year(&input.birth_year),
            place: memo.place(gazetteer, &input.place),
            phone: phone_number(&input.phone),
        }
    }
}

/// Texts already parsed (at most a million of each kind).
#[derive(Default)]
struct Memo<'a> {
    names: FxHashMap<&'a str, Name>,
    places: FxHashMap<&'a str, Place>,
    years: FxHashMap<&'a str, Option<u16>>,
}

const MEMO_LIMIT: usize = 1_000_000;

impl<'a> Memo<'a> {
    fn name(&mut self, text: &'a str) -> Name {
        if text.is_empty() {
            return Name::default();
        }
        if let Some(name) = self.names.get(text) {
            return name.clone();
        }
        let name = Name::parse(text);
        if self.names.len() < MEMO_LIMIT {
            self.names.insert(text, name.clone());
        }
        name
    }

    fn place(&mut self, gazetteer: &Gazetteer, text: &'a str) -> Place {
        if let Some(place) = self.places.get(text) {
            return place.clone();
        }
        let place = gazetteer.place(text);
        if self.places.len() < MEMO_LIMIT {
            self.places.insert(text, place.clone());
        }
        place
    }

    fn year(&mut self, text: &'a str) -> Option<u16> {
        if let Some(year) = self.years.get(text) {
            return *year;
        }
        let year = parse_year(text);
        if self.years.len() < MEMO_LIMIT {
            self.years.insert(text, year);
        }
        year
    }
}

/// A plausible birth year (1900–2100) from text in any digits, or nothing.
pub fn parse_year(text: &str) -> Option<u16> {
    // The first run of four digits in range: "1985", "١٩٨٥", "15/03/1985", "1985-03-15".
    let normalized = crate::normalize::normalize(text);
    normalized
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 4)
        .filter_map(|run| run.parse::<u16>().ok())
        .find(|year| (1900..=2100).contains(year))
}

/// The last nine digits of a phone number (Syrian numbers: 9 significant digits), or nothing if
/// fewer than seven digits are given.
pub fn phone_number(text: &str) -> Option<String> {
    let digits = digits(text);
    if digits.len() < 7 {
        return None;
    }
    let start = digits.len().saturating_sub(9);
    digits.get(start..).map(str::to_owned)
}
