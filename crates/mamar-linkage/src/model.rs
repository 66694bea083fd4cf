//! The Fellegi–Sunter model: for each field and level, m (the probability of that level among
//! pairs of records of the same person) and u (among pairs of different people), estimated
//! without labels: u from random pairs, m by expectation–maximisation over the candidate pairs.
//! A pair's match weight is the sum of log2(m/u) over its fields, plus the prior log-odds.
//!
//! Term-frequency adjustment: two records agreeing exactly on a name are weighed by how common
//! that name is. Agreement on a name carried by a share p of records has u = p (not the average
//! u of exact agreement), so agreeing on محمد counts for less than agreeing on a rare name.

use rand::Rng as _;
use rand::SeedableRng as _;
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

use crate::compare::{Comparison, Field, Level, compare};
use crate::name::Name;
use crate::normalize::Script;
use crate::record::Record;

const LEVELS: usize = Level::AGREEMENT_LEVELS;

/// Estimated parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// The share of candidate pairs that are matches.
    pub lambda: f64,
    pub m: [[f64; LEVELS]; Field::COUNT],
    pub u: [[f64; LEVELS]; Field::COUNT],
    pub em_iterations: usize,
}

impl Parameters {
    /// log2(m/u) of a field at a level (0 for missing).
    pub fn weight(&self, field: usize, level: Level) -> f64 {
        let l = level as usize;
        match (
            self.m.get(field).and_then(|m| m.get(l)),
            self.u.get(field).and_then(|u| u.get(l)),
        ) {
            (Some(m), Some(u)) if level != Level::Missing => (m / u).log2(),
            _ => 0.0,
        }
    }

    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// The match weight of a comparison without term-frequency adjustment.
    pub fn match_weight(&self, comparison: Comparison) -> f64 {
        self.prior_weight()
            + (0..Field::COUNT)
                .map(|f| self.weight(f, comparison.level(f)))
                .sum::<f64>()
    }
}

/// The probability of a match from its weight.
pub fn probability(weight: f64) -> f64 {
    let odds = weight.clamp(-60.0, 60.0).exp2();
    odds / (1.0 + odds)
}

/// The weight for a probability.
pub fn weight_of_probability(probability: f64) -> f64 {
    let p = probability.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).log2()
}

/// u from random pairs of records (across lists when `across` holds).
pub fn estimate_u(
    records: &[Record],
    list_of: &[u16],
    across: bool,
    samples: usize,
    seed: u64,
) -> [[f64; LEVELS]; Field::COUNT] {
    let mut counts = [[0u64; LEVELS]; Field::COUNT];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = records.len();
    let mut drawn = 0usize;
    let mut attempts = 0usize;
    while n >= 2 && drawn < samples && attempts < samples.saturating_mul(20) {
        attempts += 1;
        let (i, j) = (rng.random_range(0..n), rng.random_range(0..n));
        if i == j || (across && list_of.get(i) == list_of.get(j)) {
            continue;
        }
        let (Some(a), Some(b)) = (records.get(i), records.get(j)) else {
            continue;
        };
        let comparison = compare(a, b);
        for (field, row) in counts.iter_mut().enumerate() {
            if let Some(slot) = row.get_mut(comparison.level(field) as usize) {
                *slot += 1;
            }
        }
        drawn += 1;
    }
    let mut u = [[0.0; LEVELS]; Field::COUNT];
    for (row, count) in u.iter_mut().zip(counts) {
        let total: u64 = count.iter().sum();
        for (slot, c) in row.iter_mut().zip(count) {
            // Half a pseudo-count keeps a level never seen among random pairs finite.
            *slot = (c as f64 + 0.5) / (total as f64 + 0.5 * LEVELS as f64);
        }
    }
    u
}

fn initial_m(field: Field) -> [f64; LEVELS] {
    match field {
        Field::BirthYear => [0.8, 0.1, 0.05, 0.05],
        Field::Phone => [0.9, 0.03, 0.02, 0.05],
        _ => [0.85, 0.08, 0.04, 0.03],
    }
}

