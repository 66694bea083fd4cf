#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The crate's behaviour through its public API: known-answer tests against
//! published vectors, round trips of every construction, tampering, parser
//! robustness on arbitrary bytes, and nonce uniqueness.

mod kat;
mod nonces;
mod parsers;
mod round_trips;
mod stored_formats;
mod tamper;

/// Decodes hex written in the tests (spaces allowed for readability).
pub fn h(text: &str) -> Vec<u8> {
    hex::decode(text.replace([' ', '\n'], "")).unwrap()
}
