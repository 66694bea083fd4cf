//! Intake never loses an acknowledged request. A steady load of submissions
//! runs on loopback while the server is killed with SIGKILL at random
//! moments, again and again; after every kill the database passes SQLite's
//! integrity check and holds every request whose codename was shown, and at
//! the end every codename still opens its request.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{Connection, Row, SqliteConnection};

use crate::init::init;
use crate::support::{Server, form_encode};

const CYCLES: usize = 200;
/// Bounds the whole test, whatever the machine's speed.
const TIME_LIMIT: Duration = Duration::from_secs(240);
const WRITERS: usize = 4;

/// A request that gives up quietly when the server dies under it.
fn try_post(address: &str, path: &str, body: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let head = format!(
        "POST {path} HTTP/1.0\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    Some(String::from_utf8_lossy(&raw).into_owned())
}

fn codename_in(response: &str) -> Option<String> {
    if !response.starts_with("HTTP/1.0 200") && !response.starts_with("HTTP/1.1 200") {
        return None;
    }
    let start = response.find(r#"id="codename">"#)? + r#"id="codename">"#.len();
    Some(response[start..].split('<').next()?.trim().to_owned())
}

async fn check_database(path: &std::path::Path) -> i64 {
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let integrity: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get(0);
    assert_eq!(integrity, "ok");
    let count: i64 = sqlx::query("SELECT COUNT(*) FROM intake_request")
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get(0);
    db.close().await.unwrap();
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_requests_survive_repeated_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let database = data.join("mamar.sqlite3");
    let form = form_encode(&[
        ("urgency", "weeks"),
        ("governorate", "sy-id"),
        ("institution", "interior"),
        ("destination", "undecided"),
        ("message", "durability"),
        ("codename_language", "en"),
    ]);
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let started = Instant::now();
    let mut seed = started.elapsed().as_nanos() as u64 | 1;
    let mut cycles = 0;
    while cycles < CYCLES && started.elapsed() < TIME_LIMIT {
        let server = Server::start(&data);
        let acked_before = acknowledged.lock().unwrap().len();
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let (address, form, stop, acknowledged) = (
                    server.address.clone(),
                    form.clone(),
                    stop.clone(),
                    acknowledged.clone(),
                );
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        match try_post(&address, "/en/contact", &form) {
                            Some(response) => {
                                if let Some(codename) = codename_in(&response) {
                                    acknowledged.lock().unwrap().push(codename);
                                }
                            }
                            None => break,
                        }
                    }
                })
            })
            .collect();
        // The load is under way once this run of the server has acknowledged a request: on a
        // busy machine its start can take longer than the kill's whole window.
        let waiting_since = Instant::now();
        while acknowledged.lock().unwrap().len() == acked_before
            && waiting_since.elapsed() < Duration::from_secs(10)
        {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // xorshift: a kill somewhere between 0 and 55 ms later, in the midst of the writes.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(Duration::from_millis(seed % 56)).await;
        let mut server = server;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.join().unwrap();
        }
        drop(server);
        let stored = check_database(&database).await;
        let acked = acknowledged.lock().unwrap().len() as i64;
        assert!(
            stored >= acked,
            "cycle {cycles}: {acked} acknowledged but {stored} stored"
        );
        cycles += 1;
    }
    let codenames = acknowledged.lock().unwrap().clone();
    println!(
        "durability: {cycles} SIGKILL cycles, {} acknowledged submissions",
        codenames.len()
    );
    assert!(cycles >= CYCLES || started.elapsed() >= TIME_LIMIT);
    assert!(
        codenames.len() > cycles,
        "the load was too light to mean anything: the server acknowledged nothing in some runs"
    );

    // Every acknowledged codename still opens its request.
    let server = Server::start(&data);
    for codename in &codenames {
        let body = form_encode(&[("codename", codename), ("action", "view")]);
        let response = try_post(&server.address, "/en/follow-up", &body).unwrap();
        assert!(
            response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
            "lost: {codename}"
        );
    }
}
