//! Blocking: which pairs of records are compared at all. Several rules are OR-ed: a pair is a
//! candidate if any rule puts both records in the same block. Each rule's number of pairs is
//! reported, and, once pairs are scored, the share of the accepted matches it found (its recall
//! relative to all rules together).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::compare::Field;
use crate::name::Name;
use crate::record::Record;

/// A blocking rule: records agreeing on its key are compared. Names enter keys as consonant
/// skeletons of their first part, so Arabic and Latin spellings meet; the given and the
/// father's name enter as an unordered pair, so records with the two swapped meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockingRule {
    /// Given and father's name (either order) and family name.
    NamesFamily,
    /// Given and father's name (either order) and birth year.
    NamesYear,
    /// Given name, family name and birth year (the father's name missing or misspelt).
    GivenFamilyYear,
    /// Mother's given name, given name and birth year.
    MotherGivenYear,
    /// Family name, mother's given name and birth year (the given name misspelt).
    FamilyMotherYear,
    /// Given, family and mother's given name (the birth year missing or one off).
    GivenFamilyMother,
    /// First consonants of the given, father's and family names, and birth year (a typo
    /// anywhere but in a first letter).
    InitialsYear,
    /// The phone number.
    Phone,
}

impl BlockingRule {
    pub const DEFAULT: [BlockingRule; 8] = [
        BlockingRule::NamesFamily,
        BlockingRule::NamesYear,
        BlockingRule::GivenFamilyYear,
        BlockingRule::MotherGivenYear,
        BlockingRule::FamilyMotherYear,
        BlockingRule::GivenFamilyMother,
        BlockingRule::InitialsYear,
        BlockingRule::Phone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BlockingRule::NamesFamily => "names+family",
            BlockingRule::NamesYear => "names+year",
            BlockingRule::GivenFamilyYear => "given+family+year",
            BlockingRule::MotherGivenYear => "mother+given+year",
            BlockingRule::FamilyMotherYear => "family+mother+year",
            BlockingRule::GivenFamilyMother => "given+family+mother",
            BlockingRule::InitialsYear => "initials+year",
            BlockingRule::Phone => "phone",
        }
    }

    /// The fields this rule blocks on.
    pub fn fields(self) -> &'static [Field] {
        match self {
            BlockingRule::NamesFamily => &[Field::Given, Field::Father, Field::Family],
            BlockingRule::NamesYear => &[Field::Given, Field::Father, Field::BirthYear],
            BlockingRule::GivenFamilyYear => &[Field::Given, Field::Family, Field::BirthYear],
            BlockingRule::MotherGivenYear => &[Field::Mother, Field::Given, Field::BirthYear],
            BlockingRule::FamilyMotherYear => &[Field::Family, Field::Mother, Field::BirthYear],
            BlockingRule::GivenFamilyMother => &[Field::Given, Field::Family, Field::Mother],
            BlockingRule::InitialsYear => &[Field::Given, Field::Father, Field::Family, Field::BirthYear],
            BlockingRule::Phone => &[Field::Phone],
        }
    }

    pub fn parse(name: &str) -> Option<BlockingRule> {
        BlockingRule::DEFAULT.into_iter().find(|rule| rule.name() == name)
    }

    /// The block key of a record, or `None` if the record lacks a field the rule needs.
    pub fn key(self, record: &Record) -> Option<u64> {
        let mut hasher = FxHasher::default();
        (self as u8).hash(&mut hasher);
        match self {
            BlockingRule::NamesFamily => {
                names(record)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
            }
            BlockingRule::NamesYear => {
                names(record)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::GivenFamilyYear => {
                first(&record.given)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::MotherGivenYear => {
                first(&record.mother)?.hash(&mut hasher);
                first(&record.given)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::FamilyMotherYear => {
                first(&record.family)?.hash(&mut hasher);
                first(&record.mother)?.hash(&mut hasher);
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::GivenFamilyMother => {
                first(&record.given)?.hash(&mut hasher);
                first(&record.family)?.hash(&mut hasher);
                first(&record.mother)?.hash(&mut hasher);
            }
            BlockingRule::InitialsYear => {
                for name in [&record.given, &record.father, &record.family] {
                    first(name)?.chars().next().hash(&mut hasher);
                }
                record.birth_year?.hash(&mut hasher);
            }
            BlockingRule::Phone => record.phone.as_ref()?.hash(&mut hasher),
        }
        Some(hasher.finish())
    }
}

/// The consonant skeleton of a name's first part, if any.
fn first(name: &Name) -> Option<&str> {
    name.first()
        .map(|p| p.consonants.as_str())
        .filter(|c| !c.is_empty())
}

/// The given and father's names' skeletons in a fixed order.
fn names(record: &Record) -> Option<(&str, &str)> {
    let (given, father) = (first(&record.given)?, first(&record.father)?);
    Some(if given <= father {
        (given, father)
    } else {
        (father, given)
    })
}

/// What a rule produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleStats {
    pub pairs: u64,
    /// Blocks left out because they alone would have produced more than the limit of pairs.
    pub skipped_blocks: u64,
    pub skipped_pairs: u64,
}

/// Candidate pairs (lower index first) and, for each, the bit set of the rules that found it.
#[derive(Debug, Default)]
pub struct Candidates {
    pub pairs: Vec<(u32, u32)>,
    pub rules: Vec<u8>,
    pub stats: Vec<RuleStats>,
}

/// Which pairs count: across lists only (linking lists that have no duplicates inside), or
/// also within a list (deduplication).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairScope {
    AcrossLists,
    All,
}

/// Builds the candidate pairs of all rules.
pub fn candidates(
    records: &[Record],
    list_of: &[u16],
    rules: &[BlockingRule],
    scope: PairScope,
    max_block_pairs: u64,
) -> Candidates {
    candidates_on_threads(records, list_of, rules, scope, max_block_pairs, 1)
}

/// [`candidates`] with the rules shared among `threads` threads (the same result).
pub fn candidates_on_threads(
    records: &[Record],
    list_of: &[u16],
    rules: &[BlockingRule],
    scope: PairScope,
    max_block_pairs: u64,
    threads: usize,
) -> Candidates {
    let rules = rules.get(..rules.len().min(8)).unwrap_or_default();
    let threads = threads.clamp(1, rules.len().max(1));
    // Each thread takes every `threads`-th rule and returns their pairs, tagged and sorted.
    type Part = (Vec<(usize, RuleStats)>, Vec<(u64, u8)>);
    let parts: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut stats = Vec::new();
                    let mut tagged = Vec::new();
                    for (bit, rule) in rules.iter().enumerate().skip(t).step_by(threads) {
                        let flag = 1u8 << bit;
                        let rule_stats =
                            rule_pairs(records, list_of, *rule, scope, max_block_pairs, flag, &mut tagged);
                        stats.push((bit, rule_stats));
                    }
                    tagged.sort_unstable_by_key(|(pair, _)| *pair);
                    (stats, tagged)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut stats: Vec<(usize, RuleStats)> = Vec::new();
    let mut merged: Vec<(u64, u8)> = Vec::new();
    for (part_stats, tagged) in parts {
        stats.extend(part_stats);
        merged = if merged.is_empty() {
            tagged
        } else {
            merge(&merged, &tagged)
        };
    }
    stats.sort_unstable_by_key(|(bit, _)| *bit);
    // One entry per pair, with the bits of every rule that found it.
    let mut out = Candidates {
        pairs: Vec::with_capacity(merged.len()),
        rules: Vec::with_capacity(merged.len()),
        stats: stats.into_iter().map(|(_, stats)| stats).collect(),
    };
    let mut last = None;
    for (pair, flag) in merged {
        if last == Some(pair) {
            if let Some(bits) = out.rules.last_mut() {
                *bits |= flag;
            }
            continue;
        }
        last = Some(pair);
        out.pairs.push(((pair >> 32) as u32, pair as u32));
        out.rules.push(flag);
    }
    out
}

/// Merges two sorted lists of tagged pairs.
fn merge(x: &[(u64, u8)], y: &[(u64, u8)]) -> Vec<(u64, u8)> {
    let mut out = Vec::with_capacity(x.len() + y.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(a), Some(b)) = (x.get(i), y.get(j)) {
        if a.0 <= b.0 {
            out.push(*a);
            i += 1;
        } else {
            out.push(*b);
            j += 1;
        }
    }
    out.extend_from_slice(x.get(i..).unwrap_or_default());
    out.extend_from_slice(y.get(j..).unwrap_or_default());
    out
}

/// One rule's pairs (lower index in the high half), tagged with `flag`, appended to `out`;
/// returns the rule's figures.
fn rule_pairs(
    records: &[Record],
    list_of: &[u16],
    rule: BlockingRule,
    scope: PairScope,
    max_block_pairs: u64,
    flag: u8,
    out: &mut Vec<(u64, u8)>,
) -> RuleStats {
    // Records sorted by key: each run of equal keys is a block (in record order).
    let mut keyed: Vec<(u64, u32)> = records
        .iter()
        .enumerate()
        .filter_map(|(index, record)| Some((rule.key(record)?, u32::try_from(index).ok()?)))
        .collect();
    keyed.sort_unstable();
    let mut stats = RuleStats::default();
    let mut blocks: Vec<&[(u64, u32)]> = Vec::new();
    let mut total = 0u64;
    for block in keyed.chunk_by(|x, y| x.0 == y.0) {
        if block.len() < 2 {
            continue;
        }
        let count = block_pairs(block, list_of, scope);
        if count > max_block_pairs {
            stats.skipped_blocks += 1;
            stats.skipped_pairs = stats.skipped_pairs.saturating_add(count);
            continue;
        }
        total = total.saturating_add(count);
        blocks.push(block);
    }
    out.reserve(usize::try_from(total).unwrap_or(0));
    for block in blocks {
        for (position, &(_, a)) in block.iter().enumerate() {
            for &(_, b) in block.iter().skip(position + 1) {
                if scope == PairScope::AcrossLists && list(list_of, a) == list(list_of, b) {
                    continue;
                }
                // Sorted by (key, index): a < b.
                out.push(((u64::from(a) << 32) | u64::from(b), flag));
                stats.pairs += 1;
            }
        }
    }
    stats
}

fn list(list_of: &[u16], index: u32) -> u16 {
    list_of.get(index as usize).copied().unwrap_or(0)
}

fn block_pairs(members: &[(u64, u32)], list_of: &[u16], scope: PairScope) -> u64 {
    let n = members.len() as u64;
    let all = n * n.saturating_sub(1) / 2;
    if scope == PairScope::All {
        return all;
    }
    let mut per_list: FxHashMap<u16, u64> = FxHashMap::default();
    for &(_, m) in members {
        *per_list.entry(list(list_of, m)).or_default() += 1;
    }
    let within: u64 = per_list.values().map(|c| c * c.saturating_sub(1) / 2).sum();
    all - within
}
