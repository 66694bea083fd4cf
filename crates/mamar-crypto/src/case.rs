//! Record encryption: case keys (every field, note, message and attachment
//! of a case) and the analytics key (statistical facets).
//!
//! A record's ciphertext is bound to its [`RecordContext`]: the record id,
//! its kind and its schema version are authenticated as associated data, so
//! a ciphertext copied onto another record, or read as another kind, fails
//! to decrypt instead of showing the wrong person's data.
//!
//! Content blob (version 1): `header || nonce (24) || ciphertext || tag (16)`.
//! Wrapped case key (version 1): `header || enc (32) || ciphertext (32 + 16)`,
//! HPKE `info` = `"mamar/v1/wrap/case-key" || len || case id`.

use crate::encoding::{BlobKind, HEADER_LEN, Reader, Writer, push_field};
use crate::envelope;
use crate::error::CryptoError;
use crate::seal;
use crate::secret::{SecretBytes, SecretKey, redacted_formatting};
use crate::staff::{StaffKeyPair, StaffPublicKeys};

/// Where a record lives. All three fields are authenticated with its
/// ciphertext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordContext<'a> {
    /// The record's id (for example the 16 bytes of its UUID).
    pub record_id: &'a [u8],
    /// What kind of record it is (for example `"case.note"`).
    pub kind: &'a str,
    /// The version of the record's schema, so that a record cannot be
    /// decrypted as (and misparsed by) another version of the code.
    pub schema_version: u32,
}

impl RecordContext<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut aad = b"mamar/v1/record".to_vec();
        push_field(&mut aad, self.record_id);
        push_field(&mut aad, self.kind.as_bytes());
        aad.extend_from_slice(&self.schema_version.to_le_bytes());
        aad
    }
}

fn encrypt_record(
    key: &SecretKey,
    kind: BlobKind,
    plaintext: &[u8],
    context: &RecordContext<'_>,
) -> Result<Vec<u8>, CryptoError> {
    envelope::seal(key, Writer::new(kind), &context.associated_data(), plaintext)
}

fn decrypt_record(
    key: &SecretKey,
    kind: BlobKind,
    blob: &[u8],
    context: &RecordContext<'_>,
) -> Result<SecretBytes, CryptoError> {
    let reader = Reader::open(blob, kind)?;
    envelope::open(key, reader, &context.associated_data())
}

/// Length of the plaintext prefix of a content blob (its header); the nonce
/// follows it.
pub const CONTENT_PREFIX_LEN: usize = HEADER_LEN;

/// A case's random 256-bit key. Zeroizes on drop.
pub struct CaseKey(SecretKey);

redacted_formatting!(CaseKey);

