//! Reading cases: a person's list, and one case as their duties allow.
//! Reading is recorded in the audit log before anything is shown.

use mamar_audit::{Action, Outcome};
use mamar_core::StaffId;
use mamar_core::case::{CaseReference, CaseState, Duty, Stage};
use mamar_core::questionnaire::Answers;
use mamar_crypto::{CaseKey, OrgKeyKind, SealPurpose};
use mamar_store::Store;

use super::{duties_of, load, open_approval, state_of};
use crate::config::{CaseConfig, Section};
use crate::records::{self, Event, Identity, InboxPayload, Message, Note, Summary};
use crate::{Caller, CaseError};

/// One line of a case list.
#[derive(Debug, Clone)]
pub struct CaseListItem {
    pub id: [u8; 16],
    pub reference: Option<CaseReference>,
    pub stage: Stage,
    pub frozen: bool,
    pub urgency: Option<String>,
    pub governorate: Option<String>,
    /// Only when the caller's duties may read who the person is.
    pub name: Option<String>,
    pub team: Vec<(StaffId, Duty)>,
    pub active_day: i64,
    pub awaiting_reply: bool,
    pub mine_to_lead: bool,
}

/// A decision waiting for a second person, as the case page shows it.
#[derive(Debug, Clone)]
pub struct PendingView {
    pub id: [u8; 16],
    pub kind: String,
    pub value: Option<String>,
    pub reason: String,
    pub requested_by: StaffId,
    pub expires_at: i64,
    /// The caller may decide on it (on the case, not the one who asked, not expired).
    pub can_decide: bool,
}

/// A timeline line.
pub type TimelineEntry = Event;

/// One case as the caller may read it.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub id: [u8; 16],
    pub reference: Option<CaseReference>,
    pub state: CaseState,
    pub source: String,
    pub opened_on: String,
    pub my_duties: Vec<Duty>,
    pub sections: Vec<Section>,
    pub answers: Option<Answers>,
    pub identity: Option<Identity>,
    pub notes: Vec<Note>,
    pub findings: Vec<Note>,
    pub messages: Vec<Message>,
    pub timeline: Vec<TimelineEntry>,
    pub pending: Vec<PendingView>,
    pub attachments: Vec<super::AttachmentInfo>,
    /// Cases that may be the same person (shown to those who may read the identity).
    pub duplicates: Vec<(CaseReference, super::MatchReason)>,
    /// A conversation exists (the case came from a request).
    pub has_requester: bool,
}

fn reference_of(stored: Option<&str>) -> Option<CaseReference> {
    stored.and_then(|s| CaseReference::parse(s).ok())
}

/// The cases the caller is on, newest activity first.
pub async fn list_mine(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
) -> Result<Vec<CaseListItem>, CaseError> {
    let entries = store.cases_for_staff(caller.staff.id, 2_000).await?;
    // Unwrapping each case key (X25519) is most of a list's cost: it runs on every core.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let chunk = entries.len().div_ceil(threads).max(16);
    let staff = caller.keyring.staff();
    let opened: Vec<Option<Summary>> = std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|entry| {
                            let key = CaseKey::unwrap(&entry.wrapped_key, &entry.file.id, staff).ok()?;
                            Some(match &entry.summary {
                                Some(record) => records::decrypt(&key, record).unwrap_or_default(),
                                None => Summary::default(),
                            })
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_default())
            .collect()
    });
    let mut items = Vec::with_capacity(entries.len());
    for (entry, summary) in entries.into_iter().zip(opened) {
        let Some(summary) = summary else {
            continue;
        };
        let team: Vec<(StaffId, Duty)> = entry
            .file
            .team
            .iter()
            .filter_map(|(staff, duty)| Some((*staff, duty.parse().ok()?)))
            .collect();
        let duties: Vec<Duty> = team
            .iter()
            .filter(|(s, _)| *s == caller.staff.id)
            .map(|(_, d)| *d)
            .collect();
        let may_read_identity = config.readable(&duties).contains(&Section::Identity);
        items.push(CaseListItem {
            id: entry.file.id,
            reference: reference_of(entry.file.reference.as_deref()),
            stage: entry.file.stage.parse().map_err(|_| CaseError::Corrupt)?,
            frozen: entry.file.frozen,
            urgency: summary.urgency,
            governorate: summary.governorate,
            name: summary.name.filter(|_| may_read_identity),
            mine_to_lead: entry.file.owner == Some(caller.staff.id),
            team,
            active_day: entry.file.active_day,
            awaiting_reply: entry.awaiting_reply,
        });
    }
    Ok(items)
}

