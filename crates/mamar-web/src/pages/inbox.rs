//! The minimal staff side of intake: requests decrypted in the session of a
//! staff member who holds the intake key, and signed, sealed replies.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::Locale;
use mamar_crypto::{Keyring, OrgKeyKind, SealPurpose};
use mamar_store::{IntakeMessage, IntakeRequest};

use super::cases::caller;
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::intake_glue;
use crate::state::AppState;
use mamar_usecases::intake::{self, InboxError, InboxRequest};

pub const MAX_REPLY_CHARS: usize = 5_000;

pub struct RequestView {
    pub id: String,
    /// How the audit log names this request (the first 4 bytes of its id, in hex).
    pub reference: String,
    pub month: String,
    pub unreadable: bool,
    pub answers: Vec<(String, String)>,
    /// (from the requester?, text)
    pub messages: Vec<(bool, String)>,
}

#[derive(Template)]
#[template(path = "staff_inbox.html")]
struct InboxPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    requests: Vec<RequestLine>,
    page: u32,
    pages: u32,
    page_label: String,
    total: u64,
    problem: Option<String>,
    urgent_only: bool,
}

/// One line of the inbox: enough to choose what to open first.
pub struct RequestLine {
    pub id: String,
    pub month: String,
    pub urgent: bool,
    pub urgency: String,
    pub governorate: String,
    pub messages: usize,
    pub unreadable: bool,
}

#[derive(Template)]
#[template(path = "staff_request.html")]
struct RequestPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    request: RequestView,
    csrf: String,
    done: Option<String>,
}

/// Requests per page of the inbox.
const PAGE_SIZE: u32 = 25;

