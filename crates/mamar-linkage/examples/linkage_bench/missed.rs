//! Where the recall goes: every two clusters holding records of one person, classified by
//! the best pair of records between them (the pair that would have joined them), and counted
//! by the pairs of records between them (what the split costs in the pairwise recall).
//!
//! - **never a candidate**: no blocking rule put the two records together. Counted by what
//!   the two records show (a name written in another shape, the year missing or off, the
//!   mother missing) and by which simple keys they would have met on, each key with the
//!   candidate pairs it would bring on the same lists (what it would cost to add).
//! - **below review**: compared and scored below the review threshold; counted by the fields
//!   that disagreed (and how many were missing).
//! - **review band**: scored between review and accept and not joined by completion.
//! - **accepted, split**: scored at or above accept but kept apart by the clustering (a
//!   confident non-match or two brothers in the two clusters).

use std::collections::{BTreeMap, HashMap, HashSet};

use mamar_linkage::blocking::{PairScope, candidates};
use mamar_linkage::compare::{Comparer, Level};
use mamar_linkage::link::{LinkOptions, LinkOutcome};
use mamar_linkage::record::Record;
use mamar_linkage::synth::SyntheticRecord;

pub const FIELDS: [&str; 8] = [
    "given",
    "father",
    "family",
    "mother",
    "year",
    "place",
    "phone",
    "grandfather",
];

/// A key two records of one person might meet on, which the default rules do not use
/// (`given+family+place` and `names+grandfather` were found so, and are rules now).
type Key = fn(&Record) -> Option<String>;

fn first(name: &mamar_linkage::name::Name) -> Option<String> {
    name.first()
        .map(|p| p.consonants.clone())
        .filter(|c| !c.is_empty())
}

fn keys() -> Vec<(&'static str, Key)> {
    vec![
        ("given+family+grandfather", |r| {
            Some(format!(
                "{}|{}|{}",
                first(&r.given)?,
                first(&r.family)?,
                first(&r.grandfather)?
            ))
        }),
        ("given+year+governorate", |r| {
            Some(format!(
                "{}|{}|{}",
                first(&r.given)?,
                r.birth_year?,
                r.place.governorate?
            ))
        }),
        ("father+family+year", |r| {
            Some(format!(
                "{}|{}|{}",
                first(&r.father)?,
                first(&r.family)?,
                r.birth_year?
            ))
        }),
        ("given+family+year±1", |r| {
            // Two keys in truth (the year and the year's pair); approximated by the decade
            // half: counts what a year one off would find at best.
            Some(format!(
                "{}|{}|{}",
                first(&r.given)?,
                first(&r.family)?,
                r.birth_year? / 2
            ))
        }),
        ("given+father+family (any part)", |r| {
            let mut parts: Vec<String> = [&r.given, &r.father, &r.family]
                .iter()
                .flat_map(|n| n.parts.iter().map(|p| p.consonants.clone()))
                .filter(|c| !c.is_empty())
                .collect();
            if parts.len() < 3 {
                return None;
            }
            parts.sort();
            parts.dedup();
            Some(parts.join("|"))
        }),
    ]
}

/// Candidate pairs a key would give across all records, leaving out blocks over
/// `max_block_pairs` as the rules do.
fn key_pairs(records: &[Record], key: Key, max_block_pairs: u64) -> u64 {
    let mut sizes: HashMap<String, u64> = HashMap::new();
    for r in records {
        if let Some(k) = key(r) {
            *sizes.entry(k).or_default() += 1;
        }
    }
    sizes
        .values()
        .map(|&n| n * n.saturating_sub(1) / 2)
        .filter(|&p| p <= max_block_pairs)
        .sum()
}

