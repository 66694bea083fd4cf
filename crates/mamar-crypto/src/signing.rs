//! Ed25519 signatures (RFC 8032), public-key fingerprints, and detached
//! signature blobs.
//!
//! Every signature is made over `"mamar/v1/sign/" || purpose || 0x00 ||
//! message`, so a signature made for one purpose (say, an audit checkpoint)
//! can never be presented as another (a public contact card). Anyone can
//! check a signature offline with any Ed25519 implementation given those
//! bytes and the organisation's published public key.
//!
//! Signature blob layout (version 1): `header || purpose (1) || key id (8) ||
//! signature (64)`, where the key id is the first 8 bytes of the signer's
//! fingerprint (it tells which key to try after a rotation).

use std::fmt;

use ed25519_dalek::Signer as _;
use sha2::{Digest, Sha256};

use crate::encoding::{BlobKind, Reader, Writer};
use crate::error::{CryptoError, ParseProblem};
use crate::random::random_array;
use crate::secret::{SecretKey, redacted_formatting};

/// Length of an Ed25519 public key.
pub const VERIFYING_KEY_LEN: usize = 32;
/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;
const KEY_ID_LEN: usize = 8;

/// What a signature vouches for. Part of the signed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignaturePurpose {
    /// A public contact card (phone numbers, channels, onion address).
    ContactCard,
    /// A public announcement.
    Announcement,
    /// A checkpoint of the tamper-evident audit log.
    AuditCheckpoint,
    /// A reply to a requester.
    Reply,
    /// A published statistical release (CSV or JSON).
    Release,
    /// The organisation's certificate of the key a running server signs
    /// scheduled audit checkpoints with.
    AuditCheckpointKey,
    /// A referral file or its acknowledgement, sent to a partner
    /// organisation that runs its own mamar.
    ReferralFile,
}

impl SignaturePurpose {
    /// Every purpose.
    pub const ALL: [SignaturePurpose; 7] = [
        SignaturePurpose::ContactCard,
        SignaturePurpose::Announcement,
        SignaturePurpose::AuditCheckpoint,
        SignaturePurpose::Reply,
        SignaturePurpose::Release,
        SignaturePurpose::AuditCheckpointKey,
        SignaturePurpose::ReferralFile,
    ];

