//! The page shown while the public site cannot take requests: it says why
//! in plain words and lists the other channels from the organisation's
//! signed contact card (503).

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use mamar_core::Locale;
use mamar_keys::{CardDate, CardError, ContactCard};

use super::{LangLink, render, switch_links};
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// The free space under the database is below the floor.
    NoSpace,
    /// The ceiling of new requests per minute is reached.
    TooMany,
    /// The panic action destroyed the organisation's keys.
    KeysDestroyed,
    /// The same, as the staff login says it.
    StaffKeysDestroyed,
    /// A request could not be stored (the storage failed).
    NotStored,
}

impl Closed {
    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Closed::NoSpace | Closed::TooMany => ("closed-title", "closed-for-now"),
            Closed::KeysDestroyed => ("closed-title", "closed-keys-destroyed"),
            Closed::StaffKeysDestroyed => ("closed-staff-title", "closed-staff-keys-destroyed"),
            Closed::NotStored => ("closed-not-stored-title", "closed-not-stored"),
        }
    }

    fn retry_after(self) -> Option<&'static str> {
        match self {
            Closed::NoSpace | Closed::NotStored => Some("600"),
            Closed::TooMany => Some("60"),
            Closed::KeysDestroyed | Closed::StaffKeysDestroyed => None,
        }
    }
}

#[derive(Template)]
#[template(path = "closed.html")]
struct ClosedPage {
    tr: Tr,
    switch: Vec<LangLink>,
    title: String,
    message: String,
    staff: bool,
    channels: Vec<String>,
}

/// The stored contact card, checked against the organisation's public
/// signing key; none when either is missing or the card does not verify.
pub(crate) async fn card(state: &AppState) -> Option<ContactCard> {
    let key = state.intake.signing_key().await?;
    let text = state.intake.contact_card().await.ok()??;
    let today = CardDate::from_unix_days(crate::session::now().div_euclid(86_400))?;
    match mamar_keys::verify_card(&text, &key.fingerprint().to_string(), today) {
        Ok(card) => Some(card),
        // Still the organisation's own signed list; the page says to check it.
        Err(CardError::Expired { card, .. }) => Some(*card),
        Err(_) => None,
    }
}

/// The channels of the stored contact card; none without one.
pub(crate) async fn channels(state: &AppState) -> Vec<String> {
    let Some(card) = card(state).await else {
        return Vec::new();
    };
    card.web_address
        .into_iter()
        .chain(card.onion_address)
        .chain(card.hotlines)
        .chain(card.telegram_bot)
        .collect()
}

pub async fn closed_page(state: &AppState, locale: Locale, why: Closed) -> Response {
    let tr = Tr::new(locale);
    let (title, message) = why.keys();
    let staff = why == Closed::StaffKeysDestroyed;
    let page = ClosedPage {
        tr,
        switch: if why == Closed::NotStored {
            Vec::new()
        } else {
            switch_links(locale, if staff { "/staff/login" } else { "/" })
        },
        title: tr.t(title),
        message: tr.t(message),
        staff,
        channels: if staff { Vec::new() } else { channels(state).await },
    };
    let mut response = render(&page, locale);
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    if let Some(seconds) = why.retry_after() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static(seconds));
    }
    response
}
