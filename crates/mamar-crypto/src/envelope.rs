//! Symmetric authenticated encryption under a 256-bit key:
//! XChaCha20-Poly1305 with a fresh random 24-byte nonce per message.
//!
//! Layout of an encrypted blob: `prefix || nonce (24) || ciphertext || tag (16)`,
//! where `prefix` is the header plus any plaintext fields of that blob kind.
//! The associated data is `len(prefix) || prefix || context`, so the header,
//! the plaintext fields and the caller's context (record id, kind, schema
//! version, session id...) are all authenticated: changing any of them makes
//! decryption fail.
//!
//! With 192-bit random nonces, a repeat is negligible (about 2^-96 after
//! 2^48 messages under one key), so no nonce state needs to be kept.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::encoding::{Reader, Writer, push_field};
use crate::error::CryptoError;
use crate::random::random_array;
use crate::secret::{SecretBytes, SecretKey};

/// Nonce length of XChaCha20-Poly1305.
pub const NONCE_LEN: usize = 24;
/// Authentication tag length of Poly1305.
pub const TAG_LEN: usize = 16;

fn associated_data(prefix: &[u8], context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(prefix.len() + context.len() + 4);
    push_field(&mut aad, prefix);
    aad.extend_from_slice(context);
    aad
}

/// Encrypts `plaintext` and appends nonce and ciphertext to the prefix
/// already written in `blob`.
pub(crate) fn seal(
    key: &SecretKey,
    mut blob: Writer,
    context: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let nonce_bytes = random_array::<NONCE_LEN>()?;
    let nonce = XNonce::from(nonce_bytes);
    let aad = associated_data(blob.as_slice(), context);
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| CryptoError::Encrypt("the message is too long"))?;
    blob.bytes(&nonce_bytes).bytes(&ciphertext);
    Ok(blob.finish())
}

/// Decrypts the rest of `blob`, whose prefix fields the caller has already
/// read. Any change to the prefix, the nonce, the ciphertext, the tag or the
/// context, and any other key, gives [`CryptoError::Decrypt`].
pub(crate) fn open(
    key: &SecretKey,
    mut blob: Reader<'_>,
    context: &[u8],
) -> Result<SecretBytes, CryptoError> {
    let prefix = blob.consumed();
    let nonce = XNonce::from(blob.array::<NONCE_LEN>()?);
    let ciphertext = blob.rest(TAG_LEN)?;
    let aad = associated_data(prefix, context);
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());
    cipher
        .decrypt(
            &nonce,
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map(SecretBytes::new)
        .map_err(|_| CryptoError::Decrypt)
}
