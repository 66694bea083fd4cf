//! Signed contact cards and signed replies: how a requester tells the real
//! organisation from a fake hotline (threat model A4).
//!
//! A contact card lists the organisation's channels. Its canonical text is
//! line based, one `key: value` a line in a fixed order, optional lines left
//! out:
//!
//! ```text
//! mamar-contact-card v1
//! org-name-ar: <Arabic name>
//! org-name-en: <English name>
//! web: https://…                 (optional)
//! onion: <56 base32 letters>.onion (optional)
//! hotline: +…                    (0 to 10 lines)
//! telegram-bot: @…bot            (optional)
//! referral-seal: <64 hex digits>  (optional)
//! valid-until: YYYY-MM-DD
//! ```
//!
//! `referral-seal` is the organisation's public key for referral files
//! (X25519, HPKE; `SigningKey::referral_seal_pair`): a partner that runs
//! its own mamar seals the referrals it sends to it. Cards signed before the
//! line existed have no such line and still verify; the line is part of the
//! signed text, so a changed key fails verification.
//!
//! A signed card file is that text followed by two lines:
//! `signing-key: <64 hex digits of the Ed25519 public key>` and
//! `signature: <hex of the mamar signature blob>`. The signature is
//! mamar-crypto's Ed25519 signature for the contact-card purpose over the
//! canonical text (every line ending in `\n`); its last 64 bytes are the raw
//! Ed25519 signature of `"mamar/v1/sign/contact-card" || 0x00 || text`, so
//! any Ed25519 tool can check it. Verification needs only the file, the
//! fingerprint the requester trusts (SHA-256 of the public key, in hex, as
//! words, or as read from the QR code) and today's date.
//!
//! A signed reply is `mamar-signed-reply v1`, the same two key lines, an
//! empty line, then the reply text; the text (line endings made LF,
//! trailing newlines removed) is signed for the reply purpose.

use std::fmt;

use mamar_core::Locale;
use mamar_core::codename::wordlist::{WordsError, fold, script_locale, word_list};
use mamar_core::text::{TextError, single_line};
use mamar_crypto::{
    CryptoError, EncryptionPublicKey, Fingerprint, OrgKey, Signature, SignaturePurpose, SigningKey,
    VerifyingKey,
};

const CARD_HEADER: &str = "mamar-contact-card v1";
const REPLY_HEADER: &str = "mamar-signed-reply v1";
const FINGERPRINT_PREFIX: &str = "mamar-fingerprint:";
const MAX_HOTLINES: usize = 10;
const MAX_NAME_CHARS: usize = 120;
const MAX_WEB_CHARS: usize = 200;
/// Files larger than this are refused before any parsing.
pub const MAX_CARD_BYTES: usize = 16 * 1024;
/// Signed replies larger than this are refused before any parsing.
pub const MAX_REPLY_BYTES: usize = 64 * 1024;

/// An organisation's public contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactCard {
    pub org_name_ar: String,
    pub org_name_en: String,
    /// `https://` (or `http://`) address, ASCII only (IDN in punycode), so
    /// that look-alike letters cannot pass for the real address.
    pub web_address: Option<String>,
    /// A v3 onion address: 56 base32 letters then `.onion`.
    pub onion_address: Option<String>,
    /// Phone numbers: digits, spaces, hyphens and a leading `+`.
    pub hotlines: Vec<String>,
    /// A Telegram bot user name, `@` then 5 to 32 letters, digits or `_`,
    /// ending in `bot` (Telegram's rule for bots).
    pub telegram_bot: Option<String>,
    /// The organisation's public key for referral files from partners that
    /// run their own mamar (absent on cards signed before it existed).
    pub referral_seal: Option<EncryptionPublicKey>,
    /// The last day the card may be trusted (inclusive).
    pub valid_until: CardDate,
}

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a card, a reply or a fingerprint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("line {line}: {problem}")]
    Format { line: usize, problem: FormatProblem },
    #[error("{field}: {problem}")]
    BadField { field: &'static str, problem: String },
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("{0}")]
    BadDate(&'static str),
    #[error("the fingerprint must be 64 hex digits, the fingerprint words, or the text of the QR code ({0})")]
    BadFingerprintText(String),
    #[error("the key in the file does not have the fingerprint you gave: this is not from the organisation")]
    FingerprintMismatch,
    #[error("the signature does not match the contents: the file was changed or forged")]
    BadSignature,
    #[error("the card expired on {valid_until}")]
    Expired {
        valid_until: CardDate,
        /// The card's contents, correctly signed but out of date.
        card: Box<ContactCard>,
    },
    #[error("this organisation key is not the signing key")]
    NotASigningKey,
    #[error("the QR code could not be drawn")]
    Qr,
}

