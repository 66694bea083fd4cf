//! Noise from OpenDP's discrete Laplace mechanism.
//!
//! Every published count gets integer noise drawn exactly (no floating
//! point in the sampling) by OpenDP's `make_laplace` over a vector of
//! integers with the L1 distance; the privacy loss charged is what OpenDP's
//! own privacy map says for the table's sensitivity, never a figure of ours.

use opendp::domains::{AtomDomain, VectorDomain};
use opendp::measurements::make_laplace;
use opendp::measures::MaxDivergence;
use opendp::metrics::L1Distance;

use crate::RegistryError;

/// The mechanism as printed with every table.
pub const MECHANISM: &str = "discrete Laplace (OpenDP 0.16 make_laplace, L1 distance on integer counts)";

/// A noise mechanism measured for one table: its scale and the privacy loss
/// (ε) it costs for the table's sensitivity.
pub struct Measured {
    measurement:
        opendp::core::Measurement<VectorDomain<AtomDomain<i64>>, L1Distance<i64>, MaxDivergence, Vec<i64>>,
    pub scale: f64,
    pub epsilon: f64,
}

/// The discrete Laplace mechanism that spends `epsilon` on a table whose
/// counts change by at most `sensitivity` in total (L1) when one person is
/// added or removed.
pub fn measure(sensitivity: u32, epsilon: f64) -> Result<Measured, RegistryError> {
    if !(epsilon.is_finite() && epsilon > 0.0) {
        return Err(RegistryError::BadEpsilon);
    }
    let scale = f64::from(sensitivity) / epsilon;
    let measurement = make_laplace::<_, _, MaxDivergence>(
        VectorDomain::new(AtomDomain::<i64>::default()),
        L1Distance::<i64>::default(),
        scale,
        None,
    )
    .map_err(|e| RegistryError::Noise(e.to_string()))?;
    let charged = measurement
        .map(&i64::from(sensitivity))
        .map_err(|e| RegistryError::Noise(e.to_string()))?;
    Ok(Measured {
        measurement,
        scale,
        epsilon: charged,
    })
}

impl Measured {
    /// The counts with noise added.
    pub fn apply(&self, counts: &[u64]) -> Result<Vec<i64>, RegistryError> {
        let values: Vec<i64> = counts
            .iter()
            .map(|&c| i64::try_from(c).map_err(|_| RegistryError::Noise("count too large".into())))
            .collect::<Result<_, _>>()?;
        self.measurement
            .invoke(&values)
            .map_err(|e| RegistryError::Noise(e.to_string()))
    }
}

/// ε in millionths, rounded up: the unit the budget is kept in, so that
/// adding many charges never rounds the total below what was spent.
pub fn micro(epsilon: f64) -> u64 {
    let scaled = (epsilon * 1_000_000.0).next_up().ceil();
    if scaled.is_finite() && scaled >= 0.0 && scaled < u64::MAX as f64 {
        scaled as u64
    } else {
        u64::MAX
    }
}
