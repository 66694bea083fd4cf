//! Convergence diagnostics for several chains: rank-normalised split R-hat and bulk effective
//! sample size, as recommended by Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021).
//! Rank normalisation makes both robust to the heavy right tail that posteriors of a
//! population total usually have.

use statrs::distribution::{ContinuousCDF, Normal};

/// Rank-normalised split R-hat and bulk effective sample size of `chains` (equal lengths).
/// Returns `(NaN, NaN)` when there are too few draws to say anything.
pub fn rhat_and_ess(chains: &[Vec<f64>]) -> (f64, f64) {
    let split = split_chains(chains);
    if split.len() < 2 || split.iter().any(|chain| chain.len() < 4) {
        return (f64::NAN, f64::NAN);
    }
    let normalised = rank_normalise(&split);
    (rhat(&normalised), ess(&normalised))
}

/// Halves every chain, so that drift within a chain shows as disagreement between halves.
fn split_chains(chains: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let length = chains.iter().map(Vec::len).min().unwrap_or(0);
    let half = length / 2;
    chains
        .iter()
        .flat_map(|chain| {
            let first = chain.iter().take(half).copied().collect::<Vec<_>>();
            let second = chain
                .iter()
                .skip(length - half)
                .take(half)
                .copied()
                .collect::<Vec<_>>();
            [first, second]
        })
        .collect()
}

/// Replaces each draw by the normal score of its rank among all draws (ties share a rank).
fn rank_normalise(chains: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut pooled: Vec<(f64, usize, usize)> = chains
        .iter()
        .enumerate()
        .flat_map(|(c, chain)| chain.iter().enumerate().map(move |(i, &v)| (v, c, i)))
        .collect();
    pooled.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total = pooled.len() as f64;
    let mut normalised: Vec<Vec<f64>> = chains.iter().map(|c| vec![0.0; c.len()]).collect();
    let Ok(normal) = Normal::new(0.0, 1.0) else {
        return normalised;
    };
    let mut start = 0;
    while start < pooled.len() {
        let value = pooled[start].0;
        let end = pooled[start..]
            .iter()
            .position(|entry| entry.0 != value)
            .map_or(pooled.len(), |offset| start + offset);
        // Ranks are 1-based; tied draws share the average of their ranks.
        let rank = (start + end + 1) as f64 / 2.0;
        let score = normal.inverse_cdf((rank - 0.375) / (total + 0.25));
        for &(_, c, i) in &pooled[start..end] {
            if let Some(slot) = normalised.get_mut(c).and_then(|chain| chain.get_mut(i)) {
                *slot = score;
            }
        }
        start = end;
    }
    normalised
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn variance(values: &[f64]) -> f64 {
    let centre = mean(values);
    values.iter().map(|v| (v - centre).powi(2)).sum::<f64>() / (values.len() as f64 - 1.0)
}

/// Within-chain variance W and the pooled estimate of the posterior variance.
fn variances(chains: &[Vec<f64>]) -> (f64, f64) {
    let n = chains.first().map_or(0, Vec::len) as f64;
    let within = mean(&chains.iter().map(|c| variance(c)).collect::<Vec<_>>());
    let between_over_n = variance(&chains.iter().map(|c| mean(c)).collect::<Vec<_>>());
    (within, (n - 1.0) / n * within + between_over_n)
}

fn rhat(chains: &[Vec<f64>]) -> f64 {
    let (within, pooled) = variances(chains);
    if within <= 0.0 {
        return f64::NAN;
    }
    (pooled / within).sqrt()
}

/// Multi-chain effective sample size with Geyer's initial monotone sequence estimator.
fn ess(chains: &[Vec<f64>]) -> f64 {
    let m = chains.len();
    let n = chains.first().map_or(0, Vec::len);
    let (within, pooled) = variances(chains);
    if pooled <= 0.0 || n < 4 {
        return f64::NAN;
    }
    let centred: Vec<Vec<f64>> = chains
        .iter()
        .map(|chain| {
            let centre = mean(chain);
            chain.iter().map(|v| v - centre).collect()
        })
        .collect();
    let autocovariance = |lag: usize| -> f64 {
        centred
            .iter()
            .map(|chain| {
                chain
                    .iter()
                    .zip(chain.iter().skip(lag))
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
                    / n as f64
            })
            .sum::<f64>()
            / m as f64
    };
    let rho = |lag: usize| 1.0 - (within - autocovariance(lag)) / pooled;
    // Sum autocorrelations in pairs while the pair sums stay positive, never letting a pair
    // exceed the one before.
    let mut sum = 0.0;
    let mut previous_pair = f64::INFINITY;
    let mut lag = 0;
    while lag + 1 < n {
        let pair = rho(lag) + rho(lag + 1);
        if pair <= 0.0 {
            break;
        }
        let pair = pair.min(previous_pair);
        sum += pair;
        previous_pair = pair;
        lag += 2;
    }
    let tau = (2.0 * sum - 1.0).max(1.0 / ((m * n) as f64).log10().max(1.0));
    (m * n) as f64 / tau
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal as NormalDraw};

    fn ar1(rng: &mut ChaCha8Rng, length: usize, rho: f64, shift: f64) -> Vec<f64> {
        let noise = NormalDraw::new(0.0, 1.0).unwrap();
        let mut value = 0.0;
        (0..length)
            .map(|_| {
                value = rho * value + noise.sample(rng);
                value + shift
            })
            .collect()
    }

    #[test]
    fn independent_draws_have_rhat_one_and_full_ess() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let chains: Vec<Vec<f64>> = (0..4).map(|_| ar1(&mut rng, 1000, 0.0, 0.0)).collect();
        let (rhat, ess) = rhat_and_ess(&chains);
        assert!((rhat - 1.0).abs() < 0.01, "{rhat}");
        assert!(ess > 3000.0 && ess < 5000.0, "{ess}");
    }

    #[test]
    fn autocorrelated_draws_have_the_textbook_ess() {
        // For AR(1) with coefficient rho, ESS = n (1 - rho) / (1 + rho): here 4000 / 19.
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let chains: Vec<Vec<f64>> = (0..4).map(|_| ar1(&mut rng, 10_000, 0.9, 0.0)).collect();
        let (_, ess) = rhat_and_ess(&chains);
        let expected = 40_000.0 * 0.1 / 1.9;
        assert!((ess / expected - 1.0).abs() < 0.25, "{ess} vs {expected}");
    }

    #[test]
    fn chains_stuck_in_different_places_have_a_large_rhat() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let chains: Vec<Vec<f64>> = (0..4).map(|c| ar1(&mut rng, 1000, 0.5, c as f64)).collect();
        let (rhat, _) = rhat_and_ess(&chains);
        assert!(rhat > 1.2, "{rhat}");
    }

    #[test]
    fn quantiles_interpolate() {
        use crate::quantile;
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&sorted, 0.5), 3.0);
        assert_eq!(quantile(&sorted, 0.125), 1.5);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
