//! The requester's pages: the contact form, the codename shown once, and
//! coming back with the codename. None needs JavaScript or sets a cookie;
//! the codename travels only in POST bodies, never in an address.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamar_core::Locale;
use mamar_usecases::intake::{
    FirstRequest, IntakeError, MAX_MESSAGE_CHARS, MessageProblem, ReadReply, Said, check_message,
    new_codename, parse_codename,
};

use super::{LangLink, render, switch_links};
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::intake_glue::{self, FieldKind, FieldView};
use crate::once::Claim;
use crate::state::AppState;

fn locale(lang: &str) -> Result<Locale, PageError> {
    lang.parse()
        .map_err(|_| PageError::new(Locale::default(), Failure::NotFound))
}

/// Form pairs from a urlencoded body; `None` when a name or value is not
/// valid UTF-8 once decoded (the usual decoders would quietly replace it).
pub(crate) fn form_pairs(body: &[u8]) -> Option<Vec<(String, String)>> {
    let decode = |part: &[u8]| -> Option<String> {
        let spaced: Vec<u8> = part.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        percent_encoding::percent_decode(&spaced)
            .decode_utf8()
            .ok()
            .map(|text| text.into_owned())
    };
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut halves = pair.splitn(2, |&b| b == b'=');
            let name = decode(halves.next().unwrap_or_default())?;
            let value = decode(halves.next().unwrap_or_default())?;
            Some((name, value))
        })
        .collect()
}

/// A submission that failed for any reason of the storage or the keys (reading the intake key
/// included, not only the write) was not stored: the page must say so, with the other channels.
fn not_stored(error: IntakeError) -> IntakeError {
    match error {
        IntakeError::Store(error) => IntakeError::Write(error.to_string()),
        IntakeError::Crypto(error) => IntakeError::Write(error.to_string()),
        other => other,
    }
}

async fn intake_failure(state: &AppState, locale: Locale, error: &IntakeError) -> Response {
    match error {
        IntakeError::Busy => PageError::new(locale, Failure::Busy).into_response(),
        // The storage failed: say that nothing was stored, and where else to go.
        IntakeError::Write(reason) => {
            tracing::error!(error = %reason, "an intake write failed");
            super::closed::closed_page(state, locale, super::closed::Closed::NotStored).await
        }
        IntakeError::NoIntakeKey => {
            super::closed::closed_page(state, locale, super::closed::Closed::KeysDestroyed).await
        }
        other => PageError::internal(locale, other).into_response(),
    }
}

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    tr: Tr,
    switch: Vec<LangLink>,
    intro: String,
    fields: Vec<FieldView>,
    errors_summary: String,
    codename_language: String,
    once: String,
}

