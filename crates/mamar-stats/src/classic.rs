//! The classic closed-form estimators users expect beside the models: Lincoln–Petersen with
//! Chapman's correction for two lists, and Chao's lower bound for any number of lists.
//!
//! Both intervals are Chao's (1987) log-normal intervals for the number unseen `f0`: with
//! `C = exp(z √ln(1 + var/f0²))`, the total lies in `[r + f0/C, r + f0·C]`, `r` the documented
//! number, so the interval never reaches below what was counted.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
use thiserror::Error;

use crate::identify::{NotIdentified, check_overlaps};
use crate::{CaptureTable, Level};

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ClassicError {
    #[error("Lincoln–Petersen needs exactly two lists; this table has {0} (use another method)")]
    NotTwoLists(usize),
    #[error("{0}")]
    NotIdentified(#[from] NotIdentified),
    #[error("nobody is on exactly one list: Chao's bound is the documented number itself")]
    NoSingletons,
}

/// A closed-form estimate of the total with its interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassicEstimate {
    /// `chapman` or `chao`.
    pub estimator: &'static str,
    pub observed: u64,
    pub unseen: f64,
    pub total: f64,
    /// The estimated variance of the total.
    pub variance: f64,
    pub level: f64,
    pub lower: f64,
    pub upper: f64,
    /// What the number means, in a sentence.
    pub meaning: &'static str,
}

fn log_normal_interval(observed: f64, unseen: f64, variance: f64, level: Level) -> (f64, f64) {
    let z = Normal::new(0.0, 1.0).map_or(1.96, |normal| normal.inverse_cdf((1.0 + level.value()) / 2.0));
    if unseen <= 0.0 {
        return (observed, observed);
    }
    let c = (z * (1.0 + variance / (unseen * unseen)).ln().sqrt()).exp();
    (observed + unseen / c, observed + unseen * c)
}

/// Chapman's nearly unbiased form of the Lincoln–Petersen estimator, with Seber's variance.
pub fn chapman(table: &CaptureTable, level: Level) -> Result<ClassicEstimate, ClassicError> {
    if table.list_count() != 2 {
        return Err(ClassicError::NotTwoLists(table.list_count()));
    }
    check_overlaps(table)?;
    let n1 = table.list_total(0) as f64;
    let n2 = table.list_total(1) as f64;
    let m = table.overlap(0b11) as f64;
    let observed = table.observed_total() as f64;
    let total = (n1 + 1.0) * (n2 + 1.0) / (m + 1.0) - 1.0;
    let variance = (n1 + 1.0) * (n2 + 1.0) * (n1 - m) * (n2 - m) / ((m + 1.0) * (m + 1.0) * (m + 2.0));
    Ok(with_interval(
        "chapman",
        table,
        (total - observed).max(0.0),
        variance,
        level,
        "assumes the two lists are independent and everyone equally likely to be listed",
    ))
}

/// Chao's (1987) lower bound from the people seen on exactly one (`f1`) and exactly two (`f2`)
/// lists, with the small-sample factor (k − 1)/k and the bias-corrected form when `f2` is 0.
pub fn chao(table: &CaptureTable, level: Level) -> Result<ClassicEstimate, ClassicError> {
    check_overlaps(table)?;
    let k = table.list_count() as f64;
    let a = (k - 1.0) / k;
    let frequency = |times: u32| -> f64 {
        table
            .observed_cells()
            .filter(|(mask, _)| mask.count_ones() == times)
            .map(|(_, count)| count as f64)
            .sum()
    };
    let (f1, f2) = (frequency(1), frequency(2));
    if f1 == 0.0 {
        return Err(ClassicError::NoSingletons);
    }
    let (unseen, variance) = if f2 > 0.0 {
        let ratio = f1 / f2;
        (
            a * f1 * f1 / (2.0 * f2),
            f2 * (a * a * ratio.powi(4) / 4.0 + a * a * ratio.powi(3) + a * ratio * ratio / 2.0),
        )
    } else {
        let unseen = a * f1 * (f1 - 1.0) / 2.0;
        (
            unseen,
            a * f1 * (f1 - 1.0) / 2.0 + a * a * f1 * (2.0 * f1 - 1.0).powi(2) / 4.0
                - a * a * f1.powi(4) / (4.0 * (table.observed_total() as f64 + unseen)),
        )
    };
    Ok(with_interval(
        "chao",
        table,
        unseen,
        variance.max(0.0),
        level,
        "a lower bound: the total is at least this under heterogeneous listing, if the lists are independent",
    ))
}

fn with_interval(
    estimator: &'static str,
    table: &CaptureTable,
    unseen: f64,
    variance: f64,
    level: Level,
    meaning: &'static str,
) -> ClassicEstimate {
    let observed = table.observed_total() as f64;
    let (lower, upper) = log_normal_interval(observed, unseen, variance, level);
    ClassicEstimate {
        estimator,
        observed: table.observed_total(),
        unseen,
        total: observed + unseen,
        variance,
        level: level.value(),
        lower,
        upper,
        meaning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapman_matches_the_hand_computed_figures() {
        // n1 = 60, n2 = 50, m = 20: N = 61·51/21 − 1 = 147.14.
        let table = CaptureTable::from_masks(["A", "B"], &[(1, 40), (2, 30), (3, 20)]).unwrap();
        let estimate = chapman(&table, Level::default()).unwrap();
        assert!((estimate.total - (61.0 * 51.0 / 21.0 - 1.0)).abs() < 1e-9);
        let variance = 61.0 * 51.0 * 40.0 * 30.0 / (21.0 * 21.0 * 22.0);
        assert!((estimate.variance - variance).abs() < 1e-9);
        assert!(estimate.lower > 90.0 && estimate.lower < estimate.total && estimate.upper > estimate.total);
    }

    #[test]
    fn chao_uses_the_people_on_one_and_on_two_lists() {
        // f1 = 90, f2 = 30, k = 3: f0 = (2/3)·8100/60 = 90.
        let table = CaptureTable::from_masks(
            ["A", "B", "C"],
            &[(1, 50), (2, 30), (4, 10), (3, 20), (5, 10), (7, 5)],
        )
        .unwrap();
        let estimate = chao(&table, Level::default()).unwrap();
        assert!((estimate.unseen - 90.0).abs() < 1e-9);
        assert_eq!(estimate.observed, 125);
        assert!(estimate.lower > 125.0 && estimate.upper > estimate.total);
    }

    #[test]
    fn lists_that_never_overlap_get_no_classic_estimate() {
        let table = CaptureTable::from_masks(["A", "B"], &[(1, 40), (2, 30)]).unwrap();
        assert!(matches!(
            chapman(&table, Level::default()),
            Err(ClassicError::NotIdentified(_))
        ));
        assert!(matches!(
            chao(&table, Level::default()),
            Err(ClassicError::NotIdentified(_))
        ));
    }
}