/// What is wrong with one line of a card or reply file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatProblem {
    #[error("expected {0:?} as the first line")]
    WrongHeader(&'static str),
    #[error("expected \"key: value\"")]
    NotKeyValue,
    #[error("unknown key {0:?}")]
    UnknownKey(String),
    #[error("{0:?} is out of order or repeated")]
    OutOfOrder(&'static str),
    #[error("too many hotline lines (at most {MAX_HOTLINES})")]
    TooManyHotlines,
    #[error("{0:?} is missing")]
    Missing(&'static str),
    #[error("unexpected text after the signature")]
    TrailingText,
    #[error("{key}: {reason}")]
    BadValue { key: &'static str, reason: String },
}

/// The keys of a signed card file, in their only allowed order.
const CARD_KEYS: [&str; 10] = [
    "org-name-ar",
    "org-name-en",
    "web",
    "onion",
    "hotline",
    "telegram-bot",
    "referral-seal",
    "valid-until",
    "signing-key",
    "signature",
];

impl CardDate {
    pub fn new(year: u16, month: u8, day: u8) -> Result<CardDate, CardError> {
        if !(1..=12).contains(&month) {
            return Err(CardError::BadDate("the month must be 01 to 12"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(CardError::BadDate("that day does not exist in that month"));
        }
        Ok(CardDate { year, month, day })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<CardDate, CardError> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.get(4) == Some(&b'-')
            && bytes.get(7) == Some(&b'-')
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        let (Some(year), Some(month), Some(day)) = (text.get(0..4), text.get(5..7), text.get(8..10)) else {
            return Err(CardError::BadDate("dates are written YYYY-MM-DD"));
        };
        match (shape_ok, year.parse(), month.parse(), day.parse()) {
            (true, Ok(year), Ok(month), Ok(day)) => CardDate::new(year, month, day),
            _ => Err(CardError::BadDate("dates are written YYYY-MM-DD")),
        }
    }

    /// The date `days` days after 1970-01-01 (negative: before it), for
    /// callers that read a clock. `None` outside years 0 to 65535.
    pub fn from_unix_days(days: i64) -> Option<CardDate> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        CardDate::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
        .ok()
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for CardDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl ContactCard {
    /// Checks every field against the rules documented on [`ContactCard`].
    pub fn check(&self) -> Result<(), CardError> {
        let bad = |field: &'static str, problem: String| CardError::BadField { field, problem };
        for (field, value) in [
            ("org-name-ar", &self.org_name_ar),
            ("org-name-en", &self.org_name_en),
        ] {
            match single_line(value, MAX_NAME_CHARS) {
                Ok(clean) if clean == *value => {}
                Ok(_) => return Err(bad(field, "has spaces around it".into())),
                Err(error) => return Err(bad(field, text_problem(error))),
            }
        }
        if let Some(web) = &self.web_address {
            check_web(web).map_err(|problem| bad("web", problem))?;
        }
        if let Some(onion) = &self.onion_address {
            check_onion(onion).map_err(|problem| bad("onion", problem))?;
        }
        if self.hotlines.len() > MAX_HOTLINES {
            return Err(bad("hotline", format!("at most {MAX_HOTLINES} numbers")));
        }
        for hotline in &self.hotlines {
            check_hotline(hotline).map_err(|problem| bad("hotline", problem))?;
        }
        if let Some(bot) = &self.telegram_bot {
            check_bot(bot).map_err(|problem| bad("telegram-bot", problem))?;
        }
        Ok(())
    }

    /// The canonical text that is signed (see the module documentation).
    pub fn canonical_text(&self) -> String {
        let mut text = format!("{CARD_HEADER}\n");
        let mut line = |key: &str, value: &str| {
            text.push_str(key);
            text.push_str(": ");
            text.push_str(value);
            text.push('\n');
        };
        line("org-name-ar", &self.org_name_ar);
        line("org-name-en", &self.org_name_en);
        if let Some(web) = &self.web_address {
            line("web", web);
        }
        if let Some(onion) = &self.onion_address {
            line("onion", onion);
        }
        for hotline in &self.hotlines {
            line("hotline", hotline);
        }
        if let Some(bot) = &self.telegram_bot {
            line("telegram-bot", bot);
        }
        if let Some(key) = &self.referral_seal {
            line("referral-seal", &hex::encode(key.to_bytes()));
        }
        line("valid-until", &self.valid_until.to_string());
        text
    }
}

fn text_problem(error: TextError) -> String {
    error.to_string()
}

fn check_web(web: &str) -> Result<(), String> {
    let rest = web
        .strip_prefix("https://")
        .or_else(|| web.strip_prefix("http://"))
        .ok_or("must start with https://")?;
    if rest.is_empty() || web.len() > MAX_WEB_CHARS {
        return Err(format!("must be a host name, at most {MAX_WEB_CHARS} characters"));
    }
    if !web.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("must be ASCII without spaces (write international names in punycode)".into());
    }
    Ok(())
}

fn check_onion(onion: &str) -> Result<(), String> {
    let valid = onion.strip_suffix(".onion").is_some_and(|host| {
        host.len() == 56
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
    });
    if valid {
        Ok(())
    } else {
        Err("must be a v3 onion address: 56 letters a-z and digits 2-7, then .onion".into())
    }
}

fn check_hotline(number: &str) -> Result<(), String> {
    let body = number.strip_prefix('+').unwrap_or(number);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let allowed = body.bytes().all(|b| b.is_ascii_digit() || b == b' ' || b == b'-');
    let edges =
        body.starts_with(|c: char| c.is_ascii_digit()) && body.ends_with(|c: char| c.is_ascii_digit());
    if allowed && edges && (6..=20).contains(&digits) && number.len() <= 30 {
        Ok(())
    } else {
        Err(format!(
            "{number:?} must be 6 to 20 digits, with spaces or hyphens and an optional leading +"
        ))
    }
}

fn check_bot(bot: &str) -> Result<(), String> {
    let valid = bot.strip_prefix('@').is_some_and(|name| {
        (5..=32).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && name.to_ascii_lowercase().ends_with("bot")
    });
    if valid {
        Ok(())
    } else {
        Err("must be @ then 5 to 32 letters, digits or _, ending in bot".into())
    }
}

/// Signs `card` and returns the signed card file text.
pub fn sign_card(card: &ContactCard, key: &SigningKey) -> Result<String, CardError> {
    card.check()?;
    let text = card.canonical_text();
    let signature = key.sign(SignaturePurpose::ContactCard, text.as_bytes());
    Ok(format!(
        "{text}signing-key: {}\nsignature: {}\n",
        hex::encode(key.verifying_key().to_bytes()),
        hex::encode(signature.to_bytes())
    ))
}

/// [`sign_card`] with the organisation's signing key from a keyring; the
/// card carries that key's referral sealing key (`referral-seal`).
pub fn sign_card_with_org_key(card: &ContactCard, key: &OrgKey) -> Result<String, CardError> {
    let signing = key.signing().ok_or(CardError::NotASigningKey)?;
    let card = ContactCard {
        referral_seal: Some(*signing.referral_seal_pair().public_key()),
        ..card.clone()
    };
    sign_card(&card, signing)
}

/// Checks a signed card file against the fingerprint the requester trusts
/// and returns the card. `today` decides expiry (the card is valid through
/// its `valid-until` day); a correctly signed but expired card is
/// [`CardError::Expired`], which still carries the contents.
pub fn verify_card(
    file: &str,
    expected_fingerprint: &str,
    today: CardDate,
) -> Result<ContactCard, CardError> {
    if file.len() > MAX_CARD_BYTES {
        return Err(CardError::TooLarge { max: MAX_CARD_BYTES });
    }
    let parsed = parse_card_file(file)?;
    let key = trusted_key(&parsed.signing_key, parsed.signing_key_line, expected_fingerprint)?;
    let signature = decode_signature(&parsed.signature, parsed.signature_line)?;
    key.verify(
        SignaturePurpose::ContactCard,
        parsed.card.canonical_text().as_bytes(),
        &signature,
    )
    .map_err(|_| CardError::BadSignature)?;
    if today > parsed.card.valid_until {
        return Err(CardError::Expired {
            valid_until: parsed.card.valid_until,
            card: Box::new(parsed.card),
        });
    }
    Ok(parsed.card)
}

struct ParsedCard {
    card: ContactCard,
    signing_key: String,
    signing_key_line: usize,
    signature: String,
    signature_line: usize,
}

/// Lines of a text file with their 1-based numbers; CR LF endings and a
/// leading byte-order mark (as some editors write) are accepted.
fn numbered_lines(file: &str) -> impl Iterator<Item = (usize, &str)> {
    let file = file.strip_prefix('\u{FEFF}').unwrap_or(file);
    file.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(i, line)| (i + 1, line))
}

fn parse_card_file(file: &str) -> Result<ParsedCard, CardError> {
    let mut lines = numbered_lines(file);
    expect_header(&mut lines, CARD_HEADER)?;
    let mut values: Vec<(usize, &'static str, &str)> = Vec::new();
    let mut last_rank = 0;
    let mut end_line = 1;
    for (number, line) in lines {
        end_line = number;
        if line.is_empty() {
            continue;
        }
        if values.last().is_some_and(|(_, key, _)| *key == "signature") {
            return Err(format_error(number, FormatProblem::TrailingText));
        }
        let (key, value) = split_key_value(line, number)?;
        let rank = CARD_KEYS
            .iter()
            .position(|k| *k == key)
            .ok_or_else(|| format_error(number, FormatProblem::UnknownKey(key.chars().take(40).collect())))?;
        let key: &'static str = CARD_KEYS.get(rank).copied().unwrap_or_default();
        let repeats = rank == last_rank && !values.is_empty();
        if rank < last_rank || (repeats && key != "hotline") {
            return Err(format_error(number, FormatProblem::OutOfOrder(key)));
        }
        last_rank = rank;
        values.push((number, key, value));
    }
    let find = |key: &'static str| values.iter().find(|(_, k, _)| *k == key);
    let required =
        |key: &'static str| find(key).ok_or_else(|| format_error(end_line, FormatProblem::Missing(key)));
    let optional = |key: &'static str| find(key).map(|(_, _, value)| (*value).to_owned());
    let hotlines: Vec<String> = values
        .iter()
        .filter(|(_, k, _)| *k == "hotline")
        .map(|(_, _, value)| (*value).to_owned())
        .collect();
    if hotlines.len() > MAX_HOTLINES {
        return Err(format_error(end_line, FormatProblem::TooManyHotlines));
    }
    let (date_line, _, date) = required("valid-until")?;
    let valid_until = CardDate::parse(date).map_err(|error| {
        format_error(
            *date_line,
            FormatProblem::BadValue {
                key: "valid-until",
                reason: error.to_string(),
            },
        )
    })?;
    let referral_seal = match find("referral-seal") {
        None => None,
        Some((number, _, value)) => Some(parse_seal_key(value).ok_or_else(|| {
            format_error(
                *number,
                FormatProblem::BadValue {
                    key: "referral-seal",
                    reason: "must be 64 hex digits".into(),
                },
            )
        })?),
    };
    let card = ContactCard {
        org_name_ar: required("org-name-ar")?.2.to_owned(),
        org_name_en: required("org-name-en")?.2.to_owned(),
        web_address: optional("web"),
        onion_address: optional("onion"),
        hotlines,
        telegram_bot: optional("telegram-bot"),
        referral_seal,
        valid_until,
    };
    if let Err(CardError::BadField { field, problem }) = card.check() {
        let line = values
            .iter()
            .find(|(_, key, _)| *key == field)
            .map_or(end_line, |(number, _, _)| *number);
        return Err(format_error(
            line,
            FormatProblem::BadValue {
                key: field,
                reason: problem,
            },
        ));
    }
    let (signing_key_line, _, signing_key) = required("signing-key")?;
    let (signature_line, _, signature) = required("signature")?;
    Ok(ParsedCard {
        card,
        signing_key: (*signing_key).to_owned(),
        signing_key_line: *signing_key_line,
        signature: (*signature).to_owned(),
        signature_line: *signature_line,
    })
}

/// A referral sealing key as the card writes it: 64 hex digits.
pub fn parse_seal_key(text: &str) -> Option<EncryptionPublicKey> {
    let bytes: [u8; 32] = hex::decode(text).ok()?.try_into().ok()?;
    Some(EncryptionPublicKey::from_bytes(bytes))
}

fn expect_header<'a>(
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    header: &'static str,
) -> Result<(), CardError> {
    match lines.next() {
        Some((_, line)) if line.trim_end() == header => Ok(()),
        _ => Err(format_error(1, FormatProblem::WrongHeader(header))),
    }
}

fn split_key_value(line: &str, number: usize) -> Result<(&str, &str), CardError> {
    line.split_once(": ")
        .ok_or_else(|| format_error(number, FormatProblem::NotKeyValue))
}

pub(crate) fn format_error(line: usize, problem: FormatProblem) -> CardError {
    CardError::Format { line, problem }
}

/// Decodes the public key in a file and checks it against the fingerprint
/// the person trusts.
pub(crate) fn trusted_key(
    hex_key: &str,
    line: usize,
    expected_fingerprint: &str,
) -> Result<VerifyingKey, CardError> {
    let expected = parse_fingerprint(expected_fingerprint)?;
    let bad_key = |reason: &str| {
        format_error(
            line,
            FormatProblem::BadValue {
                key: "signing-key",
                reason: reason.into(),
            },
        )
    };
    let bytes: [u8; 32] = hex::decode(hex_key)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| bad_key("must be 64 hex digits"))?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| bad_key("is not an Ed25519 public key"))?;
    if key.fingerprint().as_bytes() != &expected {
        return Err(CardError::FingerprintMismatch);
    }
    Ok(key)
}

pub(crate) fn decode_signature(hex_signature: &str, line: usize) -> Result<Signature, CardError> {
    hex::decode(hex_signature)
        .ok()
        .and_then(|bytes| Signature::from_bytes(&bytes).ok())
        .ok_or_else(|| {
            format_error(
                line,
                FormatProblem::BadValue {
                    key: "signature",
                    reason: "is not a mamar signature".into(),
                },
            )
        })
}

/// Reads a fingerprint as a person may give it: 64 hex digits (any case,
/// with or without spaces or colons), the text of the fingerprint QR code,
/// or the fingerprint words in English or Arabic.
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], CardError> {
    let text = text.trim();
    if text.len() > 4096 {
        return Err(CardError::BadFingerprintText("it is far too long".into()));
    }
    let text = text.strip_prefix(FINGERPRINT_PREFIX).unwrap_or(text);
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':' && *c != '-')
        .collect();
    if compact.len() == 64 && compact.bytes().all(|b| b.is_ascii_hexdigit()) {
        let mut bytes = [0u8; 32];
        return hex::decode_to_slice(&compact, &mut bytes)
            .map(|()| bytes)
            .map_err(|_| CardError::BadFingerprintText("not hex".into()));
    }
    let tokens = fold(text);
    let Some(first) = tokens.first() else {
        return Err(CardError::BadFingerprintText("nothing was given".into()));
    };
    if tokens.len() == 1 && first.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(CardError::BadFingerprintText(format!(
            "{} hex digits were given",
            compact.len()
        )));
    }
    let list = word_list(script_locale(first));
    let bytes = list
        .decode_words(text, 32)
        .map_err(|error| CardError::BadFingerprintText(words_problem(&error)))?;
    let mut fingerprint = [0u8; 32];
    if bytes.len() == fingerprint.len() {
        fingerprint.copy_from_slice(&bytes);
    }
    Ok(fingerprint)
}