fn shape(records: &[Record], truth: &[&SyntheticRecord], x: u32, y: u32) -> Vec<&'static str> {
    let mut out = Vec::new();
    for &r in &[x, y] {
        let input = &truth[r as usize].input;
        if !input.full_name.is_empty() {
            out.push("full name in one column");
        }
        if input.father.is_empty() && input.given.contains(' ') {
            out.push("given and father joined");
        }
        if records[r as usize].order_unsure {
            out.push("order unsure");
        }
    }
    let (a, b) = (&records[x as usize], &records[y as usize]);
    match (a.birth_year, b.birth_year) {
        (Some(p), Some(q)) if p != q => out.push("years differ"),
        (None, _) | (_, None) => out.push("a year missing"),
        _ => {}
    }
    if a.mother.is_empty() || b.mother.is_empty() {
        out.push("a mother missing");
    }
    if a.father.is_empty() || b.father.is_empty() {
        out.push("a father missing");
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn disagreement(levels: &[Level]) -> String {
    let differ: Vec<&str> = levels
        .iter()
        .zip(FIELDS)
        .filter(|(l, _)| matches!(l, Level::Different | Level::Partial))
        .map(|(_, f)| f)
        .collect();
    let missing = levels.iter().filter(|l| **l == Level::Missing).count();
    format!(
        "{} differ, {missing} missing",
        if differ.is_empty() {
            "none".to_owned()
        } else {
            differ.join("+")
        }
    )
}

fn top(counts: BTreeMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    v.truncate(n);
    v
}

/// Prints the classification of the true pairs `outcome` split.
pub fn report(
    records: &[Record],
    list_of: &[u16],
    truth: &[&SyntheticRecord],
    outcome: &LinkOutcome,
    options: &LinkOptions,
) {
    let c = &outcome.cluster_of;
    let scored: HashMap<(u32, u32), f64> = outcome
        .pairs
        .iter()
        .map(|p| ((p.a.min(p.b), p.a.max(p.b)), p.probability))
        .collect();
    let found = candidates(
        records,
        list_of,
        &options.rules,
        PairScope::All,
        options.max_block_pairs,
    );
    let compared: HashSet<(u32, u32)> = found.pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    brothers_against_model(records, truth, outcome, &found.pairs);
    if std::env::var_os("TYPO").is_some() {
        let compared: HashSet<(u32, u32)> = found.pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
        typo_keys(records, truth, &compared, options.max_block_pairs / 25);
    }
    let mut by_person: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, r) in truth.iter().enumerate() {
        by_person.entry(r.person).or_default().push(i as u32);
    }
    let keys = keys();
    let mut never_shape: BTreeMap<String, u64> = BTreeMap::new();
    let mut never_key = vec![0u64; keys.len()];
    let mut never_none = 0u64;
    let mut below: BTreeMap<String, u64> = BTreeMap::new();
    let (mut never, mut below_total, mut review, mut split, mut total) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let comparer = &mut Comparer::new();
    // `SHOW=n`: print n of the pairs never compared that meet on none of the keys.
    let shown: u64 = std::env::var("SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for members in by_person.values() {
        // The person's records by cluster; each two of their clusters are split by the best
        // pair between them, and cost the pairs of records between them.
        let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for &r in members {
            groups.entry(c[r as usize]).or_default().push(r);
        }
        let groups: Vec<Vec<u32>> = groups.into_values().collect();
        for (k, one) in groups.iter().enumerate() {
            for other in groups.iter().skip(k + 1) {
                let cost = (one.len() * other.len()) as u64;
                total += cost;
                let cross: Vec<(u32, u32)> = one
                    .iter()
                    .flat_map(|&x| other.iter().map(move |&y| (x.min(y), x.max(y))))
                    .collect();
                let best = cross
                    .iter()
                    .filter_map(|pair| scored.get(pair))
                    .copied()
                    .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
                if let Some(p) = best {
                    if p >= options.accept {
                        split += cost;
                    } else {
                        review += cost;
                    }
                } else if let Some(&(x, y)) = cross.iter().find(|pair| compared.contains(pair)) {
                    below_total += cost;
                    let levels = comparer
                        .compare(&records[x as usize], &records[y as usize])
                        .levels();
                    *below.entry(disagreement(&levels)).or_default() += cost;
                } else {
                    never += cost;
                    let (x, y) = cross[0];
                    let s = shape(records, truth, x, y);
                    *never_shape
                        .entry(if s.is_empty() {
                            "nothing".into()
                        } else {
                            s.join(", ")
                        })
                        .or_default() += cost;
                    let mut any = false;
                    for (i, (_, key)) in keys.iter().enumerate() {
                        let meet = cross.iter().any(|&(x, y)| {
                            let (a, b) = (key(&records[x as usize]), key(&records[y as usize]));
                            a.is_some() && a == b
                        });
                        if meet {
                            never_key[i] += cost;
                            any = true;
                        }
                    }
                    if !any {
                        never_none += cost;
                        if never_none <= shown {
                            println!(
                                "NEVER {:?}\n   {:?}\n   {:?}",
                                comparer
                                    .compare(&records[x as usize], &records[y as usize])
                                    .levels(),
                                truth[x as usize].input,
                                truth[y as usize].input
                            );
                        }
                    }
                }
            }
        }
    }
    let true_pairs: u64 = by_person
        .values()
        .map(|m| (m.len() * m.len().saturating_sub(1) / 2) as u64)
        .sum();
    let share = |n: u64| 100.0 * n as f64 / true_pairs.max(1) as f64;
    println!(
        "MISSED true pairs {total} of {true_pairs} ({:.2} % of recall): never a candidate {never} ({:.2} %), below review {below_total} ({:.2} %), review band {review} ({:.2} %), accepted but split by the clustering {split} ({:.2} %)",
        share(total),
        share(never),
        share(below_total),
        share(review),
        share(split)
    );
    println!("  never a candidate, what the records show:");
    for (what, n) in top(never_shape, 12) {
        println!("    {n:>6} ({:.2} %) {what}", share(n));
    }
    println!("  never a candidate, keys they would meet on (pairs the key would add to all records):");
    for ((name, key), n) in keys.iter().zip(&never_key) {
        println!(
            "    {n:>6} ({:.2} %) {name} ({} pairs)",
            share(*n),
            key_pairs(records, *key, options.max_block_pairs)
        );
    }
    println!("    {never_none:>6} ({:.2} %) none of these", share(never_none));
    println!("  below review, fields that disagreed:");
    for (what, n) in top(below, 15) {
        println!("    {n:>6} ({:.2} %) {what}", share(n));
    }
}

