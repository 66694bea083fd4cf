//! Model selection by AIC or BIC over the hierarchical models with two-way interactions:
//! every subset of the list pairs, searched exhaustively when there are few enough, stepwise
//! otherwise.

use std::collections::HashMap;

use serde::Serialize;
use thiserror::Error;

use super::irls::{self, Design, Observations, Precision, Start};
use super::{Estimate, Model, ModelFit, Unestimable, estimate_prepared};
use crate::{CaptureTable, Level};

/// `Search::Auto` searches exhaustively up to this many list pairs (6 lists: 2^15 models).
const AUTO_EXHAUSTIVE_PAIRS: usize = 15;
/// Beyond this many pairs (7 lists: 2^21 models) an exhaustive search is refused.
const MAX_EXHAUSTIVE_PAIRS: usize = 21;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// Akaike's information criterion: -2 log L + 2p.
    Aic,
    /// The Bayesian information criterion: -2 log L + p log n, n the documented number.
    Bic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Exhaustive up to 6 lists, stepwise beyond.
    Auto,
    Exhaustive,
    Stepwise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchUsed {
    Exhaustive,
    Stepwise,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SelectError {
    #[error(
        "an exhaustive search over {pairs} list pairs ({models} models) is too large; use the stepwise search"
    )]
    TooManyModels { pairs: usize, models: String },
    #[error("even the independence model cannot be estimated: {0}")]
    NothingEstimable(Unestimable),
}

/// One model in the ranking, with its interval when the interval could be computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedModel {
    #[serde(flatten)]
    pub estimate: ModelFit,
    pub interval: Option<super::Interval>,
    /// Why there is no interval, when there is none.
    pub interval_problem: Option<String>,
    /// The model's criterion minus the best model's.
    pub delta: f64,
    /// Akaike (or Schwarz) weight: exp(-delta/2), normalised over all models fitted.
    pub weight: f64,
}

/// The outcome of a model search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    pub criterion: Criterion,
    pub search: SearchUsed,
    /// Models fitted with a finite maximum-likelihood estimate.
    pub models_estimable: usize,
    /// Models refused because they are not identifiable or their estimates run to infinity.
    pub models_unestimable: usize,
    /// The best models, best first: the chosen one and its closest competitors.
    pub ranked: Vec<RankedModel>,
}

/// Searches the two-way-interaction models and reports the `report` best (at least one) with
/// profile-likelihood intervals at `level`.
pub fn select(
    table: &CaptureTable,
    criterion: Criterion,
    search: Search,
    report: usize,
    level: Level,
) -> Result<Selection, SelectError> {
    let searcher = Searcher::new(table, criterion);
    let (fits, unestimable, search) = searcher.search(search)?;
    Ok(searcher.rank(fits, unestimable, search, report.max(1), level))
}

/// The model-averaged estimate of the total: every estimable model's estimate of the unseen,
/// weighted by its Akaike (or Schwarz) weight, exp(-delta/2) normalised over the models the
/// search fitted (Buckland, Burnham & Augustin 1997). Where one model fits clearly best it is
/// that model's estimate; where several fit about equally well it lies between theirs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Averaged {
    pub criterion: Criterion,
    pub search: SearchUsed,
    /// Models averaged over: those with a finite maximum-likelihood estimate.
    pub models: usize,
    pub observed: u64,
    pub unseen: f64,
    /// `observed + unseen`.
    pub total: f64,
    /// The weight of the best model.
    pub best_weight: f64,
    /// The best model's own total (the one [`select`] chooses).
    pub chosen_total: f64,
}

/// Averages the estimates of every model the search fits (see [`Averaged`]).
pub fn average(table: &CaptureTable, criterion: Criterion, search: Search) -> Result<Averaged, SelectError> {
    let searcher = Searcher::new(table, criterion);
    let (fits, _, search) = searcher.search(search)?;
    searcher.average(&fits, search)
}

/// What the search keeps of each estimable model.
#[derive(Debug, Clone, Copy)]
struct Scored {
    pairs: u128,
    score: f64,
    /// The model's estimate of the number seen by no list.
    unseen: f64,
}

struct Searcher<'a> {
    table: &'a CaptureTable,
    data: Observations,
    criterion: Criterion,
    /// The mask of each list pair, in the order (0,1), (0,2), ..., (1,2), ...
    pairs: Vec<u32>,
    /// Pairs nobody is on together: any model containing one has no finite estimate.
    empty_pairs: u128,
}