/// m and λ by expectation–maximisation over the comparison patterns of the candidate pairs
/// (each pattern with its number of pairs), u held fixed.
pub fn estimate_m(
    patterns: &FxHashMap<Comparison, u64>,
    u: [[f64; LEVELS]; Field::COUNT],
    max_iterations: usize,
) -> Parameters {
    let mut parameters = Parameters {
        lambda: 0.1,
        m: std::array::from_fn(|f| {
            Field::ALL
                .get(f)
                .map_or([0.25; LEVELS], |field| initial_m(*field))
        }),
        u,
        em_iterations: 0,
    };
    let patterns: Vec<(Comparison, f64)> = patterns.iter().map(|(c, n)| (*c, *n as f64)).collect();
    let total: f64 = patterns.iter().map(|(_, n)| n).sum();
    if total <= 0.0 {
        return parameters;
    }
    for iteration in 0..max_iterations {
        let mut m_counts = [[0f64; LEVELS]; Field::COUNT];
        let mut matches = 0f64;
        for &(comparison, count) in &patterns {
            let p = probability(parameters.match_weight(comparison)) * count;
            matches += p;
            for (field, row) in m_counts.iter_mut().enumerate() {
                if let Some(slot) = row.get_mut(comparison.level(field) as usize) {
                    *slot += p;
                }
            }
        }
        let mut change = 0f64;
        for (row, counts) in parameters.m.iter_mut().zip(m_counts) {
            let sum: f64 = counts.iter().sum();
            if sum <= 0.0 {
                continue;
            }
            for (slot, c) in row.iter_mut().zip(counts) {
                let value = (c / sum).max(1e-6);
                change = change.max((value - *slot).abs());
                *slot = value;
            }
        }
        let lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
        change = change.max((lambda - parameters.lambda).abs());
        parameters.lambda = lambda;
        parameters.em_iterations = iteration + 1;
        if change < 1e-6 {
            break;
        }
    }
    parameters
}

/// How common each record's names are: for each record and name field, the share of records
/// of the same script whose field starts with the same name (0 where the field is empty).
#[derive(Debug, Default)]
pub struct TermFrequencies {
    shares: Vec<[f32; 4]>,
}

fn script_index(script: Script) -> usize {
    match script {
        Script::Arabic => 0,
        Script::Latin => 1,
    }
}

pub(crate) fn name_field(record: &Record, field: usize) -> Option<&Name> {
    match field {
        0 => Some(&record.given),
        1 => Some(&record.father),
        2 => Some(&record.family),
        3 => Some(&record.mother),
        _ => None,
    }
}

impl TermFrequencies {
    pub fn count(records: &[Record]) -> TermFrequencies {
        let mut counts: [FxHashMap<(Script, &str), u32>; 4] = Default::default();
        let mut totals = [[0u32; 2]; 4];
        for record in records {
            for (field, (map, total)) in counts.iter_mut().zip(totals.iter_mut()).enumerate() {
                let Some(part) = name_field(record, field).and_then(Name::first) else {
                    continue;
                };
                *map.entry((part.script, part.same_script_key())).or_default() += 1;
                if let Some(t) = total.get_mut(script_index(part.script)) {
                    *t += 1;
                }
            }
        }
        let shares = records
            .iter()
            .map(|record| {
                std::array::from_fn(|field| {
                    let Some(part) = name_field(record, field).and_then(Name::first) else {
                        return 0.0;
                    };
                    let count = counts
                        .get(field)
                        .and_then(|m| m.get(&(part.script, part.same_script_key())));
                    let total = totals.get(field).and_then(|t| t.get(script_index(part.script)));
                    match (count, total) {
                        (Some(&c), Some(&t)) if t > 0 => c as f32 / t as f32,
                        _ => 0.0,
                    }
                })
            })
            .collect();
        TermFrequencies { shares }
    }

    fn share(&self, record: usize, field: usize) -> Option<f64> {
        let share = *self.shares.get(record)?.get(field)?;
        (share > 0.0).then_some(f64::from(share))
    }

    /// The weight of exact agreement on a name field, adjusted for how common the name is, or
    /// `None` where no adjustment applies. Kept within 6 bits of the unadjusted weight.
    pub fn adjusted_weight(&self, parameters: &Parameters, field: usize, a: usize, b: usize) -> Option<f64> {
        let p = match (self.share(a, field), self.share(b, field)) {
            (Some(x), Some(y)) => (x * y).sqrt(),
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => return None,
        };
        let m = *parameters.m.get(field)?.first()?;
        let plain = parameters.weight(field, Level::Exact);
        Some((m / p.max(1e-9)).log2().clamp(plain - 6.0, plain + 6.0))
    }
}

/// The match weight of the pair of records `a` and `b` (indices into the records the term
/// frequencies were counted on), term-frequency adjusted on exact name agreement.
pub fn pair_weight(
    parameters: &Parameters,
    tf: Option<&TermFrequencies>,
    comparison: Comparison,
    a: usize,
    b: usize,
) -> f64 {
    let mut weight = parameters.prior_weight();
    for field in 0..Field::COUNT {
        let level = comparison.level(field);
        let adjusted = match (tf, level) {
            (Some(tf), Level::Exact) if field < 4 => tf.adjusted_weight(parameters, field, a, b),
            _ => None,
        };
        weight += adjusted.unwrap_or_else(|| parameters.weight(field, level));
    }
    weight
}
