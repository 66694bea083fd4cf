//! The name fields' m and u per combination of the two records' scripts (Arabic–Arabic,
//! Arabic–Latin, Latin–Latin).
//!
//! Agreement on a name means different things by script: two Arabic spellings agree exactly
//! on one canonical form, two Latin ones on one skeleton, an Arabic and a Latin one when the
//! Latin letters read as the Arabic sounds. The pooled m and u mix the three. Here u is counted
//! among random pairs of each combination, and m is the pooled m corrected by how each
//! combination's levels differ among the candidate pairs, weighed by their probability of a
//! match (the candidates hold nearly every match, but were chosen by agreement on names: the
//! correction is the ratio of a combination's levels to all combinations', so what blocking
//! favours in every script cancels). The probabilities are recomputed with the new m until m
//! no longer changes.

use super::scorer::NameTerms;
use super::{LEVELS, Parameters, Scorer, TF_FIELDS, TermFrequencies, floored, probability, tf_column};
use crate::compare::{Comparison, Field};

/// Arabic–Arabic, Arabic–Latin, Latin–Latin.
pub const SCRIPT_PAIRS: usize = 3;

/// Pairs weighing less (log2 odds) are left out of [`fit_m`]'s sums.
const NEGLIGIBLE_WEIGHT: f64 = -30.0;

/// Pairs weighing less (log2 odds) after [`fit_m`]'s first iteration keep their counts from it.
const FROZEN_WEIGHT: f64 = -20.0;

/// Pairs summed together before the sums are added (see [`fit_m`]).
const SUM_BLOCK: usize = 1 << 16;

/// Candidate pairs and their comparisons, at most [`SUM_BLOCK`] of them.
type Block<'p> = (&'p [(u32, u32)], &'p [Comparison]);

/// Rows of m or u by script combination and term-frequency column.
pub type ByScript = [[[f64; LEVELS]; TF_FIELDS]; SCRIPT_PAIRS];

/// The combination of two fields' scripts (0 empty, 1 Arabic, 2 Latin), if both are written.
#[inline]
pub(crate) fn script_pair(x: u8, y: u8) -> Option<usize> {
    (x > 0 && y > 0).then(|| usize::from(x + y - 2))
}

/// The m and u of the name fields per script combination.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptWeights {
    pub m: ByScript,
    pub u: ByScript,
}

/// u per script combination from the random pairs the pooled u was counted from (see
/// `estimate_u_keeping`): the same pairs, counted by the two records' scripts.
pub(crate) fn u_by_script(tf: &TermFrequencies, random_pairs: &[(u32, u32, Comparison)]) -> ByScript {
    let mut counts = [[[0u64; LEVELS]; TF_FIELDS]; SCRIPT_PAIRS];
    for &(i, j, comparison) in random_pairs {
        count_levels(&mut counts, comparison, &tf.scripts, (i as usize, j as usize), 1);
    }
    counts.map(|by_column| {
        by_column.map(|row| {
            let total: u64 = row.iter().sum();
            // Half a pseudo-count keeps a level never seen finite, as for the pooled u.
            row.map(|c| (c as f64 + 0.5) / (total as f64 + 0.5 * LEVELS as f64))
        })
    })
}

/// Adds `weight` to the level of each name field of records `a` and `b`, by their scripts.
fn count_levels<T: Copy + std::ops::AddAssign>(
    counts: &mut [[[T; LEVELS]; TF_FIELDS]; SCRIPT_PAIRS],
    comparison: Comparison,
    scripts: &[[u8; TF_FIELDS]],
    (a, b): (usize, usize),
    weight: T,
) {
    let (Some(x), Some(y)) = (scripts.get(a), scripts.get(b)) else {
        return;
    };
    for field in 0..Field::COUNT {
        let Some(column) = tf_column(field) else {
            continue;
        };
        let (Some(&sx), Some(&sy)) = (x.get(column), y.get(column)) else {
            continue;
        };
        if let Some(slot) = script_pair(sx, sy)
            .and_then(|pair| counts.get_mut(pair))
            .and_then(|c| c.get_mut(column))
            .and_then(|row| row.get_mut(comparison.level(field) as usize))
        {
            *slot += weight;
        }
    }
}

