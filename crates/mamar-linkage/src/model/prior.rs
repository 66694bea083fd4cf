//! The prior of a match per kind of pair: two records of one list, or of two given lists.
//!
//! On lists with duplicates inside, the chance that two records picked at random are one
//! person differs between a pair inside one list and a pair across two: a list where one
//! person in ten is recorded twice holds few of its pairs' matches, and two lists of the same
//! people hold many. One prior for every pair makes the pairs of the rarer kind
//! over-confident and the others under-confident. So the number of matches M is found per
//! kind (per unordered pair of lists, i ≤ j): the expected number of matches among the
//! kind's candidate pairs when its prior is M over the kind's possible pairs, n_i(n_i−1)/2
//! within list i, n_i·n_j across lists i and j (the fixed point of [`super::estimate_m`]).
//! For the same reason each EM session estimates its shares of matches and of brothers among
//! its pairs per kind (`em_session`): with one share, a session blocked on the phone counts a
//! pair of one list as likely a match as a pair across lists, and learns m and the brothers'
//! years from a mix that is neither.
//!
//! The brothers' prior stays one for all pairs: whether a man's brother is on a list does not
//! depend on whether he is, so brothers' pairs fall in each kind as all pairs do (tried per
//! kind: the same links, docs/bench/mamar-linkage.md).

use rustc_hash::FxHashMap;

use super::{MIN_PAIRS_TO_ESTIMATE, Parameters, probability};
use crate::compare::Comparison;

/// The candidate pairs of one kind, for [`super::estimate_m_with`].
#[derive(Debug, Clone, Copy)]
pub struct KindCandidates<'a> {
    /// The two lists (the same twice: pairs within that list), the smaller first.
    pub lists: (u16, u16),
    /// The pairs of this kind there would be without blocking.
    pub all_pairs: f64,
    /// How many of the kind's candidate pairs have each comparison.
    pub patterns: &'a FxHashMap<Comparison, u64>,
}

/// The prior found for one kind of pair.
#[derive(Debug, Clone, PartialEq)]
pub struct KindPrior {
    /// The two lists (the same twice: pairs within that list), the smaller first.
    pub lists: (u16, u16),
    /// The pairs of this kind there would be without blocking.
    pub all_pairs: f64,
    /// The kind's candidate pairs.
    pub candidates: u64,
    /// The prior probability that two records of this kind are a match.
    pub lambda: f64,
    /// The matches the model expects among the kind's pairs (`lambda` × `all_pairs`).
    pub matches: f64,
    /// Whether the prior is shared with other kinds (see [`find_matches`]).
    pub pooled: bool,
}

/// Kinds estimated together: one kind, or the kinds too small to estimate alone.
struct Group {
    kinds: Vec<usize>,
    /// Too few possible pairs even together: the group's prior is that of all pairs.
    follows_all: bool,
    all_pairs: f64,
    /// Each pattern's fields' weights, for a match and for brothers, and its count: fixed
    /// while the numbers of matches and brothers (the priors) are found.
    weights: Vec<(f64, f64, f64)>,
    candidates: f64,
}

