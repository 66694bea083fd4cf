//! Organisation recovery: a 256-bit recovery secret, split k-of-n among
//! trustees with Shamir secret sharing over GF(256) (the `blahaj` crate),
//! and the organisation keys encrypted under it.
//!
//! If every administrator loses their password, k trustees bring their
//! shares, [`combine`] rebuilds the secret, [`open_org_keys`] decrypts the
//! organisation keys, and the binary wraps them to a new administrator.
//! Fewer than k shares reveal nothing about the secret.
//!
//! Share blob (version 1): `header || threshold (1) || total (1) || index (1)
//! || commitment (32) || value (32) || checksum (8)`. The commitment is
//! HKDF(secret, "recovery/commitment"), the same in every share of a split: it
//! tells shares of different splits apart, and lets [`combine`] check that
//! the rebuilt secret is the original one rather than silently returning
//! garbage from a wrong share. The checksum catches a mistyped share before
//! combining.
//!
//! Bundle blob (version 1): `header || nonce (24) || ciphertext || tag (16)`,
//! under HKDF(secret, "recovery/bundle"), organisation keys serialised as in
//! the session keyring.

use std::collections::BTreeMap;

use blahaj::{Share, Sharks};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::blind_index::derive_subkey;
use crate::encoding::{BlobKind, Reader, Writer};
use crate::envelope;
use crate::error::{CryptoError, ParseError, ParseProblem, RecoveryError};
use crate::org::OrgKey;
use crate::random::seeded_rng;
use crate::seal::EncryptionKeyPair;
use crate::secret::{SecretBytes, SecretKey, redacted_formatting};

const BUNDLE_CONTEXT: &[u8] = b"mamar/v1/recovery/bundle";

/// The organisation's recovery secret. Zeroizes on drop.
pub struct RecoverySecret(SecretKey);

redacted_formatting!(RecoverySecret);

impl RecoverySecret {
    /// A fresh random secret, at `mamar recovery` setup.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(RecoverySecret(SecretKey::generate()?))
    }

    fn commitment(&self) -> [u8; 32] {
        *derive_subkey(&self.0, b"recovery/commitment").expose_secret()
    }

    fn bundle_key(&self) -> SecretKey {
        derive_subkey(&self.0, b"recovery/bundle")
    }

    /// The organisation's backup key pair, derived from the secret (RFC 9180
    /// `DeriveKeyPair` on HKDF(secret, "recovery/backup")): the server keeps
    /// only the public half, and k trustees rebuild the private half with
    /// the secret. See [`crate::backup`].
    pub fn backup_key_pair(&self) -> EncryptionKeyPair {
        EncryptionKeyPair::derive(&derive_subkey(&self.0, b"recovery/backup"))
    }

    /// The break-glass escrow key pair, derived the same way under the label
    /// "break-glass/escrow". A break-glass secret is a secret of this type
    /// of its own (never the trustees' recovery secret), split among the
    /// administrators with [`split`]: case keys are wrapped to the public
    /// half ([`crate::CaseKey::wrap_to_escrow`]), and k administrators'
    /// shares rebuild the private half.
    pub fn break_glass_key_pair(&self) -> EncryptionKeyPair {
        EncryptionKeyPair::derive(&derive_subkey(&self.0, b"break-glass/escrow"))
    }
}

/// One trustee's share. Zeroizes on drop; print it only to hand it over.
pub struct RecoveryShare {
    threshold: u8,
    total: u8,
    index: u8,
    commitment: [u8; 32],
    value: SecretKey,
}

redacted_formatting!(RecoveryShare);

impl RecoveryShare {
    /// How many shares are needed to rebuild the secret.
    pub fn threshold(&self) -> u8 {
        self.threshold
    }

    /// How many shares the split made.
    pub fn total(&self) -> u8 {
        self.total
    }

    /// This share's number, 1 to [`RecoveryShare::total`].
    pub fn index(&self) -> u8 {
        self.index
    }

