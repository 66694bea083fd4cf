//! Brothers: the non-match that looks most like a match.
//!
//! Two brothers share the father, the grandfather, the family name, the mother, the place and
//! often the home phone; they differ in the given name and the birth year (twins only in the
//! given name). Fellegi–Sunter weighs each field's agreement against a *random* pair of
//! people, among whom agreeing on all of these at once is nearly impossible, so the shared
//! household outweighs a different given name and brothers come out as one person.
//!
//! A non-match can be a stranger or a brother. The model has three kinds of pair, not two:
//! matches (m), strangers (u), and brothers, who agree on the household's fields as matches
//! do (m), and on the given name and the birth year in their own way. Each EM session
//! estimates the brothers' years beside m, and, where it leaves the given name free, their
//! given names' levels (a session blocked on the phone, or on the family name, the mother and
//! the year, holds many brothers; counted as matches they would teach the model that a
//! match's given names often differ). The given names start as strangers' (u) and are
//! learnt from the lists: parents do not give two sons one name, so on lists like the
//! generator's the model finds that brothers' given names agree less often than strangers',
//! and a household pair that agrees on the given name is a match even when the year is
//! missing or one off, which says little between a man and his brother. The number of
//! brother pairs is found like
//! the number of matches, as a fixed point over the candidate pairs. A pair's weight is then
//! the log-odds of a match against both other kinds: log2(o_match / (1 + o_brothers)), each
//! o being odds against strangers. Where the household agrees, o_brothers is large and only
//! the given name and the year speak, as they should; elsewhere it is negligible and the
//! weight is the Fellegi–Sunter weight. Nothing is set by hand: the brothers' years and
//! number come from the lists.
//!
//! Clustering keeps apart the records of pairs that brothers explain better than a match and
//! that score below the review threshold: no chain of links joins them (see
//! [`crate::cluster::Apart`]).

use crate::compare::{Comparison, Field, Level};
use crate::model::{Parameters, floored, patterns_by_kind, three_kinds};

mod sample;
pub use sample::{HouseholdSample, sample_households};

const LEVELS: usize = Level::AGREEMENT_LEVELS;

/// The brothers' part of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdFit {
    /// The prior probability that two records picked at random are of brothers.
    pub lambda: f64,
    /// The expected number of brother pairs among the candidate pairs.
    pub brothers: f64,
    /// The birth year's levels between brothers' records.
    pub year: [f64; LEVELS],
    /// The given name's levels between brothers' records (brothers are not given one name:
    /// learnt, not assumed; strangers' levels where no session could learn them).
    pub given: [f64; LEVELS],
    /// Brother pairs per matching pair among the pairs that share a household key, as the
    /// household sample says (see [`learn_brothers`]); `None` when the brothers' number was
    /// found among the candidate pairs alone.
    pub per_match: Option<f64>,
}

/// What the pairs sharing a household key say of brothers (see [`learn_brothers`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SampleBrothers {
    /// The expected brother and matching pairs in the sample.
    pub brothers: f64,
    pub matches: f64,
    /// The birth year's and the given name's levels between brothers.
    pub year: [f64; LEVELS],
    pub given: [f64; LEVELS],
}

/// Fewer expected brothers or matches than this in the sample, and it says nothing.
const MIN_SAMPLE_PAIRS: f64 = 100.0;

