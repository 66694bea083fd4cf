//! The conversation: the exposure warning, the organisation's questionnaire
//! question by question (buttons for choices, typed text otherwise, the web
//! form's validation), the request sealed and committed through
//! `mamar_usecases::intake` before the codename is given, the replies for a
//! codename, and the signed contact card. Every answer and every question
//! is deleted from the chat once taken.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mamar_core::Locale;
use mamar_core::questionnaire::{FieldKind, Questionnaire};
use mamar_usecases::intake::{
    FirstRequest, Intake, IntakeError, Said, month_arguments, parse_codename, problem_message,
};
use serde_json::Value;

use crate::api::{BotApi, Button, Keyboard};
use crate::chat::{Chat, Stage, locale_of};
use crate::update::{Incoming, Unsupported, read};

/// The bot's strings, by Fluent message id (the binary hands in mamar's
/// translation files; the bot crate knows no Fluent loader of its own).
pub trait Texts: Send + Sync {
    fn text(&self, locale: Locale, key: &str, args: &[(&str, &str)]) -> String;
}

/// What an operator configures besides the token.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// The web form's address to offer instead (an onion address, ideally).
    pub web_address: Option<String>,
    /// A conversation untouched this long is forgotten with its answers.
    pub idle: Duration,
    /// At most this many conversations are kept at once.
    pub max_chats: usize,
    /// Messages a chat may send in a burst, and earns back per minute.
    pub burst: u32,
    pub per_minute: u32,
}

impl Default for BotSettings {
    fn default() -> Self {
        BotSettings {
            web_address: None,
            idle: Duration::from_secs(20 * 60),
            max_chats: 10_000,
            burst: 12,
            per_minute: 30,
        }
    }
}

/// The longest text read; anything longer is refused unread. The message
/// rule every channel shares.
const MAX_TEXT_CHARS: usize = mamar_core::text::MAX_MESSAGE_CHARS;

pub struct Bot {
    api: BotApi,
    intake: Intake,
    questionnaire: Arc<Questionnaire>,
    texts: Arc<dyn Texts>,
    settings: BotSettings,
    chats: HashMap<i64, Chat>,
}

impl Bot {
    pub fn new(
        api: BotApi,
        intake: Intake,
        questionnaire: Arc<Questionnaire>,
        texts: Arc<dyn Texts>,
        settings: BotSettings,
    ) -> Self {
        Bot {
            api,
            intake,
            questionnaire,
            texts,
            settings,
            chats: HashMap::new(),
        }
    }

    pub fn api(&self) -> &BotApi {
        &self.api
    }

    fn t(&self, locale: Locale, key: &str) -> String {
        self.texts.text(locale, key, &[])
    }

    /// Conversations in memory now.
    pub fn open_chats(&self) -> usize {
        self.chats.len()
    }

    /// Forgets conversations idle for too long, wiping their answers.
    pub fn sweep(&mut self) {
        let idle = self.settings.idle;
        self.chats.retain(|_, chat| !chat.expired(idle));
    }

    /// Acts on one raw update. Never fails: a fault of the Bot API is logged
    /// (without the chat) and the conversation goes on.
    pub async fn handle(&mut self, raw: &Value) {
        match read(raw) {
            Incoming::Ignored => {}
            Incoming::Text {
                chat,
                message,
                text,
                language,
            } => {
                if self.admit(chat, language.as_deref()).await {
                    self.on_text(chat, message, &text).await;
                }
            }
            Incoming::Button {
                id,
                chat,
                message,
                data,
                language,
            } => {
                self.quietly(self.api.answer_callback(&id).await);
                if self.admit(chat, language.as_deref()).await {
                    self.on_button(chat, message, &data).await;
                }
            }
            Incoming::Unsupported {
                chat,
                message,
                what,
                language,
            } => {
                if self.admit(chat, language.as_deref()).await {
                    // A file, a sticker or a forward is not kept in the chat either.
                    self.quietly(self.api.delete_message(chat, message).await);
                    let key = match what {
                        Unsupported::NotText => "tg-not-text",
                        Unsupported::Edited => "tg-edited",
                        Unsupported::Forwarded => "tg-forwarded",
                    };
                    self.say(chat, key).await;
                }
            }
        }
    }

