//! Migrations are compiled into the binary, so a fresh machine needs no
//! files beside it. Each backend has its own folder of numbered SQL files.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

#[derive(Debug)]
pub(crate) struct Embedded(&'static [(i64, &'static str, &'static str)]);

/// Lists a backend's migrations: version and file stem, in order.
macro_rules! embed {
    ($backend:literal: $($version:literal $stem:literal),* $(,)?) => {
        Embedded(&[$(($version, $stem, include_str!(concat!("../migrations/", $backend, "/", $stem, ".sql")))),*])
    };
}

pub(crate) const SQLITE: Embedded = embed!("sqlite":
    1 "0001_foundation",
    2 "0002_keys_sessions_cases",
    3 "0003_intake",
    4 "0004_audit",
    5 "0005_accounts",
    6 "0006_webauthn",
    7 "0007_cases",
    8 "0008_attachments",
    9 "0009_partners",
    11 "0011_lease",
    12 "0012_registry",
    13 "0013_retention",
    17 "0017_audit_checkpoint_key",
    21 "0021_consent_withdrawal",
    22 "0022_referral_files",
    23 "0023_break_glass",
    24 "0024_key_names_conversation",
    25 "0025_first_request_own_copy",
);

pub(crate) const POSTGRES: Embedded = embed!("postgres":
    1 "0001_foundation",
    2 "0002_keys_sessions_cases",
    3 "0003_intake",
    4 "0004_audit",
    5 "0005_accounts",
    6 "0006_webauthn",
    7 "0007_cases",
    8 "0008_attachments",
    9 "0009_partners",
    11 "0011_lease",
    12 "0012_registry",
    13 "0013_retention",
    17 "0017_audit_checkpoint_key",
    21 "0021_consent_withdrawal",
    22 "0022_referral_files",
    23 "0023_break_glass",
    24 "0024_key_names_conversation",
    25 "0025_first_request_own_copy",
);

impl Embedded {
    /// The migrations up to `format` (all of them when `None`).
    pub(crate) fn up_to(&self, format: Option<i64>) -> Embedded {
        let count = match format {
            None => self.0.len(),
            Some(format) => self
                .0
                .iter()
                .take_while(|(version, _, _)| *version <= format)
                .count(),
        };
        Embedded(self.0.get(..count).unwrap_or(self.0))
    }

    /// Every version, in order.
    pub(crate) fn versions(&self) -> Vec<i64> {
        self.0.iter().map(|(version, _, _)| *version).collect()
    }

    /// The newest migration's version.
    pub(crate) fn latest(&self) -> i64 {
        self.0.iter().map(|(version, _, _)| *version).max().unwrap_or(0)
    }
}

type Resolved = Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>>;

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Resolved {
        let migrations = self
            .0
            .iter()
            .map(|(version, description, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    Cow::Borrowed(*sql),
                    false,
                )
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

pub(crate) async fn migrator(source: Embedded) -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(source).await
}
