//! Break-glass (issue 16) on the command line and in `mamar serve`: the
//! set-up ceremony (`mamar keys break-glass setup`), the re-share when the
//! administrators change (`mamar keys break-glass reshare`) and the schedule
//! that ends break-glass grants when their time is over.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use mamar_core::Username;
use mamar_crypto::Password;
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
    /// Re-share break-glass when the administrators change: K administrators who hold a share
    /// (K is the present threshold) rebuild the secret together at this server; a new escrow key
    /// is made, every case's escrow re-made for it, and its secret split among the current
    /// administrators, so a new one takes part and an old share opens nothing stored from then
    /// on. Requests waiting for approvals are cancelled.
    Reshare(ReshareArgs),
}

#[derive(clap::Args)]
pub struct ReshareArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// A holder of a share; repeat it for each (as many as the present threshold). One must be an
    /// administrator in office; one who has left may still give their share in person.
    #[arg(long = "admin-username", value_name = "NAME", required = true)]
    pub admin_usernames: Vec<String>,
    /// Their passwords, one per line in the same order, from a file ("-" for standard input);
    /// each is asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
    /// The new threshold (at least 2, at most the number of administrators) [default: the present one].
    #[arg(long, value_name = "K")]
    pub threshold: Option<usize>,
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
    match command {
        BreakGlassCommand::Setup(args) => set_up(args),
        BreakGlassCommand::Reshare(args) => reshare(args),
    }
}

/// One password per administrator: the lines of `file` in order, or asked for one by one.
fn passwords(file: Option<&std::path::Path>, usernames: &[Username]) -> anyhow::Result<Vec<Password>> {
    let Some(path) = file else {
        if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            bail!("no passwords: pass --admin-password-file FILE (or - for standard input), one per line");
        }
        return usernames
            .iter()
            .map(|name| {
                rpassword::prompt_password(format!("Password of {name}: "))
                    .map(Password::new)
                    .context("cannot read the password")
            })
            .collect();
    };
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin().lock())
            .context("cannot read the passwords from standard input")?
    } else {
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the password file {}", path.display()))?
    };
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() < usernames.len() {
        bail!(
            "the password file has {} line(s) for {} administrators: one password per line, in the order of --admin-username",
            lines.len(),
            usernames.len()
        );
    }
    Ok(lines
        .iter()
        .take(usernames.len())
        .map(|line| Password::new((*line).to_owned()))
        .collect())
}

fn reshare(args: ReshareArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let usernames = args
        .admin_usernames
        .iter()
        .map(|name| Username::parse(name))
        .collect::<Result<Vec<_>, _>>()?;
    let passwords = passwords(args.admin_password_file.as_deref(), &usernames)?;
    let holders: Vec<(Username, Password)> = usernames.iter().cloned().zip(passwords).collect();
    crate::backup::runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = mamar_keys::reshare_break_glass(store.as_ref(), &holders, args.threshold).await;
        let result =
            crate::cmd::audit::record_result(store.as_ref(), &usernames[0], Action::BreakGlassReshared, result)
                .await;
        store.close().await;
        let report = result?;
        println!(
            "Break-glass is re-shared under a new escrow key: any {} of the {} administrators together can open \
             one case; each holds one new share. The old shares, wherever a copy of one is kept, open nothing \
             stored now: {} case escrow(s) were re-made for the new key.{}{}",
            report.threshold,
            report.administrators,
            report.rewrapped,
            match report.dropped {
                0 => String::new(),
                n => format!(
                    " {n} escrow(s) that did not open with the old key were deleted: each case is escrowed again \
                     the next time someone on it opens it (mamar doctor counts those still without)."
                ),
            },
            match report.cancelled_requests {
                0 => String::new(),
                n => format!(" {n} request(s) waiting for approvals were cancelled: ask again."),
            }
        );
        Ok(ExitCode::SUCCESS)
    })
}

fn set_up(args: SetupArgs) -> anyhow::Result<ExitCode> {
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
