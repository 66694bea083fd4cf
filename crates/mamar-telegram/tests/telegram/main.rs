//! The Telegram channel against a Bot API double: whole conversations in
//! Arabic and English ending in a sealed request whose codename opens it on
//! the web, every answer and question deleted, floods and malformed updates
//! survived with nothing lost, and one poller among two servers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod double;
mod lease;

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use mamar_core::questionnaire::{FieldKind, Questionnaire};
use mamar_core::{Locale, Organisation, Username};
use mamar_crypto::{KdfParams, Password};
use mamar_store::{SqliteStore, Store};
use mamar_telegram::{Bot, BotApi, BotSettings, Texts};
use serde_json::json;
use tower::ServiceExt;

use double::{Double, TOKEN, press, text};

struct Translations;

/// A request as the web form takes it, with `message` typed into its message field.
pub fn web_answers(message: &str) -> mamar_core::questionnaire::Answers {
    let pairs: Vec<(String, String)> = [
        ("urgency", "immediate"),
        ("governorate", "sy-hl"),
        ("institution", "army"),
        ("destination", "abroad"),
        ("message", message),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    questionnaire().validate(&pairs).unwrap()
}

impl Texts for Translations {
    fn text(&self, locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
        mamar_web::i18n::shipped().message_with(locale, key, args)
    }
}

pub struct World {
    pub store: Arc<dyn Store>,
    pub state: mamar_web::AppState,
    pub dir: Option<tempfile::TempDir>,
}

impl World {
    pub async fn sqlite() -> World {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("t.sqlite3")).await.unwrap());
        World::build(store, Some(dir)).await
    }

    pub async fn build(store: Arc<dyn Store>, dir: Option<tempfile::TempDir>) -> World {
        let bootstrap = mamar_keys::bootstrap(
            Organisation::new("ممر", "Mamar", Locale::Ar).unwrap(),
            Username::parse("admin").unwrap(),
            &Password::new("a long test passphrase for telegram".into()),
            &KdfParams::test_profile(),
        )
        .unwrap();
        store.initialise(&bootstrap.setup).await.unwrap();
        let state = mamar_web::AppState::new(store.clone());
        World { store, state, dir }
    }

    pub fn bot(&self, double: &Double, server: &str, settings: BotSettings) -> Bot {
        let api = BotApi::new(&double.url(server), TOKEN, Duration::from_secs(5)).unwrap();
        Bot::new(
            api,
            self.state.intake.clone(),
            self.state.questionnaire.clone(),
            Arc::new(Translations),
            settings,
        )
    }
}

fn questionnaire() -> Questionnaire {
    Questionnaire::default_shipped()
}

fn locale_of(language: &str) -> Locale {
    if language == "en" { Locale::En } else { Locale::Ar }
}

/// The person's typed answer to question `index` (a canary in free text).
fn typed_answer(kind: &FieldKind, canary: &str, index: usize) -> String {
    match kind {
        FieldKind::Number { min, .. } => min.to_string(),
        _ => format!("{canary}{index}"),
    }
}

/// Answers question `index`, which the bot has just asked; returns the id
/// of the person's message when the answer was typed.
async fn answer(
    bot: &mut Bot,
    double: &Double,
    chat: i64,
    language: &str,
    index: usize,
    canary: &str,
) -> Option<i64> {
    let questionnaire = questionnaire();
    let field = &questionnaire.fields()[index];
    let label = field.label(locale_of(language));
    let prompt = double
        .sent()
        .into_iter()
        .rev()
        .find(|s| s.chat == chat && s.text.contains(label))
        .unwrap_or_else(|| {
            let said: Vec<String> = double.sent().into_iter().rev().take(3).map(|s| s.text).collect();
            panic!("question {index} ({label}) was not asked; the bot said {said:?}")
        });
    match field.kind() {
        FieldKind::SingleChoice { .. } => {
            bot.handle(&press(chat, language, prompt.id, &format!("c:{index}:0")))
                .await;
            None
        }
        FieldKind::MultipleChoice { .. } => {
            bot.handle(&press(chat, language, prompt.id, &format!("m:{index}:0")))
                .await;
            bot.handle(&press(chat, language, prompt.id, &format!("d:{index}")))
                .await;
            None
        }
        kind => {
            let (id, update) = text(double, chat, language, &typed_answer(kind, canary, index));
            bot.handle(&update).await;
            Some(id)
        }
    }
}

