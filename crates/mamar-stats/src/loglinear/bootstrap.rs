//! An interval for the total that allows for the choice of model: the people seen are
//! resampled with replacement, the model is chosen again on every resample, and the interval is
//! read from the totals the chosen models give (a percentile bootstrap). The profile-likelihood
//! interval of one chosen model ignores that another sample could have chosen another model;
//! this one does not (compare Silverman, Chan & Vincent 2023, who bootstrap the selection too).
//!
//! The interval reported is the union of that percentile interval and the chosen model's own
//! profile-likelihood interval. The percentile interval does not follow the skew of the
//! likelihood: in the simulation study, with 10,000 people (where the choice hardly varies), it
//! covered the true total less often than the chosen model's own interval. An interval that
//! allows for the choice of model should never claim more certainty than the model alone
//! (docs/bench/mamar-stats.md, section 3).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};
use serde::Serialize;

use super::select::{Criterion, Search, SelectError, select};
use crate::{CaptureTable, Level, quantile};

/// An interval for the total that allows for the choice of model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapInterval {
    pub level: f64,
    /// The interval: the union of the percentile interval and the chosen model's
    /// profile-likelihood interval.
    pub lower: f64,
    /// `None` when the chosen model's likelihood sets no upper limit.
    pub upper: Option<f64>,
    /// The bootstrap's own equal-tailed percentile interval.
    pub percentile_lower: f64,
    pub percentile_upper: f64,
    /// Resamples drawn.
    pub replicates: usize,
    /// Resamples on which no model had a finite estimate; they are left out of the interval.
    pub without_estimate: usize,
    pub seed: u64,
}

/// Draws `replicates` resamples of the people seen in `table` (on `threads` threads; the
/// result does not depend on their number), chooses a model on each by `criterion`, and returns
/// the equal-tailed percentile interval of the chosen models' totals joined with the profile
/// interval of the model chosen on `table` itself. `None` when fewer than half the resamples
/// gave an estimate: the interval would say more than the data.
pub fn bootstrap_selection(
    table: &CaptureTable,
    criterion: Criterion,
    search: Search,
    replicates: usize,
    seed: u64,
    level: Level,
    threads: usize,
) -> Result<Option<BootstrapInterval>, SelectError> {
    bootstrap_selection_with_progress(
        table,
        criterion,
        search,
        replicates,
        seed,
        level,
        threads,
        &|_| {},
    )
}

/// [`bootstrap_selection`], calling `progress` with the number of resamples done after each
/// one (from the worker threads; the same interval either way).
#[allow(clippy::too_many_arguments)]
pub fn bootstrap_selection_with_progress(
    table: &CaptureTable,
    criterion: Criterion,
    search: Search,
    replicates: usize,
    seed: u64,
    level: Level,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Option<BootstrapInterval>, SelectError> {
    let chosen = match select(table, criterion, search, 1, level) {
        Ok(selection) => selection.ranked.first().and_then(|best| best.interval),
        Err(SelectError::NothingEstimable(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let done = &done;
    let cells: Vec<(u32, u64)> = table.observed_cells().filter(|(_, count)| *count > 0).collect();
    let seen = table.observed_total();
    let threads = threads.clamp(1, replicates.max(1));
    let per_thread = replicates.div_ceil(threads);
    let outcomes: Vec<Result<Option<f64>, SelectError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let cells = &cells;
                scope.spawn(move || {
                    let first = thread * per_thread;
                    let last = (first + per_thread).min(replicates);
                    (first..last)
                        .map(|index| {
                            let outcome = one_replicate(table, cells, seen, criterion, search, seed, index);
                            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                            outcome
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    });
    let mut totals = Vec::with_capacity(replicates);
    for outcome in outcomes {
        if let Some(total) = outcome? {
            totals.push(total);
        }
    }
    let without_estimate = replicates - totals.len();
    if totals.is_empty() || totals.len() * 2 < replicates {
        return Ok(None);
    }
    totals.sort_by(f64::total_cmp);
    let tail = (1.0 - level.value()) / 2.0;
    let (percentile_lower, percentile_upper) = (quantile(&totals, tail), quantile(&totals, 1.0 - tail));
    let (lower, upper) = match chosen {
        Some(profile) => (
            profile.lower.min(percentile_lower),
            profile.upper.map(|upper| upper.max(percentile_upper)),
        ),
        None => (percentile_lower, Some(percentile_upper)),
    };
    Ok(Some(BootstrapInterval {
        level: level.value(),
        lower,
        upper,
        percentile_lower,
        percentile_upper,
        replicates,
        without_estimate,
        seed,
    }))
}

/// The chosen model's total on resample `index`, or `None` when no model has a finite
/// estimate on it.
fn one_replicate(
    table: &CaptureTable,
    cells: &[(u32, u64)],
    seen: u64,
    criterion: Criterion,
    search: Search,
    seed: u64,
    index: usize,
) -> Result<Option<f64>, SelectError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let resampled = multinomial(cells, seen, &mut rng);
    let Ok(resample) = CaptureTable::from_masks(table.lists().to_vec(), &resampled) else {
        return Ok(None);
    };
    match select(&resample, criterion, search, 1, Level::default()) {
        Ok(selection) => Ok(selection.ranked.first().map(|best| best.estimate.total)),
        Err(SelectError::NothingEstimable(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// `total` people spread over `cells` in proportion to their counts.
fn multinomial(cells: &[(u32, u64)], total: u64, rng: &mut impl Rng) -> Vec<(u32, u64)> {
    let mut remaining = total;
    let mut mass_left = total as f64;
    let mut out = Vec::with_capacity(cells.len());
    for (position, &(mask, count)) in cells.iter().enumerate() {
        let drawn = if position + 1 == cells.len() {
            remaining
        } else if remaining == 0 || mass_left <= 0.0 {
            0
        } else {
            let share = (count as f64 / mass_left).clamp(0.0, 1.0);
            Binomial::new(remaining, share).map_or(0, |binomial| binomial.sample(rng))
        };
        remaining -= drawn.min(remaining);
        mass_left -= count as f64;
        if drawn > 0 {
            out.push((mask, drawn));
        }
    }
    out
}
