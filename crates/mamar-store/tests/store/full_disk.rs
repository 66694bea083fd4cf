//! A full disk under the intake writer: a 4 MB tmpfs filled by another
//! file (when the tests run as root, as in CI), and SQLite's page limit
//! (`max_page_count`) with another connection's table. Every write the
//! writer acknowledges must be stored, the writer must recover by itself
//! once space returns, and nothing acknowledged may be missing after a
//! reopen.

use std::path::Path;
use std::sync::Arc;

use mamar_store::{IntakeWriter, SqliteStore, Store, WriteError};
use sqlx::{Connection, Row, SqliteConnection};

use crate::writer::request;

/// The database may grow to this many pages (4 KiB each) and no further.
const PAGE_LIMIT: u32 = 600;

fn tag(n: u32) -> Vec<u8> {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&n.to_le_bytes());
    id.to_vec()
}

/// Another process's connection, outside the page limit: it fills the
/// "disk" with a table of its own and frees it again.
async fn outsider(path: &Path) -> SqliteConnection {
    let mut conn = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::query("PRAGMA busy_timeout = 10000")
        .execute(&mut conn)
        .await
        .unwrap();
    conn
}

async fn page_count(conn: &mut SqliteConnection) -> i64 {
    sqlx::query("PRAGMA page_count")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0)
}

/// Submits `range` in parallel; returns the numbers acknowledged and how many failed.
async fn flood(writer: &IntakeWriter, range: std::ops::Range<u32>) -> (Vec<u32>, usize) {
    let tasks: Vec<_> = range
        .map(|n| {
            let writer = writer.clone();
            tokio::spawn(async move { (n, writer.submit(request(n)).await) })
        })
        .collect();
    let (mut acknowledged, mut failed) = (Vec::new(), 0);
    // Without the fix the writer stops answering: fail, do not hang.
    let all = async {
        for task in tasks {
            match task.await.unwrap() {
                (n, Ok(())) => acknowledged.push(n),
                (_, Err(WriteError::Busy)) => {}
                (_, Err(_)) => failed += 1,
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), all)
        .await
        .expect("the intake writer stopped answering");
    (acknowledged, failed)
}

async fn missing(store: &dyn Store, acknowledged: &[u32]) -> Vec<u32> {
    let mut missing = Vec::new();
    for &n in acknowledged {
        if store.intake_request_by_tag(&tag(n)).await.unwrap().is_none() {
            missing.push(n);
        }
    }
    missing
}

/// Writes until the disk is full and writes fail (and then some more),
/// calls `free`, writes again, and checks that every acknowledged request
/// is stored: while full, once the writer has recovered by itself, and
/// after a restart — and that nothing unacknowledged was stored.
async fn fill_free_and_check(store: Arc<dyn Store>, path: &Path, free: impl AsyncFnOnce()) {
    let writer = IntakeWriter::spawn(store.clone(), 4096, 64);
    let (mut acknowledged, mut failed, mut next) = (Vec::new(), 0, 0);
    for _ in 0..60 {
        let (ok, bad) = flood(&writer, next..next + 100).await;
        next += 100;
        acknowledged.extend(ok);
        failed += bad;
        if failed > 300 {
            break;
        }
    }
    assert!(
        failed > 0,
        "the disk never filled ({} acknowledged)",
        acknowledged.len()
    );
    assert_eq!(
        missing(store.as_ref(), &acknowledged).await,
        Vec::<u32>::new(),
        "while full"
    );

    free().await;
    // The writer takes new requests again without a restart.
    let (after, still_failing) = flood(&writer, next..next + 200).await;
    acknowledged.extend(after.iter().copied());
    assert_eq!(
        missing(store.as_ref(), &acknowledged).await,
        Vec::<u32>::new(),
        "after recovery"
    );
    assert_eq!(still_failing, 0, "the writer did not recover once space returned");
    assert_eq!(after.len(), 200);
    drop(writer);
    store.close().await;

    let reopened = SqliteStore::open(path).await.unwrap();
    assert_eq!(
        missing(&reopened, &acknowledged).await,
        Vec::<u32>::new(),
        "after a restart"
    );
    let stored = reopened.intake_requests(100_000).await.unwrap().len();
    assert_eq!(
        stored,
        acknowledged.len(),
        "nothing stored that was not acknowledged"
    );
    reopened.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_loses_nothing_acknowledged_and_the_writer_recovers_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full.sqlite3");
    let store = SqliteStore::open_with_page_limit(&path, PAGE_LIMIT)
        .await
        .unwrap();
    let mut other = outsider(&path).await;
    sqlx::query("CREATE TABLE filler (b BLOB)")
        .execute(&mut other)
        .await
        .unwrap();
    // Fill most of the "disk", leaving room for a few hundred requests.
    while page_count(&mut other).await < i64::from(PAGE_LIMIT) - 200 {
        sqlx::query("INSERT INTO filler (b) VALUES (zeroblob(40000))")
            .execute(&mut other)
            .await
            .unwrap();
    }
    // Space comes back: another process frees its table.
    let free = async || {
        sqlx::query("DELETE FROM filler")
            .execute(&mut other)
            .await
            .unwrap();
    };
    fill_free_and_check(Arc::new(store), &path, free).await;
}

/// A real file system of a few megabytes (tmpfs, mounted here: needs root,
/// which CI has), filled to the last byte by another file, which is then
/// deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_file_system_filled_and_freed_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("fs");
    std::fs::create_dir(&mount).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|status| status.success());
    if !mounted {
        eprintln!("skipped: mounting a small tmpfs needs root (the page-limit test covers the rest)");
        return;
    }
    let _unmount = Unmount(mount.clone());
    let path = mount.join("small.sqlite3");
    let store = SqliteStore::open(&path).await.unwrap();
    // Leave about a megabyte free.
    let ballast = mount.join("ballast");
    let _ = std::fs::write(&ballast, vec![0u8; 2_600_000]);
    let free = async || std::fs::remove_file(&ballast).unwrap();
    fill_free_and_check(Arc::new(store), &path, free).await;
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        // Lazily: after a failure the writer may still hold the database open.
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[tokio::test]
async fn the_free_space_counts_the_page_limit_and_the_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let limited = SqliteStore::open_with_page_limit(&dir.path().join("limited.sqlite3"), PAGE_LIMIT)
        .await
        .unwrap();
    let free = limited.free_space().await.unwrap().unwrap();
    assert!(free <= u64::from(PAGE_LIMIT) * 4096, "{free}");
    assert!(free > 0);
    let open = SqliteStore::open(&dir.path().join("open.sqlite3")).await.unwrap();
    assert!(
        open.free_space().await.unwrap().unwrap() > free,
        "a file system has more room than 600 pages"
    );
}
