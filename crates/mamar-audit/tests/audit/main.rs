//! Property tests of the audit log: every single mutation of a log (an edit
//! of any field of any entry, the deletion of any entry, an insertion
//! anywhere, a swap of any two entries) is detected and named, and so is
//! every change to a checkpoint.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mamar_audit::{
    Action, AuditDraft, AuditEntry, Break, Checkpoint, EntryHash, Outcome, SignedCheckpoint, entry_hash,
    verify,
};
use mamar_core::StaffId;
use mamar_crypto::{SigningKey, VerifyingKey};
use proptest::prelude::*;
use std::sync::OnceLock;

fn key() -> &'static (SigningKey, VerifyingKey) {
    static KEY: OnceLock<(SigningKey, VerifyingKey)> = OnceLock::new();
    KEY.get_or_init(|| {
        let key = SigningKey::generate().unwrap();
        let public = key.verifying_key();
        (key, public)
    })
}

fn action() -> impl Strategy<Value = Action> {
    proptest::sample::select(Action::ALL)
}

fn outcome() -> impl Strategy<Value = Outcome> {
    proptest::sample::select(Outcome::ALL)
}

fn draft() -> impl Strategy<Value = AuditDraft> {
    (
        any::<i64>(),
        proptest::option::of(any::<[u8; 16]>()),
        action(),
        proptest::option::of(any::<[u8; 16]>()),
        outcome(),
    )
        .prop_map(|(at, actor, action, object, outcome)| AuditDraft {
            at,
            actor: actor.map(StaffId::from_bytes),
            action,
            object,
            outcome,
        })
}

fn build(drafts: &[AuditDraft]) -> Vec<AuditEntry> {
    let mut entries: Vec<AuditEntry> = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let head = entries.last().map(|e| (e.seq, e.hash));
        entries.push(AuditEntry::append(head, draft).unwrap());
    }
    entries
}

/// A log of 1 to 24 entries.
fn log() -> impl Strategy<Value = Vec<AuditEntry>> {
    log_of_at_least(1)
}

fn log_of_at_least(min: usize) -> impl Strategy<Value = Vec<AuditEntry>> {
    proptest::collection::vec(draft(), min..24).prop_map(|drafts| build(&drafts))
}

/// Two different positions in 0..n (n >= 2).
fn two(n: usize, a: prop::sample::Index, b: prop::sample::Index) -> (usize, usize) {
    let a = a.index(n);
    let b = b.index(n - 1);
    (a, if b >= a { b + 1 } else { b })
}

fn checkpoint_of(entries: &[AuditEntry], upto: usize) -> SignedCheckpoint {
    let entry = &entries[upto - 1];
    Checkpoint {
        seq: entry.seq,
        head: entry.hash,
        at: 1_800_000_000,
    }
    .sign(&key().0)
}

fn check(entries: &[AuditEntry], checkpoints: &[SignedCheckpoint]) -> Result<u64, Break> {
    verify(entries, checkpoints, &[key().1]).map(|v| v.entries)
}

/// A change to one field that always changes it.
#[derive(Debug, Clone)]
enum Field {
    /// XORs the sequence number with a non-zero mask.
    Seq(u64),
    /// XORs the time with a non-zero mask.
    At(u64),
    /// Another actor (or none, or one where there was none).
    Actor(Option<[u8; 16]>),
    /// Moves the action this many places on (never a whole turn).
    Action(usize),
    Object(Option<[u8; 16]>),
    Outcome(usize),
    /// Flips bit `n` of the stored hash.
    HashBit(u8),
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        (1..=u64::MAX).prop_map(Field::Seq),
        (1..=u64::MAX).prop_map(Field::At),
        proptest::option::of(any::<[u8; 16]>()).prop_map(Field::Actor),
        (1..Action::ALL.len()).prop_map(Field::Action),
        proptest::option::of(any::<[u8; 16]>()).prop_map(Field::Object),
        (1..Outcome::ALL.len()).prop_map(Field::Outcome),
        any::<u8>().prop_map(Field::HashBit),
    ]
}

/// `candidate`, unless it equals `current`: then something else.
fn other_id(current: Option<[u8; 16]>, candidate: Option<[u8; 16]>) -> Option<[u8; 16]> {
    match (current, candidate) {
        (a, b) if a != b => b,
        (None, _) => Some([0; 16]),
        (Some(_), _) => None,
    }
}

fn rotate<T: Copy + PartialEq>(all: &[T], current: T, by: usize) -> T {
    let at = all.iter().position(|x| *x == current).unwrap();
    all[(at + by) % all.len()]
}

