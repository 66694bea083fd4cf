//! Exporting a case to a file, with a second person (threat model A3:
//! exporting data needs a second authorised person who did not ask).
//!
//! Someone leading the case asks with a written reason ([`request_export`]);
//! a second person on the case who did not ask grants it ([`super::decide`]),
//! which writes the grant under the case key (who asked, until when: the
//! approval's own expiry). Then the person who asked, and only they, may
//! download it once, before that time ([`download_export`]): the case's
//! records that their duties let them read, never more, as one UTF-8 text
//! (a README in their language, then the records as JSON) encrypted with
//! age to a passphrase they type when downloading. The passphrase is used
//! once to encrypt and kept nowhere; the file opens with any age
//! implementation (`age -d`). Asked, granted and downloaded are audit
//! entries (`export_requested`, `export_granted`, `export_downloaded`),
//! never the content. A frozen case exports nothing; a closed case may be
//! exported (a read).

use std::io::Write;

use mamar_core::Locale;
use mamar_core::case::ExportGrant;
use mamar_core::case::machine::{Command, Effect};
use mamar_core::questionnaire::Questionnaire;
use mamar_store::{NewCaseRecord, Store};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::act::{Extra, WithReason, ask_with_reason, commit, event};
use super::{Loaded, load, random_id};
use crate::config::CaseConfig;
use crate::records::{self, Identity, Message, Note};
use crate::{Caller, CaseError};

/// The record of a granted export (written with the second person's grant).
pub const EXPORT_GRANT: &str = "case.export-grant";
/// The record of a download: the grant it used up.
pub const EXPORT_DONE: &str = "case.export-done";

/// The shortest passphrase an export is encrypted to, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// The longest, in characters.
pub const MAX_PASSPHRASE_CHARS: usize = 1_024;

/// The age scrypt work factor (log2 of N) of exports: about a second on a
/// server core, and 256 MiB of memory while it runs.
pub const EXPORT_WORK_FACTOR: u8 = 18;

/// The format named inside every export.
pub const EXPORT_FORMAT: &str = "mamar-case-export/1";

/// The line between the README and the JSON inside an export.
pub const JSON_MARKER: &str = "----- JSON -----";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct GrantRecord {
    /// The approval granted (hex).
    approval: String,
    /// Who asked: the only person who may download it (hex).
    asked_by: String,
    granted_by: String,
    at: i64,
    expires_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct DoneRecord {
    /// The approval whose grant this download used up (hex).
    approval: String,
    at: i64,
}

/// An export the caller may download now (for the case page's link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOffer {
    pub expires_at: i64,
}

/// The encrypted file, ready to send.
pub struct ExportFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What the channel gives an export beyond the passphrase: the README in
/// the asker's language, how to label the answers, and the scrypt work
/// factor (normally [`EXPORT_WORK_FACTOR`]; tests use less).
pub struct ExportSettings<'a> {
    pub readme: &'a str,
    pub questionnaire: &'a Questionnaire,
    pub locale: Locale,
    pub work_factor: u8,
}

/// Asks for the case's records to be exported, with the reason; a second
/// person on the case who did not ask decides ([`super::decide`]).
pub async fn request_export(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    reason: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let command: WithReason = |approval, reason_given, expires_at| Command::RequestExport {
        approval,
        reason_given,
        expires_at,
    };
    ask_with_reason(store, config, caller, case, "export", command, reason, now).await
}

/// The grant record written when a second person grants export `approval`:
/// it may be downloaded by the person who asked until the approval's own expiry.
pub(super) fn grant_record(
    loaded: &Loaded,
    approval: &[u8; 16],
    caller: &Caller<'_>,
    now: i64,
) -> Result<NewCaseRecord, CaseError> {
    let asked = loaded
        .file
        .approvals
        .iter()
        .find(|a| a.id == *approval)
        .ok_or(CaseError::Corrupt)?;
    let grant = GrantRecord {
        approval: hex::encode(approval),
        asked_by: records::staff_text(asked.requested_by),
        granted_by: records::staff_text(caller.staff.id),
        at: now,
        expires_at: asked.expires_at,
    };
    records::encrypt(&loaded.key, random_id()?, EXPORT_GRANT, &grant)
}