fn contact_page(
    state: &AppState,
    locale: Locale,
    fields: Vec<FieldView>,
    errors: usize,
    codename_language: &str,
    once: Option<&str>,
) -> Response {
    // The form's one-time token: kept when the form comes back with problems.
    let once = match once {
        Some(token) => token.to_owned(),
        None => match crate::once::SubmissionTokens::issue() {
            Ok(token) => token,
            Err(error) => return PageError::internal(locale, &error).into_response(),
        },
    };
    let tr = Tr::new(locale);
    let errors_summary = if errors > 0 {
        tr.t1("contact-errors", "count", errors)
    } else {
        String::new()
    };
    let page = ContactPage {
        tr,
        switch: switch_links(locale, "/contact"),
        intro: state.questionnaire.intro(locale).to_owned(),
        fields,
        errors_summary,
        codename_language: codename_language.to_owned(),
        once,
    };
    let mut response = render(&page, locale);
    if errors > 0 {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn contact_form(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    match locale(&lang) {
        Ok(locale) => {
            let fields = intake_glue::form(&state.questionnaire, locale, &[], &HashMap::new());
            contact_page(&state, locale, fields, 0, locale.code(), None)
        }
        Err(error) => error.into_response(),
    }
}

#[derive(Template)]
#[template(path = "codename.html")]
struct CodenamePage {
    tr: Tr,
    switch: Vec<LangLink>,
    codename: String,
    codename_lang: &'static str,
}

pub async fn contact_submit(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    body: Bytes,
) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let Some(pairs) = form_pairs(&body) else {
        let mut fields = intake_glue::form(&state.questionnaire, locale, &[], &HashMap::new());
        if let Some(first) = fields.first_mut() {
            first.error = Some(Tr::new(locale).t("contact-bad-encoding"));
        }
        return contact_page(&state, locale, fields, 1, locale.code(), None);
    };
    let codename_locale = pairs
        .iter()
        .find(|(name, _)| name == "codename_language")
        .and_then(|(_, value)| value.parse::<Locale>().ok())
        .unwrap_or(locale);
    let once = pairs
        .iter()
        .find(|(name, _)| name == "once")
        .map(|(_, value)| value.as_str());
    let answers = match state.questionnaire.validate(&pairs) {
        Ok(answers) => answers,
        Err(errors) => {
            let problems: HashMap<String, _> = errors.into_iter().map(|e| (e.field, e.problem)).collect();
            let fields = intake_glue::form(&state.questionnaire, locale, &pairs, &problems);
            return contact_page(
                &state,
                locale,
                fields,
                problems.len(),
                codename_locale.code(),
                once,
            );
        }
    };
    let codename = match new_codename(codename_locale) {
        Ok(codename) => codename,
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    // The same form sent again (a refresh of the codename page, a double tap)
    // makes no second request; the codename is not kept to show it again.
    if state.submission_tokens.claim(once, std::time::Instant::now()) == Claim::AlreadyUsed {
        return render(
            &ReceivedAgainPage {
                tr: Tr::new(locale),
                switch: Vec::new(),
            },
            locale,
        );
    }
    // Only once the request is committed is the codename shown.
    if let Err(error) = state.intake.submit_request(&codename, &answers).await {
        state.submission_tokens.release(once);
        return intake_failure(&state, locale, &not_stored(error)).await;
    }
    render(
        &CodenamePage {
            tr: Tr::new(locale),
            switch: Vec::new(),
            codename,
            codename_lang: codename_locale.code(),
        },
        locale,
    )
}

#[derive(Template)]
#[template(path = "received_again.html")]
struct ReceivedAgainPage {
    tr: Tr,
    switch: Vec<LangLink>,
}

#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    tr: Tr,
    switch: Vec<LangLink>,
    problem: String,
}

fn follow_up_page(locale: Locale, problem_key: Option<&str>, status: StatusCode) -> Response {
    let tr = Tr::new(locale);
    let problem = problem_key.map(|key| tr.t(key)).unwrap_or_default();
    let mut response = render(
        &FollowUpPage {
            tr,
            switch: switch_links(locale, "/follow-up"),
            problem,
        },
        locale,
    );
    *response.status_mut() = status;
    response
}

pub async fn follow_up_form(Path(lang): Path<String>) -> Response {
    match locale(&lang) {
        Ok(locale) => follow_up_page(locale, None, StatusCode::OK),
        Err(error) => error.into_response(),
    }
}

pub struct ReplyView {
    pub signature_valid: bool,
    pub signed_block: String,
}

/// One message of the conversation as the page shows it: the requester's
/// first request (`first`), a later message of theirs (neither `first` nor
/// `reply`) or the organisation's, with its month in words.
pub struct EntryView {
    pub text: String,
    /// "November 2026" in the page's language; empty for a message from
    /// before months were kept.
    pub month: String,
    /// `YYYY-MM`, for the `<time>` element.
    pub month_code: String,
    pub reply: Option<ReplyView>,
    pub first: Option<FirstView>,
}

/// The requester's first request: what they typed, each under its question.
pub struct FirstView {
    /// (question, what they typed), in the form's order.
    pub answers: Vec<(String, String)>,
    /// Why nothing is shown (typed nothing, made before copies were kept,
    /// erased); empty when `answers` are shown.
    pub note: String,
}

fn first_view(state: &AppState, tr: &Tr, first: FirstRequest) -> FirstView {
    let (answers, note) = match first {
        FirstRequest::Shown(typed) => {
            let answers: Vec<(String, String)> = typed
                .display(&state.questionnaire, tr.locale)
                .into_iter()
                .map(|answer| (answer.label, answer.values.join(&tr.t("list-separator"))))
                .collect();
            let note = if answers.is_empty() {
                tr.t("conversation-first-nothing-typed")
            } else {
                String::new()
            };
            (answers, note)
        }
        FirstRequest::NotKept => (Vec::new(), tr.t("conversation-first-not-kept")),
        FirstRequest::Unavailable => (Vec::new(), tr.t("conversation-first-unavailable")),
    };
    FirstView { answers, note }
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    tr: Tr,
    switch: Vec<LangLink>,
    codename: String,
    sent_count: usize,
    entries: Vec<EntryView>,
    /// Some of the requester's messages were sent before copies were kept for them.
    earlier_not_shown: bool,
    has_reply: bool,
    fingerprint: String,
    notice: String,
    /// A problem with the message written.
    problem: String,
    /// The deletion was not confirmed: shown at the tick-box.
    delete_problem: String,
    max_message: usize,
    /// Partners the requester may agree to be referred to (once the request is a case).
    consent_partners: Vec<(String, String)>,
    consent_fields: Vec<(String, String)>,
    /// The partners the requester's consent is in force for, each with a withdraw button.
    given: Vec<GivenConsent>,
}

/// A consent the requester gave, as the follow-up page shows it (with what the partner saw).
pub struct GivenConsent {
    pub partner: String,
    pub name: String,
    /// "⟨partner⟩ may know: …".
    pub line: String,
    /// What the partner has already opened, said plainly.
    pub exposure: String,
    /// The confirmation was not ticked: said at the tick-box.
    pub problem: String,
}

/// The partners the requester agreed may know something, with what each has opened.
async fn given_consents(
    state: &AppState,
    tr: &Tr,
    request: &mamar_store::IntakeRequest,
    unconfirmed: Option<[u8; 16]>,
) -> Result<Vec<GivenConsent>, mamar_usecases::CaseError> {
    let store = state.store.as_ref();
    let given = mamar_usecases::partners::requester_consents(store, request).await?;
    if given.is_empty() {
        return Ok(Vec::new());
    }
    let all = mamar_usecases::partners::partners(store).await?;
    Ok(given
        .iter()
        .map(|c| {
            let name = all
                .iter()
                .find(|p| p.id == c.partner)
                .map(|p| p.name(tr.locale).to_owned())
                .unwrap_or_default();
            let exposure = if c.seen.is_empty() {
                tr.t1("follow-up-withdraw-unseen", "partner", name.clone())
            } else {
                tr.t2(
                    "follow-up-withdraw-seen",
                    ("partner", name.clone().into()),
                    ("fields", fields_text(tr, &c.seen).into()),
                )
            };
            GivenConsent {
                partner: crate::pages::inbox::hex(&c.partner),
                line: tr.t2(
                    "follow-up-withdraw-line",
                    ("partner", name.clone().into()),
                    ("fields", fields_text(tr, &c.fields).into()),
                ),
                exposure,
                problem: if unconfirmed == Some(c.partner) {
                    tr.t("follow-up-withdraw-unconfirmed")
                } else {
                    String::new()
                },
                name,
            }
        })
        .collect())
}

fn fields_text(tr: &Tr, fields: &[mamar_core::partner::ReferralField]) -> String {
    fields
        .iter()
        .map(|f| crate::pages::partners::field_label(tr, *f))
        .collect::<Vec<_>>()
        .join(&tr.t("list-separator"))
}

#[derive(Template)]
#[template(path = "deleted.html")]
struct DeletedPage {
    tr: Tr,
    switch: Vec<LangLink>,
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .unwrap_or("")
}

/// Every action of a returning requester: view, send a message, delete.
pub async fn follow_up_post(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    body: Bytes,
) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let Some(pairs) = form_pairs(&body) else {
        return follow_up_page(locale, Some("contact-bad-encoding"), StatusCode::BAD_REQUEST);
    };
    // The right codename is always looked up and always found: checking one
    // costs about as much as serving any page, so a flood of wrong ones
    // cannot take that away from the person who holds it. The shared budget
    // only decides how a miss is answered: once spent, misses are told to
    // wait (429), whatever they guessed.
    let found = match parse_codename(field(&pairs, "codename")) {
        Some(codename) => match state.intake.find_request(&codename).await {
            Ok(found) => found.map(|(request, keys)| (codename, request, keys)),
            Err(error) => return intake_failure(&state, locale, &error).await,
        },
        None => None,
    };
    let Some((codename, request, keys)) = found else {
        if !state.lookup_failures.allows() {
            let mut response =
                follow_up_page(locale, Some("follow-up-too-many"), StatusCode::TOO_MANY_REQUESTS);
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
            return response;
        }
        state.lookup_failures.record_failure();
        return follow_up_page(locale, Some("follow-up-unknown"), StatusCode::NOT_FOUND);
    };
    let tr = Tr::new(locale);
    let (mut notice, mut problem, mut delete_problem) = (String::new(), String::new(), String::new());
    let mut unconfirmed = None;
    match field(&pairs, "action") {
        "send" => match check_message(field(&pairs, "message")) {
            Err(MessageProblem::Empty) => problem = tr.t("conversation-empty-message"),
            Err(MessageProblem::TooLong) => problem = tr.t("field-too-long"),
            Err(MessageProblem::ControlCharacter) => problem = tr.t("field-control-character"),
            Ok(text) => {
                let sent = state
                    .intake
                    .add_requester_message(&request, text, state.clock.now())
                    .await;
                if let Err(error) = sent {
                    return intake_failure(&state, locale, &not_stored(error)).await;
                }
                notice = tr.t("conversation-sent-notice");
            }
        },
        "delete" => {
            if field(&pairs, "confirm") == "yes" {
                if let Err(error) = state.intake.delete_request(&request).await {
                    return intake_failure(&state, locale, &error).await;
                }
                return render(
                    &DeletedPage {
                        tr,
                        switch: Vec::new(),
                    },
                    locale,
                );
            }
            // Said beside the tick-box it is about, in the delete form.
            delete_problem = tr.t("conversation-delete-unconfirmed");
        }
        "consent" => {
            let partner = crate::pages::inbox::unhex16(field(&pairs, "partner"));
            let fields = crate::pages::partners::all_of(&pairs, "field");
            let given = match partner {
                Some(partner) => {
                    mamar_usecases::partners::give_consent(state.store.as_ref(), &request, &partner, &fields)
                        .await
                }
                None => Err(mamar_usecases::CaseError::NoSuchPartner),
            };
            match given {
                Ok(partner) => {
                    let name = if locale == Locale::Ar {
                        partner.name_ar
                    } else {
                        partner.name_en
                    };
                    notice = tr.t1("follow-up-consent-given", "partner", name);
                }
                Err(mamar_usecases::CaseError::Partner(
                    mamar_core::partner::PartnerRuleError::NothingChosen,
                )) => {
                    problem = tr.t("follow-up-consent-nothing");
                }
                Err(
                    mamar_usecases::CaseError::NoSuchPartner
                    | mamar_usecases::CaseError::BadText
                    | mamar_usecases::CaseError::RequestNotFound
                    | mamar_usecases::CaseError::Partner(_),
                ) => problem = tr.t("follow-up-consent-unavailable"),
                Err(error) => return PageError::internal(locale, &error).into_response(),
            }
        }
        // Withdrawing is the use case's (every referral to that partner revoked with it); the
        // page asks for a tick that the person understands, as deleting does.
        "withdraw" => match crate::pages::inbox::unhex16(field(&pairs, "partner")) {
            Some(partner) if field(&pairs, "confirm") != "yes" => unconfirmed = Some(partner),
            Some(partner) => {
                let store = state.store.as_ref();
                match mamar_usecases::partners::withdraw_consent(store, &request, &partner, state.clock.now())
                    .await
                {
                    Ok(withdrawal) => {
                        let name = mamar_usecases::partners::partners(store)
                            .await
                            .unwrap_or_default()
                            .iter()
                            .find(|p| p.id == partner)
                            .map(|p| p.name(locale).to_owned())
                            .unwrap_or_default();
                        notice = tr.t1("follow-up-withdrawn", "partner", name.clone());
                        if !withdrawal.seen.is_empty() {
                            notice = format!(
                                "{notice} {}",
                                tr.t2(
                                    "follow-up-withdrawn-seen",
                                    ("partner", name.into()),
                                    ("fields", fields_text(&tr, &withdrawal.seen).into()),
                                )
                            );
                        }
                    }
                    Err(
                        mamar_usecases::CaseError::Partner(_) | mamar_usecases::CaseError::RequestNotFound,
                    ) => problem = tr.t("follow-up-withdraw-nothing"),
                    Err(error) => return PageError::internal(locale, &error).into_response(),
                }
            }
            None => problem = tr.t("follow-up-withdraw-nothing"),
        },
        _ => {}
    }
    let consent_partners =
        match mamar_usecases::partners::request_is_case(state.store.as_ref(), &request).await {
            Ok(true) => mamar_usecases::partners::confirmed_partners(state.store.as_ref())
                .await
                .unwrap_or_default()
                .iter()
                .map(|p| (crate::pages::inbox::hex(&p.id), p.name(locale).to_owned()))
                .collect(),
            _ => Vec::new(),
        };
    let consent_fields = mamar_core::partner::ReferralField::ALL
        .iter()
        .map(|f| (f.code().to_owned(), crate::pages::partners::field_label(&tr, *f)))
        .collect();
    let given = match given_consents(&state, &tr, &request, unconfirmed).await {
        Ok(given) => given,
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let conversation = match state.intake.conversation(&request, &keys).await {
        Ok(conversation) => conversation,
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let fingerprint = conversation.fingerprint;
    let entries: Vec<EntryView> = conversation
        .entries
        .into_iter()
        .map(|entry| {
            let month_code = entry.month.unwrap_or_default();
            let month = crate::i18n::month_in_words(&tr, &month_code);
            match entry.said {
                Said::FirstRequest(first) => EntryView {
                    text: String::new(),
                    month,
                    month_code,
                    reply: None,
                    first: Some(first_view(&state, &tr, first)),
                },
                Said::Requester(text) => EntryView {
                    text,
                    month,
                    month_code,
                    reply: None,
                    first: None,
                },
                Said::Organisation(ReadReply {
                    text,
                    signature_valid,
                    block,
                }) => EntryView {
                    text,
                    month,
                    month_code,
                    reply: Some(ReplyView {
                        signature_valid,
                        signed_block: block,
                    }),
                    first: None,
                },
            }
        })
        .collect();
    let has_reply = entries.iter().any(|entry| entry.reply.is_some());
    let sent_count = 1 + conversation.sent_later;
    render(
        &ConversationPage {
            tr,
            switch: Vec::new(),
            codename,
            sent_count,
            entries,
            earlier_not_shown: conversation.earlier_not_shown,
            has_reply,
            fingerprint,
            notice,
            problem,
            delete_problem,
            max_message: MAX_MESSAGE_CHARS,
            consent_partners,
            consent_fields,
            given,
        },
        locale,
    )
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    tr: Tr,
    switch: Vec<LangLink>,
    fingerprint: String,
    /// The fingerprint as words, one per item, to compare in order.
    words: Vec<String>,
    words_lang: &'static str,
    /// The channels of the signed card, where the same words are published.
    channels: Vec<String>,
    qr: String,
    has_card: bool,
    /// The verifier builds this server offers, with their SHA-256.
    downloads: Vec<crate::downloads::Download>,
}

/// The check a person can do with a phone alone (the fingerprint words, to
/// compare with those published on the card's other channels), then the
/// check with a computer (hex, QR code, the signed card to download). The
/// card's own signing-key line is not shown: a person comparing by eye
/// compares the fingerprint, never the key.
pub async fn verify(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let key = state.intake.signing_key().await;
    let fingerprint = key.as_ref().map(|key| key.fingerprint());
    let qr = fingerprint
        .as_ref()
        .and_then(|fp| mamar_keys::fingerprint_qr_svg(fp).ok())
        .map(|svg| {
            use base64::Engine;
            format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            )
        })
        .unwrap_or_default();
    let has_card = match state.intake.contact_card().await {
        Ok(card) => card.is_some(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    render(
        &VerifyPage {
            tr: Tr::new(locale),
            switch: switch_links(locale, "/verify"),
            fingerprint: fingerprint.as_ref().map(ToString::to_string).unwrap_or_default(),
            words: fingerprint
                .as_ref()
                .map(|fp| {
                    mamar_keys::fingerprint_words(fp, locale)
                        .split(' ')
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            words_lang: locale.code(),
            channels: super::closed::channels(&state).await,
            qr,
            has_card,
            downloads: state
                .verifier
                .as_ref()
                .map(|offered| offered.files.clone())
                .unwrap_or_default(),
        },
        locale,
    )
}

/// The signed contact card as a file, for `mamar verify --card`.
pub async fn verify_card_file(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    match state.intake.contact_card().await {
        Ok(Some(card)) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"card.txt\""),
            ],
            card,
        )
            .into_response(),
        Ok(None) => PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => PageError::internal(locale, &error).into_response(),
    }
}

/// Where `mamar card publish` stores the signed contact card.
pub const CARD_SETTING: &str = mamar_usecases::intake::CARD_SETTING;
