//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as
//! authenticator apps make them: HMAC-SHA-1, six digits, 30-second steps.
//! The HMAC is RustCrypto's; this module only does RFC 4226's dynamic
//! truncation and the step arithmetic. It reads no clock: callers pass the
//! time.
//!
//! A code is accepted in the step it belongs to or one step either side
//! (clock drift), and only for a step later than the last one accepted, so
//! a code seen over someone's shoulder cannot be used again.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use crate::error::CryptoError;
use crate::random::random_bytes;
use crate::secret::SecretBytes;

/// Seconds per step (RFC 6238's default, and what every app assumes).
pub const TOTP_STEP_SECS: u64 = 30;
/// Digits per code.
pub const TOTP_DIGITS: u32 = 6;
/// 160 bits, as RFC 4226 recommends for HMAC-SHA-1.
pub const TOTP_SECRET_LEN: usize = 20;
/// Steps either side of now that still count.
const DRIFT_STEPS: u64 = 1;

/// A staff member's shared TOTP secret. Redacted in `Debug`, zeroized on drop.
#[derive(Debug)]
pub struct TotpSecret(SecretBytes);

impl TotpSecret {
    /// A fresh random secret of [`TOTP_SECRET_LEN`] bytes.
    pub fn generate() -> Result<Self, CryptoError> {
        let bytes = zeroize::Zeroizing::new(random_bytes::<TOTP_SECRET_LEN>()?);
        Ok(TotpSecret(SecretBytes::new(bytes.to_vec())))
    }

    /// A secret read back from storage.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        TotpSecret(SecretBytes::new(bytes))
    }

    /// The raw secret, to seal it for storage.
    pub fn expose_secret(&self) -> &[u8] {
        self.0.expose_secret()
    }

    /// The secret in RFC 4648 base32 without padding, as apps take it when typed in.
    pub fn to_base32(&self) -> String {
        data_encoding::BASE32_NOPAD.encode(self.expose_secret())
    }

    /// The code for the step holding `unix_secs`.
    pub fn code_at(&self, unix_secs: u64) -> Result<u32, CryptoError> {
        hotp(self.expose_secret(), unix_secs / TOTP_STEP_SECS, TOTP_DIGITS)
    }

    /// Checks `code` against the steps around `unix_secs`. Returns the step it
    /// matched, which the caller stores and passes as `last_used_step` next
    /// time; `None` for a wrong code or one whose step is already used.
    pub fn verify(&self, code: &str, unix_secs: u64, last_used_step: Option<u64>) -> Option<u64> {
        let typed: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if typed.len() != TOTP_DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = unix_secs / TOTP_STEP_SECS;
        let mut matched = None;
        // Every candidate step is computed and compared, so timing does not tell which matched.
        for step in now.saturating_sub(DRIFT_STEPS)..=now + DRIFT_STEPS {
            let Ok(expected) = hotp(self.expose_secret(), step, TOTP_DIGITS) else {
                continue;
            };
            let expected = format!("{expected:0width$}", width = TOTP_DIGITS as usize);
            let fresh = last_used_step.is_none_or(|last| step > last);
            if bool::from(expected.as_bytes().ct_eq(typed.as_bytes())) && fresh {
                matched = Some(step);
            }
        }
        matched
    }
}

/// RFC 4226 HOTP: HMAC-SHA-1 of the counter, dynamically truncated.
fn hotp(secret: &[u8], counter: u64, digits: u32) -> Result<u32, CryptoError> {
    let mut mac =
        <Hmac<Sha1> as KeyInit>::new_from_slice(secret).map_err(|_| CryptoError::InvalidKeyLength {
            expected: TOTP_SECRET_LEN,
            found: secret.len(),
        })?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0f);
    let word = digest
        .get(offset..offset + 4)
        .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
        .ok_or(CryptoError::InvalidKeyLength {
            expected: TOTP_SECRET_LEN,
            found: secret.len(),
        })?;
    Ok((u32::from_be_bytes(word) & 0x7fff_ffff) % 10u32.pow(digits))
}

/// The `otpauth://` URI an authenticator app scans. `issuer` and `account`
/// are percent-encoded here.
pub fn otpauth_uri(secret: &TotpSecret, issuer: &str, account: &str) -> String {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECS}",
        encode(issuer),
        encode(account),
        secret.to_base32(),
        encode(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1 rows: the ASCII secret "12345678901234567890", 8 digits.
    #[test]
    fn rfc6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(secret, time / 30, 8).unwrap(), expected, "T={time}");
        }
    }

    // RFC 4226 appendix D: counters 0..9, six digits.
    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(b"12345678901234567890", counter as u64, 6).unwrap(), *code);
        }
    }

    #[test]
    fn codes_are_accepted_once_and_within_one_step_of_drift() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let now = 1_111_111_111;
        let code = format!("{:06}", secret.code_at(now).unwrap());
        let step = secret.verify(&code, now, None).unwrap();
        assert_eq!(secret.verify(&code, now, Some(step)), None, "replayed");
        assert_eq!(secret.verify(&code, now + 30, None), Some(step), "one step late");
        assert_eq!(secret.verify(&code, now + 90, None), None, "three steps late");
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(secret.verify(&spaced, now, None), Some(step));
        assert_eq!(secret.verify("12345", now, None), None);
        assert_eq!(secret.verify("abcdef", now, None), None);
    }

    #[test]
    fn secrets_are_random_redacted_and_base32() {
        let a = TotpSecret::generate().unwrap();
        let b = TotpSecret::generate().unwrap();
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(a.to_base32().len(), 32);
        assert!(!format!("{a:?}").contains(&a.to_base32()));
        let uri = otpauth_uri(&a, "Mamar Centre", "salma");
        assert!(uri.starts_with("otpauth://totp/Mamar%20Centre:salma?secret="));
    }
}
