//! Term-frequency adjustment: agreement on a name carried by a share p of records has u = p,
//! so agreeing on محمد counts for less than agreeing on a rare name.

use rustc_hash::FxHashMap;

use super::Parameters;
use crate::compact::Compacted;
use crate::compare::{Comparison, Field, GRANDFATHER, Level};
use crate::name::Name;
use crate::normalize::Script;
use crate::record::Record;

/// The name fields whose exact agreement is adjusted: given, father's, family, mother's and
/// grandfather's (the grandfather is a given name of the generation before: agreeing on a rare
/// one says more than agreeing on محمد, as for the father).
pub const TF_FIELDS: usize = 5;

/// The term-frequency column of comparison field `field`, if its exact agreement is adjusted.
#[inline]
pub fn tf_column(field: usize) -> Option<usize> {
    match field {
        0..=3 => Some(field),
        GRANDFATHER => Some(4),
        _ => None,
    }
}

/// How common each record's names are: for each record and name field, the share of records
/// of the same script whose field starts with the same name (0 where the field is empty).
#[derive(Debug, Default)]
pub struct TermFrequencies {
    pub(super) shares: Vec<[f32; TF_FIELDS]>,
    /// log2 of each share (NaN where there is none), for [`Scorer`].
    pub(super) log_shares: Vec<[f64; TF_FIELDS]>,
    /// A pair's share is the larger of its two records' rather than their geometric mean
    /// (see [`TermFrequencies::with_larger_share`]).
    pub(super) larger_share: bool,
    /// Each record's name fields' scripts (0 empty, 1 Arabic, 2 Latin), where
    /// counted from the compact records: for the weights per script combination.
    pub(super) scripts: Vec<[u8; TF_FIELDS]>,
}

fn script_index(script: Script) -> usize {
    match script {
        Script::Arabic => 0,
        Script::Latin => 1,
    }
}

fn name_field(record: &Record, field: usize) -> Option<&Name> {
    match field {
        0 => Some(&record.given),
        1 => Some(&record.father),
        2 => Some(&record.family),
        3 => Some(&record.mother),
        4 => Some(&record.grandfather),
        _ => None,
    }
}

impl TermFrequencies {
    pub fn count(records: &[Record]) -> TermFrequencies {
        let mut counts: [FxHashMap<(Script, &str), u32>; TF_FIELDS] = Default::default();
        let mut totals = [[0u32; 2]; TF_FIELDS];
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
            .collect::<Vec<[f32; TF_FIELDS]>>();
        TermFrequencies::from_shares(shares)
    }

    /// Keeps the shares with their base-2 logarithms (NaN for a share of 0), which scoring uses.
    fn from_shares(shares: Vec<[f32; TF_FIELDS]>) -> TermFrequencies {
        let log_shares = shares
            .iter()
            .map(|row| {
                row.map(|share| {
                    if share > 0.0 {
                        f64::from(share).log2()
                    } else {
                        f64::NAN
                    }
                })
            })
            .collect();
        TermFrequencies {
            shares,
            log_shares,
            larger_share: false,
            scripts: Vec::new(),
        }
    }

    /// Takes the u of exact agreement between two records as the larger of their two shares
    /// rather than the geometric mean. Within one script two names that agree exactly have one
    /// key, hence one share, and nothing changes. Across scripts they do not: a Latin skeleton
    /// stands for every Arabic spelling it can be read as, so the Latin record's share (the
    /// coarser key's) is the chance that a random record agrees with the pair's name, and the
    /// mean of the two made agreement across scripts over-confident (on the households
    /// bench, pairs at 0.8–0.9 of mixed scripts were one person 76 % of the time).
    pub fn with_larger_share(mut self, larger_share: bool) -> TermFrequencies {
        self.larger_share = larger_share;
        self
    }

