//! mamar's use cases: the rules of the work, written once and called alike
//! by every channel (the web pages, the command line, the Telegram bot). A
//! channel parses its input, calls one function here and renders the
//! answer. A use case checks who may do it (the caller's keys and roles,
//! the case's team, waiting approvals), does it through `mamar-crypto` and
//! the `Store` trait, and writes the audit entry. It knows no HTTP and no
//! SQL.
//!
//! Access to a case is by keys, not by checks: a case's content opens only
//! with the case key, which is wrapped to the people on the case and no one
//! else. The checks here come on top (duties, stages, the two-person rule,
//! which sections a duty may read).

pub mod account;
pub mod audit_checkpoints;
pub mod audit_view;
pub mod cases;
pub mod config;
mod error;
pub mod facets;
pub mod intake;
pub mod partners;
mod records;
pub mod referral_files;
pub mod registry;

pub use config::{CaseConfig, CaseConfigError, ChecklistItem, Section};
pub use error::CaseError;
pub use facets::{
    FacetSource, Facets, OpenedFacets, facets_of, open_all, open_all_reusing, open_facets, seal_facets,
};
pub use records::{Identity, Message, Note, Summary};

use mamar_crypto::Keyring;
use mamar_store::StaffRecord;

/// The person a use case works for: their account and the keys their
/// session unlocked.
pub struct Caller<'a> {
    pub staff: &'a StaffRecord,
    pub keyring: &'a Keyring,
}

impl Caller<'_> {
    pub fn actor(&self) -> mamar_core::case::Actor {
        mamar_core::case::Actor::new(self.staff.id, self.staff.roles.clone())
    }
}

/// Days since the Unix epoch: the coarse "last activity" kept at rest.
pub fn day_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(86_400)
}

/// `YYYY-MM` of a Unix time.
pub fn month_of(unix_seconds: i64) -> String {
    let days = day_of(unix_seconds);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}
