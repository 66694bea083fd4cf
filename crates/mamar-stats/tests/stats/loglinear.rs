//! Log-linear fits against an independent Poisson GLM (statsmodels), and model selection on
//! the UK National Referral Mechanism 2013 table.

use std::sync::OnceLock;

use mamar_stats::Level;
use mamar_stats::loglinear::{
    Criterion, Model, Search, SearchUsed, Selection, Unestimable, estimate, fit, select,
};
use serde_json::Value;

use crate::fixtures::{drawn, uk};

/// Written by `scripts/glm_reference.py`; see that script for how to regenerate it.
const GLM_REFERENCE: &str = include_str!("../fixtures/uk-nrm-2013-glm.json");

fn close(actual: f64, expected: f64, what: &str) {
    let scale = expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= 1e-6 * scale,
        "{what}: mamar {actual}, statsmodels {expected}"
    );
}

/// The exhaustive AIC search of the UK table, done once for the tests that read it (the suite
/// runs unoptimised).
fn aic_selection() -> &'static Selection {
    static SELECTION: OnceLock<Selection> = OnceLock::new();
    SELECTION.get_or_init(|| select(&uk(), Criterion::Aic, Search::Auto, 5, Level::default()).unwrap())
}

fn reference() -> Value {
    serde_json::from_str(GLM_REFERENCE).unwrap()
}

