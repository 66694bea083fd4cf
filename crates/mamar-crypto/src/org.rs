//! Organisation keys: the intake key pair (requests are sealed to its public
//! half), the analytics key (statistical facets), the linkage key (blind
//! indexes and privacy-preserving linkage) and the signing key (public
//! contact cards, announcements, audit checkpoints). Each is wrapped to every
//! staff member whose role grants it; each has a generation number that
//! rotation increments.
//!
//! Wrapped blob (version 1): `header || kind (1) || generation (4) || enc (32)
//! || ciphertext (32 + 16)`, HPKE `info` = `"mamar/v1/wrap/org-key" ||
//! len || kind code || len || generation`.
//!
//! Public blob (version 1): `header || kind (1) || generation (4) || key (32)
//! || checksum (8)`.

use std::fmt;
use std::str::FromStr;

use crate::blind_index::LinkageKey;
use crate::case::AnalyticsKey;
use crate::encoding::{BlobKind, Reader, Writer};
use crate::error::{CryptoError, ParseProblem};
use crate::seal::{self, EncryptionKeyPair, EncryptionPublicKey};
use crate::secret::SecretKey;
use crate::signing::{SigningKey, VerifyingKey};
use crate::staff::{StaffKeyPair, StaffPublicKeys};

/// The kinds of organisation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrgKeyKind {
    /// X25519 pair; intake requests are sealed to its public half.
    Intake,
    /// Symmetric key for statistical facets; its public half is the facet
    /// sealing key derived from it ([`AnalyticsKey::facet_key_pair`]), so
    /// anyone may seal facets that only its holders open.
    Analytics,
    /// Symmetric root of blind indexes and linkage encodings.
    Linkage,
    /// Ed25519 key that signs what the organisation publishes.
    Signing,
}

impl OrgKeyKind {
    /// Every kind.
    pub const ALL: [OrgKeyKind; 4] = [
        OrgKeyKind::Intake,
        OrgKeyKind::Analytics,
        OrgKeyKind::Linkage,
        OrgKeyKind::Signing,
    ];

    /// The stable text code (for the store's `kind` column).
    pub fn code(self) -> &'static str {
        match self {
            OrgKeyKind::Intake => "intake",
            OrgKeyKind::Analytics => "analytics",
            OrgKeyKind::Linkage => "linkage",
            OrgKeyKind::Signing => "signing",
        }
    }

    fn id(self) -> u8 {
        match self {
            OrgKeyKind::Intake => 1,
            OrgKeyKind::Analytics => 2,
            OrgKeyKind::Linkage => 3,
            OrgKeyKind::Signing => 4,
        }
    }

    fn from_id(id: u8) -> Option<Self> {
        OrgKeyKind::ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// Whether this kind has a public half.
    pub fn has_public_key(self) -> bool {
        matches!(
            self,
            OrgKeyKind::Intake | OrgKeyKind::Signing | OrgKeyKind::Analytics
        )
    }
}

impl fmt::Display for OrgKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text that is not an organisation key kind's code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown organisation key kind {0:?}")]
pub struct UnknownOrgKeyKind(pub String);

impl FromStr for OrgKeyKind {
    type Err = UnknownOrgKeyKind;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        OrgKeyKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
            .ok_or_else(|| UnknownOrgKeyKind(code.to_owned()))
    }
}

enum Material {
    Intake(EncryptionKeyPair),
    Analytics(AnalyticsKey),
    Linkage(LinkageKey),
    Signing(SigningKey),
}

/// An unlocked organisation key of one kind and generation. Zeroizes on drop.
pub struct OrgKey {
    generation: u32,
    material: Material,
}

impl fmt::Debug for OrgKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OrgKey({} generation {}, {})",
            self.kind(),
            self.generation,
            crate::secret::REDACTED
        )
    }
}

