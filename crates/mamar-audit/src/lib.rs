//! The tamper-evident audit log of mamar. This crate does no I/O: no files,
//! no database, no clock. The store keeps the entries; the command line and
//! the web server say what happened.
//!
//! # Entries
//!
//! An [`AuditEntry`] records one security-relevant act with ids and kinds
//! only, never personal data: its sequence number (1, 2, 3, … without gaps),
//! the time in unix seconds, the acting staff member's id (if any), the
//! [`Action`] (a stable text code), the id of the object acted on (if any)
//! and the [`Outcome`].
//!
//! # The hash chain
//!
//! Each entry's hash is SHA-256 over a domain label, the previous entry's
//! hash (32 zero bytes before the first) and the entry's fields, each
//! length-prefixed (see [`entry_hash`]). Changing, removing, adding or
//! moving any entry changes every hash after it, so a log read back from
//! storage either re-hashes to the same chain or shows where it breaks.
//!
//! The chain is not keyed: someone who can write to the database could
//! rebuild the whole chain after a change, or append invented entries at the
//! end. [`SignedCheckpoint`]s close that gap for the past: the organisation
//! signs `{sequence number, head hash, time}` with its signing key (which
//! the server does not hold), and a copy kept away from the server proves
//! what the log held up to that entry. Checkpoints the server makes on a
//! schedule are signed by a key of its own that the organisation's key
//! certified (see [`KeyCertificate`]). Nothing can prove that entries after
//! the newest checkpoint kept elsewhere are genuine.
//!
//! # Verification
//!
//! [`verify`] (or the streaming [`Verifier`]) re-hashes the chain, checks
//! every checkpoint's signature and that the log still holds each
//! checkpointed head, and names the first [`Break`]: edited, deleted,
//! inserted, reordered, truncated before a checkpoint, rewritten before a
//! checkpoint, or a bad checkpoint signature.

mod action;
mod checkpoint;
mod entry;
mod verify;

pub use action::{Action, Outcome, UnknownCode};
pub use checkpoint::{Checkpoint, CheckpointError, KeyCertificate, SignedCheckpoint};
pub use entry::{AuditDraft, AuditEntry, EntryHash, GENESIS, ObjectId, SeqOverflow, entry_hash};
pub use verify::{Break, BreakKind, Verified, Verifier, verify};
