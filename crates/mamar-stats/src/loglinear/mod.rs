//! Poisson log-linear models for multiple systems estimation.
//!
//! A model has an intercept, one main effect per list and a hierarchical set of interactions.
//! The unseen cell (on no list) has every covariate 0, so its fitted count is `exp(intercept)`;
//! the total is the documented number plus that.

mod bootstrap;
mod irls;
mod profile;
mod pvalue;
mod select;

use serde::Serialize;
use thiserror::Error;

use crate::{CaptureTable, Level};
use irls::{Design, FitFailure, Observations, Precision, Start};

pub use bootstrap::{
    AveragedInterval, BootstrapInterval, bootstrap_average, bootstrap_selection,
    bootstrap_selection_with_progress,
};
pub use profile::Interval;
pub use pvalue::{DEFAULT_THRESHOLD, PValueChoice, Step, select_by_p_value};
pub use select::{
    Averaged, Criterion, RankedModel, Search, SearchUsed, SelectError, Selection, average, select,
};

/// A hierarchical log-linear model: main effects for every list plus interaction terms. Terms
/// are bit masks of lists (bit `j` for list `j`) with at least two lists each, closed under
/// taking subsets of two or more lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Model {
    terms: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("unknown list {name:?} in the model (the lists are: {known})")]
    UnknownList { name: String, known: String },
    #[error("the term {term:?} names fewer than two distinct lists")]
    NotAnInteraction { term: String },
    #[error("the interaction of all the lists cannot be estimated: it is confounded with the unseen cell")]
    HighestOrderTerm,
    #[error("the term names a list outside the table")]
    ListOutOfRange,
}

impl Model {
    /// Main effects only: the lists are independent.
    pub fn independence() -> Self {
        Model::default()
    }

    /// The model with these interaction terms (bit masks) and every lower-order term they imply.
    pub fn with_terms(list_count: usize, terms: impl IntoIterator<Item = u32>) -> Result<Self, ModelError> {
        let all_lists = if list_count >= 32 {
            return Err(ModelError::ListOutOfRange);
        } else {
            (1u32 << list_count) - 1
        };
        let mut closed = Vec::new();
        for term in terms {
            if term & !all_lists != 0 {
                return Err(ModelError::ListOutOfRange);
            }
            if term.count_ones() < 2 {
                return Err(ModelError::NotAnInteraction {
                    term: format!("{term:#b}"),
                });
            }
            if term == all_lists {
                return Err(ModelError::HighestOrderTerm);
            }
            // Every subset of the term with two or more lists.
            let mut subset = term;
            while subset != 0 {
                if subset.count_ones() >= 2 {
                    closed.push(subset);
                }
                subset = (subset - 1) & term;
            }
        }
        closed.sort_by_key(|&term| (term.count_ones(), term));
        closed.dedup();
        Ok(Model { terms: closed })
    }

    /// The model with these two-way interactions, given as pairs of list indices.
    pub fn two_way(
        list_count: usize,
        pairs: impl IntoIterator<Item = (usize, usize)>,
    ) -> Result<Self, ModelError> {
        let mut masks = Vec::new();
        for (a, b) in pairs {
            if a >= list_count || b >= list_count {
                return Err(ModelError::ListOutOfRange);
            }
            masks.push((1u32 << a) | (1u32 << b));
        }
        Model::with_terms(list_count, masks)
    }

    /// Reads a model such as `LA:NG,PF:GO` or `LA:NG:PF` (`*` may stand for `:`);
    /// `independence` or an empty text means main effects only.
    pub fn parse(spec: &str, lists: &[String]) -> Result<Self, ModelError> {
        let spec = spec.trim();
        if spec.is_empty() || spec.eq_ignore_ascii_case("independence") {
            return Ok(Model::independence());
        }
        let mut masks = Vec::new();
        for term in spec.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let mut mask = 0u32;
            let mut names = 0;
            for name in term.split([':', '*']).map(str::trim) {
                let index =
                    lists
                        .iter()
                        .position(|list| list == name)
                        .ok_or_else(|| ModelError::UnknownList {
                            name: name.to_string(),
                            known: lists.join(", "),
                        })?;
                mask |= 1 << index;
                names += 1;
            }
            if names < 2 || mask.count_ones() != names {
                return Err(ModelError::NotAnInteraction {
                    term: term.to_string(),
                });
            }
            masks.push(mask);
        }
        Model::with_terms(lists.len(), masks)
    }

    /// The interaction terms, lower orders first.
    pub fn terms(&self) -> &[u32] {
        &self.terms
    }

    /// The number of parameters for a table of `list_count` lists.
    pub fn parameter_count(&self, list_count: usize) -> usize {
        1 + list_count + self.terms.len()
    }

    /// The interactions written out, e.g. `LA:NG + PF:GO`, or `independence`. Only the terms
    /// not implied by a higher-order one are written.
    pub fn describe(&self, lists: &[String]) -> String {
        let generators: Vec<String> = self
            .generators()
            .into_iter()
            .map(|term| term_name(term, lists))
            .collect();
        if generators.is_empty() {
            "independence".to_string()
        } else {
            generators.join(" + ")
        }
    }

    /// The highest terms: those that no other term of the model contains.
    fn generators(&self) -> Vec<u32> {
        self.terms
            .iter()
            .copied()
            .filter(|&term| {
                !self
                    .terms
                    .iter()
                    .any(|&other| other != term && other & term == term)
            })
            .collect()
    }
}

