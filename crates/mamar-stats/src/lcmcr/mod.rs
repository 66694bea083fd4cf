//! The LCMCR model: Bayesian latent-class capture–recapture with a Dirichlet-process prior
//! (Manrique-Vallier, 2016, "Bayesian population size estimation using Dirichlet process
//! mixtures", Biometrics 72), fitted by Gibbs sampling with a truncated stick-breaking prior.
//!
//! Heterogeneity between people is captured by latent classes; within a class the lists are
//! independent. Several chains are run from different random starts; the posterior of the
//! total is summarised by its median and an equal-tailed credible interval, with R-hat and
//! effective sample size to show whether the chains agree.

mod converge;
mod diagnostics;
mod sampler;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use thiserror::Error;

use crate::{CaptureTable, Level};
use sampler::Chain;

pub use converge::{ChainSummary, Converged, Progress, TARGET_ESS, TARGET_RHAT, estimate_until_converged};
pub use diagnostics::rhat_and_ess;

/// R-hat above this means the chains have not mixed (Vehtari et al. 2021).
pub const RHAT_WARNING: f64 = 1.01;
/// Fewer effective draws than this per chain make the interval's ends unreliable.
pub const ESS_PER_CHAIN_WARNING: f64 = 100.0;
/// Up to this many lists, a model of two latent classes (2 × lists + 1 parameters, plus the
/// total) has more unknowns than the 2^lists − 1 observed cells: not identifiable.
pub const WEAKLY_IDENTIFIED_LISTS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LcmcrOptions {
    /// K, the truncation of the stick-breaking prior: the most latent classes (default 10).
    pub classes: usize,
    pub chains: usize,
    /// Sweeps discarded at the start of each chain.
    pub burn_in: usize,
    /// Draws kept per chain (after thinning).
    pub samples: usize,
    /// Keep one sweep in this many.
    pub thin: usize,
    pub seed: u64,
    /// `(a, b)` of the Gamma(a, b) prior on the concentration alpha (default 0.25, 0.25, as in
    /// the LCMCR R package).
    pub alpha_prior: (f64, f64),
    #[serde(skip)]
    pub level: Level,
    /// Run the chains on separate threads. The draws are the same either way.
    #[serde(skip)]
    pub parallel: bool,
    /// Add, to each Gibbs sweep, Metropolis moves with the unseen summed out (see the sampler).
    /// They leave the posterior unchanged and make it mix much faster where many people are
    /// unseen; `false` gives the plain Gibbs sampler of Manrique-Vallier (2016), for comparison.
    pub collapsed_moves: bool,
}

impl Default for LcmcrOptions {
    fn default() -> Self {
        LcmcrOptions {
            classes: 10,
            chains: 4,
            burn_in: 10_000,
            samples: 1_000,
            thin: 10,
            seed: 1,
            alpha_prior: (0.25, 0.25),
            level: Level::default(),
            parallel: true,
            collapsed_moves: true,
        }
    }
}

impl LcmcrOptions {
    /// Sweeps per chain, burn-in included.
    pub fn iterations_per_chain(&self) -> usize {
        self.burn_in
            .saturating_add(self.samples.saturating_mul(self.thin))
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum LcmcrError {
    #[error("invalid LCMCR options: {0}")]
    InvalidOptions(String),
    #[error(
        "the posterior of the total runs away (more than 10^12 unseen): the lists do not bound the total under this model"
    )]
    RunsAway,
    #[error("numerical failure in the sampler: {0}")]
    Numerical(String),
    #[error("{0}")]
    NotIdentified(#[from] crate::identify::NotIdentified),
    #[error(
        "with {lists} lists the latent classes cannot be identified: two classes have more parameters \
         ({parameters}) than the table has cells ({cells}), so the total would be the prior's, not the data's; \
         use --method chapman, or --classes 1 (lists independent)"
    )]
    TooFewLists {
        lists: usize,
        parameters: usize,
        cells: usize,
    },
}

/// Refuses a table on which even two latent classes have more parameters than observed cells
/// (two lists): any total fits, and the posterior would be the prior's. With one class the model
/// is the independence model, which two lists identify.
fn check_identified(table: &CaptureTable, options: &LcmcrOptions) -> Result<(), LcmcrError> {
    let lists = table.list_count();
    let cells = (1usize << lists) - 1;
    let parameters = 2 * lists + 1;
    if options.classes > 1 && parameters > cells {
        return Err(LcmcrError::TooFewLists {
            lists,
            parameters,
            cells,
        });
    }
    Ok(())
}

/// An equal-tailed credible interval for the total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CredibleInterval {
    pub level: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The posterior of the total population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LcmcrEstimate {
    /// The documented number: people on at least one list.
    pub observed: u64,
    /// Posterior median of the total.
    pub median: f64,
    pub mean: f64,
    pub interval: CredibleInterval,
    /// Posterior median of the number seen by no list.
    pub unseen_median: f64,
    pub options: LcmcrOptions,
    /// Rank-normalised split R-hat of the total over all chains.
    pub rhat: f64,
    /// Bulk effective sample size of the total over all chains.
    pub ess: f64,
    /// Plain-language warnings about convergence; empty when the diagnostics look fine.
    pub warnings: Vec<String>,
    /// Sweeps run per chain, burn-in included.
    pub sweeps: usize,
    /// The kept draws of the total, one vector per chain.
    #[serde(skip)]
    pub draws: Vec<Vec<u64>>,
}

