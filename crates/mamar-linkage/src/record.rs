//! Person records as they arrive (text fields) and as they are compared (parsed once).

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
        let mut given = Name::parse(&input.given);
        let mut father = Name::parse(&input.father);
        let mut family = Name::parse(&input.family);
        if given.is_empty() && father.is_empty() && family.is_empty() {
            let full = Name::parse(&input.full_name);
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
            mother: Name::parse(&input.mother),
            birth_year: parse_year(&input.birth_year),
            place: gazetteer.place(&input.place),
            phone: phone_number(&input.phone),
        }
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
