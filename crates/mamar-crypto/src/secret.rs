//! Types for secret values. Each one zeroizes its memory when dropped, prints
//! a placeholder in `Debug` and `Display`, and is read only through an
//! explicit `expose_*` method, so that every place a secret leaves its box is
//! easy to find in review. None of them implements `Clone`: a copy is one more
//! thing to zeroize, so duplicating a secret takes a deliberate call.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::CryptoError;
use crate::random::random_array;

/// What a secret prints instead of its value.
pub const REDACTED: &str = "[REDACTED]";

macro_rules! redacted_formatting {
    ($type:ident) => {
        impl ::std::fmt::Debug for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(
                    f,
                    concat!(stringify!($type), "({})"),
                    $crate::secret::REDACTED
                )
            }
        }

        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::secret::REDACTED)
            }
        }
    };
}
pub(crate) use redacted_formatting;

/// A 256-bit secret key. Equality is constant-time.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; SecretKey::LEN]);

impl SecretKey {
    /// Length of the key in bytes.
    pub const LEN: usize = 32;

    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(SecretKey(random_array()?))
    }

    /// Takes ownership of raw key bytes (for example a session key read back
    /// from a cookie). The caller should zeroize its own copy.
    pub fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
        SecretKey(bytes)
    }

    /// Copies a key out of a slice; fails unless it is exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, CryptoError> {
        let array: [u8; Self::LEN] = bytes.try_into().map_err(|_| CryptoError::InvalidKeyLength {
            expected: Self::LEN,
            found: bytes.len(),
        })?;
        Ok(SecretKey(array))
    }

    /// The raw key bytes. Every call site is a place where the key leaves
    /// this type; keep them few.
    pub fn expose_secret(&self) -> &[u8; Self::LEN] {
        &self.0
    }

    /// An explicit copy. Secrets are not `Clone` so that copies are visible.
    pub fn duplicate(&self) -> Self {
        SecretKey(self.0)
    }
}

impl ConstantTimeEq for SecretKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretKey {}

redacted_formatting!(SecretKey);

/// A secret byte string of any length, such as decrypted case content.
/// Equality is constant-time in the contents (lengths are not secret).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Takes ownership of the bytes; they are zeroized when this value drops.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }

    /// The bytes.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Gives the bytes to a caller that will zeroize them itself.
    pub fn into_zeroizing(mut self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(std::mem::take(&mut self.0))
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SecretBytes(bytes)
    }
}

impl ConstantTimeEq for SecretBytes {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.as_slice().ct_eq(other.0.as_slice())
    }
}

impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretBytes {}

redacted_formatting!(SecretBytes);

/// A staff member's password, exactly as typed. No normalisation happens
/// here: a caller that wants Unicode normalisation applies it before
/// building the value, and must apply the same one at every login.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Password(String);

impl Password {
    /// Takes ownership of the password text.
    pub fn new(text: String) -> Self {
        Password(text)
    }

    /// The password's bytes (UTF-8), as fed to Argon2id.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the password is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Password {
    fn from(text: String) -> Self {
        Password(text)
    }
}

impl From<&str> for Password {
    fn from(text: &str) -> Self {
        Password(text.to_owned())
    }
}

redacted_formatting!(Password);

/// A requester's codename: the words that let them come back. The caller
/// normalises it (case, spacing, digits) before building the value; the
/// derivation uses these exact bytes.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Codename(String);

impl Codename {
    /// Takes ownership of the (already normalised) codename text.
    pub fn new(text: String) -> Self {
        Codename(text)
    }

    /// The codename text.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Codename {
    fn from(text: &str) -> Self {
        Codename(text.to_owned())
    }
}

redacted_formatting!(Codename);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_print_a_placeholder_in_debug_and_display() {
        let key = SecretKey::from_bytes([0x41; 32]);
        let bytes = SecretBytes::new(b"canary-7f3a".to_vec());
        let password = Password::from("canary-7f3a");
        let codename = Codename::from("canary-7f3a");
        let printed = format!(
            "{key:?} {key} {bytes:?} {bytes} {password:?} {password} {codename:?} {codename} {:?}",
            Some(vec![&key])
        );
        assert!(!printed.contains("canary"), "{printed}");
        assert!(
            !printed.contains("AAAA") && !printed.contains("65, 65"),
            "{printed}"
        );
        assert!(printed.contains("SecretKey([REDACTED])"), "{printed}");
        assert!(printed.contains("Password([REDACTED])"), "{printed}");
    }

    #[test]
    fn equality_compares_contents() {
        let a = SecretKey::from_bytes([1; 32]);
        assert_eq!(a, a.duplicate());
        assert_ne!(a, SecretKey::from_bytes([2; 32]));
        assert_ne!(SecretBytes::new(vec![1, 2]), SecretBytes::new(vec![1, 2, 3]));
    }

    #[test]
    fn from_slice_rejects_wrong_lengths() {
        assert!(SecretKey::from_slice(&[0; 31]).is_err());
        assert!(SecretKey::from_slice(&[0; 33]).is_err());
        assert!(SecretKey::from_slice(&[0; 32]).is_ok());
    }

    #[test]
    fn generated_keys_differ() {
        let a = SecretKey::generate().unwrap();
        let b = SecretKey::generate().unwrap();
        assert_ne!(a, b);
    }
}
