//! Rules of several keys a record (a deletion neighbourhood): the keys, and each record's
//! blocks.

use std::hash::Hasher;

use rustc_hash::FxHasher;

/// Each record's blocks under a rule of several keys a record: the numbers (from 1, in
/// order) of record `r`'s blocks are `numbers[starts[r]..starts[r + 1]]`.
#[derive(Debug, Default)]
pub(super) struct ManyBlocks {
    starts: Vec<u32>,
    numbers: Vec<u32>,
    /// The records of which one at least must be in a pair (for `names+family~1`, those without the birth year).
    anchors: Vec<bool>,
}

impl ManyBlocks {
    /// From the (record, block number) of each record in each of its blocks, and whether
    /// each record is an anchor.
    pub(super) fn new(mut memberships: Vec<(u32, u32)>, anchors: Vec<bool>) -> ManyBlocks {
        memberships.sort_unstable();
        let mut starts = Vec::with_capacity(anchors.len() + 1);
        let mut at = 0usize;
        for record in 0..anchors.len() {
            starts.push(u32::try_from(at).unwrap_or(u32::MAX));
            while memberships.get(at).is_some_and(|&(r, _)| r as usize == record) {
                at += 1;
            }
        }
        starts.push(u32::try_from(at).unwrap_or(u32::MAX));
        ManyBlocks {
            starts,
            numbers: memberships.into_iter().map(|(_, number)| number).collect(),
            anchors,
        }
    }

    fn of(&self, record: u32) -> &[u32] {
        let r = record as usize;
        match (self.starts.get(r), self.starts.get(r + 1)) {
            (Some(&s), Some(&e)) => self.numbers.get(s as usize..e as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Whether record `r` is an anchor of the rule.
    pub(super) fn anchor(&self, r: u32) -> bool {
        self.anchors.get(r as usize).copied().unwrap_or(false)
    }

    /// The first block the two records share, if any, for a pair with an anchor.
    pub(super) fn first_shared(&self, a: u32, b: u32) -> Option<u32> {
        if !self.anchor(a) && !self.anchor(b) {
            return None;
        }
        let (mut x, mut y) = (self.of(a).iter().peekable(), self.of(b).iter().peekable());
        while let (Some(&&p), Some(&&q)) = (x.peek(), y.peek()) {
            match p.cmp(&q) {
                std::cmp::Ordering::Equal => return Some(p),
                std::cmp::Ordering::Less => {
                    x.next();
                }
                std::cmp::Ordering::Greater => {
                    y.next();
                }
            }
        }
        None
    }
}

/// The keys of `names` as written and with one letter of one of them deleted (SymSpell's
/// deletion neighbourhood of edit distance one, per name): two records whose names differ by
/// one letter changed, added, dropped or two swapped in one name share a key. Each name and
/// each of its deletions is hashed once; `key` makes a key of the hashes of a set of names.
/// The keys are left in `out`, sorted, without repeats.
pub(super) fn deletion_keys<const N: usize>(
    names: [&str; N],
    out: &mut Vec<u64>,
    key: impl Fn([u64; N]) -> u64,
) {
    let hash = |bytes: &[u8]| {
        let mut hasher = FxHasher::default();
        hasher.write(bytes);
        hasher.finish()
    };
    let written = names.map(|name| hash(name.as_bytes()));
    out.push(key(written));
    let mut shorter = Vec::new();
    for (field, name) in names.iter().enumerate() {
        for (at, letter) in name.char_indices() {
            shorter.clear();
            shorter.extend_from_slice(name.as_bytes().get(..at).unwrap_or_default());
            shorter.extend_from_slice(name.as_bytes().get(at + letter.len_utf8()..).unwrap_or_default());
            let mut variant = written;
            if let Some(slot) = variant.get_mut(field) {
                *slot = hash(&shorter);
            }
            out.push(key(variant));
        }
    }
    out.sort_unstable();
    out.dedup();
}
