//! `mamar verify`: checks a signed contact card or a signed reply offline,
//! against the organisation's fingerprint that the person got from a
//! channel they trust. Exit code 0 only when the signature is good, the key
//! is the one with that fingerprint and (for a card) it has not expired.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow};
use clap::{ArgGroup, Args};
use mamar_keys::{CardDate, CardError, ContactCard, MAX_REPLY_BYTES};

#[derive(Args)]
#[command(group(ArgGroup::new("what").required(true).args(["card", "reply"])))]
pub struct VerifyArgs {
    /// A signed contact card file (mamar-contact-card v1).
    #[arg(long, value_name = "FILE")]
    card: Option<PathBuf>,
    /// A signed reply saved to a file (mamar-signed-reply v1).
    #[arg(long, value_name = "FILE")]
    reply: Option<PathBuf>,
    /// The organisation's key fingerprint as published: 64 hex digits
    /// (spaces allowed), the 20 fingerprint words (English or Arabic), or the
    /// text of the fingerprint QR code.
    #[arg(long, value_name = "HEX or WORDS")]
    fingerprint: String,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.card {
        let text = read_text(path, mamar_keys::MAX_CARD_BYTES)?;
        let today = today()?;
        Ok(report_card(mamar_keys::verify_card(
            &text,
            &args.fingerprint,
            today,
        )))
    } else if let Some(path) = &args.reply {
        let text = read_text(path, MAX_REPLY_BYTES)?;
        Ok(match mamar_keys::verify_reply_text(&text, &args.fingerprint) {
            Ok(reply) => {
                println!("{reply}");
                println!();
                println!("VALID: signed by the key with this fingerprint");
                ExitCode::SUCCESS
            }
            Err(error) => not_valid(&error),
        })
    } else {
        Err(anyhow!("give --card FILE or --reply FILE"))
    }
}

fn report_card(outcome: Result<ContactCard, CardError>) -> ExitCode {
    match outcome {
        Ok(card) => {
            print_card(&card);
            println!(
                "VALID: signed by the key with this fingerprint, valid until {}",
                card.valid_until
            );
            ExitCode::SUCCESS
        }
        Err(CardError::Expired { valid_until, card }) => {
            print_card(&card);
            println!("NOT VALID: the card expired on {valid_until}; ask the organisation for a current one");
            ExitCode::FAILURE
        }
        // A card that fails its signature is not shown: its numbers are
        // exactly what a forger wants read.
        Err(error) => not_valid(&error),
    }
}

fn not_valid(error: &CardError) -> ExitCode {
    println!("NOT VALID: {error}");
    ExitCode::FAILURE
}

fn print_card(card: &ContactCard) {
    println!("Organisation (ar): {}", card.org_name_ar);
    println!("Organisation (en): {}", card.org_name_en);
    if let Some(web) = &card.web_address {
        println!("Web:               {web}");
    }
    if let Some(onion) = &card.onion_address {
        println!("Onion:             {onion}");
    }
    for hotline in &card.hotlines {
        println!("Hotline:           {hotline}");
    }
    if let Some(bot) = &card.telegram_bot {
        println!("Telegram bot:      {bot}");
    }
    println!("Valid until:       {}", card.valid_until);
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
