//! The `mamar` command: one binary for the server and every operator tool.

mod backup;
mod breakglass;
mod cmd;
mod config;
mod doctor;
mod init;
mod keys;
mod listener;
mod logging;
mod panic;
mod publish;
mod recovery;
mod referral;
mod retention;
mod serve;
mod telegram;
mod user;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "mamar",
    version = version_text(),
    about = "mamar (ممر): safe passage out of armed service"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the public site and the staff site over HTTP.
    Serve(serve::ServeArgs),
    /// Set up the organisation, its keys and its first administrator.
    Init(init::InitArgs),
    /// Destroy every key at once: nothing stored can be read again.
    Panic(panic::PanicArgs),
    /// Trustees' shares of the recovery secret, and restoring an administrator from them.
    #[command(subcommand)]
    Recovery(recovery::RecoveryCommand),
    /// The organisation's signed contact card.
    #[command(subcommand)]
    Card(publish::CardCommand),
    /// Staff accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Organisation keys.
    #[command(subcommand)]
    Keys(user::KeysCommand),
    /// Link records: deduplicate one list or link several (CSV in, clusters out).
    Link(cmd::link::LinkArgs),
    /// Privacy-preserving linkage with keyed Bloom-filter encodings (CLKs).
    #[command(subcommand)]
    Clk(cmd::clk::ClkCommand),
    /// Estimate the total from overlapping lists (multiple systems estimation).
    Estimate(cmd::estimate::EstimateArgs),
    /// Check a signed contact card or reply offline against the organisation's fingerprint.
    Verify(verify::VerifyArgs),
    /// The tamper-evident audit log: signed checkpoints, and checking the whole log.
    #[command(subcommand)]
    Audit(cmd::audit::AuditCommand),
    /// Write a backup sealed to the trustees' shares (safe while the server runs).
    Backup(backup::BackupArgs),
    /// Restore a backup onto an empty data directory or database, with trustees' shares.
    Restore(backup::RestoreArgs),
    /// Check the installation and say in plain words what to fix.
    Doctor(doctor::DoctorArgs),
    /// Closed cases past their retention period: crypto-shred them now.
    #[command(subcommand)]
    Retention(retention::RetentionCommand),
    /// Referrals to and from partners that run their own mamar, as signed, sealed files.
    #[command(subcommand)]
    Referral(referral::ReferralCommand),
}

/// `mamar --version`: the release and the database format it reads and writes.
fn version_text() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{} (database format {})",
            env!("CARGO_PKG_VERSION"),
            mamar_store::backup::expected_schema_version()
        )
    });
    TEXT.as_str()
}

/// mimalloc instead of glibc's malloc: under the intake's load glibc's
/// per-thread arenas spent about 8 % of the server's processor time in
/// `malloc`, `free` and `malloc_consolidate` (BENCHMARKS.md, "Intake").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Init(args) => init::run(args),
        Command::Panic(args) => panic::run(args),
        Command::Recovery(command) => recovery::run(command),
        Command::Card(command) => publish::run(command),
        Command::Verify(args) => verify::run(args),
        Command::Audit(command) => cmd::audit::run(command),
        Command::User(command) => user::run_user(command),
        Command::Keys(command) => user::run_keys(command),
        Command::Link(args) => cmd::link::run(args),
        Command::Clk(command) => cmd::clk::run(command),
        Command::Estimate(args) => cmd::estimate::run(args),
        Command::Backup(args) => backup::run_backup(args),
        Command::Restore(args) => backup::run_restore(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Retention(command) => retention::run(command),
        Command::Referral(command) => referral::run(command),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("mamar: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod help_tests {
    use clap::CommandFactory;

    /// Every command and every flag, with the path of commands to it.
    fn undocumented(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        if command.get_about().is_none() {
            missing.push(format!("{path}: the command says nothing"));
        }
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" || arg.is_hide_set() {
                continue;
            }
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} --{}", arg.get_long().unwrap_or(id)));
            }
        }
        for sub in command.get_subcommands() {
            undocumented(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    #[test]
    fn every_command_and_every_flag_says_what_it_does() {
        let cli = super::Cli::command();
        cli.clone().debug_assert();
        let mut missing = Vec::new();
        undocumented(&cli, "mamar", &mut missing);
        assert!(missing.is_empty(), "without a help line:\n{}", missing.join("\n"));
    }
}
