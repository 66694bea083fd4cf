//! `mamar doctor`: checks an installation and says, in plain words, what to
//! fix. Reads only; the database is not migrated (an older format is
//! reported, and upgraded by the next `mamar serve`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;

use crate::config::{self, Config};

/// More free space than this is comfortable.
const LOW_DISK: u64 = 1 << 30;
/// Less than this and writes may soon fail.
const CRITICAL_DISK: u64 = 100 << 20;
/// A write-ahead log larger than this is not being folded back.
const LARGE_WAL: u64 = 64 << 20;
/// No clock on a running server is earlier than this (2026-01-01).
const EARLIEST_SANE: u64 = 1_767_225_600;

#[derive(clap::Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// The Tor configuration to check the onion service in (when the public origin is a .onion).
    #[arg(long, value_name = "FILE", default_value = "/etc/tor/torrc")]
    pub torrc: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Ok,
    Warn,
    Fail,
}

#[derive(Default)]
struct Report {
    lines: Vec<(Level, String)>,
}

impl Report {
    fn ok(&mut self, text: impl Into<String>) {
        self.lines.push((Level::Ok, text.into()));
    }
    fn warn(&mut self, text: impl Into<String>) {
        self.lines.push((Level::Warn, text.into()));
    }
    fn fail(&mut self, text: impl Into<String>) {
        self.lines.push((Level::Fail, text.into()));
    }
    fn worst(&self) -> Level {
        self.lines
            .iter()
            .map(|(level, _)| *level)
            .max()
            .unwrap_or(Level::Ok)
    }
}

pub fn run(args: DoctorArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let mut report = Report::default();
    let now = SystemTime::now();
    check_data_dir(&config, &mut report);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(check_database(&config, now, &mut report));
    check_backups(&config, now, &mut report);
    check_clock(now, &mut report);
    check_origin(&config, &args.torrc, &mut report);
    for (level, text) in &report.lines {
        let tag = match level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        println!("{tag}  {text}");
    }
    Ok(match report.worst() {
        Level::Fail => {
            println!("Fix the lines marked FAIL, then run mamar doctor again.");
            ExitCode::FAILURE
        }
        Level::Warn => {
            println!("No failures; read the warnings.");
            ExitCode::SUCCESS
        }
        Level::Ok => {
            println!("Everything checked is in order.");
            ExitCode::SUCCESS
        }
    })
}

fn check_data_dir(config: &Config, report: &mut Report) {
    let dir = &config.data_dir;
    let shown = dir.display();
    let Ok(meta) = std::fs::metadata(dir) else {
        if config.database_url.is_none() {
            report.fail(format!(
                "the data directory {shown} does not exist: run mamar init (or check data_dir)"
            ));
        }
        return;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            report.ok(format!(
                "the data directory {shown} is readable by its owner only"
            ));
        } else {
            report.fail(format!(
                "the data directory {shown} can be read by other users (mode {mode:o}): run chmod 700 {shown}"
            ));
        }
        let me = rustix::process::getuid().as_raw();
        if meta.uid() != me {
            report.warn(format!(
                "the data directory {shown} belongs to user id {}, not to this user ({me}): run mamar doctor as the user mamar runs as",
                meta.uid()
            ));
        }
    }
    match rustix::fs::statvfs(dir.as_path()) {
        Ok(stats) => {
            let free = stats.f_bavail.saturating_mul(stats.f_frsize);
            let text = format!("{} free on the data directory's disk", bytes(free));
            if free < CRITICAL_DISK {
                report.fail(format!("only {text}: free space now or writes will fail"));
            } else if free < LOW_DISK {
                report.warn(format!("only {text}: free some space soon"));
            } else {
                report.ok(text);
            }
        }
        Err(error) => report.warn(format!("cannot tell the free disk space of {shown}: {error}")),
    }
    if config.database_url.is_none() {
        let wal = dir.join(format!("{}-wal", mamar_store::SQLITE_FILE_NAME));
        let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if size > LARGE_WAL {
            report.warn(format!(
                "the write-ahead log is {}: something keeps SQLite from folding it back; restart mamar",
                bytes(size)
            ));
        } else {
            report.ok(format!("the write-ahead log is {}", bytes(size)));
        }
    }
}