/// Finds the number of matches of each kind of pair and the number of brothers (with a
/// household model), m and u being fixed in `fit`; sets `fit.lambda` and `fit.matches` to the
/// totals over all kinds and `fit.kinds` to each kind's prior.
///
/// A kind whose possible pairs are fewer than [`MIN_PAIRS_TO_ESTIMATE`] (the bar below which
/// the whole model is not estimated) has too few candidate pairs to count its matches from:
/// such kinds share one prior, found over their pairs together; if even those are fewer, they
/// take the prior of all pairs together (the one prior of before, their pairs counted in it).
/// One kind alone gives the one prior of before.
pub(super) fn find_matches(fit: &mut Parameters, kinds: &[KindCandidates<'_>], max_iterations: usize) {
    let groups = groups(fit, kinds);
    let all_pairs: f64 = groups.iter().map(|g| g.all_pairs).sum::<f64>().max(1.0);
    let mut matches: Vec<f64> = groups
        .iter()
        .map(|g| g.candidates.min(g.all_pairs.max(1.0) * 0.5))
        .collect();
    let lambda_of = |matches: f64, group: &Group, all: f64| {
        if group.follows_all {
            all
        } else {
            (matches / group.all_pairs.max(1.0)).clamp(1e-12, 0.5)
        }
    };
    for _ in 0..max_iterations {
        let before: f64 = matches.iter().sum();
        fit.lambda = (before / all_pairs).clamp(1e-12, 0.5);
        let brothers_prior = fit.household.as_ref().map(|h| h.prior_weight(fit));
        let mut brothers = 0.0;
        let mut done = true;
        for (group, found) in groups.iter().zip(matches.iter_mut()) {
            let lambda = lambda_of(*found, group, fit.lambda);
            let prior = (lambda / (1.0 - lambda)).log2();
            let mut next = 0.0;
            for &(match_fields, brothers_fields, count) in &group.weights {
                let w_match = prior + match_fields;
                let (p, b) = match brothers_prior {
                    Some(brothers_prior) => {
                        let w_brothers = brothers_prior + brothers_fields;
                        let (o_match, o_brothers) = (
                            w_match.clamp(-60.0, 60.0).exp2(),
                            w_brothers.clamp(-60.0, 60.0).exp2(),
                        );
                        let denominator = 1.0 + o_match + o_brothers;
                        (o_match / denominator, o_brothers / denominator)
                    }
                    None => (probability(w_match), 0.0),
                };
                next += p * count;
                brothers += b * count;
            }
            done &= (next - *found).abs() < 1e-3 * found.max(1.0);
            *found = next;
        }
        if let Some(household) = fit.household.as_mut() {
            household.brothers = brothers;
            // With the sample: brothers per match times the matches (which the candidate
            // pairs hold nearly all of); without: the brothers among the candidate pairs.
            let population = household.per_match.map_or(brothers, |ratio| ratio * before);
            household.lambda = (population / all_pairs).clamp(1e-12, 0.5);
        }
        if done {
            break;
        }
    }
    let total: f64 = matches.iter().sum();
    fit.lambda = (total / all_pairs).clamp(1e-12, 0.5);
    fit.matches = total;
    let mut priors: Vec<KindPrior> = Vec::with_capacity(kinds.len());
    for (group, found) in groups.iter().zip(&matches) {
        let lambda = lambda_of(*found, group, fit.lambda);
        for &index in &group.kinds {
            if let Some(kind) = kinds.get(index) {
                priors.push(KindPrior {
                    lists: kind.lists,
                    all_pairs: kind.all_pairs,
                    candidates: kind.patterns.values().sum(),
                    lambda,
                    matches: lambda * kind.all_pairs,
                    pooled: group.kinds.len() > 1 || group.follows_all,
                });
            }
        }
    }
    priors.sort_by_key(|kind| kind.lists);
    fit.kinds = priors;
}

/// The kinds estimated alone and, together, those too small to be (see [`find_matches`]).
fn groups(fit: &Parameters, kinds: &[KindCandidates<'_>]) -> Vec<Group> {
    let (alone, small): (Vec<usize>, Vec<usize>) = (0..kinds.len()).partition(|&k| {
        kinds
            .get(k)
            .is_some_and(|kind| kind.all_pairs >= MIN_PAIRS_TO_ESTIMATE)
    });
    let mut members: Vec<Vec<usize>> = alone.into_iter().map(|k| vec![k]).collect();
    // The small kinds come last; together still too few, they take the prior of all pairs.
    let mut follows_all = false;
    if !small.is_empty() {
        let small_pairs: f64 = small
            .iter()
            .filter_map(|&k| kinds.get(k))
            .map(|k| k.all_pairs)
            .sum();
        follows_all = small_pairs < MIN_PAIRS_TO_ESTIMATE && !members.is_empty();
        members.push(small);
    }
    let last = members.len().saturating_sub(1);
    members
        .into_iter()
        .enumerate()
        .map(|(index, kinds_of_group)| {
            let mut merged: FxHashMap<Comparison, u64> = FxHashMap::default();
            let mut all_pairs = 0.0;
            for kind in kinds_of_group.iter().filter_map(|&k| kinds.get(k)) {
                all_pairs += kind.all_pairs;
                for (comparison, count) in kind.patterns {
                    *merged.entry(*comparison).or_default() += count;
                }
            }
            // In a fixed order: the sums do not depend on how the counts were gathered.
            let mut patterns: Vec<(Comparison, u64)> = merged.into_iter().collect();
            patterns.sort_unstable_by_key(|(c, _)| *c);
            let weights: Vec<(f64, f64, f64)> = patterns
                .iter()
                .map(|(comparison, count)| {
                    (
                        fit.fields_weight(*comparison),
                        fit.household
                            .as_ref()
                            .map_or(0.0, |household| household.fields_weight(fit, *comparison)),
                        *count as f64,
                    )
                })
                .collect();
            Group {
                kinds: kinds_of_group,
                follows_all: follows_all && index == last,
                all_pairs,
                candidates: weights.iter().map(|(_, _, n)| n).sum(),
                weights,
            }
        })
        .collect()
}
