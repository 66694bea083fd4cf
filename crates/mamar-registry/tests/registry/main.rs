//! The registry's promises, tried on random data and random sequences of
//! releases: no published count below the threshold, no withheld count
//! recoverable from everything published, no period spending past its budget.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod across;
mod dashboard;
mod disclosure;
