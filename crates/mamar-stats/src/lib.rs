//! Multiple systems estimation for mamar: how many people were seen by none of several lists.
//!
//! Input is a [`CaptureTable`]: for `k` lists, how many people appear on each combination of
//! lists. The estimators offered:
//!
//! - [`loglinear`]: Poisson log-linear models fitted by iteratively reweighted least squares,
//!   profile-likelihood intervals for the total, and model selection by AIC or BIC over the
//!   hierarchical models with two-way interactions.
//! - [`lcmcr`]: the Bayesian latent-class model with a Dirichlet-process prior of
//!   Manrique-Vallier (2016), fitted by Gibbs sampling, with convergence diagnostics.
//! - [`dga`]: Bayesian model averaging over the decomposable graphical models of 3 to 5 lists
//!   (Madigan & York 1997; the R package `dga`), computed exactly on a grid of totals.
//! - [`classic`]: Lincoln–Petersen with Chapman's correction, and Chao's lower bound.
//!
//! Before any of them gives a number, [`identify::check_overlaps`] refuses a table whose
//! overlaps cannot identify the total (no overlap, or groups of lists that never overlap).
//!
//! The crate does no I/O: no files, no clock, no printing. Reading CSV and showing results is
//! the `mamar estimate` command's job.

pub mod classic;
pub mod dga;
pub mod heterogeneity;
pub mod identify;
pub mod lcmcr;
pub mod loglinear;
pub mod simulation;
mod table;

pub use table::{CaptureTable, MAX_LISTS, TableBuilder, TableError};

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use thiserror::Error;

/// The coverage asked of an interval, strictly between 0 and 1 (0.95 by default).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct Level(f64);

#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[error("an interval level must lie strictly between 0 and 1; got {0}")]
pub struct LevelError(pub f64);

impl Level {
    pub fn new(value: f64) -> Result<Self, LevelError> {
        if value > 0.0 && value < 1.0 {
            Ok(Level(value))
        } else {
            Err(LevelError(value))
        }
    }

    pub fn value(self) -> f64 {
        self.0
    }

    /// The quantile of chi-square with one degree of freedom at this level (3.84 for 0.95).
    pub(crate) fn chi_square_1(self) -> f64 {
        ChiSquared::new(1.0).map_or(f64::NAN, |distribution| distribution.inverse_cdf(self.0))
    }
}

impl Default for Level {
    fn default() -> Self {
        Level(0.95)
    }
}

/// The `q` quantile of sorted values, interpolating linearly (R's type 7).
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let (Some(&low), Some(&high)) = (sorted.get(below), sorted.get(above)) else {
        return f64::NAN;
    };
    low + (high - low) * (position - below as f64)
}