#[derive(serde::Deserialize, Default)]
pub struct InboxQuery {
    page: Option<u32>,
    urgent: Option<String>,
    problem: Option<String>,
    done: Option<String>,
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex16(text: &str) -> Option<[u8; 16]> {
    if text.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

fn open_with_intake(
    keyring: &Keyring,
    generation: i64,
    purpose: &SealPurpose<'_>,
    sealed: &[u8],
) -> Option<String> {
    let key = keyring.org_key_generation(OrgKeyKind::Intake, u32::try_from(generation).ok()?)?;
    let plain = mamar_crypto::open(key.intake()?, purpose, sealed).ok()?;
    Some(String::from_utf8_lossy(plain.expose_secret()).into_owned())
}

fn view(
    state: &AppState,
    keyring: &Keyring,
    locale: Locale,
    request: &IntakeRequest,
    messages: &[IntakeMessage],
) -> RequestView {
    let answers = keyring
        .org_key_generation(
            OrgKeyKind::Intake,
            u32::try_from(request.intake_generation).unwrap_or(0),
        )
        .and_then(|key| key.intake())
        .and_then(|key| {
            mamar_crypto::open(
                key,
                &SealPurpose::Intake {
                    request_id: &request.id,
                },
                &request.sealed,
            )
            .ok()
        })
        .and_then(|plain| intake_glue::describe_answers(&state.questionnaire, plain.expose_secret(), locale));
    let messages = messages
        .iter()
        .filter_map(|message| {
            let text = if message.from_requester {
                let purpose = SealPurpose::RequesterMessage {
                    request_id: &request.id,
                };
                open_with_intake(keyring, message.key_generation, &purpose, &message.sealed)?
            } else {
                let purpose = SealPurpose::Reply {
                    request_id: &request.id,
                };
                open_with_intake(
                    keyring,
                    message.key_generation,
                    &purpose,
                    message.staff_copy.as_deref()?,
                )?
            };
            Some((message.from_requester, text))
        })
        .collect();
    RequestView {
        id: hex(&request.id),
        reference: hex(&request.id[..4]),
        month: request.received_month.clone(),
        unreadable: answers.is_none(),
        answers: answers.unwrap_or_default(),
        messages,
    }
}

/// The role reads requests but the intake key has not been given yet: a
/// page that says so (the administrator sees the account waiting).
fn no_intake_key(locale: Locale) -> Response {
    PageError::new(locale, Failure::WaitingForKeys).into_response()
}

/// The page for an inbox read that did not happen.
fn inbox_failed(locale: Locale, error: &InboxError) -> Response {
    match error {
        InboxError::NoIntakeKey => no_intake_key(locale),
        InboxError::NotAllowed => crate::auth::forbidden(locale),
        InboxError::NotFound => PageError::new(locale, Failure::NotFound).into_response(),
        InboxError::Busy => PageError::new(locale, Failure::Busy).into_response(),
        InboxError::Crypto(_) | InboxError::Write(_) | InboxError::Store(_) => {
            PageError::internal(locale, error).into_response()
        }
    }
}

/// The answer a request gave to `field`, as the stored option value.
fn choice_of(view: &RequestView, state: &AppState, field: &str, locale: Locale) -> String {
    let label = state
        .questionnaire
        .field(field)
        .map(|f| f.label(locale).to_owned())
        .unwrap_or_default();
    view.answers
        .iter()
        .find(|(question, _)| *question == label)
        .map(|(_, answer)| answer.clone())
        .unwrap_or_default()
}

/// New requests, newest first, a page at a time: the month, how urgent,
/// where, and a link to read one in full. Requests opened as cases are not
/// here any more: they live in their case.
pub async fn inbox(State(state): State<AppState>, ctx: Ctx, Query(query): Query<InboxQuery>) -> Response {
    let locale = ctx.locale;
    let open = &ctx.session;
    let tr = Tr::new(locale);
    let page = query.page.unwrap_or(1).max(1);
    let intake::InboxPage { requests, total } = if ctx.is_decoy() {
        intake::InboxPage::default()
    } else {
        let offset = (page - 1) * PAGE_SIZE;
        match intake::inbox_page(
            state.store.as_ref(),
            &caller(&ctx),
            offset,
            PAGE_SIZE,
            state.clock.now(),
        )
        .await
        {
            Ok(found) => found,
            Err(error) => return inbox_failed(locale, &error),
        }
    };
    let urgent_label = state
        .questionnaire
        .field("urgency")
        .and_then(|f| f.option_label("immediate", locale))
        .unwrap_or("")
        .to_owned();
    let mut lines = Vec::with_capacity(requests.len());
    // Each was recorded as read by the use case before its content came back.
    for InboxRequest { request, messages } in &requests {
        let view = view(&state, &open.keyring, locale, request, messages);
        let urgency = choice_of(&view, &state, "urgency", locale);
        let urgent = !urgent_label.is_empty() && urgency == urgent_label;
        if query.urgent.is_some() && !urgent {
            continue;
        }
        lines.push(RequestLine {
            id: view.id.clone(),
            month: view.month.clone(),
            urgent,
            governorate: choice_of(&view, &state, "governorate", locale),
            urgency,
            messages: view.messages.len(),
            unreadable: view.unreadable,
        });
    }
    // The most urgent first within the page.
    lines.sort_by_key(|line| !line.urgent);
    let pages = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let problem = query
        .problem
        .as_deref()
        .filter(|code| code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        .map(|code| tr.t(&format!("case-problem-{code}")));
    render(
        &InboxPage {
            switch: switch_links(locale, "/staff/inbox"),
            nav: super::staff::nav(&state, &ctx).await,
            requests: lines,
            page_label: tr.t2("page-of", ("page", page.into()), ("pages", pages.into())),
            page,
            pages,
            total,
            problem,
            urgent_only: query.urgent.is_some(),
            tr,
        },
        locale,
    )
}

/// One request in full: the answers, the conversation, a reply, and
/// opening it as a case.
pub async fn request_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<InboxQuery>,
) -> Response {
    let locale = ctx.locale;
    let Some(id) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(locale, Failure::NotFound).into_response();
    }
    let InboxRequest { request, messages } =
        match intake::inbox_request(state.store.as_ref(), &caller(&ctx), &id, state.clock.now()).await {
            Ok(found) => found,
            Err(error) => return inbox_failed(locale, &error),
        };
    let tr = Tr::new(locale);
    let done = query
        .done
        .as_deref()
        .filter(|code| code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        .map(|code| tr.t(&format!("case-done-{code}")));
    render(
        &RequestPage {
            switch: switch_links(locale, &format!("/staff/inbox/{}", hex(&id))),
            nav: super::staff::nav(&state, &ctx).await,
            request: view(&state, &ctx.session.keyring, locale, &request, &messages),
            csrf: ctx.csrf(),
            done,
            tr,
        },
        locale,
    )
}

/// Signs the reply with the organisation's key, seals it to the requester's
/// codename-derived key, and keeps a copy sealed to the intake key.
pub async fn reply(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let locale = ctx.locale;
    let pairs = super::public::form_pairs(&body).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    if ctx.is_decoy() {
        return Redirect::to(&format!("/{}/staff/inbox", locale.code())).into_response();
    }
    let text = get("text").trim();
    let Some(id) = unhex16(get("request")) else {
        return PageError::new(locale, Failure::BadRequest).into_response();
    };
    if text.is_empty() || text.chars().count() > MAX_REPLY_CHARS {
        return PageError::new(locale, Failure::BadRequest).into_response();
    }
    let sent = intake::reply_to_request(
        state.store.as_ref(),
        state.intake.writer(),
        &caller(&ctx),
        &id,
        text,
        state.clock.now(),
    )
    .await;
    match sent {
        Ok(()) => Redirect::to(&format!(
            "/{}/staff/inbox/{}?done=reply-sent",
            locale.code(),
            hex(&id)
        ))
        .into_response(),
        Err(InboxError::Busy) => PageError::new(locale, Failure::Busy).into_response(),
        Err(error) => inbox_failed(locale, &error),
    }
}
