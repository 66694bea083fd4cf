//! A full disk: SQLite's page limit (`max_page_count`) stands in for a file
//! system with no space left. Every write the intake writer acknowledges
//! must be stored, the writer must recover by itself once space returns,
//! and nothing acknowledged may be missing after a reopen.

use std::path::Path;
use std::sync::Arc;

use mamar_store::{IntakeRequest, IntakeWrite, IntakeWriter, SqliteStore, Store, WriteError};
use sqlx::{Connection, Row, SqliteConnection};

/// The database may grow to this many pages (4 KiB each) and no further.
const PAGE_LIMIT: u32 = 600;

fn request(n: u32) -> IntakeWrite {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&n.to_le_bytes());
    IntakeWrite::Request(IntakeRequest {
        id,
        lookup_tag: id.to_vec(),
        requester_key: vec![1; 32],
        sealed: vec![2; 900],
        intake_generation: 1,
        received_month: "2026-12".into(),
    })
}

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
    for task in tasks {
        match task.await.unwrap() {
            (n, Ok(())) => acknowledged.push(n),
            (_, Err(WriteError::Busy)) => {}
            (_, Err(_)) => failed += 1,
        }
    }
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_loses_nothing_acknowledged_and_the_writer_recovers_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("full.sqlite3");
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open_with_page_limit(&path, PAGE_LIMIT)
            .await
            .unwrap(),
    );
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
    let writer = IntakeWriter::spawn(store.clone(), 4096, 64);
    let mut acknowledged = Vec::new();
    let mut failed = 0;
    let mut next = 0;
    // Write until the disk is full and writes fail, and then some more.
    let start = std::time::Instant::now();
    for _ in 0..40 {
        let (ok, bad) = flood(&writer, next..next + 100).await;
        eprintln!("{:?}: {} acknowledged, {bad} failed", start.elapsed(), ok.len());
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
        "acknowledged while full"
    );

    // Space comes back: another process frees its table.
    sqlx::query("DELETE FROM filler")
        .execute(&mut other)
        .await
        .unwrap();
    drop(other);
    // The writer takes new requests again without a restart.
    let (after, still_failing) = flood(&writer, next..next + 200).await;
    assert_eq!(still_failing, 0, "the writer did not recover once space returned");
    assert_eq!(after.len(), 200);
    acknowledged.extend(after);
    assert_eq!(
        missing(store.as_ref(), &acknowledged).await,
        Vec::<u32>::new(),
        "after recovery"
    );
    drop(writer);
    store.close().await;

    // And after a restart.
    let reopened = SqliteStore::open(&path).await.unwrap();
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

/// A real file system of a few megabytes (tmpfs, mounted here: needs root,
/// which CI has), filled to the last byte by a file of another process.
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
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    }
    let _unmount = Unmount(mount.clone());
    let path = mount.join("small.sqlite3");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path).await.unwrap());
    // Leave about 1 MB free.
    let ballast = mount.join("ballast");
    let _ = std::fs::write(&ballast, vec![0u8; 2_600_000]);
    let writer = IntakeWriter::spawn(store.clone(), 4096, 64);
    let mut acknowledged = Vec::new();
    let mut failed = 0;
    let mut next = 0;
    let start = std::time::Instant::now();
    for _ in 0..60 {
        let (ok, bad) = flood(&writer, next..next + 100).await;
        eprintln!("{:?}: {} acknowledged, {bad} failed", start.elapsed(), ok.len());
        next += 100;
        acknowledged.extend(ok);
        failed += bad;
        if failed > 300 {
            break;
        }
    }
    eprintln!(
        "full after {:?}: {} acknowledged, {failed} failed",
        start.elapsed(),
        acknowledged.len()
    );
    assert!(
        failed > 0,
        "the disk never filled ({} acknowledged)",
        acknowledged.len()
    );
    assert_eq!(
        missing(store.as_ref(), &acknowledged).await,
        Vec::<u32>::new(),
        "acknowledged while full"
    );
    std::fs::remove_file(&ballast).unwrap();
    let (after, still_failing) = flood(&writer, next..next + 200).await;
    eprintln!(
        "after freeing {:?}: {} acknowledged, {still_failing} failed",
        start.elapsed(),
        after.len()
    );
    acknowledged.extend(after.iter().copied());
    assert_eq!(
        missing(store.as_ref(), &acknowledged).await,
        Vec::<u32>::new(),
        "after recovery"
    );
    assert_eq!(still_failing, 0, "the writer did not recover once space returned");
    drop(writer);
    store.close().await;
    let reopened = SqliteStore::open(&path).await.unwrap();
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

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
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
