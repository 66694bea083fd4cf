//! One-time tokens on the request form, so that a resent form (a refresh of
//! the codename page, a double tap) does not make a second request.
//!
//! The form carries a random token in a hidden field. When a request is
//! committed, the server remembers the SHA-256 of its token (256 random bits:
//! a key would add nothing, since whoever reads the memory reads the key too),
//! in memory only and for [`REMEMBERED_FOR`]; the same token again gets a page
//! saying the request was already received. The codename is not kept to show
//! it again: keeping it would put a secret that opens the request in the
//! server's memory. Nothing links a token to the request it sent (no id, and
//! the time kept is that of the map, not of the request): a seized server
//! (disk or memory) shows at most that some forms were sent in the last hour.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How long a used token is remembered: long enough for a refresh or a
/// resend, short enough that memory holds only the last hour's forms.
pub const REMEMBERED_FOR: Duration = Duration::from_secs(60 * 60);

/// The longest token accepted (64 hex digits are issued).
const MAX_TOKEN_LEN: usize = 128;

/// What became of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// First use: go on and make the request (then [`SubmissionTokens::release`] on failure).
    Fresh,
    /// Already used for a request (or one is being made with it right now).
    AlreadyUsed,
}

/// The hashes of tokens used in the last hour.
#[derive(Default)]
pub struct SubmissionTokens {
    used: Mutex<HashMap<[u8; 32], Instant>>,
}

impl SubmissionTokens {
    /// A fresh token for a form: 32 random bytes as hex.
    pub fn issue() -> Result<String, mamar_crypto::CryptoError> {
        let bytes = mamar_crypto::random_bytes::<32>()?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    fn digest(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    /// Marks `token` used, atomically: of two posts of one form, one is Fresh.
    /// A missing or oversized token is always Fresh (old forms still work).
    pub fn claim(&self, token: Option<&str>, now: Instant) -> Claim {
        let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_LEN) else {
            return Claim::Fresh;
        };
        let digest = Self::digest(token);
        let Ok(mut used) = self.used.lock() else {
            return Claim::Fresh;
        };
        used.retain(|_, at| now.saturating_duration_since(*at) < REMEMBERED_FOR);
        match used.insert(digest, now) {
            Some(_) => Claim::AlreadyUsed,
            None => Claim::Fresh,
        }
    }

    /// Forgets a token whose request could not be made, so that sending the
    /// form again tries again.
    pub fn release(&self, token: Option<&str>) {
        if let Some(token) = token
            && let Ok(mut used) = self.used.lock()
        {
            used.remove(&Self::digest(token));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_fresh_once_then_remembered_for_an_hour() {
        let tokens = SubmissionTokens::default();
        let start = Instant::now();
        assert_eq!(tokens.claim(Some("abc"), start), Claim::Fresh);
        assert_eq!(tokens.claim(Some("abc"), start), Claim::AlreadyUsed);
        assert_eq!(tokens.claim(Some("other"), start), Claim::Fresh);
        tokens.release(Some("other"));
        assert_eq!(tokens.claim(Some("other"), start), Claim::Fresh);
        assert_eq!(tokens.claim(None, start), Claim::Fresh);
        assert_eq!(tokens.claim(None, start), Claim::Fresh);
        let later = start + REMEMBERED_FOR + Duration::from_secs(1);
        assert_eq!(tokens.claim(Some("abc"), later), Claim::Fresh);
    }
}