/// Applies `field` to `entry`.
fn edit(entry: &mut AuditEntry, field: &Field) {
    let before = *entry;
    match field {
        Field::Seq(mask) => entry.seq ^= mask,
        Field::At(mask) => entry.at ^= *mask as i64,
        Field::Actor(actor) => {
            let current = entry.actor.map(|id| *id.as_bytes());
            entry.actor = other_id(current, *actor).map(StaffId::from_bytes);
        }
        Field::Action(by) => entry.action = rotate(Action::ALL, entry.action, *by),
        Field::Object(object) => entry.object = other_id(entry.object, *object),
        Field::Outcome(by) => entry.outcome = rotate(Outcome::ALL, entry.outcome, *by),
        Field::HashBit(n) => entry.hash.0[usize::from(*n / 8)] ^= 1 << (n % 8),
    }
    assert_ne!(*entry, before);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_untouched_log_verifies_with_checkpoints_anywhere(entries in log(), at in any::<prop::sample::Index>()) {
        let upto = at.index(entries.len()) + 1;
        let checkpoints = [checkpoint_of(&entries, upto), checkpoint_of(&entries, entries.len())];
        prop_assert_eq!(check(&entries, &checkpoints), Ok(entries.len() as u64));
    }

    #[test]
    fn every_edit_of_any_field_is_named(
        mut entries in log(),
        at in any::<prop::sample::Index>(),
        field in field(),
    ) {
        let i = at.index(entries.len());
        edit(&mut entries[i], &field);
        prop_assert_eq!(check(&entries, &[]), Err(Break::Edited { seq: i as u64 + 1 }));
    }

    #[test]
    fn every_deletion_is_named_and_the_tail_against_a_checkpoint(
        entries in log(),
        at in any::<prop::sample::Index>(),
    ) {
        let n = entries.len();
        let checkpoint = checkpoint_of(&entries, n);
        let i = at.index(n);
        let mut cut = entries.clone();
        cut.remove(i);
        let seq = i as u64 + 1;
        let expected = if i + 1 == n {
            Break::Truncated { last: seq - 1, checkpoint: n as u64 }
        } else {
            Break::Deleted { first: seq, last: seq }
        };
        prop_assert_eq!(check(&cut, std::slice::from_ref(&checkpoint)), Err(expected));
        if i + 1 < n {
            // A deletion in the middle shows without any checkpoint.
            prop_assert_eq!(check(&cut, &[]), Err(expected));
        }
    }

    #[test]
    fn every_insertion_of_an_invented_row_is_named(
        entries in log(),
        at in any::<prop::sample::Index>(),
        seq in any::<u64>(),
        draft in draft(),
        hash in any::<[u8; 32]>(),
    ) {
        let i = at.index(entries.len() + 1);
        let mut changed = entries.clone();
        changed.insert(i, AuditEntry {
            seq,
            at: draft.at,
            actor: draft.actor,
            action: draft.action,
            object: draft.object,
            outcome: draft.outcome,
            hash: EntryHash(hash),
        });
        let found = check(&changed, &[]);
        if i < entries.len() {
            prop_assert_eq!(found, Err(Break::Inserted { after: i as u64 }));
        } else {
            // At the end, a row with a made-up hash is a break of some kind.
            prop_assert!(found.is_err(), "{:?}", found);
        }
    }

    #[test]
    fn every_insertion_of_a_row_forged_to_fit_is_named(
        entries in log(),
        at in any::<prop::sample::Index>(),
        draft in draft(),
        renumber in any::<bool>(),
    ) {
        // The attacker computes a correct hash for the forged row (the chain
        // is not keyed), and may renumber the rows after it.
        let n = entries.len();
        let i = at.index(n);
        let seq = i as u64 + 1;
        let prev = if i == 0 { mamar_audit::GENESIS } else { entries[i - 1].hash };
        let forged = AuditEntry {
            seq,
            at: draft.at,
            actor: draft.actor,
            action: draft.action,
            object: draft.object,
            outcome: draft.outcome,
            hash: entry_hash(&prev, seq, &draft),
        };
        let mut changed = entries.clone();
        changed.insert(i, forged);
        if renumber {
            for entry in &mut changed[i + 1..] {
                entry.seq += 1;
            }
        }
        prop_assert_eq!(check(&changed, &[]), Err(Break::Inserted { after: i as u64 }));
    }

    #[test]
    fn every_replayed_copy_of_an_entry_is_caught(
        entries in log(),
        from in any::<prop::sample::Index>(),
        to in any::<prop::sample::Index>(),
    ) {
        let copy = entries[from.index(entries.len())];
        let i = to.index(entries.len());
        let mut changed = entries.clone();
        changed.insert(i, copy);
        let found = check(&changed, &[]);
        prop_assert!(matches!(found, Err(Break::Inserted { .. })), "{:?}", found);
    }

    #[test]
    fn every_swap_of_two_entries_is_named(
        entries in log_of_at_least(2),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let (a, b) = two(entries.len(), a, b);
        let mut changed = entries.clone();
        changed.swap(a, b);
        let first = a.min(b) as u64 + 1;
        prop_assert_eq!(check(&changed, &[]), Err(Break::Reordered { seq: first }));
    }

    #[test]
    fn a_swap_of_rows_keeping_their_numbers_is_named(
        entries in log_of_at_least(2),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        // In a database the attacker exchanges everything but the sequence
        // numbers (which order the rows).
        let (a, b) = two(entries.len(), a, b);
        let mut changed = entries.clone();
        changed.swap(a, b);
        let (sa, sb) = (entries[a].seq, entries[b].seq);
        changed[a].seq = sa;
        changed[b].seq = sb;
        let first = a.min(b) as u64 + 1;
        prop_assert_eq!(check(&changed, &[]), Err(Break::Reordered { seq: first }));
    }

    #[test]
    fn a_deletion_hidden_by_renumbering_is_named(
        entries in log_of_at_least(2),
        at in any::<prop::sample::Index>(),
    ) {
        let i = at.index(entries.len() - 1);
        let mut changed = entries.clone();
        changed.remove(i);
        for entry in &mut changed[i..] {
            entry.seq -= 1;
        }
        let seq = i as u64 + 1;
        let found = check(&changed, &[]);
        prop_assert!(found.is_err());
        // With nothing after the renumbered row, it cannot be told from an edit.
        if i + 2 < entries.len() {
            prop_assert!(
                matches!(found, Err(Break::Deleted { first, .. }) if first == seq),
                "{:?}",
                found
            );
        }
    }

    #[test]
    fn a_rewritten_chain_is_caught_by_an_earlier_checkpoint(
        entries in log(),
        at in any::<prop::sample::Index>(),
        replacement in draft(),
    ) {
        // Someone with write access changes entry i and recomputes every hash after it.
        let n = entries.len();
        let i = at.index(n);
        let mut drafts: Vec<AuditDraft> = entries.iter().map(AuditEntry::draft).collect();
        prop_assume!(drafts[i] != replacement);
        drafts[i] = replacement;
        let rewritten = build(&drafts);
        prop_assert_eq!(check(&rewritten, &[]), Ok(n as u64));
        let checkpoint = checkpoint_of(&entries, n);
        prop_assert_eq!(
            check(&rewritten, &[checkpoint]),
            Err(Break::Rewritten { checkpoint: n as u64 })
        );
    }

    #[test]
    fn every_change_to_a_checkpoint_is_caught(
        entries in log(),
        which in 0..4u8,
        by in 1..u64::MAX,
        byte in any::<prop::sample::Index>(),
    ) {
        let mut checkpoint = checkpoint_of(&entries, entries.len());
        match which {
            0 => checkpoint.checkpoint.seq = checkpoint.checkpoint.seq.wrapping_add(by),
            1 => checkpoint.checkpoint.at = checkpoint.checkpoint.at.wrapping_add(by as i64),
            2 => checkpoint.checkpoint.head.0[(by % 32) as usize] ^= 1,
            _ => {
                let i = byte.index(checkpoint.signature.len());
                checkpoint.signature[i] ^= 1;
            }
        }
        let found = check(&entries, &[checkpoint.clone()]);
        prop_assert_eq!(found, Err(Break::BadCheckpointSignature { checkpoint: checkpoint.checkpoint.seq }));
    }

    #[test]
    fn the_text_form_of_any_checkpoint_round_trips(entries in log(), at in any::<prop::sample::Index>()) {
        let checkpoint = checkpoint_of(&entries, at.index(entries.len()) + 1);
        let parsed = SignedCheckpoint::from_text(&checkpoint.to_text()).unwrap();
        prop_assert_eq!(&parsed, &checkpoint);
        prop_assert_eq!(check(&entries, &[parsed]), Ok(entries.len() as u64));
    }
}

