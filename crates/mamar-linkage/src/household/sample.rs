//! A sample of the pairs of records that share a household key (the father's and the family
//! name), drawn at random: the pairs the household model learns its brothers from.
//!
//! The candidate pairs are a poor sample of brothers: blocking keys on the given name or the
//! birth year, the two fields that tell brothers apart, so the few brothers it compares are
//! those who share one of them (the exact birth year, say, ten times as often as brothers
//! do). Pairs selected on the household alone are not selected on either: among them the
//! brothers' given names and years are what they are among all brothers, and the ratio of
//! brothers to matches is what it is in the whole lists (brothers share the household's fields
//! as a person's records do, so the key keeps the same share of both).

use rand::Rng as _;
use rand::SeedableRng as _;
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

use crate::blocking::household_key;
use crate::compact::{CompactComparer, Compacted};
use crate::compare::Comparison;
use crate::record::Record;

/// Pairs of records sharing a household key, by comparison pattern and kind of pair (a label:
/// the sample's shares of matches and brothers are estimated per kind, as the EM sessions'
/// are; one label, one share).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdSample {
    pub patterns: FxHashMap<(Comparison, u16), u64>,
    /// The pairs drawn (or all the pairs, when there are fewer than were asked for).
    pub pairs: u64,
}

/// Draws up to `samples` pairs of records (across lists when `across` holds) uniformly from
/// the pairs that share a household key, in blocks of at most `max_block_pairs` pairs (a
/// block of a common father's and family name holds mostly strangers, and leaves out brothers
/// and matches alike). Each pair is counted under its kind, `kind_of(i, j)`. The same seed
/// gives the same sample. The pairs are compared on one thread per comparer (at least one);
/// the counts do not depend on how many.
pub fn sample_households(
    records: &[Record],
    compacted: &Compacted<'_>,
    (list_of, kind_of): (&[u16], &(dyn Fn(u32, u32) -> u16 + Sync)),
    across: bool,
    (samples, max_block_pairs, seed): (usize, u64, u64),
    comparers: &mut [CompactComparer],
) -> HouseholdSample {
    let drawn = draw_household_pairs(records, list_of, across, (samples, max_block_pairs, seed));
    let mut own = [CompactComparer::new()];
    let comparers = if comparers.is_empty() {
        &mut own[..]
    } else {
        comparers
    };
    let chunk = drawn.len().div_ceil(comparers.len()).max(1);
    let parts: Vec<FxHashMap<(Comparison, u16), u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = drawn
            .chunks(chunk)
            .zip(comparers.iter_mut())
            .map(|(pairs, comparer)| {
                scope.spawn(move || {
                    let mut patterns: FxHashMap<(Comparison, u16), u64> = FxHashMap::default();
                    for &(i, j) in pairs {
                        let comparison = comparer.compare(compacted, i as usize, j as usize);
                        *patterns.entry((comparison, kind_of(i, j))).or_default() += 1;
                    }
                    patterns
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut sample = HouseholdSample {
        pairs: drawn.len() as u64,
        ..HouseholdSample::default()
    };
    for part in parts {
        for (key, count) in part {
            *sample.patterns.entry(key).or_default() += count;
        }
    }
    sample
}

/// The pairs [`sample_households`] compares, in the order drawn.
fn draw_household_pairs(
    records: &[Record],
    list_of: &[u16],
    across: bool,
    (samples, max_block_pairs, seed): (usize, u64, u64),
) -> Vec<(u32, u32)> {
    let mut by_key: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (index, record) in records.iter().enumerate() {
        if let (Some(key), Ok(index)) = (household_key(record), u32::try_from(index)) {
            by_key.entry(key).or_default().push(index);
        }
    }
    let pairs_in = |block: &[u32]| -> u64 {
        let n = block.len() as u64;
        let all = n * n.saturating_sub(1) / 2;
        if !across {
            return all;
        }
        let mut per_list: FxHashMap<u16, u64> = FxHashMap::default();
        for &i in block {
            *per_list
                .entry(list_of.get(i as usize).copied().unwrap_or(0))
                .or_default() += 1;
        }
        all - per_list
            .values()
            .map(|s| s * s.saturating_sub(1) / 2)
            .sum::<u64>()
    };
    let mut blocks: Vec<(u64, Vec<u32>, u64)> = by_key
        .into_iter()
        .map(|(key, block)| {
            let pairs = pairs_in(&block);
            (key, block, pairs)
        })
        .filter(|(_, _, pairs)| *pairs > 0 && *pairs <= max_block_pairs)
        .collect();
    // In a fixed order: the sample does not depend on the map's.
    blocks.sort_unstable_by_key(|(key, _, _)| *key);
    let total: u64 = blocks.iter().map(|(_, _, pairs)| pairs).sum();
    let mut drawn = Vec::with_capacity(samples.min(total as usize));
    let other_list = |i: u32, j: u32| !across || list_of.get(i as usize) != list_of.get(j as usize);
    if total <= samples as u64 {
        for (_, block, _) in &blocks {
            for (k, &i) in block.iter().enumerate() {
                for &j in block.iter().skip(k + 1) {
                    if other_list(i, j) {
                        drawn.push((i, j));
                    }
                }
            }
        }
        return drawn;
    }
    let mut ends = Vec::with_capacity(blocks.len());
    let mut end = 0u64;
    for (_, _, pairs) in &blocks {
        end += pairs;
        ends.push(end);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..samples {
        // A block with the probability of its share of the pairs, then a pair within it.
        let r = rng.random_range(0..total);
        let Some((_, block, _)) = blocks.get(ends.partition_point(|&e| e <= r)) else {
            continue;
        };
        let n = block.len();
        for _ in 0..64 {
            let (a, b) = (rng.random_range(0..n), rng.random_range(0..n));
            if let (Some(&i), Some(&j)) = (block.get(a), block.get(b))
                && a != b
                && other_list(i, j)
            {
                drawn.push((i, j));
                break;
            }
        }
    }
    drawn
}