impl OrgKey {
    /// A fresh random key of `kind`.
    pub fn generate(kind: OrgKeyKind, generation: u32) -> Result<Self, CryptoError> {
        let material = match kind {
            OrgKeyKind::Intake => Material::Intake(EncryptionKeyPair::generate()?),
            OrgKeyKind::Analytics => Material::Analytics(AnalyticsKey::generate()?),
            OrgKeyKind::Linkage => Material::Linkage(LinkageKey::generate()?),
            OrgKeyKind::Signing => Material::Signing(SigningKey::generate()?),
        };
        Ok(OrgKey { generation, material })
    }

    /// One fresh key of every kind, all at `generation`, for `mamar init`.
    pub fn generate_all(generation: u32) -> Result<Vec<OrgKey>, CryptoError> {
        OrgKeyKind::ALL
            .into_iter()
            .map(|kind| OrgKey::generate(kind, generation))
            .collect()
    }

    pub(crate) fn from_secret(
        kind: OrgKeyKind,
        generation: u32,
        secret: SecretKey,
    ) -> Result<Self, CryptoError> {
        let material = match kind {
            OrgKeyKind::Intake => Material::Intake(EncryptionKeyPair::from_secret(&secret)?),
            OrgKeyKind::Analytics => Material::Analytics(AnalyticsKey::from_secret(secret)),
            OrgKeyKind::Linkage => Material::Linkage(LinkageKey::from_secret(secret)),
            OrgKeyKind::Signing => Material::Signing(SigningKey::from_seed(&secret)),
        };
        Ok(OrgKey { generation, material })
    }

    fn secret(&self) -> SecretKey {
        match &self.material {
            Material::Intake(pair) => pair.secret_key(),
            Material::Analytics(key) => key.secret().duplicate(),
            Material::Linkage(key) => key.secret().duplicate(),
            Material::Signing(key) => key.seed(),
        }
    }

    /// Which kind of key this is.
    pub fn kind(&self) -> OrgKeyKind {
        match self.material {
            Material::Intake(_) => OrgKeyKind::Intake,
            Material::Analytics(_) => OrgKeyKind::Analytics,
            Material::Linkage(_) => OrgKeyKind::Linkage,
            Material::Signing(_) => OrgKeyKind::Signing,
        }
    }

    /// The generation (incremented at each rotation).
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The intake key pair, if this is the intake key.
    pub fn intake(&self) -> Option<&EncryptionKeyPair> {
        match &self.material {
            Material::Intake(pair) => Some(pair),
            _ => None,
        }
    }

    /// The analytics key, if this is the analytics key.
    pub fn analytics(&self) -> Option<&AnalyticsKey> {
        match &self.material {
            Material::Analytics(key) => Some(key),
            _ => None,
        }
    }

    /// The linkage key, if this is the linkage key.
    pub fn linkage(&self) -> Option<&LinkageKey> {
        match &self.material {
            Material::Linkage(key) => Some(key),
            _ => None,
        }
    }

    /// The signing key, if this is the signing key.
    pub fn signing(&self) -> Option<&SigningKey> {
        match &self.material {
            Material::Signing(key) => Some(key),
            _ => None,
        }
    }

    /// The public half (intake, signing and analytics keys; for the
    /// analytics key, the facet sealing key).
    pub fn public_key(&self) -> Option<OrgPublicKey> {
        let key = match &self.material {
            Material::Intake(pair) => PublicMaterial::Intake(*pair.public_key()),
            Material::Signing(key) => PublicMaterial::Signing(key.verifying_key()),
            Material::Analytics(key) => PublicMaterial::Analytics(*key.facet_key_pair().public_key()),
            Material::Linkage(_) => return None,
        };
        Some(OrgPublicKey {
            generation: self.generation,
            key,
        })
    }

    fn wrap_info(kind: OrgKeyKind, generation: u32) -> Vec<u8> {
        seal::wrap_info("org-key", &[kind.code().as_bytes(), &generation.to_le_bytes()])
    }

