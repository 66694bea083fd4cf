//! `mamar referral export` and `mamar referral import`: referrals to and
//! from partner organisations that run their own mamar, as signed, sealed
//! files (the rules are `mamar_usecases::referral_files`). Both work for a
//! staff member on the server itself, whose password unlocks their keys, as
//! `mamar card publish` does.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use mamar_core::Username;
use mamar_core::case::CaseReference;
use mamar_crypto::Keyring;
use mamar_store::{StaffRecord, Store};
use mamar_usecases::Caller;
use mamar_usecases::referral_files::{self, Imported};

use crate::config;
use crate::retention::now;

#[derive(clap::Subcommand)]
pub enum ReferralCommand {
    /// Write a referral to a partner that runs its own mamar as a file, signed by the
    /// organisation and sealed to the partner's key; only fields the person consented to.
    Export(ExportArgs),
    /// Import a partner's referral file (it becomes a case, and an acknowledgement file is
    /// written to send back) or a partner's acknowledgement of a referral we sent.
    Import(ImportArgs),
    /// Replace a registered partner's contact card by its newer card, signed by the same key
    /// (for instance one that now carries the key referral files are sealed to).
    PartnerCard(PartnerCardArgs),
}

#[derive(clap::Args)]
pub struct Login {
    /// Your user name (a holder of the organisation's signing key).
    #[arg(long, value_name = "NAME")]
    pub username: String,
    /// Your password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    #[command(flatten)]
    pub login: Login,
    /// The case: its nine-digit reference, or the id in its page's address.
    #[arg(long, value_name = "REF")]
    pub case: String,
    /// The partner: its English or Arabic name as registered, or its fingerprint.
    #[arg(long, value_name = "NAME")]
    pub partner: String,
    /// A field to share (name, birth-year, phone, governorate, urgency); repeat for several.
    #[arg(long = "field", value_name = "FIELD", required = true)]
    pub fields: Vec<String>,
    /// Where to write the file (it must not exist yet).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    #[command(flatten)]
    pub login: Login,
    /// The referral file or acknowledgement received from the partner.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Decline the referral: no case is opened, nothing of it is kept, and the
    /// acknowledgement says so.
    #[arg(long)]
    pub decline: bool,
    /// Where to write the acknowledgement of a referral [default: FILE.ack].
    #[arg(long, value_name = "FILE")]
    pub ack_out: Option<PathBuf>,
    /// Accept a file made up to this many days ago (at most 365); an older one is refused.
    #[arg(long, value_name = "DAYS", default_value_t = mamar_keys::DEFAULT_MAX_FILE_AGE_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(mamar_keys::MAX_FILE_AGE_LIMIT_DAYS)))]
    pub max_age_days: u32,
}

#[derive(clap::Args)]
pub struct PartnerCardArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    #[command(flatten)]
    pub login: Login,
    /// The partner: its English or Arabic name as registered, or its fingerprint.
    #[arg(long, value_name = "NAME")]
    pub partner: String,
    /// The partner's new signed contact card.
    #[arg(long, value_name = "FILE")]
    pub card: PathBuf,
}

/// The staff member's account and keys, unlocked with their password.
async fn unlock(store: &dyn Store, login: &Login) -> anyhow::Result<(StaffRecord, Keyring)> {
    let username = Username::parse(&login.username)?;
    let password = match &login.password_file {
        Some(path) => crate::init::read_password_file(path)?,
        None => crate::recovery::password(None, false).map_err(|_| {
            anyhow::anyhow!("no password: pass --password-file FILE (or - for standard input)")
        })?,
    };
    store
        .organisation()
        .await?
        .ok_or(mamar_keys::KeyError::NotSetUp)?;
    crate::user::unlock(store, &username, &password).await
}

/// Writes `text` to a new file readable by its owner only.
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    crate::recovery::write_private(path, text.as_bytes())
}

pub fn run(command: ReferralCommand) -> anyhow::Result<ExitCode> {
    match command {
        ReferralCommand::Export(args) => export(args),
        ReferralCommand::Import(args) => import(args),
        ReferralCommand::PartnerCard(args) => partner_card(args),
    }
}

fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let case_id = parse_case_id(&args.case);
    let reference = match case_id {
        Some(_) => None,
        None => Some(CaseReference::parse(&args.case).context("--case is not a case reference")?),
    };
    if args.out.exists() {
        bail!("{} exists already: choose another --out", args.out.display());
    }
    crate::backup::runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let (staff, keyring) = unlock(store.as_ref(), &args.login).await?;
            let caller = Caller {
                staff: &staff,
                keyring: &keyring,
            };
            let case = match (case_id, &reference) {
                (Some(id), _) => Some(id),
                (None, Some(reference)) => store.case_by_reference(&reference.stored()).await?,
                (None, None) => None,
            }
            .ok_or(mamar_usecases::CaseError::NotFound)?;
            let partner = find_partner(store.as_ref(), &args.partner).await?;
            let fields: Vec<&str> = args.fields.iter().map(String::as_str).collect();
            let exported =
                referral_files::export_referral(store.as_ref(), &caller, &case, &partner.id, &fields, now())
                    .await?;
            write_new(&args.out, &exported.file)?;
            Ok::<_, anyhow::Error>(partner.name_en)
        }
        .await;
        store.close().await;
        let partner = result?;
        println!(
            "The referral for {partner} is in {}: signed by the organisation and sealed to {partner}'s key. \
             Send it by any channel; import their acknowledgement with mamar referral import.",
            args.out.display()
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// A case id as the case page's address shows it: 32 hex digits.
fn parse_case_id(text: &str) -> Option<[u8; 16]> {
    let text = text.trim();
    if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut id = [0u8; 16];
    for (i, byte) in id.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(id)
}

async fn find_partner(store: &dyn Store, name: &str) -> anyhow::Result<mamar_store::PartnerRecord> {
    let name = name.trim();
    let fingerprint = mamar_keys::parse_fingerprint(name).ok();
    let found: Vec<_> = store
        .partners()
        .await?
        .into_iter()
        .filter(|p| {
            p.name_en == name
                || p.name_ar == name
                || fingerprint.is_some_and(|f| f.as_slice() == p.fingerprint.as_slice())
        })
        .collect();
    match <[_; 1]>::try_from(found) {
        Ok([partner]) => Ok(partner),
        Err(found) if found.is_empty() => bail!("no registered partner is called {name:?}"),
        Err(_) => bail!("several partners are called {name:?}: give the fingerprint instead"),
    }
}

fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let questionnaire = match &config.questionnaire_file {
        Some(path) => crate::serve::load_questionnaire(path)?,
        None => mamar_core::questionnaire::Questionnaire::default_shipped(),
    };
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?
        .len();
    if size > mamar_keys::MAX_REFERRAL_FILE_BYTES as u64 {
        bail!("{} is too large to be a referral file", args.file.display());
    }
    let text = std::fs::read_to_string(&args.file)
        .map_err(|_| mamar_keys::ReferralFileError::Malformed("the file is not text"))?;
    let ack_out = args.ack_out.clone().unwrap_or_else(|| {
        let mut name = args.file.clone().into_os_string();
        name.push(".ack");
        PathBuf::from(name)
    });
    crate::backup::runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let (staff, keyring) = unlock(store.as_ref(), &args.login).await?;
            let caller = Caller {
                staff: &staff,
                keyring: &keyring,
            };
            if ack_out.exists() {
                bail!("{} exists already: choose another --ack-out", ack_out.display());
            }
            let imported = referral_files::import_file_with_max_age(
                store.as_ref(),
                &questionnaire,
                &caller,
                &text,
                args.decline,
                args.max_age_days,
                now(),
            )
            .await?;
            if let Imported::Referral { acknowledgement, .. } = &imported {
                write_new(&ack_out, acknowledgement)?;
            }
            Ok::<_, anyhow::Error>(imported)
        }
        .await;
        store.close().await;
        match result? {
            Imported::Referral {
                partner,
                case: Some(case),
                ..
            } => {
                println!(
                    "A referral from {partner} is now case {} (yours).{} Send {} back to {partner}.",
                    case.reference,
                    match case.possible_duplicates {
                        0 => String::new(),
                        n => format!(" {n} other case(s) may be the same person: see the case page."),
                    },
                    ack_out.display()
                );
            }
            Imported::Referral {
                partner, case: None, ..
            } => println!(
                "The referral from {partner} is declined and nothing of it is kept. Send {} back to {partner}.",
                ack_out.display()
            ),
            Imported::Acknowledgement {
                partner,
                referral,
                status,
            } => println!(
                "{partner} {} the referral {} (recorded on the case).",
                if status == mamar_core::partner::ReferralStatus::Accepted {
                    "accepted"
                } else {
                    "declined"
                },
                referral.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn partner_card(args: PartnerCardArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let card = std::fs::read_to_string(&args.card)
        .with_context(|| format!("cannot read the card {}", args.card.display()))?;
    let today = mamar_keys::CardDate::from_unix_days(now().div_euclid(86_400))
        .context("the clock is outside the years a card can name")?;
    crate::backup::runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let (staff, keyring) = unlock(store.as_ref(), &args.login).await?;
            let caller = Caller {
                staff: &staff,
                keyring: &keyring,
            };
            let partner = find_partner(store.as_ref(), &args.partner).await?;
            mamar_usecases::partners::renew_partner_card(store.as_ref(), &caller, &partner.id, &card, today)
                .await?;
            Ok::<_, anyhow::Error>(partner.name_en)
        }
        .await;
        store.close().await;
        let partner = result?;
        println!("The card of {partner} is replaced; its confirmed fingerprint is unchanged.");
        Ok(ExitCode::SUCCESS)
    })
}
