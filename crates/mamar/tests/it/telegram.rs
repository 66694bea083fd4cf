//! `mamar serve` with a bot token file: the Telegram channel starts, polls the
//! configured Bot API (a double here, on loopback), answers a person with the
//! exposure warning, stops with the server, and never logs the token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::init::init;
use crate::support::Server;

const TOKEN: &str = "424242:canary-bot-token-1d9f";

/// Every Bot API method called, with its JSON body.
type Calls = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A blocking Bot API double: one update (a /start), then empty polls;
/// records every method called with its JSON body.
fn double() -> (String, Calls) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = calls.clone();
    std::thread::spawn(move || {
        let mut served_start = false;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                    break;
                }
                if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let method = path.rsplit('/').next().unwrap_or("").to_owned();
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let authorised = path.starts_with(&format!("/bot{TOKEN}/"));
            seen.lock().unwrap().push((method.clone(), json));
            let result = match (authorised, method.as_str()) {
                (false, _) => None,
                (true, "getUpdates") if !served_start => {
                    served_start = true;
                    Some(
                        serde_json::json!([{"update_id": 7, "message": {"message_id": 1, "date": 0,
                        "chat": {"id": 99_001, "type": "private"},
                        "from": {"id": 99_001, "is_bot": false, "first_name": "T", "language_code": "en"},
                        "text": "/start"}}]),
                    )
                }
                (true, "getUpdates") => {
                    std::thread::sleep(Duration::from_millis(200));
                    Some(serde_json::json!([]))
                }
                (true, "sendMessage") => Some(serde_json::json!({"message_id": 2, "date": 0,
                    "chat": {"id": 99_001, "type": "private"}})),
                (true, _) => Some(serde_json::json!(true)),
            };
            let answer = match result {
                Some(result) => serde_json::json!({"ok": true, "result": result}),
                None => serde_json::json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
            }
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (address, calls)
}

#[test]
fn serve_runs_the_bot_when_a_token_file_is_configured_and_never_logs_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let (api, calls) = double();
    let server = Server::start_with(
        &data,
        &[
            ("MAMAR_TELEGRAM_TOKEN_FILE", token_file.as_path()),
            ("MAMAR_TELEGRAM_API_URL", Path::new(&api)),
            ("MAMAR_TELEGRAM_POLL_SECS", Path::new("1")),
            ("MAMAR_LOG", Path::new("debug")),
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let warning = loop {
        let sent = calls
            .lock()
            .unwrap()
            .iter()
            .find(|(method, _)| method == "sendMessage")
            .map(|(_, body)| body.clone());
        if let Some(sent) = sent {
            break sent;
        }
        assert!(
            Instant::now() < deadline,
            "the bot never answered: {:?}",
            calls.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(warning["chat_id"], 99_001);
    assert!(
        warning["text"]
            .as_str()
            .unwrap()
            .contains("Telegram (the company) can see")
    );
    // The web goes on beside it.
    assert_eq!(server.get("/en/contact").0, 200);
    let (clean, log) = server.terminate();
    assert!(clean, "{log:?}");
    let log = log.join("\n");
    assert!(log.contains("the Telegram channel is on"), "{log}");
    for secret in [TOKEN, "canary-bot-token", "99001"] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
}