impl CaseKey {
    /// A fresh random key, for a new case or a re-keyed one.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(CaseKey(SecretKey::generate()?))
    }

    /// Encrypts one record of the case.
    pub fn encrypt(&self, plaintext: &[u8], context: &RecordContext<'_>) -> Result<Vec<u8>, CryptoError> {
        encrypt_record(&self.0, BlobKind::CaseContent, plaintext, context)
    }

    /// Decrypts a record encrypted with [`CaseKey::encrypt`] under the same
    /// context. Another key, another context or any altered byte gives an
    /// error.
    pub fn decrypt(&self, blob: &[u8], context: &RecordContext<'_>) -> Result<SecretBytes, CryptoError> {
        decrypt_record(&self.0, BlobKind::CaseContent, blob, context)
    }

    /// Re-encrypts one record under `new_key` (when a case is re-keyed after
    /// someone is removed from it).
    pub fn reencrypt(
        &self,
        blob: &[u8],
        context: &RecordContext<'_>,
        new_key: &CaseKey,
    ) -> Result<Vec<u8>, CryptoError> {
        let plaintext = self.decrypt(blob, context)?;
        new_key.encrypt(plaintext.expose_secret(), context)
    }

    /// Encrypts a case's inbox key pair (the key a requester's messages to
    /// the case team are sealed to) as a record of the case.
    pub fn encrypt_inbox_key(
        &self,
        inbox: &crate::EncryptionKeyPair,
        context: &RecordContext<'_>,
    ) -> Result<Vec<u8>, CryptoError> {
        let secret = inbox.secret_key();
        self.encrypt(secret.expose_secret(), context)
    }

    /// Opens an inbox key pair encrypted with [`CaseKey::encrypt_inbox_key`].
    pub fn decrypt_inbox_key(
        &self,
        blob: &[u8],
        context: &RecordContext<'_>,
    ) -> Result<crate::EncryptionKeyPair, CryptoError> {
        let plain = self.decrypt(blob, context)?;
        let bytes: [u8; SecretKey::LEN] =
            plain
                .expose_secret()
                .try_into()
                .map_err(|_| CryptoError::InvalidKeyLength {
                    expected: SecretKey::LEN,
                    found: plain.expose_secret().len(),
                })?;
        crate::EncryptionKeyPair::from_secret(&SecretKey::from_bytes(bytes))
    }

    fn wrap_info(case_id: &[u8]) -> Vec<u8> {
        seal::wrap_info("case-key", &[case_id])
    }

    /// Wraps this key to a staff member assigned to case `case_id`.
    pub fn wrap_to(&self, holder: &StaffPublicKeys, case_id: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let blob = Writer::new(BlobKind::WrappedCaseKey);
        seal::wrap_secret(holder.encryption(), blob, &Self::wrap_info(case_id), &self.0)
    }

    /// Unwraps a key wrapped with [`CaseKey::wrap_to`] for the same case. A
    /// wrapped key of another case, or for another staff member, fails.
    pub fn unwrap(wrapped: &[u8], case_id: &[u8], holder: &StaffKeyPair) -> Result<Self, CryptoError> {
        let blob = Reader::open(wrapped, BlobKind::WrappedCaseKey)?;
        seal::unwrap_secret(holder.encryption(), blob, &Self::wrap_info(case_id)).map(CaseKey)
    }

    fn escrow_info(case_id: &[u8]) -> Vec<u8> {
        seal::wrap_info("case-key-escrow", &[case_id])
    }

    /// Wraps this key to the break-glass escrow key (whose private half only
    /// k administrators' shares together rebuild). Labelled apart from a
    /// wrap to a staff member, so neither opens as the other.
    pub fn wrap_to_escrow(
        &self,
        escrow: &crate::EncryptionPublicKey,
        case_id: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let blob = Writer::new(BlobKind::WrappedCaseKey);
        seal::wrap_secret(escrow, blob, &Self::escrow_info(case_id), &self.0)
    }

    /// Opens a wrap made by [`CaseKey::wrap_to_escrow`] for the same case.
    pub fn unwrap_escrow(
        wrapped: &[u8],
        case_id: &[u8],
        escrow: &crate::EncryptionKeyPair,
    ) -> Result<Self, CryptoError> {
        let blob = Reader::open(wrapped, BlobKind::WrappedCaseKey)?;
        seal::unwrap_secret(escrow, blob, &Self::escrow_info(case_id)).map(CaseKey)
    }
}

/// A referral's random key: encrypts what one referral shares with a
/// partner, and is wrapped only to that partner's liaisons (never to the
/// case team, who read the case itself). Its wrapping is labelled apart from
/// a case key's, so a wrapped referral key can never pass for a case key.
/// The blobs share the case key's formats. Zeroizes on drop.
pub struct ReferralKey(SecretKey);

redacted_formatting!(ReferralKey);

