//! How honest the probabilities are, against the truth of generated lists.

use std::collections::BTreeMap;

use mamar_linkage::compare::{Comparer, Field, Level};
use mamar_linkage::link::{Band, LinkOutcome, ScoredPair};
use mamar_linkage::record::Record;
use mamar_linkage::synth::SyntheticRecord;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

/// Prints the share of the accepted pairs that are one person beside the mean probability the
/// model gave them, and with `CALIBRATION` set the same per band of probability, with the
/// pairs of each band by kind of truth (`truth_kind`: 0 one person, 1 brothers (one household), 2
/// cousins (one clan, two households), 3 others (namesakes, strangers)). With
/// `CALIBRATION=patterns`, also the commonest comparison patterns of the band 0.5–0.9 (one
/// letter a field, as `fields` names them, and the two records' lists, `lists`, each with its
/// script, `script`: a Arabic, l Latin) by kind of truth.
pub fn report(
    pairs: &[ScoredPair],
    truth_kind: &dyn Fn(u32, u32) -> usize,
    lists: &dyn Fn(u32, u32) -> (u16, u16),
    script: &dyn Fn(u32) -> char,
    fields: &[&str],
) {
    // Honesty of the accepted band: the share of accepted pairs that are one person, beside
    // the mean probability the model gave them.
    let accepted: Vec<_> = pairs.iter().filter(|p| p.band == Band::Accepted).collect();
    let right = accepted.iter().filter(|p| truth_kind(p.a, p.b) == 0).count();
    println!(
        "accepted pairs {}: {:.4} one person, mean probability {:.4}",
        accepted.len(),
        right as f64 / accepted.len().max(1) as f64,
        accepted.iter().map(|p| p.probability).sum::<f64>() / accepted.len().max(1) as f64
    );
    let Some(mode) = std::env::var_os("CALIBRATION") else {
        return;
    };
    let mut buckets = [([0u64; 4], 0f64); 10];
    for p in pairs {
        let bucket = &mut buckets[((p.probability * 10.0) as usize).min(9)];
        bucket.0[truth_kind(p.a, p.b).min(3)] += 1;
        bucket.1 += p.probability;
    }
    for (i, (kinds, sum)) in buckets.iter().enumerate() {
        let n: u64 = kinds.iter().sum();
        if n == 0 {
            continue;
        }
        println!(
            "probability {:.1}-{:.1}: {n} pairs, {:.4} one person (mean probability {:.4}); brothers {} cousins {} others {}",
            i as f64 / 10.0,
            (i + 1) as f64 / 10.0,
            kinds[0] as f64 / n as f64,
            sum / n as f64,
            kinds[1],
            kinds[2],
            kinds[3]
        );
    }
    if mode != "patterns" {
        return;
    }
    // Each band by the two records' scripts (aa, al, ll).
    let mut by_script: BTreeMap<(String, usize), ([u64; 4], f64)> = BTreeMap::new();
    for p in pairs {
        let mut scripts = [script(p.a), script(p.b)];
        scripts.sort_unstable();
        let entry = by_script
            .entry((scripts.iter().collect(), ((p.probability * 10.0) as usize).min(9)))
            .or_default();
        entry.0[truth_kind(p.a, p.b).min(3)] += 1;
        entry.1 += p.probability;
    }
    for ((scripts, band), (kinds, sum)) in by_script.iter().filter(|((_, band), _)| *band >= 5) {
        let n: u64 = kinds.iter().sum();
        println!(
            "scripts {scripts} probability {:.1}-{:.1}: {n} pairs, {:.4} one person (mean probability {:.4}); brothers {} cousins {} others {}",
            *band as f64 / 10.0,
            (*band + 1) as f64 / 10.0,
            kinds[0] as f64 / n as f64,
            sum / n as f64,
            kinds[1],
            kinds[2],
            kinds[3]
        );
    }
    let mut by: BTreeMap<String, ([u64; 4], f64)> = BTreeMap::new();
    for p in pairs.iter().filter(|p| (0.5..0.9).contains(&p.probability)) {
        let (i, j) = lists(p.a, p.b);
        let levels = crate::missed::pattern_key(p.comparison);
        let (x, y) = if i <= j { (p.a, p.b) } else { (p.b, p.a) };
        let key = format!(
            "{levels} lists {}{}-{}{}",
            i.min(j),
            script(x),
            i.max(j),
            script(y)
        );
        let entry = by.entry(key).or_default();
        entry.0[truth_kind(p.a, p.b).min(3)] += 1;
        entry.1 += p.probability;
    }
    let mut rows: Vec<_> = by.into_iter().collect();
    rows.sort_by_key(|(_, (kinds, _))| std::cmp::Reverse(kinds.iter().sum::<u64>()));
    println!(
        "pairs at 0.5-0.9 by pattern ({}): pairs, one person, brothers, cousins, others, mean p",
        fields.join(" ")
    );
    for (key, (kinds, sum)) in rows.iter().take(40) {
        let n: u64 = kinds.iter().sum();
        println!(
            "    {key} {n:>6} {:>6} {:>6} {:>6} {:>6} {:.3}",
            kinds[0],
            kinds[1],
            kinds[2],
            kinds[3],
            sum / n as f64
        );
    }
}

