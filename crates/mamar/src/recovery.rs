//! `mamar recovery create` and `mamar recovery restore`: trustees' shares of
//! the recovery secret, and a new administrator made from k of them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use mamar_core::Username;
use mamar_crypto::{Password, RecoveryShare};
use mamar_store::audit::Action;

use crate::config;
use crate::keys::KdfProfile;

#[derive(clap::Subcommand)]
pub enum RecoveryCommand {
    /// Split a new recovery secret among trustees (replaces any earlier one).
    Create(CreateArgs),
    /// Create a new administrator from trustees' shares.
    Restore(RestoreArgs),
}

#[derive(clap::Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// An administrator whose keys are unlocked to seal the organisation keys.
    #[arg(long, value_name = "NAME")]
    pub admin_username: String,
    /// The administrator's password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
    /// How many shares are needed to recover.
    #[arg(long, value_name = "K")]
    pub threshold: usize,
    /// How many trustees receive a share.
    #[arg(long, value_name = "N")]
    pub shares: usize,
    /// Where to write one file per share (readable by the owner only). Hand each to its trustee, then delete it.
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// A trustee's share file; give at least as many as the threshold.
    #[arg(long = "share", value_name = "FILE", required = true)]
    pub shares: Vec<PathBuf>,
    /// The new administrator's user name.
    #[arg(long, value_name = "NAME")]
    pub admin_username: String,
    /// The new administrator's password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "production", hide = true)]
    pub kdf: KdfProfile,
}

pub fn run(command: RecoveryCommand) -> anyhow::Result<ExitCode> {
    match command {
        RecoveryCommand::Create(args) => create(args),
        RecoveryCommand::Restore(args) => restore(args),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn password(file: Option<&Path>, new: bool) -> anyhow::Result<Password> {
    match file {
        Some(path) => crate::init::read_password_file(path),
        None if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            if new {
                crate::init::ask_new_password()
            } else {
                Ok(Password::new(
                    rpassword::prompt_password("Administrator password: ")
                        .context("cannot read the password")?,
                ))
            }
        }
        None => bail!("no password: pass --admin-password-file FILE (or - for standard input)"),
    }
}

fn create(args: CreateArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let username = Username::parse(&args.admin_username)?;
    let password = password(args.admin_password_file.as_deref(), false)?;
    std::fs::create_dir_all(&args.out_dir)
        .with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let shares = runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result =
            mamar_keys::create_recovery(store.as_ref(), &username, &password, args.threshold, args.shares)
                .await;
        let result =
            crate::cmd::audit::record_result(store.as_ref(), &username, Action::RecoveryCreated, result)
                .await;
        store.close().await;
        result
    })?;
    for share in &shares {
        let path = args
            .out_dir
            .join(format!("mamar-share-{}-of-{}.txt", share.index(), share.total()));
        write_private(&path, share.to_text().as_bytes())?;
        println!("{}", path.display());
    }
    println!(
        "Give one file to each trustee; any {} of {} can restore an administrator.",
        args.threshold, args.shares
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Reads trustees' share files (the text `mamar recovery create` wrote).
pub fn read_shares(paths: &[PathBuf]) -> anyhow::Result<Vec<RecoveryShare>> {
    let mut shares = Vec::new();
    for path in paths {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let share = RecoveryShare::from_text(text.trim())
            .with_context(|| format!("{} is not a mamar recovery share", path.display()))?;
        shares.push(share);
    }
    Ok(shares)
}

fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let username = Username::parse(&args.admin_username)?;
    let shares = read_shares(&args.shares)?;
    let password = password(args.admin_password_file.as_deref(), true)?;
    crate::init::check_password(password.expose_secret(), &username)?;
    runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = mamar_keys::restore_from_recovery(
            store.as_ref(),
            &shares,
            username.clone(),
            &password,
            &args.kdf.params(),
        )
        .await;
        let result =
            crate::cmd::audit::record_result(store.as_ref(), &username, Action::RecoveryRestored, result)
                .await;
        store.close().await;
        result?;
        println!("Administrator {username} now holds the organisation keys.");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
