//! How long building and verifying a long audit log takes, in memory.
//!
//! `cargo run --release -p mamar-audit --example verify_bench [ENTRIES]` (default 1,000,000).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use mamar_audit::{Action, AuditDraft, AuditEntry, Checkpoint, Outcome, Verifier, verify};
use mamar_core::StaffId;
use mamar_crypto::SigningKey;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("a number of entries"))
        .unwrap_or(1_000_000);
    let started = Instant::now();
    let mut entries: Vec<AuditEntry> = Vec::with_capacity(n as usize);
    for i in 0..n {
        let head = entries.last().map(|e| (e.seq, e.hash));
        let draft = AuditDraft::new(
            1_700_000_000 + i as i64,
            Action::ALL[i as usize % Action::ALL.len()],
            Outcome::Ok,
        )
        .by(StaffId::from_bytes([(i % 7) as u8; 16]))
        .on([(i % 251) as u8; 16]);
        entries.push(AuditEntry::append(head, &draft).unwrap());
    }
    let built = started.elapsed();
    let key = SigningKey::generate().unwrap();
    let last = entries.last().unwrap();
    let checkpoint = Checkpoint {
        seq: last.seq,
        head: last.hash,
        at: 0,
    }
    .sign(&key);
    let keys = [key.verifying_key()];

    let started = Instant::now();
    let report = verify(&entries, std::slice::from_ref(&checkpoint), &keys).unwrap();
    let verified = started.elapsed();
    assert_eq!(report.entries, n);

    let started = Instant::now();
    let mut streaming = Verifier::new(std::slice::from_ref(&checkpoint), &keys).unwrap();
    for entry in &entries {
        streaming.push(entry);
    }
    streaming.finish().unwrap();
    let streamed = started.elapsed();

    // A break near the start: the rest is kept and searched to name it.
    let mut broken = entries.clone();
    broken.swap(1, (n / 2) as usize);
    let started = Instant::now();
    let found = verify(&broken, &[], &keys).unwrap_err();
    let named = started.elapsed();

    let per_second = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!("entries: {n}");
    println!(
        "append (hash) in memory: {built:.2?} ({:.0}/s)",
        per_second(built)
    );
    println!(
        "verify with a checkpoint: {verified:.2?} ({:.0}/s)",
        per_second(verified)
    );
    println!(
        "streaming verifier: {streamed:.2?} ({:.0}/s)",
        per_second(streamed)
    );
    println!("naming a break at entry 2 ({found}): {named:.2?}");
}
