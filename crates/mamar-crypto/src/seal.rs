//! Public-key encryption with HPKE (RFC 9180), base mode, suite
//! DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / ChaCha20-Poly1305.
//!
//! Used for three things:
//! - sealing messages to a public key ([`seal`], [`open`]): intake requests to
//!   the organisation's intake key, replies to a requester's key;
//! - wrapping keys to a staff member (case keys, organisation keys), in
//!   `case` and `org`;
//! - nothing else: every use has its own `info` string, so a ciphertext made
//!   for one purpose (or one record) cannot be opened as another.
//!
//! Blob layout (version 1): `header || purpose (1) || enc (32) || ciphertext`.
//! The HPKE associated data is the header and purpose byte; the HPKE `info`
//! is `"mamar/v1/seal/" || label || len(id) || id`.

use std::fmt;

use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};

use crate::encoding::{BlobKind, Reader, Writer, push_field};
use crate::error::{CryptoError, ParseProblem};
use crate::random::{random_array, seeded_rng};
use crate::secret::{SecretBytes, SecretKey, redacted_formatting};

type Kem = X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type HpkeAead = hpke::aead::ChaCha20Poly1305;
type HpkePrivateKey = <Kem as hpke::Kem>::PrivateKey;
type HpkePublicKey = <Kem as hpke::Kem>::PublicKey;
type EncappedKey = <Kem as hpke::Kem>::EncappedKey;

/// Length of an X25519 public key and of HPKE's encapsulated key.
pub const PUBLIC_KEY_LEN: usize = 32;

/// An X25519 public key that messages and keys can be sealed to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncryptionPublicKey([u8; PUBLIC_KEY_LEN]);

impl EncryptionPublicKey {
    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.0
    }

    /// From raw bytes. Any 32 bytes are an X25519 public key; one whose
    /// Diffie-Hellman output would be all zeros (a low-order point) is
    /// refused when something is sealed to it.
    pub fn from_bytes(bytes: [u8; PUBLIC_KEY_LEN]) -> Self {
        EncryptionPublicKey(bytes)
    }

    fn to_hpke(self) -> Result<HpkePublicKey, CryptoError> {
        HpkePublicKey::from_bytes(&self.0).map_err(|_| CryptoError::InvalidPublicKey)
    }
}

impl fmt::Debug for EncryptionPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EncryptionPublicKey(")?;
        for byte in self.0.iter().take(8) {
            write!(f, "{byte:02x}")?;
        }
        write!(f, "…)")
    }
}

fn public_key_of(secret: &HpkePrivateKey) -> EncryptionPublicKey {
    let mut bytes = [0u8; PUBLIC_KEY_LEN];
    bytes.copy_from_slice(&Kem::sk_to_pk(secret).to_bytes());
    EncryptionPublicKey(bytes)
}

/// An X25519 key pair for HPKE: a staff member's encryption keys, the
/// organisation's intake key, or a requester's key. The private half
/// zeroizes on drop.
pub struct EncryptionKeyPair {
    secret: HpkePrivateKey,
    public: EncryptionPublicKey,
}

redacted_formatting!(EncryptionKeyPair);

impl EncryptionKeyPair {
    /// A fresh random key pair.
    pub fn generate() -> Result<Self, CryptoError> {
        let secret = SecretKey::from_bytes(random_array()?);
        Self::from_secret(&secret)
    }

    /// The pair for a stored private key (32 bytes, clamped as X25519 does).
    pub(crate) fn from_secret(secret: &SecretKey) -> Result<Self, CryptoError> {
        let secret = HpkePrivateKey::from_bytes(secret.expose_secret()).map_err(|_| {
            CryptoError::InvalidKeyLength {
                expected: SecretKey::LEN,
                found: SecretKey::LEN,
            }
        })?;
        let public = public_key_of(&secret);
        Ok(EncryptionKeyPair { secret, public })
    }

