//! Poisson log-linear fits by iteratively reweighted least squares (Newton's method, which is
//! the same thing for the canonical log link), with step halving and detection of fits whose
//! parameters run off to infinity.

use nalgebra::{Cholesky, DMatrix, DVector};
use statrs::function::gamma::ln_gamma;

use super::Model;
use crate::CaptureTable;

/// A fit that converges is accepted however small some fitted counts are (on real tables a
/// legitimate optimum can put 1e-9 in an empty cell). A fit that does not converge, or whose
/// empty cells collapse below [`COLLAPSED_FIT`], has no finite maximum; the cells below this
/// threshold are the ones named in the report.
const VANISHING_FIT: f64 = 1e-8;
/// How closely a fit must converge: Newton steps stop when no parameter moves by more than
/// this (on the log scale).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Precision {
    /// For reported estimates: parameters to about 1e-10 (and beyond, since the last step is
    /// applied).
    Full,
    /// For ranking models in a search: Newton converges quadratically, so after a step below
    /// 1e-6 the log-likelihood is already exact to about 1e-12; the models reported are
    /// refitted at full precision.
    Ranking,
}

impl Precision {
    fn step_tolerance(self) -> f64 {
        match self {
            Precision::Full => 1e-10,
            Precision::Ranking => 1e-6,
        }
    }
}
const MAX_ITERATIONS: usize = 100;
/// A diverging fit shrinks its vanishing cells by a factor of about e per step. A fitted count
/// of e^-69 in a cell of a table with at most 2^53 people is no optimum: stop early.
const COLLAPSED_FIT: f64 = 1e-30;
const MAX_HALVINGS: usize = 40;

/// The observed cells of one table, ready for fitting.
#[derive(Debug, Clone)]
pub(crate) struct Observations {
    pub(crate) masks: Vec<u32>,
    pub(crate) y: Vec<f64>,
    /// `sum(ln(y!))`: makes the log-likelihood the full Poisson one, as statistics packages report.
    pub(crate) log_factorials: f64,
    pub(crate) observed_total: f64,
}

impl Observations {
    pub(crate) fn new(table: &CaptureTable) -> Self {
        let (masks, y): (Vec<u32>, Vec<f64>) = table
            .observed_cells()
            .map(|(mask, count)| (mask, count as f64))
            .unzip();
        let log_factorials = y.iter().map(|&count| ln_gamma(count + 1.0)).sum();
        Observations {
            masks,
            y,
            log_factorials,
            observed_total: table.observed_total() as f64,
        }
    }
}

/// The 0/1 design matrix of a model, stored as the columns equal to 1 in each observed cell.
/// Column 0 is the intercept, columns 1..=k the lists, then the interaction terms.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    starts: Vec<usize>,
    columns: Vec<usize>,
    parameters: usize,
}

impl Design {
    pub(crate) fn new(model: &Model, list_count: usize, masks: &[u32]) -> Self {
        let column_masks: Vec<u32> = (0..list_count)
            .map(|j| 1u32 << j)
            .chain(model.terms().iter().copied())
            .collect();
        let mut starts = Vec::with_capacity(masks.len() + 1);
        let mut columns = Vec::with_capacity(masks.len() * 4);
        for &cell in masks {
            starts.push(columns.len());
            columns.push(0);
            for (index, &term) in column_masks.iter().enumerate() {
                if cell & term == term {
                    columns.push(index + 1);
                }
            }
        }
        starts.push(columns.len());
        Design {
            starts,
            columns,
            parameters: column_masks.len() + 1,
        }
    }

    pub(crate) fn parameters(&self) -> usize {
        self.parameters
    }