    /// Wraps this key to a staff member, who can then unwrap it with
    /// [`OrgKey::unwrap`].
    pub fn wrap_to(&self, holder: &StaffPublicKeys) -> Result<Vec<u8>, CryptoError> {
        let mut blob = Writer::new(BlobKind::WrappedOrgKey);
        blob.u8(self.kind().id()).u32(self.generation);
        let info = Self::wrap_info(self.kind(), self.generation);
        seal::wrap_secret(holder.encryption(), blob, &info, &self.secret())
    }

    /// Wraps this key to each holder, in order (for a new key or a rotation).
    pub fn wrap_for_holders(&self, holders: &[StaffPublicKeys]) -> Result<Vec<Vec<u8>>, CryptoError> {
        holders.iter().map(|holder| self.wrap_to(holder)).collect()
    }

    /// Unwraps a key wrapped with [`OrgKey::wrap_to`]. The kind and
    /// generation come from the blob and are authenticated: check them
    /// against what you expected with [`OrgKey::kind`] and
    /// [`OrgKey::generation`], or use the typed accessors ([`OrgKey::intake`]...),
    /// which return `None` for another kind.
    pub fn unwrap(wrapped: &[u8], holder: &StaffKeyPair) -> Result<Self, CryptoError> {
        let mut blob = Reader::open(wrapped, BlobKind::WrappedOrgKey)?;
        let kind = read_kind(&mut blob)?;
        let generation = blob.u32()?;
        let info = Self::wrap_info(kind, generation);
        let secret = seal::unwrap_secret(holder.encryption(), blob, &info)?;
        OrgKey::from_secret(kind, generation, secret)
    }

    /// Reads the kind and generation of a wrapped key without unwrapping it.
    pub fn inspect_wrapped(wrapped: &[u8]) -> Result<(OrgKeyKind, u32), CryptoError> {
        let mut blob = Reader::open(wrapped, BlobKind::WrappedOrgKey)?;
        let kind = read_kind(&mut blob)?;
        Ok((kind, blob.u32()?))
    }

    /// Rotation: a fresh key of the same kind, one generation later. Wrap it
    /// to the holders with [`OrgKey::wrap_for_holders`]; keep the old
    /// generation as long as data encrypted under it remains.
    pub fn rotate(&self) -> Result<Self, CryptoError> {
        let generation = self
            .generation
            .checked_add(1)
            .ok_or(CryptoError::GenerationOverflow(self.generation))?;
        OrgKey::generate(self.kind(), generation)
    }

    /// Serialises `keys` (secret material) into `out`.
    pub(crate) fn write_all(keys: &[OrgKey], out: &mut Vec<u8>) -> Result<(), CryptoError> {
        let count = u16::try_from(keys.len())
            .map_err(|_| CryptoError::Encrypt("more than 65535 organisation keys"))?;
        out.extend_from_slice(&count.to_le_bytes());
        for key in keys {
            out.push(key.kind().id());
            out.extend_from_slice(&key.generation.to_le_bytes());
            out.extend_from_slice(key.secret().expose_secret());
        }
        Ok(())
    }

    /// Reads what [`OrgKey::write_all`] wrote.
    pub(crate) fn read_all(reader: &mut Reader<'_>) -> Result<Vec<OrgKey>, CryptoError> {
        let count = u16::from_le_bytes(reader.array()?);
        let mut keys = Vec::new();
        for _ in 0..count {
            let kind = read_kind(reader)?;
            let generation = reader.u32()?;
            let secret = SecretKey::from_bytes(reader.array()?);
            keys.push(OrgKey::from_secret(kind, generation, secret)?);
        }
        Ok(keys)
    }
}

