//! `mamar serve` as an operator meets it: first start, shutdown, and every
//! kind of bad configuration ending in one clear line.

use std::process::Output;

use crate::support::{Server, mamar, run};

#[test]
fn first_start_creates_the_data_directory_and_shows_the_setup_page() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("nested").join("mamar-data");
    let server = Server::start(&data_dir);
    assert!(data_dir.join("mamar.sqlite3").exists());

    let (status, body) = server.get("/ar/");
    assert_eq!(status, 503);
    assert!(body.contains("mamar init"), "{body}");
    assert!(body.contains(r#"dir="rtl""#));
    let (status, body) = server.get("/health");
    assert_eq!(
        (status, body.as_str()),
        (
            200,
            r#"{"status":"ok","setup":"required","storage":"ok","keys":"present"}"#
        )
    );

    let (clean, log) = server.terminate();
    assert!(clean, "exit after SIGTERM was not clean: {log:?}");
    assert!(log.iter().any(|line| line.contains("stopped cleanly")), "{log:?}");
    // The database was closed properly: SQLite folds the WAL back in on the last close.
    let wal = data_dir.join("mamar.sqlite3-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "the WAL was left behind"
    );
}

fn assert_one_clear_line(output: &Output, expected: &str) {
    assert!(!output.status.success(), "should have failed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().filter(|line| !line.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "want one line, got: {stderr}");
    assert!(lines[0].starts_with("mamar: "), "{stderr}");
    assert!(lines[0].contains(expected), "want {expected:?} in: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_configuration_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mamar.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\nlisten_prot = 8080\n").unwrap();
    let output = run(mamar().args(["serve", "--config"]).arg(&config));
    assert_one_clear_line(&output, "line 2");
    assert_one_clear_line(&output, "listen_prot");
}

#[test]
fn a_malformed_database_url_is_refused_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(mamar()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("MAMAR_DATABASE_URL", "mysql://root:topsecret@db/mamar"));
    assert_one_clear_line(&output, "postgres://");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("topsecret"));
}

#[test]
fn a_data_directory_that_cannot_be_created_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let output = run(mamar()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(blocker.join("data")));
    assert_one_clear_line(&output, "cannot create the data directory");
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = run(mamar()
        .args(["serve", "--listen", &address, "--data-dir"])
        .arg(dir.path()));
    assert_one_clear_line(&output, &format!("cannot listen on {address}"));
}

#[test]
fn an_unreachable_postgres_server_is_named_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(mamar()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env(
            "MAMAR_DATABASE_URL",
            "postgres://mamar:topsecret@127.0.0.1:1/mamar",
        ));
    assert_one_clear_line(&output, "cannot reach PostgreSQL at 127.0.0.1:1");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("topsecret"));
}

#[test]
fn a_bad_listen_address_is_explained() {
    let output = run(mamar().args(["serve", "--listen", "localhost"]));
    assert_one_clear_line(&output, "IP:PORT");
}

#[test]
fn a_broken_questionnaire_file_stops_the_server_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let questionnaire = dir.path().join("questionnaire.toml");
    std::fs::write(
        &questionnaire,
        "id = \"broken\"\n[[fields]]\nid = \"x\"\nkind = \"telepathy\"\n",
    )
    .unwrap();
    let output = run(mamar()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .env("MAMAR_QUESTIONNAIRE_FILE", &questionnaire));
    assert_one_clear_line(&output, "questionnaire file");
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[test]
fn listening_beyond_this_machine_warns_that_tls_or_an_onion_service_must_be_in_front() {
    let dir = tempfile::tempdir().unwrap();
    let warning = "serve it only behind TLS or a Tor onion service";
    let (_, public) = Server::start_listening(&dir.path().join("a"), "0.0.0.0:0", &[]).terminate();
    assert!(public.iter().any(|line| line.contains(warning)), "{public:?}");
    let (_, local) = Server::start(&dir.path().join("b")).terminate();
    assert!(!local.iter().any(|line| line.contains(warning)), "{local:?}");
}

/// Reads until the server closes the connection; false if it is still open after `wait`.
fn closed_by_server(stream: &mut std::net::TcpStream, wait: std::time::Duration) -> bool {
    use std::io::Read;
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn slow_and_idle_clients_are_dropped_after_their_timeouts_while_others_are_served() {
    use std::io::Write;
    use std::net::TcpStream;
    use std::path::Path;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &dir.path().join("data"),
        &[
            ("MAMAR_HEADER_TIMEOUT_SECS", Path::new("1")),
            ("MAMAR_BODY_TIMEOUT_SECS", Path::new("1")),
            ("MAMAR_IDLE_TIMEOUT_SECS", Path::new("2")),
            ("MAMAR_MAX_CONNECTIONS", Path::new("16")),
        ],
    );
    let connect = || TcpStream::connect(&server.address).unwrap();
    let mut slow = Vec::new();
    for _ in 0..8 {
        // Half-sent headers.
        let mut stream = connect();
        stream.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").unwrap();
        slow.push(("headers", stream));
        // Headers sent, the body never finished.
        let mut stream = connect();
        stream
            .write_all(
                b"POST /en/contact HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nurgency=",
            )
            .unwrap();
        slow.push(("body", stream));
        // Connected, and silent.
        slow.push(("idle", connect()));
    }
    // Twenty-four slow clients against a cap of sixteen: a real client is still served.
    let (status, body) = server.get("/health");
    assert_eq!(status, 200, "{body}");
    for (kind, stream) in &mut slow {
        assert!(
            closed_by_server(stream, std::time::Duration::from_secs(20)),
            "a client stalled in its {kind} was not dropped"
        );
    }
    // A kept-alive connection that goes quiet is closed too.
    let mut kept = connect();
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert!(closed_by_server(&mut kept, std::time::Duration::from_secs(20)));
    let (status, _) = server.get("/health");
    assert_eq!(status, 200);
}

#[test]
fn no_client_address_is_logged_even_at_trace_level() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &dir.path().join("data"),
        &[("MAMAR_LOG", std::path::Path::new("trace"))],
    );
    let mut ports = Vec::new();
    for request in [
        &b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..],
        b"GET /en/contact HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
    ] {
        let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
        ports.push(stream.local_addr().unwrap().port().to_string());
        stream.write_all(request).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(
            answer.starts_with(b"HTTP/1.1 "),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    let (_, log) = server.terminate();
    assert!(log.len() > 10, "trace logging is on: {log:?}");
    for line in &log {
        for port in &ports {
            assert!(
                !line.contains(&format!(":{port}")),
                "a client address was logged: {line}"
            );
        }
    }
}
