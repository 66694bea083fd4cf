//! Matching encodings across lists and counting people per overlap pattern.
//!
//! Pairs whose Dice coefficient reaches the threshold are candidates; the best are joined
//! first, and two records of the same list are never joined into one person (each list is
//! taken to be free of duplicates: deduplicate it first with `mamar link`). The result is the
//! number of people on each combination of lists, not the pairs.
//!
//! Blocking on the encodings: MinHash over the set bits, banded (locality-sensitive hashing).
//! Two encodings with Jaccard similarity J share a band of `rows` minimum hashes with
//! probability J^rows; with `bands` bands a pair is compared if any band agrees. The hash
//! permutations come from a fixed public seed: the matching party needs no secret.

use rand::SeedableRng as _;
use rand::seq::SliceRandom as _;
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

use super::ClkError;
use super::dice::{ClkStore, Kernel, scan};
use crate::cluster::Clusters;

/// Which pairs of encodings are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClkBlocking {
    /// Every pair across lists.
    Exhaustive,
    /// Banded MinHash over the set bits.
    MinHash { bands: usize, rows: usize },
}

#[derive(Debug, Clone, Copy)]
pub struct ClkMatchOptions {
    /// Dice coefficient at or above which two encodings are the same person.
    pub threshold: f64,
    pub blocking: ClkBlocking,
    pub kernel: Kernel,
    pub threads: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClkMatchOutcome {
    /// People per combination of lists (bit `i`: on list `i`).
    pub overlap: Vec<(u32, u64)>,
    pub comparisons: u64,
    /// The joined pairs (record indices over all lists in order). The `mamar clk match`
    /// command does not write them: counting needs only `overlap`.
    pub pairs: Vec<(u32, u32)>,
}

/// The most lists one run can match.
pub const MAX_LISTS: usize = 16;

/// Matches the lists (each a store of encodings of equal length).
pub fn match_lists(lists: &[ClkStore], options: &ClkMatchOptions) -> Result<ClkMatchOutcome, ClkError> {
    if lists.len() > MAX_LISTS {
        return Err(ClkError::TooManyLists {
            max: MAX_LISTS,
            got: lists.len(),
        });
    }
    if !(options.threshold > 0.0 && options.threshold < 1.0) {
        return Err(ClkError::Threshold(options.threshold));
    }
    if let Some(first) = lists.first()
        && let Some(other) = lists.iter().find(|l| l.words() != first.words())
    {
        return Err(ClkError::MixedLengths(first.words() * 64, other.words() * 64));
    }
    let offsets: Vec<usize> = lists
        .iter()
        .scan(0usize, |acc, list| {
            let start = *acc;
            *acc += list.len();
            Some(start)
        })
        .collect();
    let total: usize = lists.iter().map(ClkStore::len).sum();
    let mut comparisons = 0u64;
    let mut pairs: Vec<(f32, u32, u32)> = Vec::new();
    for (i, left) in lists.iter().enumerate() {
        for (j, right) in lists.iter().enumerate().skip(i + 1) {
            let (left_offset, right_offset) = (offset(&offsets, i), offset(&offsets, j));
            let found = match options.blocking {
                ClkBlocking::Exhaustive => exhaustive(left, right, options),
                ClkBlocking::MinHash { bands, rows } => minhash(left, right, bands, rows, options),
            };
            comparisons += found.1;
            pairs.extend(
                found
                    .0
                    .into_iter()
                    .map(|(a, b, d)| (d, a + left_offset, b + right_offset)),
            );
        }
    }
    pairs.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));

    let list_of: Vec<u16> = lists
        .iter()
        .enumerate()
        .flat_map(|(i, l)| std::iter::repeat_n(u16::try_from(i).unwrap_or(u16::MAX), l.len()))
        .collect();
    let mut clusters = Clusters::new(total);
    let mut members: FxHashMap<u32, u32> = FxHashMap::default();
    let mask = |clusters: &mut Clusters, members: &FxHashMap<u32, u32>, record: u32| {
        let root = clusters.find(record);
        members
            .get(&root)
            .copied()
            .unwrap_or_else(|| list_bit(&list_of, record))
    };
    let mut matched = Vec::new();
    for &(_, a, b) in &pairs {
        let (mask_a, mask_b) = (mask(&mut clusters, &members, a), mask(&mut clusters, &members, b));
        if mask_a & mask_b != 0 {
            continue;
        }
        clusters.union(a, b);
        let root = clusters.find(a);
        members.insert(root, mask_a | mask_b);
        matched.push((a, b));
    }
    let labels = clusters.labels();
    Ok(ClkMatchOutcome {
        overlap: crate::cluster::overlap_counts(&labels, &list_of),
        comparisons,
        pairs: matched,
    })
}