    /// Finds or opens the chat's conversation and spends its rate budget.
    async fn admit(&mut self, chat: i64, language: Option<&str>) -> bool {
        if !self.chats.contains_key(&chat) {
            if self.chats.len() >= self.settings.max_chats {
                self.sweep();
            }
            if self.chats.len() >= self.settings.max_chats {
                let locale = locale_of(language);
                self.send(chat, locale, &self.t(locale, "tg-busy"), None).await;
                return false;
            }
            self.chats.insert(chat, Chat::new(locale_of(language)));
        }
        let Some(state) = self.chats.get_mut(&chat) else {
            return false;
        };
        state.touch();
        if state.allow(
            f64::from(self.settings.burst),
            f64::from(self.settings.per_minute),
        ) {
            return true;
        }
        if !state.told_to_wait {
            state.told_to_wait = true;
            let locale = state.locale;
            self.send(chat, locale, &self.t(locale, "tg-slow-down"), None)
                .await;
        }
        false
    }

    fn locale(&self, chat: i64) -> Locale {
        self.chats.get(&chat).map(|c| c.locale).unwrap_or_default()
    }

    fn quietly<T>(&self, result: Result<T, crate::api::ApiError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                tracing::warn!(%error, "a Bot API call failed");
                None
            }
        }
    }

    /// Sends `text` (in several messages if it is long); the id of the last,
    /// which carries the keyboard.
    async fn send(&self, chat: i64, _locale: Locale, text: &str, keyboard: Option<&Keyboard>) -> Option<i64> {
        self.send_all(chat, text, keyboard).await?.last().copied()
    }

    async fn send_all(&self, chat: i64, text: &str, keyboard: Option<&Keyboard>) -> Option<Vec<i64>> {
        let sent = self.api.send_message(chat, text, keyboard).await;
        self.quietly(sent)
    }

    async fn say(&self, chat: i64, key: &str) {
        let locale = self.locale(chat);
        self.send(chat, locale, &self.t(locale, key), None).await;
    }

    /// Sends a message the bot deletes once the request is sealed.
    async fn send_kept(&mut self, chat: i64, text: &str, keyboard: Option<&Keyboard>) -> Option<i64> {
        let ids = self.send_all(chat, text, keyboard).await?;
        if let Some(state) = self.chats.get_mut(&chat) {
            state.to_delete.extend(&ids);
        }
        ids.last().copied()
    }

    async fn on_text(&mut self, chat: i64, message: i64, text: &str) {
        // `/start@mamar_bot` is `/start` too.
        let first = text.split_whitespace().next().unwrap_or("");
        let command = first.split('@').next().unwrap_or(first);
        match command {
            "/start" => return self.warn(chat).await,
            "/card" => return self.card(chat).await,
            "/replies" => return self.ask_codename(chat).await,
            "/cancel" => {
                if let Some(state) = self.chats.get_mut(&chat) {
                    state.restart();
                }
                self.quietly(self.api.delete_message(chat, message).await);
                self.clear_kept(chat).await;
                return self.say(chat, "tg-cancelled").await;
            }
            "/help" => return self.say(chat, "tg-help").await,
            _ => {}
        }
        let stage = self.chats.get(&chat).map(|c| c.stage);
        if text.chars().count() > MAX_TEXT_CHARS {
            self.quietly(self.api.delete_message(chat, message).await);
            return self.say(chat, "tg-too-long").await;
        }
        match stage {
            Some(Stage::Asking(index)) => self.answer_text(chat, message, index, text).await,
            Some(Stage::Codename) => self.replies(chat, message, text).await,
            Some(Stage::Warned) | None => self.warn(chat).await,
        }
    }

    async fn on_button(&mut self, chat: i64, message: i64, data: &str) {
        let mut parts = data.split(':');
        let (kind, first, second) = (parts.next().unwrap_or(""), parts.next(), parts.next());
        let stage = self.chats.get(&chat).map(|c| c.stage);
        match (kind, stage) {
            ("go", Some(Stage::Warned)) => self.start_questions(chat).await,
            ("lang", _) => {
                let locale = first
                    .and_then(|code| code.parse::<Locale>().ok())
                    .unwrap_or_default();
                if let Some(state) = self.chats.get_mut(&chat) {
                    state.locale = locale;
                }
                self.quietly(self.api.delete_message(chat, message).await);
                self.warn(chat).await;
            }
            ("card", _) => self.card(chat).await,
            ("replies", _) => self.ask_codename(chat).await,
            (kind @ ("c" | "m" | "d" | "s"), Some(Stage::Asking(index))) => {
                let asked: Option<usize> = first.and_then(|n| n.parse().ok());
                if asked != Some(index) || self.chats.get(&chat).and_then(|c| c.prompt) != Some(message) {
                    // A button of a question already answered.
                    return self.say(chat, "tg-old-button").await;
                }
                let option: Option<usize> = second.and_then(|n| n.parse().ok());
                self.answer_button(chat, message, index, kind, option).await;
            }
            _ => self.say(chat, "tg-old-button").await,
        }
    }

    /// The exposure warning, with the web form offered instead.
    async fn warn(&mut self, chat: i64) {
        if let Some(state) = self.chats.get_mut(&chat) {
            state.restart();
        }
        let locale = self.locale(chat);
        if self.intake.keys_destroyed().await || self.intake.low_on_space().await {
            return self.say(chat, "tg-closed").await;
        }
        let mut text = self.t(locale, "tg-exposure");
        if let Some(address) = &self.settings.web_address {
            text.push_str("\n\n");
            text.push_str(&self.texts.text(locale, "tg-web-offer", &[("address", address)]));
        }
        let other = match locale {
            Locale::Ar => Locale::En,
            Locale::En => Locale::Ar,
        };
        let mut rows = vec![vec![Button::Callback {
            label: self.t(locale, "tg-button-continue"),
            data: "go".into(),
        }]];
        if let Some(address) = &self.settings.web_address
            && (address.starts_with("https://") || address.starts_with("http://"))
        {
            rows.push(vec![Button::Link {
                label: self.t(locale, "tg-button-web"),
                url: address.clone(),
            }]);
        }
        rows.push(vec![
            Button::Callback {
                label: self.t(locale, "tg-button-card"),
                data: "card".into(),
            },
            Button::Callback {
                label: self.t(other, "tg-button-language"),
                data: format!("lang:{}", other.code()),
            },
        ]);
        rows.push(vec![Button::Callback {
            label: self.t(locale, "tg-button-replies"),
            data: "replies".into(),
        }]);
        self.send_kept(chat, &text, Some(&Keyboard(rows))).await;
    }

    async fn start_questions(&mut self, chat: i64) {
        let locale = self.locale(chat);
        let intro = format!(
            "{}\n\n{}",
            self.questionnaire.intro(locale),
            self.questionnaire.warning(locale)
        );
        self.send_kept(chat, &intro, None).await;
        self.ask(chat, 0, None).await;
    }

    /// Asks question `index`, with `problem` (a message id) above it.
    async fn ask(&mut self, chat: i64, index: usize, problem: Option<&str>) {
        let questionnaire = self.questionnaire.clone();
        let Some(field) = questionnaire.fields().get(index) else {
            // Every question answered: from here any message tries the sealing again.
            if let Some(state) = self.chats.get_mut(&chat) {
                state.stage = Stage::Asking(index);
                state.prompt = None;
            }
            return self.submit(chat).await;
        };
        let locale = self.locale(chat);
        let total = questionnaire.fields().len().to_string();
        let number = (index + 1).to_string();
        let mut text = String::new();
        if let Some(problem) = problem {
            text.push_str("⚠ ");
            text.push_str(&self.t(locale, problem));
            text.push_str("\n\n");
        }
        text.push_str(&self.texts.text(
            locale,
            "tg-question-progress",
            &[("number", &number), ("total", &total)],
        ));
        text.push('\n');
        text.push_str(field.label(locale));
        if let Some(help) = field.help(locale) {
            text.push_str("\n\n");
            text.push_str(help);
        }
        if !field.required() {
            text.push_str("\n(");
            text.push_str(&self.t(locale, "tg-optional"));
            text.push(')');
        }
        let ticked = self
            .chats
            .get(&chat)
            .map(|c| c.ticked.clone())
            .unwrap_or_default();
        let keyboard = self.keyboard(locale, index, field.kind(), field.required(), &ticked);
        if keyboard.0.is_empty()
            || matches!(
                field.kind(),
                FieldKind::ShortText { .. } | FieldKind::LongText { .. } | FieldKind::Number { .. }
            )
        {
            text.push_str("\n\n");
            text.push_str(&self.t(locale, "tg-type-answer"));
        }
        let keyboard = (!keyboard.0.is_empty()).then_some(keyboard);
        let sent = self.send(chat, locale, &text, keyboard.as_ref()).await;
        if let Some(state) = self.chats.get_mut(&chat) {
            state.stage = Stage::Asking(index);
            state.prompt = sent;
        }
    }

    fn keyboard(
        &self,
        locale: Locale,
        index: usize,
        kind: &FieldKind,
        required: bool,
        ticked: &[String],
    ) -> Keyboard {
        let mut rows: Vec<Vec<Button>> = Vec::new();
        match kind {
            FieldKind::SingleChoice { options } => {
                for (n, option) in options.iter().enumerate() {
                    rows.push(vec![Button::Callback {
                        label: option.label(locale).to_owned(),
                        data: format!("c:{index}:{n}"),
                    }]);
                }
            }
            FieldKind::MultipleChoice { .. } => {
                for (n, option) in kind.options().iter().enumerate() {
                    let mark = if ticked.iter().any(|v| v == option.value()) {
                        "☑ "
                    } else {
                        "☐ "
                    };
                    rows.push(vec![Button::Callback {
                        label: format!("{mark}{}", option.label(locale)),
                        data: format!("m:{index}:{n}"),
                    }]);
                }
                rows.push(vec![Button::Callback {
                    label: self.t(locale, "tg-button-done"),
                    data: format!("d:{index}"),
                }]);
            }
            _ => {}
        }
        if !required {
            rows.push(vec![Button::Callback {
                label: self.t(locale, "tg-button-skip"),
                data: format!("s:{index}"),
            }]);
        }
        Keyboard(rows)
    }

    /// Checks the answer to question `index` as the web form would; on a
    /// problem, asks again with the problem's message.
    fn check(&self, chat: i64, index: usize, values: &[String]) -> Result<(), &'static str> {
        let Some(field) = self.questionnaire.fields().get(index) else {
            return Ok(());
        };
        let mut pairs: Vec<(String, String)> = self
            .chats
            .get(&chat)
            .map(|c| c.answers.clone())
            .unwrap_or_default();
        pairs.extend(values.iter().map(|value| (field.id().to_owned(), value.clone())));
        match self.questionnaire.validate(&pairs) {
            Ok(_) => Ok(()),
            Err(errors) => match errors.into_iter().find(|error| error.field == field.id()) {
                Some(error) => Err(problem_message(error.problem)),
                None => Ok(()),
            },
        }
    }

    async fn answer_text(&mut self, chat: i64, message: i64, index: usize, text: &str) {
        // The answer leaves the chat at once, whatever becomes of it.
        self.quietly(self.api.delete_message(chat, message).await);
        let Some(field) = self.questionnaire.fields().get(index) else {
            // All answered, but the sealing was refused a moment ago: try again.
            return self.submit(chat).await;
        };
        if !matches!(
            field.kind(),
            FieldKind::ShortText { .. } | FieldKind::LongText { .. } | FieldKind::Number { .. }
        ) {
            return self.say(chat, "tg-use-buttons").await;
        }
        let values = vec![text.to_owned()];
        self.accept(chat, index, values).await;
    }

    async fn answer_button(
        &mut self,
        chat: i64,
        message: i64,
        index: usize,
        kind: &str,
        option: Option<usize>,
    ) {
        let questionnaire = self.questionnaire.clone();
        let Some(field) = questionnaire.fields().get(index) else {
            return;
        };
        let value = option
            .and_then(|n| field.kind().options().get(n))
            .map(|o| o.value().to_owned());
        match (kind, value) {
            ("c", Some(value)) => self.accept(chat, index, vec![value]).await,
            ("m", Some(value)) => {
                let locale = self.locale(chat);
                let Some(state) = self.chats.get_mut(&chat) else {
                    return;
                };
                if let Some(at) = state.ticked.iter().position(|v| *v == value) {
                    state.ticked.remove(at);
                } else {
                    state.ticked.push(value);
                }
                let ticked = state.ticked.clone();
                let keyboard = self.keyboard(locale, index, field.kind(), field.required(), &ticked);
                self.quietly(self.api.edit_keyboard(chat, message, &keyboard).await);
            }
            ("d", _) => {
                let ticked = self
                    .chats
                    .get_mut(&chat)
                    .map(|state| std::mem::take(&mut state.ticked))
                    .unwrap_or_default();
                self.accept(chat, index, ticked).await;
            }
            ("s", _) => self.accept(chat, index, Vec::new()).await,
            _ => self.say(chat, "tg-old-button").await,
        }
    }

    /// Takes the answer if the questionnaire accepts it, deletes the
    /// question, and asks the next one (or seals the request).
    async fn accept(&mut self, chat: i64, index: usize, values: Vec<String>) {
        let prompt = self.chats.get(&chat).and_then(|c| c.prompt);
        if let Some(prompt) = prompt {
            self.quietly(self.api.delete_message(chat, prompt).await);
        }
        if let Err(problem) = self.check(chat, index, &values) {
            return self.ask(chat, index, Some(problem)).await;
        }
        let Some(field) = self.questionnaire.fields().get(index) else {
            return;
        };
        let id = field.id().to_owned();
        if let Some(state) = self.chats.get_mut(&chat) {
            state
                .answers
                .extend(values.into_iter().map(|value| (id.clone(), value)));
            state.prompt = None;
        }
        self.ask(chat, index + 1, None).await;
    }

    async fn clear_kept(&mut self, chat: i64) {
        let kept = self
            .chats
            .get_mut(&chat)
            .map(|state| std::mem::take(&mut state.to_delete))
            .unwrap_or_default();
        for message in kept {
            self.quietly(self.api.delete_message(chat, message).await);
        }
    }

    /// Seals the answers through the intake use case; only once the
    /// request is committed is the codename sent.
    async fn submit(&mut self, chat: i64) {
        let locale = self.locale(chat);
        let pairs = self
            .chats
            .get(&chat)
            .map(|c| c.answers.clone())
            .unwrap_or_default();
        let mut pairs = zeroize::Zeroizing::new(pairs);
        let answers = match self.questionnaire.validate(&pairs) {
            Ok(answers) => answers,
            Err(errors) => {
                // Cannot happen after the checks on the way; start that question again.
                let first = errors
                    .first()
                    .and_then(|e| self.questionnaire.fields().iter().position(|f| f.id() == e.field))
                    .unwrap_or(0);
                let problem = errors.first().map(|e| problem_message(e.problem));
                if let Some(state) = self.chats.get_mut(&chat) {
                    let id = self.questionnaire.fields().get(first).map(|f| f.id().to_owned());
                    state.answers.retain(|(field, _)| Some(field) != id.as_ref());
                }
                // (Boxed: asking the last question again leads back here.)
                return Box::pin(self.ask(chat, first, problem)).await;
            }
        };
        pairs.iter_mut().for_each(|(a, b)| {
            use zeroize::Zeroize;
            a.zeroize();
            b.zeroize();
        });
        if !self.intake.admit_new_request() {
            return self.say(chat, "tg-closed-busy").await;
        }
        let codename = match mamar_usecases::intake::new_codename(locale) {
            Ok(codename) => zeroize::Zeroizing::new(codename),
            Err(error) => {
                tracing::error!(%error, "no codename could be made");
                return self.say(chat, "tg-not-stored").await;
            }
        };
        if let Err(error) = self.intake.submit_request(&codename, &answers).await {
            let key = match error {
                IntakeError::Busy => "tg-busy",
                IntakeError::NoIntakeKey => "tg-closed",
                other => {
                    tracing::error!(error = %other, "an intake write from the bot failed");
                    "tg-not-stored"
                }
            };
            // The answers stay in memory: pressing "send again" retries.
            return self.say(chat, key).await;
        }
        // Committed: forget the answers, clear the chat, give the codename.
        if let Some(state) = self.chats.get_mut(&chat) {
            state.restart();
        }
        self.clear_kept(chat).await;
        // Without Fluent's direction marks around it, so that a copied codename reads back.
        let text = self
            .texts
            .text(locale, "tg-codename", &[("codename", &codename)])
            .replace(&format!("\u{2068}{}\u{2069}", codename.as_str()), &codename);
        // The request is stored: the codename must reach the person, so a
        // failed send is tried again a few times.
        let mut wait = Duration::from_millis(500);
        for _ in 0..5 {
            if self.api.send_message(chat, &text, None).await.is_ok() {
                return;
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
        tracing::error!("a codename could not be sent after its request was stored");
    }

    async fn ask_codename(&mut self, chat: i64) {
        let locale = self.locale(chat);
        if let Some(state) = self.chats.get_mut(&chat) {
            state.restart();
        }
        let sent = self
            .send(chat, locale, &self.t(locale, "tg-replies-ask"), None)
            .await;
        if let Some(state) = self.chats.get_mut(&chat) {
            state.stage = Stage::Codename;
            state.prompt = sent;
        }
    }

    /// The conversation of the request of a codename, as the web follow-up
    /// page shows it (the same use case): the person's own messages and the
    /// replies in order, each with its month, the replies as text with the
    /// note that the signed original can be checked on the web.
    async fn replies(&mut self, chat: i64, message: i64, typed: &str) {
        self.quietly(self.api.delete_message(chat, message).await);
        let prompt = self.chats.get_mut(&chat).and_then(|state| {
            state.stage = Stage::Warned;
            state.prompt.take()
        });
        if let Some(prompt) = prompt {
            self.quietly(self.api.delete_message(chat, prompt).await);
        }
        let locale = self.locale(chat);
        let found = match parse_codename(typed) {
            Some(codename) => self.intake.find_request(&codename).await,
            None => Ok(None),
        };
        let (request, keys) = match found {
            Ok(Some(found)) => found,
            Ok(None) => return self.say(chat, "tg-replies-unknown").await,
            Err(error) => {
                tracing::error!(%error, "a codename look-up from the bot failed");
                return self.say(chat, "tg-not-stored").await;
            }
        };
        let conversation = match self.intake.conversation(&request, &keys).await {
            Ok(conversation) => conversation,
            Err(error) => {
                tracing::error!(%error, "a conversation could not be read for the bot");
                return self.say(chat, "tg-not-stored").await;
            }
        };
        if conversation.earlier_not_shown {
            self.say(chat, "tg-earlier-not-shown").await;
        }
        let mut any_reply = false;
        for entry in &conversation.entries {
            let month = match entry.month.as_deref().and_then(month_arguments) {
                Some((month, year)) => self.texts.text(
                    locale,
                    "month-year",
                    &[("month", month.as_str()), ("year", year.as_str())],
                ),
                None => self.t(locale, "tg-month-unknown"),
            };
            let text = match &entry.said {
                Said::FirstRequest(first) => self.first_request(locale, first, &month),
                Said::Requester(text) => self.texts.text(
                    locale,
                    "tg-own-message",
                    &[("text", text.as_str()), ("month", month.as_str())],
                ),
                Said::Organisation(reply) => {
                    any_reply = true;
                    self.texts.text(
                        locale,
                        "tg-reply",
                        &[("text", reply.text.as_str()), ("month", month.as_str())],
                    )
                }
            };
            self.send(chat, locale, &text, None).await;
        }
        if !any_reply {
            self.say(chat, "tg-replies-none").await;
        }
    }

    /// The person's first request as the conversation shows it: what they
    /// typed, each under its question, or why it cannot be shown.
    fn first_request(&self, locale: Locale, first: &FirstRequest, month: &str) -> String {
        let FirstRequest::Shown(typed) = first else {
            let key = match first {
                FirstRequest::NotKept => "tg-first-not-kept",
                _ => "tg-first-unavailable",
            };
            return self.t(locale, key);
        };
        let separator = self.t(locale, "list-separator");
        let answers: Vec<String> = typed
            .display(&self.questionnaire, locale)
            .into_iter()
            .map(|answer| format!("{}:\n{}", answer.label, answer.values.join(&separator)))
            .collect();
        if answers.is_empty() {
            return self
                .texts
                .text(locale, "tg-first-nothing-typed", &[("month", month)]);
        }
        self.texts.text(
            locale,
            "tg-first-request",
            &[("text", answers.join("\n\n").as_str()), ("month", month)],
        )
    }

    /// The signed contact card and the fingerprint words.
    async fn card(&mut self, chat: i64) {
        let locale = self.locale(chat);
        let card = self
            .intake
            .contact_card()
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let words = self
            .intake
            .signing_key()
            .await
            .map(|key| mamar_keys::fingerprint_words(&key.fingerprint(), locale))
            .unwrap_or_default();
        if card.is_empty() && words.is_empty() {
            return self.say(chat, "tg-card-missing").await;
        }
        let text = self
            .texts
            .text(locale, "tg-card", &[("card", &card), ("words", &words)]);
        self.send(chat, locale, &text, None).await;
    }
}
