//! Acting on a case. Each use case loads the case with the caller's key,
//! asks the state machine (`mamar_core::case`) whether the act is allowed,
//! and writes the whole change in one transaction with its timeline event
//! and its audit entry. Nothing here trusts the channel that called it.

use mamar_audit::{Action, Outcome};
use mamar_core::StaffId;
use mamar_core::case::machine::{Command, Effect};
use mamar_core::case::{ApprovalKind, CaseReference, CaseRuleError, ClosingOutcome, Duty, VettingDecision};
use mamar_crypto::{
    CaseKey, EncryptionKeyPair, EncryptionPublicKey, OrgKeyKind, SealPurpose, StaffPublicKeys,
};
use mamar_store::{CaseApproval, CaseChange, IntakeMessage, IntakeWrite, NewCaseRecord, Rekey, Store};

use super::{Loaded, duties_of, load, random_id, state_of};
use crate::config::{CaseConfig, Section};
use crate::records::{self, ApprovalPayload, Event, Message, Note};
use crate::{Caller, CaseError, day_of};

/// The longest note, finding, reason or message, in characters.
pub const MAX_TEXT_CHARS: usize = 5_000;

pub(super) fn checked_text(text: &str, required: bool) -> Result<String, CaseError> {
    let text = text.trim();
    if (required && text.is_empty()) || text.chars().count() > MAX_TEXT_CHARS {
        return Err(CaseError::BadText);
    }
    Ok(text.to_owned())
}

/// What a use case adds to the change the state machine made.
#[derive(Default)]
pub(super) struct Extra {
    pub(super) event: Option<Event>,
    pub(super) records: Vec<NewCaseRecord>,
    pub(super) approvals: Vec<CaseApproval>,
    pub(super) grants: Vec<(StaffId, Vec<u8>)>,
    pub(super) rekey: Option<Rekey>,
    /// Uploads the change's records describe, readable once it commits.
    pub(super) attachments: Vec<[u8; 16]>,
}

pub(super) fn event(
    caller: &Caller<'_>,
    now: i64,
    what: &str,
    detail: Option<&str>,
    subject: Option<StaffId>,
) -> Event {
    Event {
        actor: Some(records::staff_text(caller.staff.id)),
        at: now,
        what: what.to_owned(),
        detail: detail.map(str::to_owned),
        subject: subject.map(records::staff_text),
    }
}