/// The review pairs between two clusters, by comparison pattern (one letter a field: Exact,
/// Close, Partial, Different, Missing; fields as in `FIELDS`): how many are one person, how
/// many two of one household.
/// A comparison as one letter a field (Exact, Close, Partial, Different, Missing).
pub fn pattern_key(comparison: mamar_linkage::compare::Comparison) -> String {
    comparison
        .levels()
        .iter()
        .map(|l| format!("{l:?}").chars().next().unwrap_or('?'))
        .collect()
}

pub fn review_patterns(truth: &[&SyntheticRecord], outcome: &LinkOutcome) {
    let c = &outcome.cluster_of;
    let mut by: BTreeMap<String, (u64, u64, u64, f64)> = BTreeMap::new();
    for p in &outcome.pairs {
        if p.band != mamar_linkage::link::Band::Review || c[p.a as usize] == c[p.b as usize] {
            continue;
        }
        let key = pattern_key(p.comparison);
        let (x, y) = (truth[p.a as usize], truth[p.b as usize]);
        let e = by.entry(key).or_default();
        e.0 += 1;
        e.1 += u64::from(x.person == y.person);
        e.2 += u64::from(x.person != y.person && x.household == y.household);
        e.3 += p.probability;
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by_key(|(_, counts)| std::cmp::Reverse(counts.0));
    println!(
        "review pairs between clusters by pattern ({}): pairs, one person, brothers, mean p",
        FIELDS.join(" ")
    );
    for (key, (n, one, brothers, p)) in v.iter().take(40) {
        println!("    {key} {n:>6} {one:>6} {brothers:>6} {:.3}", p / *n as f64);
    }
}

/// The household model's brothers against the truth: how many brother pairs there are (all,
/// with the household agreeing, among the candidates) beside the number the model expects, and
/// the levels of their given names and years beside the model's.
fn brothers_against_model(
    records: &[Record],
    truth: &[&SyntheticRecord],
    outcome: &LinkOutcome,
    candidates: &[(u32, u32)],
) {
    let comparer = &mut Comparer::new();
    let shares = |counts: &[u64; 5], upto: usize| -> Vec<String> {
        let total: u64 = counts.iter().take(upto).sum();
        counts
            .iter()
            .take(upto)
            .map(|&n| format!("{:.4}", n as f64 / total.max(1) as f64))
            .collect()
    };
    // Levels (E C P D M) of the given name and of the year, and the household agreeing.
    let mut all = ([[0u64; 5]; 2], 0u64, 0u64);
    let mut by_household: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, r) in truth.iter().enumerate() {
        by_household.entry(r.household).or_default().push(i as u32);
    }
    for members in by_household.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in members.iter().skip(k + 1) {
                if truth[a as usize].person == truth[b as usize].person {
                    continue;
                }
                let comparison = comparer.compare(&records[a as usize], &records[b as usize]);
                let levels = comparison.levels();
                all.0[0][levels[0] as usize] += 1;
                all.0[1][levels[4] as usize] += 1;
                all.1 += 1;
                all.2 += u64::from(mamar_linkage::household::household_agrees(comparison));
            }
        }
    }
    let (mut among, mut among_agreeing) = (0u64, 0u64);
    for &(a, b) in candidates {
        let (x, y) = (truth[a as usize], truth[b as usize]);
        if x.person != y.person && x.household == y.household {
            among += 1;
            among_agreeing += u64::from(mamar_linkage::household::household_agrees(
                comparer.compare(&records[a as usize], &records[b as usize]),
            ));
        }
    }
    let Some(h) = &outcome.parameters.household else {
        return;
    };
    println!(
        "BROTHERS pairs {} ({} with the household agreeing), among the candidates {among} ({among_agreeing}); the model expects {:.0} (prior {:.3e} of all pairs)",
        all.1, all.2, h.brothers, h.lambda
    );
    println!(
        "  given name E C P D: brothers {:?}, model {:.4?}; year E C P D: brothers {:?}, model {:.4?}",
        shares(&all.0[0], 4),
        h.given,
        shares(&all.0[1], 4),
        h.year
    );
}