/// m per script combination (see the module's documentation), with `u` per combination
/// fixed, from the candidate pairs scored by `scorer` (the pooled model).
pub(crate) fn fit_m(
    parameters: &Parameters,
    scorer: &Scorer<'_>,
    (pairs, comparisons): (&[(u32, u32)], &[Comparison]),
    u: ByScript,
    (max_iterations, threads): (usize, usize),
) -> ScriptWeights {
    let pooled: [[f64; LEVELS]; TF_FIELDS] = std::array::from_fn(|column| {
        let field = (0..Field::COUNT)
            .find(|f| tf_column(*f) == Some(column))
            .unwrap_or(column);
        parameters.m.get(field).copied().unwrap_or([0.25; LEVELS])
    });
    let mut weights = ScriptWeights {
        m: [pooled; SCRIPT_PAIRS],
        u,
    };
    // Each candidate pair's weight taken apart once (see `Scorer::name_terms`): each
    // iteration then only looks up the name fields' weights and adds them, reading the pairs
    // in order rather than the records' term frequencies and scripts at random.
    // Most candidate pairs are strangers far below any threshold: those whose pooled weight
    // is under 2^-30 would count, all together, for less than a thousandth of a pair even
    // if the script weights raised each by ten bits. They are left out of the sums.
    let blocks: Vec<Block<'_>> = pairs
        .chunks(SUM_BLOCK)
        .zip(comparisons.chunks(SUM_BLOCK))
        .collect();
    // After the first iteration, a pair weighing under 2^-20 counts for under a millionth of
    // a pair, and the later iterations move its weight by a fraction of a bit (they move m by
    // hundredths): its count from the first iteration is kept, and the later iterations
    // score only the others (on the households bench 1.2 of 2.8 million pairs; the
    // 1.6 million kept together count for under two pairs). The first iteration takes the
    // pairs apart as it goes.
    let mut terms: Vec<Vec<NameTerms>> = Vec::new();
    let mut frozen = [[[0f64; LEVELS]; TF_FIELDS]; SCRIPT_PAIRS];
    for iteration in 0..max_iterations {
        let current = scorer.clone().with_script_weights(&weights);
        // Sums per block of at most SUM_BLOCK pairs, added in the blocks' order: the result
        // does not depend on the number of threads.
        let parts = if iteration == 0 {
            on_threads(&blocks, threads, |(pairs, comparisons)| {
                let taken_apart = pairs
                    .iter()
                    .zip(comparisons.iter())
                    .map(|(&(a, b), &comparison)| scorer.name_terms(comparison, a as usize, b as usize))
                    .filter(|terms| scorer.weight_of_terms(terms) > NEGLIGIBLE_WEIGHT);
                count_block(&current, taken_apart, true)
            })
        } else {
            on_threads(&terms, threads, |block| {
                count_block(&current, block.iter().copied(), false)
            })
        };
        let mut counts = frozen;
        let mut kept_blocks = Vec::new();
        for (sums, low, kept) in parts {
            add_sums(&mut counts, &sums);
            if iteration == 0 {
                add_sums(&mut frozen, &low);
                kept_blocks.push(kept);
            }
        }
        if iteration == 0 {
            add_sums(&mut counts, &frozen);
            terms = kept_blocks;
        }
        let share = |row: [f64; LEVELS]| {
            let sum: f64 = row.iter().sum();
            (sum > 0.0).then(|| row.map(|c| c / sum))
        };
        let mut change = 0f64;
        for column in 0..TF_FIELDS {
            let all: [f64; LEVELS] = std::array::from_fn(|level| {
                counts
                    .iter()
                    .map(|c| c.get(column).and_then(|r| r.get(level)).copied().unwrap_or(0.0))
                    .sum()
            });
            let (Some(all), Some(base)) = (share(all), pooled.get(column)) else {
                continue;
            };
            for (pair, by_column) in counts.iter().enumerate() {
                let Some(own) = by_column.get(column).copied().and_then(share) else {
                    continue;
                };
                let corrected: [f64; LEVELS] =
                    std::array::from_fn(|level| match (base.get(level), own.get(level), all.get(level)) {
                        (Some(m), Some(o), Some(a)) if *a > 0.0 => m * o / a,
                        (Some(m), _, _) => *m,
                        _ => 0.0,
                    });
                let next = floored(corrected);
                if let Some(slot) = weights.m.get_mut(pair).and_then(|m| m.get_mut(column)) {
                    for (old, new) in slot.iter().zip(&next) {
                        change = change.max((old - new).abs());
                    }
                    *slot = next;
                }
            }
        }
        if change < 1e-4 {
            break;
        }
    }
    weights
}

/// The sums of one block of pairs taken apart under `current`; with `first`, also the sums of
/// the pairs weighing under [`FROZEN_WEIGHT`] apart, and the others.
fn count_block(
    current: &Scorer<'_>,
    pairs: impl Iterator<Item = NameTerms>,
    first: bool,
) -> (ByScript, ByScript, Vec<NameTerms>) {
    let mut sums = [[[0f64; LEVELS]; TF_FIELDS]; SCRIPT_PAIRS];
    let mut low = [[[0f64; LEVELS]; TF_FIELDS]; SCRIPT_PAIRS];
    let mut kept = Vec::new();
    for pair in pairs {
        let weight = current.weight_of_terms(&pair);
        let p = probability(weight);
        if first && weight < FROZEN_WEIGHT {
            add_levels(&mut low, &pair, p);
        } else {
            add_levels(&mut sums, &pair, p);
            if first {
                kept.push(pair);
            }
        }
    }
    (sums, low, kept)
}

/// Adds probability `p` to the level of each name field of a pair taken apart, by its script
/// combination.
fn add_levels(sums: &mut ByScript, pair: &NameTerms, p: f64) {
    for (column, (&script, &level)) in pair.scripts.iter().zip(&pair.levels).enumerate() {
        if let Some(slot) = usize::from(script)
            .checked_sub(1)
            .and_then(|s| sums.get_mut(s))
            .and_then(|c| c.get_mut(column))
            .and_then(|row| row.get_mut(usize::from(level)))
        {
            *slot += p;
        }
    }
}

fn add_sums(total: &mut ByScript, part: &ByScript) {
    for (total, rows) in total.iter_mut().zip(part) {
        for (row, values) in total.iter_mut().zip(rows) {
            row.iter_mut().zip(values).for_each(|(x, y)| *x += y);
        }
    }
}

/// `f` over each of `blocks`, the blocks shared out among `threads`; the results in the
/// blocks' order, so that whatever is summed from them does not depend on the number of
/// threads.
fn on_threads<B: Sync, T: Send>(blocks: &[B], threads: usize, f: impl Fn(&B) -> T + Sync) -> Vec<T> {
    let per_thread = blocks.len().div_ceil(threads.max(1)).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = blocks
            .chunks(per_thread)
            .map(|mine| scope.spawn(move || mine.iter().map(f).collect::<Vec<T>>()))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .flatten()
            .collect()
    })
}
