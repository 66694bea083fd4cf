//! `mamar verify`: checks a signed contact card or a signed reply offline,
//! against the organisation's fingerprint that the person got from a
//! channel they trust. Exit code 0 only when the signature is good, the key
//! is the one with that fingerprint and (for a card) it has not expired.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow};
use clap::{ArgGroup, Args};
use mamar_core::Locale;
use mamar_keys::{CardDate, CardError, ContactCard, MAX_REPLY_BYTES};
use mamar_web::i18n::Tr;

#[derive(Args)]
#[command(group(ArgGroup::new("what").required(true).args(["card", "reply", "release"])))]
pub struct VerifyArgs {
    /// A signed contact card file (mamar-contact-card v1).
    #[arg(long, value_name = "FILE")]
    card: Option<PathBuf>,
    /// A signed reply saved to a file (mamar-signed-reply v1).
    #[arg(long, value_name = "FILE")]
    reply: Option<PathBuf>,
    /// A signed statistical release, CSV or JSON (mamar-signed-release v1).
    #[arg(long, value_name = "FILE")]
    release: Option<PathBuf>,
    /// The organisation's key fingerprint as published: 64 hex digits
    /// (spaces allowed), the 20 fingerprint words (English or Arabic), or the
    /// text of the fingerprint QR code.
    #[arg(long, value_name = "HEX or WORDS")]
    fingerprint: String,
    /// The language of the answer: ar or en [default: the terminal's language, else en].
    #[arg(long, value_name = "ar|en")]
    lang: Option<String>,
}

/// The reader's language: `--lang`, else the language the terminal runs in.
pub(crate) fn language(flag: Option<&str>) -> anyhow::Result<Locale> {
    if let Some(flag) = flag {
        return flag
            .parse()
            .map_err(|_| anyhow!("--lang must be ar or en, not {flag:?}"));
    }
    let terminal = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_default();
    Ok(if terminal.starts_with("ar") {
        Locale::Ar
    } else {
        Locale::En
    })
}

/// A translated line for the terminal. Fluent isolates its arguments with invisible
/// direction marks, meant for pages; a terminal would print them.
fn line(text: String) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let tr = Tr::new(language(args.lang.as_deref())?);
    if let Some(path) = &args.card {
        let text = read_text(path, mamar_keys::MAX_CARD_BYTES)?;
        let today = today()?;
        Ok(report_card(
            &tr,
            mamar_keys::verify_card(&text, &args.fingerprint, today),
        ))
    } else if let Some(path) = &args.reply {
        let text = read_text(path, MAX_REPLY_BYTES)?;
        Ok(match mamar_keys::verify_reply_text(&text, &args.fingerprint) {
            Ok(reply) => {
                println!("{reply}");
                println!();
                println!("{}", line(tr.t("verify-cli-valid")));
                ExitCode::SUCCESS
            }
            Err(error) => not_valid(&tr, &error),
        })
    } else if let Some(path) = &args.release {
        let text = read_text(path, mamar_keys::MAX_RELEASE_BYTES)?;
        Ok(match mamar_keys::verify_release(&text, &args.fingerprint) {
            Ok((format, body)) => {
                print_release(&tr, format, &body);
                println!("{}", line(tr.t("verify-cli-valid")));
                ExitCode::SUCCESS
            }
            Err(error) => not_valid(&tr, &error),
        })
    } else {
        Err(anyhow!("give --card FILE, --reply FILE or --release FILE"))
    }
}

fn report_card(tr: &Tr, outcome: Result<ContactCard, CardError>) -> ExitCode {
    match outcome {
        Ok(card) => {
            print_card(tr, &card);
            let until = card.valid_until.to_string();
            println!("{}", line(tr.t1("verify-cli-valid-until", "date", until)));
            ExitCode::SUCCESS
        }
        Err(CardError::Expired { valid_until, card }) => {
            print_card(tr, &card);
            let expired = valid_until.to_string();
            println!("{}", line(tr.t1("verify-cli-expired", "date", expired)));
            ExitCode::FAILURE
        }
        // A card that fails its signature is not shown: its numbers are
        // exactly what a forger wants read.
        Err(error) => not_valid(tr, &error),
    }
}

fn not_valid(tr: &Tr, error: &CardError) -> ExitCode {
    let text = match error {
        CardError::FingerprintMismatch => tr.t("verify-cli-not-from-organisation"),
        CardError::BadSignature => tr.t("verify-cli-forged"),
        CardError::BadFingerprintText(_) => tr.t("verify-cli-bad-fingerprint"),
        other => tr.t1("verify-cli-damaged", "detail", other.to_string()),
    };
    println!("{}", line(text));
    ExitCode::FAILURE
}

fn print_card(tr: &Tr, card: &ContactCard) {
    let field = |key: &str, value: &str| println!("{}: {value}", tr.t(key));
    field("verify-cli-org-ar", &card.org_name_ar);
    field("verify-cli-org-en", &card.org_name_en);
    if let Some(web) = &card.web_address {
        field("verify-cli-web", web);
    }
    if let Some(onion) = &card.onion_address {
        field("verify-cli-onion", onion);
    }
    for hotline in &card.hotlines {
        field("verify-cli-hotline", hotline);
    }
    if let Some(bot) = &card.telegram_bot {
        field("verify-cli-telegram", bot);
    }
    if let Some(key) = &card.referral_seal {
        let hex: String = key.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        field("verify-cli-referral-seal", &hex);
    }
    field("verify-cli-valid-until-field", &card.valid_until.to_string());
}

/// What a verified release says: for JSON its organisation, number, dates
/// and tables; a CSV is printed as it was signed.
fn print_release(tr: &Tr, format: mamar_keys::ReleaseFormat, body: &str) {
    let field = |key: &str, value: &str| println!("{}: {value}", tr.t(key));
    match (format, mamar_registry::Published::from_json(body)) {
        (mamar_keys::ReleaseFormat::Json, Ok(release)) => {
            field("verify-cli-org-ar", &release.organisation_ar);
            field("verify-cli-org-en", &release.organisation_en);
            field("verify-cli-release", &release.number.to_string());
            field("verify-cli-release-date", &release.date);
            field("verify-cli-release-period", &release.release.period);
            field(
                "verify-cli-release-tables",
                &release.release.tables.len().to_string(),
            );
            field("verify-cli-release-note", &release.note);
        }
        _ => println!("{body}"),
    }
}

/// Reads a file as UTF-8, refusing oversized ones before reading them whole.
fn read_text(path: &Path, max: usize) -> anyhow::Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > max as u64 {
        return Err(anyhow!(
            "{} is larger than {max} bytes: not a mamar file",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|error| {
        anyhow!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            error.utf8_error().valid_up_to()
        )
    })
}

/// Today's date in UTC from the system clock.
fn today() -> anyhow::Result<CardDate> {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is set before 1970")?
        .as_secs();
    let days = i64::try_from(seconds / 86_400).context("the system clock is out of range")?;
    CardDate::from_unix_days(days).ok_or_else(|| anyhow!("the system clock is out of range"))
}
