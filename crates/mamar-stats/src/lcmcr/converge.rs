//! Running the chains until they agree: split R-hat at most [`TARGET_RHAT`] and a bulk
//! effective sample size of at least [`TARGET_ESS`], or until the caller says stop (a time
//! limit; this crate has no clock). Only a converged run yields a total.

use serde::Serialize;

use super::sampler::Chain;
use super::{
    LcmcrError, LcmcrEstimate, LcmcrOptions, check, join_chains, rhat_and_ess, summarise, weak_identification,
};
use crate::CaptureTable;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Split R-hat of the total at most this (Vehtari et al. 2021).
pub const TARGET_RHAT: f64 = 1.01;
/// Bulk effective sample size of the total at least this, over all chains.
pub const TARGET_ESS: f64 = 400.0;

/// Where a run stands after a round of draws, for progress reports and the caller's limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub round: usize,
    /// Sweeps per chain so far, burn-in included.
    pub sweeps: usize,
    pub rhat: f64,
    pub ess: f64,
}

/// One chain's own view of the total: where chains disagree, these show how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainSummary {
    pub chain: usize,
    pub median: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The outcome of [`estimate_until_converged`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "converged")]
pub enum Converged {
    /// The chains agree: the estimate may be shown.
    #[serde(rename = "true")]
    Yes(LcmcrEstimate),
    /// The caller stopped the run before the chains agreed: no total may be shown.
    #[serde(rename = "false")]
    No {
        progress: Progress,
        chains: Vec<ChainSummary>,
        options: LcmcrOptions,
        /// Every kept draw of the total, one vector per chain (for trace plots).
        #[serde(skip)]
        draws: Vec<Vec<u64>>,
    },
}

/// Runs `options.chains` chains: the burn-in, then rounds of `options.samples` kept draws per
/// chain. After each round the diagnostics are computed on the second half of the draws (the
/// first half counts as more burn-in); the run ends when they meet the targets, or when
/// `keep_going` returns false.
pub fn estimate_until_converged(
    table: &CaptureTable,
    options: &LcmcrOptions,
    keep_going: &mut dyn FnMut(&Progress) -> bool,
) -> Result<Converged, LcmcrError> {
    check(options)?;
    if options.chains < 2 {
        return Err(LcmcrError::InvalidOptions(
            "at least two chains are needed to judge convergence".into(),
        ));
    }
    crate::identify::check_overlaps(table)?;
    super::check_identified(table, options)?;
    let patterns: Vec<(u32, u64)> = table.observed_cells().filter(|(_, count)| *count > 0).collect();
    let mut chains = (0..options.chains)
        .map(|index| {
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream(index as u64);
            Chain::new(
                &patterns,
                table.observed_total(),
                table.list_count(),
                options,
                rng,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut draws: Vec<Vec<u64>> = vec![Vec::new(); options.chains];
    let mut sweeps = 0usize;
    let mut round = 0usize;
    loop {
        let first = round == 0;
        let results: Vec<Result<(), LcmcrError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chains
                .iter_mut()
                .zip(draws.iter_mut())
                .map(|(chain, kept)| {
                    scope.spawn(move || {
                        if first {
                            for _ in 0..options.burn_in {
                                chain.step()?;
                            }
                        }
                        for _ in 0..options.samples {
                            for _ in 0..options.thin {
                                chain.step()?;
                            }
                            kept.push(chain.total());
                        }
                        Ok(())
                    })
                })
                .collect();
            join_chains(handles)
        });
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
        if first {
            sweeps += options.burn_in;
        }
        sweeps += options.samples * options.thin;
        round += 1;
        let window: Vec<Vec<u64>> = draws
            .iter()
            .map(|chain| {
                chain
                    .get(chain.len() / 2..)
                    .map(<[u64]>::to_vec)
                    .unwrap_or_default()
            })
            .collect();
        let as_float: Vec<Vec<f64>> = window
            .iter()
            .map(|chain| chain.iter().map(|&n| n as f64).collect())
            .collect();
        let (rhat, ess) = rhat_and_ess(&as_float);
        let progress = Progress {
            round,
            sweeps,
            rhat,
            ess,
        };
        if rhat <= TARGET_RHAT && ess >= TARGET_ESS {
            let mut estimate = summarise(table.observed_total(), options, window);
            estimate.sweeps = sweeps;
            estimate.warnings.extend(weak_identification(table, options));
            return Ok(Converged::Yes(estimate));
        }
        if !keep_going(&progress) {
            let chains = as_float
                .iter()
                .enumerate()
                .map(|(chain, draws)| {
                    let mut sorted = draws.clone();
                    sorted.sort_by(f64::total_cmp);
                    let level = options.level.value();
                    ChainSummary {
                        chain: chain + 1,
                        median: crate::quantile(&sorted, 0.5),
                        lower: crate::quantile(&sorted, (1.0 - level) / 2.0),
                        upper: crate::quantile(&sorted, (1.0 + level) / 2.0),
                    }
                })
                .collect();
            return Ok(Converged::No {
                progress,
                chains,
                options: options.clone(),
                draws,
            });
        }
    }
}