    /// The stored form (77 bytes).
    pub fn to_bytes(&self) -> SecretBytes {
        let mut blob = Writer::new(BlobKind::RecoveryShare);
        blob.u8(self.threshold)
            .u8(self.total)
            .u8(self.index)
            .bytes(&self.commitment)
            .bytes(self.value.expose_secret());
        SecretBytes::new(blob.finish_with_checksum())
    }

    /// Parses the stored form. A damaged or mistyped share fails its
    /// checksum here, before any combining.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let mut blob = Reader::open_checksummed(bytes, BlobKind::RecoveryShare)?;
        let threshold = blob.u8()?;
        let total = blob.u8()?;
        let index = blob.u8()?;
        if threshold == 0 || threshold > total {
            return Err(blob.error(ParseProblem::InvalidValue("threshold")).into());
        }
        if index == 0 || index > total {
            return Err(blob.error(ParseProblem::InvalidValue("share number")).into());
        }
        let commitment = blob.array()?;
        let value = SecretKey::from_bytes(blob.array()?);
        blob.finish()?;
        Ok(RecoveryShare {
            threshold,
            total,
            index,
            commitment,
            value,
        })
    }

    /// The share as text for paper: lowercase hex in groups of four.
    pub fn to_text(&self) -> Zeroizing<String> {
        let bytes = self.to_bytes();
        let mut text = Zeroizing::new(String::with_capacity(bytes.len() * 3));
        for (i, byte) in bytes.expose_secret().iter().enumerate() {
            if i > 0 && i % 2 == 0 {
                text.push(' ');
            }
            text.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            text.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
        }
        text
    }

    /// Parses [`RecoveryShare::to_text`]'s form. Spaces, line breaks and
    /// dashes are ignored and hex digits may be upper or lower case; any
    /// other character is reported with its position (1-based, in characters).
    pub fn from_text(text: &str) -> Result<Self, CryptoError> {
        let what = BlobKind::RecoveryShare.label();
        let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() / 2));
        let mut high: Option<u8> = None;
        for (position, c) in text.chars().enumerate() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            let nibble = c
                .to_digit(16)
                .and_then(|d| u8::try_from(d).ok())
                .ok_or(ParseError {
                    what,
                    problem: ParseProblem::InvalidCharacter {
                        position: position.saturating_add(1),
                    },
                })?;
            match high.take() {
                None => high = Some(nibble),
                Some(h) => bytes.push((h << 4) | nibble),
            }
        }
        if high.is_some() {
            return Err(ParseError {
                what,
                problem: ParseProblem::InvalidValue("length (an odd number of hex digits)"),
            }
            .into());
        }
        RecoveryShare::from_bytes(&bytes)
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Splits `secret` into `shares` shares, any `threshold` of which rebuild it.
/// Requires `1 <= threshold <= shares <= 255`. A threshold of 1 gives every
/// trustee the whole secret; the binary should insist on at least 2.
pub fn split(
    secret: &RecoverySecret,
    threshold: usize,
    shares: usize,
) -> Result<Vec<RecoveryShare>, CryptoError> {
    let invalid = RecoveryError::InvalidThreshold { threshold, shares };
    let k = u8::try_from(threshold).map_err(|_| invalid.clone())?;
    let n = u8::try_from(shares).map_err(|_| invalid.clone())?;
    if k == 0 || k > n {
        return Err(invalid.into());
    }
    let commitment = secret.commitment();
    let mut rng = seeded_rng()?;
    let dealt: Vec<RecoveryShare> = Sharks(k)
        .dealer_rng(secret.0.expose_secret(), &mut rng)
        .take(usize::from(n))
        .map(|share| {
            let raw = Zeroizing::new(Vec::from(&share));
            let (index, value) = raw.split_first().unwrap_or((&0, &[]));
            Ok(RecoveryShare {
                threshold: k,
                total: n,
                index: *index,
                commitment,
                value: SecretKey::from_slice(value)?,
            })
        })
        .collect::<Result<_, CryptoError>>()?;
    Ok(dealt)
}

