//! `mamar init`: creates the organisation, its keys and its first
//! administrator. Asks for what is missing when run at a terminal; takes
//! everything from flags (and the password from a file or standard input)
//! when run by a script.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use mamar_core::{Locale, Organisation, Username};

use crate::config;
use crate::keys::KdfProfile;

#[derive(clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// The organisation's name in Arabic, as the public will see it.
    #[arg(long, value_name = "NAME")]
    pub org_name_ar: Option<String>,
    /// The organisation's name in English.
    #[arg(long, value_name = "NAME")]
    pub org_name_en: Option<String>,
    /// The language readers see first: ar or en.
    #[arg(long, value_name = "LANG", default_value = "ar")]
    pub default_locale: String,
    /// The first administrator's user name (a pseudonym is wise: it is visible at rest).
    #[arg(long, value_name = "NAME")]
    pub admin_username: Option<String>,
    /// Read the administrator's password from this file ("-" for standard input)
    /// instead of asking for it.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
    /// Password-hashing cost. "test" is cheap and insecure, for automated tests only.
    #[arg(long, value_enum, default_value = "production", hide = true)]
    pub kdf: KdfProfile,
}

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let interactive = std::io::stdin().is_terminal();

    let name_ar = answer(
        args.org_name_ar,
        "--org-name-ar",
        "Organisation name in Arabic",
        interactive,
    )?;
    let name_en = answer(
        args.org_name_en,
        "--org-name-en",
        "Organisation name in English",
        interactive,
    )?;
    let locale: Locale = args.default_locale.parse()?;
    let organisation = Organisation::new(&name_ar, &name_en, locale)?;
    let username = answer(
        args.admin_username,
        "--admin-username",
        "Administrator user name",
        interactive,
    )?;
    let username = Username::parse(&username)?;
    let password = match &args.admin_password_file {
        Some(path) => read_password_file(path)?,
        None if interactive => ask_new_password()?,
        None => bail!("no administrator password: pass --admin-password-file FILE (or - for standard input)"),
    };
    check_password(password.expose_secret(), &username)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        if store.organisation().await?.is_some() {
            store.close().await;
            bail!("mamar is already set up: the organisation exists");
        }
        eprintln!("Creating keys (this takes a few seconds)…");
        let bootstrap = mamar_keys::bootstrap(organisation, username.clone(), &password, &args.kdf.params())?;
        let fingerprint = bootstrap.signing_fingerprint.clone();
        let result = store.initialise(&bootstrap.setup).await;
        store.close().await;
        result?;
        println!("mamar is set up.");
        println!("Administrator: {username}");
        println!("Organisation signing key fingerprint (publish it so people can check your channels):");
        println!("  {fingerprint}");
        println!();
        println!("Next, before anything else: split the recovery secret among trustees, the only way back");
        println!("if the administrators lose their passwords or second factors:");
        println!(
            "  mamar recovery create --admin-username {username} --threshold 3 --shares 5 --out-dir shares"
        );
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn answer(given: Option<String>, flag: &str, prompt: &str, interactive: bool) -> anyhow::Result<String> {
    if let Some(value) = given {
        return Ok(value);
    }
    if !interactive {
        bail!("{flag} is required when mamar init is not run at a terminal");
    }
    eprint!("{prompt}: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the answer")?;
    Ok(line.trim().to_owned())
}

pub fn ask_new_password() -> anyhow::Result<mamar_crypto::Password> {
    let first = rpassword::prompt_password(format!(
        "Administrator password (at least {} characters; a sentence is good): ",
        mamar_core::password::MIN_PASSWORD_CHARS
    ))
    .context("cannot read the password")?;
    let second =
        rpassword::prompt_password("The same password again: ").context("cannot read the password")?;
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(mamar_crypto::Password::new(first))
}

pub fn read_password_file(path: &std::path::Path) -> anyhow::Result<mamar_crypto::Password> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_line(&mut text)
            .context("cannot read the password from standard input")?;
    } else {
        text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the password file {}", path.display()))?;
    }
    let line = text.lines().next().unwrap_or_default().to_owned();
    Ok(mamar_crypto::Password::new(line))
}

/// The staff password rules of `mamar_core::password` (the same as the web
/// pages'): length over composition, not the user name, not repetitive, not
/// on the shipped list of common and breached passwords.
pub fn check_password(password: &str, username: &Username) -> anyhow::Result<()> {
    use mamar_core::password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, PasswordProblem, check_new_password};
    match check_new_password(password, password, username.as_str()) {
        Ok(()) => Ok(()),
        Err(PasswordProblem::TooShort) => {
            bail!("the password is too short: use at least {MIN_PASSWORD_CHARS} characters")
        }
        Err(PasswordProblem::TooLong) => {
            bail!("the password is too long: use at most {MAX_PASSWORD_CHARS} characters")
        }
        Err(problem) => bail!("{problem}: choose another"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_judged_by_length_not_composition() {
        let admin = Username::parse("admin").unwrap();
        assert!(check_password("short", &admin).is_err());
        assert!(check_password("aaaaaaaaaaaaaaaa", &admin).is_err());
        assert!(check_password("password123456", &admin).is_err());
        assert!(check_password("my admin password here", &admin).is_err());
        assert!(check_password("correct horse battery staple", &admin).is_ok());
        assert!(check_password("كلمة مرور طويلة بما يكفي", &admin).is_ok());
        assert!(check_password(&"ab cd ef".repeat(200), &admin).is_err());
    }
}
