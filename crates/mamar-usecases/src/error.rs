use mamar_core::case::CaseRuleError;

/// Why a use case did not happen. The channels translate each kind for the
/// reader; none carries internal detail to show.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No such case, or the caller is not on it (the two are not told apart).
    #[error("no such case")]
    NotFound,
    #[error("no such request")]
    RequestNotFound,
    #[error("the request is a case already")]
    AlreadyOpened,
    #[error(transparent)]
    Rule(#[from] CaseRuleError),
    /// The caller's keys lack what the act needs (the intake, signing or linkage key).
    #[error("your keys do not include the {0} key")]
    MissingKey(&'static str),
    #[error("no such staff member")]
    NoSuchStaff,
    #[error("the text is empty or too long")]
    BadText,
    #[error(transparent)]
    Upload(#[from] crate::cases::UploadRefusal),
    #[error("the birth year is not a year")]
    BadYear,
    #[error("the date or time is not one")]
    BadTime,
    #[error("someone else changed the case at the same moment; try again")]
    Conflict,
    #[error("stored case data does not open")]
    Corrupt,
    #[error(transparent)]
    Crypto(#[from] mamar_crypto::CryptoError),
    #[error(transparent)]
    Store(mamar_store::StoreError),
    #[error(transparent)]
    Key(#[from] mamar_keys::KeyError),
    #[error(transparent)]
    Partner(#[from] mamar_core::partner::PartnerRuleError),
    /// The partner's contact card did not verify against the fingerprint given.
    #[error(transparent)]
    Card(#[from] mamar_keys::CardError),
    #[error("no such partner")]
    NoSuchPartner,
    #[error("a partner with that card's key is registered already")]
    PartnerExists,
    /// No such referral, or not one the caller's partner received.
    #[error("no such referral")]
    NoSuchReferral,
    /// A referral file (or acknowledgement) refused: tampered, replayed, sealed to another
    /// organisation, from an unknown or unconfirmed sender, malformed.
    #[error(transparent)]
    ReferralFile(#[from] mamar_keys::ReferralFileError),
    #[error("break-glass is not set up in this organisation")]
    BreakGlassNotSetUp,
    /// The caller holds no break-glass share (they became an administrator after the set-up).
    #[error("you hold no break-glass share")]
    NoBreakGlassShare,
    #[error("no such break-glass request")]
    NoSuchBreakGlassRequest,
    #[error("the break-glass request needs more approvals")]
    BreakGlassWaiting,
    /// The case was opened before break-glass was set up and no holder of its key has acted on it since.
    #[error("the case has no break-glass escrow yet")]
    NoEscrow,
    #[error("the duration must be at least a minute")]
    BadDuration,
    /// The passphrase for an export is too short (or too long).
    #[error("the passphrase must be 12 to 1,024 characters")]
    WeakPassphrase,
    /// No export of this case was granted.
    #[error("no export of this case has been granted")]
    NoExport,
    #[error("the export could not be encrypted")]
    ExportFailed,
}

impl From<mamar_store::StoreError> for CaseError {
    fn from(error: mamar_store::StoreError) -> Self {
        match error {
            mamar_store::StoreError::Conflict => CaseError::Conflict,
            mamar_store::StoreError::AlreadyOpened => CaseError::AlreadyOpened,
            other => CaseError::Store(other),
        }
    }
}