#[test]
fn a_checkpoint_by_another_key_is_refused() {
    let entries = build(&[AuditDraft::new(1, Action::Panic, Outcome::Ok)]);
    let other = SigningKey::generate().unwrap();
    let checkpoint = Checkpoint {
        seq: 1,
        head: entries[0].hash,
        at: 2,
    }
    .sign(&other);
    assert_eq!(
        check(&entries, &[checkpoint]),
        Err(Break::BadCheckpointSignature { checkpoint: 1 })
    );
}

#[test]
fn what_the_chain_cannot_show_an_entry_forged_after_the_newest_checkpoint() {
    // The limit of an unkeyed chain, written down: someone who can write to
    // the database can append an entry with a correct hash after the newest
    // checkpoint, and nothing can tell it from a real one.
    let mut entries = build(&[
        AuditDraft::new(1, Action::LoginSucceeded, Outcome::Ok),
        AuditDraft::new(2, Action::CaseRead, Outcome::Ok),
    ]);
    let checkpoint = checkpoint_of(&entries, 2);
    let last = entries[1];
    entries.push(
        AuditEntry::append(
            Some((last.seq, last.hash)),
            &AuditDraft::new(3, Action::Export, Outcome::Ok),
        )
        .unwrap(),
    );
    assert_eq!(check(&entries, &[checkpoint]), Ok(3));
}
