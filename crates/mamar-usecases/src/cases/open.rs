//! Opening a case: from a request that arrived (its sealed answers and
//! messages become case content under a fresh case key, and leave the
//! intake tables), or from a phone call an operator takes down through the
//! same questionnaire.

use mamar_audit::{Action, Outcome};
use mamar_core::case::{CaseReference, CaseSource, CaseState, Duty, Stage};
use mamar_core::questionnaire::{Answers, Questionnaire};
use mamar_crypto::{CaseKey, EncryptionKeyPair, Keyring, OrgKeyKind, SealPurpose, StaffPublicKeys};
use mamar_store::{NewCaseFile, Store, StoreError};

use super::index;
use super::random_id;
use crate::intake::reply_body;
use crate::records::{self, Event, Identity, Message, Summary};
use crate::{Caller, CaseError, day_of, month_of};

/// A case just opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub id: [u8; 16],
    pub reference: CaseReference,
    /// Other cases that may be the same person (exact blind-index matches and close keyed
    /// encodings); the case page lists them.
    pub possible_duplicates: usize,
}

/// How many times a fresh reference is drawn when one is taken.
const REFERENCE_TRIES: usize = 8;

fn intake_opener<'k>(caller: &Caller<'k>) -> Result<&'k Keyring, CaseError> {
    if !Duty::Intake.allowed_for(&caller.staff.roles) {
        return Err(CaseError::Rule(mamar_core::case::CaseRuleError::DutyNotAllowed));
    }
    Ok(caller.keyring)
}

/// Refuses a caller whose roles do not include the intake duty (who may open cases).
pub(crate) fn intake_allowed(caller: &Caller<'_>) -> Result<(), CaseError> {
    intake_opener(caller).map(|_| ())
}

fn open_intake(
    keyring: &Keyring,
    generation: i64,
    purpose: &SealPurpose<'_>,
    sealed: &[u8],
) -> Option<Vec<u8>> {
    let key = keyring.org_key_generation(OrgKeyKind::Intake, u32::try_from(generation).ok()?)?;
    let plain = mamar_crypto::open(key.intake()?, purpose, sealed).ok()?;
    Some(plain.expose_secret().to_vec())
}

/// Opens the request `request_id` as a case owned by the caller.
pub async fn open_from_request(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    request_id: &[u8; 16],
    identity: Option<Identity>,
    now: i64,
) -> Result<Opened, CaseError> {
    let keyring = intake_opener(caller)?;
    if keyring.org_key(OrgKeyKind::Intake).is_none() {
        return Err(CaseError::MissingKey("intake"));
    }
    let request = store
        .intake_request(request_id)
        .await?
        .ok_or(CaseError::RequestNotFound)?;
    if store.case_by_request(request_id).await?.is_some() {
        return Err(CaseError::AlreadyOpened);
    }
    let answers = open_intake(
        keyring,
        request.intake_generation,
        &SealPurpose::Intake {
            request_id: &request.id,
        },
        &request.sealed,
    )
    .ok_or(CaseError::MissingKey("intake"))?;
    let mut messages = Vec::new();
    for message in store.intake_messages(request_id).await? {
        let (purpose, sealed) = if message.from_requester {
            (
                SealPurpose::RequesterMessage {
                    request_id: &request.id,
                },
                Some(&message.sealed),
            )
        } else {
            (
                SealPurpose::Reply {
                    request_id: &request.id,
                },
                message.staff_copy.as_ref(),
            )
        };
        let Some(text) = sealed.and_then(|s| open_intake(keyring, message.key_generation, &purpose, s))
        else {
            continue;
        };
        let text = String::from_utf8_lossy(&text).into_owned();
        let (text, signed) = if message.from_requester {
            (text, false)
        } else {
            (reply_body(&text).to_owned(), true)
        };
        messages.push(Message {
            from_requester: message.from_requester,
            author: None,
            at: 0,
            text,
            signed,
        });
    }
    let parsed = Answers::from_bytes(&answers).map_err(|_| CaseError::Corrupt)?;
    create(
        store,
        questionnaire,
        caller,
        CaseSource::Request,
        Some(*request_id),
        &answers,
        &parsed,
        messages,
        identity,
        now,
    )
    .await
}

/// Opens a case for a phone call to a hotline, with the answers the
/// operator took down through the questionnaire.
pub async fn open_from_call(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    answers: &Answers,
    identity: Option<Identity>,
    now: i64,
) -> Result<Opened, CaseError> {
    let source = CaseSource::Hotline;
    open_with_answers(store, questionnaire, caller, source, answers, identity, now).await
}

/// A case opened by someone with the intake duty from answers they hold
/// (not from a stored request): a call, or a referral file a partner
/// organisation sent (`CaseSource::Partner`, imported with `mamar referral
/// import`).
pub(crate) async fn open_with_answers(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    source: CaseSource,
    answers: &Answers,
    identity: Option<Identity>,
    now: i64,
) -> Result<Opened, CaseError> {
    intake_opener(caller)?;
    let bytes = answers.to_bytes();
    create(
        store,
        questionnaire,
        caller,
        source,
        None,
        &bytes,
        answers,
        Vec::new(),
        identity,
        now,
    )
    .await
}

