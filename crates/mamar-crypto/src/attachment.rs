//! Attachments of a case, encrypted as they stream in.
//!
//! Each attachment has its own random key (an [`AttachmentKey`]); the key
//! travels inside the attachment's case record, under the case key, so a
//! case re-key re-encrypts one small record instead of the whole file, and a
//! removed team member's old case key opens no attachment added after.
//!
//! The file is cut into chunks, each sealed with XChaCha20-Poly1305 under a
//! fresh random nonce (the same AEAD as every other record). The associated
//! data binds a chunk to its attachment, its position and whether it is the
//! last one, so chunks cannot be swapped between files, reordered, dropped
//! from the middle, or the file cut short without decryption failing: the
//! STREAM construction's guarantees (Hoang, Reyhanitabar, Rogaway and Vizár
//! 2015), with random nonces instead of counters.
//!
//! Chunk blob (version 1): `header || nonce (24) || ciphertext || tag (16)`.

use crate::encoding::{BlobKind, Reader, Writer, push_field};
use crate::envelope;
use crate::error::CryptoError;
use crate::secret::{SecretBytes, SecretKey, redacted_formatting};

/// One attachment's random 256-bit key. Zeroizes on drop.
pub struct AttachmentKey(SecretKey);

redacted_formatting!(AttachmentKey);

/// Where a chunk belongs; all of it is authenticated with the chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkPosition<'a> {
    /// The attachment's id.
    pub attachment_id: &'a [u8],
    /// The chunk's place, from 0.
    pub index: u32,
    /// Whether the file ends with this chunk.
    pub last: bool,
}

impl ChunkPosition<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut aad = b"mamar/v1/attachment-chunk".to_vec();
        push_field(&mut aad, self.attachment_id);
        aad.extend_from_slice(&self.index.to_le_bytes());
        aad.push(u8::from(self.last));
        aad
    }
}

impl AttachmentKey {
    /// A fresh random key, one per attachment.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(AttachmentKey(SecretKey::generate()?))
    }

    /// The key as it is kept inside its (encrypted) case record.
    pub fn expose_secret(&self) -> &[u8; SecretKey::LEN] {
        self.0.expose_secret()
    }

    /// The key kept in the attachment's record.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, CryptoError> {
        SecretKey::from_slice(bytes).map(AttachmentKey)
    }

    /// Encrypts the chunk at `position`.
    pub fn encrypt_chunk(
        &self,
        position: &ChunkPosition<'_>,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        envelope::seal(
            &self.0,
            Writer::new(BlobKind::AttachmentChunk),
            &position.associated_data(),
            plaintext,
        )
    }

    /// Decrypts a chunk sealed for exactly this `position`.
    pub fn decrypt_chunk(
        &self,
        position: &ChunkPosition<'_>,
        blob: &[u8],
    ) -> Result<SecretBytes, CryptoError> {
        let reader = Reader::open(blob, BlobKind::AttachmentChunk)?;
        envelope::open(&self.0, reader, &position.associated_data())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &[u8] = b"attachment-0001!";

    fn at(index: u32, last: bool) -> ChunkPosition<'static> {
        ChunkPosition {
            attachment_id: ID,
            index,
            last,
        }
    }

    #[test]
    fn a_chunk_opens_only_at_its_own_place_in_its_own_file() {
        let key = AttachmentKey::generate().unwrap();
        let blob = key.encrypt_chunk(&at(3, false), b"scan of a page").unwrap();
        assert_eq!(
            key.decrypt_chunk(&at(3, false), &blob).unwrap().expose_secret(),
            b"scan of a page"
        );
        // Moved, marked last (the file cut short there), or put in another file.
        assert!(key.decrypt_chunk(&at(2, false), &blob).is_err());
        assert!(key.decrypt_chunk(&at(3, true), &blob).is_err());
        let other = ChunkPosition {
            attachment_id: b"attachment-0002!",
            ..at(3, false)
        };
        assert!(key.decrypt_chunk(&other, &blob).is_err());
        let stranger = AttachmentKey::generate().unwrap();
        assert!(stranger.decrypt_chunk(&at(3, false), &blob).is_err());
    }

    #[test]
    fn the_key_survives_its_round_trip_through_a_record() {
        let key = AttachmentKey::generate().unwrap();
        let blob = key.encrypt_chunk(&at(0, true), b"x").unwrap();
        let again = AttachmentKey::from_slice(key.expose_secret()).unwrap();
        assert_eq!(
            again.decrypt_chunk(&at(0, true), &blob).unwrap().expose_secret(),
            b"x"
        );
        assert!(AttachmentKey::from_slice(&[0; 7]).is_err());
    }
}