    fn cell(&self, index: usize) -> &[usize] {
        match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&start), Some(&end)) => self.columns.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn cells(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// How a fit begins.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Start<'a> {
    /// From the data: fitted counts `y + 0.5`.
    Data,
    /// From the fitted counts of a neighbouring model or of an earlier profile point.
    Fitted(&'a [f64]),
}

/// A converged fit.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    /// All parameters, intercept first (fixed, when the fit was made with one).
    pub(crate) beta: Vec<f64>,
    pub(crate) fitted: Vec<f64>,
    pub(crate) log_likelihood: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FitFailure {
    /// The information matrix is singular: some parameter is not determined by the data.
    Singular,
    /// The likelihood rises without bound as parameters go to infinity; these cells' fitted
    /// counts fall to zero.
    Diverges { vanishing: Vec<u32> },
    /// Newton's method did not settle (should not happen for a concave likelihood).
    NoConvergence,
}

/// Fits the model. With `fixed_intercept`, the intercept is held at that value and only the
/// other parameters are estimated: one point of the profile likelihood.
pub(crate) fn fit(
    design: &Design,
    data: &Observations,
    start: Start<'_>,
    fixed_intercept: Option<f64>,
    precision: Precision,
) -> Result<Fit, FitFailure> {
    let first_free = usize::from(fixed_intercept.is_some());
    let free = design.parameters() - first_free;
    let offset = fixed_intercept.unwrap_or(0.0);
    let cells = design.cells();

    let mut information = DMatrix::<f64>::zeros(free, free);
    let mut rhs = DVector::<f64>::zeros(free);
    let mut beta = vec![0.0; design.parameters()];
    beta[0] = offset;
    let mut eta = vec![0.0; cells];
    let mut fitted = vec![0.0; cells];

    // First step: weighted least squares of the working response on the design.
    {
        let mut weights = vec![0.0; cells];
        let mut working = vec![0.0; cells];
        for i in 0..cells {
            let y = data.y.get(i).copied().unwrap_or(0.0);
            let mu = match start {
                Start::Data => y + 0.5,
                Start::Fitted(previous) => previous.get(i).copied().unwrap_or(y + 0.5).max(1e-12),
            };
            weights[i] = mu;
            working[i] = mu.ln() + (y - mu) / mu - offset;
        }
        accumulate(design, first_free, &weights, &working, &mut information, &mut rhs);
        let (solution, matrix) = solve(information, rhs)?;
        for (index, value) in solution.iter().enumerate() {
            beta[index + first_free] = *value;
        }
        information = matrix;
        rhs = solution;
    }
    let mut log_likelihood = evaluate(design, data, &beta, &mut eta, &mut fitted);
    if !log_likelihood.is_finite() {
        return Err(FitFailure::NoConvergence);
    }

    let mut candidate = beta.clone();
    for iteration in 0..MAX_ITERATIONS {
        // Newton step: information * step = score.
        information.fill(0.0);
        rhs.fill(0.0);
        for (i, &weight) in fitted.iter().enumerate() {
            let active = design.cell(i);
            let residual = data.y.get(i).copied().unwrap_or(0.0) - weight;
            for (position, &a) in active.iter().enumerate() {
                if a < first_free {
                    continue;
                }
                rhs[a - first_free] += residual;
                for &b in active.iter().take(position + 1) {
                    if b < first_free {
                        continue;
                    }
                    information[(a - first_free, b - first_free)] += weight;
                }
            }
        }
        symmetrise(&mut information);
        let (step, matrix) = match solve(information, rhs) {
            Ok(solved) => solved,
            // Collapsing cells make the information matrix numerically singular.
            Err(failure) => {
                return Err(match vanishing(data, design, &fitted, VANISHING_FIT) {
                    Some(cells) => FitFailure::Diverges { vanishing: cells },
                    None => failure,
                });
            }
        };
        information = matrix;
        let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));

        let mut scale = 1.0;
        let mut halvings = 0;
        let new_log_likelihood = loop {
            for (index, s) in step.iter().enumerate() {
                candidate[index + first_free] = beta[index + first_free] + scale * s;
            }
            let value = evaluate(design, data, &candidate, &mut eta, &mut fitted);
            if value.is_finite() && value >= log_likelihood - 1e-12 * log_likelihood.abs() {
                break value;
            }
            halvings += 1;
            if halvings > MAX_HALVINGS {
                return Err(FitFailure::NoConvergence);
            }
            scale *= 0.5;
        };
        std::mem::swap(&mut beta, &mut candidate);
        log_likelihood = new_log_likelihood;
        rhs = step;

        if largest * scale < precision.step_tolerance() {
            return Ok(Fit {
                beta,
                fitted,
                log_likelihood,
            });
        }
        if iteration >= 10 && vanishing(data, design, &fitted, COLLAPSED_FIT).is_some() {
            break;
        }
    }
    match vanishing(data, design, &fitted, VANISHING_FIT) {
        Some(cells) => Err(FitFailure::Diverges { vanishing: cells }),
        None => Err(FitFailure::NoConvergence),
    }
}

