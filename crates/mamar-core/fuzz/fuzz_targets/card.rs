//! Signed contact cards, signed replies and fingerprint text: any input is
//! refused with an error or verified, never a crash. A genuine card signed
//! (the seed corpus) is mutated by the fuzzer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamar_keys::{CardDate, parse_fingerprint, verify_card, verify_reply_text};

/// The fingerprint of the key that signed `seeds/card/card.txt` and
/// `seeds/card/reply.txt`, so that mutations of those seeds reach the
/// signature check and not only the parsers.
const FINGERPRINT: &str = "c84c 9bd9 efc8 fa08 b827 7c2c 8338 9dd9 d497 9cf4 e362 6f5f 7f00 377f 304a 144c";

fuzz_target!(|text: &str| {
    let today = CardDate::new(2027, 1, 1).expect("a real date");
    let _ = verify_card(text, FINGERPRINT, today);
    let _ = verify_reply_text(text, FINGERPRINT);
    let _ = parse_fingerprint(text);
    let _ = CardDate::parse(text);
});
