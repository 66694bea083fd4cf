//! Cluster completion: a pair left to review is weighed again with what the other records of
//! its two clusters know.
//!
//! A pair falls short of `accept` most often because a field is missing on one side: the
//! birth year of one record, the mother's name of the other. When one record is already in a
//! cluster (accepted as one person with other records), those records may hold the missing
//! field: the person's mother is known from his other record. The pair is compared as if each
//! cluster were one record: each field missing in the pair takes its level from the first
//! other pair of the two clusters' records where both sides have it, the direct pair's
//! records first; a field the pair has keeps the pair's own level (no searching the members
//! for a better one). The weight is the model's, unchanged; if it reaches `accept`, and the
//! join keeps every brothers' pair and confident non-match apart, the two clusters join, and
//! the pair is accepted with that probability (the probability of the pair given the other
//! records of its clusters).

use rustc_hash::FxHashMap;

use super::{Band, ScoredPair};
use crate::cluster::{Apart, Clusters};
use crate::compact::{CompactComparer, Compacted};
use crate::compare::{Comparison, Field, Level};
use crate::model::{Scorer, probability};

/// At most this many other pairs of records are compared to complete one pair.
const MAX_COMPARISONS: usize = 24;

/// The records of each cluster of more than one record, by root.
#[derive(Default)]
pub(super) struct Members {
    by_root: FxHashMap<u32, Vec<u32>>,
}

impl Members {
    /// Record `record` in the cluster `root` (joined already).
    fn of(&self, root: u32, record: u32) -> Vec<u32> {
        self.by_root.get(&root).cloned().unwrap_or_else(|| vec![record])
    }

    /// Notes that the clusters of roots `a` and `b` (records `x` and `y`) are now `root`'s.
    pub(super) fn joined(&mut self, root: u32, (a, x): (u32, u32), (b, y): (u32, u32)) {
        let mut all = self.by_root.remove(&a).unwrap_or_else(|| vec![x]);
        all.extend(self.by_root.remove(&b).unwrap_or_else(|| vec![y]));
        self.by_root.insert(root, all);
    }
}

/// What [`complete`] needs of the run.
pub(super) struct Completion<'a, 'r> {
    pub compacted: &'a Compacted<'r>,
    pub scorer: &'a Scorer<'a>,
    pub accept: f64,
    /// A comparer to reuse (its remembered levels spare recomputing them), if any.
    pub comparer: Option<&'a mut CompactComparer>,
}

/// Weighs again each review pair (best first) whose records are in two clusters, one of more
/// than one record, and joins them when the completed pair reaches `accept` (see the module).
/// Returns the pairs accepted so.
pub(super) fn complete(
    pairs: &mut [ScoredPair],
    clusters: &mut Clusters,
    members: &mut Members,
    apart: &mut [&mut Apart; 2],
    run: &mut Completion<'_, '_>,
) -> u64 {
    let mut own = None;
    let comparer = match run.comparer.as_deref_mut() {
        Some(comparer) => comparer,
        None => own.get_or_insert_with(CompactComparer::new),
    };
    let mut accepted = 0u64;
    for pair in pairs.iter_mut().filter(|p| p.band == Band::Review) {
        let (ra, rb) = (clusters.find(pair.a), clusters.find(pair.b));
        if ra == rb || !pair.comparison.levels().contains(&Level::Missing) {
            continue;
        }
        let (side_a, side_b) = (members.of(ra, pair.a), members.of(rb, pair.b));
        if side_a.len() + side_b.len() < 3 {
            continue;
        }
        let completed = completed(comparer, run.compacted, pair, &side_a, &side_b);
        let weight = run.scorer.weight(completed, pair.a as usize, pair.b as usize);
        let p = probability(weight);
        if p < run.accept || apart.iter().any(|set| clusters.kept_apart(set, pair.a, pair.b)) {
            continue;
        }
        let [brothers, non_matches] = apart;
        clusters.join(brothers, non_matches, pair.a, pair.b);
        members.joined(clusters.find(pair.a), (ra, pair.a), (rb, pair.b));
        pair.band = Band::Accepted;
        pair.weight = weight;
        pair.probability = p;
        accepted += 1;
    }
    accepted
}

/// The pair's comparison with each missing field taken from the first other pair of the two
/// clusters' records that has it: `a` against `b`'s cluster, then `a`'s cluster against `b`,
/// then the rest.
fn completed(
    comparer: &mut CompactComparer,
    compacted: &Compacted<'_>,
    pair: &ScoredPair,
    side_a: &[u32],
    side_b: &[u32],
) -> Comparison {
    let mut levels = pair.comparison.levels();
    let others = side_b
        .iter()
        .filter(|&&y| y != pair.b)
        .map(|&y| (pair.a, y))
        .chain(side_a.iter().filter(|&&x| x != pair.a).map(|&x| (x, pair.b)))
        .chain(
            side_a
                .iter()
                .filter(|&&x| x != pair.a)
                .flat_map(|&x| side_b.iter().filter(|&&y| y != pair.b).map(move |&y| (x, y))),
        );
    for (x, y) in others.take(MAX_COMPARISONS) {
        let other = comparer.compare(compacted, x as usize, y as usize).levels();
        let mut missing = false;
        for field in 0..Field::COUNT {
            if let (Some(slot), Some(&level)) = (levels.get_mut(field), other.get(field))
                && *slot == Level::Missing
            {
                *slot = level;
                missing |= level == Level::Missing;
            }
        }
        if !missing {
            break;
        }
    }
    Comparison::from_levels(&levels)
}
