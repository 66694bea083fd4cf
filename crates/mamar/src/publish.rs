//! `mamar card publish`: signs the organisation's contact card with its
//! signing key and stores it, so the verification page shows it and anyone
//! can check it offline with `mamar verify`. The card carries the key
//! partners that run their own mamar seal referral files to (`referral-seal`,
//! derived from the signing key).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use mamar_core::Username;
use mamar_crypto::OrgKeyKind;
use mamar_keys::{CardDate, ContactCard, sign_card_with_org_key};

use crate::config;

/// The setting the signed card is stored under (read by the verification page).
pub use mamar_web::CARD_SETTING;

#[derive(clap::Subcommand)]
pub enum CardCommand {
    /// Sign and publish the contact card (replaces the previous one).
    Publish(PublishArgs),
}

#[derive(clap::Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// A holder of the signing key, whose password unlocks it.
    #[arg(long, value_name = "NAME")]
    pub admin_username: String,
    /// That holder's password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
    /// The public web address, https:// then the host name (and a path if any).
    #[arg(long, value_name = "URL", value_parser = https_address)]
    pub web: Option<String>,
    /// The onion address (56 letters then .onion).
    #[arg(long, value_name = "ADDRESS")]
    pub onion: Option<String>,
    /// A hotline number; repeat for several.
    #[arg(long = "hotline", value_name = "NUMBER")]
    pub hotlines: Vec<String>,
    /// The Telegram bot (@name_bot).
    #[arg(long, value_name = "@BOT")]
    pub telegram_bot: Option<String>,
    /// The last day the card may be trusted (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub valid_until: String,
}

/// `--web`: only what its help says, an `https://` address with a host name.
fn https_address(text: &str) -> Result<String, String> {
    let host = text
        .strip_prefix("https://")
        .ok_or("the web address must start with https://")?;
    let name = host.split(['/', '?', '#']).next().unwrap_or_default();
    if name.is_empty() || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "the web address needs a host name after https://, in ASCII (punycode) without spaces".into(),
        );
    }
    Ok(text.to_owned())
}

pub fn run(command: CardCommand) -> anyhow::Result<ExitCode> {
    let CardCommand::Publish(args) = command;
    let config = config::load(&args.common, None)?;
    let username = Username::parse(&args.admin_username)?;
    let password = crate::recovery::password(args.admin_password_file.as_deref(), false)?;
    let valid_until = CardDate::parse(&args.valid_until)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let organisation = store
                .organisation()
                .await?
                .ok_or(mamar_keys::KeyError::NotSetUp)?;
            let (_, keyring) = crate::user::unlock(store.as_ref(), &username, &password).await?;
            let signing = keyring
                .org_key(OrgKeyKind::Signing)
                .ok_or(mamar_keys::KeyError::NotAHolder)?;
            let card = ContactCard {
                org_name_ar: organisation.name_ar().to_owned(),
                org_name_en: organisation.name_en().to_owned(),
                web_address: args.web.clone(),
                onion_address: args.onion.clone(),
                hotlines: args.hotlines.clone(),
                telegram_bot: args.telegram_bot.clone(),
                // Set by the signing: the key partners seal referral files to.
                referral_seal: None,
                valid_until,
            };
            let signed = sign_card_with_org_key(&card, signing)?;
            store.set_setting(CARD_SETTING, signed.as_bytes()).await?;
            Ok::<_, anyhow::Error>(signed)
        }
        .await;
        let result = crate::cmd::audit::record_result(
            store.as_ref(),
            &username,
            mamar_store::audit::Action::CardPublished,
            result,
        )
        .await;
        store.close().await;
        let signed = result?;
        print!("{signed}");
        eprintln!("The contact card is signed and published on the verification page.");
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::https_address;

    #[test]
    fn the_web_address_is_only_what_the_help_says() {
        for good in [
            "https://example.org",
            "https://example.org/safe",
            "https://xn--mgbh0fb.example/",
        ] {
            assert_eq!(https_address(good).as_deref(), Ok(good));
        }
        for bad in [
            "http://example.org",
            "example.org",
            "https://",
            "https:///path",
            "https://exa mple.org",
            "https://مثال.org",
        ] {
            assert!(https_address(bad).is_err(), "{bad}");
        }
    }
}