    /// The label that goes into the signed bytes.
    pub fn label(self) -> &'static str {
        match self {
            SignaturePurpose::ContactCard => "contact-card",
            SignaturePurpose::Announcement => "announcement",
            SignaturePurpose::AuditCheckpoint => "audit-checkpoint",
            SignaturePurpose::Reply => "reply",
            SignaturePurpose::Release => "release",
            SignaturePurpose::AuditCheckpointKey => "audit-checkpoint-key",
            SignaturePurpose::ReferralFile => "referral-file",
        }
    }

    fn id(self) -> u8 {
        match self {
            SignaturePurpose::ContactCard => 1,
            SignaturePurpose::Announcement => 2,
            SignaturePurpose::AuditCheckpoint => 3,
            SignaturePurpose::Reply => 4,
            SignaturePurpose::Release => 5,
            SignaturePurpose::AuditCheckpointKey => 6,
            SignaturePurpose::ReferralFile => 7,
        }
    }

    fn from_id(id: u8) -> Option<Self> {
        SignaturePurpose::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The exact bytes that are signed for `message`.
    pub fn signed_bytes(self, message: &[u8]) -> Vec<u8> {
        let mut bytes = b"mamar/v1/sign/".to_vec();
        bytes.extend_from_slice(self.label().as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(message);
        bytes
    }
}

/// An Ed25519 private key (a staff member's or the organisation's). Zeroizes
/// on drop.
pub struct SigningKey(ed25519_dalek::SigningKey);

redacted_formatting!(SigningKey);

impl SigningKey {
    /// A fresh random key.
    pub fn generate() -> Result<Self, CryptoError> {
        let seed = SecretKey::from_bytes(random_array()?);
        Ok(Self::from_seed(&seed))
    }

    /// The key for a stored 32-byte seed.
    pub(crate) fn from_seed(seed: &SecretKey) -> Self {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(seed.expose_secret()))
    }

    /// The 32-byte seed, for wrapping and serialising.
    pub(crate) fn seed(&self) -> SecretKey {
        SecretKey::from_bytes(self.0.to_bytes())
    }

    /// The organisation's key pair for referral files (HPKE, X25519),
    /// derived from this key's seed (HKDF label
    /// `mamar/v1/signing/referral-seal`, then RFC 9180 `DeriveKeyPair`): its
    /// public half goes on the signed contact card, so a partner can seal a
    /// referral file that only the holders of this signing key open. It is
    /// destroyed with the signing key and changes when the key is rotated.
    pub fn referral_seal_pair(&self) -> crate::EncryptionKeyPair {
        crate::EncryptionKeyPair::derive(&crate::blind_index::derive_subkey(
            &self.seed(),
            b"signing/referral-seal",
        ))
    }

    /// The public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey(self.0.verifying_key())
    }

    /// Signs `message` for `purpose`.
    pub fn sign(&self, purpose: SignaturePurpose, message: &[u8]) -> Signature {
        let signature = self.0.sign(&purpose.signed_bytes(message));
        Signature {
            purpose,
            key_id: self.verifying_key().key_id(),
            bytes: signature.to_bytes(),
        }
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyingKey(ed25519_dalek::VerifyingKey);

impl VerifyingKey {
    /// The raw 32 bytes (RFC 8032 encoding).
    pub fn to_bytes(&self) -> [u8; VERIFYING_KEY_LEN] {
        self.0.to_bytes()
    }

    /// From raw bytes; fails unless they encode a curve point.
    pub fn from_bytes(bytes: &[u8; VERIFYING_KEY_LEN]) -> Result<Self, CryptoError> {
        let key =
            ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| CryptoError::InvalidPublicKey)?;
        if key.is_weak() {
            return Err(CryptoError::InvalidPublicKey);
        }
        Ok(VerifyingKey(key))
    }

    /// SHA-256 of the raw 32-byte public key: what the organisation publishes
    /// so that anyone can check its key (`sha256sum` of the raw key gives
    /// the same value).
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint(Sha256::digest(self.0.as_bytes()).into())
    }

    fn key_id(&self) -> [u8; KEY_ID_LEN] {
        let mut id = [0u8; KEY_ID_LEN];
        id.copy_from_slice(&self.fingerprint().0[..KEY_ID_LEN]);
        id
    }

    /// Checks `signature` over `message` for `purpose`. Uses RFC 8032's
    /// strict verification (no malleable or small-order encodings).
    pub fn verify(
        &self,
        purpose: SignaturePurpose,
        message: &[u8],
        signature: &Signature,
    ) -> Result<(), CryptoError> {
        if signature.purpose != purpose || signature.key_id != self.key_id() {
            return Err(CryptoError::BadSignature);
        }
        let dalek_signature = ed25519_dalek::Signature::from_bytes(&signature.bytes);
        self.0
            .verify_strict(&purpose.signed_bytes(message), &dalek_signature)
            .map_err(|_| CryptoError::BadSignature)
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey({})", self.fingerprint())
    }
}

/// A SHA-256 fingerprint of a public key, shown as 16 groups of 4 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The raw digest.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, pair) in self.0.chunks(2).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            for byte in pair {
                write!(f, "{byte:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// A detached signature, with the purpose it was made for and the id of the
/// key that made it.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    purpose: SignaturePurpose,
    key_id: [u8; KEY_ID_LEN],
    bytes: [u8; SIGNATURE_LEN],
}

impl Signature {
    /// What the signature was made for.
    pub fn purpose(&self) -> SignaturePurpose {
        self.purpose
    }

    /// The raw 64-byte Ed25519 signature.
    pub fn raw(&self) -> &[u8; SIGNATURE_LEN] {
        &self.bytes
    }