    /// [`TermFrequencies::count`] from the records' compact form (the same shares, without
    /// hashing a name per record).
    pub fn count_compact(records: &Compacted<'_>) -> TermFrequencies {
        // Parts written alike in one script are one name: number them.
        let mut classes: FxHashMap<(Script, &str), u32> = FxHashMap::default();
        let class_of: Vec<(u32, usize)> = records
            .parts()
            .iter()
            .map(|part| {
                let next = u32::try_from(classes.len()).unwrap_or(u32::MAX);
                let class = *classes
                    .entry((part.script, part.same_script_key()))
                    .or_insert(next);
                (class, script_index(part.script))
            })
            .collect();
        let mut counts = [(); TF_FIELDS].map(|()| vec![0u32; classes.len()]);
        let mut totals = [[0u32; 2]; TF_FIELDS];
        let firsts: Vec<[Option<(u32, usize)>; TF_FIELDS]> = (0..records.len())
            .map(|record| {
                records
                    .first_parts(record)
                    .map(|part| part.and_then(|p| class_of.get(p as usize).copied()))
            })
            .collect();
        for row in &firsts {
            for (field, first) in row.iter().enumerate() {
                if let Some((class, script)) = *first {
                    if let Some(c) = counts.get_mut(field).and_then(|c| c.get_mut(class as usize)) {
                        *c += 1;
                    }
                    if let Some(t) = totals.get_mut(field).and_then(|t| t.get_mut(script)) {
                        *t += 1;
                    }
                }
            }
        }
        let share = |field: usize, first: Option<(u32, usize)>| -> f32 {
            let Some((class, script)) = first else {
                return 0.0;
            };
            let count = counts.get(field).and_then(|c| c.get(class as usize));
            let total = totals.get(field).and_then(|t| t.get(script));
            match (count, total) {
                (Some(&c), Some(&t)) if t > 0 => c as f32 / t as f32,
                _ => 0.0,
            }
        };
        let shares: Vec<[f32; TF_FIELDS]> = firsts
            .iter()
            .map(|row| std::array::from_fn(|field| share(field, row.get(field).copied().flatten())))
            .collect();
        let scripts = firsts
            .iter()
            .map(|row| row.map(|first| first.map_or(0, |(_, script)| script as u8 + 1)))
            .collect();
        TermFrequencies {
            scripts,
            ..TermFrequencies::from_shares(shares)
        }
    }

    /// The share of the records of `record`'s script whose name field `field` (a comparison
    /// field: given, father's, family, mother's, grandfather's) starts with the same name as
    /// `record`'s; `None` if empty or not adjusted.
    /// The combination of the scripts of records `a` and `b` on term-frequency column
    /// `column` (see [`super::by_script::SCRIPT_PAIRS`]), if known and both written.
    #[inline]
    pub(super) fn script_pair(&self, a: usize, b: usize, column: usize) -> Option<usize> {
        let script = |r: usize| self.scripts.get(r).and_then(|row| row.get(column)).copied();
        super::by_script::script_pair(script(a)?, script(b)?)
    }

    pub fn share(&self, record: usize, field: usize) -> Option<f64> {
        let share = *self.shares.get(record)?.get(tf_column(field)?)?;
        (share > 0.0).then_some(f64::from(share))
    }

    /// The weight of exact agreement on a name field, adjusted for how common the name is, or
    /// `None` where no adjustment applies. Kept within 6 bits of the unadjusted weight.
    pub fn adjusted_weight(&self, parameters: &Parameters, field: usize, a: usize, b: usize) -> Option<f64> {
        let p = match (self.share(a, field), self.share(b, field)) {
            (Some(x), Some(y)) if self.larger_share => x.max(y),
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
            (Some(tf), Level::Exact) if tf_column(field).is_some() => {
                tf.adjusted_weight(parameters, field, a, b)
            }
            _ => None,
        };
        weight += adjusted.unwrap_or_else(|| parameters.weight(field, level));
    }
    weight
}
