//! LCMCR: reproducibility, agreement with the truth where the model holds, diagnostics.

use mamar_stats::Level;
use mamar_stats::lcmcr::{LcmcrError, LcmcrOptions, estimate, run_chain};
use mamar_stats::loglinear::{self, Model};
use mamar_stats::simulation::{Group, Scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::fixtures::uk;

/// Short runs: the suite runs unoptimised. Real runs use the defaults.
fn quick(seed: u64) -> LcmcrOptions {
    LcmcrOptions {
        chains: 2,
        burn_in: 500,
        samples: 400,
        thin: 2,
        seed,
        ..LcmcrOptions::default()
    }
}

fn homogeneous_five_lists(seed: u64) -> mamar_stats::CaptureTable {
    let scenario = Scenario {
        name: "homogeneous".into(),
        population: 2000,
        groups: vec![Group {
            share: 1.0,
            capture: vec![0.3; 5],
        }],
        dependences: vec![],
    };
    scenario.draw(&mut ChaCha8Rng::seed_from_u64(seed)).unwrap()
}

#[test]
fn the_same_seed_gives_the_same_draws_in_parallel_or_not() {
    let table = uk();
    let options = LcmcrOptions {
        burn_in: 50,
        samples: 50,
        ..quick(7)
    };
    let parallel = estimate(&table, &options).unwrap();
    let sequential = estimate(
        &table,
        &LcmcrOptions {
            parallel: false,
            ..options.clone()
        },
    )
    .unwrap();
    assert_eq!(parallel.draws, sequential.draws);
    assert_eq!(parallel.median, sequential.median);
    assert_eq!(run_chain(&table, &options, 1).unwrap(), parallel.draws[1]);
    // Chains differ from each other, and another seed gives other draws.
    assert_ne!(parallel.draws[0], parallel.draws[1]);
    let other = estimate(&table, &LcmcrOptions { seed: 8, ..options }).unwrap();
    assert_ne!(other.draws, parallel.draws);
}

#[test]
fn where_the_lists_are_independent_lcmcr_agrees_with_the_true_model() {
    let table = homogeneous_five_lists(11);
    let options = LcmcrOptions {
        burn_in: 1000,
        samples: 1000,
        thin: 3,
        ..quick(3)
    };
    let estimate = estimate(&table, &options).unwrap();
    let independence = loglinear::estimate(&table, &Model::independence(), Level::default()).unwrap();
    assert_eq!(estimate.observed, table.observed_total());
    // The independence model is the true one here; LCMCR, which allows for heterogeneity that
    // is not there, must agree with it (its interval is wider, as it should be).
    let truth_model = independence.fit.total;
    assert!(
        estimate.interval.lower <= truth_model && truth_model <= estimate.interval.upper,
        "LCMCR {:?}, independence {truth_model}",
        estimate.interval
    );
    assert!(estimate.interval.lower >= table.observed_total() as f64);
    assert!((estimate.median - 2000.0).abs() < 120.0, "{}", estimate.median);
    assert!(estimate.rhat < 1.1, "R-hat {}", estimate.rhat);
    assert_eq!(estimate.draws.len(), 2);
    assert_eq!(estimate.draws[0].len(), 1000);
}

#[test]
fn a_single_short_chain_is_flagged() {
    let table = homogeneous_five_lists(12);
    let estimate = estimate(
        &table,
        &LcmcrOptions {
            chains: 1,
            burn_in: 0,
            samples: 40,
            thin: 1,
            ..quick(1)
        },
    )
    .unwrap();
    assert!(
        estimate
            .warnings
            .iter()
            .any(|warning| warning.contains("one chain")),
        "{:?}",
        estimate.warnings
    );
}

#[test]
fn chains_stopped_before_they_mix_are_warned_about() {
    // On the sparse six-list UK table the total mixes slowly: a few hundred sweeps are not
    // enough, and the diagnostics must say so rather than report a confident interval.
    let estimate = estimate(
        &uk(),
        &LcmcrOptions {
            chains: 4,
            burn_in: 0,
            samples: 100,
            thin: 1,
            ..quick(5)
        },
    )
    .unwrap();
    assert!(
        !estimate.warnings.is_empty(),
        "rhat {} ess {}",
        estimate.rhat,
        estimate.ess
    );
}

#[test]
fn nonsense_options_are_refused() {
    let table = uk();
    for options in [
        LcmcrOptions {
            classes: 0,
            ..quick(1)
        },
        LcmcrOptions {
            chains: 0,
            ..quick(1)
        },
        LcmcrOptions { thin: 0, ..quick(1) },
        LcmcrOptions {
            alpha_prior: (0.0, 1.0),
            ..quick(1)
        },
    ] {
        assert!(matches!(
            estimate(&table, &options),
            Err(LcmcrError::InvalidOptions(_))
        ));
    }
}