/// Writes the state after `effect` with `extra`, then the audit entry.
#[allow(clippy::too_many_arguments)]
pub(super) async fn commit(
    store: &dyn Store,
    caller: &Caller<'_>,
    loaded: &Loaded,
    before: &mamar_core::case::CaseState,
    effect: Effect,
    key: Option<&CaseKey>,
    mut extra: Extra,
    now: i64,
) -> Result<(), CaseError> {
    let id = loaded.file.id;
    if let (Some(event), Some(key)) = (extra.event.take(), key) {
        extra
            .records
            .push(records::encrypt(key, random_id()?, records::EVENT, &event)?);
    }
    // The facets follow every change of stage, outcome, arrival or choice.
    let mut facets = None;
    let reseal = match effect {
        Effect::StageChanged { .. } => true,
        Effect::Granted { kind } => !matches!(kind, ApprovalKind::Delete | ApprovalKind::Export),
        _ => extra
            .records
            .iter()
            .any(|r| r.kind == super::ARRIVAL || r.kind == super::CHOICE),
    };
    if let (true, Some(key)) = (reseal, key) {
        let (sealed, facet_id) = crate::facets::reseal(store, key, &loaded.file, &extra.records).await?;
        facets = sealed;
        extra.records.extend(facet_id);
    }
    let state = &loaded.state;
    let change = CaseChange {
        expected_version: loaded.file.version,
        stage: state.stage.code().to_owned(),
        frozen: state.frozen,
        owner: state.owner,
        active_day: day_of(now),
        team: state
            .team
            .iter()
            .map(|a| (a.staff, a.duty.code().to_owned()))
            .collect(),
        add_grants: extra.grants,
        add_approvals: extra.approvals,
        remove_approvals: before
            .pending
            .iter()
            .filter(|p| !state.pending.iter().any(|q| q.id == p.id))
            .map(|p| p.id)
            .collect(),
        add_records: extra.records,
        add_index: Vec::new(),
        complete_attachments: extra.attachments,
        rekey: extra.rekey,
        facets,
    };
    store.change_case(&id, &change).await?;
    let action = match effect {
        Effect::Assigned | Effect::OwnerChanged => Action::CaseAssigned,
        Effect::Unassigned => Action::CaseUnassigned,
        Effect::StageChanged { .. } => Action::CaseStageChanged,
        Effect::ApprovalRequested { froze: true, .. } => Action::CaseFrozen,
        Effect::ApprovalRequested {
            kind: ApprovalKind::Export,
            ..
        } => Action::ExportRequested,
        Effect::ApprovalRequested { .. } => Action::ApprovalRequested,
        Effect::Granted {
            kind: ApprovalKind::Export,
        } => Action::ExportGranted,
        Effect::Granted { .. } => Action::ApprovalGranted,
        Effect::Refused { .. } => Action::ApprovalRefused,
        Effect::ContentAdded => Action::CaseWritten,
        Effect::Exported => Action::ExportDownloaded,
    };
    mamar_store::audit::record(store, Some(caller.staff.id), action, Some(id), Outcome::Ok).await?;
    Ok(())
}

/// Loads, applies `command`, and commits with what `extra` adds.
pub(super) async fn act(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    command: Command,
    now: i64,
    extra: impl FnOnce(&Loaded, &Effect) -> Result<Extra, CaseError>,
) -> Result<Effect, CaseError> {
    let mut loaded = load(store, caller, case).await?;
    let before = loaded.state.clone();
    let effect = loaded.state.apply(&caller.actor(), &command, now)?;
    let extra = extra(&loaded, &effect)?;
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
    Ok(effect)
}