fn words_problem(error: &WordsError) -> String {
    match error {
        WordsError::UnknownWord { position } => format!("word {position} is not a fingerprint word"),
        other => other.to_string(),
    }
}

/// The fingerprint as words of the `locale` codename list (20 words, each
/// carrying 12.9 bits; see `mamar_core::codename::wordlist`).
pub fn fingerprint_words(fingerprint: &Fingerprint, locale: Locale) -> String {
    word_list(locale).encode_bytes(fingerprint.as_bytes()).join(" ")
}

/// The text a fingerprint QR code holds: `mamar-fingerprint:` then 64
/// lower-case hex digits. [`parse_fingerprint`] reads it back.
pub fn fingerprint_qr_text(fingerprint: &Fingerprint) -> String {
    format!("{FINGERPRINT_PREFIX}{}", hex::encode(fingerprint.as_bytes()))
}

/// Signs a reply to a requester (reply purpose: a reply signature can never
/// pass for a contact card, nor the other way round).
pub fn sign_reply(key: &SigningKey, message: &[u8]) -> Signature {
    key.sign(SignaturePurpose::Reply, message)
}

/// Checks a reply signature made by [`sign_reply`].
pub fn verify_reply(key: &VerifyingKey, message: &[u8], signature: &Signature) -> Result<(), CardError> {
    key.verify(SignaturePurpose::Reply, message, signature)
        .map_err(|_: CryptoError| CardError::BadSignature)
}

