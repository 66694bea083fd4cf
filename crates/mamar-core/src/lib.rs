//! The mamar domain: the organisation, its locales, staff roles and the
//! conventions every other crate shares. Pure: no I/O, no HTTP, no SQL.

pub mod case;
pub mod codename;
pub mod facets;
pub mod locale;
pub mod org;
pub mod partner;
pub mod password;
pub mod questionnaire;
pub mod sensitive;
pub mod staff;
pub mod text;

pub use locale::Locale;
pub use org::{Organisation, OrganisationError};
pub use sensitive::Sensitive;
pub use staff::{Role, StaffId, Username, UsernameError, org_key_kinds_for};
