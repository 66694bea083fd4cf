//! [`report`]: what `mamar verify` and the stand-alone `mamar-verify` print
//! for a card or a reply, and whether it is valid. One function, so that the
//! two commands cannot come to disagree.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use mamar_core::Locale;

use crate::card::{
    CardDate, CardError, ContactCard, MAX_CARD_BYTES, MAX_REPLY_BYTES, verify_card, verify_reply_text,
};
use crate::messages::Message;

/// What the file is said to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    Card,
    Reply,
}

impl Checked {
    /// The largest file of this kind that is read at all.
    pub fn max_bytes(self) -> usize {
        match self {
            Checked::Card => MAX_CARD_BYTES,
            Checked::Reply => MAX_REPLY_BYTES,
        }
    }
}

/// The answer: the lines to print (the last one says VALID or NOT VALID) and
/// whether the file is valid (exit code 0) or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<String>,
    pub valid: bool,
}

/// Checks `file` (the text of a card or a reply) against the fingerprint the
/// person trusts, on `today`, and says what it found in `locale`. A card that
/// fails its signature is not shown: its numbers are exactly what a forger
/// wants read. An expired card is shown, and is not valid.
pub fn report(kind: Checked, file: &str, fingerprint: &str, today: CardDate, locale: Locale) -> Report {
    match kind {
        Checked::Card => match verify_card(file, fingerprint, today) {
            Ok(card) => {
                let mut lines = card_lines(&card, locale);
                let until = card.valid_until.to_string();
                lines.push(Message::ValidUntil.with(locale, &until));
                Report { lines, valid: true }
            }
            Err(CardError::Expired { valid_until, card }) => {
                let mut lines = card_lines(&card, locale);
                lines.push(Message::Expired.with(locale, &valid_until.to_string()));
                Report { lines, valid: false }
            }
            Err(error) => refused(&error, locale),
        },
        Checked::Reply => match verify_reply_text(file, fingerprint) {
            Ok(reply) => Report {
                lines: vec![reply, String::new(), Message::Valid.text(locale).to_owned()],
                valid: true,
            },
            Err(error) => refused(&error, locale),
        },
    }
}

/// The one line that says why a file is not valid.
pub fn refusal(error: &CardError, locale: Locale) -> String {
    match error {
        CardError::FingerprintMismatch => Message::NotFromOrganisation.text(locale).to_owned(),
        CardError::BadSignature => Message::Forged.text(locale).to_owned(),
        CardError::BadFingerprintText(_) => Message::BadFingerprint.text(locale).to_owned(),
        other => Message::Damaged.with(locale, &other.to_string()),
    }
}

fn refused(error: &CardError, locale: Locale) -> Report {
    Report {
        lines: vec![refusal(error, locale)],
        valid: false,
    }
}

fn card_lines(card: &ContactCard, locale: Locale) -> Vec<String> {
    let field = |label: Message, value: &str| format!("{}: {value}", label.text(locale));
    let mut lines = vec![
        field(Message::OrgAr, &card.org_name_ar),
        field(Message::OrgEn, &card.org_name_en),
    ];
    if let Some(web) = &card.web_address {
        lines.push(field(Message::Web, web));
    }
    if let Some(onion) = &card.onion_address {
        lines.push(field(Message::Onion, onion));
    }
    for hotline in &card.hotlines {
        lines.push(field(Message::Hotline, hotline));
    }
    if let Some(bot) = &card.telegram_bot {
        lines.push(field(Message::Telegram, bot));
    }
    if let Some(key) = &card.referral_seal {
        let hex: String = key.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        lines.push(field(Message::ReferralSeal, &hex));
    }
    lines.push(field(Message::ValidUntilField, &card.valid_until.to_string()));
    lines
}

/// Why a file could not be checked at all (as opposed to: checked and found
/// not valid).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is larger than {max} bytes: not a mamar file")]
    TooLarge { path: PathBuf, max: usize },
    #[error("{path} is not UTF-8 text (invalid byte at offset {offset})")]
    NotText { path: PathBuf, offset: usize },
    #[error("the system clock is out of range")]
    Clock,
}

/// Reads a file as UTF-8, refusing one larger than `max` bytes before
/// reading it whole.
pub fn read_text(path: &Path, max: usize) -> Result<String, FileError> {
    let read = |source| FileError::Read {
        path: path.to_owned(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > max as u64 {
        return Err(FileError::TooLarge {
            path: path.to_owned(),
            max,
        });
    }
    let bytes = std::fs::read(path).map_err(read)?;
    String::from_utf8(bytes).map_err(|error| FileError::NotText {
        path: path.to_owned(),
        offset: error.utf8_error().valid_up_to(),
    })
}

/// Today's date in UTC from the system clock (a card is valid until the end
/// of its last day).
pub fn today() -> Result<CardDate, FileError> {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| FileError::Clock)?
        .as_secs();
    let days = i64::try_from(seconds / 86_400).map_err(|_| FileError::Clock)?;
    CardDate::from_unix_days(days).ok_or(FileError::Clock)
}
