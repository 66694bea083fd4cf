//! Configuration: built-in defaults, then a TOML file, then `MAMAR_*`
//! environment variables, then command-line flags; the later wins. Secrets
//! (the database URL may hold a password) can be read from files so they
//! stay out of the process list and the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use mamar_core::Sensitive;
use serde::Deserialize;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./mamar-data";

/// The file as written by an operator. Unknown keys are refused, so a typo
/// is an error rather than a silently ignored setting.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    database_url_file: Option<PathBuf>,
    log: Option<String>,
    questionnaire_file: Option<PathBuf>,
    cases_file: Option<PathBuf>,
    public_origin: Option<String>,
    verifier_dir: Option<PathBuf>,
    backup_dir: Option<PathBuf>,
    backup_every: Option<String>,
    backup_keep: Option<u32>,
    audit_checkpoint_every: Option<String>,
    audit_copy_warn_days: Option<u32>,
    intake_min_free_mb: Option<u64>,
    intake_per_minute: Option<u32>,
    max_connections: Option<usize>,
    header_timeout_secs: Option<u64>,
    body_timeout_secs: Option<u64>,
    idle_timeout_secs: Option<u64>,
    telegram_token_file: Option<PathBuf>,
    telegram_api_url: Option<String>,
    telegram_web_address: Option<String>,
    telegram_poll_secs: Option<u64>,
}

/// Settings given on the command line, which override everything else.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Overrides {
    /// Configuration file (TOML). Also MAMAR_CONFIG.
    #[arg(long, env = "MAMAR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where mamar keeps its database and files [default: ./mamar-data]. Also MAMAR_DATA_DIR.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `None` means the embedded SQLite database in `data_dir`.
    pub database_url: Option<Sensitive<String>>,
    pub log: String,
    /// The organisation's own questionnaire (TOML); the shipped default when unset.
    pub questionnaire_file: Option<PathBuf>,
    /// How the organisation works its cases (TOML: sections per duty, approval time, vetting
    /// checklist, attachment size); the shipped default when unset.
    pub cases_file: Option<PathBuf>,
    /// The address staff reach the server at (`https://…`), which security keys
    /// are bound to. Unset: `http://localhost:{port}` of the listening
    /// socket, which works only on the server itself.
    pub public_origin: Option<String>,
    /// A directory holding builds of the stand-alone verifier (`mamar-verify`) that the verify
    /// page offers for download with their SHA-256; unset: none offered.
    pub verifier_dir: Option<PathBuf>,
    /// Backups written by `mamar serve` itself (`backup_dir`, `backup_every`, `backup_keep`).
    pub backup: Option<crate::backup::Schedule>,
    /// The server's own audit checkpoints (`audit_checkpoint_every`, default 1h) and the audit
    /// page's warning when none was copied off the server (`audit_copy_warn_days`, default 7).
    pub checkpoints: mamar_web::CheckpointSchedule,
    /// Below this much free space under the embedded database, intake is closed.
    pub intake_min_free_bytes: u64,
    /// New requests accepted a minute; 0 means no ceiling.
    pub intake_per_minute: u32,
    pub connections: ConnectionLimits,
    /// The Telegram channel, when a bot token file is configured.
    pub telegram: Option<TelegramConfig>,
}

/// The Telegram bot (`telegram_*` keys).
#[derive(Debug)]
pub struct TelegramConfig {
    /// BotFather's token, read from `telegram_token_file`.
    pub token: Sensitive<String>,
    /// The Bot API's base URL (a local Bot API server or a test double may stand in).
    pub api_url: String,
    /// The web form's address the bot offers instead of itself (an onion address).
    pub web_address: Option<String>,
    /// How long one `getUpdates` waits for news.
    pub poll_wait: std::time::Duration,
}