/// An interaction term written with colons, e.g. `LA:NG`.
fn term_name(term: u32, lists: &[String]) -> String {
    join_lists(term, lists, ":")
}

/// A capture pattern written with plus signs, e.g. `LA+NG` (on both lists).
fn pattern_name(mask: u32, lists: &[String]) -> String {
    join_lists(mask, lists, "+")
}

fn join_lists(mask: u32, lists: &[String], separator: &str) -> String {
    lists
        .iter()
        .enumerate()
        .filter(|(j, _)| mask & (1 << j) != 0)
        .map(|(_, name)| name.as_str())
        .collect::<Vec<_>>()
        .join(separator)
}

/// Why a model gives no estimate: the answer is then "no number", never a misleading one.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "kind", content = "reason", rename_all = "snake_case")]
pub enum Unestimable {
    #[error("not identifiable: {0}")]
    NotIdentifiable(String),
    #[error("estimates run to infinity: {0}")]
    Diverges(String),
}

/// One coefficient of a fitted model, on the log scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub term: String,
    pub value: f64,
}

/// The maximum-likelihood fit of one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFit {
    #[serde(skip)]
    pub model: Model,
    /// The model written out, e.g. `LA:NG + PF:GO`.
    pub name: String,
    pub parameters: usize,
    pub log_likelihood: f64,
    /// The residual deviance against the saturated model of the observed cells.
    pub deviance: f64,
    pub aic: f64,
    /// BIC with the number of documented people as the sample size.
    pub bic: f64,
    /// The documented number: people on at least one list.
    pub observed: u64,
    /// The estimated number seen by no list.
    pub unseen: f64,
    /// `observed + unseen`.
    pub total: f64,
    pub coefficients: Vec<Coefficient>,
}

/// A fit with its profile-likelihood interval for the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    #[serde(flatten)]
    pub fit: ModelFit,
    pub interval: Interval,
}

/// Fits `model` to `table` by maximum likelihood.
pub fn fit(table: &CaptureTable, model: &Model) -> Result<ModelFit, Unestimable> {
    let data = Observations::new(table);
    fit_prepared(table, &data, model, Start::Data).map(|(fit, _)| fit)
}

/// Fits `model` and computes the profile-likelihood interval for the total.
pub fn estimate(table: &CaptureTable, model: &Model, level: Level) -> Result<Estimate, Unestimable> {
    let data = Observations::new(table);
    estimate_prepared(table, &data, model, Start::Data, level)
}

fn estimate_prepared(
    table: &CaptureTable,
    data: &Observations,
    model: &Model,
    start: Start<'_>,
    level: Level,
) -> Result<Estimate, Unestimable> {
    let (fit, raw) = fit_prepared(table, data, model, start)?;
    let design = Design::new(model, table.list_count(), &data.masks);
    let interval = profile::interval(&design, data, &raw, level)?;
    Ok(Estimate { fit, interval })
}

/// Checks what can be decided before fitting: the model's terms must be estimable from the
/// table's overlaps.
fn precheck(table: &CaptureTable, model: &Model) -> Result<(), Unestimable> {
    let lists = table.lists();
    if model
        .terms()
        .iter()
        .any(|&term| term.count_ones() as usize >= lists.len())
    {
        return Err(Unestimable::NotIdentifiable(
            "the interaction of all the lists is confounded with the unseen cell".into(),
        ));
    }
    for (j, name) in lists.iter().enumerate() {
        if table.list_total(j) == 0 {
            return Err(Unestimable::Diverges(format!("nobody is on list {name}")));
        }
    }
    for &term in model.terms() {
        if table.overlap(term) == 0 {
            return Err(Unestimable::Diverges(format!(
                "nobody is on all of {}, so the {} interaction runs to minus infinity",
                pattern_name(term, lists),
                term_name(term, lists)
            )));
        }
    }
    Ok(())
}

