//! A Bot API double: an HTTP server in the test that speaks the Bot API's
//! JSON (`POST /{server}/bot{token}/{method}`), fed with update payloads
//! shaped like Telegram's, and recording what the bot did.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};

pub const TOKEN: &str = "123456:TEST-token";

#[derive(Debug, Clone)]
pub struct Sent {
    pub chat: i64,
    pub id: i64,
    pub text: String,
    pub buttons: Vec<String>,
}

#[derive(Default)]
pub struct Record {
    pub next_id: i64,
    pub next_update: i64,
    pub updates: Vec<Value>,
    pub sent: Vec<Sent>,
    pub deleted: Vec<(i64, i64)>,
    /// Which server (the first path segment) called getUpdates, in order.
    pub polls: Vec<String>,
    /// Answer every call with a 502 (the Bot API unreachable).
    pub down: bool,
}

#[derive(Clone, Default)]
pub struct Double {
    pub record: Arc<Mutex<Record>>,
    pub base: String,
}

impl Double {
    pub async fn start() -> Double {
        let mut double = Double::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        double.base = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route("/{server}/{bot}/{method}", axum::routing::post(call))
            .with_state(double.record.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        double
    }

    /// The base URL one server uses (servers are told apart by path).
    pub fn url(&self, server: &str) -> String {
        format!("{}/{server}", self.base)
    }

    pub fn next_id(&self) -> i64 {
        let mut record = self.record.lock().unwrap();
        record.next_id += 1;
        record.next_id
    }

    /// Queues an update; returns its id.
    pub fn push(&self, mut update: Value) -> i64 {
        let mut record = self.record.lock().unwrap();
        record.next_update += 1;
        let id = record.next_update;
        update["update_id"] = json!(id);
        record.updates.push(update);
        id
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.record.lock().unwrap().sent.clone()
    }

    pub fn last_sent(&self, chat: i64) -> Sent {
        self.sent().into_iter().rev().find(|s| s.chat == chat).unwrap()
    }

    pub fn deleted(&self) -> Vec<(i64, i64)> {
        self.record.lock().unwrap().deleted.clone()
    }

    pub fn polls(&self) -> Vec<String> {
        self.record.lock().unwrap().polls.clone()
    }

    pub fn set_down(&self, down: bool) {
        self.record.lock().unwrap().down = down;
    }
}

fn ok(result: Value) -> Json<Value> {
    Json(json!({"ok": true, "result": result}))
}

async fn call(
    State(record): State<Arc<Mutex<Record>>>,
    Path((server, bot, method)): Path<(String, String, String)>,
    Json(body): Json<Value>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if bot != format!("bot{TOKEN}") {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
        )
            .into_response();
    }
    if record.lock().unwrap().down {
        return axum::http::StatusCode::BAD_GATEWAY.into_response();
    }
    match method.as_str() {
        "getUpdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            let wait = body["timeout"].as_u64().unwrap_or(0);
            let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
            loop {
                {
                    let mut record = record.lock().unwrap();
                    record.polls.push(server.clone());
                    // As Telegram does: an offset confirms every update before it.
                    record
                        .updates
                        .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    if !record.updates.is_empty() {
                        let batch: Vec<Value> = record.updates.iter().take(100).cloned().collect();
                        return ok(Value::Array(batch)).into_response();
                    }
                }
                if tokio::time::Instant::now() >= deadline {
                    return ok(json!([])).into_response();
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        "sendMessage" => {
            // As Telegram does: no more than 4,096 UTF-16 code units a message.
            let units = body["text"].as_str().map_or(0, |t| t.encode_utf16().count());
            if units > 4096 {
                return (
                    axum::http::StatusCode::BAD_REQUEST,
                    Json(json!({"ok": false, "error_code": 400, "description": "Bad Request: message is too long"})),
                )
                    .into_response();
            }
            let mut record = record.lock().unwrap();
            record.next_id += 1;
            let id = record.next_id;
            let buttons = body["reply_markup"]["inline_keyboard"]
                .as_array()
                .map(|rows| {
                    rows.iter()
                        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
                        .filter_map(|b| b["callback_data"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            record.sent.push(Sent {
                chat: body["chat_id"].as_i64().unwrap(),
                id,
                text: body["text"].as_str().unwrap().to_owned(),
                buttons,
            });
            ok(json!({"message_id": id, "date": 0, "chat": {"id": body["chat_id"], "type": "private"}}))
                .into_response()
        }
        "deleteMessage" => {
            record.lock().unwrap().deleted.push((
                body["chat_id"].as_i64().unwrap(),
                body["message_id"].as_i64().unwrap(),
            ));
            ok(json!(true)).into_response()
        }
        "editMessageReplyMarkup" | "answerCallbackQuery" => ok(json!(true)).into_response(),
        _ => (
            axum::http::StatusCode::NOT_FOUND,
            Json(json!({"ok": false, "error_code": 404, "description": "Not Found"})),
        )
            .into_response(),
    }
}

/// A private text message, as Telegram sends it.
pub fn text(double: &Double, chat: i64, language: &str, text: &str) -> (i64, Value) {
    let id = double.next_id();
    let mut message = json!({
        "message_id": id, "date": 1_765_000_000,
        "chat": {"id": chat, "first_name": "Test", "type": "private"},
        "from": {"id": chat, "is_bot": false, "first_name": "Test", "language_code": language},
        "text": text,
    });
    if text.starts_with('/') {
        let length = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .encode_utf16()
            .count();
        message["entities"] = json!([{"offset": 0, "length": length, "type": "bot_command"}]);
    }
    (id, json!({"update_id": 0, "message": message}))
}

/// A press on a button under the bot's message `on`.
pub fn press(chat: i64, language: &str, on: i64, data: &str) -> Value {
    json!({"update_id": 0, "callback_query": {
        "id": format!("cb{on}{data}"), "chat_instance": "1",
        "from": {"id": chat, "is_bot": false, "first_name": "Test", "language_code": language},
        "message": {"message_id": on, "date": 1_765_000_000,
            "chat": {"id": chat, "first_name": "Test", "type": "private"},
            "from": {"id": 1, "is_bot": true, "first_name": "mamar"}, "text": "q"},
        "data": data,
    }})
}
