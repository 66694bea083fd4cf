//! `mamar user password` and `mamar keys rotate`: key changes from the
//! command line, for administrators working on the server itself.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use mamar_core::Username;
use mamar_crypto::{Keyring, OrgKey, OrgKeyKind, StaffKeyPair};
use mamar_store::audit::Action;

use crate::config;
use crate::keys::KdfProfile;

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Change a staff member's password. Their keys are re-wrapped; no data is re-encrypted.
    Password(PasswordArgs),
}

#[derive(clap::Args)]
pub struct PasswordArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// The account whose password changes (your own: its current password is needed).
    #[arg(long, value_name = "NAME")]
    pub username: String,
    /// The current password from a file; asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub old_password_file: Option<PathBuf>,
    /// The new password from a file; asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub new_password_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "production", hide = true)]
    pub kdf: KdfProfile,
}

#[derive(clap::Subcommand)]
pub enum KeysCommand {
    /// Add a new generation of an organisation key, wrapped to everyone who holds it now.
    Rotate(RotateArgs),
    /// Break-glass: k administrators together open a case whose people cannot be reached.
    #[command(subcommand)]
    BreakGlass(crate::breakglass::BreakGlassCommand),
}

#[derive(clap::Args)]
pub struct RotateArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// Which key: intake, analytics, linkage or signing.
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// A holder of that key, whose password unlocks it.
    #[arg(long, value_name = "NAME")]
    pub admin_username: String,
    /// That holder's password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
}

/// A staff member's account and keys, unlocked with their password on the server itself (the
/// operator commands that act for a person: a disabled account unlocks nothing).
pub(crate) async fn unlock(
    store: &dyn mamar_store::Store,
    username: &Username,
    password: &mamar_crypto::Password,
) -> anyhow::Result<(mamar_store::StaffRecord, Keyring)> {
    let staff = store
        .staff_by_username(username)
        .await?
        .filter(|staff| !staff.disabled)
        .ok_or(mamar_keys::KeyError::WrongCredentials)?;
    let keys = StaffKeyPair::unwrap_with_password(&staff.wrapped_secret_keys, password)
        .map_err(|_| mamar_keys::KeyError::WrongCredentials)?;
    let mut org = Vec::new();
    for grant in store.org_key_grants(staff.id).await? {
        org.push(OrgKey::unwrap(&grant.wrapped, &keys)?);
    }
    Ok((staff, Keyring::new(keys, org)))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run_user(command: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Password(args) = command;
    let config = config::load(&args.common, None)?;
    let username = Username::parse(&args.username)?;
    let old = crate::recovery::password(args.old_password_file.as_deref(), false)?;
    let new = crate::recovery::password(args.new_password_file.as_deref(), true)?;
    crate::init::check_password(new.expose_secret(), &username)?;
    runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let staff = store
                .staff_by_username(&username)
                .await?
                .ok_or(mamar_keys::KeyError::WrongCredentials)?;
            mamar_keys::change_password(store.as_ref(), staff.id, &old, &new, &args.kdf.params()).await
        }
        .await;
        let result =
            crate::cmd::audit::record_result(store.as_ref(), &username, Action::PasswordChanged, result)
                .await;
        store.close().await;
        result?;
        println!("The password of {username} is changed.");
        Ok(ExitCode::SUCCESS)
    })
}

pub fn run_keys(command: KeysCommand) -> anyhow::Result<ExitCode> {
    let args = match command {
        KeysCommand::Rotate(args) => args,
        KeysCommand::BreakGlass(command) => return crate::breakglass::run(command),
    };
    let config = config::load(&args.common, None)?;
    let kind: OrgKeyKind = args.kind.parse()?;
    let username = Username::parse(&args.admin_username)?;
    let password = crate::recovery::password(args.admin_password_file.as_deref(), false)?;
    runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let (_, keyring) = unlock(store.as_ref(), &username, &password).await?;
            Ok::<_, anyhow::Error>(mamar_keys::rotate_org_key(store.as_ref(), &keyring, kind).await?)
        }
        .await;
        let result =
            crate::cmd::audit::record_result(store.as_ref(), &username, Action::OrgKeyRotated, result).await;
        store.close().await;
        let generation = result?;
        println!("The {kind} key is now at generation {generation}.");
        Ok(ExitCode::SUCCESS)
    })
}
