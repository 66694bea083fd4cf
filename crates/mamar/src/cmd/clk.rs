//! `mamar clk`.

use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum ClkCommand {}

pub fn run(command: ClkCommand) -> anyhow::Result<ExitCode> {
    match command {}
}