    /// The stored form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut blob = Writer::new(BlobKind::Signature);
        blob.u8(self.purpose.id()).bytes(&self.key_id).bytes(&self.bytes);
        blob.finish()
    }

    /// Parses the stored form. Any change to the signature bytes makes
    /// [`VerifyingKey::verify`] fail.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let mut blob = Reader::open(bytes, BlobKind::Signature)?;
        let purpose = SignaturePurpose::from_id(blob.u8()?)
            .ok_or_else(|| blob.error(ParseProblem::InvalidValue("signature purpose")))?;
        let key_id = blob.array()?;
        let signature = blob.array()?;
        blob.finish()?;
        Ok(Signature {
            purpose,
            key_id,
            bytes: signature,
        })
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({:?})", self.purpose)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_their_message_purpose_and_key() {
        let key = SigningKey::generate().unwrap();
        let public = key.verifying_key();
        let signature = key.sign(SignaturePurpose::ContactCard, b"call +000");
        public
            .verify(SignaturePurpose::ContactCard, b"call +000", &signature)
            .unwrap();
        assert!(
            public
                .verify(SignaturePurpose::ContactCard, b"call +001", &signature)
                .is_err()
        );
        assert!(
            public
                .verify(SignaturePurpose::Announcement, b"call +000", &signature)
                .is_err()
        );
        let other = SigningKey::generate().unwrap().verifying_key();
        assert!(
            other
                .verify(SignaturePurpose::ContactCard, b"call +000", &signature)
                .is_err()
        );
    }

    #[test]
    fn fingerprint_is_sha256_of_the_raw_key_in_groups() {
        let key = SigningKey::from_seed(&SecretKey::from_bytes([7; 32])).verifying_key();
        let expected = hex::encode(Sha256::digest(key.to_bytes()));
        let shown = key.fingerprint().to_string();
        assert_eq!(shown.replace(' ', ""), expected);
        assert_eq!(shown.split(' ').count(), 16);
        assert!(shown.split(' ').all(|group| group.len() == 4));
    }

    #[test]
    fn rfc_8032_test_1_public_key_and_signature() {
        // RFC 8032 §7.1, TEST 1 (empty message), checked against the raw
        // dalek key to pin the seed-to-key mapping this crate relies on.
        let seed = hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        let key = SigningKey::from_seed(&SecretKey::from_slice(&seed).unwrap());
        assert_eq!(
            hex::encode(key.verifying_key().to_bytes()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        let raw = key.0.sign(b"");
        assert_eq!(
            hex::encode(raw.to_bytes()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155\
             5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    #[test]
    fn the_referral_seal_pair_is_the_signing_keys_own_and_opens_only_its_files() {
        use crate::seal::{SealPurpose, open, seal};
        let key = SigningKey::from_seed(&SecretKey::from_bytes([7; 32]));
        let pair = key.referral_seal_pair();
        let again = SigningKey::from_seed(&SecretKey::from_bytes([7; 32])).referral_seal_pair();
        assert_eq!(pair.public_key(), again.public_key());
        let other = SigningKey::from_seed(&SecretKey::from_bytes([8; 32])).referral_seal_pair();
        assert_ne!(pair.public_key(), other.public_key());
        let recipient = pair.public_key().to_bytes();
        let purpose = SealPurpose::ReferralFile {
            recipient: &recipient,
        };
        let sealed = seal(pair.public_key(), &purpose, b"name=x").unwrap();
        assert_eq!(open(&pair, &purpose, &sealed).unwrap().expose_secret(), b"name=x");
        assert!(open(&other, &purpose, &sealed).is_err());
        let elsewhere = other.public_key().to_bytes();
        assert!(
            open(
                &pair,
                &SealPurpose::ReferralFile {
                    recipient: &elsewhere
                },
                &sealed
            )
            .is_err()
        );
    }

    #[test]
    fn weak_and_invalid_public_keys_are_refused() {
        assert!(VerifyingKey::from_bytes(&[0; 32]).is_err());
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(VerifyingKey::from_bytes(&identity).is_err());
    }
}
