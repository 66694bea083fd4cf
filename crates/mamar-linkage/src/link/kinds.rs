//! Kinds of record pair: within one list, or across two lists. Each kind has its own prior of a
//! match (see [`crate::model::KindCandidates`]); these helpers number the kinds and count the
//! pairs each could hold.

use rustc_hash::FxHashMap;

use crate::compare::Comparison;
use crate::model::{KindCandidates, MIN_PAIRS_TO_ESTIMATE};

/// The kind of the pair of records `a` and `b`: `lists × i + j` for their lists i ≤ j.
pub(super) fn kind_of(list_of: &[u16], lists: usize, a: u32, b: u32) -> u16 {
    let list = |r: u32| list_of.get(r as usize).copied().unwrap_or(0);
    let (x, y) = (list(a), list(b));
    // At most MAX_LISTS (16) lists: the index is below 256.
    (x.min(y) as usize * lists + x.max(y) as usize) as u16
}

/// The most matching pairs among records `per_list` (records per list): across lists without
/// duplicates inside, a record matches at most one record of each other list; within lists,
/// no more pairs than records (a person recorded at most three times).
pub(super) fn max_matches(per_list: &[u64], across: bool) -> f64 {
    if !across {
        return per_list.iter().sum::<u64>() as f64;
    }
    let mut total = 0u64;
    for (i, x) in per_list.iter().enumerate() {
        for y in per_list.iter().skip(i + 1) {
            total += x.min(y);
        }
    }
    total as f64
}

/// The kinds of pair the run compares, each with its possible pairs and its candidates'
/// patterns (`patterns`, by kind index; see [`kind_of`]): every pair of lists i ≤ j (i < j
/// `across`), or, without `per_kind`, all pairs as one kind (`patterns[0]`).
pub(super) fn pair_kinds<'a>(
    list_of: &[u16],
    lists: usize,
    across: bool,
    per_kind: bool,
    patterns: &'a [FxHashMap<Comparison, u64>],
) -> Vec<KindCandidates<'a>> {
    let sizes = list_sizes(list_of, lists);
    if !per_kind {
        return patterns
            .first()
            .map(|patterns| KindCandidates {
                lists: (0, 0),
                all_pairs: possible_pairs(list_of, lists, across),
                patterns,
            })
            .into_iter()
            .collect();
    }
    let mut kinds = Vec::new();
    for (i, n_i) in sizes.iter().enumerate() {
        for (j, n_j) in sizes.iter().enumerate().skip(i) {
            if i == j && across {
                continue;
            }
            let all_pairs = pairs_of_kind(*n_i, *n_j, i == j);
            if let Some(patterns) = patterns.get(i * lists + j) {
                kinds.push(KindCandidates {
                    lists: (i as u16, j as u16),
                    all_pairs,
                    patterns,
                });
            }
        }
    }
    kinds
}

/// The label of each kind of pair (by [`kind_of`]'s index) in the EM sessions: the kind's own,
/// or one label for all the kinds with fewer possible pairs than [`MIN_PAIRS_TO_ESTIMATE`],
/// whose shares of matches would come from too few pairs.
pub(super) fn session_kinds(list_of: &[u16], lists: usize) -> Vec<u16> {
    let sizes = list_sizes(list_of, lists);
    (0..lists * lists)
        .map(|index| {
            let (i, j) = (index / lists.max(1), index % lists.max(1));
            let (n_i, n_j) = (
                sizes.get(i).copied().unwrap_or(0.0),
                sizes.get(j).copied().unwrap_or(0.0),
            );
            if pairs_of_kind(n_i, n_j, i == j) >= MIN_PAIRS_TO_ESTIMATE {
                index as u16
            } else {
                u16::MAX
            }
        })
        .collect()
}

/// The pairs of records there are within one list of `n_i` records (`same_list`), or across
/// two lists of `n_i` and `n_j`.
fn pairs_of_kind(n_i: f64, n_j: f64, same_list: bool) -> f64 {
    if same_list {
        n_i * (n_i - 1.0) / 2.0
    } else {
        n_i * n_j
    }
}

/// The number of records of each list.
pub(super) fn list_sizes(list_of: &[u16], lists: usize) -> Vec<f64> {
    let mut sizes = vec![0f64; lists];
    for &l in list_of {
        if let Some(size) = sizes.get_mut(usize::from(l)) {
            *size += 1.0;
        }
    }
    sizes
}

/// The number of pairs the run could compare without blocking.
pub(super) fn possible_pairs(list_of: &[u16], lists: usize, across: bool) -> f64 {
    let n = list_of.len() as f64;
    let all = n * (n - 1.0) / 2.0;
    if !across {
        return all;
    }
    let sizes = list_sizes(list_of, lists);
    all - sizes.iter().map(|s| s * (s - 1.0) / 2.0).sum::<f64>()
}
