//! The stand-alone verifier (`mamar-verify`) as downloads, when the operator
//! has placed its builds in a directory (`verifier_dir`): the verify page
//! lists each file with its SHA-256, and `GET /{lang}/verify/download/{name}`
//! serves it.
//!
//! The directory is read once, when the server starts: only regular files
//! with a plain name (letters, digits, `.`, `-`, `_`) and at most
//! [`MAX_FILE_BYTES`] are offered, at most [`MAX_FILES`] of them, so that no
//! request names a path. A file changed after the start is not served (its
//! SHA-256 would no longer be the one the page lists).

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::{Failure, PageError};
use crate::state::AppState;

/// The largest file offered (a verifier build is a few megabytes).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The most files offered.
pub const MAX_FILES: usize = 16;

/// One file offered for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub name: String,
    /// Lower-case hex.
    pub sha256: String,
    pub bytes: u64,
}

/// The verifier builds the operator placed in a directory.
#[derive(Debug, Clone)]
pub struct VerifierDownloads {
    dir: PathBuf,
    pub files: Vec<Download>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot read the verifier directory {dir}: {source}")]
pub struct DownloadsError {
    dir: PathBuf,
    source: std::io::Error,
}

fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl VerifierDownloads {
    /// Reads `dir` and hashes every file it offers, in name order.
    pub fn scan(dir: &Path) -> Result<VerifierDownloads, DownloadsError> {
        let failed = |source| DownloadsError {
            dir: dir.to_owned(),
            source,
        };
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(failed)? {
            let entry = entry.map_err(failed)?;
            let kind = entry.file_type().map_err(failed)?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if kind.is_file() && plain_name(&name) {
                names.push(name);
            }
        }
        names.sort();
        names.truncate(MAX_FILES);
        let mut files = Vec::with_capacity(names.len());
        for name in names {
            let path = dir.join(&name);
            let bytes = std::fs::metadata(&path).map_err(failed)?.len();
            if bytes > MAX_FILE_BYTES {
                continue;
            }
            let content = std::fs::read(&path).map_err(failed)?;
            files.push(Download {
                sha256: sha256_hex(&content),
                bytes,
                name,
            });
        }
        Ok(VerifierDownloads {
            dir: dir.to_owned(),
            files,
        })
    }
}

/// `GET /{lang}/verify/download/{name}`: one of the listed files, as an
/// attachment, only while its SHA-256 is still the one listed.
pub async fn serve(
    State(state): State<AppState>,
    UrlPath((lang, name)): UrlPath<(String, String)>,
) -> Response {
    let locale: mamar_core::Locale = lang.parse().unwrap_or_default();
    let not_found = || PageError::new(locale, Failure::NotFound).into_response();
    let Some(downloads) = &state.verifier else {
        return not_found();
    };
    let Some(file) = downloads.files.iter().find(|file| file.name == name) else {
        return not_found();
    };
    let Ok(content) = tokio::fs::read(downloads.dir.join(&file.name)).await else {
        return not_found();
    };
    if sha256_hex(&content) != file.sha256 {
        return not_found();
    }
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file.name),
            ),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        content,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_offered() {
        for good in ["mamar-verify-x86_64-linux", "mamar-verify.exe", "v0.1.0_arm64"] {
            assert!(plain_name(good), "{good}");
        }
        for bad in ["", ".hidden", "../etc", "a/b", "a b", "اسم", "a\\b"] {
            assert!(!plain_name(bad), "{bad}");
        }
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
