//! `mamar-verify`: the stand-alone verifier a member of the public runs on a
//! computer. It checks a signed contact card or a signed reply against the
//! organisation's fingerprint, offline, with the same code as the server and
//! `mamar verify` (`mamar_verify::report`).
//!
//! Exit codes: 0 valid; 1 not valid (forged, not from the organisation,
//! expired, damaged); 2 could not check (a missing or unreadable file, a
//! wrong option).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Parser};
use mamar_core::Locale;
use mamar_verify::{Checked, Message, language, read_text, report, today};

/// Checks a card or a reply from an organisation that runs mamar, offline.
/// يتحقق من بطاقة اتصال أو رد من منظمة تستخدم ممر، دون اتصال بالإنترنت.
///
/// Exit codes: 0 valid, 1 not valid, 2 could not check.
#[derive(Parser)]
#[command(name = "mamar-verify", version)]
#[command(group(ArgGroup::new("what").required(true).args(["card", "reply"])))]
struct Args {
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
    /// The language of the answer: ar or en [default: the terminal's language, else en].
    #[arg(long, value_name = "ar|en")]
    lang: Option<String>,
}

const COULD_NOT_CHECK: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    let locale = match language(args.lang.as_deref(), |name| std::env::var(name).ok()) {
        Ok(locale) => locale,
        Err(flag) => {
            eprintln!("{}", Message::BadLanguage.with(Locale::En, &flag));
            return ExitCode::from(COULD_NOT_CHECK);
        }
    };
    let (kind, path) = match (args.card, args.reply) {
        (Some(card), _) => (Checked::Card, card),
        (None, Some(reply)) => (Checked::Reply, reply),
        // clap requires one of the two.
        (None, None) => return ExitCode::from(COULD_NOT_CHECK),
    };
    let (text, day) = match read_text(&path, kind.max_bytes()).and_then(|text| today().map(|day| (text, day)))
    {
        Ok(read) => read,
        Err(error) => {
            eprintln!("{}", Message::CannotRead.with(locale, &error.to_string()));
            return ExitCode::from(COULD_NOT_CHECK);
        }
    };
    let answer = report(kind, &text, &args.fingerprint, day, locale);
    for line in &answer.lines {
        println!("{line}");
    }
    if answer.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
