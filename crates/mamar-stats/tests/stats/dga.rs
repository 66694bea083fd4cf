//! The dga method beside the R package dga 2.0.2 on the same tables
//! (`scripts/dga_reference.R`; figures in docs/bench/mamar-stats.md, section 6). The method is
//! exact on its grid, so the package's figures are matched to the unit, and the graph
//! probabilities to six decimals.

use mamar_stats::dga::{DgaError, DgaOptions, estimate};
use mamar_stats::identify::NotIdentified;
use mamar_stats::{CaptureTable, Level};

use crate::fixtures::{table, uk};

const MADIGAN_YORK: &str = include_str!("../fixtures/madigan-york-5.csv");
const KOSOVO: &str = include_str!("../fixtures/kosovo.csv");

fn on_grid(max_unseen: u64) -> DgaOptions {
    DgaOptions {
        max_unseen: Some(max_unseen),
        ..DgaOptions::default()
    }
}

fn assert_matches_package(
    estimate: &mamar_stats::dga::DgaEstimate,
    (median, lower, upper): (f64, f64, f64),
    graphs: &[(&str, f64)],
) {
    assert_eq!(
        (estimate.median, estimate.interval.lower, estimate.interval.upper),
        (median, lower, upper)
    );
    for ((name, probability), model) in graphs.iter().zip(&estimate.models) {
        assert_eq!(&model.name, name);
        assert!(
            (model.probability - probability).abs() < 5e-7,
            "{model:?} against {probability}"
        );
    }
}

#[test]
fn the_madigan_york_five_list_example_matches_the_package() {
    let table = table(MADIGAN_YORK);
    let estimate = estimate(&table, &on_grid(300)).unwrap();
    assert_eq!(estimate.graphs, 822);
    assert_matches_package(
        &estimate,
        (618.0, 590.0, 656.0),
        &[
            ("L1:L2 + L1:L3 + L4:L5", 0.441404),
            ("L1:L3 + L4:L5 + L2", 0.220528),
            ("L1:L2 + L1:L3 + L2:L4 + L4:L5", 0.122507),
        ],
    );
}

#[test]
fn an_empty_overlap_is_refused_and_the_list_count_is_checked() {
    let apart = CaptureTable::from_masks(["A", "B", "C"], &[(1, 50), (2, 40), (4, 30)]).unwrap();
    assert_eq!(
        estimate(&apart, &DgaOptions::default()),
        Err(DgaError::NotIdentified(NotIdentified::NoOverlap))
    );
    assert_eq!(
        estimate(&uk(), &DgaOptions::default()),
        Err(DgaError::ListCount(6))
    );
}

#[test]
fn the_automatic_grid_holds_the_whole_posterior() {
    let table = table(KOSOVO);
    let options = DgaOptions {
        level: Level::new(0.95).unwrap(),
        ..DgaOptions::default()
    };
    let automatic = estimate(&table, &options).unwrap();
    assert!(automatic.tail_density < 1e-9, "{}", automatic.tail_density);
    assert_eq!(automatic.graphs, 61);
    assert!(automatic.interval.lower < automatic.median && automatic.median < automatic.interval.upper);
    let total: f64 = automatic.posterior.iter().map(|(_, mass)| mass).sum();
    assert!((total - 1.0).abs() < 1e-9);
}