impl<'a> Searcher<'a> {
    fn new(table: &'a CaptureTable, criterion: Criterion) -> Self {
        let k = table.list_count();
        // With two lists their pair is the interaction of all the lists, confounded with the
        // unseen cell: the only model is independence.
        let pairs: Vec<u32> = (0..k)
            .flat_map(|a| ((a + 1)..k).map(move |b| (1u32 << a) | (1u32 << b)))
            .filter(|pair| pair.count_ones() < k as u32)
            .collect();
        let empty_pairs = pairs
            .iter()
            .enumerate()
            .filter(|(_, mask)| table.overlap(**mask) == 0)
            .fold(0u128, |set, (index, _)| set | (1u128 << index));
        Searcher {
            table,
            data: Observations::new(table),
            criterion,
            pairs,
            empty_pairs,
        }
    }

    fn model(&self, set: u128) -> Model {
        let terms = self
            .pairs
            .iter()
            .enumerate()
            .filter(|(index, _)| set & (1u128 << index) != 0)
            .map(|(_, &mask)| mask);
        // Pairs of valid lists always form a valid hierarchical model.
        Model::with_terms(self.table.list_count(), terms).unwrap_or_default()
    }

    fn score(&self, log_likelihood: f64, parameters: usize) -> f64 {
        let penalty = match self.criterion {
            Criterion::Aic => 2.0,
            Criterion::Bic => self.data.observed_total.ln(),
        };
        -2.0 * log_likelihood + penalty * parameters as f64
    }

    /// Fits one model quickly (no interval, no names); `None` when it has no finite estimate.
    fn fit(&self, set: u128, start: Start<'_>) -> Option<(Scored, Vec<f64>)> {
        if set & self.empty_pairs != 0 {
            return None;
        }
        let model = self.model(set);
        let design = Design::new(&model, self.table.list_count(), &self.data.masks);
        let fit = irls::fit(&design, &self.data, start, None, Precision::Ranking).ok()?;
        let scored = Scored {
            pairs: set,
            score: self.score(fit.log_likelihood, design.parameters()),
            unseen: fit.beta.first().copied().unwrap_or(f64::NAN).exp(),
        };
        Some((scored, fit.fitted))
    }

    fn independence(&self) -> Result<(Scored, Vec<f64>), SelectError> {
        let model = Model::independence();
        super::precheck(self.table, &model).map_err(SelectError::NothingEstimable)?;
        self.fit(0, Start::Data).ok_or_else(|| {
            SelectError::NothingEstimable(Unestimable::Diverges(
                "the independence model has no finite maximum-likelihood estimate".into(),
            ))
        })
    }

    /// Every subset of pairs, depth first so each model starts from its parent's fit (the
    /// model with one pair fewer). A model with no finite estimate has none for any model
    /// containing it, so its whole subtree is skipped.
    fn exhaustive(&self) -> Result<(Vec<Scored>, usize), SelectError> {
        let (scored, fitted) = self.independence()?;
        let mut fits = vec![scored];
        let mut unestimable = 0usize;
        let count = self.pairs.len();
        // Each frame: the model, its fitted counts, and the next pair to try adding.
        let mut stack: Vec<(u128, Vec<f64>, usize)> = vec![(0, fitted, 0)];
        while let Some(frame) = stack.last_mut() {
            let next = frame.2;
            if next >= count {
                stack.pop();
                continue;
            }
            frame.2 += 1;
            let set = frame.0 | (1u128 << next);
            match self.fit(set, Start::Fitted(&frame.1)) {
                Some((scored, fitted)) => {
                    fits.push(scored);
                    stack.push((set, fitted, next + 1));
                }
                None => {
                    // This model and every model below it in the tree.
                    unestimable = unestimable.saturating_add(1usize << (count - 1 - next));
                }
            }
        }
        Ok((fits, unestimable))
    }

    /// Forward and backward steps from independence: each step makes the single addition or
    /// removal of a pair that lowers the criterion most, until none does.
    fn stepwise(&self) -> Result<(Vec<Scored>, usize), SelectError> {
        let (first, mut fitted) = self.independence()?;
        let mut score = first.score;
        let mut current = 0u128;
        let mut seen: HashMap<u128, Option<Scored>> = HashMap::from([(0, Some(first))]);
        loop {
            let mut best: Option<(Scored, Vec<f64>)> = None;
            for index in 0..self.pairs.len() {
                let candidate = current ^ (1u128 << index);
                if seen.contains_key(&candidate) {
                    continue;
                }
                let outcome = self.fit(candidate, Start::Fitted(&fitted));
                seen.insert(candidate, outcome.as_ref().map(|(scored, _)| *scored));
                if let Some((scored, candidate_fitted)) = outcome
                    && best.as_ref().is_none_or(|(other, _)| scored.score < other.score)
                {
                    best = Some((scored, candidate_fitted));
                }
            }
            match best {
                Some((scored, candidate_fitted)) if scored.score < score - 1e-9 => {
                    current = scored.pairs;
                    score = scored.score;
                    fitted = candidate_fitted;
                }
                _ => break,
            }
        }
        let unestimable = seen.values().filter(|s| s.is_none()).count();
        let fits = seen.into_values().flatten().collect();
        Ok((fits, unestimable))
    }

