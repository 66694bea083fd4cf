//! Backups sealed to the organisation's backup key.
//!
//! The backup key pair is derived from the recovery secret
//! ([`crate::RecoverySecret::backup_key_pair`]): the server stores only its
//! public half and seals each backup to it; only k trustees together, by
//! rebuilding the recovery secret, can open a backup. The server that wrote
//! a backup cannot read it back.
//!
//! Blob layout (version 1): `header || enc (32) || ciphertext`, HPKE base
//! mode (as in [`crate::seal`]) with `info` `"mamar/v1/seal/backup"` and the
//! header as associated data. The sealed plaintext is `len (8, little
//! endian) || data || zeros`, padded to [`padded_len`], so the file's size
//! tells only the database's size to within an eighth.

use zeroize::Zeroizing;

use crate::encoding::{BlobKind, Reader, Writer};
use crate::error::{CryptoError, ParseProblem};
use crate::seal::{EncryptionKeyPair, EncryptionPublicKey, PUBLIC_KEY_LEN, hpke_open, hpke_seal};
use crate::secret::SecretBytes;

const INFO: &[u8] = b"mamar/v1/seal/backup";
const LENGTH_LEN: usize = 8;
/// No sealed backup is smaller than this: an almost empty database and a
/// small one look alike.
const MIN_PADDED: usize = 64 * 1024;

/// The size a plaintext of `len` bytes (with its 8-byte length) is padded to:
/// at least 64 KiB, and above that rounded up to a multiple of an eighth of
/// the largest power of two not above it (at most 12.5 % added).
pub fn padded_len(len: usize) -> usize {
    let needed = len.saturating_add(LENGTH_LEN);
    if needed <= MIN_PADDED {
        return MIN_PADDED;
    }
    let top = usize::BITS - 1 - needed.leading_zeros();
    let step = 1usize << top.saturating_sub(3);
    needed.div_ceil(step).saturating_mul(step)
}

/// Seals a backup to the organisation's backup public key.
pub fn seal_backup(recipient: &EncryptionPublicKey, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let total = padded_len(data.len());
    let mut padded = Zeroizing::new(Vec::with_capacity(total));
    let len = u64::try_from(data.len()).map_err(|_| CryptoError::Encrypt("the backup is too large"))?;
    padded.extend_from_slice(&len.to_le_bytes());
    padded.extend_from_slice(data);
    padded.resize(total, 0);
    let mut blob = Writer::new(BlobKind::Backup);
    let (enc, ciphertext) = hpke_seal(recipient, INFO, blob.as_slice(), &padded)?;
    blob.bytes(&enc).bytes(&ciphertext);
    Ok(blob.finish())
}

/// Opens a backup sealed with [`seal_backup`] with the backup key pair that
/// the trustees' shares rebuild. Any change to the file, or another key,
/// gives [`CryptoError::Decrypt`].
pub fn open_backup(pair: &EncryptionKeyPair, sealed: &[u8]) -> Result<SecretBytes, CryptoError> {
    let mut blob = Reader::open(sealed, BlobKind::Backup)?;
    let aad = blob.consumed();
    let enc = blob.array::<PUBLIC_KEY_LEN>()?;
    let ciphertext = blob.rest(16)?;
    let padded = hpke_open(pair, &enc, INFO, aad, ciphertext)?;
    let padded = padded.expose_secret();
    let mut fields = Reader::plain(padded, "backup");
    let len = fields.array::<LENGTH_LEN>()?;
    let len = usize::try_from(u64::from_le_bytes(len))
        .map_err(|_| fields.error(ParseProblem::InvalidValue("length")))?;
    let data = fields.take(len)?;
    if fields.rest(0)?.iter().any(|&byte| byte != 0) {
        return Err(CryptoError::Decrypt);
    }
    Ok(SecretBytes::new(data.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RecoverySecret, combine, split};

    #[test]
    fn a_backup_opens_with_the_key_the_trustees_rebuild_and_no_other() {
        let secret = RecoverySecret::generate().unwrap();
        let public = *secret.backup_key_pair().public_key();
        let sealed = seal_backup(&public, b"the whole database").unwrap();
        let shares = split(&secret, 2, 3).unwrap();
        let rebuilt = combine(&shares[1..]).unwrap();
        let opened = open_backup(&rebuilt.backup_key_pair(), &sealed).unwrap();
        assert_eq!(opened.expose_secret(), b"the whole database");

        let other = RecoverySecret::generate().unwrap();
        assert_eq!(
            open_backup(&other.backup_key_pair(), &sealed).unwrap_err(),
            CryptoError::Decrypt
        );
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(
            open_backup(&rebuilt.backup_key_pair(), &tampered).unwrap_err(),
            CryptoError::Decrypt
        );
    }

    #[test]
    fn sizes_are_padded_to_buckets() {
        let secret = RecoverySecret::generate().unwrap();
        let public = *secret.backup_key_pair().public_key();
        let small = seal_backup(&public, &[]).unwrap();
        let larger = seal_backup(&public, &[7; 60_000]).unwrap();
        assert_eq!(small.len(), larger.len(), "both fit the smallest bucket");
        assert_eq!(padded_len(0), MIN_PADDED);
        assert_eq!(padded_len(1 << 20), (1 << 20) + (1 << 17));
        for len in [70_000, 1_000_000, 123_456_789] {
            let padded = padded_len(len);
            assert!(
                padded >= len + LENGTH_LEN && padded <= (len + LENGTH_LEN) * 9 / 8 + 1,
                "{len}"
            );
        }
    }
}
