//! The `mamar` binary's integration tests: one test binary, one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit;
mod backup;
mod canary;
mod clk_total;
mod doctor;
mod durability;
mod estimate;
mod estimate_lcmcr_join;
mod init;
mod keys;
mod link;
mod postgres;
mod referral;
mod retention;
mod seized;
mod serve;
mod support;
mod telegram;
mod upgrade;
mod verify;
