//! The panic action from the staff side: two steps (a link on the accounts
//! page, then this page, which asks for the administrator's password and a
//! typed phrase) before every wrapped key, grant, session and the recovery
//! bundle are destroyed. What is stored stays and can never be opened again.
//! The act is recorded on the audit log first; the log holds no key and
//! survives it. A decoy session sees the same pages and destroys nothing.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mamar_usecases::account::{self, AccountError};

use super::accounts::reauthenticate;
use super::cases::caller;
use super::{LangLink, render, switch_links};
use crate::auth::{Ctx, StaffContext, forbidden};
use crate::error::PageError;
use crate::i18n::Tr;
use crate::session;
use crate::state::AppState;

type Fields = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "staff_panic.html")]
struct PanicPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: crate::pages::staff::Nav,
    csrf: String,
    phrase: String,
    /// What was typed as the phrase, kept when the form is refused for
    /// another reason (the password).
    typed: String,
    problem: String,
}

#[derive(Template)]
#[template(path = "staff_panic_done.html")]
struct DonePage {
    tr: Tr,
    switch: Vec<LangLink>,
}

async fn panic_page(
    state: &AppState,
    ctx: &StaffContext,
    problem: &str,
    typed: &str,
    status: StatusCode,
) -> Response {
    let tr = Tr::new(ctx.locale);
    let page = PanicPage {
        switch: switch_links(ctx.locale, "/staff/panic"),
        nav: crate::pages::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        phrase: tr.t("staff-panic-phrase"),
        typed: typed.to_owned(),
        problem: if problem.is_empty() {
            String::new()
        } else {
            tr.t(problem)
        },
        tr,
    };
    let mut response = render(&page, ctx.locale);
    *response.status_mut() = status;
    response
}

/// The phrase compared as a codename is: hamza forms, diacritics (tashkeel),
/// tatweel, letter case and the spaces between words do not count.
fn same_phrase(typed: &str, phrase: &str) -> bool {
    use mamar_core::codename::wordlist::fold;
    let typed = fold(typed);
    !typed.is_empty() && typed == fold(phrase)
}

pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Response {
    panic_page(&state, &ctx, "", "", StatusCode::OK).await
}

pub async fn destroy(State(state): State<AppState>, ctx: Ctx, Form(fields): Form<Fields>) -> Response {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    };
    let phrase = Tr::new(ctx.locale).t("staff-panic-phrase");
    let typed = get("phrase");
    if !same_phrase(typed, &phrase) {
        return panic_page(
            &state,
            &ctx,
            "staff-panic-phrase-wrong",
            "",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match reauthenticate(&state, &ctx, get("password")).await {
        Ok(true) => {}
        Ok(false) => {
            return panic_page(
                &state,
                &ctx,
                "staff-reauth-failed",
                typed,
                StatusCode::UNAUTHORIZED,
            )
            .await;
        }
        Err(error) => return PageError::internal(ctx.locale, &error).into_response(),
    }
    if !ctx.is_decoy() {
        let destroyed =
            account::destroy_all_keys(state.store.as_ref(), &caller(&ctx), state.clock.now()).await;
        if let Err(AccountError::NotAllowed) = destroyed {
            return forbidden(ctx.locale);
        }
        // Nothing more is sealed to the destroyed intake key from here on.
        state.intake.forget_keys();
        state.checkpoints.forget();
        match destroyed {
            Ok(report) => tracing::warn!(
                staff_keys = report.staff_keys,
                org_keys = report.org_keys,
                sessions = report.sessions,
                "panic: every key destroyed from the staff pages"
            ),
            Err(error) => return PageError::internal(ctx.locale, &error).into_response(),
        }
    }
    let page = DonePage {
        tr: Tr::new(ctx.locale),
        switch: switch_links(ctx.locale, "/staff/login"),
    };
    let mut response = render(&page, ctx.locale);
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    response
}

#[cfg(test)]
mod tests {
    use super::same_phrase;

    #[test]
    fn the_phrase_is_compared_as_a_codename_is() {
        let arabic = "أتلف كل المفاتيح";
        for typed in [
            arabic,
            "اتلف كل المفاتيح",
            "  أتلفْ  كلَّ المفاتيح ",
            "إتلف كل المفاتيـــح",
        ] {
            assert!(same_phrase(typed, arabic), "{typed}");
        }
        assert!(same_phrase("Destroy  ALL keys", "destroy all keys"));
        for typed in ["أتلف كل", "destroy all key", "", "   "] {
            assert!(
                !same_phrase(typed, arabic) && !same_phrase(typed, "destroy all keys"),
                "{typed}"
            );
        }
    }
}
