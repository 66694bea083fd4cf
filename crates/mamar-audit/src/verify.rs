//! Checking a log read back from storage against its own chain and against
//! signed checkpoints, and naming the first place it breaks.
//!
//! Entries are walked in the order given (the store's order of sequence
//! numbers). An entry is in place when its sequence number is the next one
//! and its hash is [`entry_hash`](crate::entry_hash) of the previous hash and
//! its fields. At the first entry that is not, the rows from there on are
//! examined to say what happened; every single edit, deletion, insertion or
//! swap is named exactly (see the property tests), and anything messier
//! gets the nearest name. A deletion at the very end leaves a valid, shorter
//! chain: only a checkpoint beyond the end shows it.

use mamar_crypto::VerifyingKey;
use thiserror::Error;

use crate::checkpoint::{Checkpoint, SignedCheckpoint};
use crate::entry::{AuditEntry, EntryHash, GENESIS};

/// After the first break, at most this many rows are kept to name it.
const MAX_EXAMINED: usize = 1 << 20;

/// The first place the log stops being what was appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Break {
    /// An entry's fields (or its hash, or its sequence number) were changed.
    #[error("entry {seq} was edited: it no longer matches its hash")]
    Edited { seq: u64 },
    /// Entries `first..=last` are missing from the middle of the log.
    #[error("{}", deleted_message(*first, *last))]
    Deleted { first: u64, last: u64 },
    /// A row that was never appended sits after entry `after` (0: at the start).
    #[error("{}", inserted_message(*after))]
    Inserted { after: u64 },
    /// Entry `seq` is stored elsewhere in the log: entries were moved.
    #[error("entries were reordered: entry {seq} is not in its place")]
    Reordered { seq: u64 },
    /// The log ends at entry `last` but a signed checkpoint covers entries up to `checkpoint`.
    #[error(
        "entries were deleted from the end: the log ends at entry {last} but a signed checkpoint covers entries up to {checkpoint}"
    )]
    Truncated { last: u64, checkpoint: u64 },
    /// The log holds a valid chain whose entry `checkpoint` is not the one signed.
    #[error("the log was rewritten: entry {checkpoint} is not the entry the signed checkpoint vouches for")]
    Rewritten { checkpoint: u64 },
    /// A checkpoint's signature does not verify against the organisation's keys.
    #[error("the checkpoint of entry {checkpoint} is not signed by the organisation's signing key")]
    BadCheckpointSignature { checkpoint: u64 },
}

fn deleted_message(first: u64, last: u64) -> String {
    if first == last {
        format!("entry {first} was deleted")
    } else {
        format!("entries {first} to {last} were deleted")
    }
}

fn inserted_message(after: u64) -> String {
    if after == 0 {
        "an entry was inserted before entry 1".to_owned()
    } else {
        format!("an entry was inserted after entry {after}")
    }
}

/// The kind of a [`Break`], without its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakKind {
    Edited,
    Deleted,
    Inserted,
    Reordered,
    TruncatedBeforeCheckpoint,
    RewrittenBeforeCheckpoint,
    BadCheckpointSignature,
}

impl BreakKind {
    /// A stable code for scripts.
    pub fn code(self) -> &'static str {
        match self {
            BreakKind::Edited => "edited",
            BreakKind::Deleted => "deleted",
            BreakKind::Inserted => "inserted",
            BreakKind::Reordered => "reordered",
            BreakKind::TruncatedBeforeCheckpoint => "truncated-before-checkpoint",
            BreakKind::RewrittenBeforeCheckpoint => "rewritten-before-checkpoint",
            BreakKind::BadCheckpointSignature => "bad-checkpoint-signature",
        }
    }
}

impl Break {
    pub fn kind(&self) -> BreakKind {
        match self {
            Break::Edited { .. } => BreakKind::Edited,
            Break::Deleted { .. } => BreakKind::Deleted,
            Break::Inserted { .. } => BreakKind::Inserted,
            Break::Reordered { .. } => BreakKind::Reordered,
            Break::Truncated { .. } => BreakKind::TruncatedBeforeCheckpoint,
            Break::Rewritten { .. } => BreakKind::RewrittenBeforeCheckpoint,
            Break::BadCheckpointSignature { .. } => BreakKind::BadCheckpointSignature,
        }
    }
}

/// What an intact log showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// How many entries (also the newest entry's sequence number).
    pub entries: u64,
    /// The newest entry's hash, `None` for an empty log.
    pub head: Option<EntryHash>,
    /// How many checkpoints were checked (signature and head).
    pub checkpoints: usize,
}

