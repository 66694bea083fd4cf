//! `mamar backup` and `mamar restore`, and the backup schedule of `mamar
//! serve`: one file per backup, sealed to the trustees' backup key (see
//! `mamar_keys::backup`), written whole or not at all, read back and
//! checked after writing; restoring with k trustees' shares onto an empty
//! data directory or database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use mamar_store::Store;
use mamar_store::audit::{self, Action, Outcome};

use crate::config;

const PREFIX: &str = "mamar-backup-";
const SUFFIX: &str = ".mamar";

#[derive(clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// The directory to write the backup into (a new file named after the time, UTC).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// The backup file (from `mamar backup` or the schedule of `mamar serve`).
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// A trustee's share file; give at least as many as the threshold.
    #[arg(long = "share", value_name = "FILE", required = true)]
    pub shares: Vec<PathBuf>,
}

/// When `mamar serve` writes backups by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: Duration,
    /// How many backups to keep; older ones are deleted after a new one is checked.
    pub keep: usize,
}

impl Schedule {
    /// From the `backup_dir`, `backup_every` and `backup_keep` settings. No
    /// directory: no schedule (the other two alone are an error).
    pub fn from_settings(
        dir: Option<PathBuf>,
        every: Option<String>,
        keep: Option<String>,
    ) -> anyhow::Result<Option<Schedule>> {
        let Some(dir) = dir else {
            if every.is_some() || keep.is_some() {
                bail!("backup_every and backup_keep need backup_dir: the directory backups are written to");
            }
            return Ok(None);
        };
        let every = match every {
            None => Duration::from_secs(24 * 3600),
            Some(text) => parse_interval(&text).context("backup_every")?,
        };
        let keep = match keep {
            None => 7,
            Some(text) => match text.trim().parse::<usize>() {
                Ok(n) if n >= 1 => n,
                _ => bail!("backup_keep {text:?} must be a whole number of backups, at least 1"),
            },
        };
        Ok(Some(Schedule { dir, every, keep }))
    }
}

/// "90s", "30m", "6h", "1d": at least five seconds (tests; a real schedule is hours).
pub fn parse_interval(text: &str) -> anyhow::Result<Duration> {
    let text = text.trim();
    let split = text.len().saturating_sub(1);
    let (number, unit) = (text.get(..split).unwrap_or(""), text.get(split..).unwrap_or(""));
    let seconds_per = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    let seconds = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(seconds_per))
        .filter(|s| *s >= 5);
    match seconds {
        Some(seconds) => Ok(Duration::from_secs(seconds)),
        None => bail!("{text:?} must be a number with s, m, h or d, at least 5s (e.g. 12h or 1d)"),
    }
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run_backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = write_backup(store.as_ref(), &args.out_dir).await;
        store.close().await;
        let written = result?;
        println!("{}", written.path.display());
        println!(
            "Backup written and checked: {} bytes, database format {}. Only k of the trustees' shares open it \
             (mamar restore).",
            written.size, written.schema_version
        );
        Ok(ExitCode::SUCCESS)
    })
}