/// Keys of several values a record (a deletion neighbourhood: SymSpell's keys).
type MultiKey = fn(&Record) -> Vec<String>;

/// The skeleton and each with one letter deleted.
fn deletions(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = vec![s.to_owned()];
    for i in 0..chars.len() {
        let mut c = chars.clone();
        c.remove(i);
        out.push(c.into_iter().collect());
    }
    out.sort();
    out.dedup();
    out
}

/// Keys tolerating one slip in one of `fields` (the field's deletions in its place); the
/// first two fields unordered if `unordered`.
fn tolerant(fields: &[Option<String>], unordered: bool) -> Vec<String> {
    let Some(fields) = fields.iter().cloned().collect::<Option<Vec<String>>>() else {
        return vec![];
    };
    let mut out = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        for d in deletions(field) {
            let mut v = fields.clone();
            v[i] = d;
            if unordered && v[0] > v[1] {
                v.swap(0, 1);
            }
            out.push(v.join("|"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn multi_keys() -> Vec<(&'static str, MultiKey)> {
    vec![
        ("names+family ~1", |r| {
            tolerant(&[first(&r.given), first(&r.father), first(&r.family)], true)
        }),
        ("names+grandfather ~1", |r| {
            tolerant(&[first(&r.given), first(&r.father), first(&r.grandfather)], true)
        }),
        ("given+family+place ~1", |r| {
            let place = r.place.governorate.map(|g| format!("{g:?}"));
            tolerant(&[first(&r.given), first(&r.family), place], false)
        }),
        ("given+family+mother ~1", |r| {
            tolerant(&[first(&r.given), first(&r.family), first(&r.mother)], false)
        }),
        ("names+family, first letters dropped", |r| {
            let drop = |s: String| s.chars().skip(1).collect::<String>();
            let (Some(g), Some(f), Some(m)) = (first(&r.given), first(&r.father), first(&r.family)) else {
                return vec![];
            };
            let (a, b) = (drop(g), drop(f));
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            vec![format!("{a}|{b}|{}", drop(m))]
        }),
    ]
}

/// `TYPO=1`: for the true pairs no rule compares, which keys tolerating one slip in one name
/// (each record in several blocks, blocks up to `cap` pairs, as the sparse rules) would meet
/// them, and the distinct new pairs each would bring (of them one person, and two of one
/// household): how `names+family~1` was chosen.
pub fn typo_keys(records: &[Record], truth: &[&SyntheticRecord], compared: &HashSet<(u32, u32)>, cap: u64) {
    let keys = multi_keys();
    let all: Vec<Vec<Vec<String>>> = records
        .iter()
        .map(|r| keys.iter().map(|(_, k)| k(r)).collect())
        .collect();
    let mut by_person: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, r) in truth.iter().enumerate() {
        by_person.entry(r.person).or_default().push(i as u32);
    }
    let never: Vec<(u32, u32)> = by_person
        .values()
        .flat_map(|m| {
            m.iter()
                .enumerate()
                .flat_map(move |(k, &x)| m.iter().skip(k + 1).map(move |&y| (x.min(y), x.max(y))))
        })
        .filter(|pair| !compared.contains(pair))
        .collect();
    println!("TYPO KEYS: true pairs never compared {}", never.len());
    for (i, (name, _)) in keys.iter().enumerate() {
        let mut blocks: HashMap<&String, Vec<u32>> = HashMap::new();
        for (r, ks) in all.iter().enumerate() {
            for k in &ks[i] {
                blocks.entry(k).or_default().push(r as u32);
            }
        }
        blocks.retain(|_, m| (m.len() * (m.len() - 1) / 2) as u64 <= cap);
        let mut new: HashSet<(u32, u32)> = HashSet::new();
        for m in blocks.values() {
            for (p, &a) in m.iter().enumerate() {
                for &b in &m[p + 1..] {
                    let pair = (a.min(b), a.max(b));
                    if !compared.contains(&pair) {
                        new.insert(pair);
                    }
                }
            }
        }
        let met = never.iter().filter(|pair| new.contains(pair)).count();
        let (x, y) = (|a: u32| truth[a as usize], |b: u32| truth[b as usize]);
        let household = new
            .iter()
            .filter(|&&(a, b)| x(a).person != y(b).person && x(a).household == y(b).household)
            .count();
        println!(
            "    {met:>6} {name} (new pairs {}, of two of one household {household})",
            new.len()
        );
    }
}

/// `TRUE_LEVELS=1`: the comparison levels of every pair of one person's records, field by
/// field (E C P D M), and `SHOW` of the pairs whose given names (field `SHOW_FIELD`, 0 by
/// default; see [`FIELDS`]) compare as different, as the lists wrote them: what the comparer
/// cannot see of one person.
pub fn true_pair_levels(records: &[Record], truth: &[&SyntheticRecord]) {
    let mut by_person: HashMap<u64, Vec<u32>> = HashMap::new();
    for (i, r) in truth.iter().enumerate() {
        by_person.entry(r.person).or_default().push(i as u32);
    }
    let shown: usize = std::env::var("SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let shown_field: usize = std::env::var("SHOW_FIELD")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut comparer = Comparer::new();
    let mut counts = [[0u64; 5]; 8];
    let mut examples = Vec::new();
    let mut people: Vec<_> = by_person.into_iter().collect();
    people.sort_unstable();
    for (_, members) in people {
        for (i, &x) in members.iter().enumerate() {
            for &y in &members[i + 1..] {
                let levels = comparer
                    .compare(&records[x as usize], &records[y as usize])
                    .levels();
                for (field, level) in levels.iter().enumerate().take(8) {
                    counts[field][*level as usize] += 1;
                }
                if levels.get(shown_field) == Some(&Level::Different) && examples.len() < shown {
                    examples.push((x, y, missed_pattern(&levels)));
                }
            }
        }
    }
    for (field, row) in counts.iter().enumerate() {
        let total: u64 = row.iter().sum();
        let shares: Vec<String> = row
            .iter()
            .map(|&n| format!("{:.4}", n as f64 / total.max(1) as f64))
            .collect();
        println!("TRUE_LEVELS {:12} {}", FIELDS[field], shares.join(" "));
    }
    for (x, y, pattern) in examples {
        let (a, b) = (&truth[x as usize].input, &truth[y as usize].input);
        println!(
            "TRUE_DIFFERENT {pattern} | {:?} {:?} {:?} {:?} {:?} | {:?} {:?} {:?} {:?} {:?}",
            a.full_name,
            a.given,
            a.father,
            a.grandfather,
            a.family,
            b.full_name,
            b.given,
            b.father,
            b.grandfather,
            b.family
        );
    }
}

fn missed_pattern(levels: &[Level]) -> String {
    levels
        .iter()
        .take(8)
        .map(|l| l.name().chars().next().unwrap_or('?'))
        .collect()
}
