//! One person's conversation with the bot, kept in memory only: the
//! language, the question reached, the answers given so far (wiped from
//! memory when the conversation ends or expires), the bot's and the
//! person's messages still to delete, and the per-chat rate limit. Nothing
//! of it is ever written to disk or logged.

use std::time::{Duration, Instant};

use mamar_core::Locale;
use zeroize::Zeroize;

/// Where a conversation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The exposure warning was shown; waiting for "continue here".
    Warned,
    /// Waiting for the answer to the question with this index.
    Asking(usize),
    /// Waiting for a codename, to show the replies.
    Codename,
}

pub struct Chat {
    pub locale: Locale,
    pub stage: Stage,
    /// (field id, value) pairs, as the web form sends them.
    pub answers: Vec<(String, String)>,
    /// The values ticked so far on a multiple-choice question.
    pub ticked: Vec<String>,
    /// The message asking the current question (or the codename).
    pub prompt: Option<i64>,
    /// Messages of the bot still in the chat, deleted when the request is sealed.
    pub to_delete: Vec<i64>,
    touched: Instant,
    tokens: f64,
    refilled: Instant,
    /// Not yet charged: the first message finds a full budget.
    fresh: bool,
    /// Whether the person was already told to slow down in this burst.
    pub told_to_wait: bool,
}

impl Chat {
    pub fn new(locale: Locale) -> Self {
        let now = Instant::now();
        Chat {
            locale,
            stage: Stage::Warned,
            answers: Vec::new(),
            ticked: Vec::new(),
            prompt: None,
            to_delete: Vec::new(),
            touched: now,
            tokens: 0.0,
            fresh: true,
            refilled: now,
            told_to_wait: false,
        }
    }

    pub fn expired(&self, idle: Duration) -> bool {
        self.touched.elapsed() >= idle
    }

    pub fn touch(&mut self) {
        self.touched = Instant::now();
    }

    /// Spends one message from the chat's budget; false when it is spent.
    pub fn allow(&mut self, burst: f64, per_minute: f64) -> bool {
        let now = Instant::now();
        if self.fresh {
            self.fresh = false;
            self.tokens = burst;
        }
        let earned = now.duration_since(self.refilled).as_secs_f64() * per_minute / 60.0;
        self.tokens = (self.tokens + earned).min(burst);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.told_to_wait = false;
            true
        } else {
            false
        }
    }

    /// Forgets the answers (wiping them from memory) and starts over.
    pub fn restart(&mut self) {
        self.wipe();
        self.stage = Stage::Warned;
        self.prompt = None;
    }

    fn wipe(&mut self) {
        for (id, value) in &mut self.answers {
            id.zeroize();
            value.zeroize();
        }
        self.answers.clear();
        for value in &mut self.ticked {
            value.zeroize();
        }
        self.ticked.clear();
    }
}

impl Drop for Chat {
    fn drop(&mut self) {
        self.wipe();
    }
}

/// The conversation's language from the person's Telegram settings.
pub fn locale_of(language: Option<&str>) -> Locale {
    match language {
        Some(code) if code.starts_with("en") => Locale::En,
        Some(code) if code.starts_with("ar") => Locale::Ar,
        _ => Locale::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_cut_after_the_burst() {
        let mut chat = Chat::new(Locale::Ar);
        let allowed = (0..100).filter(|_| chat.allow(12.0, 30.0)).count();
        assert_eq!(allowed, 12);
    }

    #[test]
    fn restarting_forgets_the_answers() {
        let mut chat = Chat::new(Locale::En);
        chat.answers.push(("name".into(), "secret".into()));
        chat.stage = Stage::Asking(1);
        chat.restart();
        assert!(chat.answers.is_empty());
        assert_eq!(chat.stage, Stage::Warned);
        assert_eq!(locale_of(Some("en-GB")), Locale::En);
        assert_eq!(locale_of(Some("ar")), Locale::Ar);
        assert_eq!(locale_of(None), Locale::default());
    }
}