/// The grant the caller would download: the newest they asked for (or, if
/// they asked for none, the newest of all, which the rules then refuse).
async fn current_grant(
    store: &dyn Store,
    loaded: &Loaded,
    caller: &Caller<'_>,
) -> Result<(ExportGrant, String), CaseError> {
    let mut grants: Vec<GrantRecord> = Vec::new();
    let mut used: Vec<String> = Vec::new();
    for record in store.case_records(&loaded.file.id).await? {
        match record.kind.as_str() {
            EXPORT_GRANT => grants.push(records::decrypt(&loaded.key, &record)?),
            EXPORT_DONE => used.push(records::decrypt::<DoneRecord>(&loaded.key, &record)?.approval),
            _ => {}
        }
    }
    let me = records::staff_text(caller.staff.id);
    let chosen = grants
        .iter()
        .filter(|g| g.asked_by == me)
        .max_by_key(|g| g.at)
        .or_else(|| grants.iter().max_by_key(|g| g.at))
        .ok_or(CaseError::NoExport)?;
    let asked_by = hex::decode(&chosen.asked_by)
        .ok()
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
        .map(mamar_core::StaffId::from_bytes)
        .ok_or(CaseError::Corrupt)?;
    Ok((
        ExportGrant {
            asked_by,
            expires_at: chosen.expires_at,
            used: used.contains(&chosen.approval),
        },
        chosen.approval.clone(),
    ))
}