    /// Fits the models of the family: every one, or those a stepwise search visits.
    fn search(&self, search: Search) -> Result<(Vec<Scored>, usize, SearchUsed), SelectError> {
        let pairs = self.pairs.len();
        let search = match search {
            Search::Auto if pairs <= AUTO_EXHAUSTIVE_PAIRS => SearchUsed::Exhaustive,
            Search::Auto | Search::Stepwise => SearchUsed::Stepwise,
            Search::Exhaustive if pairs <= MAX_EXHAUSTIVE_PAIRS => SearchUsed::Exhaustive,
            Search::Exhaustive => {
                return Err(SelectError::TooManyModels {
                    pairs,
                    models: format!("2^{pairs}"),
                });
            }
        };
        let (fits, unestimable) = match search {
            SearchUsed::Exhaustive => self.exhaustive()?,
            SearchUsed::Stepwise => self.stepwise()?,
        };
        Ok((fits, unestimable, search))
    }

    /// The chosen model's total, refitted at full precision: the first model, in the order of
    /// [`Searcher::rank`], whose full-precision fit succeeds (the total [`select`] reports).
    fn chosen_total(&self, fits: &[Scored]) -> Result<f64, SelectError> {
        let mut order: Vec<&Scored> = fits.iter().collect();
        order.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.pairs.cmp(&b.pairs)));
        order
            .into_iter()
            .find_map(|scored| {
                let model = self.model(scored.pairs);
                super::fit_prepared(self.table, &self.data, &model, Start::Data).ok()
            })
            .map(|(fit, _)| fit.total)
            .ok_or_else(|| {
                SelectError::NothingEstimable(Unestimable::Diverges(
                    "no model has a finite maximum-likelihood estimate".into(),
                ))
            })
    }

    fn average(&self, fits: &[Scored], search: SearchUsed) -> Result<Averaged, SelectError> {
        let chosen_total = self.chosen_total(fits)?;
        let best = fits
            .iter()
            .map(|scored| scored.score)
            .fold(f64::INFINITY, f64::min);
        let finite = || fits.iter().filter(|scored| scored.unseen.is_finite());
        let weight = |scored: &Scored| (-(scored.score - best) / 2.0).exp();
        let total_weight: f64 = finite().map(weight).sum();
        let unseen = finite().map(|scored| weight(scored) * scored.unseen).sum::<f64>() / total_weight;
        let observed = self.table.observed_total();
        Ok(Averaged {
            criterion: self.criterion,
            search,
            models: finite().count(),
            observed,
            unseen,
            total: observed as f64 + unseen,
            best_weight: 1.0 / total_weight,
            chosen_total,
        })
    }

    fn rank(
        &self,
        mut fits: Vec<Scored>,
        unestimable: usize,
        search: SearchUsed,
        report: usize,
        level: Level,
    ) -> Selection {
        fits.sort_by(|a, b| a.score.total_cmp(&b.score).then(a.pairs.cmp(&b.pairs)));
        let best = fits.first().map_or(0.0, |scored| scored.score);
        let total_weight: f64 = fits.iter().map(|s| (-(s.score - best) / 2.0).exp()).sum();
        let ranked = fits
            .iter()
            .take(report)
            .filter_map(|scored| {
                let model = self.model(scored.pairs);
                let delta = scored.score - best;
                let weight = (-delta / 2.0).exp() / total_weight;
                match estimate_prepared(self.table, &self.data, &model, Start::Data, level) {
                    Ok(Estimate { fit, interval }) => Some(RankedModel {
                        estimate: fit,
                        interval: Some(interval),
                        interval_problem: None,
                        delta,
                        weight,
                    }),
                    Err(problem) => {
                        let (fit, _) =
                            super::fit_prepared(self.table, &self.data, &model, Start::Data).ok()?;
                        Some(RankedModel {
                            estimate: fit,
                            interval: None,
                            interval_problem: Some(problem.to_string()),
                            delta,
                            weight,
                        })
                    }
                }
            })
            .collect();
        Selection {
            criterion: self.criterion,
            search,
            models_estimable: fits.len(),
            models_unestimable: unestimable,
            ranked,
        }
    }
}