/// The reply text as signed: LF line endings, no trailing newlines.
fn reply_message(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end_matches('\n').to_owned()
}

/// A reply as a self-contained signed text block that a requester can copy
/// and check offline with `mamar verify --reply`.
pub fn signed_reply_text(key: &SigningKey, text: &str) -> String {
    let message = reply_message(text);
    let signature = sign_reply(key, message.as_bytes());
    format!(
        "{REPLY_HEADER}\nsigning-key: {}\nsignature: {}\n\n{message}\n",
        hex::encode(key.verifying_key().to_bytes()),
        hex::encode(signature.to_bytes())
    )
}

/// Checks a signed reply block against the trusted fingerprint and returns
/// the reply text.
pub fn verify_reply_text(block: &str, expected_fingerprint: &str) -> Result<String, CardError> {
    if block.len() > MAX_REPLY_BYTES {
        return Err(CardError::TooLarge { max: MAX_REPLY_BYTES });
    }
    let block = block.strip_prefix('\u{FEFF}').unwrap_or(block);
    let mut lines = numbered_lines(block);
    expect_header(&mut lines, REPLY_HEADER)?;
    let mut fields = Vec::with_capacity(2);
    for expected_key in ["signing-key", "signature"] {
        let (number, line) = lines
            .next()
            .ok_or_else(|| format_error(1, FormatProblem::Missing(expected_key)))?;
        let (key, value) = split_key_value(line, number)?;
        if key != expected_key {
            return Err(format_error(number, FormatProblem::Missing(expected_key)));
        }
        fields.push((number, value));
    }
    match lines.next() {
        Some((_, "")) => {}
        Some((number, _)) => return Err(format_error(number, FormatProblem::NotKeyValue)),
        None => return Err(format_error(3, FormatProblem::Missing("reply text"))),
    }
    let body: Vec<&str> = lines.map(|(_, line)| line).collect();
    let message = reply_message(&body.join("\n"));
    let [(key_line, hex_key), (signature_line, hex_signature)] = fields.as_slice() else {
        return Err(format_error(2, FormatProblem::Missing("signing-key")));
    };
    let key = trusted_key(hex_key, *key_line, expected_fingerprint)?;
    let signature = decode_signature(hex_signature, *signature_line)?;
    verify_reply(&key, message.as_bytes(), &signature)?;
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_become_calendar_dates() {
        let date = |days| CardDate::from_unix_days(days).unwrap().to_string();
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(11_016), "2000-02-29");
        assert_eq!(date(20_780), "2026-11-23");
        assert_eq!(date(2_932_896), "9999-12-31");
        assert_eq!(CardDate::from_unix_days(i64::MAX), None);
        assert_eq!(CardDate::from_unix_days(-800_000), None);
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(CardDate::parse("2028-02-29").unwrap().to_string(), "2028-02-29");
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-00-10",
            "2027-1-01",
            "27-01-01",
            "2027/01/01",
            "",
            "２０２７-01-01",
        ] {
            assert!(CardDate::parse(bad).is_err(), "{bad}");
        }
        assert!(CardDate::parse("2027-01-02").unwrap() > CardDate::parse("2026-12-31").unwrap());
    }
}