/// Whether the caller may download an export of the case now.
pub async fn export_offer(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<Option<ExportOffer>, CaseError> {
    let loaded = load(store, caller, case).await?;
    let Ok((grant, _)) = current_grant(store, &loaded, caller).await else {
        return Ok(None);
    };
    let mut probe = loaded.state.clone();
    Ok(probe
        .apply(&caller.actor(), &Command::DownloadExport { grant }, now)
        .ok()
        .map(|_| ExportOffer {
            expires_at: grant.expires_at,
        }))
}

/// Checks a passphrase an export is to be encrypted to.
pub fn check_passphrase(passphrase: &str) -> Result<(), CaseError> {
    let chars = passphrase.chars().count();
    if passphrase.trim().is_empty() || !(MIN_PASSPHRASE_CHARS..=MAX_PASSPHRASE_CHARS).contains(&chars) {
        return Err(CaseError::WeakPassphrase);
    }
    Ok(())
}

/// The person who asked downloads the granted export, once, before it
/// expires: what their duties let them read of the case, encrypted with age
/// to `passphrase`.
/// The download is recorded (a record under the case key, the timeline and
/// the audit log) in the same change that the rules check; two downloads at
/// once meet as a conflict, and only one file leaves.
pub async fn download_export(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    passphrase: &str,
    text: &ExportSettings<'_>,
    now: i64,
) -> Result<ExportFile, CaseError> {
    check_passphrase(passphrase)?;
    let loaded = load(store, caller, case).await?;
    let before = loaded.state.clone();
    let (grant, approval) = current_grant(store, &loaded, caller).await?;
    let mut after = loaded.state.clone();
    let effect = after.apply(&caller.actor(), &Command::DownloadExport { grant }, now)?;
    let content = Zeroizing::new(contents(store, config, caller, case, text, now).await?);
    let passphrase = Zeroizing::new(passphrase.to_owned());
    let work_factor = text.work_factor;
    let bytes = tokio::task::spawn_blocking(move || encrypt(&content, &passphrase, work_factor))
        .await
        .map_err(|_| CaseError::ExportFailed)??;
    let done = DoneRecord { approval, at: now };
    let extra = Extra {
        event: Some(event(caller, now, "exported", None, None)),
        records: vec![records::encrypt(&loaded.key, random_id()?, EXPORT_DONE, &done)?],
        ..Extra::default()
    };
    commit(
        store,
        caller,
        &loaded,
        &before,
        effect,
        Some(&loaded.key),
        extra,
        now,
    )
    .await?;
    let reference = loaded
        .file
        .reference
        .clone()
        .unwrap_or_else(|| hex::encode(&case[..4]));
    Ok(ExportFile {
        file_name: format!("mamar-case-{reference}.txt.age"),
        bytes,
    })
}

/// The README, then the records as JSON.
async fn contents(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    text: &ExportSettings<'_>,
    now: i64,
) -> Result<String, CaseError> {
    let view = super::read::view(store, config, caller, case, now).await?;
    let plan = super::plan::plan_of(store, caller, case, now).await?;
    let answers = view
        .answers
        .as_ref()
        .map(|a| {
            a.display(text.questionnaire, text.locale)
                .into_iter()
                .map(|d| AnswerOut {
                    field: d.field_id,
                    label: d.label,
                    values: d.values,
                })
                .collect()
        })
        .unwrap_or_default();
    let out = ExportOut {
        format: EXPORT_FORMAT,
        reference: view.reference.map(|r| r.to_string()),
        exported_at: now,
        exported_by: records::staff_text(caller.staff.id),
        stage: view.state.stage.code(),
        frozen: view.state.frozen,
        source: &view.source,
        opened_on: &view.opened_on,
        sections: view.sections.iter().map(|s| s.code()).collect(),
        answers,
        identity: view.identity.as_ref(),
        findings: &view.findings,
        notes: &view.notes,
        messages: &view.messages,
        timeline: &view.timeline,
        attachments: view
            .attachments
            .iter()
            .map(|a| AttachmentOut {
                name: a.name.clone(),
                content_type: a.content_type.clone(),
                bytes: a.bytes,
            })
            .collect(),
        plan: PlanOut {
            readable: plan.readable,
            steps: if plan.readable {
                plan.steps.iter().map(|(_, s)| s).collect()
            } else {
                Vec::new()
            },
            check_ins: plan
                .check_ins
                .iter()
                .filter(|_| plan.readable)
                .map(|c| CheckInOut {
                    label: c.label.clone(),
                    due_at: c.due_at,
                    done_at: c.done_at,
                })
                .collect(),
            tasks: plan
                .tasks
                .iter()
                .map(|t| TaskOut {
                    title: t.title.clone(),
                    due_at: t.due_at,
                    done_at: t.done_at,
                })
                .collect(),
        },
    };
    let json = Zeroizing::new(serde_json::to_string_pretty(&out).map_err(|_| CaseError::Corrupt)?);
    Ok(format!(
        "{}\n\n{JSON_MARKER}\n{}\n",
        text.readme.trim_end(),
        json.as_str()
    ))
}

/// Encrypts `plain` with age to `passphrase` (scrypt, `work_factor`).
fn encrypt(plain: &str, passphrase: &str, work_factor: u8) -> Result<Vec<u8>, CaseError> {
    let mut recipient = age::scrypt::Recipient::new(age::secrecy::SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(work_factor);
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .map_err(|_| CaseError::ExportFailed)?;
    let mut out = Vec::with_capacity(plain.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|_| CaseError::ExportFailed)?;
    writer
        .write_all(plain.as_bytes())
        .map_err(|_| CaseError::ExportFailed)?;
    writer.finish().map_err(|_| CaseError::ExportFailed)?;
    Ok(out)
}

/// Opens an export with `passphrase`: the text inside, or `None` when the
/// passphrase (or the file) is wrong. For tests and for checking a file.
pub fn open_export(file: &[u8], passphrase: &str) -> Option<String> {
    use std::io::Read;
    let decryptor = age::Decryptor::new(file).ok()?;
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(passphrase.to_owned()));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .ok()?;
    let mut plain = String::new();
    reader.read_to_string(&mut plain).ok()?;
    Some(plain)
}

#[derive(Serialize)]
struct ExportOut<'a> {
    format: &'static str,
    reference: Option<String>,
    exported_at: i64,
    exported_by: String,
    stage: &'static str,
    frozen: bool,
    source: &'a str,
    opened_on: &'a str,
    /// The sections the asker's duties may read: only these are in the file.
    sections: Vec<&'static str>,
    answers: Vec<AnswerOut>,
    identity: Option<&'a Identity>,
    findings: &'a [Note],
    notes: &'a [Note],
    messages: &'a [Message],
    timeline: &'a [records::Event],
    attachments: Vec<AttachmentOut>,
    plan: PlanOut<'a>,
}

#[derive(Serialize)]
struct AnswerOut {
    field: String,
    label: String,
    values: Vec<String>,
}

#[derive(Serialize)]
struct AttachmentOut {
    name: String,
    content_type: String,
    bytes: u64,
}

#[derive(Serialize)]
struct PlanOut<'a> {
    readable: bool,
    steps: Vec<&'a super::PlanStep>,
    check_ins: Vec<CheckInOut>,
    tasks: Vec<TaskOut>,
}

#[derive(Serialize)]
struct CheckInOut {
    label: String,
    due_at: i64,
    done_at: Option<i64>,
}

#[derive(Serialize)]
struct TaskOut {
    title: String,
    due_at: i64,
    done_at: Option<i64>,
}