fn fit_prepared(
    table: &CaptureTable,
    data: &Observations,
    model: &Model,
    start: Start<'_>,
) -> Result<(ModelFit, irls::Fit), Unestimable> {
    precheck(table, model)?;
    let design = Design::new(model, table.list_count(), &data.masks);
    let raw =
        irls::fit(&design, data, start, None, Precision::Full).map_err(|failure| explain(failure, table))?;
    Ok((summarise(table, data, model, &raw), raw))
}

fn explain(failure: FitFailure, table: &CaptureTable) -> Unestimable {
    match failure {
        FitFailure::Singular => {
            Unestimable::NotIdentifiable("the data do not determine every parameter of this model".into())
        }
        FitFailure::Diverges { vanishing } => {
            let cells: Vec<String> = vanishing
                .iter()
                .take(3)
                .map(|&mask| pattern_name(mask, table.lists()))
                .collect();
            let more = if vanishing.len() > 3 { ", ..." } else { "" };
            Unestimable::Diverges(format!(
                "the fitted count of the empty pattern(s) {}{more} falls to zero, so some \
                 parameters have no finite maximum-likelihood estimate",
                cells.join(", ")
            ))
        }
        FitFailure::NoConvergence => {
            Unestimable::Diverges("the fit did not converge; the likelihood has no finite maximum".into())
        }
    }
}

impl ModelFit {
    /// The two-way interactions the model keeps, as (the two lists' bit mask, the coefficient on
    /// the log scale: the log odds ratio of the two lists given the others). A negative one says
    /// two lists avoid each other beyond what any difference between people explains, which a
    /// model of heterogeneity alone (LCMCR's latent classes) cannot reproduce.
    pub fn two_way_interactions(&self) -> Vec<(u32, f64)> {
        let terms = self.model.terms();
        let first = self.coefficients.len().saturating_sub(terms.len());
        terms
            .iter()
            .zip(&self.coefficients[first..])
            .filter(|(term, _)| term.count_ones() == 2)
            .map(|(&term, coefficient)| (term, coefficient.value))
            .collect()
    }
}

