//! How many candidate pairs share each pattern (comparison, the rules that found the pair,
//! the kind of pair): what the EM sessions and the priors are estimated from.
//!
//! Counted after comparing rather than pair by pair as the pairs are compared: a few hundred
//! thousand distinct patterns make a table of several megabytes, and each of millions of
//! pairs would wait for it in memory. Here each pair's pattern is first put in one of
//! [`PARTITIONS`] partitions by its hash, then each partition is counted on its own, in a
//! table small enough to stay in the processor's cache. The patterns come out in an order
//! that depends only on the patterns (by partition, then by pattern), so everything estimated
//! from them is the same whatever the number of threads.

use rustc_hash::FxHashMap;

use crate::blocking::RuleBits;
use crate::compare::Comparison;

use super::Compared;
use super::kinds::kind_of;

/// Partitions of the patterns (a power of two).
const PARTITIONS: usize = 256;

/// A pattern: its comparison, the rules that found the pair, and the kind of pair.
pub(super) type Pattern = (Comparison, RuleBits, u16);

/// A pattern in one number: comparison (32 bits), rules (16), kind (16).
#[inline]
fn pack(comparison: Comparison, rules: RuleBits, kind: u16) -> u64 {
    u64::from(comparison.0) | (u64::from(rules) << 32) | (u64::from(kind) << 48)
}

fn unpack(key: u64) -> Pattern {
    (
        Comparison((key & 0xFFFF_FFFF) as u32),
        ((key >> 32) & 0xFFFF) as RuleBits,
        (key >> 48) as u16,
    )
}

/// The partition of a packed pattern: the top bits of its hash.
#[inline]
fn partition(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize & (PARTITIONS - 1)
}

/// Each pattern of `compared` with its number of pairs (in the order above), counted on
/// `threads` threads. The kind of a pair is [`kind_of`] its records' lists.
pub(super) fn count_patterns(
    compared: &Compared,
    (list_of, lists): (&[u16], usize),
    threads: usize,
) -> Vec<(Pattern, u64)> {
    let threads = threads.max(1);
    let count = compared
        .pairs
        .len()
        .min(compared.rules.len())
        .min(compared.comparisons.len());
    let chunk = count.div_ceil(threads).max(1);
    // Each thread puts its run of pairs in partitions.
    let scattered: Vec<Vec<Vec<u64>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .step_by(chunk)
            .map(|start| {
                let end = (start + chunk).min(count);
                scope.spawn(move || {
                    let expected = (end - start) / PARTITIONS * 5 / 4 + 16;
                    let mut parts: Vec<Vec<u64>> =
                        (0..PARTITIONS).map(|_| Vec::with_capacity(expected)).collect();
                    let pairs = compared.pairs.get(start..end).unwrap_or_default();
                    let rules = compared.rules.get(start..end).unwrap_or_default();
                    let comparisons = compared.comparisons.get(start..end).unwrap_or_default();
                    for ((&(a, b), &bits), &comparison) in pairs.iter().zip(rules).zip(comparisons) {
                        let key = pack(comparison, bits, kind_of(list_of, lists, a, b));
                        if let Some(part) = parts.get_mut(partition(key)) {
                            part.push(key);
                        }
                    }
                    parts
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    // Each thread counts a run of partitions, each in a table of its own.
    let per_thread = PARTITIONS.div_ceil(threads);
    let scattered = &scattered;
    let counted: Vec<Vec<(Pattern, u64)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..PARTITIONS)
            .step_by(per_thread)
            .map(|first| {
                scope.spawn(move || {
                    let mut out = Vec::new();
                    let mut counts: FxHashMap<u64, u64> = FxHashMap::default();
                    for index in first..(first + per_thread).min(PARTITIONS) {
                        counts.clear();
                        for keys in scattered.iter().filter_map(|parts| parts.get(index)) {
                            for &key in keys {
                                *counts.entry(key).or_default() += 1;
                            }
                        }
                        let start = out.len();
                        out.extend(counts.iter().map(|(&key, &n)| (key, n)));
                        if let Some(new) = out.get_mut(start..) {
                            new.sort_unstable_by_key(|&(key, _)| key);
                        }
                    }
                    out.into_iter().map(|(key, n)| (unpack(key), n)).collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    counted.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patterns_are_counted_as_pair_by_pair_in_one_order_for_any_number_of_threads() {
        // Three lists; patterns repeating in a skewed way, as real candidate pairs do.
        let list_of: Vec<u16> = (0..300u16).map(|r| r % 3).collect();
        let n = 20_000usize;
        let compared = Compared {
            pairs: (0..n)
                .map(|i| ((i % 300) as u32, ((i * 7 + 1) % 300) as u32))
                .collect(),
            rules: (0..n).map(|i| 1 << (i % 5) | (i % 3) as RuleBits).collect(),
            comparisons: (0..n).map(|i| Comparison(((i * i) % 997) as u32)).collect(),
        };
        let mut expected: FxHashMap<Pattern, u64> = FxHashMap::default();
        let pairs = compared
            .pairs
            .iter()
            .zip(&compared.rules)
            .zip(&compared.comparisons);
        for ((&(a, b), &bits), &comparison) in pairs {
            *expected
                .entry((comparison, bits, kind_of(&list_of, 3, a, b)))
                .or_default() += 1;
        }
        let one = count_patterns(&compared, (&list_of, 3), 1);
        assert_eq!(one.len(), expected.len());
        assert_eq!(one.iter().map(|(_, n)| n).sum::<u64>(), n as u64);
        for (pattern, count) in &one {
            assert_eq!(expected.get(pattern), Some(count), "{pattern:?}");
        }
        for threads in [2, 3, 8] {
            assert_eq!(
                count_patterns(&compared, (&list_of, 3), threads),
                one,
                "{threads} threads"
            );
        }
    }
}