#[test]
fn every_reference_model_matches_statsmodels_to_one_in_a_million() {
    let table = uk();
    let reference = reference();
    let models = reference["models"].as_array().unwrap();
    assert!(models.len() >= 6, "the reference should cover several models");
    for expected in models {
        let terms: Vec<&str> = expected["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let model = Model::parse(&terms.join(","), table.lists()).unwrap();
        let estimate = estimate(&table, &model, Level::default()).unwrap();
        let fit = &estimate.fit;
        let name = &fit.name;
        close(fit.unseen, expected["unseen"].as_f64().unwrap(), name);
        close(fit.total, expected["total"].as_f64().unwrap(), name);
        close(
            fit.log_likelihood,
            expected["log_likelihood"].as_f64().unwrap(),
            name,
        );
        close(fit.aic, expected["aic"].as_f64().unwrap(), name);
        close(fit.deviance, expected["deviance"].as_f64().unwrap(), name);
        let coefficients = expected["coefficients"].as_object().unwrap();
        assert_eq!(fit.coefficients.len(), coefficients.len(), "{name}");
        for coefficient in &fit.coefficients {
            let value = coefficients[&coefficient.term].as_f64().unwrap();
            close(coefficient.value, value, &format!("{name}: {}", coefficient.term));
        }
        let interval = expected["interval_95"].as_array().unwrap();
        close(
            estimate.interval.lower,
            interval[0].as_f64().unwrap(),
            &format!("{name}: lower limit"),
        );
        close(
            estimate.interval.upper.unwrap(),
            interval[1].as_f64().unwrap(),
            &format!("{name}: upper limit"),
        );
    }
}

#[test]
fn the_exhaustive_search_keeps_exactly_the_models_with_a_finite_estimate() {
    let selection = aic_selection();
    assert_eq!(selection.search, SearchUsed::Exhaustive);
    let reference = reference();
    // Counted by linear programming in the reference script, without fitting anything.
    assert_eq!(
        selection.models_estimable as u64,
        reference["two_way_models_with_finite_mle"].as_u64().unwrap()
    );
    assert_eq!(
        (selection.models_estimable + selection.models_unestimable) as u64,
        reference["two_way_models"].as_u64().unwrap()
    );
}

#[test]
fn the_aic_choice_falls_in_the_published_range() {
    let table = uk();
    let selection = aic_selection();
    assert_eq!(selection.ranked.len(), 5);
    let chosen = &selection.ranked[0];
    // Bales, Hesketh & Silverman (2015): about 10,000 to 13,000 victims in 2013.
    assert!(
        (10_000.0..=13_000.0).contains(&chosen.estimate.total),
        "AIC-chosen total {}",
        chosen.estimate.total
    );
    let interval = chosen.interval.unwrap();
    assert!(interval.lower < chosen.estimate.total && chosen.estimate.total < interval.upper.unwrap());
    assert!(interval.lower > table.observed_total() as f64);
    assert_eq!(chosen.delta, 0.0);
    // Competitors come in order, and their weights are those of a proper distribution.
    for pair in selection.ranked.windows(2) {
        assert!(pair[0].delta <= pair[1].delta);
        assert!(pair[0].weight >= pair[1].weight);
    }
    assert!(selection.ranked.iter().map(|r| r.weight).sum::<f64>() < 1.0);
}

#[test]
fn stepwise_search_reaches_the_exhaustive_choice_on_this_table() {
    let table = uk();
    let exhaustive = select(&table, Criterion::Aic, Search::Exhaustive, 1, Level::default()).unwrap();
    let stepwise = select(&table, Criterion::Aic, Search::Stepwise, 1, Level::default()).unwrap();
    assert_eq!(stepwise.search, SearchUsed::Stepwise);
    assert_eq!(
        stepwise.ranked[0].estimate.name,
        exhaustive.ranked[0].estimate.name
    );
    assert!(stepwise.models_estimable < exhaustive.models_estimable / 10);
}

#[test]
fn bic_prefers_a_model_no_larger_than_aic() {
    let table = uk();
    let aic = aic_selection();
    let bic = select(&table, Criterion::Bic, Search::Auto, 1, Level::default()).unwrap();
    assert!(bic.ranked[0].estimate.parameters <= aic.ranked[0].estimate.parameters);
}

#[test]
fn models_with_empty_overlaps_are_reported_not_estimated() {
    let table = uk();
    // Nobody referred by a local authority was also referred by the police forces' GP list.
    assert_eq!(table.overlap(0b010001), 0);
    let model = Model::parse("LA:GP", table.lists()).unwrap();
    match fit(&table, &model) {
        Err(Unestimable::Diverges(reason)) => assert!(reason.contains("LA:GP"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_wider_level_gives_a_wider_interval() {
    let table = uk();
    let model = Model::independence();
    let narrow = estimate(&table, &model, Level::new(0.80).unwrap()).unwrap();
    let wide = estimate(&table, &model, Level::new(0.99).unwrap()).unwrap();
    assert!(wide.interval.lower < narrow.interval.lower);
    assert!(wide.interval.upper.unwrap() > narrow.interval.upper.unwrap());
}

#[test]
fn ten_lists_are_searched_stepwise_and_estimated_by_both_methods() {
    use mamar_stats::lcmcr::{self, LcmcrOptions};
    use mamar_stats::simulation::Group;

    let everyone = Group {
        share: 1.0,
        capture: vec![0.12, 0.1, 0.15, 0.08, 0.1, 0.12, 0.09, 0.11, 0.14, 0.1],
    };
    let table = drawn(3000, vec![everyone], 10);
    assert_eq!(table.list_count(), 10);
    let selection = select(&table, Criterion::Bic, Search::Auto, 2, Level::default()).unwrap();
    assert_eq!(selection.search, SearchUsed::Stepwise);
    // The lists are independent: BIC finds that, and the estimate is close to the truth.
    let best = &selection.ranked[0];
    assert_eq!(best.estimate.name, "independence");
    assert!(
        (best.estimate.total / 3000.0 - 1.0).abs() < 0.1,
        "{}",
        best.estimate.total
    );
    assert!(best.interval.is_some());
    let options = LcmcrOptions {
        chains: 2,
        burn_in: 100,
        samples: 100,
        thin: 1,
        ..LcmcrOptions::default()
    };
    let posterior = lcmcr::estimate(&table, &options).unwrap();
    assert!(posterior.median > table.observed_total() as f64);
}

#[test]
fn the_bootstrap_of_the_choice_is_reproducible_whatever_the_threads_and_wider_than_one_models_interval() {
    use mamar_stats::loglinear::bootstrap_selection;

    // Several models fit about as well, so the choice is uncertain and an interval that allows
    // for it is wider than the chosen model's own.
    let table = heterogeneous_four_lists(3);
    let one = bootstrap_selection(&table, Criterion::Aic, Search::Auto, 200, 7, Level::default(), 1)
        .unwrap()
        .unwrap();
    let three = bootstrap_selection(&table, Criterion::Aic, Search::Auto, 200, 7, Level::default(), 3)
        .unwrap()
        .unwrap();
    assert_eq!(one, three);
    let other_seed = bootstrap_selection(&table, Criterion::Aic, Search::Auto, 200, 8, Level::default(), 2)
        .unwrap()
        .unwrap();
    assert_ne!(one, other_seed);

    let chosen = select(&table, Criterion::Aic, Search::Auto, 1, Level::default()).unwrap();
    let profile = chosen.ranked[0].interval.unwrap();
    let profile_width = profile.upper.unwrap() - profile.lower;
    let total = chosen.ranked[0].estimate.total;
    assert!(one.percentile_lower < total && total < one.percentile_upper);
    assert!(
        one.percentile_upper - one.percentile_lower > profile_width,
        "bootstrap {one:?}, profile {profile:?}"
    );
    assert!(one.percentile_lower >= table.observed_total() as f64);
    // The interval reported holds both the percentile interval and the chosen model's own.
    let upper = one.upper.unwrap();
    assert_eq!(one.lower, one.percentile_lower.min(profile.lower));
    assert_eq!(upper, one.percentile_upper.max(profile.upper.unwrap()));
}

#[test]
fn the_interval_allowing_for_the_choice_is_never_narrower_than_the_chosen_models_own() {
    use mamar_stats::loglinear::bootstrap_selection;
    use mamar_stats::simulation::Group;

    // 10,000 people, heterogeneous, three lists: the same model is chosen on nearly every
    // resample, and the percentile interval falls short of the
    // chosen model's profile-likelihood interval on the side where the likelihood is skewed.
    let table = drawn(
        10_000,
        vec![
            Group {
                share: 2.0 / 3.0,
                capture: vec![0.15, 0.2, 0.12],
            },
            Group {
                share: 1.0 / 3.0,
                capture: vec![0.5, 0.45, 0.55],
            },
        ],
        11,
    );
    let chosen = select(&table, Criterion::Aic, Search::Auto, 1, Level::default()).unwrap();
    let profile = chosen.ranked[0].interval.unwrap();
    let interval = bootstrap_selection(&table, Criterion::Aic, Search::Auto, 100, 1, Level::default(), 2)
        .unwrap()
        .unwrap();
    let upper = interval.upper.unwrap();
    assert!(interval.lower <= profile.lower && upper >= profile.upper.unwrap());
    assert!(interval.lower <= interval.percentile_lower && upper >= interval.percentile_upper);
    assert!(
        upper > interval.percentile_upper || interval.lower < interval.percentile_lower,
        "the profile interval reaches beyond the percentile interval on one side: {interval:?}, {profile:?}"
    );
}

#[test]
fn a_two_list_table_has_one_model_ranked_once() {
    let table = mamar_stats::CaptureTable::from_masks(["A", "B"], &[(1, 40), (2, 30), (3, 20)]).unwrap();
    let selection = mamar_stats::loglinear::select(
        &table,
        mamar_stats::loglinear::Criterion::Aic,
        mamar_stats::loglinear::Search::Auto,
        5,
        mamar_stats::Level::default(),
    )
    .unwrap();
    assert_eq!(selection.models_estimable, 1);
    assert_eq!(selection.ranked.len(), 1);
    assert_eq!(selection.ranked[0].weight, 1.0);
    // Independence is Lincoln–Petersen: 60 × 50 / 20.
    assert!((selection.ranked[0].estimate.total - 150.0).abs() < 1e-6);
}

/// The R package SparseMSE 2.0.1 (`stepwisefit`, threshold 0.02) on the same tables
/// (`scripts/sparsemse_reference.R`): the same interactions in the same order, the same total.
#[test]
fn the_p_value_rule_adds_the_interactions_sparsemse_adds() {
    let choice = mamar_stats::loglinear::select_by_p_value(&uk(), 0.02, Level::default()).unwrap();
    let terms: Vec<&str> = choice.steps.iter().map(|s| s.term.as_str()).collect();
    assert_eq!(
        terms,
        ["PF:NCA", "LA:NG", "NG:GP", "LA:PF", "PF:GP", "GO:GP", "NG:GO"]
    );
    assert!((choice.estimate.fit.total - 11_417.991).abs() < 1e-3);
    let three = crate::fixtures::table(include_str!("../fixtures/uk-nrm-2013-LA-NG-PF.csv"));
    let choice = mamar_stats::loglinear::select_by_p_value(&three, 0.02, Level::default()).unwrap();
    let terms: Vec<&str> = choice.steps.iter().map(|s| s.term.as_str()).collect();
    assert_eq!(terms, ["LA:NG", "LA:PF"]);
    assert!((choice.estimate.fit.total - 9_514.143).abs() < 1e-3);
}

#[test]
fn the_bootstrap_reports_each_resample_and_gives_the_same_interval() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let table = mamar_stats::CaptureTable::from_masks(
        ["A", "B", "C"],
        &[(1, 120), (2, 90), (4, 80), (3, 30), (5, 25), (6, 20), (7, 6)],
    )
    .unwrap();
    let (calls, highest) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let progress = |done: usize| {
        calls.fetch_add(1, Ordering::Relaxed);
        highest.fetch_max(done, Ordering::Relaxed);
    };
    let (criterion, search) = (
        mamar_stats::loglinear::Criterion::Aic,
        mamar_stats::loglinear::Search::Auto,
    );
    let with = mamar_stats::loglinear::bootstrap_selection_with_progress(
        &table,
        criterion,
        search,
        60,
        3,
        Level::default(),
        2,
        &progress,
    )
    .unwrap();
    assert_eq!((calls.into_inner(), highest.into_inner()), (60, 60));
    let without =
        mamar_stats::loglinear::bootstrap_selection(&table, criterion, search, 60, 3, Level::default(), 2)
            .unwrap();
    assert_eq!(with, without);
}

/// Heterogeneous people on four lists (two thirds hard to reach): several models fit about as
/// well, so the Akaike weights are spread.
fn heterogeneous_four_lists(seed: u64) -> mamar_stats::CaptureTable {
    use mamar_stats::simulation::Group;
    let hard_to_reach = Group {
        share: 2.0 / 3.0,
        capture: vec![0.15, 0.2, 0.12, 0.18],
    };
    let easy_to_reach = Group {
        share: 1.0 / 3.0,
        capture: vec![0.5, 0.45, 0.55, 0.4],
    };
    drawn(2000, vec![hard_to_reach, easy_to_reach], seed)
}

#[test]
fn the_model_average_weighs_every_models_total_by_its_akaike_weight() {
    use mamar_stats::loglinear::average;

    let table = heterogeneous_four_lists(3);
    // Every two-way model of four lists, fitted one by one.
    let pairs: Vec<u32> = vec![0b0011, 0b0101, 0b1001, 0b0110, 0b1010, 0b1100];
    let mut fits = Vec::new();
    for set in 0u32..(1 << pairs.len()) {
        let terms = pairs
            .iter()
            .enumerate()
            .filter(|(index, _)| set & (1 << index) != 0)
            .map(|(_, &mask)| mask);
        if let Ok(fitted) = fit(&table, &Model::with_terms(4, terms).unwrap()) {
            fits.push(fitted);
        }
    }
    let best = fits.iter().map(|f| f.aic).fold(f64::INFINITY, f64::min);
    let weights: Vec<f64> = fits.iter().map(|f| (-(f.aic - best) / 2.0).exp()).collect();
    let sum: f64 = weights.iter().sum();
    let expected = fits.iter().zip(&weights).map(|(f, w)| w * f.total).sum::<f64>() / sum;

    let averaged = average(&table, Criterion::Aic, Search::Auto).unwrap();
    let chosen = select(&table, Criterion::Aic, Search::Auto, 1, Level::default()).unwrap();
    assert_eq!(averaged.models, fits.len());
    assert_eq!(averaged.models, chosen.models_estimable);
    assert!(
        (averaged.total - expected).abs() < 1e-6 * expected,
        "{averaged:?} against {expected}"
    );
    assert_eq!(averaged.chosen_total, chosen.ranked[0].estimate.total);
    assert!((averaged.best_weight - chosen.ranked[0].weight).abs() < 1e-12);
    // The weights are spread on this table, so the average is not the chosen model's total.
    assert!(averaged.best_weight < 0.9, "{averaged:?}");
    assert!(
        (averaged.total - averaged.chosen_total).abs() > 1.0,
        "{averaged:?}"
    );
}

#[test]
fn with_one_model_the_average_is_that_models_total() {
    use mamar_stats::loglinear::average;
    let table = mamar_stats::CaptureTable::from_masks(["A", "B"], &[(1, 40), (2, 30), (3, 20)]).unwrap();
    let averaged = average(&table, Criterion::Aic, Search::Auto).unwrap();
    assert_eq!((averaged.models, averaged.best_weight), (1, 1.0));
    assert!((averaged.total - 150.0).abs() < 1e-6, "{averaged:?}");
    // The search ranks at a precision of 1e-6; the chosen total is refitted at full precision.
    assert!(
        (averaged.total - averaged.chosen_total).abs() < 1e-6,
        "{averaged:?}"
    );
}

#[test]
fn the_averaged_bootstrap_draws_the_weights_again_and_keeps_the_chosen_models_interval() {
    use mamar_stats::loglinear::{average, bootstrap_average, bootstrap_selection};

    let table = heterogeneous_four_lists(3);
    let found = bootstrap_average(&table, Criterion::Aic, Search::Auto, 200, 7, Level::default(), 1)
        .unwrap()
        .unwrap();
    // The same resamples give the chosen model's interval exactly as the default computes it.
    let chosen = bootstrap_selection(&table, Criterion::Aic, Search::Auto, 200, 7, Level::default(), 2)
        .unwrap()
        .unwrap();
    assert_eq!(found.chosen, chosen);
    let again = bootstrap_average(&table, Criterion::Aic, Search::Auto, 200, 7, Level::default(), 3)
        .unwrap()
        .unwrap();
    assert_eq!(found, again);

    let averaged = average(&table, Criterion::Aic, Search::Auto).unwrap();
    assert_eq!(found.total, averaged.total);
    assert_eq!(found.chosen_total, averaged.chosen_total);
    let interval = &found.interval;
    assert!(interval.percentile_lower < found.total && found.total < interval.percentile_upper);
    // Averaging smooths the jumps between models: its resampled totals differ from the chosen
    // model's, and the reported interval still holds the chosen model's profile interval.
    assert_ne!(interval.percentile_lower, chosen.percentile_lower);
    let profile = select(&table, Criterion::Aic, Search::Auto, 1, Level::default())
        .unwrap()
        .ranked[0]
        .interval
        .unwrap();
    assert_eq!(interval.lower, interval.percentile_lower.min(profile.lower));
    assert_eq!(
        interval.upper.unwrap(),
        interval.percentile_upper.max(profile.upper.unwrap())
    );
}
