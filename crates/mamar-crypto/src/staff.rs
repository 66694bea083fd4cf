//! A staff member's keys: an X25519 pair (keys are wrapped to it) and an
//! Ed25519 pair (it signs). The private halves are stored only wrapped under
//! a key-encryption key derived from the password with Argon2id.
//!
//! Password-wrapped blob (version 1):
//! `header || KdfParams (13) || salt (16) || nonce (24) || ciphertext (64 + 16)`;
//! the plaintext is the X25519 private key then the Ed25519 seed. Header,
//! parameters and salt are authenticated as associated data.
//!
//! Public blob (version 1): `header || X25519 key (32) || Ed25519 key (32) ||
//! checksum (8)`.

use crate::encoding::{BlobKind, CHECKSUM_LEN, HEADER_LEN, Reader, Writer};
use crate::envelope;
use crate::error::CryptoError;
use crate::kdf::{KdfParams, derive_key};
use crate::random::generate_salt;
use crate::seal::{EncryptionKeyPair, EncryptionPublicKey, PUBLIC_KEY_LEN};
use crate::secret::{Password, SecretKey, redacted_formatting};
use crate::signing::{Fingerprint, SigningKey, VERIFYING_KEY_LEN, VerifyingKey};

const SALT_LEN: usize = 16;
const PASSWORD_WRAP_CONTEXT: &[u8] = b"mamar/v1/staff-secret-keys";

/// Length of the stored public keys blob.
pub const STAFF_PUBLIC_KEYS_LEN: usize = HEADER_LEN + PUBLIC_KEY_LEN + VERIFYING_KEY_LEN + CHECKSUM_LEN;

/// A staff member's private keys, unlocked. Zeroizes on drop.
pub struct StaffKeyPair {
    encryption: EncryptionKeyPair,
    signing: SigningKey,
}

redacted_formatting!(StaffKeyPair);

impl StaffKeyPair {
    /// Fresh random keys for a new staff member.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(StaffKeyPair {
            encryption: EncryptionKeyPair::generate()?,
            signing: SigningKey::generate()?,
        })
    }

    pub(crate) fn from_secrets(
        encryption: &SecretKey,
        signing_seed: &SecretKey,
    ) -> Result<Self, CryptoError> {
        Ok(StaffKeyPair {
            encryption: EncryptionKeyPair::from_secret(encryption)?,
            signing: SigningKey::from_seed(signing_seed),
        })
    }

    /// The public halves, to store and to wrap keys to.
    pub fn public_keys(&self) -> StaffPublicKeys {
        StaffPublicKeys {
            encryption: *self.encryption.public_key(),
            signing: self.signing.verifying_key(),
        }
    }

    /// The X25519 pair that unwraps case and organisation keys.
    pub fn encryption(&self) -> &EncryptionKeyPair {
        &self.encryption
    }

    /// The Ed25519 key this staff member signs with.
    pub fn signing(&self) -> &SigningKey {
        &self.signing
    }

    /// The 64 secret bytes, X25519 key then Ed25519 seed.
    pub(crate) fn write_secrets(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.encryption.secret_key().expose_secret());
        out.extend_from_slice(self.signing.seed().expose_secret());
    }

    pub(crate) fn read_secrets(reader: &mut Reader<'_>) -> Result<Self, CryptoError> {
        let encryption = SecretKey::from_bytes(reader.array()?);
        let signing = SecretKey::from_bytes(reader.array()?);
        StaffKeyPair::from_secrets(&encryption, &signing)
    }

    /// Wraps the private keys under `password`, with a fresh salt and the
    /// given Argon2id parameters (stored in the blob). Slow by design: run it
    /// off the async executor.
    pub fn wrap_with_password(
        &self,
        password: &Password,
        params: &KdfParams,
    ) -> Result<Vec<u8>, CryptoError> {
        let salt = generate_salt()?;
        let kek = derive_key(password.expose_secret().as_bytes(), &salt, params)?;
        let mut blob = Writer::new(BlobKind::StaffSecretKeys);
        params.encode(&mut blob);
        blob.bytes(&salt);
        let mut plaintext = zeroize::Zeroizing::new(Vec::with_capacity(2 * SecretKey::LEN));
        self.write_secrets(&mut plaintext);
        envelope::seal(&kek, blob, PASSWORD_WRAP_CONTEXT, &plaintext)
    }

    /// Unwraps keys wrapped by [`StaffKeyPair::wrap_with_password`]. A wrong
    /// password and an altered blob both give [`CryptoError::WrongPassword`];
    /// a blob that does not parse gives [`CryptoError::Malformed`]. Slow by
    /// design: run it off the async executor.
    pub fn unwrap_with_password(blob: &[u8], password: &Password) -> Result<Self, CryptoError> {
        let mut reader = Reader::open(blob, BlobKind::StaffSecretKeys)?;
        let params = KdfParams::decode(&mut reader)?;
        let salt: [u8; SALT_LEN] = reader.array()?;
        let kek = derive_key(password.expose_secret().as_bytes(), &salt, &params)?;
        let plaintext = envelope::open(&kek, reader, PASSWORD_WRAP_CONTEXT).map_err(|e| match e {
            CryptoError::Decrypt => CryptoError::WrongPassword,
            other => other,
        })?;
        let mut keys = Reader::plain(plaintext.expose_secret(), "staff secret keys");
        let pair = StaffKeyPair::read_secrets(&mut keys)?;
        keys.finish()?;
        Ok(pair)
    }

    /// The Argon2id parameters a wrapped blob was made with, read without the
    /// password: lets the caller re-wrap old blobs after raising parameters.
    pub fn password_kdf_params(blob: &[u8]) -> Result<KdfParams, CryptoError> {
        let mut reader = Reader::open(blob, BlobKind::StaffSecretKeys)?;
        Ok(KdfParams::decode(&mut reader)?)
    }
}

/// Re-wraps a staff member's private keys under a new password (and
/// possibly new parameters). The keys themselves do not change, so nothing
/// wrapped to them (case keys, organisation keys) needs touching.
pub fn rewrap_with_password(
    blob: &[u8],
    old_password: &Password,
    new_password: &Password,
    params: &KdfParams,
) -> Result<Vec<u8>, CryptoError> {
    StaffKeyPair::unwrap_with_password(blob, old_password)?.wrap_with_password(new_password, params)
}

/// A staff member's public keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffPublicKeys {
    encryption: EncryptionPublicKey,
    signing: VerifyingKey,
}

impl StaffPublicKeys {
    /// The key that case and organisation keys are wrapped to.
    pub fn encryption(&self) -> &EncryptionPublicKey {
        &self.encryption
    }

    /// The key that checks this staff member's signatures.
    pub fn signing(&self) -> &VerifyingKey {
        &self.signing
    }

    /// Fingerprint of the signing key, to show to the staff member and to
    /// compare out of band.
    pub fn fingerprint(&self) -> Fingerprint {
        self.signing.fingerprint()
    }

    /// The stored form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut blob = Writer::new(BlobKind::StaffPublicKeys);
        blob.bytes(&self.encryption.to_bytes())
            .bytes(&self.signing.to_bytes());
        blob.finish_with_checksum()
    }

    /// Parses the stored form; a damaged blob fails its checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let mut blob = Reader::open_checksummed(bytes, BlobKind::StaffPublicKeys)?;
        let encryption = EncryptionPublicKey::from_bytes(blob.array()?);
        let signing = VerifyingKey::from_bytes(&blob.array()?)?;
        blob.finish()?;
        Ok(StaffPublicKeys { encryption, signing })
    }
}
