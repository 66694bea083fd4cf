//! Runs the real `mamar` binary as an operator would.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

thread_local! {
    /// The database every command started from this thread uses; unset, the embedded SQLite.
    static DATABASE_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Until the guard is dropped, commands started from this thread use the database at `url`.
pub fn use_database(url: &str) -> DatabaseGuard {
    DATABASE_URL.with(|current| *current.borrow_mut() = Some(url.to_owned()));
    DatabaseGuard
}

pub struct DatabaseGuard;

/// The database commands started from this thread use (`None`: the data directory's SQLite).
pub fn current_database_url() -> Option<String> {
    DATABASE_URL.with(|url| url.borrow().clone())
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        DATABASE_URL.with(|current| *current.borrow_mut() = None);
    }
}

pub fn mamar() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mamar"));
    // Settings from the developer's shell must not leak into the tests.
    for (key, _) in std::env::vars() {
        if key.starts_with("MAMAR_") {
            command.env_remove(key);
        }
    }
    // Nor the terminal's language: commands that follow it answer in English here.
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(key);
    }
    DATABASE_URL.with(|url| {
        if let Some(url) = url.borrow().as_deref() {
            command.env("MAMAR_DATABASE_URL", url);
        }
    });
    command.stdin(Stdio::null());
    command
}

/// Runs a command to completion and returns its output.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the mamar binary runs")
}

/// A `mamar serve` process and the address it listens on.
pub struct Server {
    pub child: Child,
    pub address: String,
    pub log: mpsc::Receiver<String>,
}

impl Server {
    pub fn start(data_dir: &Path) -> Server {
        Self::start_with(data_dir, &[])
    }

    /// Starts `mamar serve` with extra environment variables.
    pub fn start_with(data_dir: &Path, env: &[(&str, &Path)]) -> Server {
        Self::start_listening(data_dir, "127.0.0.1:0", env)
    }

    /// Starts `mamar serve` on `listen` (a free port: `…:0`).
    pub fn start_listening(data_dir: &Path, listen: &str, env: &[(&str, &Path)]) -> Server {
        let mut child = mamar()
            .args(["serve", "--listen", listen, "--data-dir"])
            .arg(data_dir)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stderr(Stdio::piped())
            .spawn()
            .expect("mamar serve starts");
        let stderr = child.stderr.take().unwrap();
        let (sender, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let address = loop {
            let line = log
                .recv_timeout(Duration::from_secs(30))
                .expect("mamar serve says where it listens");
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.trim_end_matches('/').to_owned();
            }
        };
        Server { child, address, log }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http_get(&self.address, path)
    }

    /// Sends SIGTERM and waits for the process to end; returns whether it exited successfully
    /// and everything it logged.
    pub fn terminate(mut self) -> (bool, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        let mut lines = Vec::new();
        while let Ok(line) = self.log.recv_timeout(Duration::from_secs(2)) {
            lines.push(line);
        }
        (exit.success(), lines)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.0 GET, enough for these tests and free of client state.
pub fn http_get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// A plain HTTP/1.0 form POST; returns the status and the raw response head and body.
pub fn http_post_form(address: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A plain HTTP/1.0 request with extra headers; returns the status and the whole response.
pub fn http_request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {address}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// Percent-encodes a form value.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The files in `dir` (not hidden ones), sorted; none when it does not exist.
pub fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && !path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    files.sort();
    files
}

/// The staff page of the newest request in the inbox (the inbox lists
/// requests; each is read on its own page), as the session `cookie` sees it.
pub fn newest_request_page(server: &Server, cookie: &str) -> String {
    let with_cookie = [("Cookie", cookie)];
    let (_, inbox) = http_request(&server.address, "GET", "/en/staff/inbox", &with_cookie, "");
    let request = inbox
        .split("href=\"/en/staff/inbox/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let (_, page) = http_request(
        &server.address,
        "GET",
        &format!("/en/staff/inbox/{request}"),
        &with_cookie,
        "",
    );
    page
}