/// EM over the household sample with three kinds of pair: matches (m and u as the sessions
/// found them, held), brothers (as matches, but for their given names and years, estimated
/// here) and strangers; the father's and the family name, which the sample is drawn on, are
/// left out. Returns `None` if the sample holds too few of either kind to say anything.
pub fn learn_brothers(
    sample: &HouseholdSample,
    m: &[[f64; LEVELS]; Field::COUNT],
    u: &[[f64; LEVELS]; Field::COUNT],
    max_iterations: usize,
) -> Option<SampleBrothers> {
    let (given, year) = (Field::Given as usize, Field::BirthYear as usize);
    let drawn = [Field::Father as usize, Field::Family as usize];
    let clear: u32 = drawn.iter().fold(0, |acc, f| acc | (0b111 << (3 * f)));
    let mask: u32 = drawn
        .iter()
        .fold(0, |acc, f| acc | ((Level::Missing as u32) << (3 * f)));
    // Each kind's pairs, and its shares of matches and brothers: a pair inside a list with
    // few duplicates is less often a match than a pair across two lists of the same people,
    // while brothers fall in each kind as all pairs do.
    let (patterns, kind_pairs) = patterns_by_kind(&sample.patterns, (clear, mask));
    let total: f64 = kind_pairs.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let log_ratio = |row: &[f64; LEVELS], field: usize, level: usize| match (
        row.get(level),
        u.get(field).and_then(|r| r.get(level)),
    ) {
        (Some(a), Some(b)) => (a.max(1e-12) / b.max(1e-12)).log2(),
        _ => 0.0,
    };
    let mut shares = vec![(0.1f64, 0.1f64); kind_pairs.len()];
    let mut brothers_year = [0.05, 0.2, 0.3, 0.45];
    let mut brothers_given = u.get(given).copied().unwrap_or([0.25; LEVELS]);
    let (mut expected_match, mut expected_brothers) = (0.0, 0.0);
    for _ in 0..max_iterations {
        let table = |field: usize, own: Option<&[f64; LEVELS]>| -> [f64; LEVELS + 1] {
            std::array::from_fn(|level| match (own, m.get(field)) {
                _ if level >= LEVELS || drawn.contains(&field) => 0.0,
                (Some(row), _) | (None, Some(row)) => log_ratio(row, field, level),
                (None, None) => 0.0,
            })
        };
        let match_table: [[f64; LEVELS + 1]; Field::COUNT] = std::array::from_fn(|field| table(field, None));
        let brothers_table: [[f64; LEVELS + 1]; Field::COUNT] = std::array::from_fn(|field| {
            let own = match field {
                f if f == year => Some(&brothers_year),
                f if f == given => Some(&brothers_given),
                _ => None,
            };
            table(field, own)
        });
        let priors: Vec<(f64, f64)> = shares
            .iter()
            .map(|(share_match, share_brothers)| {
                let strangers = (1.0 - share_match - share_brothers).max(1e-9);
                (
                    (share_match.max(1e-12) / strangers).log2(),
                    (share_brothers.max(1e-12) / strangers).log2(),
                )
            })
            .collect();
        let (mut year_counts, mut given_counts) = ([0.5f64; LEVELS], [0.5f64; LEVELS]);
        let mut kind_expected = vec![(0f64, 0f64); kind_pairs.len()];
        (expected_match, expected_brothers) = (0.0, 0.0);
        for &(comparison, kind, count) in &patterns {
            let (p, b) = three_kinds(
                comparison,
                priors.get(kind).copied().unwrap_or_default(),
                &match_table,
                &brothers_table,
            );
            let b = b * count;
            expected_match += p * count;
            expected_brothers += b;
            if let Some(expected) = kind_expected.get_mut(kind) {
                expected.0 += p * count;
                expected.1 += b;
            }
            if let Some(slot) = year_counts.get_mut(comparison.level(year) as usize) {
                *slot += b;
            }
            if let Some(slot) = given_counts.get_mut(comparison.level(given) as usize) {
                *slot += b;
            }
        }
        let (next_year, next_given) = (floored(year_counts), floored(given_counts));
        let next: Vec<(f64, f64)> = kind_expected
            .iter()
            .zip(&kind_pairs)
            .map(|((matches, brothers), pairs)| {
                let pairs = pairs.max(1.0);
                ((matches / pairs).max(1e-12), (brothers / pairs).max(1e-12))
            })
            .collect();
        let change = next
            .iter()
            .zip(&shares)
            .flat_map(|(a, b)| {
                [
                    (a.0 - b.0).abs() / b.0.max(1e-12),
                    (a.1 - b.1).abs() / b.1.max(1e-12),
                ]
            })
            .chain(next_year.iter().zip(&brothers_year).map(|(a, b)| (a - b).abs()))
            .chain(next_given.iter().zip(&brothers_given).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        shares = next;
        (brothers_year, brothers_given) = (next_year, next_given);
        if change < 1e-6 {
            break;
        }
    }
    (expected_match >= MIN_SAMPLE_PAIRS && expected_brothers >= MIN_SAMPLE_PAIRS).then_some(SampleBrothers {
        brothers: expected_brothers,
        matches: expected_match,
        year: brothers_year,
        given: brothers_given,
    })
}

/// Whether a pair's household agrees: the father's and the family name exact or close.
#[inline]
pub fn household_agrees(comparison: Comparison) -> bool {
    comparison.level(Field::Father as usize) <= Level::Close
        && comparison.level(Field::Family as usize) <= Level::Close
}

impl HouseholdFit {
    /// log2 of the brothers' prior odds against strangers.
    pub fn prior_weight(&self, parameters: &Parameters) -> f64 {
        (self.lambda / (1.0 - self.lambda - parameters.lambda).max(1e-12)).log2()
    }

    /// log2(brothers' share / strangers' share) of a birth-year level (0 for missing).
    pub fn year_weight(&self, parameters: &Parameters, level: Level) -> f64 {
        let l = level as usize;
        match (
            self.year.get(l),
            parameters.u.get(Field::BirthYear as usize).and_then(|u| u.get(l)),
        ) {
            (Some(b), Some(u)) if level != Level::Missing => (b.max(1e-6) / u).log2(),
            _ => 0.0,
        }
    }

    /// log2(brothers' share / matches' share) of a given-name level (0 for missing): what
    /// brothers' weight of the given name differs from a match's by.
    pub fn given_shift(&self, parameters: &Parameters, level: Level) -> f64 {
        let l = level as usize;
        match (
            self.given.get(l),
            parameters.m.get(Field::Given as usize).and_then(|m| m.get(l)),
        ) {
            (Some(b), Some(m)) if level != Level::Missing => (b.max(1e-6) / m.max(1e-6)).log2(),
            _ => 0.0,
        }
    }

    /// The log-odds of brothers against strangers for a comparison (without term-frequency
    /// adjustment).
    pub fn brothers_weight(&self, parameters: &Parameters, comparison: Comparison) -> f64 {
        self.prior_weight(parameters) + self.fields_weight(parameters, comparison)
    }

    /// [`HouseholdFit::brothers_weight`] without the prior (which changes as the number of
    /// matches and brothers is found; the fields' part does not).
    pub fn fields_weight(&self, parameters: &Parameters, comparison: Comparison) -> f64 {
        let mut weight = 0.0;
        for field in 0..Field::COUNT {
            let level = comparison.level(field);
            if field == Field::BirthYear as usize {
                weight += self.year_weight(parameters, level);
            } else if field == Field::Given as usize {
                if level != Level::Missing {
                    weight += parameters.weight(field, level) + self.given_shift(parameters, level);
                }
            } else {
                weight += parameters.weight(field, level);
            }
        }
        weight
    }
}
