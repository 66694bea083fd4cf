//! Errors. None of them carries secret material, and none tells an attacker
//! more than they already know: a failed decryption says only that it
//! failed, never whether the key, the context or the data was wrong.

use crate::encoding::BlobKind;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// A stored blob could not be parsed.
    #[error(transparent)]
    Malformed(#[from] ParseError),

    /// Authenticated decryption failed.
    #[error(
        "cannot decrypt: the key is wrong, the record it was bound to is different, or the data was altered"
    )]
    Decrypt,

    /// Unwrapping staff keys with a password failed.
    #[error("cannot unlock the keys: the password is wrong or the stored key blob was altered")]
    WrongPassword,

    /// Encryption failed (the input was too long for the cipher, or the
    /// recipient's public key is unusable).
    #[error("cannot encrypt: {0}")]
    Encrypt(&'static str),

    /// A signature did not verify.
    #[error("the signature does not match the message and the public key")]
    BadSignature,

    /// Argon2id parameters out of the accepted range.
    #[error("unusable Argon2id parameters: {0}")]
    KdfParams(String),

    /// A salt shorter than the minimum.
    #[error("the salt must be at least {minimum} bytes long, found {found}")]
    SaltTooShort {
        /// Minimum length in bytes.
        minimum: usize,
        /// Length given.
        found: usize,
    },

    /// A key of the wrong length.
    #[error("a key must be {expected} bytes long, found {found}")]
    InvalidKeyLength {
        /// Expected length in bytes.
        expected: usize,
        /// Length given.
        found: usize,
    },

    /// A public key that is not a valid curve point.
    #[error("invalid public key")]
    InvalidPublicKey,

    /// A wrapped or stored key is of another kind or generation than the
    /// caller expected (for example an analytics key offered as the intake key).
    #[error("the key is a {found}, expected a {expected}")]
    WrongKeyKind {
        /// What the caller asked for.
        expected: String,
        /// What the blob holds.
        found: String,
    },

    /// A key's generation number cannot be incremented any further.
    #[error("the key generation cannot go past {0}")]
    GenerationOverflow(u32),

    /// Secret sharing failed.
    #[error(transparent)]
    Recovery(#[from] RecoveryError),

    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Rng,
}

/// Why a stored blob could not be read. Parsers return this on any input;
/// they never panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {problem}")]
pub struct ParseError {
    /// What was being parsed.
    pub what: &'static str,
    /// What was wrong with it.
    pub problem: ParseProblem,
}

/// The specific defect of a blob that failed to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseProblem {
    /// Fewer bytes than the format needs.
    #[error("too short: needed {needed} more bytes at offset {offset}, only {available} left")]
    Truncated {
        /// Offset of the field being read.
        offset: usize,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the blob.
        available: usize,
    },
    /// Bytes after the end of the format.
    #[error("{0} unexpected bytes after the end")]
    TrailingBytes(usize),
    /// The kind byte names another kind of blob.
    #[error("this is a {found} blob")]
    WrongKind {
        /// The kind found in the header.
        found: BlobKind,
    },
    /// The kind byte is not one this version knows.
    #[error("unknown blob kind {0}")]
    UnknownKind(u8),
    /// The format version is not one this version of mamar can read.
    #[error("unsupported format version {0}")]
    UnsupportedVersion(u8),
    /// A field holds a value outside its range.
    #[error("invalid {0}")]
    InvalidValue(&'static str),
    /// A character that has no place in the text form.
    #[error("invalid character at position {position}")]
    InvalidCharacter {
        /// 1-based position, in characters.
        position: usize,
    },
    /// The checksum over the blob does not match: the bytes were damaged.
    #[error("checksum mismatch: the data was damaged or mistyped")]
    ChecksumMismatch,
}

/// Why shares could not be made or combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecoveryError {
    /// Threshold and share count out of range.
    #[error("a split needs 1 <= threshold <= shares <= 255; got threshold {threshold} of {shares} shares")]
    InvalidThreshold {
        /// Requested threshold (k).
        threshold: usize,
        /// Requested number of shares (n).
        shares: usize,
    },
    /// Too few distinct shares.
    #[error("{needed} shares are needed, only {given} distinct shares were given")]
    NotEnoughShares {
        /// The threshold recorded in the shares.
        needed: u8,
        /// Distinct shares given.
        given: usize,
    },
    /// Shares from different splits (or with different thresholds).
    #[error("the shares come from different splits")]
    MixedSplits,
    /// Two shares with the same index but different contents.
    #[error("share number {0} was given twice with different contents")]
    ConflictingShares(u8),
    /// The combined secret does not match the commitment the shares carry.
    #[error("the shares do not combine to the original secret: at least one is wrong")]
    CombinedSecretMismatch,
}