fn read_kind(reader: &mut Reader<'_>) -> Result<OrgKeyKind, CryptoError> {
    let id = reader.u8()?;
    OrgKeyKind::from_id(id).ok_or_else(|| {
        reader
            .error(ParseProblem::InvalidValue("organisation key kind"))
            .into()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PublicMaterial {
    Intake(EncryptionPublicKey),
    Signing(VerifyingKey),
    Analytics(EncryptionPublicKey),
}

/// The public half of the intake, the signing or the analytics key, as
/// stored in the clear (the store's `public_part` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgPublicKey {
    generation: u32,
    key: PublicMaterial,
}

impl OrgPublicKey {
    /// Which key this is the public half of.
    pub fn kind(&self) -> OrgKeyKind {
        match self.key {
            PublicMaterial::Intake(_) => OrgKeyKind::Intake,
            PublicMaterial::Signing(_) => OrgKeyKind::Signing,
            PublicMaterial::Analytics(_) => OrgKeyKind::Analytics,
        }
    }

    /// The generation.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The intake public key, to seal requests to.
    pub fn intake(&self) -> Option<&EncryptionPublicKey> {
        match &self.key {
            PublicMaterial::Intake(key) => Some(key),
            _ => None,
        }
    }

    /// The organisation's signature-checking key.
    pub fn signing(&self) -> Option<&VerifyingKey> {
        match &self.key {
            PublicMaterial::Signing(key) => Some(key),
            _ => None,
        }
    }

    /// The key facets are sealed to (the public half of the analytics key's
    /// facet key pair).
    pub fn analytics(&self) -> Option<&EncryptionPublicKey> {
        match &self.key {
            PublicMaterial::Analytics(key) => Some(key),
            _ => None,
        }
    }

    /// The stored form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut blob = Writer::new(BlobKind::OrgPublicKey);
        blob.u8(self.kind().id()).u32(self.generation);
        match &self.key {
            PublicMaterial::Intake(key) | PublicMaterial::Analytics(key) => blob.bytes(&key.to_bytes()),
            PublicMaterial::Signing(key) => blob.bytes(&key.to_bytes()),
        };
        blob.finish_with_checksum()
    }

    /// Parses the stored form; a damaged blob fails its checksum.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let mut blob = Reader::open_checksummed(bytes, BlobKind::OrgPublicKey)?;
        let kind = read_kind(&mut blob)?;
        let generation = blob.u32()?;
        let raw: [u8; 32] = blob.array()?;
        blob.finish()?;
        let key = match kind {
            OrgKeyKind::Intake => PublicMaterial::Intake(EncryptionPublicKey::from_bytes(raw)),
            OrgKeyKind::Signing => PublicMaterial::Signing(VerifyingKey::from_bytes(&raw)?),
            OrgKeyKind::Analytics => PublicMaterial::Analytics(EncryptionPublicKey::from_bytes(raw)),
            OrgKeyKind::Linkage => {
                return Err(crate::error::ParseError {
                    what: BlobKind::OrgPublicKey.label(),
                    problem: ParseProblem::InvalidValue("kind (a symmetric key has no public half)"),
                }
                .into());
            }
        };
        Ok(OrgPublicKey { generation, key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in OrgKeyKind::ALL {
            assert_eq!(kind.code().parse::<OrgKeyKind>().unwrap(), kind);
            assert_eq!(OrgKeyKind::from_id(kind.id()), Some(kind));
        }
        assert!("admin".parse::<OrgKeyKind>().is_err());
    }

    #[test]
    fn only_intake_signing_and_analytics_keys_have_public_halves() {
        for key in OrgKey::generate_all(1).unwrap() {
            assert_eq!(key.public_key().is_some(), key.kind().has_public_key());
            if let Some(public) = key.public_key() {
                let parsed = OrgPublicKey::from_bytes(&public.to_bytes()).unwrap();
                assert_eq!(parsed, public);
                assert_eq!(parsed.kind(), key.kind());
            }
        }
    }

    #[test]
    fn rotation_gives_a_new_key_one_generation_later() {
        let key = OrgKey::generate(OrgKeyKind::Analytics, 4).unwrap();
        let next = key.rotate().unwrap();
        assert_eq!(next.kind(), OrgKeyKind::Analytics);
        assert_eq!(next.generation(), 5);
        assert_ne!(key.secret(), next.secret());
        let last = OrgKey::generate(OrgKeyKind::Linkage, u32::MAX).unwrap();
        assert!(last.rotate().is_err());
    }
}
