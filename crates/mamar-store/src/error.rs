use thiserror::Error;

/// What can go wrong in the store. Messages are for operators and logs; the
/// web layer never shows them to a client.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the database URL must start with postgres:// or sqlite:")]
    UnsupportedUrl,
    #[error("cannot open the database file {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot reach PostgreSQL at {target}: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("cannot bring the database schema up to date: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("mamar is already set up: the organisation exists")]
    AlreadyInitialised,
    #[error("the case reference is already in use")]
    ReferenceTaken,
    #[error("the request is already a case")]
    AlreadyOpened,
    #[error("the upload does not exist, or was finished already")]
    UploadGone,
    #[error("the case changed since it was read")]
    Conflict,
    #[error("break-glass is already set up")]
    BreakGlassAlreadySetUp,
    #[error("a staff member with that user name exists already")]
    UsernameTaken,
    #[error("the invitation does not exist, has expired or was used already")]
    InvitationInvalid,
    #[error("that security key is registered already")]
    CredentialTaken,
    #[error("the database holds a value this version cannot read ({0})")]
    Corrupt(String),
    #[error("{0}")]
    RestoreRefused(String),
    #[error("cannot read the free space of {path}: {source}")]
    FreeSpace { path: String, source: std::io::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub(crate) fn from_unique_violation(error: sqlx::Error, on_unique: StoreError) -> StoreError {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => on_unique,
            _ => StoreError::Database(error),
        }
    }
}
