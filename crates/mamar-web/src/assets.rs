//! Static files compiled into the binary, so nothing is ever fetched from
//! another origin and a fresh machine needs no files beside the binary.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "mamar.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/mamar.css"),
    },
    Asset {
        path: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../assets/favicon.svg"),
    },
    Asset {
        path: "webauthn.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/webauthn.js"),
    },
    Asset {
        path: "fonts/NotoSansArabic-Regular.woff2",
        content_type: "font/woff2",
        body: include_bytes!("../assets/fonts/NotoSansArabic-Regular.woff2"),
    },
    Asset {
        path: "fonts/NotoSansArabic-Bold.woff2",
        content_type: "font/woff2",
        body: include_bytes!("../assets/fonts/NotoSansArabic-Bold.woff2"),
    },
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.path == path) {
        Some(asset) => {
            let mut response = asset.body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
