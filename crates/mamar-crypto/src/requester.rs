//! A requester's keys, derived from their codename.
//!
//! A requester holds nothing but the codename shown to them once. From it:
//!
//! ```text
//! master = Argon2id(codename, salt = organisation's requester salt, params)
//! prk    = HKDF-Extract(salt = "mamar/v1/requester", master)
//! key    = DeriveKeyPair(HKDF-Expand(prk, "key", 32))     (RFC 9180, X25519)
//! lookup = HKDF-Expand(prk, "lookup", 32)
//! own    = HKDF-Expand(prk, "own-copy-key/v1", 32)        (XChaCha20-Poly1305)
//! ```
//!
//! The server stores the lookup tag and the public key with the request.
//! When the requester comes back with the codename, the server derives both,
//! finds the request by the tag, and opens the replies sealed to the key.
//! The tag reveals nothing about the key (HKDF outputs under different
//! labels are independent), and guessing codenames from a stolen tag costs
//! one Argon2id run per guess against at least 80 bits of entropy.
//!
//! The own-copy key seals the requester's own copy of their first request
//! at intake ([`OwnCopyKey`]): symmetric, because the server holds the
//! codename at that moment anyway, and a second HPKE seal would cost a third
//! of the intake rate. Its label came after the first two; adding it changed
//! neither of them (a test pins all three).
//!
//! The salt is per organisation (the requester cannot remember a salt); it
//! is not secret. Keep the parameters fixed for an organisation, or keep
//! every parameter set ever used: a codename must derive the same keys years
//! later.

use std::fmt;

use hkdf::Hkdf;
use sha2::Sha256;

use crate::encoding::{BlobKind, Reader, Writer, push_field};
use crate::envelope;
use crate::error::CryptoError;
use crate::kdf::{KdfParams, derive_key};
use crate::seal::EncryptionKeyPair;
use crate::secret::{Codename, SecretBytes, SecretKey, redacted_formatting};

/// Length of a lookup tag.
pub const LOOKUP_TAG_LEN: usize = 32;

/// The keys derived from a codename. Zeroizes on drop.
pub struct RequesterKeys {
    encryption: EncryptionKeyPair,
    lookup_tag: LookupTag,
    own_copy: OwnCopyKey,
}

redacted_formatting!(RequesterKeys);

