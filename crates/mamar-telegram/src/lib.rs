//! mamar's Telegram channel. The Bot API over plain HTTPS with serde
//! (`api`), long polling under a database lease so that one server of
//! several polls (`poller`), updates read defensively (`update`), and the
//! conversation (`bot`, `chat`) that runs the organisation's questionnaire
//! through the same intake use cases as the web form
//! (`mamar_usecases::intake`). It knows no SQL and no HTML; it keeps no chat
//! id, user name or answer anywhere but in memory, for a short while.

pub mod api;
pub mod bot;
mod chat;
pub mod poller;
pub mod update;

pub use api::{ApiError, BotApi};
pub use bot::{Bot, BotSettings, Texts};
pub use poller::{LEASE, PollSettings, run};