impl ReferralKey {
    /// A fresh random key, for a new referral.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(ReferralKey(SecretKey::generate()?))
    }

    /// Encrypts what the referral shares.
    pub fn encrypt(&self, plaintext: &[u8], context: &RecordContext<'_>) -> Result<Vec<u8>, CryptoError> {
        encrypt_record(&self.0, BlobKind::CaseContent, plaintext, context)
    }

    /// Decrypts what [`ReferralKey::encrypt`] encrypted under the same context.
    pub fn decrypt(&self, blob: &[u8], context: &RecordContext<'_>) -> Result<SecretBytes, CryptoError> {
        decrypt_record(&self.0, BlobKind::CaseContent, blob, context)
    }

    fn wrap_info(referral_id: &[u8]) -> Vec<u8> {
        seal::wrap_info("referral-key", &[referral_id])
    }

    /// Wraps this key to one liaison of the partner of referral `referral_id`.
    pub fn wrap_to(&self, holder: &StaffPublicKeys, referral_id: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let blob = Writer::new(BlobKind::WrappedCaseKey);
        seal::wrap_secret(holder.encryption(), blob, &Self::wrap_info(referral_id), &self.0)
    }

    /// Unwraps a key wrapped with [`ReferralKey::wrap_to`] for the same referral.
    pub fn unwrap(wrapped: &[u8], referral_id: &[u8], holder: &StaffKeyPair) -> Result<Self, CryptoError> {
        let blob = Reader::open(wrapped, BlobKind::WrappedCaseKey)?;
        seal::unwrap_secret(holder.encryption(), blob, &Self::wrap_info(referral_id)).map(ReferralKey)
    }
}

/// The organisation's analytics key: encrypts each case's statistical
/// facets, which analysts decrypt in memory to aggregate. Zeroizes on drop.
pub struct AnalyticsKey(SecretKey);

redacted_formatting!(AnalyticsKey);

impl AnalyticsKey {
    pub(crate) fn generate() -> Result<Self, CryptoError> {
        Ok(AnalyticsKey(SecretKey::generate()?))
    }

    pub(crate) fn from_secret(secret: SecretKey) -> Self {
        AnalyticsKey(secret)
    }

    pub(crate) fn secret(&self) -> &SecretKey {
        &self.0
    }

    /// Encrypts a record of facets.
    pub fn encrypt(&self, plaintext: &[u8], context: &RecordContext<'_>) -> Result<Vec<u8>, CryptoError> {
        encrypt_record(&self.0, BlobKind::AnalyticsContent, plaintext, context)
    }

    /// The X25519 pair facets are sealed to: derived from this key (HKDF
    /// label `mamar/v1/analytics/facet-seal`, then RFC 9180
    /// `DeriveKeyPair`), so its private half exists only where this key
    /// does, and its public half (stored in the clear like the intake
    /// key's) lets any case worker seal facets that only analytics-key
    /// holders open.
    pub fn facet_key_pair(&self) -> crate::EncryptionKeyPair {
        crate::EncryptionKeyPair::derive(&crate::blind_index::derive_subkey(
            &self.0,
            b"analytics/facet-seal",
        ))
    }

