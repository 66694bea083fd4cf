//! `mamar verify`: checks a signed contact card or a signed reply offline,
//! against the organisation's fingerprint that the person got from a
//! channel they trust. Exit code 0 only when the signature is good, the key
//! is the one with that fingerprint and (for a card) it has not expired.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use clap::{ArgGroup, Args};
use mamar_core::Locale;
use mamar_verify::{Checked, Message};

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

/// The reader's language: `--lang`, else the language the terminal runs in
/// (the stand-alone verifier's rule, shared).
pub(crate) fn language(flag: Option<&str>) -> anyhow::Result<Locale> {
    mamar_verify::language(flag, |name| std::env::var(name).ok())
        .map_err(|flag| anyhow!("--lang must be ar or en, not {flag:?}"))
}

/// Cards and replies are answered by `mamar_verify::report`, the function the
/// stand-alone `mamar-verify` answers with; releases (which only this command
/// checks) in the same words.
pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let locale = language(args.lang.as_deref())?;
    let checked = match (&args.card, &args.reply) {
        (Some(card), _) => Some((Checked::Card, card)),
        (None, Some(reply)) => Some((Checked::Reply, reply)),
        (None, None) => None,
    };
    if let Some((kind, path)) = checked {
        let text = mamar_verify::read_text(path, kind.max_bytes())?;
        let answer = mamar_verify::report(kind, &text, &args.fingerprint, mamar_verify::today()?, locale);
        for line in &answer.lines {
            println!("{line}");
        }
        return Ok(if answer.valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let Some(path) = &args.release else {
        return Err(anyhow!("give --card FILE, --reply FILE or --release FILE"));
    };
    let text = mamar_verify::read_text(path, mamar_keys::MAX_RELEASE_BYTES)?;
    Ok(match mamar_keys::verify_release(&text, &args.fingerprint) {
        Ok((format, body)) => {
            print_release(locale, format, &body);
            println!("{}", Message::Valid.text(locale));
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("{}", mamar_verify::refusal(&error, locale));
            ExitCode::FAILURE
        }
    })
}

/// What a verified release says: for JSON its organisation, number, dates
/// and tables; a CSV is printed as it was signed.
fn print_release(locale: Locale, format: mamar_keys::ReleaseFormat, body: &str) {
    let field = |label: Message, value: &str| println!("{}: {value}", label.text(locale));
    match (format, mamar_registry::Published::from_json(body)) {
        (mamar_keys::ReleaseFormat::Json, Ok(release)) => {
            field(Message::OrgAr, &release.organisation_ar);
            field(Message::OrgEn, &release.organisation_en);
            field(Message::Release, &release.number.to_string());
            field(Message::ReleaseDate, &release.date);
            field(Message::ReleasePeriod, &release.release.period);
            field(Message::ReleaseTables, &release.release.tables.len().to_string());
            field(Message::ReleaseNote, &release.note);
        }
        _ => println!("{body}"),
    }
}