pub const DEFAULT_AUDIT_CHECKPOINT_SECS: u64 = 3_600;
pub const DEFAULT_AUDIT_COPY_WARN_DAYS: u32 = 7;
pub const DEFAULT_TELEGRAM_API_URL: &str = "https://api.telegram.org";
pub const DEFAULT_TELEGRAM_POLL_SECS: u64 = 25;

/// How long a client may take and how many may be connected at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections served at once; further ones wait in the kernel's queue.
    pub max_connections: usize,
    /// Time to send a request's headers.
    pub header_timeout: std::time::Duration,
    /// Time to send a request's body.
    pub body_timeout: std::time::Duration,
    /// A connection with no traffic either way for this long is closed.
    pub idle_timeout: std::time::Duration,
}

pub const DEFAULT_INTAKE_MIN_FREE_MB: u64 = 256;
pub const DEFAULT_INTAKE_PER_MINUTE: u32 = 600;
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;
pub const DEFAULT_IDLE_TIMEOUT_SECS: u64 = 60;

/// A number from the environment (named in the error), else the file, else the default.
fn number<T: std::str::FromStr>(
    env: &impl Fn(&str) -> Option<String>,
    key: &str,
    file: Option<T>,
    default: T,
) -> anyhow::Result<T> {
    match env(key) {
        Some(text) => text
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{key}={text:?} is not a whole number")),
        None => Ok(file.unwrap_or(default)),
    }
}

/// Reads the environment through a function so tests can supply their own.
pub fn load(overrides: &Overrides, listen_flag: Option<&str>) -> anyhow::Result<Config> {
    load_with_env(overrides, listen_flag, |key| std::env::var(key).ok())
}