/// One case, with the sections the caller's duties may read. Recorded in
/// the audit log first; if that fails, nothing is shown.
pub async fn view(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<CaseView, CaseError> {
    let loaded = load(store, caller, case).await?;
    mamar_store::audit::record(
        store,
        Some(caller.staff.id),
        Action::CaseRead,
        Some(*case),
        Outcome::Ok,
    )
    .await?;
    let duties = duties_of(&loaded.state, caller.staff.id);
    let sections = config.readable(&duties);
    let may = |section: Section| sections.contains(&section);
    let mut view = CaseView {
        id: *case,
        reference: reference_of(loaded.file.reference.as_deref()),
        state: state_of(&loaded.file, Some(&loaded.key))?,
        source: loaded.file.source.clone(),
        opened_on: loaded.file.opened_on.clone(),
        my_duties: duties.clone(),
        sections: sections.clone(),
        answers: None,
        identity: None,
        notes: Vec::new(),
        findings: Vec::new(),
        messages: Vec::new(),
        timeline: Vec::new(),
        pending: Vec::new(),
        attachments: Vec::new(),
        duplicates: Vec::new(),
        has_requester: loaded.file.request_id.is_some(),
    };
    let mut inbox_keys = Vec::new();
    for record in store.case_records(case).await? {
        match record.kind.as_str() {
            records::ANSWERS if may(Section::Answers) => {
                let bytes = records::decrypt_bytes(&loaded.key, &record)?;
                view.answers = Answers::from_bytes(&bytes).ok();
            }
            records::IDENTITY if may(Section::Identity) => {
                view.identity = Some(records::decrypt(&loaded.key, &record)?);
            }
            records::NOTE => {
                let note: Note = records::decrypt(&loaded.key, &record)?;
                if note.section == "finding" && may(Section::Vetting) {
                    view.findings.push(note);
                } else if note.section == "note" && may(Section::Notes) {
                    view.notes.push(note);
                }
            }
            records::MESSAGE if may(Section::Messages) => {
                view.messages.push(records::decrypt(&loaded.key, &record)?);
            }
            records::DUPLICATES if may(Section::Identity) => {
                let entries: Vec<records::Duplicate> = records::decrypt(&loaded.key, &record)?;
                view.duplicates.extend(entries.iter().filter_map(|d| {
                    Some((
                        CaseReference::parse(&d.reference).ok()?,
                        super::MatchReason::parse(&d.reason)?,
                    ))
                }));
            }
            records::ATTACHMENT if may(Section::Attachments) => {
                view.attachments
                    .push(super::attachments::listed(&loaded.key, &record)?);
            }
            records::EVENT if may(Section::Timeline) => {
                let mut event: TimelineEntry = records::decrypt(&loaded.key, &record)?;
                // A file's name says what the file is: only duties that read files see it.
                if event.what == "attached" && !may(Section::Attachments) {
                    event.detail = None;
                }
                view.timeline.push(event);
            }
            records::INBOX_KEY if may(Section::Messages) => {
                let context = mamar_crypto::RecordContext {
                    record_id: &record.id,
                    kind: &record.kind,
                    schema_version: u32::try_from(record.schema_version).map_err(|_| CaseError::Corrupt)?,
                };
                inbox_keys.push(loaded.key.decrypt_inbox_key(&record.ciphertext, &context)?);
            }
            _ => {}
        }
    }
    // What the requester wrote since the case opened, sealed to one of the case's inbox keys.
    if let Some(request) = loaded.file.request_id.filter(|_| may(Section::Messages)) {
        let purpose = SealPurpose::CaseInbox { request_id: &request };
        for message in store.case_inbox(&request).await? {
            if !message.to_case {
                continue;
            }
            let opened = inbox_keys
                .iter()
                .find_map(|key| mamar_crypto::open(key, &purpose, &message.sealed).ok());
            if let Some(plain) = opened
                && let Ok(payload) = serde_json::from_slice::<InboxPayload>(plain.expose_secret())
            {
                view.messages.push(Message {
                    from_requester: true,
                    author: None,
                    at: payload.at,
                    text: payload.text,
                    signed: false,
                });
            }
        }
        view.messages.sort_by_key(|m| m.at);
    }
    if may(Section::Timeline) {
        // The requester's withdrawals of consent (they hold no case key: the day is kept at rest).
        let mut withdrawn: Vec<([u8; 16], i64)> = store
            .consents(case)
            .await?
            .iter()
            .filter_map(|c| Some((c.partner_id, c.withdrawn_day?)))
            .collect();
        withdrawn.sort_unstable();
        withdrawn.dedup();
        for (partner, day) in withdrawn {
            view.timeline.push(Event {
                actor: None,
                at: day * 86_400,
                what: "consent-withdrawn".into(),
                detail: Some(hex::encode(partner)),
                subject: None,
            });
        }
        view.timeline.sort_by_key(|e| e.at);
    }
    for approval in &loaded.file.approvals {
        let payload = if approval.sealed.is_empty() {
            None
        } else {
            Some(open_approval(&loaded.key, approval)?)
        };
        view.pending.push(PendingView {
            id: approval.id,
            kind: approval.kind.clone(),
            value: payload.as_ref().and_then(|p| p.value.clone()),
            reason: payload.map(|p| p.reason).unwrap_or_default(),
            requested_by: approval.requested_by,
            expires_at: approval.expires_at,
            can_decide: approval.requested_by != caller.staff.id && approval.expires_at > now,
        });
    }
    Ok(view)
}

/// Whether the caller's keys can sign replies to requesters.
pub fn can_sign(caller: &Caller<'_>) -> bool {
    caller
        .keyring
        .org_key(OrgKeyKind::Signing)
        .and_then(|k| k.signing())
        .is_some()
}

/// Everything one case's page shows, read in one go: the case as the
/// caller's duties allow, every account (to name the team and offer whom
/// to add), the partners when the timeline names one by its id (a
/// requester's withdrawal of consent), and an export granted to the caller.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub view: CaseView,
    pub staff: Vec<mamar_store::StaffRecord>,
    /// Empty unless the timeline names a partner.
    pub partners: Vec<crate::partners::PartnerView>,
    /// An export of the case granted to the caller and not yet expired.
    pub export: Option<super::ExportOffer>,
}

/// A case's page for the caller, read only if they are on it ([`view`]'s
/// rules and audit entry); `CaseError::NotFound` otherwise.
pub async fn case_page(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<CasePage, CaseError> {
    let view = view(store, config, caller, case, now).await?;
    let staff = store.all_staff().await?;
    let partners = if view.timeline.iter().any(|e| e.what == "consent-withdrawn") {
        crate::partners::partners(store).await?
    } else {
        Vec::new()
    };
    // An offer that cannot be read is not offered: the page stays readable.
    let export = super::export_offer(store, caller, case, now).await.ok().flatten();
    Ok(CasePage {
        view,
        staff,
        partners,
        export,
    })
}
