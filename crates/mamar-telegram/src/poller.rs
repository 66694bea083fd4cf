//! Long polling under a lease: among the servers on one database only the
//! holder of the `telegram` lease calls `getUpdates`; the others wait and
//! take over when it stops (it releases the lease) or dies (the lease
//! expires). The update offset lives in the lease row, advanced after each
//! update is handled, so a successor neither repeats nor skips updates.
//! When the Bot API is unreachable the poller waits longer and longer (up
//! to a minute) before trying again; nothing else in the server waits on it.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mamar_store::Store;
use tokio::sync::watch;

use crate::bot::Bot;
use crate::update::update_id;

/// The lease's name in the database.
pub const LEASE: &str = "telegram";

#[derive(Debug, Clone)]
pub struct PollSettings {
    /// How long `getUpdates` waits for an update (Telegram allows up to 50 s).
    pub wait: Duration,
    /// How long the lease lasts unless renewed; longer than `wait`.
    pub lease: Duration,
    /// How often a server without the lease asks for it.
    pub standby: Duration,
    /// The longest pause between attempts while the Bot API is unreachable.
    pub max_backoff: Duration,
}

impl Default for PollSettings {
    fn default() -> Self {
        PollSettings {
            wait: Duration::from_secs(25),
            lease: Duration::from_secs(60),
            standby: Duration::from_secs(10),
            max_backoff: Duration::from_secs(60),
        }
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX).max(1)
}

/// Runs until `stop` turns true; releases the lease on the way out.
pub async fn run(
    mut bot: Bot,
    store: Arc<dyn Store>,
    settings: PollSettings,
    mut stop: watch::Receiver<bool>,
) {
    let holder = match mamar_crypto::random_bytes::<16>() {
        Ok(id) => id,
        Err(error) => {
            tracing::error!(%error, "the Telegram poller cannot start: no random id");
            return;
        }
    };
    let mut backoff = Duration::from_secs(1);
    let mut holding = false;
    loop {
        if *stop.borrow() {
            break;
        }
        let taken = store
            .take_lease(LEASE, &holder, now(), now() + seconds(settings.lease))
            .await;
        let pause = match taken {
            Ok(Some(offset)) => {
                if !holding {
                    tracing::info!("this server polls Telegram");
                    holding = true;
                }
                let polled = tokio::select! {
                    polled = bot.api().get_updates(offset, settings.wait) => polled,
                    _ = stop.changed() => break,
                };
                match polled {
                    Ok(updates) => {
                        backoff = Duration::from_secs(1);
                        let mut offset = offset;
                        for raw in updates {
                            bot.handle(&raw).await;
                            if let Some(id) = update_id(&raw) {
                                offset = offset.max(id + 1);
                            }
                            let renewed = store
                                .renew_lease(LEASE, &holder, now() + seconds(settings.lease), offset)
                                .await;
                            if !matches!(renewed, Ok(true)) {
                                tracing::warn!("the Telegram lease was lost while handling updates");
                                break;
                            }
                        }
                        bot.sweep();
                        Duration::ZERO
                    }
                    Err(error) => {
                        tracing::warn!(%error, "Telegram cannot be reached; trying again later");
                        let pause = backoff;
                        backoff = (backoff * 2).min(settings.max_backoff);
                        pause
                    }
                }
            }
            Ok(None) => {
                if holding {
                    tracing::info!("another server polls Telegram now");
                    holding = false;
                }
                settings.standby
            }
            Err(error) => {
                tracing::warn!(%error, "the Telegram lease cannot be read");
                let pause = backoff;
                backoff = (backoff * 2).min(settings.max_backoff);
                pause
            }
        };
        if !pause.is_zero() {
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                _ = stop.changed() => break,
            }
        }
    }
    if holding && let Err(error) = store.release_lease(LEASE, &holder).await {
        tracing::warn!(%error, "the Telegram lease could not be released; it expires by itself");
    }
}
