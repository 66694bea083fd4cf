//! `mamar estimate`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct EstimateArgs {}

pub fn run(_args: EstimateArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`mamar estimate` is not built yet")
}
