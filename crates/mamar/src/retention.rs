//! `mamar retention run` and the retention schedule of `mamar serve`: both
//! call `mamar_usecases::cases::run_retention`, which crypto-shreds every
//! case closed longer ago than the organisation's `retention_days`
//! (`cases.toml`) and records each case and the run in the audit log.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mamar_store::Store;
use mamar_usecases::CaseConfig;

use crate::config;

/// The first scheduled run comes this long after the server starts, then every [`EVERY`].
const FIRST: Duration = Duration::from_secs(5 * 60);
/// How often `mamar serve` runs retention. The period is counted in whole days, so a case is
/// shredded at most this long after its last day.
const EVERY: Duration = Duration::from_secs(6 * 60 * 60);

#[derive(clap::Subcommand)]
pub enum RetentionCommand {
    /// Shred now every closed case past its retention period (what `mamar serve` does every
    /// six hours). Prints how many cases were shredded.
    Run(RunArgs),
}

#[derive(clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// The organisation's case configuration (retention_days) [default: the configured
    /// cases_file, else the shipped one].
    #[arg(long, value_name = "FILE")]
    pub cases_file: Option<PathBuf>,
    /// Run as if the time were this (Unix seconds): for tests and drills of the retention
    /// period. Never earlier than now.
    #[arg(long, value_name = "UNIX_SECONDS", hide = true)]
    pub as_of: Option<i64>,
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub fn run(command: RetentionCommand) -> anyhow::Result<ExitCode> {
    let RetentionCommand::Run(args) = command;
    let config = config::load(&args.common, None)?;
    let cases = match args.cases_file.as_ref().or(config.cases_file.as_ref()) {
        Some(path) => crate::serve::load_case_config(path)?,
        None => CaseConfig::shipped(),
    };
    let at = args.as_of.map_or_else(now, |as_of| as_of.max(now()));
    crate::backup::runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = mamar_usecases::cases::run_retention(store.as_ref(), &cases, None, at).await;
        store.close().await;
        let report = result?;
        println!(
            "Retention ({} days after closing): {} case(s) shredded, {} row(s) deleted, freed space overwritten.",
            cases.retention_days, report.cases, report.rows
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// The schedule of `mamar serve`.
pub fn spawn_schedule(store: Arc<dyn Store>, cases: CaseConfig) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + FIRST, EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match mamar_usecases::cases::run_retention(store.as_ref(), &cases, None, now()).await {
                Ok(report) if report.cases > 0 => {
                    tracing::info!(
                        cases = report.cases,
                        rows = report.rows,
                        "retention: closed cases shredded"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::error!("scheduled retention failed: {error}"),
            }
        }
    })
}