async fn check_database(config: &Config, now: SystemTime, report: &mut Report) {
    let url = config.database_url.as_ref().map(|url| url.expose().as_str());
    let expected = mamar_store::backup::expected_schema_version();
    let stored = match mamar_store::backup::stored_schema_version(url, &config.data_dir).await {
        Ok(stored) => stored,
        Err(error) => {
            report.fail(format!("cannot read the database: {error}"));
            return;
        }
    };
    match stored {
        None => {
            report.fail("there is no database yet: run mamar init");
            return;
        }
        Some(version) if version > expected => {
            report.fail(format!(
                "the database is in format {version}, written by a newer mamar than this one (format {expected}): install that release again"
            ));
            return;
        }
        Some(version) if version < expected => {
            report.warn(format!(
                "the database is in format {version}; this mamar will upgrade it to format {expected} when it next starts: take a backup first"
            ));
            return;
        }
        Some(version) => report.ok(format!(
            "the database is in format {version}, as this mamar expects"
        )),
    }
    let store = match mamar_store::open(url, &config.data_dir).await {
        Ok(store) => store,
        Err(error) => {
            report.fail(format!("cannot open the database: {error}"));
            return;
        }
    };
    match store.organisation().await {
        Ok(Some(_)) => report.ok("the organisation is set up"),
        Ok(None) => report.fail("the organisation is not set up: run mamar init"),
        Err(error) => report.fail(format!("cannot read the database: {error}")),
    }
    // A database made before facets were kept has no public half of the analytics key: no case
    // can seal its facets for the registry until the key is rotated.
    match mamar_usecases::facets::analytics_public_key(store.as_ref()).await {
        Ok(Some(_)) => report.ok("cases keep their facets for the registry, sealed to the analytics key"),
        Ok(None) => report.warn(
            "no case keeps its facets for the registry: the analytics key has no public half stored \
             (a database made before facets were kept): run mamar keys rotate analytics",
        ),
        Err(error) => report.fail(format!("cannot read the analytics key: {error}")),
    }
    // Partners that run their own mamar seal referral files to the key on our published card.
    match store.setting(crate::publish::CARD_SETTING).await {
        Ok(Some(card)) if card_has_referral_key(&card) => {
            report.ok("the published contact card carries the key partners seal referral files to")
        }
        Ok(Some(_)) => report.warn(
            "the published contact card carries no referral-seal key (it was signed before referral \
             files existed): partners that run mamar cannot send referral files until you publish it \
             again (mamar card publish) and they replace your card with it (mamar referral partner-card)",
        ),
        // No card at all is the verification page's to explain; nothing to say of its key.
        Ok(None) => {}
        Err(error) => report.fail(format!("cannot read the contact card: {error}")),
    }
    match mamar_keys::backup::backup_public_key(store.as_ref()).await {
        Ok(Some(_)) => report.ok("the trustees' shares exist, so backups can be sealed to them"),
        Ok(None) => {
            report.fail("there are no trustees' shares, so no backup can be made: run mamar recovery create")
        }
        Err(error) => report.fail(format!("cannot read the backup key: {error}")),
    }
    check_break_glass(store.as_ref(), report).await;
    if let Ok(Some(head)) = store.audit_head().await {
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let newest = u64::try_from(head.at).unwrap_or_default();
        if newest > now.saturating_add(300) {
            report.fail(format!(
                "the clock is {} behind the newest audit entry: set the time (timedatectl set-ntp true)",
                duration(Duration::from_secs(newest - now))
            ));
        } else {
            report.ok("the clock is not behind the audit log");
        }
    }
    store.close().await;
}

/// Whether a signed card file has the `referral-seal` line (the signature
/// was checked when it was published; the doctor only reads).
fn card_has_referral_key(card: &[u8]) -> bool {
    String::from_utf8_lossy(card).lines().any(|line| {
        line.strip_prefix("referral-seal: ")
            .is_some_and(|key| mamar_keys::parse_seal_key(key).is_some())
    })
}

/// Break-glass is an opt-in: without it nobody off a case can read it. Once set up, a case
/// opened before the set-up has no escrow until someone on it opens it.
async fn check_break_glass(store: &dyn mamar_store::Store, report: &mut Report) {
    let setup = match store.break_glass_setup().await {
        Ok(setup) => setup,
        Err(error) => return report.fail(format!("cannot read the break-glass set-up: {error}")),
    };
    let Some(setup) = setup else {
        return report.ok(
            "break-glass is not set up: nobody who is not on a case can read it (mamar keys break-glass setup)",
        );
    };
    match store.cases_without_escrow().await {
        Ok(0) => report.ok(format!(
            "break-glass is set up ({} administrators together open a case) and every case is escrowed",
            setup.threshold
        )),
        Ok(missing) => report.warn(format!(
            "break-glass is set up, but {missing} case(s) opened before it have no escrow yet and cannot be \
             opened by break-glass: each is escrowed when someone on it next opens it"
        )),
        Err(error) => report.fail(format!("cannot count the cases without escrow: {error}")),
    }
    check_break_glass_holders(store, &setup, report).await;
}

