//! The checks anyone can make offline of what an organisation running mamar
//! signs: its contact card, the replies it sends a requester, its statistical
//! releases. The server, `mamar verify` and the stand-alone `mamar-verify`
//! binary (built from this crate, with no database and no network) all use
//! this code; [`report`] is the one function both commands answer with.
//!
//! Pure but for [`read_text`] and [`today`], which read a file and the clock
//! for the two commands.

mod card;
mod messages;
mod release;
mod report;

pub use card::{
    CardDate, CardError, ContactCard, FormatProblem, MAX_CARD_BYTES, MAX_REPLY_BYTES, fingerprint_qr_text,
    fingerprint_words, parse_fingerprint, parse_seal_key, sign_card, sign_card_with_org_key, sign_reply,
    signed_reply_text, verify_card, verify_reply, verify_reply_text,
};
pub use messages::{Message, language};
pub use release::{
    MAX_RELEASE_BYTES, ReleaseFormat, SIGNED_RELEASE_HEADER, signed_release_csv, signed_release_json,
    verify_release,
};
pub use report::{Checked, FileError, Report, read_text, refusal, report, today};
