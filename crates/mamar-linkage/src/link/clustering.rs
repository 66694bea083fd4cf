//! Clustering the accepted pairs into persons, best first, without joining records that must
//! stay apart: two brothers, or the two records of a confident non-match.
//!
//! Connected components let one strong link chain records that the model has compared and
//! called two people: A–B accepted and B–C accepted put A and C in one cluster even when A–C
//! scored one chance in a thousand. Clustering therefore keeps apart the records of every
//! candidate pair scored below `apart_below` (a confident non-match) as it keeps apart the
//! pairs of one household scored as brothers: an accepted pair that would put two such
//! records in one cluster, also through other records, is moved to review.
//!
//! Which pairs can matter is known before clustering: joins only ever merge clusters, so every
//! cluster lies within one connected component of the accepted pairs, and only the pairs
//! kept apart whose two records fall in one such component can ever refuse a join. Those are
//! found by one pass over the candidate pairs comparing component numbers (the weight is
//! computed again only for the few inside one component), so the set to check holds
//! thousands of pairs, not the millions of candidate pairs below the threshold.

use rustc_hash::FxHashMap;

use super::completion::{Completion, Members, complete};
use super::{Band, Compared, LinkOptions, ScoredPair};
use crate::blocking::RuleBits;
use crate::cluster::{Apart, Clusters};
use crate::model::{Scorer, probability};

/// What clustering found.
pub(super) struct Clustered {
    pub cluster_of: Vec<u32>,
    /// Confident non-matches that clustering had to keep apart (inside one component of the
    /// accepted pairs).
    pub apart_pairs: u64,
    /// Accepted pairs moved to review because they would have joined two brothers.
    pub refused_joins: u64,
    /// Accepted pairs moved to review because they would have joined a confident non-match.
    pub refused_non_matches: u64,
    /// Review pairs accepted by cluster completion.
    pub completed: u64,
    /// Per blocking rule: accepted pairs it found, and those no other rule found.
    pub accepted_found: Vec<u64>,
    pub accepted_only: Vec<u64>,
}

/// Clusters the accepted `pairs` (best first); `two_people` are the pairs of one household
/// scored as brothers. Accepted pairs refused are moved to review. With
/// `options.complete_clusters` (lists with duplicates inside), review pairs are then weighed
/// again with the other records of their clusters (see [`super::completion`]).
pub(super) fn cluster(
    pairs: &mut [ScoredPair],
    candidates: &Compared,
    run: &mut Completion<'_, '_>,
    two_people: &[(u32, u32)],
    list_of: &[u16],
    options: &LinkOptions,
) -> Clustered {
    let records = list_of.len();
    let completing = options.complete_clusters && !options.one_to_one;
    let (mut brothers, mut non_matches) = apart_within_components(
        pairs,
        candidates,
        run.scorer,
        two_people,
        records,
        options.apart_below,
        completing,
    );
    let apart_pairs = non_matches.len() as u64;
    let mut clusters = Clusters::new(records);
    let mut members = Members::default();
    let (mut refused_joins, mut refused_non_matches) = (0u64, 0u64);
    let mut accepted_found = vec![0u64; options.rules.len()];
    let mut accepted_only = vec![0u64; options.rules.len()];
    // One-to-one: a person has at most one record per list, also through a third list.
    let mut lists_in: FxHashMap<u32, u32> = FxHashMap::default();
    let list_bit = |record: u32| {
        1u32.checked_shl(u32::from(list_of.get(record as usize).copied().unwrap_or(0)))
            .unwrap_or(0)
    };
    for pair in pairs.iter_mut().filter(|p| p.band == Band::Accepted) {
        let (root_a, root_b) = (clusters.find(pair.a), clusters.find(pair.b));
        let (mask_a, mask_b) = if options.one_to_one {
            let mask_a = lists_in.get(&root_a).copied().unwrap_or_else(|| list_bit(pair.a));
            let mask_b = lists_in.get(&root_b).copied().unwrap_or_else(|| list_bit(pair.b));
            if root_a != root_b && mask_a & mask_b != 0 {
                pair.band = Band::Review;
                continue;
            }
            (mask_a, mask_b)
        } else {
            (0, 0)
        };
        if clusters.kept_apart(&brothers, pair.a, pair.b) {
            pair.band = Band::Review;
            refused_joins += 1;
            continue;
        }
        if clusters.kept_apart(&non_matches, pair.a, pair.b) {
            pair.band = Band::Review;
            refused_non_matches += 1;
            continue;
        }
        clusters.join(&mut brothers, &mut non_matches, pair.a, pair.b);
        let root = clusters.find(pair.a);
        if options.one_to_one {
            lists_in.insert(root, mask_a | mask_b);
        } else if completing && root_a != root_b {
            members.joined(root, (root_a, pair.a), (root_b, pair.b));
        }
        count_rules(pair.rules, &mut accepted_found, &mut accepted_only);
    }
    let completed = if completing {
        let mut apart = [&mut brothers, &mut non_matches];
        complete(pairs, &mut clusters, &mut members, &mut apart, run)
    } else {
        0
    };
    Clustered {
        cluster_of: clusters.labels(),
        apart_pairs,
        refused_joins,
        refused_non_matches,
        completed,
        accepted_found,
        accepted_only,
    }
}

/// Counts an accepted pair for the rules that found it.
fn count_rules(rules: RuleBits, found: &mut [u64], only: &mut [u64]) {
    for (bit, found) in found.iter_mut().enumerate() {
        if rules & (1 << bit) != 0 {
            *found += 1;
        }
    }
    if rules.count_ones() == 1
        && let Some(only) = only.get_mut(rules.trailing_zeros() as usize)
    {
        *only += 1;
    }
}

/// The pairs to keep apart whose records fall in one connected component of the accepted
/// pairs (no others can refuse a join), or of all pairs written when `completing` (review
/// pairs may join too): the brothers' pairs, and the candidate pairs scored below
/// `apart_below` (the confident non-matches).
fn apart_within_components(
    pairs: &[ScoredPair],
    candidates: &Compared,
    scorer: &Scorer<'_>,
    two_people: &[(u32, u32)],
    records: usize,
    apart_below: f64,
    completing: bool,
) -> (Apart, Apart) {
    let mut components = Clusters::new(records);
    for pair in pairs.iter().filter(|p| completing || p.band == Band::Accepted) {
        components.union(pair.a, pair.b);
    }
    let component: Vec<u32> = (0..records as u32).map(|r| components.find(r)).collect();
    let same = |a: u32, b: u32| component.get(a as usize) == component.get(b as usize);
    let (mut brothers, mut non_matches) = (Apart::default(), Apart::default());
    for &(a, b) in two_people {
        if same(a, b) {
            brothers.add(a, b);
        }
    }
    if apart_below > 0.0 {
        for (&(a, b), &comparison) in candidates.pairs.iter().zip(&candidates.comparisons) {
            if same(a, b) && probability(scorer.weight(comparison, a as usize, b as usize)) < apart_below {
                non_matches.add(a, b);
            }
        }
    }
    (brothers, non_matches)
}
