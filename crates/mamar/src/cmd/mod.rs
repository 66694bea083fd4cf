//! One module per subcommand. Each exposes its clap arguments and a `run` function.

pub mod audit;
pub mod clk;
mod clk_total;
pub mod estimate;
pub mod link;
