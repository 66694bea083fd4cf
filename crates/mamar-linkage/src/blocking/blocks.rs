//! Building the blocks of every rule and walking their pairs: each pair produced once, with the
//! bit set of the rules that found it, blocks beyond the limit of pairs left out and counted.

use super::many::ManyBlocks;
use super::{BlockingRule, MAX_RULES, RuleBits};
use crate::record::Record;

/// What a rule produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleStats {
    pub pairs: u64,
    /// Records in the blocks kept, per list (index: the list number).
    pub records: Vec<u64>,
    /// Blocks left out because they alone would have produced more than the limit of pairs.
    pub skipped_blocks: u64,
    pub skipped_pairs: u64,
}

/// Candidate pairs (lower index first) and, for each, the bit set of the rules that found it.
#[derive(Debug, Default)]
pub struct Candidates {
    pub pairs: Vec<(u32, u32)>,
    pub rules: Vec<RuleBits>,
    pub stats: Vec<RuleStats>,
}

/// Which pairs count: across lists only (linking lists that have no duplicates inside), or
/// also within a list (deduplication).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairScope {
    AcrossLists,
    All,
}

/// Builds the candidate pairs of all rules, sorted.
pub fn candidates(
    records: &[Record],
    list_of: &[u16],
    rules: &[BlockingRule],
    scope: PairScope,
    max_block_pairs: u64,
) -> Candidates {
    let blocks = Blocks::new(records, list_of, rules, scope, max_block_pairs, 1);
    let mut tagged: Vec<(u64, RuleBits)> = Vec::new();
    for (rule, range) in blocks.all_blocks() {
        blocks.for_each_pair(rule, range, |a, b, bits| {
            tagged.push(((u64::from(a) << 32) | u64::from(b), bits));
        });
    }
    tagged.sort_unstable();
    Candidates {
        pairs: tagged
            .iter()
            .map(|(pair, _)| ((pair >> 32) as u32, *pair as u32))
            .collect(),
        rules: tagged.iter().map(|(_, bits)| *bits).collect(),
        stats: blocks.stats,
    }
}

/// The blocks of every rule, and each record's key under each rule, so that a pair found in a
/// block can be told which other rules also find it. A pair is produced once, in a block of
/// the first rule that finds it, without sorting or merging millions of pairs; records of one
/// block are compared together, while their data is in the processor's cache.
#[derive(Debug)]
pub struct Blocks {
    rules: usize,
    scope: PairScope,
    list_of: Vec<u16>,
    /// `block_of[record * rules + rule]`: the number (from 1) of the record's block under the
    /// rule, 0 if it has none or its block was left out.
    block_of: Vec<u32>,
    /// Per rule: record numbers in order of key, then list, then number.
    members: Vec<Vec<u32>>,
    /// Per rule: the blocks kept (two records or more), as ranges of `members`.
    ranges: Vec<Vec<(u32, u32)>>,
    /// Per rule of several keys a record (see [`BlockingRule::has_many_keys`]; `None` for the
    /// others, whose block is in `block_of`): each record's blocks.
    many: Vec<Option<ManyBlocks>>,
    pub stats: Vec<RuleStats>,
}

/// One rule's blocks.
#[derive(Default)]
struct RuleBlocks {
    members: Vec<u32>,
    ranges: Vec<(u32, u32)>,
    stats: RuleStats,
    /// Each record's block number (0: none).
    block_of: Vec<u32>,
    /// For a rule of several keys a record, each record's blocks (`block_of` then unused).
    many: Option<ManyBlocks>,
}

