//! A case's attachments over HTTP: the upload streams from the multipart body
//! into the use case chunk by chunk, and the download streams back out of it
//! the same way. Neither holds a whole file, and neither writes one to disk.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, header};
use futures_util::stream;

use super::page::back_to;
use super::*;

/// `POST /{lang}/staff/cases/{id}/attachments`: the form token is in the
/// query string (the guard checks it: see `Access::StaffUpload`), the file in
/// the multipart field `file`.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let locale = ctx.locale;
    let Some(case) = unhex16(&id) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(locale, Failure::NotFound).into_response();
    }
    let store = state.store.as_ref();
    let who = caller(&ctx);
    let now = state.clock.now();
    let config = state.cases.as_ref();
    let mut upload = match cases::begin_upload(store, config, &who, &case, now).await {
        Ok(upload) => upload,
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return back_to(locale, &id, Err(&error)),
    };
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        let _ = upload.abort(store).await;
        return back_to(locale, &id, Err(&CaseError::Upload(cases::UploadRefusal::Empty)));
    };
    let mut name = String::new();
    let mut received = false;
    let outcome: Result<(), CaseError> = async {
        // A body cut off or grown past its limit ends the stream with an error: refused as too large
        // when the limit was the cause, as missing otherwise. Nothing of it is kept either way.
        let broken = |error: axum::extract::multipart::MultipartError| {
            CaseError::Upload(if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                cases::UploadRefusal::TooLarge
            } else {
                cases::UploadRefusal::Empty
            })
        };
        while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
            if field.name() != Some("file") || received {
                continue;
            }
            received = true;
            name = field.file_name().unwrap_or_default().to_owned();
            while let Some(piece) = field.chunk().await.map_err(broken)? {
                upload.push(store, &piece).await?;
            }
        }
        Ok(())
    }
    .await;
    let outcome = match outcome {
        Ok(()) => upload
            .finish(store, config, &who, &name, now)
            .await
            .map(|_| "attached"),
        Err(error) => {
            let _ = upload.abort(store).await;
            Err(error)
        }
    };
    back_to(locale, &id, outcome.as_ref().map(|s| *s))
}

/// `GET /{lang}/staff/cases/{id}/attachments/{file}`: the file, decrypted a
/// chunk at a time as it is sent, offered for saving (never shown inline).
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, id, file)): Path<(String, String, String)>,
) -> Response {
    let locale = ctx.locale;
    let (Some(case), Some(file)) = (unhex16(&id), unhex16(&file)) else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    if ctx.is_decoy() {
        return PageError::new(locale, Failure::NotFound).into_response();
    }
    let store = state.store.as_ref();
    let opened = match cases::open_attachment(store, state.cases.as_ref(), &caller(&ctx), &case, &file).await
    {
        Ok(opened) => opened,
        Err(CaseError::NotFound) => return PageError::new(locale, Failure::NotFound).into_response(),
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let content_type = opened.info.content_type.clone();
    let disposition = content_disposition(&opened.info.name);
    let length = opened.info.bytes;
    let store = state.store.clone();
    let chunks = stream::unfold((store, opened, 0_u32), |(store, opened, index)| async move {
        if index >= opened.chunk_count() {
            return None;
        }
        match opened.chunk(store.as_ref(), index).await {
            Ok(plain) => Some((
                Ok(axum::body::Bytes::copy_from_slice(plain.expose_secret())),
                (store, opened, index + 1),
            )),
            // A chunk that does not open ends the download short: the browser reports a failed
            // download instead of saving a file that is silently wrong.
            Err(_) => Some((
                Err(std::io::Error::other("an attachment chunk did not open")),
                (store, opened, u32::MAX),
            )),
        }
    });
    let mut response = axum::body::Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the real (often Arabic) name.
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn a_file_name_is_offered_in_ascii_and_in_full() {
        assert_eq!(
            content_disposition("هوية 1.pdf"),
            "attachment; filename=\"_____1.pdf\"; filename*=UTF-8''%D9%87%D9%88%D9%8A%D8%A9%201%2Epdf"
        );
    }
}
