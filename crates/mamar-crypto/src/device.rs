//! Device tokens for staff logins. A browser in which a person completed a
//! login (password and second factor) is given a token naming no one: a
//! random nonce, an expiry and an HMAC-SHA256 tag over the account's id,
//! the nonce and the expiry under a key only the server holds. A later
//! login to the same account from that browser shows the token, and the
//! server can tell it apart from the attempts of someone who only knows the
//! user name (OWASP's "device cookies" against online guessing): a token
//! proves nothing about the password, which is checked as always.

use subtle::ConstantTimeEq;

use crate::blind_index::hmac_sha256;
use crate::secret::SecretKey;

/// Bytes of a device token's nonce.
pub const DEVICE_NONCE_LEN: usize = 16;
/// Bytes of an encoded token: nonce, expiry (8, big-endian), tag (32).
pub const DEVICE_TOKEN_LEN: usize = DEVICE_NONCE_LEN + 8 + 32;

/// A decoded device token, not yet checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceToken {
    /// Random, and the token's name in the server's count of its failures.
    pub nonce: [u8; DEVICE_NONCE_LEN],
    /// Unix seconds after which the token no longer counts.
    pub expires: i64,
    tag: [u8; 32],
}

fn message(staff_id: &[u8; 16], nonce: &[u8; DEVICE_NONCE_LEN], expires: i64) -> Vec<u8> {
    let mut message = b"mamar/v1/device-token".to_vec();
    message.extend_from_slice(staff_id);
    message.extend_from_slice(nonce);
    message.extend_from_slice(&expires.to_be_bytes());
    message
}

impl DeviceToken {
    /// A new token for the account `staff_id`, valid until `expires`.
    pub fn issue(key: &SecretKey, staff_id: &[u8; 16], expires: i64) -> Result<Self, crate::CryptoError> {
        let nonce = crate::generate_salt()?;
        let tag = hmac_sha256(key.expose_secret(), &message(staff_id, &nonce, expires));
        Ok(DeviceToken { nonce, expires, tag })
    }

    /// The token as the cookie carries it (before base64).
    pub fn to_bytes(&self) -> [u8; DEVICE_TOKEN_LEN] {
        let mut bytes = [0u8; DEVICE_TOKEN_LEN];
        bytes[..DEVICE_NONCE_LEN].copy_from_slice(&self.nonce);
        bytes[DEVICE_NONCE_LEN..DEVICE_NONCE_LEN + 8].copy_from_slice(&self.expires.to_be_bytes());
        bytes[DEVICE_NONCE_LEN + 8..].copy_from_slice(&self.tag);
        bytes
    }

    /// Parses the bytes of [`DeviceToken::to_bytes`]; `None` for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != DEVICE_TOKEN_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(DEVICE_NONCE_LEN);
        let (expires, tag) = rest.split_at(8);
        Some(DeviceToken {
            nonce: nonce.try_into().ok()?,
            expires: i64::from_be_bytes(expires.try_into().ok()?),
            tag: tag.try_into().ok()?,
        })
    }

    /// Whether the server issued this token for `staff_id` and it has not
    /// expired at `now` (the tag is compared in constant time).
    pub fn is_valid(&self, key: &SecretKey, staff_id: &[u8; 16], now: i64) -> bool {
        let expected = hmac_sha256(key.expose_secret(), &message(staff_id, &self.nonce, self.expires));
        bool::from(expected.ct_eq(&self.tag)) && now < self.expires
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_valid_for_its_account_until_it_expires() {
        let key = SecretKey::generate().unwrap();
        let token = DeviceToken::issue(&key, &[1; 16], 1_000).unwrap();
        let parsed = DeviceToken::from_bytes(&token.to_bytes()).unwrap();
        assert!(parsed.is_valid(&key, &[1; 16], 999));
        assert!(!parsed.is_valid(&key, &[1; 16], 1_000), "expired");
        assert!(!parsed.is_valid(&key, &[2; 16], 999), "another account");
        let other = SecretKey::generate().unwrap();
        assert!(!parsed.is_valid(&other, &[1; 16], 999), "another server's key");
        let mut forged = token.to_bytes();
        forged[DEVICE_NONCE_LEN] ^= 1;
        assert!(
            !DeviceToken::from_bytes(&forged)
                .unwrap()
                .is_valid(&key, &[1; 16], 999),
            "a changed expiry"
        );
        assert!(DeviceToken::from_bytes(&forged[1..]).is_none());
    }
}