fn summarise(table: &CaptureTable, data: &Observations, model: &Model, raw: &irls::Fit) -> ModelFit {
    let lists = table.lists();
    let parameters = model.parameter_count(lists.len());
    let deviance = 2.0
        * data
            .y
            .iter()
            .zip(&raw.fitted)
            .map(|(&y, &mu)| {
                let ratio = if y > 0.0 { y * (y / mu).ln() } else { 0.0 };
                ratio - (y - mu)
            })
            .sum::<f64>();
    let unseen = raw.beta.first().copied().unwrap_or(f64::NAN).exp();
    let observed = table.observed_total();
    let names = std::iter::once("(intercept)".to_string())
        .chain(lists.iter().cloned())
        .chain(model.terms().iter().map(|&term| term_name(term, lists)));
    let coefficients = names
        .zip(&raw.beta)
        .map(|(term, &value)| Coefficient { term, value })
        .collect();
    ModelFit {
        model: model.clone(),
        name: model.describe(lists),
        parameters,
        log_likelihood: raw.log_likelihood,
        deviance,
        aic: -2.0 * raw.log_likelihood + 2.0 * parameters as f64,
        bic: -2.0 * raw.log_likelihood + parameters as f64 * data.observed_total.ln(),
        observed,
        unseen,
        total: observed as f64 + unseen,
        coefficients,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lists: &[&str]) -> Vec<String> {
        lists.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn terms_are_closed_under_subsets() {
        let model = Model::with_terms(4, [0b0111]).unwrap();
        assert_eq!(model.terms(), &[0b0011, 0b0101, 0b0110, 0b0111]);
        assert_eq!(model.parameter_count(4), 9);
        assert_eq!(model.describe(&names(&["A", "B", "C", "D"])), "A:B:C");
    }

    #[test]
    fn models_are_read_by_list_name() {
        let lists = names(&["LA", "NG", "PF"]);
        let model = Model::parse("LA:NG, NG*PF", &lists).unwrap();
        assert_eq!(model.terms(), &[0b011, 0b110]);
        assert_eq!(model.describe(&lists), "LA:NG + NG:PF");
        assert!(matches!(
            Model::parse("LA:XX", &lists),
            Err(ModelError::UnknownList { .. })
        ));
        assert!(matches!(
            Model::parse("LA:LA", &lists),
            Err(ModelError::NotAnInteraction { .. })
        ));
        assert_eq!(
            Model::parse("LA:NG:PF", &lists),
            Err(ModelError::HighestOrderTerm)
        );
        assert_eq!(Model::parse("independence", &lists), Ok(Model::independence()));
    }

    #[test]
    fn two_lists_give_the_lincoln_petersen_estimate() {
        // n10 = 60, n01 = 40, n11 = 20: unseen = 60 * 40 / 20 = 120.
        let table = CaptureTable::from_masks(["A", "B"], &[(0b01, 60), (0b10, 40), (0b11, 20)]).unwrap();
        let fit = fit(&table, &Model::independence()).unwrap();
        assert!((fit.unseen - 120.0).abs() < 1e-8, "{}", fit.unseen);
        assert!((fit.total - 240.0).abs() < 1e-8);
    }

    #[test]
    fn lists_that_avoid_each_other_keep_a_negative_two_way_interaction() {
        // Four lists with every count at its expected value under a model in which A refers
        // people to B (odds x3) and C and D avoid each other (odds x0.5).
        let cells: Vec<(u32, u64)> = (1u32..16)
            .map(|mask| {
                let mut mean = 2000.0 * 0.3f64.powi(mask.count_ones() as i32);
                if mask & 0b0011 == 0b0011 {
                    mean *= 3.0;
                }
                if mask & 0b1100 == 0b1100 {
                    mean *= 0.5;
                }
                (mask, mean.round() as u64)
            })
            .collect();
        let table = CaptureTable::from_masks(["A", "B", "C", "D"], &cells).unwrap();
        let model = Model::two_way(4, [(0, 1), (2, 3)]).unwrap();
        let kept = fit(&table, &model).unwrap().two_way_interactions();
        assert_eq!(kept.len(), 2, "{kept:?}");
        let odds = |mask| {
            kept.iter()
                .find(|(term, _)| *term == mask)
                .map(|(_, value)| value.exp())
        };
        assert!((odds(0b0011).unwrap() - 3.0).abs() < 0.05, "{kept:?}");
        assert!((odds(0b1100).unwrap() - 0.5).abs() < 0.05, "{kept:?}");
        assert!(
            fit(&table, &Model::independence())
                .unwrap()
                .two_way_interactions()
                .is_empty()
        );
    }

    #[test]
    fn two_lists_without_overlap_have_no_estimate() {
        let table = CaptureTable::from_masks(["A", "B"], &[(0b01, 60), (0b10, 40)]).unwrap();
        let outcome = fit(&table, &Model::independence());
        assert!(matches!(outcome, Err(Unestimable::Diverges(_))), "{outcome:?}");
    }

    #[test]
    fn a_saturated_fit_with_an_empty_top_cell_has_no_estimate() {
        // All two-way interactions of three lists reproduce the observed cells exactly; with
        // nobody on all three, the unseen estimate would be 0 * ... : not a real estimate.
        let table = CaptureTable::from_masks(
            ["A", "B", "C"],
            &[
                (0b001, 50),
                (0b010, 40),
                (0b100, 30),
                (0b011, 10),
                (0b101, 8),
                (0b110, 6),
            ],
        )
        .unwrap();
        let model = Model::with_terms(3, [0b011, 0b101, 0b110]).unwrap();
        let outcome = fit(&table, &model);
        assert!(matches!(outcome, Err(Unestimable::Diverges(_))), "{outcome:?}");
        // Without the top interaction the same data give a finite answer.
        assert!(fit(&table, &Model::independence()).is_ok());
    }

    #[test]
    fn an_interaction_between_lists_that_never_overlap_is_refused_by_name() {
        let table = CaptureTable::from_masks(
            ["A", "B", "C"],
            &[(0b001, 50), (0b010, 40), (0b100, 30), (0b011, 10), (0b110, 6)],
        )
        .unwrap();
        let model = Model::with_terms(3, [0b101]).unwrap();
        match fit(&table, &model) {
            Err(Unestimable::Diverges(reason)) => assert!(reason.contains("A:C"), "{reason}"),
            other => panic!("expected divergence, got {other:?}"),
        }
    }
}