impl RequesterKeys {
    /// Derives the requester's key pair, lookup tag and own-copy key from `codename`.
    /// Slow by design (Argon2id): run it off the async executor.
    pub fn derive(
        codename: &Codename,
        organisation_salt: &[u8],
        params: &KdfParams,
    ) -> Result<Self, CryptoError> {
        let master = derive_key(codename.expose_secret().as_bytes(), organisation_salt, params)?;
        let hkdf = Hkdf::<Sha256>::new(Some(b"mamar/v1/requester"), master.expose_secret());
        let mut key_input = zeroize::Zeroizing::new([0u8; SecretKey::LEN]);
        let mut own_input = zeroize::Zeroizing::new([0u8; SecretKey::LEN]);
        let mut tag = [0u8; LOOKUP_TAG_LEN];
        hkdf.expand(b"key", key_input.as_mut())
            .and_then(|()| hkdf.expand(b"lookup", &mut tag))
            .and_then(|()| hkdf.expand(OWN_COPY_LABEL, own_input.as_mut()))
            .map_err(|_| CryptoError::KdfParams("HKDF output length".into()))?;
        Ok(RequesterKeys {
            encryption: EncryptionKeyPair::derive(&SecretKey::from_bytes(*key_input)),
            lookup_tag: LookupTag(tag),
            own_copy: OwnCopyKey(SecretKey::from_bytes(*own_input)),
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

    /// The key the requester's own copy of their first request is sealed
    /// under (nothing of it is stored: it is derived again from the codename).
    pub fn own_copy(&self) -> &OwnCopyKey {
        &self.own_copy
    }
}

/// The HKDF label of the own-copy key. Never change it: a codename must
/// derive the same key years later.
const OWN_COPY_LABEL: &[u8] = b"own-copy-key/v1";

/// The requester's own-copy key: XChaCha20-Poly1305 under a 256-bit key
/// derived from the codename, for the copy of their first request that
/// they alone can read again. Zeroizes on drop.
///
/// Blob (version 1): `header || nonce (24) || ciphertext || tag (16)`,
/// associated data `len(header) || header || "mamar/v1/own-copy/request" ||
/// len(id) || request id`, so a copy moved to another request, or read as
/// anything else, does not open.
pub struct OwnCopyKey(SecretKey);

redacted_formatting!(OwnCopyKey);

impl OwnCopyKey {
    fn context(request_id: &[u8]) -> Vec<u8> {
        let mut context = b"mamar/v1/own-copy/request".to_vec();
        push_field(&mut context, request_id);
        context
    }

    /// Seals `plaintext` as the own copy of request `request_id`.
    pub fn seal(&self, request_id: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        envelope::seal(
            &self.0,
            Writer::new(BlobKind::OwnCopy),
            &Self::context(request_id),
            plaintext,
        )
    }

    /// Opens an own copy sealed by [`OwnCopyKey::seal`] for the same request.
    /// Another key, another request or any change gives an error.
    pub fn open(&self, request_id: &[u8], blob: &[u8]) -> Result<SecretBytes, CryptoError> {
        let reader = Reader::open(blob, BlobKind::OwnCopy)?;
        envelope::open(&self.0, reader, &Self::context(request_id))
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

    /// The keys of one codename under fixed parameters (not the test profile, which may change).
    fn pinned_keys() -> RequesterKeys {
        let params = KdfParams {
            m_cost: 8,
            t_cost: 1,
            p_cost: 1,
            version: 0x13,
        };
        RequesterKeys::derive(&Codename::from("olive river lantern nine"), SALT, &params).unwrap()
    }

    /// A codename must derive the same keys years later: these values were
    /// computed before the own-copy key was added, and adding it changed
    /// neither; the own-copy key is pinned from the day it was added.
    #[test]
    fn a_codename_derives_the_same_keys_as_it_always_did() {
        let keys = pinned_keys();
        assert_eq!(
            hex::encode(keys.lookup_tag().as_bytes()),
            "48ea2e8a24a3a54c96aa12d57c269f4d47a164ea8400b5df1ca4838d407dc1e0"
        );
        assert_eq!(
            hex::encode(keys.encryption().public_key().to_bytes()),
            "a09624e88fe7942f81d40524bbe1d940095c8ed72f5b64e4580dcfc748bb1465"
        );
        assert_eq!(
            hex::encode(keys.own_copy().0.expose_secret()),
            "49966753073f3304a580364fe85ba33d6a2d95f759381778390346281735ab69"
        );
    }

    /// An own copy written by the first version that wrote them opens in every later one.
    #[test]
    fn an_own_copy_written_by_format_version_1_still_opens() {
        let keys = pinned_keys();
        let blob = hex::decode(
            "0110d06ddd1a8c790eb85420af4385393fa50e3979d83195558b2efa88f4f44ba27ce273a98f07f911c187ab6f\
             1f710c7518e05052a0edb6df55a3bdf4f21f526cd1ff5eb42ca4d4a5fa7256322e2a",
        )
        .unwrap();
        assert_eq!(
            keys.own_copy().open(&[0x42; 16], &blob).unwrap().expose_secret(),
            "what I typed: أحتاج مساعدة".as_bytes()
        );
    }

    #[test]
    fn an_own_copy_opens_only_with_its_codename_and_its_request() {
        let params = KdfParams::test_profile();
        let keys = RequesterKeys::derive(&Codename::from("a b c"), SALT, &params).unwrap();
        let again = RequesterKeys::derive(&Codename::from("a b c"), SALT, &params).unwrap();
        let sealed = keys
            .own_copy()
            .seal(b"request-1", "أحتاج مساعدة".as_bytes())
            .unwrap();
        assert_eq!(
            again
                .own_copy()
                .open(b"request-1", &sealed)
                .unwrap()
                .expose_secret(),
            "أحتاج مساعدة".as_bytes()
        );
        assert!(
            !sealed.windows("مساعدة".len()).any(|w| w == "مساعدة".as_bytes()),
            "sealed, not copied"
        );
        let stranger = RequesterKeys::derive(&Codename::from("a b d"), SALT, &params).unwrap();
        assert!(matches!(
            stranger.own_copy().open(b"request-1", &sealed),
            Err(CryptoError::Decrypt)
        ));
        assert!(matches!(
            keys.own_copy().open(b"request-2", &sealed),
            Err(CryptoError::Decrypt)
        ));
        let mut changed = sealed.clone();
        if let Some(last) = changed.last_mut() {
            *last ^= 1;
        }
        assert!(keys.own_copy().open(b"request-1", &changed).is_err());
        assert!(keys.own_copy().open(b"request-1", &[]).is_err());
        assert_eq!(format!("{:?}", keys.own_copy()), "OwnCopyKey([REDACTED])");
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