/// Verifies a whole log held in memory: `entries` in the store's order,
/// every checkpoint in `checkpoints` (from the database or kept elsewhere),
/// signatures checked against `keys` (the organisation's signing keys; any
/// generation may have signed). Returns the first break.
pub fn verify(
    entries: &[AuditEntry],
    checkpoints: &[SignedCheckpoint],
    keys: &[VerifyingKey],
) -> Result<Verified, Break> {
    let mut verifier = Verifier::new(checkpoints, keys)?;
    for (i, entry) in entries.iter().enumerate() {
        if let Some(walk) = verifier.walking() {
            match walk.step(entry) {
                Step::InPlace => continue,
                Step::Settled(found) => return Err(found),
                Step::Mismatch => {
                    return Err(classify(walk.before, walk.head, walk.expected, &entries[i..]));
                }
            }
        }
    }
    verifier.finish()
}

/// Verifies a log fed one entry at a time, in the store's order, so that a
/// long log need not be held in memory. Only the rows after a break are
/// kept (at most about a million), to name it.
#[derive(Debug)]
pub struct Verifier {
    state: State,
    checked: usize,
}

#[derive(Debug)]
enum State {
    Walking(Walk),
    /// A mismatch was found; these rows, from the first that did not fit, decide what it was.
    Examining {
        before: Option<EntryHash>,
        head: EntryHash,
        expected: u64,
        rows: Vec<AuditEntry>,
    },
    Settled(Break),
}

#[derive(Debug)]
struct Walk {
    /// The sequence number the next entry must have.
    expected: u64,
    /// The hash of the newest entry in place ([`GENESIS`] before the first).
    head: EntryHash,
    /// The hash before `head`; `None` until an entry is in place.
    before: Option<EntryHash>,
    /// Checkpoints not yet reached, newest first (so the next is at the end).
    pending: Vec<Checkpoint>,
    /// The highest sequence number any checkpoint covers.
    covered: u64,
}

enum Step {
    InPlace,
    Mismatch,
    Settled(Break),
}

impl Walk {
    fn step(&mut self, entry: &AuditEntry) -> Step {
        if entry.seq != self.expected || !entry.fits(&self.head, self.expected) {
            return Step::Mismatch;
        }
        while let Some(checkpoint) = self.pending.last() {
            if checkpoint.seq != entry.seq {
                break;
            }
            if checkpoint.head != entry.hash {
                return Step::Settled(Break::Rewritten {
                    checkpoint: checkpoint.seq,
                });
            }
            self.pending.pop();
        }
        self.before = Some(self.head);
        self.head = entry.hash;
        // Entries are appended with checked sequence numbers, so u64::MAX is never followed.
        self.expected = self.expected.saturating_add(1);
        Step::InPlace
    }
}

impl Verifier {
    /// Checks every checkpoint's signature against `keys` first; a bad one
    /// is the first break.
    pub fn new(checkpoints: &[SignedCheckpoint], keys: &[VerifyingKey]) -> Result<Verifier, Break> {
        let mut pending = Vec::with_capacity(checkpoints.len());
        for signed in checkpoints {
            signed.verify(keys).map_err(|_| Break::BadCheckpointSignature {
                checkpoint: signed.checkpoint.seq,
            })?;
            if signed.checkpoint.seq == 0 {
                // A checkpoint of the empty log vouches only for the start.
                if signed.checkpoint.head != GENESIS {
                    return Err(Break::Rewritten { checkpoint: 0 });
                }
            } else {
                pending.push(signed.checkpoint);
            }
        }
        pending.sort_by_key(|c| std::cmp::Reverse(c.seq));
        let covered = pending.first().map_or(0, |c| c.seq);
        Ok(Verifier {
            state: State::Walking(Walk {
                expected: 1,
                head: GENESIS,
                before: None,
                pending,
                covered,
            }),
            checked: checkpoints.len(),
        })
    }

    fn walking(&mut self) -> Option<&mut Walk> {
        match &mut self.state {
            State::Walking(walk) => Some(walk),
            _ => None,
        }
    }

    /// Feeds the next entry in the store's order.
    pub fn push(&mut self, entry: &AuditEntry) {
        match &mut self.state {
            State::Walking(walk) => match walk.step(entry) {
                Step::InPlace => {}
                Step::Settled(found) => self.state = State::Settled(found),
                Step::Mismatch => {
                    self.state = State::Examining {
                        before: walk.before,
                        head: walk.head,
                        expected: walk.expected,
                        rows: vec![*entry],
                    }
                }
            },
            State::Examining { rows, .. } => {
                if rows.len() < MAX_EXAMINED {
                    rows.push(*entry);
                }
            }
            State::Settled(_) => {}
        }
    }

    /// Whether the outcome is known whatever follows (the caller may stop feeding).
    pub fn is_settled(&self) -> bool {
        match &self.state {
            State::Walking(_) => false,
            State::Examining { rows, .. } => rows.len() >= MAX_EXAMINED,
            State::Settled(_) => true,
        }
    }