/// A partner's liaison takes over a case offered to their partner: `key` is
/// the case key they unwrapped from the offer, `wrapped` that wrapped key,
/// which becomes their grant. They join as its partner liaison and own it.
pub(crate) async fn take_over(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    key: CaseKey,
    wrapped: Vec<u8>,
    now: i64,
) -> Result<Effect, CaseError> {
    let file = store.case_file(case).await?.ok_or(CaseError::NotFound)?;
    let state = state_of(&file, Some(&key))?;
    let mut loaded = Loaded { file, state, key };
    let before = loaded.state.clone();
    let effect = loaded
        .state
        .apply(&caller.actor(), &Command::AcceptHandover, now)?;
    let extra = Extra {
        event: Some(event(caller, now, "handed-over", None, None)),
        grants: vec![(caller.staff.id, wrapped)],
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
    Ok(effect)
}

/// Puts `staff` on the case with `duty`: the case key is wrapped to them.
pub async fn assign(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    staff: StaffId,
    duty: Duty,
    now: i64,
) -> Result<Effect, CaseError> {
    let person = store.staff_by_id(staff).await?.ok_or(CaseError::NoSuchStaff)?;
    if person.disabled {
        return Err(CaseError::NoSuchStaff);
    }
    let command = Command::Assign {
        staff,
        roles: person.roles.clone(),
        duty,
    };
    act(store, caller, case, command, now, |loaded, _| {
        let already = store_has_grant(loaded, staff);
        let grants = if already {
            Vec::new()
        } else {
            let public = StaffPublicKeys::from_bytes(&person.public_keys)?;
            vec![(staff, loaded.key.wrap_to(&public, case)?)]
        };
        Ok(Extra {
            event: Some(event(caller, now, "assigned", Some(duty.code()), Some(staff))),
            grants,
            ..Extra::default()
        })
    })
    .await
}

fn store_has_grant(loaded: &Loaded, staff: StaffId) -> bool {
    // Everyone on the team before this change holds a grant.
    loaded.file.team.iter().any(|(member, _)| *member == staff)
}

/// Takes `staff` off the case. The case gets a new key, wrapped to the
/// people who stay; every record and waiting approval is re-encrypted and
/// the requester's inbox key is replaced, so what the removed person kept
/// of the old key opens nothing new.
pub async fn unassign(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    staff: StaffId,
    now: i64,
) -> Result<Effect, CaseError> {
    let mut loaded = load(store, caller, case).await?;
    let before = loaded.state.clone();
    let effect = loaded
        .state
        .apply(&caller.actor(), &Command::Unassign { staff }, now)?;
    let (new_key, rekey, inbox_record) = new_key(store, &loaded, &loaded.state.members()).await?;
    let extra = Extra {
        event: Some(event(caller, now, "unassigned", None, Some(staff))),
        records: vec![inbox_record],
        rekey: Some(rekey),
        ..Extra::default()
    };
    loaded.key = CaseKey::generate()?; // the old key is dropped (zeroized) here
    commit(
        store,
        caller,
        &loaded,
        &before,
        effect,
        Some(&new_key),
        extra,
        now,
    )
    .await?;
    Ok(effect)
}

/// A new key for a case: every record and waiting approval re-encrypted
/// under it, the key wrapped to `members` and (once break-glass is set up)
/// to the escrow key, and a new inbox key for the requester's messages, so
/// that whoever kept the old key opens nothing new.
pub(super) async fn new_key(
    store: &dyn Store,
    loaded: &Loaded,
    members: &[StaffId],
) -> Result<(CaseKey, Rekey, NewCaseRecord), CaseError> {
    let case = &loaded.file.id;
    let new_key = CaseKey::generate()?;
    let mut reencrypted = Vec::new();
    for record in store.case_records(case).await? {
        let schema_version = u32::try_from(record.schema_version).map_err(|_| CaseError::Corrupt)?;
        let context = mamar_crypto::RecordContext {
            record_id: &record.id,
            kind: &record.kind,
            schema_version,
        };
        reencrypted.push((
            record.id,
            loaded.key.reencrypt(&record.ciphertext, &context, &new_key)?,
        ));
    }
    let mut approvals = Vec::new();
    for approval in &loaded.file.approvals {
        if approval.sealed.is_empty() || !loaded.state.pending.iter().any(|p| p.id == approval.id) {
            continue;
        }
        let context = records::approval_context(&approval.id);
        approvals.push((
            approval.id,
            loaded.key.reencrypt(&approval.sealed, &context, &new_key)?,
        ));
    }
    let mut grants = Vec::new();
    for member in members {
        let person = store.staff_by_id(*member).await?.ok_or(CaseError::Corrupt)?;
        let public = StaffPublicKeys::from_bytes(&person.public_keys)?;
        grants.push((*member, new_key.wrap_to(&public, case)?));
    }
    let inbox = EncryptionKeyPair::generate()?;
    let inbox_id = random_id()?;
    let context = mamar_crypto::RecordContext {
        record_id: &inbox_id,
        kind: records::INBOX_KEY,
        schema_version: records::SCHEMA,
    };
    let inbox_record = NewCaseRecord {
        id: inbox_id,
        kind: records::INBOX_KEY.to_owned(),
        schema_version: i64::from(records::SCHEMA),
        ciphertext: new_key.encrypt_inbox_key(&inbox, &context)?,
    };
    let escrow = match mamar_keys::escrow_public_key(store).await? {
        Some(public) => Some(new_key.wrap_to_escrow(&public, case)?),
        None => None,
    };
    let rekey = Rekey {
        grants,
        records: reencrypted,
        approvals,
        forward_key: loaded
            .file
            .request_id
            .map(|_| inbox.public_key().to_bytes().to_vec()),
        escrow,
    };
    Ok((new_key, rekey, inbox_record))
}

/// Moves the case along the ordinary path.
pub async fn advance(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<Effect, CaseError> {
    act(store, caller, case, Command::Advance, now, |_, effect| {
        let detail = match effect {
            Effect::StageChanged { to, .. } => Some(to.code()),
            _ => None,
        };
        Ok(Extra {
            event: Some(event(caller, now, "stage", detail, None)),
            ..Extra::default()
        })
    })
    .await
}

fn approval(
    loaded: &Loaded,
    id: [u8; 16],
    kind: &str,
    value: Option<&str>,
    reason: &str,
    by: StaffId,
    expires_at: i64,
) -> Result<CaseApproval, CaseError> {
    let payload = ApprovalPayload {
        kind: kind.to_owned(),
        value: value.map(str::to_owned),
        reason: reason.to_owned(),
    };
    let bytes = serde_json::to_vec(&payload).map_err(|_| CaseError::Corrupt)?;
    Ok(CaseApproval {
        id,
        case_id: loaded.file.id,
        kind: kind.to_owned(),
        requested_by: by,
        expires_at,
        sealed: loaded.key.encrypt(&bytes, &records::approval_context(&id))?,
    })
}

/// What is asked of a second person: its kind, the decision or outcome, and the reason.
pub(super) struct Ask<'a> {
    pub(super) kind: &'static str,
    pub(super) value: Option<&'static str>,
    pub(super) reason: &'a str,
}

/// Asks a second person to approve: the command the state machine checks is
/// made with the new approval's id and expiry; the approval's content is
/// sealed under the case key and a timeline event says what was asked.
pub(super) async fn ask_second_person(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    ask: Ask<'_>,
    command: impl FnOnce([u8; 16], i64) -> Command,
    now: i64,
) -> Result<Effect, CaseError> {
    let id = random_id()?;
    let expires_at = now + config.approval_secs;
    let detail = match ask.value {
        Some(value) => format!("{}:{value}", ask.kind),
        None => ask.kind.to_owned(),
    };
    act(
        store,
        caller,
        case,
        command(id, expires_at),
        now,
        |loaded, effect| {
            let what = if matches!(effect, Effect::ApprovalRequested { froze: true, .. }) {
                "frozen"
            } else {
                "requested"
            };
            Ok(Extra {
                event: Some(event(caller, now, what, Some(&detail), None)),
                approvals: vec![approval(
                    loaded,
                    id,
                    ask.kind,
                    ask.value,
                    ask.reason,
                    caller.staff.id,
                    expires_at,
                )?],
                ..Extra::default()
            })
        },
    )
    .await
}

/// A vetting officer proposes a decision, with the reasons; a second person
/// must accept it. "Suspected infiltration" freezes the case at once.
pub async fn propose_vetting(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    decision: VettingDecision,
    rationale: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let rationale = checked_text(rationale, true)?;
    let ask = Ask {
        kind: "vetting",
        value: Some(decision.code()),
        reason: &rationale,
    };
    let command = |approval, expires_at| Command::ProposeVetting {
        approval,
        decision,
        expires_at,
    };
    ask_second_person(store, config, caller, case, ask, command, now).await
}

/// Asks for the case to be closed with `outcome`; a second person decides.
pub async fn request_close(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    outcome: ClosingOutcome,
    reason: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let reason = checked_text(reason, false)?;
    let ask = Ask {
        kind: "close",
        value: Some(outcome.code()),
        reason: &reason,
    };
    let command = |approval, expires_at| Command::RequestClose {
        approval,
        outcome,
        expires_at,
    };
    ask_second_person(store, config, caller, case, ask, command, now).await
}

/// The command of a request that needs a written reason: the new approval's id, whether a
/// reason was given, its expiry.
pub(super) type WithReason = fn([u8; 16], bool, i64) -> Command;

/// Asks a second person to approve `kind`, which needs a written reason (reopening, deleting,
/// exporting): the state machine refuses it without one.
#[allow(clippy::too_many_arguments)]
pub(super) async fn ask_with_reason(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    kind: &'static str,
    command: WithReason,
    reason: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let reason = checked_text(reason, false)?;
    let ask = Ask {
        kind,
        value: None,
        reason: &reason,
    };
    let given = !reason.is_empty();
    let command = |approval, expires_at| command(approval, given, expires_at);
    ask_second_person(store, config, caller, case, ask, command, now).await
}

/// Asks for a closed case to be reopened, with the reason.
pub async fn request_reopen(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    reason: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let command: WithReason = |approval, reason_given, expires_at| Command::RequestReopen {
        approval,
        reason_given,
        expires_at,
    };
    ask_with_reason(store, config, caller, case, "reopen", command, reason, now).await
}

/// An administrator asks for a frozen case to be unfrozen. They need not be
/// on the case (and cannot read it); someone on it must agree.
pub async fn request_unfreeze(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<Effect, CaseError> {
    let file = store.case_file(case).await?.ok_or(CaseError::NotFound)?;
    let mut state = state_of(&file, None)?;
    let before = state.clone();
    let id = random_id()?;
    let expires_at = now + config.approval_secs;
    let effect = state.apply(
        &caller.actor(),
        &Command::RequestUnfreeze {
            approval: id,
            expires_at,
        },
        now,
    )?;
    let loaded = Loaded {
        file,
        state,
        key: CaseKey::generate()?,
    };
    let extra = Extra {
        approvals: vec![CaseApproval {
            id,
            case_id: *case,
            kind: "unfreeze".into(),
            requested_by: caller.staff.id,
            expires_at,
            sealed: Vec::new(),
        }],
        ..Extra::default()
    };
    commit(store, caller, &loaded, &before, effect, None, extra, now).await?;
    Ok(effect)
}

/// [`request_unfreeze`] for the case `reference` names. The administrator
/// asking is not on the case and knows it only by its number;
/// `CaseError::NotFound` when the number names no case this server holds.
pub async fn request_unfreeze_for_reference(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    reference: &CaseReference,
    now: i64,
) -> Result<Effect, CaseError> {
    let case = store
        .case_by_reference(&reference.stored())
        .await?
        .ok_or(CaseError::NotFound)?;
    request_unfreeze(store, config, caller, &case, now).await
}

/// A second person grants or refuses a waiting approval.
pub async fn decide(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    approval_id: [u8; 16],
    grant: bool,
    now: i64,
) -> Result<Effect, CaseError> {
    let command = Command::Decide {
        approval: approval_id,
        grant,
    };
    let effect = act(store, caller, case, command, now, |loaded, effect| {
        let (what, kind) = match effect {
            Effect::Granted { kind } => ("granted", *kind),
            Effect::Refused { kind } => ("refused", *kind),
            _ => return Err(CaseError::Corrupt),
        };
        let detail = match kind {
            ApprovalKind::Vetting(decision) => format!("vetting:{}", decision.code()),
            ApprovalKind::Close(outcome) => format!("close:{}", outcome.code()),
            ApprovalKind::Reopen => "reopen".into(),
            ApprovalKind::Unfreeze => "unfreeze".into(),
            ApprovalKind::ReleasePlan => "release-plan".into(),
            ApprovalKind::Delete => "delete".into(),
            ApprovalKind::BreakGlass => "break-glass".into(),
            ApprovalKind::Export => "export".into(),
        };
        let mut records = Vec::new();
        if what == "granted" && kind == ApprovalKind::ReleasePlan {
            records.push(super::plan::release_record(&loaded.key, caller, now)?);
        }
        if what == "granted" && kind == ApprovalKind::Export {
            records.push(super::export::grant_record(loaded, &approval_id, caller, now)?);
        }
        Ok(Extra {
            event: Some(event(caller, now, what, Some(&detail), None)),
            records,
            ..Extra::default()
        })
    })
    .await?;
    super::retention::shred_after(store, caller, case, &effect).await?;
    Ok(effect)
}

/// An internal note, or (for a vetting officer) a finding on a checklist item.
pub async fn add_note(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    text: &str,
    finding_item: Option<&str>,
    now: i64,
) -> Result<Effect, CaseError> {
    let text = checked_text(text, true)?;
    if let Some(item) = finding_item
        && !config.checklist.iter().any(|c| c.id == item)
    {
        return Err(CaseError::BadText);
    }
    act(store, caller, case, Command::AddContent, now, |loaded, _| {
        let duties = duties_of(&loaded.state, caller.staff.id);
        let readable = config.readable(&duties);
        let section = if finding_item.is_some() {
            if !duties.contains(&Duty::Vetting) {
                return Err(CaseRuleError::WrongDuty.into());
            }
            "finding"
        } else {
            if !readable.contains(&Section::Notes) {
                return Err(CaseRuleError::WrongDuty.into());
            }
            "note"
        };
        let note = Note {
            author: records::staff_text(caller.staff.id),
            at: now,
            section: section.to_owned(),
            item: finding_item.map(str::to_owned),
            text: text.clone(),
        };
        Ok(Extra {
            records: vec![records::encrypt(&loaded.key, random_id()?, records::NOTE, &note)?],
            ..Extra::default()
        })
    })
    .await
}

/// A signed reply to the requester, sealed to their codename-derived key
/// (they read it with the codename) and kept for the team under the case
/// key. Needs the organisation's signing key.
pub async fn message_requester(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    text: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let text = checked_text(text, true)?;
    let signing = caller
        .keyring
        .org_key(OrgKeyKind::Signing)
        .and_then(|k| k.signing())
        .ok_or(CaseError::MissingKey("signing"))?;
    let loaded = load(store, caller, case).await?;
    let duties = duties_of(&loaded.state, caller.staff.id);
    if !config.readable(&duties).contains(&Section::Messages) {
        return Err(CaseRuleError::WrongDuty.into());
    }
    let request_id = loaded.file.request_id.ok_or(CaseError::RequestNotFound)?;
    let request = store
        .intake_request(&request_id)
        .await?
        .ok_or(CaseError::RequestNotFound)?;
    // The state machine decides first: a frozen or closed case sends nothing.
    let mut probe = loaded.state.clone();
    probe.apply(&caller.actor(), &Command::AddContent, now)?;
    let block = mamar_keys::signed_reply_text(signing, &text);
    let requester_key: [u8; 32] = request
        .requester_key
        .as_slice()
        .try_into()
        .map_err(|_| CaseError::Corrupt)?;
    let sealed = mamar_crypto::seal(
        &EncryptionPublicKey::from_bytes(requester_key),
        &SealPurpose::Reply {
            request_id: &request.id,
        },
        block.as_bytes(),
    )?;
    store
        .apply_intake(&[IntakeWrite::Message(IntakeMessage {
            id: random_id()?,
            request_id: request.id,
            from_requester: false,
            sealed,
            key_generation: 0,
            signature: None,
            staff_copy: None,
            sent_month: Some(crate::month_of(now)),
            own_copy: None,
        })])
        .await?;
    act(store, caller, case, Command::AddContent, now, |loaded, _| {
        let message = Message {
            from_requester: false,
            author: Some(records::staff_text(caller.staff.id)),
            at: now,
            text: text.clone(),
            signed: true,
        };
        Ok(Extra {
            records: vec![records::encrypt(
                &loaded.key,
                random_id()?,
                records::MESSAGE,
                &message,
            )?],
            ..Extra::default()
        })
    })
    .await
}
