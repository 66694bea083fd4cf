//! `mamar audit checkpoint` and `mamar audit verify`: signed checkpoints of
//! the tamper-evident audit log, and a check of the whole log against its
//! chain and against checkpoints kept away from the server. Also the
//! helpers the other operator commands use to record what they did.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use mamar_audit::{Break, Checkpoint, SignedCheckpoint, Verifier};
use mamar_core::Username;
use mamar_crypto::{OrgKey, OrgKeyKind, OrgPublicKey, StaffKeyPair, VerifyingKey};
use mamar_keys::KeyError;
use mamar_store::Store;
use mamar_store::audit::{self, Action, Outcome};

use crate::config;

/// The exit code of `mamar audit verify` when the log is broken (1 is any other failure).
pub const BROKEN: u8 = 2;

/// Entries read per page while verifying.
const PAGE: u32 = 10_000;

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Sign the log's newest entry with the organisation's signing key and
    /// print the checkpoint. Keep copies away from the server.
    Checkpoint(CheckpointArgs),
    /// Check the whole log and every checkpoint; name the first break.
    Verify(VerifyArgs),
}

#[derive(clap::Args)]
pub struct CheckpointArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// A holder of the signing key, whose password unlocks it.
    #[arg(long, value_name = "NAME")]
    pub admin_username: String,
    /// The administrator's password from a file ("-" for standard input); asked for otherwise.
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
    /// Write the checkpoint to this new file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub common: config::Overrides,
    /// A checkpoint kept away from the server (from `mamar audit checkpoint`); repeat for several.
    #[arg(long = "checkpoint", value_name = "FILE")]
    pub checkpoints: Vec<PathBuf>,
    /// Trust only the signing key with this fingerprint (the published one: hex, words or QR
    /// text). Without it the keys in the database are trusted; after a panic there are none.
    #[arg(long, value_name = "FINGERPRINT")]
    pub fingerprint: Option<String>,
}

pub fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Checkpoint(args) => checkpoint(args),
        AuditCommand::Verify(args) => verify(args),
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn checkpoint(args: CheckpointArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let username = Username::parse(&args.admin_username)?;
    let password = crate::recovery::password(args.admin_password_file.as_deref(), false)?;
    if let Some(out) = &args.out
        && out.exists()
    {
        bail!("{} exists already: choose a new file", out.display());
    }
    let signed = runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = async {
            let staff = store.staff_by_username(&username).await?;
            let actor = staff.as_ref().map(|s| s.id);
            let signing = async {
                let staff = staff.ok_or(KeyError::WrongCredentials)?;
                let keys = StaffKeyPair::unwrap_with_password(&staff.wrapped_secret_keys, &password)
                    .map_err(|_| KeyError::WrongCredentials)?;
                let mut signing: Option<OrgKey> = None;
                for grant in store.org_key_grants(staff.id).await? {
                    let key = OrgKey::unwrap(&grant.wrapped, &keys)?;
                    if key.kind() == OrgKeyKind::Signing
                        && signing.as_ref().is_none_or(|s| s.generation() < key.generation())
                    {
                        signing = Some(key);
                    }
                }
                signing.ok_or(KeyError::NotAHolder)
            }
            .await;
            let signing = match signing {
                Ok(key) => key,
                Err(error) => {
                    let outcome = outcome_of(&error);
                    audit::record(store.as_ref(), actor, Action::AuditCheckpoint, None, outcome)
                        .await
                        .ok();
                    return Err(error.into());
                }
            };
            let key = signing.signing().ok_or(KeyError::NotAHolder)?;
            // The checkpoint covers its own entry: taking it is on the record it signs.
            let head =
                audit::record(store.as_ref(), actor, Action::AuditCheckpoint, None, Outcome::Ok).await?;
            let signed = Checkpoint {
                seq: head.seq,
                head: head.hash,
                at: audit::now(),
            }
            .sign(key);
            store.add_audit_checkpoint(&signed).await?;
            Ok::<_, anyhow::Error>(signed)
        }
        .await;
        store.close().await;
        result
    })?;
    let text = signed.to_text();
    match &args.out {
        Some(out) => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write {}", out.display()))?;
        }
        None => print!("{text}"),
    }
    eprintln!(
        "Checkpoint of audit entry {} signed and stored. Keep a copy away from the server: \
         `mamar audit verify --checkpoint FILE` then proves the log up to that entry.",
        signed.checkpoint.seq
    );
    Ok(ExitCode::SUCCESS)
}

/// Denied for refused credentials or keys, failed otherwise.
fn outcome_of(error: &KeyError) -> Outcome {
    match error {
        KeyError::WrongCredentials
        | KeyError::NotAHolder
        | KeyError::NotAssigned
        | KeyError::NotAnAdministrator
        | KeyError::NoBreakGlassShare { .. }
        | KeyError::BreakGlassSharesDoNotMatch => Outcome::Denied,
        _ => Outcome::Failed,
    }
}

fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let config = config::load(&args.common, None)?;
    let expected = args
        .fingerprint
        .as_deref()
        .map(mamar_keys::parse_fingerprint)
        .transpose()?;
    let mut from_files = Vec::new();
    for path in &args.checkpoints {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let checkpoint = SignedCheckpoint::from_text(&text)
            .with_context(|| format!("{} is not a mamar audit checkpoint", path.display()))?;
        from_files.push(checkpoint);
    }
    let outcome = runtime()?.block_on(async {
        let store = crate::serve::open_store(&config).await?;
        let result = verify_store(store.as_ref(), &from_files, expected).await;
        store.close().await;
        result
    })?;
    match outcome {
        Ok(report) => {
            let head = report.head.map_or_else(|| "none".to_owned(), |h| h.to_hex());
            println!(
                "The audit log is intact: {} entries, head {head}; {} checkpoints checked ({} from files).",
                report.entries,
                report.checkpoints,
                from_files.len()
            );
            if from_files.is_empty() {
                eprintln!(
                    "No checkpoint kept elsewhere was given: a log rewritten from the start would pass. \
                     Pass --checkpoint FILE."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(found) => {
            eprintln!("mamar: the audit log is broken: {found}");
            Ok(ExitCode::from(BROKEN))
        }
    }
}

/// What the verification found: the report, or the first break as one line.
type Verdict = Result<mamar_audit::Verified, String>;

async fn verify_store(
    store: &dyn Store,
    from_files: &[SignedCheckpoint],
    expected: Option<[u8; 32]>,
) -> anyhow::Result<Verdict> {
    let mut checkpoints = store.audit_checkpoints().await?;
    checkpoints.extend_from_slice(from_files);
    let keys = trusted_keys(store, &checkpoints, expected).await?;
    let mut verifier = match Verifier::new(&checkpoints, &keys) {
        Ok(verifier) => verifier,
        Err(found) => return Ok(Err(found.to_string())),
    };
    let mut after = 0;
    while !verifier.is_settled() {
        let page = match store.audit_entries(after, PAGE).await {
            Ok(page) => page,
            Err(mamar_store::StoreError::Corrupt(_)) => {
                // A row holds a value mamar never writes. Go one by one up to it,
                // so that an earlier break is still named first.
                return Ok(unreadable_row(store, verifier, after).await);
            }
            Err(error) => return Err(error.into()),
        };
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            verifier.push(entry);
        }
    }
    Ok(verifier.finish().map_err(|found: Break| found.to_string()))
}

async fn unreadable_row(store: &dyn Store, mut verifier: Verifier, mut after: u64) -> Verdict {
    loop {
        match store.audit_entries(after, 1).await {
            Ok(page) => {
                let Some(entry) = page.first() else {
                    return verifier.finish().map_err(|found| found.to_string());
                };
                verifier.push(entry);
                after = entry.seq;
            }
            Err(error) => {
                // Feed nothing more: if the chain broke before this row, that break comes first.
                let unreadable = match error {
                    mamar_store::StoreError::Corrupt(what) => what,
                    other => other.to_string(),
                };
                return match verifier.finish() {
                    Ok(_) => Err(unreadable),
                    Err(Break::Truncated { .. }) => Err(unreadable),
                    Err(found) => Err(found.to_string()),
                };
            }
        }
    }
}

/// The organisation signing keys a checkpoint may be signed with: every
/// generation in the database, or, with `expected`, only the key with that
/// fingerprint (found in the database or in the checkpoints themselves).
async fn trusted_keys(
    store: &dyn Store,
    checkpoints: &[SignedCheckpoint],
    expected: Option<[u8; 32]>,
) -> anyhow::Result<Vec<VerifyingKey>> {
    let mut keys = Vec::new();
    for bytes in store.org_public_keys(OrgKeyKind::Signing.code()).await? {
        let public =
            OrgPublicKey::from_bytes(&bytes).context("the database holds an unreadable signing key")?;
        if let Some(key) = public.signing() {
            keys.push(*key);
        }
    }
    let Some(expected) = expected else {
        if keys.is_empty() && !checkpoints.is_empty() {
            bail!(
                "the database holds no organisation signing key (after a panic it holds none): \
                 pass --fingerprint with the published fingerprint to check the checkpoints"
            );
        }
        return Ok(keys);
    };
    keys.extend(
        checkpoints
            .iter()
            .filter_map(|c| VerifyingKey::from_bytes(&c.organisation_key()).ok()),
    );
    keys.retain(|key| key.fingerprint().as_bytes() == &expected);
    keys.dedup();
    if keys.is_empty() && !checkpoints.is_empty() {
        bail!("no checkpoint and no key in the database has the fingerprint you gave");
    }
    Ok(keys)
}

/// Records what an operator command did, once its outcome is known: `Ok`,
/// `Denied` (wrong credentials, not a key holder) or `Failed`. The actor is
/// the staff member named `username`, if there is one. An action that was
/// carried out is never undone or hidden because recording it failed: the
/// failure is printed as a warning.
pub async fn record_result<T, E>(
    store: &dyn Store,
    username: &Username,
    action: Action,
    result: Result<T, E>,
) -> anyhow::Result<T>
where
    E: Into<anyhow::Error>,
{
    let result = result.map_err(Into::into);
    let actor = store
        .staff_by_username(username)
        .await
        .ok()
        .flatten()
        .map(|staff| staff.id);
    let outcome = match &result {
        Ok(_) => Outcome::Ok,
        Err(error) => match error.downcast_ref::<KeyError>() {
            Some(key_error) => outcome_of(key_error),
            None => Outcome::Failed,
        },
    };
    if let Err(error) = audit::record(store, actor, action, None, outcome).await {
        eprintln!("mamar: warning: the audit log could not record this: {error}");
    }
    result
}

/// Records the panic action before it runs. The entry holds no key, so it
/// survives the panic; a failure to record never stops the panic.
pub async fn before_panic(store: &dyn Store) {
    if let Err(error) = audit::record(store, None, Action::Panic, None, Outcome::Ok).await {
        eprintln!("mamar: warning: the audit log could not record the panic: {error}");
    }
}