/// Rebuilds the secret from at least `threshold` shares of one split.
/// Duplicates are ignored; shares of different splits, too few shares, or a
/// wrong share give an error, never a wrong secret.
pub fn combine(shares: &[RecoveryShare]) -> Result<RecoverySecret, CryptoError> {
    let first = shares
        .first()
        .ok_or(RecoveryError::NotEnoughShares { needed: 1, given: 0 })?;
    let mut distinct: BTreeMap<u8, &RecoveryShare> = BTreeMap::new();
    for share in shares {
        let same_split = share.threshold == first.threshold
            && share.total == first.total
            && bool::from(share.commitment.ct_eq(&first.commitment));
        if !same_split {
            return Err(RecoveryError::MixedSplits.into());
        }
        if let Some(seen) = distinct.insert(share.index, share)
            && seen.value != share.value
        {
            return Err(RecoveryError::ConflictingShares(share.index).into());
        }
    }
    if distinct.len() < usize::from(first.threshold) {
        return Err(RecoveryError::NotEnoughShares {
            needed: first.threshold,
            given: distinct.len(),
        }
        .into());
    }
    let points = distinct
        .values()
        .map(|share| {
            let mut raw = Zeroizing::new(Vec::with_capacity(1 + SecretKey::LEN));
            raw.push(share.index);
            raw.extend_from_slice(share.value.expose_secret());
            Share::try_from(raw.as_slice()).map_err(|_| RecoveryError::CombinedSecretMismatch)
        })
        .collect::<Result<Vec<Share>, RecoveryError>>()?;
    let rebuilt = Zeroizing::new(
        Sharks(first.threshold)
            .recover(&points)
            .map_err(|_| RecoveryError::CombinedSecretMismatch)?,
    );
    let secret =
        RecoverySecret(SecretKey::from_slice(&rebuilt).map_err(|_| RecoveryError::CombinedSecretMismatch)?);
    if !bool::from(secret.commitment().ct_eq(&first.commitment)) {
        return Err(RecoveryError::CombinedSecretMismatch.into());
    }
    Ok(secret)
}

/// Encrypts the organisation keys under the recovery secret. Store the blob
/// with the organisation; re-make it after every rotation.
pub fn seal_org_keys(secret: &RecoverySecret, keys: &[OrgKey]) -> Result<Vec<u8>, CryptoError> {
    let mut plaintext = Zeroizing::new(Vec::with_capacity(2 + keys.len() * (1 + 4 + 32)));
    OrgKey::write_all(keys, &mut plaintext)?;
    envelope::seal(
        &secret.bundle_key(),
        Writer::new(BlobKind::RecoveryBundle),
        BUNDLE_CONTEXT,
        &plaintext,
    )
}