fn load_with_env(
    overrides: &Overrides,
    listen_flag: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Config> {
    let file = match &overrides.config {
        Some(path) => read_file_config(path)?,
        None => FileConfig::default(),
    };

    let listen_text = listen_flag
        .map(str::to_owned)
        .or_else(|| env("MAMAR_LISTEN"))
        .or(file.listen)
        .unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    let listen: SocketAddr = listen_text.parse().map_err(|_| {
        anyhow::anyhow!("listen address {listen_text:?} is not of the form IP:PORT, e.g. 127.0.0.1:8080")
    })?;

    let data_dir = overrides
        .data_dir
        .clone()
        .or_else(|| env("MAMAR_DATA_DIR").map(PathBuf::from))
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));

    let url_file = env("MAMAR_DATABASE_URL_FILE")
        .map(PathBuf::from)
        .or(file.database_url_file);
    let database_url = match (env("MAMAR_DATABASE_URL").map(Sensitive::new), url_file) {
        (Some(url), _) => Some(url),
        (None, Some(path)) => Some(read_secret_file(&path)?),
        (None, None) => file.database_url.map(Sensitive::new),
    };
    if let Some(url) = &database_url {
        check_database_url(url.expose())?;
    }

    let log = env("MAMAR_LOG").or(file.log).unwrap_or_else(|| "info".to_owned());
    let questionnaire_file = env("MAMAR_QUESTIONNAIRE_FILE")
        .map(PathBuf::from)
        .or(file.questionnaire_file);
    let cases_file = env("MAMAR_CASES_FILE").map(PathBuf::from).or(file.cases_file);
    let public_origin = env("MAMAR_PUBLIC_ORIGIN").or(file.public_origin);
    if let Some(origin) = &public_origin {
        check_public_origin(origin)?;
    }
    let verifier_dir = env("MAMAR_VERIFIER_DIR").map(PathBuf::from).or(file.verifier_dir);
    let backup = crate::backup::Schedule::from_settings(
        env("MAMAR_BACKUP_DIR").map(PathBuf::from).or(file.backup_dir),
        env("MAMAR_BACKUP_EVERY").or(file.backup_every),
        env("MAMAR_BACKUP_KEEP").or(file.backup_keep.map(|n| n.to_string())),
    )?;
    let checkpoint_every = match env("MAMAR_AUDIT_CHECKPOINT_EVERY").or(file.audit_checkpoint_every) {
        Some(text) => crate::backup::parse_interval(&text).context("audit_checkpoint_every")?,
        None => std::time::Duration::from_secs(DEFAULT_AUDIT_CHECKPOINT_SECS),
    };
    let warn_days = number(
        &env,
        "MAMAR_AUDIT_COPY_WARN_DAYS",
        file.audit_copy_warn_days,
        DEFAULT_AUDIT_COPY_WARN_DAYS,
    )?
    .max(1);
    let checkpoints = mamar_web::CheckpointSchedule {
        every_secs: i64::try_from(checkpoint_every.as_secs()).unwrap_or(i64::MAX),
        warn_after_secs: i64::from(warn_days) * 86_400,
    };
    let intake_min_free_mb = number(
        &env,
        "MAMAR_INTAKE_MIN_FREE_MB",
        file.intake_min_free_mb,
        DEFAULT_INTAKE_MIN_FREE_MB,
    )?;
    let intake_per_minute = number(
        &env,
        "MAMAR_INTAKE_PER_MINUTE",
        file.intake_per_minute,
        DEFAULT_INTAKE_PER_MINUTE,
    )?;
    let seconds = |key, file, default| number(&env, key, file, default).map(std::time::Duration::from_secs);
    let connections = ConnectionLimits {
        max_connections: number(
            &env,
            "MAMAR_MAX_CONNECTIONS",
            file.max_connections,
            DEFAULT_MAX_CONNECTIONS,
        )?
        .max(1),
        header_timeout: seconds(
            "MAMAR_HEADER_TIMEOUT_SECS",
            file.header_timeout_secs,
            DEFAULT_HEADER_TIMEOUT_SECS,
        )?,
        body_timeout: seconds(
            "MAMAR_BODY_TIMEOUT_SECS",
            file.body_timeout_secs,
            DEFAULT_BODY_TIMEOUT_SECS,
        )?,
        idle_timeout: seconds(
            "MAMAR_IDLE_TIMEOUT_SECS",
            file.idle_timeout_secs,
            DEFAULT_IDLE_TIMEOUT_SECS,
        )?,
    };
    let telegram = match env("MAMAR_TELEGRAM_TOKEN_FILE")
        .map(PathBuf::from)
        .or(file.telegram_token_file)
    {
        None => None,
        Some(path) => {
            let token = read_secret_file(&path)?;
            if token.expose().is_empty() {
                anyhow::bail!("the Telegram token file {} is empty", path.display());
            }
            let api_url = env("MAMAR_TELEGRAM_API_URL")
                .or(file.telegram_api_url)
                .unwrap_or_else(|| DEFAULT_TELEGRAM_API_URL.to_owned());
            if !api_url.starts_with("https://") && !api_url.starts_with("http://") {
                anyhow::bail!("telegram_api_url must be an http(s) URL, not {api_url:?}");
            }
            let poll_secs = number(
                &env,
                "MAMAR_TELEGRAM_POLL_SECS",
                file.telegram_poll_secs,
                DEFAULT_TELEGRAM_POLL_SECS,
            )?
            .clamp(1, 50);
            Some(TelegramConfig {
                token,
                api_url,
                web_address: env("MAMAR_TELEGRAM_WEB_ADDRESS")
                    .or(file.telegram_web_address)
                    .or_else(|| public_origin.clone()),
                poll_wait: std::time::Duration::from_secs(poll_secs),
            })
        }
    };
    Ok(Config {
        listen,
        data_dir,
        database_url,
        log,
        questionnaire_file,
        cases_file,
        public_origin,
        verifier_dir,
        backup,
        checkpoints,
        intake_min_free_bytes: intake_min_free_mb.saturating_mul(1024 * 1024),
        intake_per_minute,
        connections,
        telegram,
    })
}