fn choice(answers: &Answers, field: &str) -> Option<String> {
    use mamar_core::questionnaire::AnswerValue;
    match answers.get(field)? {
        AnswerValue::Choice(value) => Some(value.clone()),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
async fn create(
    store: &dyn Store,
    _questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    source: CaseSource,
    request: Option<[u8; 16]>,
    answer_bytes: &[u8],
    answers: &Answers,
    messages: Vec<Message>,
    identity: Option<Identity>,
    now: i64,
) -> Result<Opened, CaseError> {
    let identity = identity
        .filter(|i| !(i.name.trim().is_empty() && i.phone.trim().is_empty() && i.birth_year.is_none()));
    let linkage = caller
        .keyring
        .org_key(OrgKeyKind::Linkage)
        .and_then(|k| k.linkage());
    if identity.is_some() && linkage.is_none() {
        return Err(CaseError::MissingKey("linkage"));
    }
    let id = random_id()?;
    let key = CaseKey::generate()?;
    let inbox = EncryptionKeyPair::generate()?;
    let state = CaseState::opened_by(caller.staff.id);
    let mut records_out = vec![
        records::encrypt_bytes(&key, random_id()?, records::ANSWERS, answer_bytes)?,
        records::encrypt(
            &key,
            random_id()?,
            records::SUMMARY,
            &Summary {
                urgency: choice(answers, "urgency"),
                governorate: choice(answers, "governorate"),
                name: identity
                    .as_ref()
                    .map(|i| i.name.trim().to_owned())
                    .filter(|n| !n.is_empty()),
            },
        )?,
    ];
    let inbox_id = random_id()?;
    let inbox_context = mamar_crypto::RecordContext {
        record_id: &inbox_id,
        kind: records::INBOX_KEY,
        schema_version: records::SCHEMA,
    };
    records_out.push(mamar_store::NewCaseRecord {
        id: inbox_id,
        kind: records::INBOX_KEY.to_owned(),
        schema_version: i64::from(records::SCHEMA),
        ciphertext: key.encrypt_inbox_key(&inbox, &inbox_context)?,
    });
    records_out.push(records::encrypt(
        &key,
        random_id()?,
        records::EVENT,
        &Event {
            actor: Some(records::staff_text(caller.staff.id)),
            at: now,
            what: "opened".into(),
            detail: Some(source.code().into()),
            subject: None,
        },
    )?);
    for message in &messages {
        records_out.push(records::encrypt(&key, random_id()?, records::MESSAGE, message)?);
    }
    let mut index_tags = Vec::new();
    let mut duplicates = Vec::new();
    if let (Some(identity), Some(linkage)) = (&identity, linkage) {
        records_out.push(records::encrypt(&key, random_id()?, records::IDENTITY, identity)?);
        index_tags = index::tags(linkage, identity);
        // Encoded once: stored sealed with the case, and compared with the others'.
        let clk = index::encoding(linkage, identity);
        if let Some(clk) = &clk {
            index_tags.push(index::sealed_encoding(linkage, &id, clk)?);
        }
        duplicates = index::possible_duplicates(store, linkage, identity, clk.as_ref()).await?;
        if !duplicates.is_empty() {
            let mut entries = Vec::with_capacity(duplicates.len());
            for (case, reason) in &duplicates {
                let reference = store.case_file(case).await?.and_then(|file| file.reference);
                entries.push(records::Duplicate {
                    reference: reference.unwrap_or_default(),
                    reason: reason.code(),
                });
            }
            records_out.push(records::encrypt(
                &key,
                random_id()?,
                records::DUPLICATES,
                &entries,
            )?);
        }
    }
    // The facets, sealed to the analytics key under a random id that only the case's records keep.
    let facets = match crate::facets::analytics_public_key(store).await? {
        Some(analytics) => {
            let facet_id = random_id()?;
            records_out.push(crate::facets::facet_id_record(&key, &facet_id)?);
            let service_years = match answers.get("service_years") {
                Some(mamar_core::questionnaire::AnswerValue::Number(years)) => u16::try_from(*years).ok(),
                _ => None,
            };
            let opened_on = month_of(now);
            let facets = crate::facets::facets_of(&crate::facets::FacetSource {
                answers: Some(answers),
                birth_year: identity.as_ref().and_then(|i| i.birth_year),
                service_years,
                opened_on: &opened_on,
                ..crate::facets::FacetSource::default()
            });
            Some(crate::facets::seal_facets(&facets, &analytics, facet_id)?)
        }
        None => None,
    };
    let public = StaffPublicKeys::from_bytes(&caller.staff.public_keys)?;
    let grant = key.wrap_to(&public, &id)?;
    let escrow = match mamar_keys::escrow_public_key(store).await? {
        Some(escrow) => Some(key.wrap_to_escrow(&escrow, &id)?),
        None => None,
    };
    let mut reference = CaseReference::from_random(mamar_crypto::random_bytes::<4>()?);
    for attempt in 0..REFERENCE_TRIES {
        let new = NewCaseFile {
            id,
            reference: reference.stored(),
            stage: Stage::New.code().into(),
            owner: caller.staff.id,
            source: source.code().into(),
            request_id: request,
            forward_key: Some(inbox.public_key().to_bytes().to_vec()),
            opened_on: month_of(now),
            active_day: day_of(now),
            team: state
                .team
                .iter()
                .map(|a| (a.staff, a.duty.code().to_owned()))
                .collect(),
            grants: vec![(caller.staff.id, grant.clone())],
            escrow: escrow.clone(),
            records: records_out.clone(),
            index: index_tags.clone(),
            facets: facets.clone(),
        };
        match store.open_case(&new).await {
            Ok(()) => break,
            Err(StoreError::ReferenceTaken) if attempt + 1 < REFERENCE_TRIES => {
                reference = CaseReference::from_random(mamar_crypto::random_bytes::<4>()?);
            }
            Err(error) => return Err(error.into()),
        }
    }
    mamar_store::audit::record(
        store,
        Some(caller.staff.id),
        Action::CaseOpened,
        Some(id),
        Outcome::Ok,
    )
    .await?;
    Ok(Opened {
        id,
        reference,
        possible_duplicates: duplicates.len(),
    })
}
