//! The few Bot API methods the channel uses, as JSON over HTTPS
//! (`POST {base}/bot{token}/{method}`). The token is part of every address,
//! so no address is ever logged, and errors carry no address either.

use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_tls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

/// The largest answer read from the Bot API (a batch of 100 updates of
/// 4,096 characters each fits many times over).
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// The longest text one message may carry: Telegram counts 4,096 characters
/// in UTF-16 code units (an emoji outside the basic plane counts two).
pub const MAX_MESSAGE_UNITS: usize = 4096;

/// `text` cut into parts of at most `limit` UTF-16 code units, each cut at
/// the last line break in reach, else the last space, else between two
/// characters: a long message arrives whole, in order, with no word broken
/// where a break could be found. Never an empty part, unless `text` is empty.
pub fn split_message(text: &str, limit: usize) -> Vec<&str> {
    let limit = limit.max(2);
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        // Where `rest` would overflow, as a byte offset.
        let mut units = 0;
        let overflow = rest.char_indices().find_map(|(at, c)| {
            units += c.len_utf16();
            (units > limit).then_some(at)
        });
        let Some(overflow) = overflow else {
            parts.push(rest);
            return parts;
        };
        let head = &rest[..overflow];
        let cut = head
            .rfind('\n')
            .or_else(|| head.rfind(char::is_whitespace))
            .filter(|&at| at > 0)
            .unwrap_or(overflow);
        let piece = rest[..cut].trim_end();
        if !piece.is_empty() {
            parts.push(piece);
        }
        rest = rest[cut..].trim_start_matches(['\n', ' ']);
        if rest.is_empty() {
            return parts;
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The Bot API could not be reached or did not answer in time.
    #[error("the Bot API is unreachable")]
    Unreachable,
    /// It answered with an error (`ok: false`), e.g. a message already deleted.
    #[error("the Bot API refused {method}: {code} {description}")]
    Refused {
        method: &'static str,
        code: i64,
        description: String,
    },
    /// It answered something that is not the Bot API's JSON.
    #[error("the Bot API's answer to {0} does not read")]
    Malformed(&'static str),
    #[error("the Bot API base URL is not an http(s) URL")]
    BadBaseUrl,
}

/// The configured base URL and token, and one pooled HTTPS client.
#[derive(Clone)]
pub struct BotApi {
    /// `{base}/bot{token}/`: secret, never logged.
    prefix: std::sync::Arc<Zeroizing<String>>,
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    /// Ordinary calls; `getUpdates` adds its long-poll time to this.
    timeout: Duration,
}

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotApi([REDACTED])")
    }
}

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    result: Value,
    #[serde(default)]
    error_code: i64,
    #[serde(default)]
    description: String,
}

/// An inline keyboard: rows of (label, callback data) buttons, or a link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyboard(pub Vec<Vec<Button>>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Button {
    Callback { label: String, data: String },
    Link { label: String, url: String },
}

impl Keyboard {
    fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .0
            .iter()
            .map(|row| {
                Value::Array(
                    row.iter()
                        .map(|button| match button {
                            Button::Callback { label, data } => json!({"text": label, "callback_data": data}),
                            Button::Link { label, url } => json!({"text": label, "url": url}),
                        })
                        .collect(),
                )
            })
            .collect();
        json!({ "inline_keyboard": rows })
    }
}