/// Decrypts the organisation keys sealed with [`seal_org_keys`].
pub fn open_org_keys(secret: &RecoverySecret, bundle: &[u8]) -> Result<Vec<OrgKey>, CryptoError> {
    let reader = Reader::open(bundle, BlobKind::RecoveryBundle)?;
    let plaintext = envelope::open(&secret.bundle_key(), reader, BUNDLE_CONTEXT)?;
    let mut fields = Reader::plain(plaintext.expose_secret(), "recovery bundle");
    let keys = OrgKey::read_all(&mut fields)?;
    fields.finish()?;
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &RecoverySecret, b: &RecoverySecret) -> bool {
        a.0 == b.0
    }

    #[test]
    fn any_k_shares_rebuild_the_secret() {
        let secret = RecoverySecret::generate().unwrap();
        let shares = split(&secret, 3, 5).unwrap();
        assert_eq!(shares.len(), 5);
        assert!(shares.iter().all(|s| s.threshold() == 3 && s.total() == 5));
        for (a, b, c) in [(0, 1, 2), (0, 2, 4), (1, 3, 4), (4, 3, 2)] {
            let subset: Vec<RecoveryShare> = [a, b, c]
                .iter()
                .map(|&i| RecoveryShare::from_bytes(shares[i].to_bytes().expose_secret()).unwrap())
                .collect();
            assert!(same(&combine(&subset).unwrap(), &secret));
        }
        assert!(same(&combine(&shares).unwrap(), &secret), "all five also work");
    }

    #[test]
    fn fewer_than_k_shares_fail() {
        let secret = RecoverySecret::generate().unwrap();
        let shares = split(&secret, 3, 5).unwrap();
        let err = combine(&shares[..2]).err().unwrap();
        assert_eq!(
            err,
            CryptoError::Recovery(RecoveryError::NotEnoughShares { needed: 3, given: 2 })
        );
        let twice = [
            RecoveryShare::from_bytes(shares[0].to_bytes().expose_secret()).unwrap(),
            RecoveryShare::from_bytes(shares[0].to_bytes().expose_secret()).unwrap(),
            RecoveryShare::from_bytes(shares[1].to_bytes().expose_secret()).unwrap(),
        ];
        assert!(matches!(
            combine(&twice),
            Err(CryptoError::Recovery(RecoveryError::NotEnoughShares {
                given: 2,
                ..
            }))
        ));
        assert!(combine(&[]).is_err());
    }

    #[test]
    fn a_wrong_share_is_detected_not_combined_into_garbage() {
        let secret = RecoverySecret::generate().unwrap();
        let mut shares = split(&secret, 2, 3).unwrap();
        // A share whose value was altered but whose checksum was recomputed
        // (a deliberate forgery, not a typo).
        let mut value = *shares[1].value.expose_secret();
        value[0] ^= 1;
        shares[1].value = SecretKey::from_bytes(value);
        let forged = RecoveryShare::from_bytes(shares[1].to_bytes().expose_secret()).unwrap();
        let err = combine(&[
            RecoveryShare::from_bytes(shares[0].to_bytes().expose_secret()).unwrap(),
            forged,
        ])
        .err()
        .unwrap();
        assert_eq!(err, CryptoError::Recovery(RecoveryError::CombinedSecretMismatch));
    }

    #[test]
    fn shares_of_different_splits_do_not_mix() {
        let a = split(&RecoverySecret::generate().unwrap(), 2, 2).unwrap();
        let b = split(&RecoverySecret::generate().unwrap(), 2, 2).unwrap();
        let mixed = [
            RecoveryShare::from_bytes(a[0].to_bytes().expose_secret()).unwrap(),
            RecoveryShare::from_bytes(b[1].to_bytes().expose_secret()).unwrap(),
        ];
        assert_eq!(
            combine(&mixed).err().unwrap(),
            CryptoError::Recovery(RecoveryError::MixedSplits)
        );
    }

    #[test]
    fn invalid_thresholds_are_refused() {
        let secret = RecoverySecret::generate().unwrap();
        for (k, n) in [(0, 3), (4, 3), (2, 256), (300, 300)] {
            assert!(split(&secret, k, n).is_err(), "{k} of {n}");
        }
        assert_eq!(split(&secret, 255, 255).unwrap().len(), 255);
    }

    #[test]
    fn text_form_round_trips_and_reports_bad_characters() {
        let secret = RecoverySecret::generate().unwrap();
        let shares = split(&secret, 2, 3).unwrap();
        let text = shares[2].to_text();
        let parsed = RecoveryShare::from_text(&text.to_uppercase().replace(' ', "-\n")).unwrap();
        assert_eq!(parsed.index(), 3);
        let mut typo = text.to_string();
        typo.replace_range(5..6, "g");
        let err = RecoveryShare::from_text(&typo).err().unwrap();
        assert_eq!(err.to_string(), "recovery share: invalid character at position 6");
        let mut swapped = text.to_string();
        let digit = if &swapped[10..11] == "0" { "1" } else { "0" };
        swapped.replace_range(10..11, digit);
        assert!(
            RecoveryShare::from_text(&swapped).is_err(),
            "a mistyped digit fails the checksum"
        );
    }
}
