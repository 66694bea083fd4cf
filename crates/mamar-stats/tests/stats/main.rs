//! Integration tests of mamar-stats: one test binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod dga;
mod fixtures;
mod heterogeneity;
mod lcmcr;
mod loglinear;