impl BotApi {
    /// `base` is the Bot API's address (`https://api.telegram.org`, or a
    /// local Bot API server); `token` is BotFather's token.
    pub fn new(base: &str, token: &str, timeout: Duration) -> Result<Self, ApiError> {
        let base = base.trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(ApiError::BadBaseUrl);
        }
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(timeout));
        let tls = hyper_tls::native_tls::TlsConnector::new().map_err(|_| ApiError::Unreachable)?;
        let connector = HttpsConnector::from((http, tls.into()));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector);
        Ok(BotApi {
            prefix: std::sync::Arc::new(Zeroizing::new(format!("{base}/bot{}/", token.trim()))),
            client,
            timeout,
        })
    }

    async fn call(&self, method: &'static str, body: Value, wait: Duration) -> Result<Value, ApiError> {
        let request = hyper::Request::post(format!("{}{method}", self.prefix.as_str()))
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|_| ApiError::BadBaseUrl)?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|_| ApiError::Unreachable)?;
            Limited::new(response.into_body(), MAX_ANSWER_BYTES)
                .collect()
                .await
                .map(|collected| collected.to_bytes())
                .map_err(|_| ApiError::Unreachable)
        };
        let bytes = tokio::time::timeout(self.timeout + wait, exchange)
            .await
            .map_err(|_| ApiError::Unreachable)??;
        let answer: Answer = serde_json::from_slice(&bytes).map_err(|_| ApiError::Malformed(method))?;
        if answer.ok {
            Ok(answer.result)
        } else {
            Err(ApiError::Refused {
                method,
                code: answer.error_code,
                description: answer.description,
            })
        }
    }

    /// Updates after `offset`, waiting up to `wait` for one (long polling).
    /// Each update is returned as it came, so one that does not read cannot
    /// take the others with it.
    pub async fn get_updates(&self, offset: i64, wait: Duration) -> Result<Vec<Value>, ApiError> {
        let body = json!({
            "offset": offset,
            "timeout": wait.as_secs(),
            "allowed_updates": ["message", "edited_message", "callback_query"],
        });
        match self.call("getUpdates", body, wait).await? {
            Value::Array(updates) => Ok(updates),
            _ => Err(ApiError::Malformed("getUpdates")),
        }
    }

    /// Sends `text` to `chat`, in as many messages as Telegram's length limit
    /// needs (a reply or a first request may be longer than one message
    /// holds); the keyboard goes under the last. Returns every new message's
    /// id, in order. A part that fails stops the rest.
    pub async fn send_message(
        &self,
        chat: i64,
        text: &str,
        keyboard: Option<&Keyboard>,
    ) -> Result<Vec<i64>, ApiError> {
        let parts = split_message(text, MAX_MESSAGE_UNITS);
        let last = parts.len().saturating_sub(1);
        let mut ids = Vec::with_capacity(parts.len());
        for (index, part) in parts.into_iter().enumerate() {
            let mut body = json!({
                "chat_id": chat,
                "text": part,
                "link_preview_options": {"is_disabled": true},
                "protect_content": true,
            });
            if let Some(keyboard) = keyboard.filter(|_| index == last) {
                body["reply_markup"] = keyboard.to_json();
            }
            let sent = self.call("sendMessage", body, Duration::ZERO).await?;
            ids.push(
                sent.get("message_id")
                    .and_then(Value::as_i64)
                    .ok_or(ApiError::Malformed("sendMessage"))?,
            );
        }
        Ok(ids)
    }

    pub async fn delete_message(&self, chat: i64, message: i64) -> Result<(), ApiError> {
        self.call(
            "deleteMessage",
            json!({"chat_id": chat, "message_id": message}),
            Duration::ZERO,
        )
        .await
        .map(|_| ())
    }

    /// Replaces the buttons under a message (the ticks of a multiple choice).
    pub async fn edit_keyboard(&self, chat: i64, message: i64, keyboard: &Keyboard) -> Result<(), ApiError> {
        self.call(
            "editMessageReplyMarkup",
            json!({"chat_id": chat, "message_id": message, "reply_markup": keyboard.to_json()}),
            Duration::ZERO,
        )
        .await
        .map(|_| ())
    }

    /// Stops the button's spinner.
    pub async fn answer_callback(&self, id: &str) -> Result<(), ApiError> {
        self.call(
            "answerCallbackQuery",
            json!({"callback_query_id": id}),
            Duration::ZERO,
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::split_message;

    #[test]
    fn a_short_text_is_one_part() {
        assert_eq!(split_message("سلام", 4096), vec!["سلام"]);
        assert_eq!(split_message("", 4096), vec![""]);
    }

    #[test]
    fn a_long_text_is_cut_at_line_breaks_then_spaces_and_loses_nothing() {
        let text = "one two\nthree four five\nsix";
        let parts = split_message(text, 12);
        assert_eq!(parts, vec!["one two", "three four", "five\nsix"]);
        // A word longer than the limit is cut between characters.
        assert_eq!(split_message("abcdefgh", 3), vec!["abc", "def", "gh"]);
    }

    #[test]
    fn the_limit_counts_utf16_units_as_telegram_does() {
        // Each of these emoji is two UTF-16 code units.
        let text = "😀😀😀";
        let parts = split_message(text, 4);
        assert_eq!(parts, vec!["😀😀", "😀"]);
        assert!(parts.iter().all(|part| part.encode_utf16().count() <= 4));
    }
}
