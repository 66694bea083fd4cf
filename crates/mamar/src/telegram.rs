//! Starting and stopping the Telegram channel with `mamar serve`: the bot
//! gets the server's own intake path (one writer, one ceiling, one cache),
//! its questionnaire and mamar's translations.

use std::sync::Arc;

use anyhow::Context;
use mamar_core::Locale;
use tokio::sync::watch;

use crate::config::TelegramConfig;

/// mamar's Fluent files, for the bot.
struct Translations;

impl mamar_telegram::Texts for Translations {
    fn text(&self, locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
        mamar_web::i18n::shipped().message_with(locale, key, args)
    }
}

pub struct Running {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops polling and releases the lease, so another server takes over at once.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::warn!(%error, "the Telegram poller ended badly");
        }
    }
}

pub fn spawn(
    config: &TelegramConfig,
    state: &mamar_web::AppState,
    store: Arc<dyn mamar_store::Store>,
) -> anyhow::Result<Running> {
    let api = mamar_telegram::BotApi::new(
        &config.api_url,
        config.token.expose(),
        std::time::Duration::from_secs(30),
    )
    .context("cannot set up the Telegram Bot API client")?;
    let bot = mamar_telegram::Bot::new(
        api,
        state.intake.clone(),
        state.questionnaire.clone(),
        Arc::new(Translations),
        mamar_telegram::BotSettings {
            web_address: config.web_address.clone(),
            ..mamar_telegram::BotSettings::default()
        },
    );
    let settings = mamar_telegram::PollSettings {
        wait: config.poll_wait,
        lease: config.poll_wait * 2 + std::time::Duration::from_secs(10),
        ..mamar_telegram::PollSettings::default()
    };
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(mamar_telegram::run(bot, store, settings, stopped));
    tracing::info!("the Telegram channel is on");
    Ok(Running { stop, task })
}