    /// RFC 9180 `DeriveKeyPair(ikm)`: the same input always gives the same
    /// pair. `ikm` must hold at least 256 bits of entropy.
    pub(crate) fn derive(ikm: &SecretKey) -> Self {
        // `derive_keypair` already computed pk(sk): a second scalar
        // multiplication would only cost time (a fifth of a submission's).
        let (secret, public) = Kem::derive_keypair(ikm.expose_secret());
        let mut bytes = [0u8; PUBLIC_KEY_LEN];
        bytes.copy_from_slice(&public.to_bytes());
        EncryptionKeyPair {
            secret,
            public: EncryptionPublicKey(bytes),
        }
    }

    /// The private key's 32 bytes, for wrapping and serialising.
    pub(crate) fn secret_key(&self) -> SecretKey {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&self.secret.to_bytes());
        let key = SecretKey::from_bytes(bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        key
    }

    /// The public half.
    pub fn public_key(&self) -> &EncryptionPublicKey {
        &self.public
    }
}

/// What a sealed message is for. Each purpose has its own HPKE `info`
/// string and binds the id of the request it belongs to, so a sealed
/// message cannot be moved to another request or reused for another purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealPurpose<'a> {
    /// A new request, sealed to the organisation's intake key on arrival.
    Intake {
        /// The id the server gives the request.
        request_id: &'a [u8],
    },
    /// A later message from a requester, sealed to the intake key.
    RequesterMessage {
        /// The request it belongs to.
        request_id: &'a [u8],
    },
    /// A reply from staff, sealed to the requester's key.
    Reply {
        /// The request it answers.
        request_id: &'a [u8],
    },
    /// A requester's message to the team of the case their request became,
    /// sealed to the case's inbox key (whose private half only the case key
    /// opens).
    CaseInbox {
        /// The request it belongs to.
        request_id: &'a [u8],
    },
    /// A staff member's second-factor secret, sealed to their own key so
    /// that it opens only after their password has unlocked it.
    SecondFactor {
        /// The staff member it belongs to.
        staff_id: &'a [u8],
    },
    /// A case's statistical facets, sealed to the analytics key's facet
    /// key pair under a random facet id that is not the case's id.
    Facets {
        /// The facet row's id.
        facet_id: &'a [u8],
    },
    /// A referral file (or its acknowledgement) sealed to a partner
    /// organisation's referral key from its signed contact card.
    ReferralFile {
        /// The recipient's public sealing key, as on its card.
        recipient: &'a [u8],
    },
    /// One administrator's share of the break-glass secret, sealed to that
    /// administrator's key: at set-up (`id` is the set-up's id) or handed to
    /// an asker by an approver (`id` is the request's id).
    BreakGlassShare {
        /// The set-up or the request it belongs to.
        id: &'a [u8],
    },
    /// The written reason of a break-glass request, sealed to each
    /// administrator's key.
    BreakGlassReason {
        /// The request it belongs to.
        request_id: &'a [u8],
    },
    /// A requester's own copy of a message they sent, sealed to their
    /// codename-derived key so that they alone can read it again.
    OwnCopy {
        /// The request it belongs to.
        request_id: &'a [u8],
    },
    /// A staff member's name for one of their security keys, sealed to their
    /// own key.
    KeyName {
        /// The key's credential id.
        credential_id: &'a [u8],
    },
}

impl SealPurpose<'_> {
    fn id(&self) -> u8 {
        match self {
            SealPurpose::Intake { .. } => 1,
            SealPurpose::RequesterMessage { .. } => 2,
            SealPurpose::Reply { .. } => 3,
            SealPurpose::SecondFactor { .. } => 4,
            SealPurpose::CaseInbox { .. } => 5,
            SealPurpose::Facets { .. } => 6,
            SealPurpose::ReferralFile { .. } => 7,
            SealPurpose::BreakGlassShare { .. } => 8,
            SealPurpose::BreakGlassReason { .. } => 9,
            SealPurpose::OwnCopy { .. } => 10,
            SealPurpose::KeyName { .. } => 11,
        }
    }

    fn info(&self) -> Vec<u8> {
        let (label, id): (&[u8], &[u8]) = match self {
            SealPurpose::Intake { request_id } => (b"intake", request_id),
            SealPurpose::RequesterMessage { request_id } => (b"requester-message", request_id),
            SealPurpose::Reply { request_id } => (b"reply", request_id),
            SealPurpose::SecondFactor { staff_id } => (b"second-factor", staff_id),
            SealPurpose::CaseInbox { request_id } => (b"case-inbox", request_id),
            SealPurpose::Facets { facet_id } => (b"facets", facet_id),
            SealPurpose::ReferralFile { recipient } => (b"referral-file", recipient),
            SealPurpose::BreakGlassShare { id } => (b"break-glass-share", id),
            SealPurpose::BreakGlassReason { request_id } => (b"break-glass-reason", request_id),
            SealPurpose::OwnCopy { request_id } => (b"own-copy", request_id),
            SealPurpose::KeyName { credential_id } => (b"key-name", credential_id),
        };
        let mut info = b"mamar/v1/seal/".to_vec();
        info.extend_from_slice(label);
        push_field(&mut info, id);
        info
    }
}

