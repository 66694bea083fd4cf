//! Downloading a granted export of a case: the page says what the file
//! contains and that the passphrase is never stored; the person who asked
//! types a passphrase twice and receives the file, encrypted with age to
//! it. Whether they may (the asker, once, before expiry, not frozen) and
//! what the file holds (what their duties read) is
//! `mamar_usecases::cases::download_export`'s to decide.

use axum::http::{HeaderValue, StatusCode, header};

use super::*;

#[derive(Template)]
#[template(path = "staff_case_export.html")]
struct ExportPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: crate::pages::staff::Nav,
    csrf: String,
    id: String,
    until: String,
    min_chars: usize,
    problem: Option<String>,
}

async fn page(
    state: &AppState,
    ctx: &crate::auth::StaffContext,
    id: &str,
    case: &[u8; 16],
    problem: Option<&'static str>,
) -> Response {
    let locale = ctx.locale;
    let now = state.clock.now();
    let offer = match cases::export_offer(state.store.as_ref(), &caller(ctx), case, now).await {
        Ok(Some(offer)) => offer,
        // Nothing to download (never granted, not theirs, used, expired): the case page says why not.
        Ok(None) => {
            return Redirect::to(&format!("/{}/staff/cases/{id}?problem=no-export", locale.code()))
                .into_response();
        }
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let tr = Tr::new(locale);
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ExportPage {
        switch: switch_links(locale, &format!("/staff/cases/{id}/export")),
        nav: crate::pages::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        id: id.to_owned(),
        until: super::due_text(offer.expires_at),
        min_chars: cases::MIN_PASSPHRASE_CHARS,
        problem: problem.map(|code| tr.t(&format!("case-problem-{code}"))),
        tr,
    };
    (status, render(&page, locale)).into_response()
}

pub async fn export_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let Some(case) = unhex16(&id) else {
        return PageError::new(ctx.locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(ctx.locale, Failure::NotFound).into_response();
    }
    page(&state, &ctx, &id, &case, None).await
}

/// The file, encrypted to the passphrase typed (twice) in the form.
pub async fn export_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let locale = ctx.locale;
    let Some(case) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(locale, Failure::NotFound).into_response();
    }
    let pairs = crate::pages::public::form_pairs(&body).unwrap_or_default();
    let passphrase = zeroize::Zeroizing::new(field(&pairs, "passphrase").to_owned());
    if passphrase.as_str() != field(&pairs, "confirm") {
        return page(&state, &ctx, &id, &case, Some("passphrase-mismatch")).await;
    }
    let tr = Tr::new(locale);
    let readme = tr.t("export-readme");
    let settings = cases::ExportSettings {
        readme: &readme,
        questionnaire: &state.questionnaire,
        locale,
        work_factor: state.export_work_factor,
    };
    let exported = cases::download_export(
        state.store.as_ref(),
        state.cases.as_ref(),
        &caller(&ctx),
        &case,
        &passphrase,
        &settings,
        state.clock.now(),
    )
    .await;
    let file = match exported {
        Ok(file) => file,
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(CaseError::WeakPassphrase) => {
            return page(&state, &ctx, &id, &case, Some("weak-passphrase")).await;
        }
        Err(error) => return super::page::back_to(locale, &id, Err(&error)),
    };
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
