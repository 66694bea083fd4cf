//! Signed statistical releases: the CSV and JSON files an organisation
//! publishes, each signed with its signing key so that anyone can check
//! offline, with `mamar verify --release`, that the numbers are the
//! organisation's and unchanged.
//!
//! - CSV: three comment lines (`# mamar-signed-release v1`, `# signing-key:
//!   …`, `# signature: …`), then the CSV exactly as signed (LF line ends;
//!   CRLF read back as LF).
//! - JSON: an object `{"format": "mamar-signed-release v1", "signing_key":
//!   …, "signature": …, "release": {…}}`; the signature covers the exact
//!   bytes of the `release` value as they stand in the file.
//!
//! The signed bytes start with the file kind (`csv` or `json`), so a
//! signature moves to no other file, and the purpose is `Release`, so it
//! passes for no card or reply either.

use mamar_crypto::{SignaturePurpose, SigningKey};
use serde::Deserialize;

use crate::card::{CardError, FormatProblem, decode_signature, format_error, trusted_key};

pub const SIGNED_RELEASE_HEADER: &str = "mamar-signed-release v1";
/// The largest release file `mamar verify` reads.
pub const MAX_RELEASE_BYTES: usize = 8 * 1024 * 1024;

/// Which of the two files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseFormat {
    Csv,
    Json,
}

impl ReleaseFormat {
    fn label(self) -> &'static [u8] {
        match self {
            ReleaseFormat::Csv => b"csv\0",
            ReleaseFormat::Json => b"json\0",
        }
    }
}

fn message(format: ReleaseFormat, body: &str) -> Vec<u8> {
    let mut bytes = format.label().to_vec();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

fn normalise(body: &str) -> String {
    body.replace("\r\n", "\n")
}

/// The signed CSV file for a CSV body.
pub fn signed_release_csv(key: &SigningKey, csv: &str) -> String {
    let body = normalise(csv);
    let signature = key.sign(SignaturePurpose::Release, &message(ReleaseFormat::Csv, &body));
    format!(
        "# {SIGNED_RELEASE_HEADER}\n# signing-key: {}\n# signature: {}\n{body}",
        hex::encode(key.verifying_key().to_bytes()),
        hex::encode(signature.to_bytes()),
    )
}

/// The signed JSON file for a JSON body (a JSON object).
pub fn signed_release_json(key: &SigningKey, json: &str) -> String {
    let body = json.trim();
    let signature = key.sign(SignaturePurpose::Release, &message(ReleaseFormat::Json, body));
    format!(
        "{{\n\"format\": \"{SIGNED_RELEASE_HEADER}\",\n\"signing_key\": \"{}\",\n\"signature\": \"{}\",\n\"release\": {body}\n}}\n",
        hex::encode(key.verifying_key().to_bytes()),
        hex::encode(signature.to_bytes()),
    )
}

#[derive(Deserialize)]
struct Envelope<'a> {
    format: String,
    signing_key: String,
    signature: String,
    #[serde(borrow)]
    release: &'a serde_json::value::RawValue,
}

/// Checks a signed release file (CSV or JSON, told apart by its first
/// character) against the fingerprint the reader trusts, and returns its
/// kind and the body exactly as signed.
pub fn verify_release(file: &str, expected_fingerprint: &str) -> Result<(ReleaseFormat, String), CardError> {
    if file.len() > MAX_RELEASE_BYTES {
        return Err(CardError::TooLarge {
            max: MAX_RELEASE_BYTES,
        });
    }
    let file = file.strip_prefix('\u{FEFF}').unwrap_or(file);
    let (format, hex_key, hex_signature, body) = if file.trim_start().starts_with('{') {
        let envelope: Envelope<'_> = serde_json::from_str(file).map_err(|e| {
            format_error(
                e.line(),
                FormatProblem::BadValue {
                    key: "release",
                    reason: e.to_string(),
                },
            )
        })?;
        if envelope.format != SIGNED_RELEASE_HEADER {
            return Err(format_error(2, FormatProblem::WrongHeader(SIGNED_RELEASE_HEADER)));
        }
        (
            ReleaseFormat::Json,
            envelope.signing_key,
            envelope.signature,
            envelope.release.get().to_owned(),
        )
    } else {
        let file = normalise(file);
        let mut lines = file.splitn(4, '\n');
        if lines.next().map(str::trim_end) != Some(&format!("# {SIGNED_RELEASE_HEADER}")) {
            return Err(format_error(1, FormatProblem::WrongHeader(SIGNED_RELEASE_HEADER)));
        }
        let mut field = |number: usize, key: &'static str| {
            lines
                .next()
                .and_then(|l| l.strip_prefix(&format!("# {key}: ")))
                .map(|v| v.trim().to_owned())
                .ok_or_else(|| format_error(number, FormatProblem::Missing(key)))
        };
        let hex_key = field(2, "signing-key")?;
        let hex_signature = field(3, "signature")?;
        let body = lines.next().unwrap_or_default().to_owned();
        (ReleaseFormat::Csv, hex_key, hex_signature, body)
    };
    let key = trusted_key(&hex_key, 2, expected_fingerprint)?;
    let signature = decode_signature(&hex_signature, 3)?;
    key.verify(SignaturePurpose::Release, &message(format, &body), &signature)
        .map_err(|_| CardError::BadSignature)?;
    Ok((format, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(key: &SigningKey) -> String {
        hex::encode(key.verifying_key().fingerprint().as_bytes())
    }

    #[test]
    fn a_signed_csv_and_json_verify_and_a_changed_number_fails() {
        let key = SigningKey::generate().unwrap();
        let csv = "table,row,count\n1,army,31\n1,interior,\n";
        let json = "{\n  \"tables\": [{\"army\": 31}]\n}";
        let signed_csv = signed_release_csv(&key, csv);
        let signed_json = signed_release_json(&key, json);
        assert_eq!(
            verify_release(&signed_csv, &fingerprint(&key)).unwrap(),
            (ReleaseFormat::Csv, csv.to_owned())
        );
        assert_eq!(
            verify_release(&signed_json, &fingerprint(&key)).unwrap(),
            (ReleaseFormat::Json, json.to_owned())
        );
        // Windows line ends do not matter to the CSV.
        assert!(verify_release(&signed_csv.replace('\n', "\r\n"), &fingerprint(&key)).is_ok());

        // Only the number changes: the key and signature lines are hex and may hold "31" too.
        for changed in [
            signed_csv.replace("army,31", "army,32"),
            signed_json.replace("\"army\": 31", "\"army\": 32"),
        ] {
            assert_ne!(changed, signed_csv);
            assert_ne!(changed, signed_json);
            assert!(matches!(
                verify_release(&changed, &fingerprint(&key)),
                Err(CardError::BadSignature)
            ));
        }
        let other = SigningKey::generate().unwrap();
        assert!(matches!(
            verify_release(&signed_csv, &fingerprint(&other)),
            Err(CardError::FingerprintMismatch)
        ));
        // A release signature is no reply signature, nor the other way round.
        let reply = crate::signed_reply_text(&key, csv);
        assert!(verify_release(&reply, &fingerprint(&key)).is_err());
    }
}