/// /start and "continue here".
async fn begin(bot: &mut Bot, double: &Double, chat: i64, language: &str) {
    let (_, start) = text(double, chat, language, "/start");
    bot.handle(&start).await;
    let warning = double.last_sent(chat);
    assert!(warning.buttons.contains(&"go".to_owned()), "{warning:?}");
    bot.handle(&press(chat, language, warning.id, "go")).await;
}

fn codename_in(message: &str) -> String {
    message.split("\n\n").nth(1).unwrap().trim().to_owned()
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The web follow-up page for `codename`: its status and HTML.
async fn follow_up(state: &mamar_web::AppState, language: &str, codename: &str) -> (u16, String) {
    let body = format!("codename={}&action=view", form_encode(codename));
    let response = mamar_web::router(state.clone())
        .oneshot(
            Request::post(format!("/{language}/follow-up"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

/// Every file under `dir`, recursively (a database, its WAL, PostgreSQL's whole data directory).
fn files_under(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// The canary test's check for the bot: neither the answers nor the chat id
/// is anywhere at rest (SQLite's file and WAL; PostgreSQL's table files,
/// write-ahead log and server log after a checkpoint).
async fn assert_nothing_at_rest(world: &World, canary: &str, chat: i64) {
    let mut files = Vec::new();
    match &world.dir {
        Some(dir) => files_under(dir.path(), &mut files),
        None => {
            use sqlx::Connection;
            let url = std::env::var("MAMAR_TEST_POSTGRES_URL").unwrap();
            let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
            sqlx::query("CHECKPOINT").execute(&mut admin).await.unwrap();
            for variable in ["MAMAR_TEST_POSTGRES_DATA", "MAMAR_TEST_POSTGRES_LOG"] {
                let path = std::env::var(variable)
                    .unwrap_or_else(|_| panic!("{variable} is not set: run the tests with ./scripts/test"));
                let path = std::path::PathBuf::from(path);
                if path.is_dir() {
                    files_under(&path, &mut files);
                } else {
                    files.push(path);
                }
            }
        }
    }
    assert!(!files.is_empty());
    let needles: Vec<(String, Vec<u8>)> = vec![
        ("an answer".into(), canary.as_bytes().to_vec()),
        ("the chat id".into(), chat.to_string().into_bytes()),
        ("the chat id (LE)".into(), chat.to_le_bytes().to_vec()),
        ("the chat id (BE)".into(), chat.to_be_bytes().to_vec()),
    ];
    for file in files {
        let Ok(bytes) = std::fs::read(&file) else { continue };
        for (what, needle) in &needles {
            assert!(
                !contains(&bytes, needle),
                "{what} is readable at rest in {}",
                file.display()
            );
        }
    }
}

async fn whole_conversation(world: World, language: &str, chat: i64) {
    let double = Double::start().await;
    // A person types faster than any real one here: the rate limit has its own test.
    let settings = BotSettings {
        burst: 1_000,
        ..BotSettings::default()
    };
    let mut bot = world.bot(&double, "a", settings);
    let canary = format!("CANARYTG{chat}X");
    begin(&mut bot, &double, chat, language).await;
    let count = questionnaire().fields().len();
    let mut answers = Vec::new();
    for index in 0..count {
        answers.extend(answer(&mut bot, &double, chat, language, index, &canary).await);
    }
    let last = double.last_sent(chat);
    let codename = codename_in(&last.text);
    assert!(
        last.text.contains(&codename) && codename.split_whitespace().count() == 7,
        "no codename in {:?}",
        last.text
    );

    // Sealed and committed before the codename was given: the web opens it.
    let (status, html) = follow_up(&world.state, language, &codename).await;
    assert_eq!(status, 200, "{html}");
    let found = world.state.intake.find_request(&codename).await.unwrap();
    assert!(found.is_some(), "the codename finds the request");

    // Nothing of the conversation is left in the chat but the codename.
    let deleted = double.deleted();
    for id in &answers {
        assert!(deleted.contains(&(chat, *id)), "answer {id} is still in the chat");
    }
    for sent in double.sent().iter().filter(|s| s.chat == chat && s.id != last.id) {
        assert!(
            deleted.contains(&(chat, sent.id)),
            "the bot's {:?} is still in the chat",
            sent.text
        );
    }
    assert!(answers.len() >= 2, "the questionnaire has typed answers");

    // At rest: no answer, no chat id (the canary test's check, for the bot).
    assert_nothing_at_rest(&world, &canary, chat).await;
}

#[tokio::test]
async fn a_whole_conversation_in_arabic_ends_in_a_sealed_request_the_web_opens() {
    whole_conversation(World::sqlite().await, "ar", 7_301_234_567).await;
}

#[tokio::test]
async fn a_whole_conversation_in_english_ends_in_a_sealed_request_the_web_opens() {
    whole_conversation(World::sqlite().await, "en", 7_309_876_543).await;
}

#[tokio::test]
async fn on_postgresql_a_conversation_leaves_no_answer_and_no_chat_id_at_rest() {
    let world = World::build(lease::postgres().await, None).await;
    whole_conversation(world, "ar", 7_305_550_123).await;
}

#[tokio::test]
async fn a_codename_from_the_web_reads_replies_in_the_bot_and_is_deleted() {
    let world = World::sqlite().await;
    let double = Double::start().await;
    let mut bot = world.bot(&double, "a", BotSettings::default());
    let codename = mamar_usecases::intake::new_codename(Locale::En).unwrap();
    world
        .state
        .intake
        .submit_request(&codename, &web_answers("answers from the web form"))
        .await
        .unwrap();
    let chat = 5_550_001;
    let (_, ask) = text(&double, chat, "en", "/replies");
    bot.handle(&ask).await;
    let (typed, update) = text(&double, chat, "en", &codename);
    bot.handle(&update).await;
    assert!(
        double.deleted().contains(&(chat, typed)),
        "the codename left the chat"
    );
    let last = double.last_sent(chat);
    let none = mamar_web::i18n::shipped().message(Locale::En, "tg-replies-none", None);
    assert_eq!(last.text, none);
    let (_, wrong) = text(&double, chat, "en", "/replies");
    bot.handle(&wrong).await;
    let (_, update) = text(&double, chat, "en", "apple apple apple apple apple apple apple");
    bot.handle(&update).await;
    let unknown = mamar_web::i18n::shipped().message(Locale::En, "tg-replies-unknown", None);
    assert_eq!(double.last_sent(chat).text, unknown);
}

/// A request made on the web form, its codename and its id.
async fn a_request_from_the_web(world: &World, locale: Locale) -> (String, mamar_store::IntakeRequest) {
    let codename = mamar_usecases::intake::new_codename(locale).unwrap();
    let intake = &world.state.intake;
    intake
        .submit_request(&codename, &web_answers("answers from the web form"))
        .await
        .unwrap();
    let (request, _) = intake.find_request(&codename).await.unwrap().unwrap();
    (codename, request)
}

/// What the bot said in `chat`, in order.
fn said_in(double: &Double, chat: i64) -> Vec<String> {
    double
        .sent()
        .into_iter()
        .filter(|sent| sent.chat == chat)
        .map(|sent| sent.text)
        .collect()
}

#[tokio::test]
async fn the_bot_shows_the_conversation_the_web_shows_with_months() {
    let world = World::sqlite().await;
    let double = Double::start().await;
    let mut bot = world.bot(&double, "a", BotSettings::default());
    let (codename, request) = a_request_from_the_web(&world, Locale::En).await;
    let intake = &world.state.intake;
    // 2026-11-23, noon UTC.
    intake
        .add_requester_message(&request, "MY-OWN-later-words", 1_795_435_200)
        .await
        .unwrap();
    for (chat, language, mine, first) in [
        (
            5_550_002,
            "en",
            "Your message (November 2026):",
            "Your first request (",
        ),
        (5_550_003, "ar", "رسالتك (تشرين الثاني 2026):", "طلبك الأول ("),
    ] {
        let (_, ask) = text(&double, chat, language, "/replies");
        bot.handle(&ask).await;
        let (_, update) = text(&double, chat, language, &codename);
        bot.handle(&update).await;
        let said = said_in(&double, chat);
        let own_at = said
            .iter()
            .position(|text| text.contains("MY-OWN-later-words"))
            .unwrap_or_else(|| panic!("{said:?}"));
        let own = &said[own_at];
        // The first request, what was typed into the form, comes before it.
        let first_at = said
            .iter()
            .position(|text| text.contains("answers from the web form"))
            .unwrap_or_else(|| panic!("{said:?}"));
        assert!(first_at < own_at, "{said:?}");
        let first_text = said[first_at].replace(['\u{2068}', '\u{2069}'], "");
        assert!(first_text.starts_with(first), "{first_text:?}");
        // (Fluent sets each argument apart with direction isolates.)
        let plain = own.replace(['\u{2068}', '\u{2069}'], "");
        assert!(plain.starts_with(mine), "{own:?}");
        let locale: Locale = language.parse().unwrap();
        let none = mamar_web::i18n::shipped().message(locale, "tg-replies-none", None);
        assert_eq!(said.last(), Some(&none), "no reply yet, said last");
    }
}

#[tokio::test]
async fn a_message_longer_than_telegram_allows_arrives_whole_in_several_parts() {
    let world = World::sqlite().await;
    let double = Double::start().await;
    let mut bot = world.bot(&double, "a", BotSettings::default());
    let (codename, request) = a_request_from_the_web(&world, Locale::Ar).await;
    let intake = &world.state.intake;
    // 5,000 characters, the longest message a requester may send: numbered
    // Arabic words, so that a lost or broken word shows.
    let mut long = String::new();
    let mut words = Vec::new();
    for n in 0.. {
        let word = format!("كلمة{n}");
        if long.chars().count() + word.chars().count() + 1 > 5_000 {
            break;
        }
        if !long.is_empty() {
            long.push(if n % 40 == 0 { '\n' } else { ' ' });
        }
        long.push_str(&word);
        words.push(word);
    }
    intake
        .add_requester_message(&request, &long, 1_795_435_200)
        .await
        .unwrap();
    let chat = 5_550_009;
    let (_, ask) = text(&double, chat, "ar", "/replies");
    bot.handle(&ask).await;
    let (_, update) = text(&double, chat, "ar", &codename);
    bot.handle(&update).await;
    let said = said_in(&double, chat);
    let parts: Vec<&String> = said.iter().filter(|t| t.contains("كلمة")).collect();
    assert!(
        parts.len() >= 2,
        "one message cannot hold 5,000 characters: {}",
        parts.len()
    );
    assert!(parts.iter().all(|part| part.encode_utf16().count() <= 4096));
    // Every word arrives once, whole and in order.
    let received: Vec<&str> = parts
        .iter()
        .flat_map(|part| part.split_whitespace())
        .map(|w| w.trim_matches(['\u{2068}', '\u{2069}']))
        .filter(|w| w.starts_with("كلمة"))
        .collect();
    assert_eq!(received, words.iter().map(String::as_str).collect::<Vec<_>>());
}

#[tokio::test]
async fn floods_stickers_edits_forwards_long_texts_and_junk_lose_nothing() {
    let world = World::sqlite().await;
    let double = Double::start().await;
    let settings = BotSettings {
        burst: 20,
        per_minute: 120,
        ..BotSettings::default()
    };
    let mut bot = world.bot(&double, "a", settings);
    let chat = 6_660_001;
    let canary = "FLOODCANARY";
    begin(&mut bot, &double, chat, "en").await;
    let count = questionnaire().fields().len();
    let middle = count - 3;
    for index in 0..middle {
        answer(&mut bot, &double, chat, "en", index, canary).await;
    }
    // Junk that is not even an update, then the usual abuse.
    for junk in [
        json!(null),
        json!({"update_id": "x"}),
        json!({"message": {"chat": "?"}}),
        json!([1, 2, 3]),
    ] {
        bot.handle(&junk).await;
    }
    let sticker = |id: i64| {
        json!({"update_id": 0, "message": {"message_id": id, "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": false, "first_name": "T", "language_code": "en"},
            "sticker": {"file_id": "abc", "width": 1, "height": 1}}})
    };
    let edited = json!({"update_id": 0, "edited_message": {"message_id": 1, "date": 0, "edit_date": 1,
        "chat": {"id": chat, "type": "private"}, "text": "changed"}});
    let forwarded = json!({"update_id": 0, "message": {"message_id": 2, "date": 0,
        "chat": {"id": chat, "type": "private"}, "forward_origin": {"type": "hidden_user", "date": 0, "sender_user_name": "x"},
        "text": "forwarded"}});
    bot.handle(&edited).await;
    bot.handle(&forwarded).await;
    let (long_id, long) = text(&double, chat, "en", &"x".repeat(6_000));
    bot.handle(&long).await;
    let en = |key: &str| mamar_web::i18n::shipped().message(Locale::En, key, None);
    let said: Vec<String> = double
        .sent()
        .into_iter()
        .filter(|s| s.chat == chat)
        .map(|s| s.text)
        .collect();
    assert!(said.contains(&en("tg-edited")));
    assert!(said.contains(&en("tg-forwarded")));
    assert!(said.contains(&en("tg-too-long")));
    assert!(double.deleted().contains(&(chat, long_id)));
    for _ in 0..60 {
        let id = double.next_id();
        bot.handle(&sticker(id)).await;
    }
    let said: Vec<String> = double
        .sent()
        .into_iter()
        .filter(|s| s.chat == chat)
        .map(|s| s.text)
        .collect();
    let told = said.iter().filter(|t| **t == en("tg-slow-down")).count();
    assert!(
        (1..=3).contains(&told),
        "told to slow down once per burst, not {told} times"
    );
    let not_text = said.iter().filter(|t| **t == en("tg-not-text")).count();
    assert!(
        not_text < 20,
        "the flood was cut: {not_text} answers to 60 stickers"
    );
    // Another person is not slowed down by the flood.
    let other = 6_660_002;
    let (_, start) = text(&double, other, "ar", "/start");
    bot.handle(&start).await;
    assert!(double.last_sent(other).buttons.contains(&"go".to_owned()));

    // Once the burst is earned back, the same conversation goes on where it was.
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    for index in middle..count {
        answer(&mut bot, &double, chat, "en", index, canary).await;
    }
    let codename = codename_in(&double.last_sent(chat).text);
    let (request, keys) = world
        .state
        .intake
        .find_request(&codename)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(request.received_month.len(), 7);
    // The person keeps a copy of what they typed, which their codename opens.
    let mamar_usecases::intake::FirstRequest::Shown(typed) =
        mamar_usecases::intake::read_first_request(&keys, &request)
    else {
        panic!("the bot's request has no copy for its requester");
    };
    assert!(typed.iter().any(
        |(_, value)| matches!(value, mamar_core::questionnaire::AnswerValue::Text(text) if text.contains(canary))
    ));
}

#[test]
fn every_bot_string_exists_in_arabic_and_english() {
    let i18n = mamar_web::i18n::I18n::load_strict().unwrap();
    let source = include_str!("../../src/bot.rs");
    let mut used = std::collections::BTreeSet::new();
    for (index, _) in source.match_indices("\"tg-") {
        let rest = &source[index + 1..];
        let end = rest.find('"').unwrap();
        used.insert(rest[..end].to_owned());
    }
    assert!(used.len() > 15, "{used:?}");
    for locale in Locale::ALL {
        let defined: std::collections::BTreeSet<_> = i18n.message_ids(locale).into_iter().collect();
        let missing: Vec<_> = used.iter().filter(|key| !defined.contains(*key)).collect();
        assert!(missing.is_empty(), "{locale:?} lacks {missing:?}");
    }
}
