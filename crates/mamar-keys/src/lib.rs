//! Key ceremonies: the few operations that create, hand over or destroy the
//! organisation's keys. They join `mamar-crypto` (which makes and wraps
//! keys) and `mamar-store` (which keeps the wrapped results), so that the
//! command line and the web server run the very same steps. No HTTP here.

pub mod backup;
mod bootstrap;
mod breakglass;
mod changes;
mod qr;
mod recovery;
mod referral_file;

pub use bootstrap::{Bootstrap, bootstrap, signing_fingerprint};
pub use breakglass::{
    BreakGlassReport, ReshareReport, ShareHolders, break_glass_holders, break_glass_share_holders,
    escrow_public_key, reshare_break_glass, set_up_break_glass,
};
pub use changes::{change_password, remove_from_case, rotate_org_key};
// Cards, replies and releases live in `mamar-verify`, the crate the stand-alone verifier is built
// from; they are re-exported here so that the server and `mamar verify` use the very same code.
pub use mamar_verify::{
    CardDate, CardError, ContactCard, FormatProblem, MAX_CARD_BYTES, MAX_RELEASE_BYTES, MAX_REPLY_BYTES,
    ReleaseFormat, SIGNED_RELEASE_HEADER, fingerprint_qr_text, fingerprint_words, parse_fingerprint,
    parse_seal_key, sign_card, sign_card_with_org_key, sign_reply, signed_release_csv, signed_release_json,
    signed_reply_text, verify_card, verify_release, verify_reply, verify_reply_text,
};
pub use qr::{fingerprint_qr_svg, qr_svg};
pub use recovery::{create_recovery, restore_from_recovery};
pub use referral_file::{
    DEFAULT_MAX_FILE_AGE_DAYS, FileKind, FilePayload, MAX_FILE_AGE_LIMIT_DAYS, MAX_REFERRAL_FILE_BYTES,
    OpenedFile, ReferralFileError, SEEN_FILE_IDS_KEPT_DAYS, check_file_age, open_file, parse_id, seal_file,
};

use mamar_crypto::CryptoError;
use mamar_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("mamar is not set up yet: run mamar init")]
    NotSetUp,
    #[error("wrong user name or password")]
    WrongCredentials,
    #[error("no recovery material is stored: it was never created, or the panic action destroyed it")]
    NoRecoveryMaterial,
    #[error("only an assignee of the case can change who is assigned")]
    NotAssigned,
    #[error("only a holder of that organisation key can rotate it")]
    NotAHolder,
    #[error("the database holds key material this version cannot read")]
    Corrupt,
    #[error("recovery needs at least 2 trustees and a threshold between 2 and the number of trustees")]
    BadThreshold,
    #[error("there is no backup key yet: make the trustees' shares first (mamar recovery create)")]
    NoBackupKey,
    #[error("only an administrator may do that")]
    NotAnAdministrator,
    #[error(
        "break-glass needs a threshold of at least 2 and at most the number of administrators ({administrators})"
    )]
    BadBreakGlassThreshold { administrators: usize },
    #[error("break-glass is already set up")]
    BreakGlassAlreadySetUp,
    #[error("break-glass is not set up yet (mamar keys break-glass setup)")]
    BreakGlassNotSetUp,
    #[error("{name} holds no share of break-glass")]
    NoBreakGlassShare { name: String },
    #[error("{name} was named twice: each share counts once")]
    SameAdministratorTwice { name: String },
    #[error("re-sharing needs the shares of {needed} administrators; {given} were given")]
    TooFewBreakGlassShares { needed: usize, given: usize },
    #[error("the shares do not rebuild the break-glass key: nothing was changed")]
    BreakGlassSharesDoNotMatch,
    #[error("break-glass was re-shared by someone else meanwhile: nothing was changed, run it again")]
    BreakGlassChangedMeanwhile,
}