pub fn run_restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let shares = crate::recovery::read_shares(&args.shares)?;
    let sealed = std::fs::read(&args.from)
        .with_context(|| format!("cannot read the backup {}", args.from.display()))?;
    let snapshot = mamar_keys::backup::open_backup(&shares, &sealed).context("cannot open the backup")?;
    if config.database_url.is_none() {
        crate::serve::prepare_data_dir(&config.data_dir)?;
    }
    let url = config.database_url.as_ref().map(|url| url.expose().as_str());
    runtime()?.block_on(async {
        // The database at the backup's format, then (reopened) at this release's.
        let store = mamar_store::backup::open_for_restore(url, &config.data_dir, snapshot.schema_version)
            .await
            .context("cannot restore the backup")?;
        let result = store.restore_snapshot(&snapshot).await;
        store.close().await;
        result.context("cannot restore the backup")?;
        let store = crate::serve::open_store(&config).await?;
        let recorded = audit::record(store.as_ref(), None, Action::BackupRestored, None, Outcome::Ok).await;
        store.close().await;
        recorded.context("restored, but cannot record the restore in the audit log")?;
        let count = |name: &str| snapshot.table(name).map_or(0, |t| t.rows.len());
        println!(
            "Restored {} rows: {} staff, {} cases, {} requests, {} audit entries (database format {}, now {}). \
             Check the log now with `mamar audit verify`; staff log in with their own passwords.",
            snapshot.row_count(),
            count("staff"),
            count("case_file"),
            count("intake_request"),
            count("audit_entry"),
            snapshot.schema_version,
            mamar_store::backup::expected_schema_version(),
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// A backup on disk.
pub struct Written {
    pub path: PathBuf,
    pub size: u64,
    pub schema_version: i64,
}

/// Seals a snapshot, writes it to a new file in `dir` (readable by its
/// owner only; a temporary name until complete and synced), reads it back
/// and compares, and records the backup in the audit log.
pub async fn write_backup(store: &dyn Store, dir: &Path) -> anyhow::Result<Written> {
    let sealed = mamar_keys::backup::seal_backup(store).await;
    let sealed = match sealed {
        Ok(sealed) => sealed,
        Err(error) => {
            let _ = audit::record(store, None, Action::BackupWritten, None, Outcome::Failed).await;
            return Err(error).context("cannot take the backup");
        }
    };
    let dir = dir.to_owned();
    let bytes = sealed.bytes;
    let path = tokio::task::spawn_blocking(move || write_and_check(&dir, &bytes))
        .await
        .context("the backup writer stopped")??;
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or_default();
    audit::record(store, None, Action::BackupWritten, None, Outcome::Ok)
        .await
        .context("the backup was written, but cannot be recorded in the audit log")?;
    Ok(Written {
        path,
        size,
        schema_version: sealed.schema_version,
    })
}

fn write_and_check(dir: &Path, bytes: &[u8]) -> anyhow::Result<PathBuf> {
    use std::io::Write;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let mut name = format!("{PREFIX}{}{SUFFIX}", utc_stamp(SystemTime::now()));
    let mut n = 1;
    while dir.join(&name).exists() {
        n += 1;
        name = format!("{PREFIX}{}-{n}{SUFFIX}", utc_stamp(SystemTime::now()));
    }
    let path = dir.join(&name);
    let partial = dir.join(format!(".{name}.partial"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = (|| {
        let mut file = options.open(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&partial, &path)?;
        // The new name survives a power cut only once the directory is synced.
        std::fs::File::open(dir)?.sync_all()
    })();
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error).with_context(|| format!("cannot write the backup into {}", dir.display()));
    }
    let back = std::fs::read(&path).with_context(|| format!("cannot read back {}", path.display()))?;
    let header = mamar_crypto::inspect(&back).ok();
    if back != bytes || header.map(|h| h.kind) != Some(mamar_crypto::BlobKind::Backup) {
        bail!(
            "the backup {} does not read back as written: check the disk",
            path.display()
        );
    }
    Ok(path)
}

/// Deletes all but the newest `keep` backups in `dir` (by name, which is the time).
pub fn prune(dir: &Path, keep: usize) -> anyhow::Result<Vec<PathBuf>> {
    let mut backups = list_backups(dir)?;
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    let old: Vec<PathBuf> = backups.into_iter().take(excess).collect();
    for path in &old {
        std::fs::remove_file(path)
            .with_context(|| format!("cannot delete the old backup {}", path.display()))?;
    }
    Ok(old)
}

/// The backups in `dir`, in no particular order.
pub fn list_backups(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    Ok(entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(PREFIX) && name.ends_with(SUFFIX))
        })
        .collect())
}

/// Starts the schedule: the first backup one interval after start, then
/// every interval. Failures are logged (without content) and retried at the
/// next turn. Abort the handle before closing the store.
pub fn spawn_schedule(store: Arc<dyn Store>, schedule: Schedule) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks =
            tokio::time::interval_at(tokio::time::Instant::now() + schedule.every, schedule.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match write_backup(store.as_ref(), &schedule.dir).await {
                Ok(written) => {
                    tracing::info!(path = %written.path.display(), bytes = written.size, "backup written and checked");
                    if let Err(error) = prune(&schedule.dir, schedule.keep) {
                        tracing::warn!("{error:#}");
                    }
                }
                Err(error) => tracing::error!("scheduled backup failed: {error:#}"),
            }
        }
    })
}

/// `20261205T071500Z` for a time.
pub fn utc_stamp(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or_default();
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_calendar_times() {
        assert_eq!(utc_stamp(UNIX_EPOCH), "19700101T000000Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_796_454_915);
        assert_eq!(utc_stamp(t), "20261205T071515Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(utc_stamp(leap), "20000229T000000Z");
    }

    #[test]
    fn intervals_and_schedules_are_read_or_explained() {
        assert_eq!(parse_interval("1d").unwrap(), Duration::from_secs(86_400));
        assert_eq!(parse_interval("12h").unwrap(), Duration::from_secs(43_200));
        assert_eq!(parse_interval("90s").unwrap(), Duration::from_secs(90));
        for bad in ["", "1", "1s", "h", "-1h", "1w", "1.5h"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
        assert_eq!(Schedule::from_settings(None, None, None).unwrap(), None);
        assert!(Schedule::from_settings(None, Some("1d".into()), None).is_err());
        let schedule = Schedule::from_settings(Some("/b".into()), None, Some("3".into()))
            .unwrap()
            .unwrap();
        assert_eq!(schedule.every, Duration::from_secs(86_400));
        assert_eq!(schedule.keep, 3);
        assert!(Schedule::from_settings(Some("/b".into()), None, Some("0".into())).is_err());
    }

    #[test]
    fn pruning_keeps_the_newest_and_touches_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "mamar-backup-20261201T000000Z.mamar",
            "mamar-backup-20261203T000000Z.mamar",
            "mamar-backup-20261202T000000Z.mamar",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let removed = prune(dir.path(), 2).unwrap();
        assert_eq!(
            removed,
            vec![dir.path().join("mamar-backup-20261201T000000Z.mamar")]
        );
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "mamar-backup-20261202T000000Z.mamar",
                "mamar-backup-20261203T000000Z.mamar",
                "notes.txt"
            ]
        );
    }
}
