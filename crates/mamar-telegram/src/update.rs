//! An update from the Bot API, read into the few shapes the conversation
//! knows. Anything else (a sticker, a file, a forwarded or edited message,
//! a field of the wrong type) becomes `Unsupported` or `Malformed`; reading
//! never fails and never panics.

use serde::Deserialize;
use serde_json::Value;

/// What a person did, reduced to what the bot acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A typed message in a private chat.
    Text {
        chat: i64,
        message: i64,
        text: String,
        language: Option<String>,
    },
    /// A press on one of the bot's buttons.
    Button {
        id: String,
        chat: i64,
        message: i64,
        data: String,
        language: Option<String>,
    },
    /// A message the bot does not read: it is deleted and the person told.
    Unsupported {
        chat: i64,
        message: i64,
        what: Unsupported,
        language: Option<String>,
    },
    /// Not for the bot (a group, a channel post) or not readable at all.
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// A sticker, photo, file, voice, location…: anything but text.
    NotText,
    Edited,
    Forwarded,
}

#[derive(Deserialize)]
struct Update {
    update_id: i64,
    message: Option<Message>,
    edited_message: Option<Message>,
    callback_query: Option<Callback>,
}

#[derive(Deserialize)]
struct Message {
    message_id: i64,
    chat: Chat,
    from: Option<User>,
    text: Option<String>,
    forward_origin: Option<Value>,
    forward_date: Option<Value>,
}

#[derive(Deserialize)]
struct Chat {
    id: i64,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct User {
    language_code: Option<String>,
}

#[derive(Deserialize)]
struct Callback {
    id: String,
    from: Option<User>,
    message: Option<Message>,
    data: Option<String>,
}

/// The update's id, if it has one (so that even an unreadable update is
/// passed over rather than fetched again and again).
pub fn update_id(raw: &Value) -> Option<i64> {
    raw.get("update_id").and_then(Value::as_i64)
}

/// Reads one update.
pub fn read(raw: &Value) -> Incoming {
    let Ok(update) = Update::deserialize(raw) else {
        return Incoming::Ignored;
    };
    let _ = update.update_id;
    let language = |from: &Option<User>| from.as_ref().and_then(|user| user.language_code.clone());
    if let Some(message) = update.edited_message {
        if message.chat.kind != "private" {
            return Incoming::Ignored;
        }
        return Incoming::Unsupported {
            chat: message.chat.id,
            message: message.message_id,
            what: Unsupported::Edited,
            language: language(&message.from),
        };
    }
    if let Some(callback) = update.callback_query {
        let (Some(message), Some(data)) = (callback.message, callback.data) else {
            return Incoming::Ignored;
        };
        if message.chat.kind != "private" {
            return Incoming::Ignored;
        }
        return Incoming::Button {
            id: callback.id,
            chat: message.chat.id,
            message: message.message_id,
            data,
            language: language(&callback.from),
        };
    }
    let Some(message) = update.message else {
        return Incoming::Ignored;
    };
    if message.chat.kind != "private" {
        return Incoming::Ignored;
    }
    let language = language(&message.from);
    let (chat, id) = (message.chat.id, message.message_id);
    if message.forward_origin.is_some() || message.forward_date.is_some() {
        return Incoming::Unsupported {
            chat,
            message: id,
            what: Unsupported::Forwarded,
            language,
        };
    }
    match message.text {
        Some(text) => Incoming::Text {
            chat,
            message: id,
            text,
            language,
        },
        None => Incoming::Unsupported {
            chat,
            message: id,
            what: Unsupported::NotText,
            language,
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn updates_are_read_whatever_they_hold() {
        let text = json!({"update_id": 1, "message": {"message_id": 5, "date": 0,
            "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": false,
            "first_name": "x", "language_code": "ar"}, "text": "hello"}});
        assert_eq!(
            read(&text),
            Incoming::Text {
                chat: 42,
                message: 5,
                text: "hello".into(),
                language: Some("ar".into())
            }
        );
        let sticker = json!({"update_id": 2, "message": {"message_id": 6, "date": 0,
            "chat": {"id": 42, "type": "private"}, "sticker": {"file_id": "x"}}});
        assert!(matches!(
            read(&sticker),
            Incoming::Unsupported {
                what: Unsupported::NotText,
                ..
            }
        ));
        let group = json!({"update_id": 3, "message": {"message_id": 6, "date": 0,
            "chat": {"id": -42, "type": "group"}, "text": "hi"}});
        assert_eq!(read(&group), Incoming::Ignored);
        for junk in [
            json!(null),
            json!({"update_id": "x"}),
            json!({"update_id": 4, "message": {"chat": 5}}),
            json!([1, 2]),
        ] {
            assert_eq!(read(&junk), Incoming::Ignored, "{junk}");
        }
        assert_eq!(update_id(&json!({"update_id": 9, "message": 3})), Some(9));
    }
}
