//! A requester's keys, derived from their codename.
//!
//! A requester holds nothing but the codename shown to them once. From it:
//!
//! ```text
//! master = Argon2id(codename, salt = organisation's requester salt, params)
//! prk    = HKDF-Extract(salt = "mamar/v1/requester", master)
//! key    = DeriveKeyPair(HKDF-Expand(prk, "key", 32))     (RFC 9180, X25519)
//! lookup = HKDF-Expand(prk, "lookup", 32)
//! ```
//!
//! The server stores the lookup tag and the public key with the request.
//! When the requester comes back with the codename, the server derives both,
//! finds the request by the tag, and opens the replies sealed to the key.
//! The tag reveals nothing about the key (HKDF outputs under different
//! labels are independent), and guessing codenames from a stolen tag costs
//! one Argon2id run per guess against at least 80 bits of entropy.
//!
//! The salt is per organisation (the requester cannot remember a salt); it
//! is not secret. Keep the parameters fixed for an organisation, or keep
//! every parameter set ever used: a codename must derive the same keys years
//! later.

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;

use crate::error::CryptoError;
use crate::kdf::{KdfParams, derive_key};
use crate::seal::EncryptionKeyPair;
use crate::secret::{Codename, SecretKey, redacted_formatting};

/// Length of a lookup tag.
pub const LOOKUP_TAG_LEN: usize = 32;

/// The keys derived from a codename. Zeroizes on drop.
pub struct RequesterKeys {
    encryption: EncryptionKeyPair,
    lookup_tag: LookupTag,
}

redacted_formatting!(RequesterKeys);

impl RequesterKeys {
    /// Derives the requester's key pair and lookup tag from `codename`.
    /// Slow by design (Argon2id): run it off the async executor.
    pub fn derive(
        codename: &Codename,
        organisation_salt: &[u8],
        params: &KdfParams,
    ) -> Result<Self, CryptoError> {
        let master = derive_key(codename.expose_secret().as_bytes(), organisation_salt, params)?;
        let hkdf = Hkdf::<Sha256>::new(Some(b"mamar/v1/requester"), master.expose_secret());
        let mut key_input = zeroize::Zeroizing::new([0u8; SecretKey::LEN]);
        let mut tag = [0u8; LOOKUP_TAG_LEN];
        hkdf.expand(b"key", key_input.as_mut())
            .and_then(|()| hkdf.expand(b"lookup", &mut tag))
            .map_err(|_| CryptoError::KdfParams("HKDF output length".into()))?;
        Ok(RequesterKeys {
            encryption: EncryptionKeyPair::derive(&SecretKey::from_bytes(*key_input)),
            lookup_tag: LookupTag(tag),
        })
    }

    /// The key pair replies are sealed to (its public half is stored with
    /// the request).
    pub fn encryption(&self) -> &EncryptionKeyPair {
        &self.encryption
    }

    /// The tag the request is stored under.
    pub fn lookup_tag(&self) -> &LookupTag {
        &self.lookup_tag
    }
}

/// The value a request is found by. Not secret on its own (it is stored in
/// the clear and compared by the database), but it must not be logged: it
/// links a requester's visits, so `Debug` hides it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LookupTag([u8; LOOKUP_TAG_LEN]);

impl LookupTag {
    /// The bytes to store and index.
    pub fn as_bytes(&self) -> &[u8; LOOKUP_TAG_LEN] {
        &self.0
    }

    /// From stored bytes.
    pub fn from_bytes(bytes: [u8; LOOKUP_TAG_LEN]) -> Self {
        LookupTag(bytes)
    }
}

impl fmt::Debug for LookupTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LookupTag({})", crate::secret::REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::{SealPurpose, open, seal};

    const SALT: &[u8] = b"organisation-salt-0001";

    #[test]
    fn the_same_codename_gives_the_same_keys() {
        let params = KdfParams::test_profile();
        let codename = Codename::from("olive river lantern nine");
        let first = RequesterKeys::derive(&codename, SALT, &params).unwrap();
        let again = RequesterKeys::derive(&codename, SALT, &params).unwrap();
        assert_eq!(first.lookup_tag(), again.lookup_tag());
        assert_eq!(first.encryption().public_key(), again.encryption().public_key());

        let reply = SealPurpose::Reply { request_id: b"r" };
        let sealed = seal(first.encryption().public_key(), &reply, b"come at 9").unwrap();
        assert_eq!(
            open(again.encryption(), &reply, &sealed).unwrap().expose_secret(),
            b"come at 9"
        );
    }

    #[test]
    fn another_codename_or_salt_gives_other_keys() {
        let params = KdfParams::test_profile();
        let base = RequesterKeys::derive(&Codename::from("a b c"), SALT, &params).unwrap();
        for other in [
            RequesterKeys::derive(&Codename::from("a b d"), SALT, &params).unwrap(),
            RequesterKeys::derive(&Codename::from("a b c"), b"another-org-salt-01", &params).unwrap(),
        ] {
            assert_ne!(base.lookup_tag(), other.lookup_tag());
            assert_ne!(base.encryption().public_key(), other.encryption().public_key());
        }
    }

    #[test]
    fn the_lookup_tag_is_not_the_public_key() {
        let keys = RequesterKeys::derive(&Codename::from("x"), SALT, &KdfParams::test_profile()).unwrap();
        assert_ne!(
            keys.lookup_tag().as_bytes(),
            &keys.encryption().public_key().to_bytes()
        );
    }
}
