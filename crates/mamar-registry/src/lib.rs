//! The registry in numbers: disclosure control for everything mamar
//! publishes. Pure: no I/O.
//!
//! - [`table`]: counts of cases by one facet or two, from their facets;
//! - [`suppress`]: small-cell suppression with complementary suppression, so
//!   that no withheld count can be worked out from what is published;
//! - [`noise`]: OpenDP's discrete Laplace mechanism on every published count;
//! - [`budget`]: the privacy budget of a release period, never overspent;
//! - [`release`]: all of it together, with the method printed beside every table;
//! - [`across`]: the total across organisations, from the keyed encodings partners exchange.

pub mod across;
pub mod budget;
pub mod dashboard;
pub mod noise;
pub mod publish;
pub mod reference;
pub mod release;
pub mod suppress;
pub mod table;

pub use budget::Budget;
pub use publish::Published;
pub use release::{Method, Policy, Release, ReleasedTable, TableRequest, release};
pub use table::{CountTable, tabulate};

/// Why a release was not made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegistryError {
    #[error(
        "the privacy budget of {period} has {remaining_micro} millionths of ε left; this release needs {needed_micro}"
    )]
    BudgetExhausted {
        period: String,
        needed_micro: u64,
        remaining_micro: u64,
    },
    #[error("ε must be a positive number")]
    BadEpsilon,
    #[error("a release needs at least one table")]
    NoTables,
    #[error("the noise mechanism failed: {0}")]
    Noise(String),
}