    /// Decrypts a record encrypted with [`AnalyticsKey::encrypt`].
    pub fn decrypt(&self, blob: &[u8], context: &RecordContext<'_>) -> Result<SecretBytes, CryptoError> {
        decrypt_record(&self.0, BlobKind::AnalyticsContent, blob, context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: RecordContext<'static> = RecordContext {
        record_id: b"record-1",
        kind: "case.note",
        schema_version: 1,
    };

    #[test]
    fn records_decrypt_only_under_their_own_context() {
        let key = CaseKey::generate().unwrap();
        let blob = key.encrypt(b"meet at the bridge", &NOTE).unwrap();
        assert_eq!(
            key.decrypt(&blob, &NOTE).unwrap().expose_secret(),
            b"meet at the bridge"
        );
        for other in [
            RecordContext {
                record_id: b"record-2",
                ..NOTE
            },
            RecordContext {
                kind: "case.plan",
                ..NOTE
            },
            RecordContext {
                schema_version: 2,
                ..NOTE
            },
        ] {
            assert_eq!(key.decrypt(&blob, &other).unwrap_err(), CryptoError::Decrypt);
        }
        let stranger = CaseKey::generate().unwrap();
        assert_eq!(stranger.decrypt(&blob, &NOTE).unwrap_err(), CryptoError::Decrypt);
    }

    #[test]
    fn context_fields_cannot_be_shifted_into_each_other() {
        let key = CaseKey::generate().unwrap();
        let a = RecordContext {
            record_id: b"ab",
            kind: "c",
            schema_version: 1,
        };
        let b = RecordContext {
            record_id: b"a",
            kind: "bc",
            schema_version: 1,
        };
        let blob = key.encrypt(b"x", &a).unwrap();
        assert!(key.decrypt(&blob, &b).is_err());
    }

    #[test]
    fn facets_sealed_to_the_public_half_open_only_with_the_analytics_key() {
        use crate::{OrgKey, OrgKeyKind, OrgPublicKey, SealPurpose, open, seal};
        let org = OrgKey::generate(OrgKeyKind::Analytics, 3).unwrap();
        let stored = org.public_key().unwrap().to_bytes();
        let public = OrgPublicKey::from_bytes(&stored).unwrap();
        assert_eq!(public.kind(), OrgKeyKind::Analytics);
        assert_eq!(public.generation(), 3);
        let purpose = SealPurpose::Facets { facet_id: b"facet-1" };
        let sealed = seal(public.analytics().unwrap(), &purpose, b"governorate=idlib").unwrap();
        let key = org.analytics().unwrap();
        let pair = key.facet_key_pair();
        assert_eq!(
            open(&pair, &purpose, &sealed).unwrap().expose_secret(),
            b"governorate=idlib"
        );
        // Another facet id, another analytics key: nothing opens.
        assert!(open(&pair, &SealPurpose::Facets { facet_id: b"facet-2" }, &sealed).is_err());
        let other = AnalyticsKey::generate().unwrap().facet_key_pair();
        assert!(open(&other, &purpose, &sealed).is_err());
    }

    #[test]
    fn case_content_and_facets_cannot_be_swapped() {
        let secret = SecretKey::from_bytes([9; 32]);
        let case_key = CaseKey(secret.duplicate());
        let analytics = AnalyticsKey(secret);
        let facets = analytics.encrypt(b"rank=officer", &NOTE).unwrap();
        assert!(matches!(
            case_key.decrypt(&facets, &NOTE),
            Err(CryptoError::Malformed(_))
        ));
    }

    #[test]
    fn an_inbox_key_opens_only_under_its_case_key_and_context() {
        let key = CaseKey::generate().unwrap();
        let inbox = crate::EncryptionKeyPair::generate().unwrap();
        let blob = key.encrypt_inbox_key(&inbox, &NOTE).unwrap();
        let opened = key.decrypt_inbox_key(&blob, &NOTE).unwrap();
        assert_eq!(opened.public_key(), inbox.public_key());
        let purpose = crate::SealPurpose::CaseInbox { request_id: b"r" };
        let sealed = crate::seal(inbox.public_key(), &purpose, b"hello").unwrap();
        assert_eq!(
            crate::open(&opened, &purpose, &sealed).unwrap().expose_secret(),
            b"hello"
        );
        assert!(
            CaseKey::generate()
                .unwrap()
                .decrypt_inbox_key(&blob, &NOTE)
                .is_err()
        );
    }

    #[test]
    fn reencrypting_moves_a_record_to_the_new_key() {
        let old = CaseKey::generate().unwrap();
        let new = CaseKey::generate().unwrap();
        let blob = old.encrypt(b"plan", &NOTE).unwrap();
        let moved = old.reencrypt(&blob, &NOTE, &new).unwrap();
        assert_eq!(new.decrypt(&moved, &NOTE).unwrap().expose_secret(), b"plan");
        assert!(old.decrypt(&moved, &NOTE).is_err());
    }

    #[test]
    fn a_wrapped_referral_key_is_not_a_case_key() {
        let holder = StaffKeyPair::generate().unwrap();
        let key = ReferralKey::generate().unwrap();
        let wrapped = key.wrap_to(&holder.public_keys(), b"referral-1").unwrap();
        assert!(ReferralKey::unwrap(&wrapped, b"referral-1", &holder).is_ok());
        assert!(ReferralKey::unwrap(&wrapped, b"referral-2", &holder).is_err());
        assert!(CaseKey::unwrap(&wrapped, b"referral-1", &holder).is_err());
        let blob = key.encrypt(b"name", &NOTE).unwrap();
        let other = ReferralKey::generate().unwrap();
        assert!(other.decrypt(&blob, &NOTE).is_err());
    }
}
