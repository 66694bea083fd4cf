//! The p-value stepwise rule of the R package SparseMSE (`stepwisefit`, used by
//! `estimatepopulation` and `modslavmse`; Chan, Silverman & Vincent 2021): from the model of
//! main effects, add one two-way interaction at a time, the one whose overlap is least likely
//! under the current model, while that p-value is below a threshold (0.02 in the package).
//!
//! For the pair of lists `(i, j)` the statistic is the number of people on both lists; under the
//! current model it is Poisson with mean the fitted count of that overlap, and its p-value is
//! `min(P(X ≤ n), P(X ≥ n))`. A pair whose model would have no finite estimate or would not be
//! identifiable gets p-value 1, as the package's `checkident` does.

use serde::Serialize;
use statrs::distribution::{DiscreteCDF, Poisson};

use super::irls::{Observations, Start};
use super::{Estimate, Model, Unestimable, estimate_prepared, fit_prepared, term_name};
use crate::{CaptureTable, Level};

/// SparseMSE's default threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.02;

/// One interaction added by the rule, with its p-value when it was added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub term: String,
    pub p_value: f64,
}

/// The model the rule chose, with its profile-likelihood interval and the steps that led there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PValueChoice {
    #[serde(flatten)]
    pub estimate: Estimate,
    pub threshold: f64,
    pub steps: Vec<Step>,
}

fn p_value(observed: f64, mean: f64) -> f64 {
    let Ok(poisson) = Poisson::new(mean.max(f64::MIN_POSITIVE)) else {
        return 1.0;
    };
    let n = observed as u64;
    let below = poisson.cdf(n);
    let above = if n == 0 { 1.0 } else { poisson.sf(n - 1) };
    below.min(above)
}

/// Chooses a model by the p-value rule and estimates the total under it.
pub fn select_by_p_value(
    table: &CaptureTable,
    threshold: f64,
    level: Level,
) -> Result<PValueChoice, Unestimable> {
    let k = table.list_count();
    let data = Observations::new(table);
    let pairs: Vec<u32> = (0..k)
        .flat_map(|a| ((a + 1)..k).map(move |b| (1u32 << a) | (1u32 << b)))
        .filter(|pair| pair.count_ones() < k as u32)
        .collect();
    let mut terms: Vec<u32> = Vec::new();
    let mut steps = Vec::new();
    let (_, mut current) = fit_prepared(table, &data, &Model::independence(), Start::Data)?;
    loop {
        let mut best: Option<(u32, f64)> = None;
        for &pair in pairs.iter().filter(|pair| !terms.contains(pair)) {
            let expected: f64 = data
                .masks
                .iter()
                .zip(&current.fitted)
                .filter(|(mask, _)| *mask & pair == pair)
                .map(|(_, fitted)| fitted)
                .sum();
            let candidate = Model::with_terms(k, terms.iter().copied().chain([pair]))
                .ok()
                .filter(|model| fit_prepared(table, &data, model, Start::Data).is_ok());
            let p = if candidate.is_some() {
                p_value(table.overlap(pair) as f64, expected)
            } else {
                1.0
            };
            // The first pair wins ties, as in the package.
            if best.is_none_or(|(_, lowest)| p < lowest) {
                best = Some((pair, p));
            }
        }
        match best {
            Some((pair, p)) if p < threshold => {
                terms.push(pair);
                steps.push(Step {
                    term: term_name(pair, table.lists()),
                    p_value: p,
                });
                let model = Model::with_terms(k, terms.iter().copied())
                    .map_err(|e| Unestimable::NotIdentifiable(e.to_string()))?;
                current = fit_prepared(table, &data, &model, Start::Data)?.1;
            }
            _ => break,
        }
    }
    let model = Model::with_terms(k, terms.iter().copied())
        .map_err(|e| Unestimable::NotIdentifiable(e.to_string()))?;
    let estimate = estimate_prepared(table, &data, &model, Start::Data, level)?;
    Ok(PValueChoice {
        estimate,
        threshold,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_p_value_is_the_smaller_tail() {
        // Poisson(10): P(X ≤ 3) = 0.010336, P(X ≥ 18) = 0.014278.
        assert!((p_value(3.0, 10.0) - 0.010_336).abs() < 1e-5);
        assert!((p_value(18.0, 10.0) - 0.014_278).abs() < 1e-5);
    }

    #[test]
    fn independent_lists_keep_the_main_effects_and_a_strong_pair_is_added() {
        // A and B independent: 100 on A only, 100 on B only, 25 on both, C independent of both.
        let independent = CaptureTable::from_masks(
            ["A", "B", "C"],
            &[(1, 80), (2, 80), (3, 20), (4, 80), (5, 20), (6, 20), (7, 5)],
        )
        .unwrap();
        let choice = select_by_p_value(&independent, DEFAULT_THRESHOLD, Level::default()).unwrap();
        assert!(choice.steps.is_empty(), "{:?}", choice.steps);
        // A and B overlap far more than independence allows.
        let dependent = CaptureTable::from_masks(
            ["A", "B", "C"],
            &[(1, 30), (2, 30), (3, 90), (4, 80), (5, 20), (6, 20), (7, 20)],
        )
        .unwrap();
        let choice = select_by_p_value(&dependent, DEFAULT_THRESHOLD, Level::default()).unwrap();
        assert_eq!(choice.steps.first().map(|s| s.term.as_str()), Some("A:B"));
        assert!(choice.steps[0].p_value < 1e-3, "{:?}", choice.steps);
    }
}
