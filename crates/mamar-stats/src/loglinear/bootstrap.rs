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

use super::Interval;
use super::select::{Criterion, Search, SelectError, average, select};
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
    let Some(chosen) = chosen_interval(table, criterion, search, level)? else {
        return Ok(None);
    };
    let resamples = Resamples::draw(table, criterion, search, replicates, seed, threads, progress)?;
    Ok(resamples.interval(Estimator::Chosen, chosen, level))
}

/// The model-averaged total (every model's estimate weighted by its Akaike or Schwarz weight,
/// [`super::average`]) with a bootstrap interval that draws the weights afresh on every
/// resample (Buckland, Burnham & Augustin 1997), beside the interval of the chosen model from
/// the same resamples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AveragedInterval {
    /// The model-averaged total on the table itself.
    pub total: f64,
    /// The percentile interval of the model-averaged totals, joined with the chosen model's
    /// profile-likelihood interval (as [`BootstrapInterval`] joins them).
    pub interval: BootstrapInterval,
    /// The chosen model's total on the table itself, and its interval from the same resamples.
    pub chosen_total: f64,
    pub chosen: BootstrapInterval,
}

/// The model-averaged total and its bootstrap interval (see [`AveragedInterval`]); `None` as
/// for [`bootstrap_selection`].
pub fn bootstrap_average(
    table: &CaptureTable,
    criterion: Criterion,
    search: Search,
    replicates: usize,
    seed: u64,
    level: Level,
    threads: usize,
) -> Result<Option<AveragedInterval>, SelectError> {
    let averaged = match super::average(table, criterion, search) {
        Ok(averaged) => averaged,
        Err(SelectError::NothingEstimable(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    let Some(profile) = chosen_interval(table, criterion, search, level)? else {
        return Ok(None);
    };
    let resamples = Resamples::draw(table, criterion, search, replicates, seed, threads, &|_| {})?;
    let (Some(interval), Some(chosen)) = (
        resamples.interval(Estimator::Averaged, profile, level),
        resamples.interval(Estimator::Chosen, profile, level),
    ) else {
        return Ok(None);
    };
    Ok(Some(AveragedInterval {
        total: averaged.total,
        interval,
        chosen_total: averaged.chosen_total,
        chosen,
    }))
}

/// The profile-likelihood interval of the model chosen on `table` (`Some(None)` when that
/// interval could not be computed); `None` when no model has an estimate.
fn chosen_interval(
    table: &CaptureTable,
    criterion: Criterion,
    search: Search,
    level: Level,
) -> Result<Option<Option<Interval>>, SelectError> {
    match select(table, criterion, search, 1, level) {
        Ok(selection) => Ok(Some(selection.ranked.first().and_then(|best| best.interval))),
        Err(SelectError::NothingEstimable(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Which total of each resample an interval is read from.
#[derive(Debug, Clone, Copy)]
enum Estimator {
    /// The chosen model's.
    Chosen,
    /// The model-averaged one.
    Averaged,
}

/// The totals of every resample: the chosen model's and the model-averaged one, `None` where
/// no model had a finite estimate.
struct Resamples {
    totals: Vec<Option<(f64, f64)>>,
    seed: u64,
}

impl Resamples {
    /// Draws `replicates` resamples of the people seen in `table` (on `threads` threads; the
    /// result does not depend on their number) and searches the models again on each.
    fn draw(
        table: &CaptureTable,
        criterion: Criterion,
        search: Search,
        replicates: usize,
        seed: u64,
        threads: usize,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Self, SelectError> {
        let done = std::sync::atomic::AtomicUsize::new(0);
        let done = &done;
        let cells: Vec<(u32, u64)> = table.observed_cells().filter(|(_, count)| *count > 0).collect();
        let seen = table.observed_total();
        let threads = threads.clamp(1, replicates.max(1));
        let per_thread = replicates.div_ceil(threads);
        let outcomes: Vec<Result<Option<(f64, f64)>, SelectError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|thread| {
                    let cells = &cells;
                    scope.spawn(move || {
                        let first = thread * per_thread;
                        let last = (first + per_thread).min(replicates);
                        (first..last)
                            .map(|index| {
                                let outcome =
                                    one_replicate(table, cells, seen, criterion, search, seed, index);
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
        let totals = outcomes.into_iter().collect::<Result<Vec<_>, _>>()?;
        Ok(Resamples { totals, seed })
    }

    /// The percentile interval of one estimator's totals joined with the chosen model's
    /// profile interval; `None` when fewer than half the resamples gave an estimate: the
    /// interval would say more than the data.
    fn interval(
        &self,
        estimator: Estimator,
        profile: Option<Interval>,
        level: Level,
    ) -> Option<BootstrapInterval> {
        let replicates = self.totals.len();
        let mut totals: Vec<f64> = self
            .totals
            .iter()
            .flatten()
            .map(|&(chosen, averaged)| match estimator {
                Estimator::Chosen => chosen,
                Estimator::Averaged => averaged,
            })
            .collect();
        let without_estimate = replicates - totals.len();
        if totals.is_empty() || totals.len() * 2 < replicates {
            return None;
        }
        totals.sort_by(f64::total_cmp);
        let tail = (1.0 - level.value()) / 2.0;
        let (percentile_lower, percentile_upper) = (quantile(&totals, tail), quantile(&totals, 1.0 - tail));
        let (lower, upper) = match profile {
            Some(profile) => (
                profile.lower.min(percentile_lower),
                profile.upper.map(|upper| upper.max(percentile_upper)),
            ),
            None => (percentile_lower, Some(percentile_upper)),
        };
        Some(BootstrapInterval {
            level: level.value(),
            lower,
            upper,
            percentile_lower,
            percentile_upper,
            replicates,
            without_estimate,
            seed: self.seed,
        })
    }
}

/// The chosen model's total and the model-averaged total on resample `index`, or `None` when
/// no model has a finite estimate on it.
fn one_replicate(
    table: &CaptureTable,
    cells: &[(u32, u64)],
    seen: u64,
    criterion: Criterion,
    search: Search,
    seed: u64,
    index: usize,
) -> Result<Option<(f64, f64)>, SelectError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let resampled = multinomial(cells, seen, &mut rng);
    let Ok(resample) = CaptureTable::from_masks(table.lists().to_vec(), &resampled) else {
        return Ok(None);
    };
    match average(&resample, criterion, search) {
        Ok(averaged) => Ok(Some((averaged.chosen_total, averaged.total))),
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