    /// The verdict, once every entry has been fed.
    pub fn finish(self) -> Result<Verified, Break> {
        match self.state {
            State::Settled(found) => Err(found),
            State::Examining {
                before,
                head,
                expected,
                rows,
            } => Err(classify(before, head, expected, &rows)),
            State::Walking(walk) => {
                let last = walk.expected - 1;
                if !walk.pending.is_empty() {
                    return Err(Break::Truncated {
                        last,
                        checkpoint: walk.covered,
                    });
                }
                Ok(Verified {
                    entries: last,
                    head: walk.before.map(|_| walk.head),
                    checkpoints: self.checked,
                })
            }
        }
    }
}

/// Names the break that starts at `rows[0]`, the first row not in place.
/// `head` is the hash of the last entry in place (the `expected - 1`th),
/// `before` the one before it.
fn classify(before: Option<EntryHash>, head: EntryHash, expected: u64, rows: &[AuditEntry]) -> Break {
    let k = expected;
    let Some(row) = rows.first() else {
        return Break::Edited { seq: k };
    };
    // Its fields and hash are right for this place: only its sequence number changed.
    if row.fits(&head, k) {
        return Break::Edited { seq: k };
    }
    // It is the entry the previous row claimed to be: that row was slipped in
    // (with a hash made to fit) before it.
    if let Some(before) = before
        && row.fits(&before, k - 1)
    {
        return Break::Inserted {
            after: k.saturating_sub(2),
        };
    }
    // The real entry k is further on.
    if let Some(j) = rows.iter().skip(1).position(|r| r.fits(&head, k)).map(|p| p + 1) {
        return if swapped_back_fits(rows, j, k) {
            Break::Reordered { seq: k }
        } else {
            Break::Inserted { after: k - 1 }
        };
    }
    // Entry k is nowhere: a gap in the numbering is a deletion.
    if row.seq > k {
        return Break::Deleted {
            first: k,
            last: row.seq - 1,
        };
    }
    // Renumbered after a deletion: this row is really entry k + 1, and the next follows it as k + 2.
    if rows.get(1).is_some_and(|next| next.fits(&row.hash, k + 2)) {
        return Break::Deleted { first: k, last: k };
    }
    Break::Edited { seq: k }
}

/// Whether exchanging `rows[0]` and `rows[j]` (the real entry `k`) back would
/// make the chain whole around both places.
fn swapped_back_fits(rows: &[AuditEntry], j: usize, k: u64) -> bool {
    let moved = &rows[0];
    let slot = k + j as u64;
    let prev = if j == 1 { &rows[1].hash } else { &rows[j - 1].hash };
    moved.fits(prev, slot)
        && rows
            .get(j + 1)
            .is_none_or(|next| next.fits(&moved.hash, slot + 1))
        && (j == 1 || rows[1].fits(&rows[j].hash, k + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Action, AuditDraft, Outcome};

    fn log(n: u64) -> Vec<AuditEntry> {
        let mut entries: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let head = entries.last().map(|e| (e.seq, e.hash));
            let draft = AuditDraft::new(1_000 + i as i64, Action::CaseRead, Outcome::Ok).on([i as u8; 16]);
            entries.push(AuditEntry::append(head, &draft).unwrap());
        }
        entries
    }

    #[test]
    fn an_intact_log_verifies() {
        let entries = log(5);
        let verified = verify(&entries, &[], &[]).unwrap();
        assert_eq!(verified.entries, 5);
        assert_eq!(verified.head, Some(entries[4].hash));
        let empty = verify(&[], &[], &[]).unwrap();
        assert_eq!(empty.entries, 0);
        assert_eq!(empty.head, None);
    }

    #[test]
    fn the_streaming_verifier_agrees() {
        let mut entries = log(6);
        entries.swap(1, 4);
        let mut verifier = Verifier::new(&[], &[]).unwrap();
        for entry in &entries {
            verifier.push(entry);
        }
        assert_eq!(verifier.finish(), Err(Break::Reordered { seq: 2 }));
        assert_eq!(verify(&entries, &[], &[]), Err(Break::Reordered { seq: 2 }));
    }

    #[test]
    fn messages_name_the_place() {
        assert_eq!(
            Break::Deleted { first: 3, last: 3 }.to_string(),
            "entry 3 was deleted"
        );
        assert_eq!(
            Break::Deleted { first: 3, last: 5 }.to_string(),
            "entries 3 to 5 were deleted"
        );
        assert_eq!(
            Break::Inserted { after: 0 }.to_string(),
            "an entry was inserted before entry 1"
        );
        assert_eq!(
            Break::Truncated {
                last: 4,
                checkpoint: 9
            }
            .kind()
            .code(),
            "truncated-before-checkpoint"
        );
    }
}