impl Blocks {
    /// Blocks of (at most [`MAX_RULES`]) `rules`; keys are computed, and rules sorted, on `threads` threads.
    pub fn new(
        records: &[Record],
        list_of: &[u16],
        rules: &[BlockingRule],
        scope: PairScope,
        max_block_pairs: u64,
        threads: usize,
    ) -> Blocks {
        let rules = rules.get(..rules.len().min(MAX_RULES)).unwrap_or_default();
        let width = rules.len().max(1);
        let threads = threads.max(1);
        let chunk = records.len().div_ceil(threads).max(1);
        let keys: Vec<u64> = std::thread::scope(|s| {
            let handles: Vec<_> = records
                .chunks(chunk)
                .map(|slice| {
                    s.spawn(move || {
                        let mut out = Vec::with_capacity(slice.len() * width);
                        for record in slice {
                            for rule in rules {
                                // 0 means "no key": a real key of 0 becomes 1.
                                // A rule of several keys a record has its own (see below).
                                let key = if rule.has_many_keys() {
                                    None
                                } else {
                                    rule.key(record)
                                };
                                out.push(key.map_or(0, |k| k.max(1)));
                            }
                        }
                        out
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let lists = list_of.iter().copied().max().map_or(0, |m| usize::from(m) + 1);
        let keys = &keys;
        let rule_blocks = |rule: usize| -> RuleBlocks {
            // In order of key, then list, then record: a block's records of one list together.
            let many = rules.get(rule).copied().filter(|r| r.has_many_keys());
            let mut keyed: Vec<(u64, u16, u32)> = match many {
                None => (0..records.len())
                    .filter_map(|i| {
                        let key = *keys.get(i * width + rule)?;
                        let index = u32::try_from(i).ok()?;
                        (key != 0).then_some((key, list(list_of, index), index))
                    })
                    .collect(),
                Some(many) => {
                    // Only the keys of an anchor make blocks: the others' keys are kept
                    // where an anchor has them.
                    let mut own = Vec::new();
                    let mut anchors_keys = rustc_hash::FxHashSet::default();
                    let mut out = Vec::new();
                    for anchors in [true, false] {
                        for (i, record) in records.iter().enumerate() {
                            if many.anchor(record) != anchors {
                                continue;
                            }
                            let Ok(index) = u32::try_from(i) else { break };
                            many.keys(record, &mut own);
                            if anchors {
                                anchors_keys.extend(own.iter().copied());
                            } else {
                                own.retain(|key| anchors_keys.contains(key));
                            }
                            out.extend(own.iter().map(|&key| (key, list(list_of, index), index)));
                        }
                    }
                    out
                }
            };
            keyed.sort_unstable();
            // (record, block number) of a rule of several keys a record.
            let mut memberships: Vec<(u32, u32)> = Vec::new();
            let mut out = RuleBlocks {
                block_of: vec![0; records.len()],
                ..RuleBlocks::default()
            };
            out.stats.records = vec![0; lists];
            let mut start = 0usize;
            let anchored = rules.get(rule).copied().filter(|r| r.anchored());
            let anchor = |&(_, _, i): &(u64, u16, u32)| {
                anchored.is_none_or(|r| records.get(i as usize).is_some_and(|record| r.anchor(record)))
            };
            for block in keyed.chunk_by(|x, y| x.0 == y.0) {
                let end = start + block.len();
                if !block.iter().any(anchor) {
                    start = end;
                    continue;
                }
                let n = block.len() as u64;
                let within: u64 = block
                    .chunk_by(|x, y| x.1 == y.1)
                    .map(|run| {
                        let c = run.len() as u64;
                        c * c.saturating_sub(1) / 2
                    })
                    .sum();
                let count = match scope {
                    PairScope::All => n * n.saturating_sub(1) / 2,
                    PairScope::AcrossLists => n * n.saturating_sub(1) / 2 - within,
                };
                if count
                    > rules
                        .get(rule)
                        .map_or(max_block_pairs, |r| r.block_pairs_limit(max_block_pairs))
                {
                    out.stats.skipped_blocks += 1;
                    out.stats.skipped_pairs = out.stats.skipped_pairs.saturating_add(count);
                } else if count > 0 {
                    out.stats.pairs += count;
                    let number = u32::try_from(out.ranges.len() + 1).unwrap_or(u32::MAX);
                    for &(_, l, i) in block {
                        if let Some(slot) = out.stats.records.get_mut(usize::from(l)) {
                            *slot += 1;
                        }
                        if many.is_some() {
                            memberships.push((i, number));
                        } else if let Some(slot) = out.block_of.get_mut(i as usize) {
                            *slot = number;
                        }
                    }
                    if let (Ok(s), Ok(e)) = (u32::try_from(start), u32::try_from(end)) {
                        out.ranges.push((s, e));
                    }
                }
                start = end;
            }
            out.members = keyed.into_iter().map(|(_, _, i)| i).collect();
            if let Some(many) = many {
                let anchors = records.iter().map(|r| many.anchor(r)).collect();
                out.many = Some(ManyBlocks::new(memberships, anchors));
            }
            out
        };
        let mut per_rule: Vec<Option<RuleBlocks>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads.min(rules.len()).max(1))
                .map(|t| {
                    s.spawn(move || {
                        (t..rules.len())
                            .step_by(threads)
                            .map(|rule| (rule, rule_blocks(rule)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut out: Vec<Option<RuleBlocks>> = (0..rules.len()).map(|_| None).collect();
            for handle in handles {
                for (rule, blocks) in handle.join().unwrap_or_default() {
                    if let Some(slot) = out.get_mut(rule) {
                        *slot = Some(blocks);
                    }
                }
            }
            out
        });
        let mut block_of = vec![0u32; records.len() * width];
        for (rule, blocks) in per_rule.iter().enumerate() {
            if let Some(blocks) = blocks {
                for (record, &number) in blocks.block_of.iter().enumerate() {
                    if let Some(slot) = block_of.get_mut(record * width + rule) {
                        *slot = number;
                    }
                }
            }
        }
        let (mut members, mut ranges, mut stats, mut many) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for blocks in per_rule.iter_mut().map(|b| b.take().unwrap_or_default()) {
            members.push(blocks.members);
            ranges.push(blocks.ranges);
            stats.push(blocks.stats);
            many.push(blocks.many);
        }
        Blocks {
            rules: rules.len(),
            scope,
            list_of: list_of.to_vec(),
            block_of,
            members,
            ranges,
            many,
            stats,
        }
    }

    /// Every kept block as (rule, range), rule by rule.
    pub fn all_blocks(&self) -> Vec<(usize, (u32, u32))> {
        self.ranges
            .iter()
            .enumerate()
            .flat_map(|(rule, ranges)| ranges.iter().map(move |range| (rule, *range)))
            .collect()
    }

    /// The number of pairs in a block (before removing those an earlier rule found).
    pub fn block_size(&self, rule: usize, (start, end): (u32, u32)) -> u64 {
        let members = self
            .members
            .get(rule)
            .and_then(|m| m.get(start as usize..end as usize))
            .unwrap_or_default();
        block_pairs(members, &self.list_of, self.scope)
    }

    /// The rules that put records `a` and `b` in one block (bit `i`: rule `i`).
    pub fn rules_of(&self, a: u32, b: u32) -> RuleBits {
        let width = self.rules.max(1);
        let (Some(x), Some(y)) = (
            self.block_of.get(a as usize * width..(a as usize + 1) * width),
            self.block_of.get(b as usize * width..(b as usize + 1) * width),
        ) else {
            return 0;
        };
        let bits = x.iter().zip(y).enumerate().fold(0, |bits, (rule, (p, q))| {
            if *p != 0 && p == q {
                bits | (1 << rule)
            } else {
                bits
            }
        });
        bits | self.many_bits(a, b)
    }

    /// The rules of several keys a record that put records `a` and `b` in one block.
    fn many_bits(&self, a: u32, b: u32) -> RuleBits {
        self.many
            .iter()
            .enumerate()
            .fold(0, |bits, (rule, many)| match many {
                Some(many) if many.first_shared(a, b).is_some() => bits | (1 << rule),
                _ => bits,
            })
    }

    /// For block `range` of `rule`, a test of whether a pair of its records is met there
    /// first: for a rule of several keys a record, whether the pair's first shared block is
    /// this one (a pair of records that share several blocks of the rule is produced once).
    fn first_met_here(&self, rule: usize, range: (u32, u32)) -> impl Fn(u32, u32) -> bool + '_ {
        let many = self.many.get(rule).and_then(Option::as_ref);
        let number = self
            .ranges
            .get(rule)
            .and_then(|ranges| ranges.binary_search(&range).ok())
            .and_then(|index| u32::try_from(index + 1).ok());
        move |a, b| many.is_none_or(|many| number.is_some() && many.first_shared(a, b) == number)
    }

    /// Whether any rule has several keys a record.
    fn has_many(&self) -> bool {
        self.many.iter().any(Option::is_some)
    }

    /// [`Blocks::for_each_pair`], with each record's data read once per block rather than
    /// once per pair: `gather(record)` is called for each record of the block (the later
    /// records kept in `buffer`, reused from block to block), then `f(a, data_a, b, data_b,
    /// rules)` (a < b) for each pair no earlier rule found.
    pub fn for_each_pair_gathered<T: Copy>(
        &self,
        rule: usize,
        (start, end): (u32, u32),
        gather: impl Fn(u32) -> T,
        buffer: &mut Vec<(u32, T, [u32; MAX_RULES])>,
        mut f: impl FnMut(u32, &T, u32, &T, RuleBits),
    ) {
        let members = self
            .members
            .get(rule)
            .and_then(|m| m.get(start as usize..end as usize))
            .unwrap_or_default();
        let width = self.rules.max(1);
        let row = |record: u32| {
            let mut out = [0u32; MAX_RULES];
            if let Some(slice) = self
                .block_of
                .get(record as usize * width..(record as usize + 1) * width)
            {
                out.iter_mut().zip(slice).for_each(|(o, s)| *o = *s);
            }
            out
        };
        let earlier = (1 as RuleBits)
            .checked_shl(rule as u32)
            .unwrap_or(0)
            .wrapping_sub(1);
        let bits_of = |x: &[u32; MAX_RULES], y: &[u32; MAX_RULES]| {
            x.iter()
                .zip(y)
                .take(width)
                .enumerate()
                .fold(0, |bits, (rule, (p, q))| {
                    if *p != 0 && p == q {
                        bits | (1 << rule)
                    } else {
                        bits
                    }
                })
        };
        let first_here = self.first_met_here(rule, (start, end));
        let has_many = self.has_many();
        let mut visit =
            |a: u32, data_a: &T, row_a: &[u32; MAX_RULES], later: &[(u32, T, [u32; MAX_RULES])]| {
                for (b, data_b, row_b) in later {
                    // First the test of a rule of several keys a record (most pairs of its
                    // blocks have no anchor, and it rejects them at once).
                    if !first_here(a, *b) {
                        continue;
                    }
                    let mut bits = bits_of(row_a, row_b);
                    if has_many {
                        bits |= self.many_bits(a, *b);
                    }
                    if bits & earlier == 0 {
                        if a < *b {
                            f(a, data_a, *b, data_b, bits);
                        } else {
                            f(*b, data_b, a, data_a, bits);
                        }
                    }
                }
            };
        match self.scope {
            PairScope::All => {
                buffer.clear();
                buffer.extend(members.iter().map(|&m| (m, gather(m), row(m))));
                for position in 0..buffer.len() {
                    if let (Some(&(a, data_a, row_a)), Some(later)) =
                        (buffer.get(position), buffer.get(position + 1..))
                    {
                        visit(a, &data_a, &row_a, later);
                    }
                }
            }
            PairScope::AcrossLists => {
                let runs: Vec<&[u32]> = members
                    .chunk_by(|&x, &y| list(&self.list_of, x) == list(&self.list_of, y))
                    .collect();
                for (position, later) in runs.iter().enumerate().skip(1) {
                    buffer.clear();
                    buffer.extend(later.iter().map(|&m| (m, gather(m), row(m))));
                    for run in runs.get(..position).unwrap_or_default() {
                        for &a in *run {
                            visit(a, &gather(a), &row(a), buffer);
                        }
                    }
                }
            }
        }
    }

    /// Calls `f(a, b, rules)` (a < b) for each pair of the block that no earlier rule found.
    pub fn for_each_pair(
        &self,
        rule: usize,
        (start, end): (u32, u32),
        mut f: impl FnMut(u32, u32, RuleBits),
    ) {
        let members = self
            .members
            .get(rule)
            .and_then(|m| m.get(start as usize..end as usize))
            .unwrap_or_default();
        let earlier = (1 as RuleBits)
            .checked_shl(rule as u32)
            .unwrap_or(0)
            .wrapping_sub(1);
        let first_here = self.first_met_here(rule, (start, end));
        let mut emit = |a: u32, b: u32| {
            if !first_here(a, b) {
                return;
            }
            let bits = self.rules_of(a, b);
            if bits & earlier == 0 {
                f(a.min(b), a.max(b), bits);
            }
        };
        match self.scope {
            PairScope::All => {
                for (position, &a) in members.iter().enumerate() {
                    for &b in members.get(position + 1..).unwrap_or_default() {
                        emit(a, b);
                    }
                }
            }
            PairScope::AcrossLists => {
                // The block's records are in runs of one list: each run with every later one.
                let runs: Vec<&[u32]> = members
                    .chunk_by(|&x, &y| list(&self.list_of, x) == list(&self.list_of, y))
                    .collect();
                for (position, run) in runs.iter().enumerate() {
                    for later in runs.get(position + 1..).unwrap_or_default() {
                        for &a in *run {
                            for &b in *later {
                                emit(a, b);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn list(list_of: &[u16], index: u32) -> u16 {
    list_of.get(index as usize).copied().unwrap_or(0)
}

/// The pairs of a block whose records are in runs of one list.
fn block_pairs(members: &[u32], list_of: &[u16], scope: PairScope) -> u64 {
    let n = members.len() as u64;
    let all = n * n.saturating_sub(1) / 2;
    if scope == PairScope::All {
        return all;
    }
    let within: u64 = members
        .chunk_by(|&x, &y| list(list_of, x) == list(list_of, y))
        .map(|run| {
            let c = run.len() as u64;
            c * c.saturating_sub(1) / 2
        })
        .sum();
    all - within
}
