//! The heterogeneity models of the R package Rcapture (Baillargeon & Rivest 2007, `closedp.t`):
//! Poisson log-linear models of the observed cells in which people differ in how likely they
//! are to be listed, through a term in `f`, the number of lists a pattern is on.
//!
//! - M0: `log μ = β0 + β1 f` (every list alike, everyone alike);
//! - Mt: `β0 + Σ βj ωj` (the independence model);
//! - Mh Poisson2, Mh Darroch, Mh Gamma3.5: M0 plus `γ (2^f − 1)`, `γ f²/2` or
//!   `γ (−ln(3.5 + f) + ln 3.5)`;
//! - Mth Poisson2, Darroch, Gamma3.5: Mt plus the same term.
//!
//! The number unseen is `exp(β0)`; its standard error is Rcapture's, `√(exp(β0)² var(β0) +
//! exp(β0))`. These models are fitted by their own small Newton solver, apart from the
//! log-linear engine, which they leave untouched.

use nalgebra::{Cholesky, DMatrix, DVector};
use serde::Serialize;
use statrs::function::gamma::ln_gamma;
use thiserror::Error;

use crate::CaptureTable;
use crate::identify::{NotIdentified, check_overlaps};

#[derive(Debug, Clone, PartialEq, Error)]
pub enum HeterogeneityError {
    #[error("the heterogeneity models need at least three lists; this table has {0}")]
    TooFewLists(usize),
    #[error("{0}")]
    NotIdentified(#[from] NotIdentified),
}

/// One model's fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeterogeneityFit {
    pub name: &'static str,
    pub observed: u64,
    pub unseen: f64,
    pub total: f64,
    pub stderr: f64,
    pub deviance: f64,
    pub df: usize,
    pub aic: f64,
    pub bic: f64,
}

#[derive(Clone, Copy)]
enum Base {
    M0,
    Mt,
}

#[derive(Clone, Copy)]
enum Term {
    None,
    Poisson2,
    Darroch,
    Gamma35,
}

const MODELS: [(&str, Base, Term); 8] = [
    ("M0", Base::M0, Term::None),
    ("Mt", Base::Mt, Term::None),
    ("Mh Poisson2", Base::M0, Term::Poisson2),
    ("Mh Darroch", Base::M0, Term::Darroch),
    ("Mh Gamma3.5", Base::M0, Term::Gamma35),
    ("Mth Poisson2", Base::Mt, Term::Poisson2),
    ("Mth Darroch", Base::Mt, Term::Darroch),
    ("Mth Gamma3.5", Base::Mt, Term::Gamma35),
];

fn row(mask: u32, k: usize, base: Base, term: Term) -> Vec<f64> {
    let f = f64::from(mask.count_ones());
    let mut row = vec![1.0];
    match base {
        Base::M0 => row.push(f),
        Base::Mt => row.extend((0..k).map(|j| if mask & (1 << j) != 0 { 1.0 } else { 0.0 })),
    }
    match term {
        Term::None => {}
        Term::Poisson2 => row.push(2f64.powf(f) - 1.0),
        Term::Darroch => row.push(f * f / 2.0),
        Term::Gamma35 => row.push(-(3.5 + f).ln() + 3.5f64.ln()),
    }
    row
}

/// Newton's method for a Poisson log-linear model; the coefficients and the inverse
/// information, or `None` when the fit fails.
fn fit(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<(DVector<f64>, DMatrix<f64>)> {
    let p = x.ncols();
    let mut beta = DVector::zeros(p);
    // Start from the least-squares fit of log(y + 0.5).
    let z = y.map(|v| (v + 0.5).ln());
    let xtx = x.transpose() * x;
    beta.copy_from(&Cholesky::new(xtx)?.solve(&(x.transpose() * &z)));
    for _ in 0..100 {
        let mu = (x * &beta).map(f64::exp);
        if mu.iter().any(|m| !m.is_finite()) {
            return None;
        }
        let gradient = x.transpose() * (y - &mu);
        let weighted = DMatrix::from_fn(x.nrows(), p, |i, j| x[(i, j)] * mu[i]);
        let information = x.transpose() * weighted;
        let step = Cholesky::new(information.clone())?.solve(&gradient);
        beta += &step;
        if step.amax() < 1e-10 {
            let covariance = Cholesky::new(information)?.inverse();
            return Some((beta, covariance));
        }
    }
    None
}

/// Fits every model to `table`, in Rcapture's order.
pub fn fit_all(table: &CaptureTable) -> Result<Vec<HeterogeneityFit>, HeterogeneityError> {
    let k = table.list_count();
    if k < 3 {
        return Err(HeterogeneityError::TooFewLists(k));
    }
    check_overlaps(table)?;
    let cells: Vec<(u32, f64)> = table.observed_cells().map(|(m, c)| (m, c as f64)).collect();
    let y = DVector::from_iterator(cells.len(), cells.iter().map(|c| c.1));
    let log_factorials: f64 = cells.iter().map(|c| ln_gamma(c.1 + 1.0)).sum();
    let observed = table.observed_total();
    let mut fits = Vec::new();
    for (name, base, term) in MODELS {
        let rows: Vec<Vec<f64>> = cells.iter().map(|&(mask, _)| row(mask, k, base, term)).collect();
        let p = rows.first().map_or(0, Vec::len);
        let x = DMatrix::from_fn(rows.len(), p, |i, j| {
            rows.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
        });
        let Some((beta, covariance)) = fit(&x, &y) else {
            continue;
        };
        let mu = (&x * &beta).map(f64::exp);
        let log_likelihood: f64 = y
            .iter()
            .zip(mu.iter())
            .map(|(&y, &m)| y * m.ln() - m)
            .sum::<f64>()
            - log_factorials;
        let deviance: f64 = y
            .iter()
            .zip(mu.iter())
            .map(|(&y, &m)| 2.0 * (if y > 0.0 { y * (y / m).ln() } else { 0.0 } - (y - m)))
            .sum();
        let unseen = beta[0].exp();
        let stderr = (unseen * unseen * covariance[(0, 0)] + unseen).sqrt();
        fits.push(HeterogeneityFit {
            name,
            observed,
            unseen,
            total: observed as f64 + unseen,
            stderr,
            deviance,
            df: cells.len() - p,
            aic: -2.0 * log_likelihood + 2.0 * p as f64,
            // As Rcapture: the sample size of BIC is the number of people documented.
            bic: -2.0 * log_likelihood + p as f64 * (observed as f64).ln(),
        });
    }
    Ok(fits)
}
