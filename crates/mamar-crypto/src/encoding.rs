//! The binary format of every stored blob.
//!
//! Each blob starts with a two-byte header: the format version, then the
//! kind. The version names the layout and the algorithms of that kind, so a
//! blob written today stays readable after parameters or algorithms change:
//! a new layout gets a new version number and the old reader stays. Integers
//! are little-endian; variable-length fields carry a `u32` length prefix.
//!
//! Every blob is protected against silent damage: encrypted blobs bind their
//! header and plaintext fields as associated data, and public blobs end with
//! a checksum.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{ParseError, ParseProblem};

/// The only format version written by this version of the crate.
pub const FORMAT_VERSION: u8 = 1;

/// Length of the header that starts every blob.
pub const HEADER_LEN: usize = 2;

/// Length of the checksum that ends public (unencrypted) blobs.
pub(crate) const CHECKSUM_LEN: usize = 8;

macro_rules! blob_kinds {
    ($($(#[$doc:meta])* $name:ident = $id:literal, $label:literal;)*) => {
        /// What a blob holds. The numeric value is the second header byte.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum BlobKind {
            $($(#[$doc])* $name = $id,)*
        }

        impl BlobKind {
            /// The kind with this header byte.
            pub fn from_id(id: u8) -> Option<BlobKind> {
                match id {
                    $($id => Some(BlobKind::$name),)*
                    _ => None,
                }
            }

            /// The header byte.
            pub fn id(self) -> u8 {
                self as u8
            }

            /// A short English name, for messages.
            pub fn label(self) -> &'static str {
                match self {
                    $(BlobKind::$name => $label,)*
                }
            }
        }
    };
}

blob_kinds! {
    /// A staff member's public keys (X25519 and Ed25519).
    StaffPublicKeys = 1, "staff public keys";
    /// A staff member's private keys, wrapped under a password.
    StaffSecretKeys = 2, "password-wrapped staff keys";
    /// A case key wrapped to a staff member.
    WrappedCaseKey = 3, "wrapped case key";
    /// An organisation key wrapped to a staff member.
    WrappedOrgKey = 4, "wrapped organisation key";
    /// The public half of an organisation key.
    OrgPublicKey = 5, "organisation public key";
    /// A record encrypted under a case key.
    CaseContent = 6, "case content";
    /// A record encrypted under the analytics key.
    AnalyticsContent = 7, "analytics content";
    /// A message sealed to a public key with HPKE.
    SealedMessage = 8, "sealed message";
    /// A session's unlocked keys, encrypted under the session key.
    SessionKeyring = 9, "session keyring";
    /// A detached signature.
    Signature = 10, "signature";
    /// One trustee's share of the recovery secret.
    RecoveryShare = 11, "recovery share";
    /// The organisation keys encrypted under the recovery secret.
    RecoveryBundle = 12, "recovery bundle";
    /// A whole backup of the database, sealed to the organisation's backup key.
    Backup = 13, "backup";
    /// One chunk of a case attachment, under the attachment's own key.
    AttachmentChunk = 14, "attachment chunk";
    /// A person's keyed linkage encoding, sealed under a key derived from the linkage key.
    LinkageEncoding = 15, "sealed linkage encoding";
    /// A requester's own copy of their first request, under their own-copy key.
    OwnCopy = 16, "requester's own copy";
}

impl fmt::Display for BlobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The header of a blob: which format version and which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobHeader {
    /// Format version.
    pub version: u8,
    /// What the blob holds.
    pub kind: BlobKind,
}

/// Reads the header of any blob, so that a tool can say what a stored value
/// is without a key. Checks nothing beyond the header.
pub fn inspect(blob: &[u8]) -> Result<BlobHeader, ParseError> {
    let what = "blob";
    let (&version, rest) = blob.split_first().ok_or_else(|| truncated(what, 0, 1, 0))?;
    let &kind_id = rest.first().ok_or_else(|| truncated(what, 1, 1, 0))?;
    let kind = BlobKind::from_id(kind_id).ok_or(ParseError {
        what,
        problem: ParseProblem::UnknownKind(kind_id),
    })?;
    Ok(BlobHeader { version, kind })
}

fn truncated(what: &'static str, offset: usize, needed: usize, available: usize) -> ParseError {
    ParseError {
        what,
        problem: ParseProblem::Truncated {
            offset,
            needed,
            available,
        },
    }
}

/// Builds a blob.
pub(crate) struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn new(kind: BlobKind) -> Self {
        Writer {
            bytes: vec![FORMAT_VERSION, kind.id()],
        }
    }

    pub(crate) fn u8(&mut self, value: u8) -> &mut Self {
        self.bytes.push(value);
        self
    }

    pub(crate) fn u32(&mut self, value: u32) -> &mut Self {
        self.bytes.extend_from_slice(&value.to_le_bytes());
        self
    }

    pub(crate) fn bytes(&mut self, value: &[u8]) -> &mut Self {
        self.bytes.extend_from_slice(value);
        self
    }

    /// The bytes written so far (the prefix that encrypted blobs bind as
    /// associated data).
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// Appends the checksum over everything written and returns the blob.
    pub(crate) fn finish_with_checksum(mut self) -> Vec<u8> {
        let sum = checksum(&self.bytes);
        self.bytes.extend_from_slice(&sum);
        self.bytes
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads a blob of an expected kind, field by field, without ever reading
/// out of bounds.
pub(crate) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    /// Checks the header: the kind must be `kind` and the version one this
    /// crate reads (only [`FORMAT_VERSION`] today).
    pub(crate) fn open(bytes: &'a [u8], kind: BlobKind) -> Result<Self, ParseError> {
        let what = kind.label();
        let header = inspect(bytes).map_err(|e| ParseError { what, ..e })?;
        if header.kind != kind {
            return Err(ParseError {
                what,
                problem: ParseProblem::WrongKind { found: header.kind },
            });
        }
        if header.version != FORMAT_VERSION {
            return Err(ParseError {
                what,
                problem: ParseProblem::UnsupportedVersion(header.version),
            });
        }
        Ok(Reader {
            what,
            bytes,
            offset: HEADER_LEN,
        })
    }

    /// Like [`Reader::open`], after checking and removing a trailing checksum.
    pub(crate) fn open_checksummed(bytes: &'a [u8], kind: BlobKind) -> Result<Self, ParseError> {
        // The header is checked first so that a blob of another kind is
        // reported as such rather than as damaged.
        Reader::open(bytes, kind)?;
        let body_len = bytes
            .len()
            .checked_sub(CHECKSUM_LEN)
            .filter(|&len| len >= HEADER_LEN)
            .ok_or_else(|| {
                truncated(
                    kind.label(),
                    HEADER_LEN,
                    CHECKSUM_LEN,
                    bytes.len().saturating_sub(HEADER_LEN),
                )
            })?;
        let (body, sum) = bytes.split_at(body_len);
        if !bool::from(checksum(body).ct_eq(sum)) {
            return Err(ParseError {
                what: kind.label(),
                problem: ParseProblem::ChecksumMismatch,
            });
        }
        Reader::open(body, kind)
    }

    /// Reads a headerless byte string (a decrypted plaintext).
    pub(crate) fn plain(bytes: &'a [u8], what: &'static str) -> Self {
        Reader {
            what,
            bytes,
            offset: 0,
        }
    }

    pub(crate) fn error(&self, problem: ParseProblem) -> ParseError {
        ParseError {
            what: self.what,
            problem,
        }
    }

    /// The bytes read so far, header included.
    pub(crate) fn consumed(&self) -> &'a [u8] {
        self.bytes.get(..self.offset).unwrap_or_default()
    }

    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8], ParseError> {
        let available = self.bytes.len().saturating_sub(self.offset);
        let end = self
            .offset
            .checked_add(len)
            .filter(|_| len <= available)
            .ok_or_else(|| truncated(self.what, self.offset, len, available))?;
        let field = self
            .bytes
            .get(self.offset..end)
            .ok_or_else(|| truncated(self.what, self.offset, len, available))?;
        self.offset = end;
        Ok(field)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], ParseError> {
        let field = self.take(N)?;
        let mut array = [0u8; N];
        array.copy_from_slice(field);
        Ok(array)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, ParseError> {
        let [value] = self.array::<1>()?;
        Ok(value)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, ParseError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// Everything left, which must be at least `minimum` bytes.
    pub(crate) fn rest(&mut self, minimum: usize) -> Result<&'a [u8], ParseError> {
        let available = self.bytes.len().saturating_sub(self.offset);
        if available < minimum {
            return Err(truncated(self.what, self.offset, minimum, available));
        }
        self.take(available)
    }

    /// Fails if any bytes are left unread.
    pub(crate) fn finish(self) -> Result<(), ParseError> {
        let left = self.bytes.len().saturating_sub(self.offset);
        if left == 0 {
            Ok(())
        } else {
            Err(self.error(ParseProblem::TrailingBytes(left)))
        }
    }
}

/// First eight bytes of SHA-256 over a domain label and the data. Catches
/// damage and typing mistakes, not forgery (public blobs are not secret and
/// anyone who can write them can recompute it).
pub(crate) fn checksum(data: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = Sha256::new()
        .chain_update(b"mamar/v1/checksum")
        .chain_update(data)
        .finalize();
    let mut sum = [0u8; CHECKSUM_LEN];
    sum.copy_from_slice(digest.get(..CHECKSUM_LEN).unwrap_or(&[0u8; CHECKSUM_LEN]));
    sum
}

/// Appends a length-prefixed field to a byte string that is hashed or used
/// as associated data, so that concatenations stay unambiguous.
pub(crate) fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    // Fields are ids, labels and blob prefixes; anything past 4 GiB is
    // clamped to its length marker rather than wrapped around.
    let len = u32::try_from(field.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(field);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_reads_the_header() {
        let blob = Writer::new(BlobKind::CaseContent).finish();
        assert_eq!(
            inspect(&blob).unwrap(),
            BlobHeader {
                version: FORMAT_VERSION,
                kind: BlobKind::CaseContent
            }
        );
        assert!(inspect(&[]).is_err());
        assert!(inspect(&[1]).is_err());
        assert!(matches!(
            inspect(&[1, 200]).unwrap_err().problem,
            ParseProblem::UnknownKind(200)
        ));
    }

    #[test]
    fn reader_reports_the_wrong_kind_and_version() {
        let blob = Writer::new(BlobKind::Signature).finish();
        let err = Reader::open(&blob, BlobKind::CaseContent).err().unwrap();
        assert_eq!(err.to_string(), "case content: this is a signature blob");
        let err = Reader::open(&[9, BlobKind::Signature.id()], BlobKind::Signature)
            .err()
            .unwrap();
        assert_eq!(err.problem, ParseProblem::UnsupportedVersion(9));
    }

    #[test]
    fn reader_never_reads_past_the_end() {
        let mut writer = Writer::new(BlobKind::Signature);
        writer.u32(7);
        let blob = writer.finish();
        let mut reader = Reader::open(&blob, BlobKind::Signature).unwrap();
        assert!(reader.take(usize::MAX).is_err());
        assert_eq!(reader.u32().unwrap(), 7);
        assert!(reader.u8().is_err());
        assert!(reader.rest(1).is_err());
        reader.finish().unwrap();
    }

    #[test]
    fn checksummed_blobs_detect_every_flipped_bit() {
        let mut writer = Writer::new(BlobKind::OrgPublicKey);
        writer.bytes(&[7; 32]);
        let blob = writer.finish_with_checksum();
        assert!(Reader::open_checksummed(&blob, BlobKind::OrgPublicKey).is_ok());
        for bit in 0..blob.len() * 8 {
            let mut damaged = blob.clone();
            damaged[bit / 8] ^= 1 << (bit % 8);
            assert!(Reader::open_checksummed(&damaged, BlobKind::OrgPublicKey).is_err());
        }
    }
}
