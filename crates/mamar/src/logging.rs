//! Logs go to standard error as plain lines. What may be logged is decided
//! where values are created: secrets and personal data are wrapped in types
//! that print a placeholder (`mamar_core::Sensitive`, the crypto crate's key
//! types), and the HTTP layer logs routes, never paths, bodies or addresses.

use anyhow::Context;
use tracing_subscriber::EnvFilter;

pub fn init(filter: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)
        .with_context(|| format!("log setting {filter:?} is not valid (try info, warn or debug)"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init()
        .map_err(|error| anyhow::anyhow!("cannot start logging: {error}"))
}