fn check(options: &LcmcrOptions) -> Result<(), LcmcrError> {
    let invalid = |what: &str| Err(LcmcrError::InvalidOptions(what.to_string()));
    if options.classes < 1 || options.classes > 1000 {
        return invalid("the number of latent classes must be between 1 and 1000");
    }
    if options.chains < 1 || options.chains > 64 {
        return invalid("the number of chains must be between 1 and 64");
    }
    if options.samples < 1 || options.thin < 1 {
        return invalid("samples and thinning must be at least 1");
    }
    let (a, b) = options.alpha_prior;
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return invalid("the Gamma prior on alpha needs positive, finite parameters");
    }
    Ok(())
}

/// Runs one chain and returns its kept draws of the total. Chain `index` of a seed always
/// gives the same draws, whatever else runs.
pub fn run_chain(table: &CaptureTable, options: &LcmcrOptions, index: usize) -> Result<Vec<u64>, LcmcrError> {
    check(options)?;
    let patterns: Vec<(u32, u64)> = table.observed_cells().filter(|(_, count)| *count > 0).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    rng.set_stream(index as u64);
    let mut chain = Chain::new(
        &patterns,
        table.observed_total(),
        table.list_count(),
        options,
        rng,
    )?;
    for _ in 0..options.burn_in {
        chain.step()?;
    }
    let mut draws = Vec::with_capacity(options.samples);
    for _ in 0..options.samples {
        for _ in 0..options.thin {
            chain.step()?;
        }
        draws.push(chain.total());
    }
    Ok(draws)
}

/// Fits LCMCR to `table` with several chains and summarises the posterior of the total.
pub fn estimate(table: &CaptureTable, options: &LcmcrOptions) -> Result<LcmcrEstimate, LcmcrError> {
    check(options)?;
    crate::identify::check_overlaps(table)?;
    check_identified(table, options)?;
    let outcomes: Vec<Result<Vec<u64>, LcmcrError>> = if options.parallel && options.chains > 1 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..options.chains)
                .map(|index| scope.spawn(move || run_chain(table, options, index)))
                .collect();
            join_chains(handles)
        })
    } else {
        (0..options.chains)
            .map(|index| run_chain(table, options, index))
            .collect()
    };
    let draws = outcomes.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut estimate = summarise(table.observed_total(), options, draws);
    estimate.warnings.extend(weak_identification(table, options));
    Ok(estimate)
}

/// Waits for every chain's thread; a thread that panicked is a numerical failure, not a crash.
fn join_chains<T>(
    handles: Vec<std::thread::ScopedJoinHandle<'_, Result<T, LcmcrError>>>,
) -> Vec<Result<T, LcmcrError>> {
    handles
        .into_iter()
        .map(|handle| {
            handle
                .join()
                .unwrap_or_else(|_| Err(LcmcrError::Numerical("a sampling thread failed".into())))
        })
        .collect()
}

fn weak_identification(table: &CaptureTable, options: &LcmcrOptions) -> Option<String> {
    (table.list_count() <= WEAKLY_IDENTIFIED_LISTS && options.classes > 1).then(|| {
        format!(
            "with {} lists, two latent classes already have as many parameters as the table has cells: \
             the data cannot tell the total apart from other totals, and the estimate leans on the prior",
            table.list_count()
        )
    })
}

fn summarise(observed: u64, options: &LcmcrOptions, draws: Vec<Vec<u64>>) -> LcmcrEstimate {
    let as_float: Vec<Vec<f64>> = draws
        .iter()
        .map(|chain| chain.iter().map(|&n| n as f64).collect())
        .collect();
    let mut pooled: Vec<f64> = as_float.iter().flatten().copied().collect();
    pooled.sort_by(f64::total_cmp);
    let level = options.level.value();
    let median = crate::quantile(&pooled, 0.5);
    let mean = pooled.iter().sum::<f64>() / pooled.len().max(1) as f64;
    let interval = CredibleInterval {
        level,
        lower: crate::quantile(&pooled, (1.0 - level) / 2.0),
        upper: crate::quantile(&pooled, (1.0 + level) / 2.0),
    };
    let (rhat, ess) = if as_float.len() >= 2 || as_float.first().is_some_and(|c| c.len() >= 8) {
        rhat_and_ess(&as_float)
    } else {
        (f64::NAN, f64::NAN)
    };
    let mut warnings = Vec::new();
    if options.chains < 2 {
        warnings.push("only one chain was run: convergence cannot be judged across chains".to_string());
    }
    if rhat.is_nan() || ess.is_nan() {
        warnings.push("too few draws to compute convergence diagnostics".to_string());
    } else {
        if rhat > RHAT_WARNING {
            warnings.push(format!(
                "R-hat is {rhat:.3} (above {RHAT_WARNING}): the chains disagree; run more iterations or a longer burn-in"
            ));
        }
        let wanted = ESS_PER_CHAIN_WARNING * options.chains as f64;
        if ess < wanted {
            warnings.push(format!(
                "the effective sample size is {ess:.0} (below {wanted:.0}): the interval's ends are uncertain; run more iterations"
            ));
        }
    }
    LcmcrEstimate {
        observed,
        median,
        mean,
        interval,
        unseen_median: median - observed as f64,
        options: options.clone(),
        rhat,
        ess,
        warnings,
        sweeps: options.iterations_per_chain(),
        draws,
    }
}
