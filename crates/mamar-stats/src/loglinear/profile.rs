//! Profile-likelihood intervals for the total.
//!
//! The unseen count is `exp(b)` where `b` is the intercept. For each trial value of `b` the
//! other parameters are refitted with `b` held fixed; the interval is the set of `b` whose
//! profile log-likelihood lies within half the chi-square(1) quantile of the maximum. This is
//! the interval used for modern-slavery estimates (Silverman's SparseMSE), and unlike a Wald
//! interval it is not symmetric: the upper side of a total is usually the longer one.

use serde::Serialize;

use super::Unestimable;
use super::irls::{self, Design, Fit, FitFailure, Observations, Precision, Start};
use crate::Level;

/// Trial intercepts stop this far (on the log scale) from the estimate: e^40 times the unseen
/// estimate is beyond any population.
const MAX_LOG_DISTANCE: f64 = 40.0;
/// A trial unseen count below this means the interval reaches down to "nobody unseen".
const NEGLIGIBLE_UNSEEN: f64 = 1e-9;
const ROOT_TOLERANCE: f64 = 1e-10;
const MAX_ROOT_STEPS: usize = 200;

/// An interval for the total population (documented plus unseen).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub level: f64,
    pub lower: f64,
    /// `None` when the likelihood never falls far enough: the data set no upper limit.
    pub upper: Option<f64>,
}

pub(crate) fn interval(
    design: &Design,
    data: &Observations,
    fit: &Fit,
    level: Level,
) -> Result<Interval, Unestimable> {
    let threshold = level.chi_square_1();
    let centre = fit.beta.first().copied().unwrap_or(0.0);
    let spread = irls::intercept_se(design, &fit.fitted)
        .filter(|se| se.is_finite() && *se > 1e-6)
        .unwrap_or(0.1);
    let mut profile = Profile {
        design,
        data,
        best: fit.log_likelihood,
        threshold,
        warm: fit.fitted.clone(),
    };
    let upper = profile.limit(centre, spread)?;
    profile.warm.clone_from(&fit.fitted);
    let lower = profile.limit(centre, -spread)?;
    let observed = data.observed_total;
    Ok(Interval {
        level: level.value(),
        lower: observed + lower.map_or(0.0, f64::exp),
        upper: upper.map(|b| observed + b.exp()),
    })
}

struct Profile<'a> {
    design: &'a Design,
    data: &'a Observations,
    best: f64,
    threshold: f64,
    warm: Vec<f64>,
}

impl Profile<'_> {
    /// How far the profile likelihood at intercept `b` falls short of the cut-off: negative
    /// inside the interval, positive outside.
    fn excess(&mut self, b: f64) -> Result<f64, Unestimable> {
        let fit = irls::fit(
            self.design,
            self.data,
            Start::Fitted(&self.warm),
            Some(b),
            Precision::Full,
        )
        .map_err(|failure| {
            let why = match failure {
                FitFailure::Singular => "a parameter is not determined",
                FitFailure::Diverges { .. } | FitFailure::NoConvergence => {
                    "the constrained fit has no finite maximum"
                }
            };
            Unestimable::Diverges(format!("the profile likelihood fails: {why}"))
        })?;
        self.warm = fit.fitted;
        Ok(2.0 * (self.best - fit.log_likelihood) - self.threshold)
    }

    /// Walks from `centre` in the direction of `step` until the profile likelihood leaves the
    /// interval, then finds the crossing. `None` when it never leaves (no limit on that side).
    fn limit(&mut self, centre: f64, step: f64) -> Result<Option<f64>, Unestimable> {
        let mut inside = (centre, -self.threshold);
        let mut distance = step;
        let outside = loop {
            let b = centre + distance;
            if distance.abs() > MAX_LOG_DISTANCE
                || b.exp() < NEGLIGIBLE_UNSEEN
                || !(self.data.observed_total + b.exp()).is_finite()
            {
                return Ok(None);
            }
            let excess = self.excess(b)?;
            if excess > 0.0 {
                break (b, excess);
            }
            inside = (b, excess);
            distance *= 2.0;
        };
        self.crossing(inside, outside).map(Some)
    }

    /// The Illinois variant of regula falsi between a point inside and one outside.
    fn crossing(&mut self, mut inside: (f64, f64), mut outside: (f64, f64)) -> Result<f64, Unestimable> {
        let mut last_replaced = 0i8;
        for _ in 0..MAX_ROOT_STEPS {
            if (outside.0 - inside.0).abs() <= ROOT_TOLERANCE * (1.0 + inside.0.abs()) {
                break;
            }
            let denominator = outside.1 - inside.1;
            let mut b = if denominator.abs() > 0.0 {
                inside.0 - inside.1 * (outside.0 - inside.0) / denominator
            } else {
                0.5 * (inside.0 + outside.0)
            };
            let (low, high) = if inside.0 < outside.0 {
                (inside.0, outside.0)
            } else {
                (outside.0, inside.0)
            };
            if !(b > low && b < high) {
                b = 0.5 * (inside.0 + outside.0);
            }
            let excess = self.excess(b)?;
            if excess == 0.0 {
                return Ok(b);
            }
            if excess < 0.0 {
                inside = (b, excess);
                if last_replaced == -1 {
                    outside.1 *= 0.5;
                }
                last_replaced = -1;
            } else {
                outside = (b, excess);
                if last_replaced == 1 {
                    inside.1 *= 0.5;
                }
                last_replaced = 1;
            }
        }
        Ok(0.5 * (inside.0 + outside.0))
    }
}
