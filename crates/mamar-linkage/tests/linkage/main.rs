//! mamar-linkage's tests: one binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod clk;
mod clustering;
mod compare;
mod end_to_end;
mod households;
mod model;
mod names;
mod normalize;
mod prior;
mod scripts;
mod sparse;