/// The standard error of the intercept at a fit, from the inverse of the information matrix.
pub(crate) fn intercept_se(design: &Design, fitted: &[f64]) -> Option<f64> {
    let p = design.parameters();
    let mut information = DMatrix::<f64>::zeros(p, p);
    for (i, &weight) in fitted.iter().enumerate() {
        let active = design.cell(i);
        for (position, &a) in active.iter().enumerate() {
            for &b in active.iter().take(position + 1) {
                information[(a, b)] += weight;
            }
        }
    }
    symmetrise(&mut information);
    let cholesky = Cholesky::new(information)?;
    let mut unit = DVector::<f64>::zeros(p);
    unit[0] = 1.0;
    cholesky.solve_mut(&mut unit);
    Some(unit[0].max(0.0).sqrt())
}

/// Fills `information` (lower triangle) and `rhs` with X'WX and X'Wz.
fn accumulate(
    design: &Design,
    first_free: usize,
    weights: &[f64],
    working: &[f64],
    information: &mut DMatrix<f64>,
    rhs: &mut DVector<f64>,
) {
    for (i, (&weight, &z)) in weights.iter().zip(working).enumerate() {
        let active = design.cell(i);
        for (position, &a) in active.iter().enumerate() {
            if a < first_free {
                continue;
            }
            rhs[a - first_free] += weight * z;
            for &b in active.iter().take(position + 1) {
                if b >= first_free {
                    information[(a - first_free, b - first_free)] += weight;
                }
            }
        }
    }
    symmetrise(information);
}

/// The accumulation fills entries (a, b) with b <= a in column order, which is the lower
/// triangle; copy it up so the matrix is whole.
fn symmetrise(matrix: &mut DMatrix<f64>) {
    let n = matrix.nrows();
    for row in 0..n {
        for column in (row + 1)..n {
            matrix[(row, column)] = matrix[(column, row)];
        }
    }
}

/// Solves `matrix * x = rhs` by Cholesky, handing back the factor's storage for reuse.
fn solve(matrix: DMatrix<f64>, mut rhs: DVector<f64>) -> Result<(DVector<f64>, DMatrix<f64>), FitFailure> {
    let cholesky = Cholesky::new(matrix).ok_or(FitFailure::Singular)?;
    cholesky.solve_mut(&mut rhs);
    if rhs.iter().any(|value| !value.is_finite()) {
        return Err(FitFailure::Singular);
    }
    Ok((rhs, cholesky.unpack()))
}

/// Computes the linear predictor and fitted counts for `beta`; returns the log-likelihood.
fn evaluate(design: &Design, data: &Observations, beta: &[f64], eta: &mut [f64], fitted: &mut [f64]) -> f64 {
    let mut log_likelihood = -data.log_factorials;
    for i in 0..design.cells() {
        let linear: f64 = design
            .cell(i)
            .iter()
            .map(|&column| beta.get(column).copied().unwrap_or(0.0))
            .sum();
        let mu = linear.exp();
        eta[i] = linear;
        fitted[i] = mu;
        let y = data.y.get(i).copied().unwrap_or(0.0);
        log_likelihood += y * linear - mu;
    }
    log_likelihood
}

/// The cells where nobody was seen whose fitted counts have fallen below `threshold`.
fn vanishing(data: &Observations, design: &Design, fitted: &[f64], threshold: f64) -> Option<Vec<u32>> {
    let cells: Vec<u32> = (0..design.cells())
        .filter(|&i| data.y.get(i).copied() == Some(0.0) && fitted.get(i).is_some_and(|&mu| mu < threshold))
        .filter_map(|i| data.masks.get(i).copied())
        .collect();
    (!cells.is_empty()).then_some(cells)
}
