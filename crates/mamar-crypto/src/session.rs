//! A session's unlocked keys at rest.
//!
//! At login the server unwraps the staff member's keys and the organisation
//! keys their role grants, puts them in a [`Keyring`], and stores the
//! keyring encrypted under a random [`SessionKey`] that exists only in the
//! session cookie. Any server instance can then serve the session (it gets
//! the key from the cookie and the blob from the database), and the
//! database at rest holds nothing usable. Logout and expiry delete the blob.
//!
//! Keyring blob (version 1): `header || nonce (24) || ciphertext || tag (16)`,
//! with `"mamar/v1/session" || len || session id` as associated data.
//! Plaintext: staff X25519 key (32) || staff Ed25519 seed (32) || organisation
//! keys (count (2), then kind (1) || generation (4) || secret (32) each).

use crate::encoding::{BlobKind, Reader, Writer, push_field};
use crate::envelope;
use crate::error::CryptoError;
use crate::org::{OrgKey, OrgKeyKind};
use crate::secret::{SecretKey, redacted_formatting};
use crate::staff::StaffKeyPair;

/// The random key that protects one session's keyring. It lives only in the
/// session cookie. Zeroizes on drop.
pub struct SessionKey(SecretKey);

redacted_formatting!(SessionKey);

impl SessionKey {
    /// Length in bytes.
    pub const LEN: usize = SecretKey::LEN;

    /// A fresh random key, at login.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(SessionKey(SecretKey::generate()?))
    }

    /// The key read back from a cookie.
    pub fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
        SessionKey(SecretKey::from_bytes(bytes))
    }

    /// The raw bytes, to put in the cookie.
    pub fn expose_secret(&self) -> &[u8; Self::LEN] {
        self.0.expose_secret()
    }
}

/// The keys a logged-in staff member holds: their own key pairs and the
/// organisation keys they unlocked. Zeroizes on drop.
pub struct Keyring {
    staff: StaffKeyPair,
    org_keys: Vec<OrgKey>,
}

redacted_formatting!(Keyring);

fn session_context(session_id: &[u8]) -> Vec<u8> {
    let mut context = b"mamar/v1/session".to_vec();
    push_field(&mut context, session_id);
    context
}

impl Keyring {
    /// A keyring of `staff`'s keys and the organisation keys they unlocked.
    pub fn new(staff: StaffKeyPair, org_keys: Vec<OrgKey>) -> Self {
        Keyring { staff, org_keys }
    }

    /// The staff member's own keys.
    pub fn staff(&self) -> &StaffKeyPair {
        &self.staff
    }

    /// Every organisation key in the keyring.
    pub fn org_keys(&self) -> &[OrgKey] {
        &self.org_keys
    }

    /// The newest generation of `kind` in the keyring, if any.
    pub fn org_key(&self, kind: OrgKeyKind) -> Option<&OrgKey> {
        self.org_keys
            .iter()
            .filter(|key| key.kind() == kind)
            .max_by_key(|key| key.generation())
    }

    /// A specific generation of `kind` (to read data written before a
    /// rotation).
    pub fn org_key_generation(&self, kind: OrgKeyKind, generation: u32) -> Option<&OrgKey> {
        self.org_keys
            .iter()
            .find(|key| key.kind() == kind && key.generation() == generation)
    }

    /// Encrypts the whole keyring under `key`, bound to `session_id`.
    pub fn seal(&self, key: &SessionKey, session_id: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let capacity = 2 * SecretKey::LEN + 2 + self.org_keys.len() * (1 + 4 + SecretKey::LEN);
        // Sized up front so the plaintext is never reallocated, which would
        // leave an unzeroized copy behind.
        let mut plaintext = zeroize::Zeroizing::new(Vec::with_capacity(capacity));
        self.staff.write_secrets(&mut plaintext);
        OrgKey::write_all(&self.org_keys, &mut plaintext)?;
        envelope::seal(
            &key.0,
            Writer::new(BlobKind::SessionKeyring),
            &session_context(session_id),
            &plaintext,
        )
    }

    /// Decrypts a keyring sealed with [`Keyring::seal`] for the same session.
    pub fn open(blob: &[u8], key: &SessionKey, session_id: &[u8]) -> Result<Self, CryptoError> {
        let reader = Reader::open(blob, BlobKind::SessionKeyring)?;
        let plaintext = envelope::open(&key.0, reader, &session_context(session_id))?;
        let mut fields = Reader::plain(plaintext.expose_secret(), "session keyring");
        let staff = StaffKeyPair::read_secrets(&mut fields)?;
        let org_keys = OrgKey::read_all(&mut fields)?;
        fields.finish()?;
        Ok(Keyring { staff, org_keys })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keyring_opens_only_with_its_session_key_and_id() {
        let staff = StaffKeyPair::generate().unwrap();
        let public = staff.public_keys();
        let keys = OrgKey::generate_all(1).unwrap();
        let keyring = Keyring::new(staff, keys);
        let session = SessionKey::generate().unwrap();
        let blob = keyring.seal(&session, b"session-1").unwrap();

        let opened = Keyring::open(&blob, &session, b"session-1").unwrap();
        assert_eq!(opened.staff().public_keys(), public);
        assert_eq!(opened.org_keys().len(), 4);
        for kind in OrgKeyKind::ALL {
            assert_eq!(opened.org_key(kind).unwrap().kind(), kind);
        }
        assert!(Keyring::open(&blob, &session, b"session-2").is_err());
        let other = SessionKey::generate().unwrap();
        assert!(Keyring::open(&blob, &other, b"session-1").is_err());
    }

    #[test]
    fn the_newest_generation_is_the_default() {
        let old = OrgKey::generate(OrgKeyKind::Analytics, 1).unwrap();
        let new = old.rotate().unwrap();
        let keyring = Keyring::new(StaffKeyPair::generate().unwrap(), vec![new, old]);
        assert_eq!(keyring.org_key(OrgKeyKind::Analytics).unwrap().generation(), 2);
        assert!(keyring.org_key_generation(OrgKeyKind::Analytics, 1).is_some());
        assert!(keyring.org_key(OrgKeyKind::Intake).is_none());
    }
}