/// Seals `plaintext` to `recipient`. Only the holder of the matching private
/// key can open it; the sender (the server) cannot open it afterwards.
pub fn seal(
    recipient: &EncryptionPublicKey,
    purpose: &SealPurpose<'_>,
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut blob = Writer::new(BlobKind::SealedMessage);
    blob.u8(purpose.id());
    let (enc, ciphertext) = hpke_seal(recipient, &purpose.info(), blob.as_slice(), plaintext)?;
    blob.bytes(&enc).bytes(&ciphertext);
    Ok(blob.finish())
}

/// Opens a message sealed with [`seal`] for the same purpose and request.
pub fn open(
    recipient: &EncryptionKeyPair,
    purpose: &SealPurpose<'_>,
    sealed: &[u8],
) -> Result<SecretBytes, CryptoError> {
    let mut blob = Reader::open(sealed, BlobKind::SealedMessage)?;
    let purpose_id = blob.u8()?;
    if !(1..=11).contains(&purpose_id) {
        return Err(blob.error(ParseProblem::InvalidValue("purpose")).into());
    }
    if purpose_id != purpose.id() {
        return Err(CryptoError::Decrypt);
    }
    let aad = blob.consumed();
    let enc = blob.array::<PUBLIC_KEY_LEN>()?;
    let ciphertext = blob.rest(TAG_LEN)?;
    hpke_open(recipient, &enc, &purpose.info(), aad, ciphertext)
}

/// Poly1305 tag length, the least an HPKE ciphertext can be.
const TAG_LEN: usize = 16;