/// Whether the shares are where the administrators are: one who left still holds a share here,
/// a new one holds none, and below the threshold break-glass cannot be used at all.
async fn check_break_glass_holders(
    store: &dyn mamar_store::Store,
    setup: &mamar_store::BreakGlassSetup,
    report: &mut Report,
) {
    let holders = match mamar_keys::break_glass_share_holders(store, setup).await {
        Ok(holders) => holders,
        Err(error) => return report.fail(format!("cannot read who holds the break-glass shares: {error}")),
    };
    if !holders.usable() {
        report.fail(format!(
            "break-glass cannot be used: only {} administrator(s) in office hold a share and {} are needed; \
             holders who left can still give theirs in person: mamar keys break-glass reshare",
            holders.in_office, holders.threshold
        ));
    } else if !holders.match_the_administrators() {
        report.warn(format!(
            "break-glass shares do not match the administrators: {} holder(s) are no longer administrators \
             and {} administrator(s) hold none; re-share them: mamar keys break-glass reshare",
            holders.left, holders.without_share
        ));
    }
}

fn check_backups(config: &Config, now: SystemTime, report: &mut Report) {
    let Some(schedule) = &config.backup else {
        report.warn("mamar serve writes no backups: set backup_dir (and backup_every, backup_keep)");
        return;
    };
    let shown = schedule.dir.display();
    let newest = crate::backup::list_backups(&schedule.dir)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|path| std::fs::metadata(&path).and_then(|m| m.modified()).ok())
        .max();
    match newest {
        None => report.warn(format!(
            "there is no backup in {shown} yet: run mamar backup --out-dir {shown}"
        )),
        Some(time) => {
            let age = now.duration_since(time).unwrap_or_default();
            let text = format!("the newest backup in {shown} is {} old", duration(age));
            if age > schedule.every.saturating_mul(2) {
                report.fail(format!(
                    "{text}, more than twice backup_every: is mamar serve running, and can it write there?"
                ));
            } else {
                report.ok(text);
            }
        }
    }
}

fn check_clock(now: SystemTime, report: &mut Report) {
    let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if seconds < EARLIEST_SANE {
        report.fail("the clock is set before 2026: set the time (timedatectl set-ntp true); second factors and expiry depend on it");
    } else {
        let stamp = crate::backup::utc_stamp(now);
        let part = |range: std::ops::Range<usize>| stamp.get(range).unwrap_or_default().to_owned();
        report.ok(format!(
            "the clock reads {}-{}-{} {}:{} UTC: check it against a watch",
            part(0..4),
            part(4..6),
            part(6..8),
            part(9..11),
            part(11..13)
        ));
    }
}

fn check_origin(config: &Config, torrc: &Path, report: &mut Report) {
    let loopback = config.listen.ip().is_loopback();
    let Some(origin) = &config.public_origin else {
        if loopback {
            report.warn(format!(
                "no public_origin is set: staff can use security keys only on this machine (http://localhost:{}); set public_origin to the https:// or .onion address",
                config.listen.port()
            ));
        } else {
            report.fail("mamar listens beyond this machine but no public_origin is set: set it to the https:// or .onion address");
        }
        return;
    };
    let host = url::Url::parse(origin)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_default();
    if host.ends_with(".onion") {
        report.ok(format!("the public origin is the onion service {host}"));
        if !loopback {
            report.warn(format!(
                "mamar listens on {}, beyond this machine: with an onion service it should listen on 127.0.0.1 only, so nobody reaches it around Tor",
                config.listen
            ));
        }
        check_torrc(config, torrc, report);
    } else if origin.starts_with("https://") {
        report.ok(format!(
            "the public origin is {origin}: TLS is ended by the proxy in front of mamar (mamar itself speaks plain HTTP on {})",
            config.listen
        ));
        if !loopback {
            report.warn(format!(
                "mamar listens on {}: keep plain HTTP on this machine (127.0.0.1) and let only the TLS proxy reach it",
                config.listen
            ));
        }
    } else {
        report.warn(format!(
            "the public origin is {origin}, this machine only: fine for a trial, not for staff elsewhere"
        ));
    }
}

fn check_torrc(config: &Config, torrc: &Path, report: &mut Report) {
    let Ok(text) = std::fs::read_to_string(torrc) else {
        report.warn(format!(
            "cannot read {}: check by hand that a HiddenServicePort points at {}",
            torrc.display(),
            config.listen
        ));
        return;
    };
    let target = config.listen.to_string();
    let served = text.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.first() == Some(&"HiddenServicePort") && words.get(2) == Some(&target.as_str())
    });
    if served {
        report.ok(format!(
            "{} has a HiddenServicePort for {target}",
            torrc.display()
        ));
    } else {
        report.fail(format!(
            "{} has no HiddenServicePort for {target}: add `HiddenServicePort 80 {target}` under the HiddenServiceDir (see packaging/tor/torrc)",
            torrc.display()
        ));
    }
}

fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..120 => format!("{s} seconds"),
        120..7200 => format!("{} minutes", s / 60),
        7200..172_800 => format!("{} hours", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}