fn offset(offsets: &[usize], list: usize) -> u32 {
    u32::try_from(offsets.get(list).copied().unwrap_or(0)).unwrap_or(u32::MAX)
}

fn list_bit(list_of: &[u16], record: u32) -> u32 {
    1u32.checked_shl(u32::from(list_of.get(record as usize).copied().unwrap_or(0)))
        .unwrap_or(0)
}

type Found = (Vec<(u32, u32, f32)>, u64);

fn exhaustive(left: &ClkStore, right: &ClkStore, options: &ClkMatchOptions) -> Found {
    let threads = options.threads.max(1);
    let chunk = left.len().div_ceil(threads).max(1);
    let threshold = options.threshold as f32;
    let results: Vec<Found> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    let mut hits = Vec::new();
                    let mut comparisons = 0u64;
                    for index in t * chunk..((t + 1) * chunk).min(left.len()) {
                        let Some((query, _)) = left.get(index) else {
                            continue;
                        };
                        hits.clear();
                        comparisons += scan(options.kernel, query, right, threshold, &mut hits);
                        let a = u32::try_from(index).unwrap_or(u32::MAX);
                        out.extend(hits.iter().map(|&(b, d)| (a, b, d)));
                    }
                    (out, comparisons)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let comparisons = results.iter().map(|r| r.1).sum();
    (results.into_iter().flat_map(|r| r.0).collect(), comparisons)
}

/// The MinHash signature of one encoding: for each permutation, the smallest permuted
/// position of a set bit.
fn signature(words: &[u64], permutations: &[Vec<u16>]) -> Vec<u16> {
    let ones: Vec<usize> = words
        .iter()
        .enumerate()
        .flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
        .collect();
    permutations
        .iter()
        .map(|p| {
            ones.iter()
                .filter_map(|&i| p.get(i).copied())
                .min()
                .unwrap_or(u16::MAX)
        })
        .collect()
}

fn minhash(left: &ClkStore, right: &ClkStore, bands: usize, rows: usize, options: &ClkMatchOptions) -> Found {
    let bits = left.words() * 64;
    let mut rng = ChaCha8Rng::seed_from_u64(0x6d61_6d61_7220_6c73);
    let permutations: Vec<Vec<u16>> = (0..bands * rows)
        .map(|_| {
            let mut p: Vec<u16> = (0..bits).map(|i| u16::try_from(i).unwrap_or(u16::MAX)).collect();
            p.shuffle(&mut rng);
            p
        })
        .collect();
    let sign = |store: &ClkStore| -> Vec<Vec<u16>> {
        store.rows().map(|(w, _)| signature(w, &permutations)).collect()
    };
    let (left_signatures, right_signatures) = (sign(left), sign(right));
    let mut candidates: Vec<u64> = Vec::new();
    for band in 0..bands {
        let key = |s: &Vec<u16>| s.get(band * rows..(band + 1) * rows).map(<[u16]>::to_vec);
        let mut buckets: FxHashMap<Vec<u16>, Vec<u32>> = FxHashMap::default();
        for (index, s) in right_signatures.iter().enumerate() {
            if let Some(k) = key(s) {
                buckets
                    .entry(k)
                    .or_default()
                    .push(u32::try_from(index).unwrap_or(u32::MAX));
            }
        }
        for (a, s) in left_signatures.iter().enumerate() {
            let Some(bucket) = key(s).and_then(|k| buckets.get(&k)) else {
                continue;
            };
            let a = u64::try_from(a).unwrap_or(u64::MAX);
            candidates.extend(bucket.iter().map(|&b| (a << 32) | u64::from(b)));
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let threshold = options.threshold;
    let mut out = Vec::new();
    for pair in &candidates {
        let (a, b) = ((pair >> 32) as usize, (pair & 0xFFFF_FFFF) as usize);
        if let (Some((x, _)), Some((y, _))) = (left.get(a), right.get(b)) {
            let d = super::dice::dice(x, y);
            if d >= threshold {
                out.push((a as u32, b as u32, d as f32));
            }
        }
    }
    (out, candidates.len() as u64)
}