/// HPKE base-mode single-shot seal. The ephemeral key comes from a
/// ChaCha20 stream freshly seeded from the OS (see `random::seeded_rng`).
pub(crate) fn hpke_seal(
    recipient: &EncryptionPublicKey,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<([u8; PUBLIC_KEY_LEN], Vec<u8>), CryptoError> {
    let mut rng = seeded_rng()?;
    hpke_seal_with_rng(recipient, info, aad, plaintext, &mut rng)
}

/// [`hpke_seal`] with a caller-chosen RNG: the known-answer tests feed it
/// RFC 9180's `ikmE`, so they exercise this exact code path.
pub(crate) fn hpke_seal_with_rng(
    recipient: &EncryptionPublicKey,
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut impl hpke::rand_core::CryptoRng,
) -> Result<([u8; PUBLIC_KEY_LEN], Vec<u8>), CryptoError> {
    let (enc, ciphertext) = hpke::single_shot_seal_with_rng::<HpkeAead, Kdf, Kem>(
        &OpModeS::Base,
        &recipient.to_hpke()?,
        info,
        plaintext,
        aad,
        rng,
    )
    .map_err(|_| CryptoError::Encrypt("the recipient's public key is unusable"))?;
    let mut enc_bytes = [0u8; PUBLIC_KEY_LEN];
    enc_bytes.copy_from_slice(&enc.to_bytes());
    Ok((enc_bytes, ciphertext))
}

/// HPKE base-mode single-shot open.
pub(crate) fn hpke_open(
    recipient: &EncryptionKeyPair,
    enc: &[u8; PUBLIC_KEY_LEN],
    info: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<SecretBytes, CryptoError> {
    let enc = EncappedKey::from_bytes(enc).map_err(|_| CryptoError::Decrypt)?;
    hpke::single_shot_open::<HpkeAead, Kdf, Kem>(
        &OpModeR::Base,
        &recipient.secret,
        &enc,
        info,
        ciphertext,
        aad,
    )
    .map(SecretBytes::new)
    .map_err(|_| CryptoError::Decrypt)
}

/// Wraps a 32-byte secret to `recipient`: the blob is `prefix || enc ||
/// ciphertext`, with the prefix as associated data and `info` naming the
/// purpose and the record.
pub(crate) fn wrap_secret(
    recipient: &EncryptionPublicKey,
    mut blob: Writer,
    info: &[u8],
    secret: &SecretKey,
) -> Result<Vec<u8>, CryptoError> {
    let (enc, ciphertext) = hpke_seal(recipient, info, blob.as_slice(), secret.expose_secret())?;
    blob.bytes(&enc).bytes(&ciphertext);
    Ok(blob.finish())
}

/// Unwraps what [`wrap_secret`] made; the caller has read the prefix.
pub(crate) fn unwrap_secret(
    recipient: &EncryptionKeyPair,
    mut blob: Reader<'_>,
    info: &[u8],
) -> Result<SecretKey, CryptoError> {
    let aad = blob.consumed();
    let enc = blob.array::<PUBLIC_KEY_LEN>()?;
    let ciphertext = blob.take(SecretKey::LEN + TAG_LEN)?;
    blob.finish()?;
    let plaintext = hpke_open(recipient, &enc, info, aad, ciphertext)?;
    SecretKey::from_slice(plaintext.expose_secret()).map_err(|_| CryptoError::Decrypt)
}

/// Builds an HPKE `info` string for key wrapping.
pub(crate) fn wrap_info(label: &str, fields: &[&[u8]]) -> Vec<u8> {
    let mut info = b"mamar/v1/wrap/".to_vec();
    info.extend_from_slice(label.as_bytes());
    for field in fields {
        push_field(&mut info, field);
    }
    info
}

#[cfg(test)]
mod kat;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_messages_open_only_for_the_same_purpose_and_request() {
        let pair = EncryptionKeyPair::generate().unwrap();
        let purpose = SealPurpose::Intake { request_id: b"r1" };
        let sealed = seal(pair.public_key(), &purpose, b"help").unwrap();
        assert_eq!(open(&pair, &purpose, &sealed).unwrap().expose_secret(), b"help");
        for other in [
            SealPurpose::Intake { request_id: b"r2" },
            SealPurpose::RequesterMessage { request_id: b"r1" },
            SealPurpose::Reply { request_id: b"r1" },
            SealPurpose::OwnCopy { request_id: b"r1" },
            SealPurpose::KeyName { credential_id: b"r1" },
        ] {
            assert_eq!(open(&pair, &other, &sealed).unwrap_err(), CryptoError::Decrypt);
        }
        // The two newest purposes open too, each for itself only.
        for purpose in [
            SealPurpose::OwnCopy { request_id: b"r1" },
            SealPurpose::KeyName { credential_id: b"k1" },
        ] {
            let sealed = seal(pair.public_key(), &purpose, b"mine").unwrap();
            assert_eq!(open(&pair, &purpose, &sealed).unwrap().expose_secret(), b"mine");
            let other = SealPurpose::Reply { request_id: b"r1" };
            assert_eq!(open(&pair, &other, &sealed).unwrap_err(), CryptoError::Decrypt);
        }
        let stranger = EncryptionKeyPair::generate().unwrap();
        assert_eq!(
            open(&stranger, &purpose, &sealed).unwrap_err(),
            CryptoError::Decrypt
        );
    }

    #[test]
    fn key_pairs_round_trip_through_their_secret_bytes() {
        let pair = EncryptionKeyPair::generate().unwrap();
        let again = EncryptionKeyPair::from_secret(&pair.secret_key()).unwrap();
        assert_eq!(pair.public_key(), again.public_key());
        let public = EncryptionPublicKey::from_bytes(pair.public_key().to_bytes());
        assert_eq!(&public, pair.public_key());
    }

    #[test]
    fn a_low_order_public_key_is_refused_not_used() {
        let zero = EncryptionPublicKey::from_bytes([0; 32]);
        let err = seal(&zero, &SealPurpose::Reply { request_id: b"r" }, b"x").unwrap_err();
        assert!(matches!(err, CryptoError::Encrypt(_)));
    }
}
