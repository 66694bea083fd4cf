//! How honest the probabilities are, against the truth of generated lists.

use std::collections::BTreeMap;

use mamar_linkage::link::{Band, ScoredPair};

/// Prints the share of the accepted pairs that are one person beside the mean probability the
/// model gave them, and with `CALIBRATION` set the same per band of probability, with the
/// pairs of each band by kind of truth (`truth_kind`: 0 one person, 1 brothers (one household), 2
/// cousins (one clan, two households), 3 others (namesakes, strangers)). With
/// `CALIBRATION=patterns`, also the commonest comparison patterns of the band 0.5–0.9 (one
/// letter a field, as `fields` names them, and the two records' lists, `lists`) by kind of
/// truth.
pub fn report(
    pairs: &[ScoredPair],
    truth_kind: &dyn Fn(u32, u32) -> usize,
    lists: &dyn Fn(u32, u32) -> (u16, u16),
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
    let mut by: BTreeMap<String, ([u64; 4], f64)> = BTreeMap::new();
    for p in pairs.iter().filter(|p| (0.5..0.9).contains(&p.probability)) {
        let (i, j) = lists(p.a, p.b);
        let levels: String = p
            .comparison
            .levels()
            .iter()
            .map(|l| format!("{l:?}").chars().next().unwrap_or('?'))
            .collect();
        let key = format!("{levels} lists {}-{}", i.min(j), i.max(j));
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
