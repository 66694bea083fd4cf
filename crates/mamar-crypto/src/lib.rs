//! Keys, envelopes, sealing, signatures, blind indexes and secret types for
//! mamar. This crate does no I/O: no files, no network, no clock, no
//! environment, no printing. Its only contact with the system is the
//! operating system's random number generator.
//!
//! # Key hierarchy
//!
//! ```text
//! staff password ──Argon2id──▶ key-encryption key ──▶ StaffKeyPair (X25519 + Ed25519)
//! StaffKeyPair (X25519) ──HPKE unwrap──▶ OrgKey (intake, analytics, linkage, signing)
//!                       ──HPKE unwrap──▶ CaseKey of each assigned case
//! CaseKey ──XChaCha20-Poly1305, bound to RecordContext──▶ case records
//! AnalyticsKey ──XChaCha20-Poly1305──▶ statistical facets
//! intake public key ──HPKE seal──▶ new requests (the server cannot open them)
//! codename ──Argon2id + HKDF──▶ RequesterKeys (replies are sealed to them) + LookupTag
//!          ──Argon2id + HKDF──▶ OwnCopyKey ──XChaCha20-Poly1305──▶ own copy of the first request
//! LinkageKey ──HKDF──▶ BlindIndexKey per field ──HMAC-SHA256──▶ BlindIndex
//! RecoverySecret ──Shamir k-of-n──▶ RecoveryShare per trustee; it also seals the OrgKeys
//! RecoverySecret ──HKDF, DeriveKeyPair──▶ backup key pair ──HPKE seal──▶ backup files
//! SessionKey (cookie only) ──XChaCha20-Poly1305──▶ Keyring (a session's unlocked keys)
//! ```
//!
//! # Stored blobs
//!
//! Everything this crate produces for storage is a versioned,
//! self-describing byte string: `version (1) || kind (1) || body`. See
//! [`encoding`] for the rules and each module for its layout. Parsers
//! return typed errors on any input and never panic. Every blob is
//! protected against undetected change: encrypted blobs authenticate their
//! header and plaintext fields, public blobs carry a checksum, and
//! signatures fail to verify.
//!
//! # Secrets
//!
//! Secret values live in types that zeroize on drop, print `[REDACTED]`,
//! compare in constant time and are not `Clone` ([`secret`]).
//!
//! # Primitives
//!
//! Nothing here implements a primitive. Argon2id (`argon2`), XChaCha20-
//! Poly1305 (`chacha20poly1305`), HPKE RFC 9180 (`hpke`), Ed25519
//! (`ed25519-dalek`), HKDF and HMAC over SHA-256 (`hkdf`, `hmac`, `sha2`)
//! and Shamir secret sharing (`blahaj`) come from their crates; this crate
//! chooses, binds and encodes.

#![warn(missing_docs)]

pub mod attachment;
pub mod backup;
pub mod blind_index;
pub mod case;
pub mod device;
pub mod encoding;
mod envelope;
pub mod error;
pub mod kdf;
pub mod org;
mod random;
pub mod recovery;
pub mod requester;
pub mod seal;
pub mod secret;
pub mod session;
pub mod signing;
pub mod staff;
pub mod totp;

pub use attachment::{AttachmentKey, ChunkPosition};
pub use backup::{open_backup, padded_len, seal_backup};
pub use blind_index::{BlindIndex, BlindIndexKey, EncodingSeal, LinkageKey};
pub use case::{AnalyticsKey, CaseKey, RecordContext, ReferralKey};
pub use device::DeviceToken;
pub use encoding::{BlobHeader, BlobKind, inspect};
pub use envelope::{NONCE_LEN, TAG_LEN};
pub use error::{CryptoError, ParseError, ParseProblem, RecoveryError};
pub use kdf::{KdfParams, calibrate, derive_key};
pub use org::{OrgKey, OrgKeyKind, OrgPublicKey, UnknownOrgKeyKind};
pub use random::{generate_salt, random_bytes};
pub use recovery::{RecoverySecret, RecoveryShare, combine, open_org_keys, seal_org_keys, split};
pub use requester::{LookupTag, OwnCopyKey, RequesterKeys};
pub use seal::{EncryptionKeyPair, EncryptionPublicKey, SealPurpose, open, seal};
pub use secret::{Codename, Password, SecretBytes, SecretKey};
pub use session::{Keyring, SessionKey};
pub use signing::{Fingerprint, Signature, SignaturePurpose, SigningKey, VerifyingKey};
pub use staff::{StaffKeyPair, StaffPublicKeys, rewrap_with_password};
pub use totp::{TotpSecret, otpauth_uri};
