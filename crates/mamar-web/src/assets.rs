//! Static files compiled into the binary, so nothing is ever fetched from
//! another origin and a fresh machine needs no files beside the binary.
//!
//! Each file is also served under a name that carries the start of its
//! SHA-256 (`mamar.3f2a…c1.css`), cached for a year as immutable: pages link
//! to those names ([`url`]), so a new release's styles or fonts are fetched
//! at once and an unchanged one is never fetched again. The stylesheet names
//! the fonts by their hashed names, and its own name hashes that text. The
//! plain names still answer, cached for an hour, for pages already open.

use std::sync::LazyLock;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

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

/// How long a file under its hashed name may be kept: a year, unchanged.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// How long a file under its plain name may be kept.
const PLAIN: &str = "public, max-age=3600";

/// One file as served: its plain name, its hashed name and its bytes (the
/// stylesheet's rewritten to name the fonts by their hashed names).
struct Served {
    plain: &'static str,
    hashed: String,
    content_type: &'static str,
    body: Bytes,
}

/// `name.<12 hex digits of SHA-256>.ext`.
fn hashed_name(path: &str, body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let tag: String = digest.iter().take(6).map(|byte| format!("{byte:02x}")).collect();
    match path.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{tag}.{extension}"),
        None => format!("{path}.{tag}"),
    }
}

fn is_stylesheet(asset: &Asset) -> bool {
    asset.content_type.starts_with("text/css")
}

static SERVED: LazyLock<Vec<Served>> = LazyLock::new(|| {
    // Everything but stylesheets first: a stylesheet names the others.
    let mut served: Vec<Served> = ASSETS
        .iter()
        .filter(|asset| !is_stylesheet(asset))
        .map(|asset| Served {
            plain: asset.path,
            hashed: hashed_name(asset.path, asset.body),
            content_type: asset.content_type,
            body: Bytes::from_static(asset.body),
        })
        .collect();
    for asset in ASSETS.iter().filter(|asset| is_stylesheet(asset)) {
        let mut text = String::from_utf8_lossy(asset.body).into_owned();
        for other in &served {
            text = text.replace(
                &format!("/assets/{}\"", other.plain),
                &format!("/assets/{}\"", other.hashed),
            );
        }
        let body = text.into_bytes();
        served.push(Served {
            plain: asset.path,
            hashed: hashed_name(asset.path, &body),
            content_type: asset.content_type,
            body: Bytes::from(body),
        });
    }
    served
});

/// The address pages use for the asset `path` (its hashed name), or the
/// plain address for a name that is not an asset.
pub fn url(path: &str) -> String {
    match SERVED.iter().find(|served| served.plain == path) {
        Some(served) => format!("/assets/{}", served.hashed),
        None => format!("/assets/{path}"),
    }
}

pub async fn serve(Path(path): Path<String>) -> Response {
    let found = SERVED.iter().find_map(|served| {
        if served.hashed == path {
            Some((served, IMMUTABLE))
        } else if served.plain == path {
            Some((served, PLAIN))
        } else {
            None
        }
    });
    match found {
        Some((served, cache)) => {
            let mut response = served.body.clone().into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(served.content_type),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_name_changes_with_the_content_and_keeps_the_extension() {
        let one = hashed_name("fonts/a.woff2", b"one");
        assert!(one.starts_with("fonts/a.") && one.ends_with(".woff2"), "{one}");
        assert_eq!(one.len(), "fonts/a.".len() + 12 + ".woff2".len());
        assert_ne!(one, hashed_name("fonts/a.woff2", b"two"));
        assert_eq!(one, hashed_name("fonts/a.woff2", b"one"));
    }
}
