//! Break-glass (issue 16) on the command line and in `mamar serve`: the
//! set-up ceremony (`mamar keys break-glass setup`) and the schedule that
//! ends break-glass grants when their time is over.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mamar_core::Username;
use mamar_store::Store;
use mamar_store::audit::Action;

use crate::config;

/// How often `mamar serve` looks for break-glass grants whose time is over.
const EXPIRY_EVERY: Duration = Duration::from_secs(60);

#[derive(clap::Subcommand)]
pub enum BreakGlassCommand {
    /// Set up break-glass: an escrow key for every case key, its secret split among the current
    /// administrators so that THRESHOLD of them together (never fewer) can open one case for a
    /// limited time. Once only; every administrator is alerted whenever it is used.
    Setup(SetupArgs),
}

#[derive(clap::Args)]
pub struct SetupArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// How many administrators together open a case (at least 2, at most the number of administrators).
    #[arg(long, value_name = "K")]
    pub threshold: usize,
    /// An administrator who runs the ceremony (their password unlocks their keys).
    #[arg(long, value_name = "NAME")]
    pub admin_username: String,
    /// That administrator's password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub fn run(command: BreakGlassCommand) -> anyhow::Result<ExitCode> {
    let BreakGlassCommand::Setup(args) = command;
    let config = config::load(&args.common, None)?;
    let username = Username::parse(&args.admin_username)?;
    let password = crate::recovery::password(args.admin_password_file.as_deref(), false)?;
    crate::backup::runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result =
            mamar_keys::set_up_break_glass(store.as_ref(), &username, &password, args.threshold, now()).await;
        let result =
            crate::cmd::audit::record_result(store.as_ref(), &username, Action::BreakGlassSetUp, result).await;
        store.close().await;
        let report = result?;
        println!(
            "Break-glass is set up: any {} of the {} administrators together can open one case for a limited time; \
             each holds one share, sealed to their own keys. {} case(s) escrowed now; the others are escrowed \
             the next time someone on them opens them (mamar doctor counts those still without).",
            report.threshold, report.administrators, report.escrowed
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// The schedule of `mamar serve`: ends break-glass grants whose time is over.
pub fn spawn_expiry(store: Arc<dyn Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(EXPIRY_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match mamar_usecases::cases::expire_break_glass(store.as_ref(), now()).await {
                Ok(ended) if ended > 0 => tracing::info!(ended, "break-glass: grants ended"),
                Ok(_) => {}
                Err(error) => tracing::error!("scheduled break-glass expiry failed: {error}"),
            }
        }
    })
}
