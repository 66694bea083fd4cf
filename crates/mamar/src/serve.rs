//! `mamar serve`: open (or create) the data directory and database, serve
//! HTTP until SIGINT or SIGTERM, let in-flight requests finish, then close
//! the database cleanly.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::{self, Config};

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// Address to listen on [default: 127.0.0.1:8080]. Also MAMAR_LISTEN.
    #[arg(long, value_name = "IP:PORT")]
    pub listen: Option<String>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, args.listen.as_deref())?;
    crate::logging::init(&config.log)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(config))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // A broken questionnaire is a configuration error: refuse to start before touching the database.
    if let Some(path) = &config.questionnaire_file {
        load_questionnaire(path)?;
    }
    let cases = match &config.cases_file {
        Some(path) => load_case_config(path)?,
        None => mamar_usecases::CaseConfig::shipped(),
    };
    crate::listener::raise_descriptor_limit();
    let store = open_store(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    tracing::info!("mamar is listening on http://{address}/");
    if !address.ip().is_loopback() {
        tracing::warn!(
            "{address} is reachable from other machines over plain HTTP: serve it only behind TLS or a Tor onion service"
        );
    }

    let mut state = mamar_web::AppState::new(store.clone());
    let name = match store.organisation().await? {
        Some(org) => org.name_en().to_owned(),
        None => "mamar".to_owned(),
    };
    let origin = config
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://localhost:{}", address.port()));
    state = state.with_webauthn(&origin, &name)?.with_public_origin(&origin);
    // The address that works: security keys are tied to the origin's host
    // name, so on a trial `localhost` works and `127.0.0.1` does not.
    tracing::info!("open {origin}/ in a browser (security keys and passkeys work at this address only)");
    if let Some(path) = &config.questionnaire_file {
        state = state.with_questionnaire(load_questionnaire(path)?);
    }
    if let Some(dir) = &config.verifier_dir {
        let downloads = mamar_web::downloads::VerifierDownloads::scan(dir)?;
        tracing::info!(
            files = downloads.files.len(),
            "the verify page offers the verifier builds in {}",
            dir.display()
        );
        state = state.with_verifier_downloads(downloads);
    }
    let retention = crate::retention::spawn_schedule(store.clone(), cases.clone());
    let break_glass = crate::breakglass::spawn_expiry(store.clone());
    state = state.with_case_config(cases);
    state = state.with_intake_limits(mamar_web::IntakeLimits {
        min_free_bytes: config.intake_min_free_bytes,
        per_minute: config.intake_per_minute,
    });
    state = state.with_checkpoint_schedule(config.checkpoints);
    // Wakes once a minute; a checkpoint is made when `audit_checkpoint_every` has passed.
    let checkpoints = mamar_web::spawn_audit_checkpoints(&state, std::time::Duration::from_secs(60));
    let backups = config
        .backup
        .clone()
        .map(|schedule| crate::backup::spawn_schedule(store.clone(), schedule));
    let telegram = match &config.telegram {
        Some(telegram) => Some(crate::telegram::spawn(telegram, &state, store.clone())?),
        None => None,
    };
    let app = mamar_web::router(state);
    crate::listener::serve(listener, app, config.connections, shutdown_signal()).await;
    checkpoints.abort();
    if let Some(backups) = backups {
        backups.abort();
    }
    retention.abort();
    break_glass.abort();
    if let Some(telegram) = telegram {
        telegram.stop().await;
    }
    store.close().await;
    tracing::info!("mamar stopped cleanly");
    Ok(())
}

/// Reads and checks the organisation's case configuration file.
pub fn load_case_config(path: &Path) -> anyhow::Result<mamar_usecases::CaseConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the case configuration file {}", path.display()))?;
    mamar_usecases::CaseConfig::from_toml(&text)
        .with_context(|| format!("case configuration file {}", path.display()))
}

/// Reads and checks the organisation's questionnaire file.
pub fn load_questionnaire(path: &Path) -> anyhow::Result<mamar_core::questionnaire::Questionnaire> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the questionnaire file {}", path.display()))?;
    mamar_core::questionnaire::Questionnaire::from_toml(&text)
        .with_context(|| format!("questionnaire file {}", path.display()))
}

/// Opens the configured database, creating the data directory for the
/// embedded default.
pub async fn open_store(config: &Config) -> anyhow::Result<std::sync::Arc<dyn mamar_store::Store>> {
    if config.database_url.is_none() {
        prepare_data_dir(&config.data_dir)?;
    }
    let url = config.database_url.as_ref().map(|url| url.expose().as_str());
    Ok(mamar_store::open(url, &config.data_dir).await?)
}

/// Creates the data directory (readable by its owner only) and checks that
/// it can be written, so the failure is named here and not deep in SQLite.
pub fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    let shown = dir.display();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the data directory {shown}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict access to the data directory {shown}"))?;
    }
    let probe = dir.join(".mamar-write-check");
    std::fs::write(&probe, b"").with_context(|| format!("cannot write to the data directory {shown}"))?;
    std::fs::remove_file(&probe).with_context(|| format!("cannot write to the data directory {shown}"))?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => {},
                    _ = terminate.recv() => {},
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing requests in flight");
}