/// With `CALIBRATION=patterns`: u by the two records' lists, from random pairs of records of
/// two people (`person`): each name field's share of exact agreement, and the share agreeing
/// exactly on the given, the father's and the family name together beside the product of the
/// three (what the model takes it to be).
pub fn u_by_lists(records: &[Record], list_of: &[u16], person: &dyn Fn(usize) -> u64) {
    if std::env::var_os("CALIBRATION").is_none_or(|mode| mode != "patterns") {
        return;
    }
    let lists = list_of.iter().copied().max().map_or(0, |l| usize::from(l) + 1);
    let mut by_list: Vec<Vec<usize>> = vec![Vec::new(); lists];
    for (index, &list) in list_of.iter().enumerate() {
        by_list[usize::from(list)].push(index);
    }
    let fields = [
        Field::Given as usize,
        Field::Father as usize,
        Field::Family as usize,
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut comparer = Comparer::new();
    let mut of_person: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for index in 0..records.len() {
        of_person.entry(person(index)).or_default().push(index);
    }
    let same_person: Vec<(usize, usize)> = of_person
        .values()
        .flat_map(|r| {
            r.iter()
                .enumerate()
                .flat_map(move |(k, &a)| r.iter().skip(k + 1).map(move |&b| (a, b)))
        })
        .collect();
    for i in 0..lists {
        for j in i..lists {
            let (mut exact, mut seen, mut all_three, mut all_seen) = ([0u64; 3], [0u64; 3], 0u64, 0u64);
            for _ in 0..2_000_000 {
                let a = by_list[i][rng.random_range(0..by_list[i].len())];
                let b = by_list[j][rng.random_range(0..by_list[j].len())];
                if a == b || person(a) == person(b) {
                    continue;
                }
                let levels = comparer.compare(&records[a], &records[b]).levels();
                let mut all = true;
                for (k, &field) in fields.iter().enumerate() {
                    if levels[field] != Level::Missing {
                        seen[k] += 1;
                        exact[k] += u64::from(levels[field] == Level::Exact);
                    } else {
                        all = false;
                    }
                }
                if all {
                    all_seen += 1;
                    all_three += u64::from(fields.iter().all(|&f| levels[f] == Level::Exact));
                }
            }
            // m likewise, from every pair of records of one person.
            let (mut m_exact, mut m_seen) = ([0u64; 3], [0u64; 3]);
            for &(a, b) in same_person.iter().filter(|(a, b)| {
                let (x, y) = (list_of[*a], list_of[*b]);
                (usize::from(x.min(y)), usize::from(x.max(y))) == (i, j)
            }) {
                let levels = comparer.compare(&records[a], &records[b]).levels();
                for (k, &field) in fields.iter().enumerate() {
                    if levels[field] != Level::Missing {
                        m_seen[k] += 1;
                        m_exact[k] += u64::from(levels[field] == Level::Exact);
                    }
                }
            }
            println!(
                "m lists {i}-{j}: exact given {:.4} father {:.4} family {:.4} ({} pairs)",
                m_exact[0] as f64 / m_seen[0].max(1) as f64,
                m_exact[1] as f64 / m_seen[1].max(1) as f64,
                m_exact[2] as f64 / m_seen[2].max(1) as f64,
                m_seen[0]
            );
            let share: Vec<f64> = exact
                .iter()
                .zip(&seen)
                .map(|(e, s)| *e as f64 / (*s).max(1) as f64)
                .collect();
            println!(
                "u lists {i}-{j}: exact given {:.4} father {:.4} family {:.4}; all three {:.3e} ({all_three} of {all_seen}) against the product {:.3e}",
                share[0],
                share[1],
                share[2],
                all_three as f64 / all_seen.max(1) as f64,
                share.iter().product::<f64>()
            );
        }
    }
}

/// `FALSE_PAIRS=1` on the households bench: the accepted pairs of two people by comparison
/// pattern (brothers, cousins, others, mean probability), then a few of them as written.
pub fn false_accepted_pairs(outcome: &LinkOutcome, truth: &[&SyntheticRecord]) {
    // The accepted pairs of two people, by comparison pattern: (brothers, cousins,
    // others, summed probability).
    let mut by_pattern: std::collections::BTreeMap<String, (u64, u64, u64, f64)> = Default::default();
    for p in outcome.pairs.iter().filter(|p| p.band == Band::Accepted) {
        let (x, y) = (truth[p.a as usize], truth[p.b as usize]);
        if x.person != y.person {
            let entry = by_pattern
                .entry(crate::missed::pattern_key(p.comparison))
                .or_default();
            if x.household == y.household {
                entry.0 += 1;
            } else if x.clan == y.clan {
                entry.1 += 1;
            } else {
                entry.2 += 1;
            }
            entry.3 += p.probability;
        }
    }
    let mut patterns: Vec<_> = by_pattern.into_iter().collect();
    patterns.sort_by_key(|(_, (b, c, o, _))| std::cmp::Reverse(b + c + o));
    println!("false accepted pairs by pattern: brothers, cousins, others, mean p");
    for (pattern, (b, c, o, sum)) in patterns.iter().take(25) {
        println!(
            "    {pattern} {b:>6} {c:>6} {o:>6} {:.3}",
            sum / (b + c + o) as f64
        );
    }
    let mut shown = 0;
    for p in outcome.pairs.iter().filter(|p| p.band == Band::Accepted) {
        let (x, y) = (truth[p.a as usize], truth[p.b as usize]);
        if x.person != y.person && shown < 15 {
            shown += 1;
            println!(
                "FALSE {:.3} household {} {:?}\n   {:?}\n   {:?}",
                p.probability,
                x.household == y.household,
                p.comparison.levels(),
                x.input,
                y.input
            );
        }
    }
}
