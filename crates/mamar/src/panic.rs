//! `mamar panic`: destroys every wrapped staff and organisation key, every
//! case-key grant, every session and the recovery bundle. What is stored
//! stays, and can never be opened again by anyone (crypto-shredding).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::config;

/// What an operator types to confirm at a terminal.
pub const CONFIRMATION: &str = "destroy all keys";

#[derive(clap::Args)]
pub struct PanicArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// Do not ask for confirmation (for scripts and drills). There is no undo.
    #[arg(long)]
    pub yes: bool,
}

pub fn run(args: PanicArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!("refusing to destroy keys without confirmation: pass --yes");
        }
        eprint!("This destroys every key. Nothing stored can ever be read again. Type \"{CONFIRMATION}\": ");
        std::io::stderr().flush().ok();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the confirmation")?;
        if line.trim() != CONFIRMATION {
            bail!("not confirmed: nothing was destroyed");
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        crate::cmd::audit::before_panic(store.as_ref()).await;
        let started = Instant::now();
        let report = store.destroy_key_material().await;
        let elapsed = started.elapsed();
        store.close().await;
        let report = report?;
        println!("Keys destroyed in {} ms:", elapsed.as_millis());
        println!("  staff key sets:       {}", report.staff_keys);
        println!("  organisation keys:    {}", report.org_keys);
        println!("  organisation grants:  {}", report.org_key_grants);
        println!("  case-key grants:      {}", report.case_key_grants);
        println!("  sessions:             {}", report.sessions);
        println!("  recovery bundles:     {}", report.recovery_bundles);
        println!("  open invitations:     {}", report.invitations);
        println!("  replies erased:       {}", report.replies);
        println!("  own copies erased:    {}", report.own_copies);
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
