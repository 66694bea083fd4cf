//! The convention that keeps secrets and personal data out of logs: a value
//! that must never be printed is wrapped in [`Sensitive`], whose `Debug` and
//! `Display` print a placeholder. Reading the value takes an explicit
//! [`Sensitive::expose`], which is easy to find in review.
//!
//! Key material has its own zeroizing types in `mamar-crypto`; this wrapper
//! is for everything else that must not leak: request bodies, database URLs
//! with passwords, names, phone numbers, codenames.

use std::fmt;

pub const REDACTED: &str = "[REDACTED]";

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The wrapped value. Call sites are the audit trail of where secrets go.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Sensitive(value)
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sensitive({REDACTED})")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neither_debug_nor_display_shows_the_value() {
        let secret = Sensitive::new(String::from("canary-7f3a"));
        let nested = Some(vec![secret.clone()]);
        for printed in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{nested:?}"),
        ] {
            assert!(!printed.contains("canary"), "leaked: {printed}");
            assert!(printed.contains(REDACTED));
        }
        assert_eq!(secret.expose(), "canary-7f3a");
    }
}