fn read_file_config(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    toml::from_str(&text).map_err(|error| {
        let detail = error.message().to_owned();
        match error.span().map(|span| line_of(&text, span.start)) {
            Some(line) => anyhow::anyhow!("configuration file {}, line {line}: {detail}", path.display()),
            None => anyhow::anyhow!("configuration file {}: {detail}", path.display()),
        }
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

fn read_secret_file(path: &Path) -> anyhow::Result<Sensitive<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the secret file {}", path.display()))?;
    Ok(Sensitive::new(text.trim().to_owned()))
}

/// Staff passwords and session cookies travel to the public origin: it must be HTTPS, a Tor
/// onion service (encrypted end to end by Tor) or this machine itself (trials).
fn check_public_origin(origin: &str) -> anyhow::Result<()> {
    let allowed = url::Url::parse(origin).is_ok_and(|url| match (url.scheme(), url.host_str()) {
        ("https", Some(_)) => true,
        ("http", Some(host)) => {
            matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".onion")
        }
        _ => false,
    });
    if !allowed {
        bail!(
            "the public origin {origin:?} must be https://… (or an http://….onion address, or http://localhost for a trial): staff passwords must not cross the network in the clear"
        );
    }
    Ok(())
}

/// Checks the URL's form without echoing it: it may contain a password.
fn check_database_url(url: &str) -> anyhow::Result<()> {
    let known = ["postgres://", "postgresql://", "sqlite:"];
    if !known.iter().any(|prefix| url.starts_with(prefix)) {
        bail!(
            "the database URL must start with postgres:// (or sqlite: for a file); leave it unset for the embedded database"
        );
    }
    if url.starts_with("postgres") && url.split_once("://").is_none_or(|(_, rest)| rest.is_empty()) {
        bail!("the database URL names no server: use postgres://USER@HOST:PORT/DATABASE");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn with_file(text: &str) -> (tempfile::NamedTempFile, Overrides) {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let overrides = Overrides {
            config: Some(file.path().to_owned()),
            data_dir: None,
        };
        (file, overrides)
    }

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn the_public_origin_must_be_https_an_onion_service_or_this_machine() {
        let load = |origin: &str| {
            load_with_env(
                &Overrides::default(),
                None,
                env_of(&[("MAMAR_PUBLIC_ORIGIN", origin)]),
            )
        };
        for good in [
            "https://mamar.example.org",
            "https://mamar.example.org:8443/",
            "http://localhost:8080",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvw.onion",
        ] {
            let loaded = load(good);
            assert!(loaded.is_ok(), "{good}: {:?}", loaded.err());
        }
        for bad in [
            "http://mamar.example.org",
            "http://192.0.2.7:8080",
            "http://onion.example.org",
            "mamar.example.org",
            "https://",
            "ftp://mamar.example.org",
        ] {
            let error = load(bad).unwrap_err().to_string();
            assert!(error.contains("must be https://"), "{bad}: {error}");
        }
    }

    #[test]
    fn defaults_serve_loopback_with_the_embedded_database() {
        let config = load_with_env(&Overrides::default(), None, env_of(&[])).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("./mamar-data"));
        assert!(config.database_url.is_none());
        assert_eq!(config.intake_per_minute, DEFAULT_INTAKE_PER_MINUTE);
        assert_eq!(
            config.intake_min_free_bytes,
            DEFAULT_INTAKE_MIN_FREE_MB * 1024 * 1024
        );
        assert_eq!(config.connections.max_connections, DEFAULT_MAX_CONNECTIONS);
    }

    #[test]
    fn intake_limits_and_timeouts_come_from_the_file_or_the_environment() {
        let (_file, overrides) = with_file("intake_per_minute = 30\nheader_timeout_secs = 5\n");
        let config = load_with_env(&overrides, None, env_of(&[("MAMAR_INTAKE_MIN_FREE_MB", "1")])).unwrap();
        assert_eq!(config.intake_per_minute, 30);
        assert_eq!(config.intake_min_free_bytes, 1024 * 1024);
        assert_eq!(
            config.connections.header_timeout,
            std::time::Duration::from_secs(5)
        );
        let error = load_with_env(&overrides, None, env_of(&[("MAMAR_INTAKE_PER_MINUTE", "lots")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("MAMAR_INTAKE_PER_MINUTE"), "{error}");
    }

    #[test]
    fn the_telegram_channel_is_on_only_with_a_token_file() {
        let config = load_with_env(&Overrides::default(), None, env_of(&[])).unwrap();
        assert!(config.telegram.is_none(), "no bot unless configured");
        let dir = tempfile::tempdir().unwrap();
        let token = dir.path().join("token");
        std::fs::write(&token, "123456:abc\n").unwrap();
        let (_file, overrides) = with_file(&format!(
            "telegram_token_file = {:?}\ntelegram_web_address = \"http://example.onion/\"\ntelegram_poll_secs = 90\n",
            token.display().to_string()
        ));
        let config = load_with_env(&overrides, None, env_of(&[])).unwrap();
        let telegram = config.telegram.unwrap();
        assert_eq!(telegram.token.expose(), "123456:abc");
        assert_eq!(telegram.api_url, DEFAULT_TELEGRAM_API_URL);
        assert_eq!(telegram.web_address.as_deref(), Some("http://example.onion/"));
        assert_eq!(
            telegram.poll_wait,
            std::time::Duration::from_secs(50),
            "Telegram allows 50 s at most"
        );
        assert!(
            !format!("{telegram:?}").contains("abc"),
            "the token is never printed"
        );
        let bad = load_with_env(&overrides, None, env_of(&[("MAMAR_TELEGRAM_API_URL", "ftp://x")]));
        assert!(bad.is_err());
    }

    #[test]
    fn flags_beat_environment_beat_file() {
        let (_file, overrides) =
            with_file("listen = \"127.0.0.1:9000\"\ndata_dir = \"/from/file\"\nlog = \"warn\"\n");
        let config = load_with_env(&overrides, None, env_of(&[])).unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.log, "warn");

        let env = env_of(&[
            ("MAMAR_LISTEN", "127.0.0.1:9001"),
            ("MAMAR_DATA_DIR", "/from/env"),
        ]);
        let config = load_with_env(&overrides, None, &env).unwrap();
        assert_eq!(config.listen.port(), 9001);
        assert_eq!(config.data_dir, PathBuf::from("/from/env"));

        let config = load_with_env(&overrides, Some("127.0.0.1:9002"), &env).unwrap();
        assert_eq!(config.listen.port(), 9002);
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let (_file, overrides) = with_file("listen = \"127.0.0.1:9000\"\nlisten_port = 9\n");
        let error = load_with_env(&overrides, None, env_of(&[]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
        assert!(error.contains("listen_port"), "{error}");
    }

    #[test]
    fn a_malformed_url_is_refused_without_echoing_it() {
        let env = env_of(&[("MAMAR_DATABASE_URL", "mysql://user:hunter2@db/x")]);
        let error = load_with_env(&Overrides::default(), None, env)
            .unwrap_err()
            .to_string();
        assert!(error.contains("postgres://"), "{error}");
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn the_database_url_can_come_from_a_secret_file() {
        let secret = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(secret.path(), "postgres://mamar:s3cret@db:5432/mamar\n").unwrap();
        let env = env_of(&[("MAMAR_DATABASE_URL_FILE", secret.path().to_str().unwrap())]);
        let config = load_with_env(&Overrides::default(), None, env).unwrap();
        let url = config.database_url.unwrap();
        assert_eq!(url.expose(), "postgres://mamar:s3cret@db:5432/mamar");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn a_bad_listen_address_is_explained() {
        let error = load_with_env(&Overrides::default(), Some("localhost"), env_of(&[])).unwrap_err();
        assert!(error.to_string().contains("IP:PORT"));
    }
}
