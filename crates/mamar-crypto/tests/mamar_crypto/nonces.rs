//! Random nonces never repeat. XChaCha20-Poly1305 nonces are 192 bits drawn
//! from the OS for every encryption; a repeat in a million would mean a
//! broken random number generator, which this test would catch.

use std::collections::HashSet;

use mamar_crypto::case::CONTENT_PREFIX_LEN;
use mamar_crypto::{CaseKey, NONCE_LEN, RecordContext};

#[test]
fn a_million_encryptions_never_repeat_a_nonce() {
    const ENCRYPTIONS: usize = 1_000_000;
    let key = CaseKey::generate().unwrap();
    let context = RecordContext {
        record_id: b"r",
        kind: "k",
        schema_version: 1,
    };
    let mut seen: HashSet<[u8; NONCE_LEN]> = HashSet::with_capacity(ENCRYPTIONS);
    for _ in 0..ENCRYPTIONS {
        let blob = key.encrypt(b"", &context).unwrap();
        let nonce: [u8; NONCE_LEN] = blob[CONTENT_PREFIX_LEN..CONTENT_PREFIX_LEN + NONCE_LEN]
            .try_into()
            .unwrap();
        assert!(
            seen.insert(nonce),
            "a nonce repeated after {} encryptions",
            seen.len()
        );
    }
    assert_eq!(seen.len(), ENCRYPTIONS);
}
