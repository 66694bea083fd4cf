//! How honest the probabilities are, against the truth of generated lists.

use mamar_linkage::link::{Band, ScoredPair};

/// Prints the share of the accepted pairs that are one person beside the mean probability the
/// model gave them, and with `CALIBRATION` set the same per band of probability.
pub fn report(pairs: &[ScoredPair], one_person: &dyn Fn(u32, u32) -> bool) {
    // Honesty of the accepted band: the share of accepted pairs that are one person, beside
    // the mean probability the model gave them.
    let accepted: Vec<_> = pairs.iter().filter(|p| p.band == Band::Accepted).collect();
    let right = accepted.iter().filter(|p| one_person(p.a, p.b)).count();
    println!(
        "accepted pairs {}: {:.4} one person, mean probability {:.4}",
        accepted.len(),
        right as f64 / accepted.len().max(1) as f64,
        accepted.iter().map(|p| p.probability).sum::<f64>() / accepted.len().max(1) as f64
    );
    if std::env::var_os("CALIBRATION").is_some() {
        let mut buckets = [(0u64, 0u64, 0f64); 10];
        for p in pairs {
            let bucket = &mut buckets[((p.probability * 10.0) as usize).min(9)];
            bucket.0 += 1;
            bucket.1 += u64::from(one_person(p.a, p.b));
            bucket.2 += p.probability;
        }
        for (i, (n, right, sum)) in buckets.iter().enumerate().filter(|(_, b)| b.0 > 0) {
            println!(
                "probability {:.1}-{:.1}: {n} pairs, {:.4} one person (mean probability {:.4})",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0,
                *right as f64 / *n as f64,
                sum / *n as f64
            );
        }
    }
}
