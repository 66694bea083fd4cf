//! Blind indexes: exact look-ups without storing plaintext.
//!
//! Each indexed field has its own key, derived with HKDF-SHA256 from a root
//! key (normally the organisation's linkage key) and the field name; the
//! index of a value is HMAC-SHA256 under that key. Equal values give equal
//! indexes within one field, nothing links values across fields, and without
//! the root key an index reveals nothing (beyond equality) about its value.
//!
//! Normalise values before indexing (case, spacing, digits, Arabic letter
//! variants): the index is over exact bytes.

use std::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::CryptoError;
use crate::secret::{SecretKey, redacted_formatting};

/// Derives a 256-bit subkey from `root` with HKDF-SHA256 (RFC 5869): no
/// salt, `info` = `"mamar/v1/" || label`.
pub(crate) fn derive_subkey(root: &SecretKey, label: &[u8]) -> SecretKey {
    let mut info = b"mamar/v1/".to_vec();
    info.extend_from_slice(label);
    let mut out = [0u8; SecretKey::LEN];
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit, so expand
    // cannot fail; an all-zero key is never reached.
    let _ = Hkdf::<Sha256>::new(None, root.expose_secret()).expand(&info, &mut out);
    let key = SecretKey::from_bytes(out);
    zeroize::Zeroize::zeroize(&mut out);
    key
}

/// The organisation's linkage key: the root of blind-index keys and of the
/// keys of privacy-preserving linkage encodings. Zeroizes on drop.
pub struct LinkageKey(SecretKey);

redacted_formatting!(LinkageKey);

impl LinkageKey {
    pub(crate) fn generate() -> Result<Self, CryptoError> {
        Ok(LinkageKey(SecretKey::generate()?))
    }

    pub(crate) fn from_secret(secret: SecretKey) -> Self {
        LinkageKey(secret)
    }

    pub(crate) fn secret(&self) -> &SecretKey {
        &self.0
    }

    /// The blind-index key of `field`.
    pub fn blind_index_key(&self, field: &str) -> BlindIndexKey {
        BlindIndexKey::derive(&self.0, field)
    }

    /// A subkey for another keyed encoding (for example the HMAC keys of
    /// Bloom-filter linkage encodings), separated from blind-index keys and
    /// from other labels.
    pub fn derive_subkey(&self, label: &str) -> SecretKey {
        let mut full = b"linkage/".to_vec();
        full.extend_from_slice(label.as_bytes());
        derive_subkey(&self.0, &full)
    }

    /// The key that seals people's keyed linkage encodings (Bloom-filter
    /// CLKs) for storage. A CLK is compared by its bits, so it cannot be a
    /// blind index; stored bare, its bit patterns would be open to frequency
    /// attacks. Sealed, only holders of the linkage key read them, in memory.
    pub fn encoding_seal(&self) -> EncodingSeal {
        EncodingSeal(self.derive_subkey(ENCODING_SEAL))
    }
}

/// Seals and opens stored linkage encodings; see [`LinkageKey::encoding_seal`].
pub struct EncodingSeal(SecretKey);

redacted_formatting!(EncodingSeal);

impl EncodingSeal {
    /// Seals `encoding`, bound to `owner_id` (the record it describes).
    pub fn seal(&self, owner_id: &[u8], encoding: &[u8]) -> Result<Vec<u8>, CryptoError> {
        crate::envelope::seal(
            &self.0,
            crate::encoding::Writer::new(crate::encoding::BlobKind::LinkageEncoding),
            &encoding_context(owner_id),
            encoding,
        )
    }

    /// Opens an encoding sealed for the same owner.
    pub fn open(&self, owner_id: &[u8], sealed: &[u8]) -> Result<crate::SecretBytes, CryptoError> {
        let reader = crate::encoding::Reader::open(sealed, crate::encoding::BlobKind::LinkageEncoding)?;
        crate::envelope::open(&self.0, reader, &encoding_context(owner_id))
    }
}

const ENCODING_SEAL: &str = "encoding-seal";

fn encoding_context(owner_id: &[u8]) -> Vec<u8> {
    let mut context = b"mamar/v1/linkage-encoding".to_vec();
    crate::encoding::push_field(&mut context, owner_id);
    context
}

/// The key of one field's blind index. Zeroizes on drop.
pub struct BlindIndexKey(SecretKey);

redacted_formatting!(BlindIndexKey);

impl BlindIndexKey {
    /// HKDF-SHA256 from `root`, with `info` =
    /// `"mamar/v1/blind-index/" || field`.
    pub fn derive(root: &SecretKey, field: &str) -> Self {
        let mut label = b"blind-index/".to_vec();
        label.extend_from_slice(field.as_bytes());
        BlindIndexKey(derive_subkey(root, &label))
    }

    /// HMAC-SHA256 of `value` under this field's key.
    pub fn index(&self, value: &[u8]) -> BlindIndex {
        BlindIndex(hmac_sha256(self.0.expose_secret(), value))
    }
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0u8; 32],
    }
}

/// A blind index value: store it in the clear and look records up by it.
/// `Debug` hides it, since it links records that share a value.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlindIndex([u8; 32]);

impl BlindIndex {
    /// The 32 bytes to store.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// From stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        BlindIndex(bytes)
    }

    /// Constant-time comparison, for when the comparison itself could leak.
    pub fn ct_eq(&self, other: &BlindIndex) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlindIndex({})", crate::secret::REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_encoding_opens_only_for_its_owner_under_the_same_key() {
        let key = LinkageKey::generate().unwrap().encoding_seal();
        let sealed = key.seal(b"case-1", &[0b1010_1010; 128]).unwrap();
        assert_eq!(
            key.open(b"case-1", &sealed).unwrap().expose_secret(),
            &[0b1010_1010; 128]
        );
        assert!(key.open(b"case-2", &sealed).is_err());
        let other = LinkageKey::generate().unwrap().encoding_seal();
        assert!(other.open(b"case-1", &sealed).is_err());
    }

    #[test]
    fn equal_values_match_within_a_field_but_not_across_fields() {
        let root = SecretKey::from_bytes([3; 32]);
        let phone = BlindIndexKey::derive(&root, "phone");
        let name = BlindIndexKey::derive(&root, "name");
        assert_eq!(phone.index(b"+963 11 000"), phone.index(b"+963 11 000"));
        assert_ne!(phone.index(b"+963 11 000"), phone.index(b"+963 11 001"));
        assert_ne!(phone.index(b"same"), name.index(b"same"));
        let other_root = BlindIndexKey::derive(&SecretKey::from_bytes([4; 32]), "phone");
        assert_ne!(phone.index(b"same"), other_root.index(b"same"));
    }

    #[test]
    fn linkage_subkeys_are_separate_from_blind_index_keys() {
        let linkage = LinkageKey(SecretKey::from_bytes([5; 32]));
        let index_key = linkage.blind_index_key("x");
        assert_ne!(index_key.0, linkage.derive_subkey("x"));
        assert_ne!(
            linkage.derive_subkey("clk/name"),
            linkage.derive_subkey("clk/dob")
        );
        assert_eq!(format!("{:?}", index_key.index(b"v")), "BlindIndex([REDACTED])");
    }
}
