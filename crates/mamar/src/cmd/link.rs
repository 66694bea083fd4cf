//! `mamar link`.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct LinkArgs {}

pub fn run(_args: LinkArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`mamar link` is not built yet")
}
