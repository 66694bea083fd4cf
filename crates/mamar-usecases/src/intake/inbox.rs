//! The inbox: requests not yet opened as cases, as the people who answer
//! them read them. Only someone whose session holds the intake key (an
//! administrator or an intake operator) reads them; every request shown is
//! recorded in the audit log before its content leaves, and if it cannot be
//! recorded nothing is given. The channel opens the sealed answers and
//! messages with the caller's intake key.

use mamar_audit::{Action, AuditDraft, Outcome};
use mamar_core::Role;
use mamar_crypto::{CryptoError, EncryptionPublicKey, OrgKeyKind, SealPurpose};
use mamar_store::{IntakeMessage, IntakeRequest, IntakeWrite, IntakeWriter, Store, StoreError, WriteError};

use crate::Caller;

/// Why the inbox was not read.
#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    /// Only an administrator or an intake operator reads requests.
    #[error("only an administrator or an intake operator reads requests")]
    NotAllowed,
    /// The caller's session does not hold the intake key (or, to reply, the
    /// signing key) yet.
    #[error("your keys do not include the intake key")]
    NoIntakeKey,
    #[error("no such request")]
    NotFound,
    /// The intake writer's queue is full: try again in a moment.
    #[error("the intake is busy")]
    Busy,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Write(WriteError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A request with its conversation, still sealed.
#[derive(Debug, Clone)]
pub struct InboxRequest {
    pub request: IntakeRequest,
    pub messages: Vec<IntakeMessage>,
}

/// One page of the inbox.
#[derive(Debug, Clone, Default)]
pub struct InboxPage {
    pub requests: Vec<InboxRequest>,
    /// Requests waiting in all.
    pub total: u64,
}

fn may_read(caller: &Caller<'_>) -> Result<(), InboxError> {
    let roles = &caller.staff.roles;
    if !roles.contains(&Role::Administrator) && !roles.contains(&Role::IntakeOperator) {
        return Err(InboxError::NotAllowed);
    }
    if caller.keyring.org_key(OrgKeyKind::Intake).is_none() {
        return Err(InboxError::NoIntakeKey);
    }
    Ok(())
}

async fn with_messages(
    store: &dyn Store,
    caller: &Caller<'_>,
    request: IntakeRequest,
    now: i64,
) -> Result<InboxRequest, InboxError> {
    let draft = AuditDraft::new(now, Action::CaseRead, Outcome::Ok)
        .by(Some(caller.staff.id))
        .on(Some(request.id));
    store.append_audit(&draft).await?;
    let messages = store.intake_messages(&request.id).await?;
    Ok(InboxRequest { request, messages })
}

/// `limit` requests from `offset` on, each recorded as read, and how many wait in all.
pub async fn inbox_page(
    store: &dyn Store,
    caller: &Caller<'_>,
    offset: u32,
    limit: u32,
    now: i64,
) -> Result<InboxPage, InboxError> {
    may_read(caller)?;
    let listed = store.open_requests(offset, limit).await?;
    let total = store.open_request_count().await?;
    let mut requests = Vec::with_capacity(listed.len());
    for request in listed {
        requests.push(with_messages(store, caller, request, now).await?);
    }
    Ok(InboxPage { requests, total })
}

/// One request still waiting in the inbox (not opened as a case, not
/// emptied by the panic), recorded as read.
pub async fn inbox_request(
    store: &dyn Store,
    caller: &Caller<'_>,
    id: &[u8; 16],
    now: i64,
) -> Result<InboxRequest, InboxError> {
    may_read(caller)?;
    let request = store
        .intake_request(id)
        .await?
        .filter(|request| !request.sealed.is_empty())
        .ok_or(InboxError::NotFound)?;
    with_messages(store, caller, request, now).await
}

/// Replies to a request's requester: the text signed with the
/// organisation's key as a block `mamar verify --reply` checks offline,
/// sealed to the requester's codename-derived key and, as a staff copy, to
/// the intake key; written through the intake's one writer, then recorded.
/// The channel has checked the text's length.
pub async fn reply_to_request(
    store: &dyn Store,
    writer: &IntakeWriter,
    caller: &Caller<'_>,
    id: &[u8; 16],
    text: &str,
    now: i64,
) -> Result<(), InboxError> {
    may_read(caller)?;
    let (Some(intake), Some(signing)) = (
        caller.keyring.org_key(OrgKeyKind::Intake),
        caller.keyring.org_key(OrgKeyKind::Signing),
    ) else {
        return Err(InboxError::NoIntakeKey);
    };
    let request = store.intake_request(id).await?.ok_or(InboxError::NotFound)?;
    let signing_key = signing.signing().ok_or(CryptoError::Decrypt)?;
    let block = mamar_keys::signed_reply_text(signing_key, text);
    let requester_key: [u8; 32] = request
        .requester_key
        .as_slice()
        .try_into()
        .map_err(|_| CryptoError::Decrypt)?;
    let requester = EncryptionPublicKey::from_bytes(requester_key);
    let purpose = SealPurpose::Reply {
        request_id: &request.id,
    };
    let intake_public = intake.intake().ok_or(CryptoError::Decrypt)?.public_key();
    let message = IntakeMessage {
        id: super::random_id().map_err(|_| CryptoError::Decrypt)?,
        request_id: request.id,
        from_requester: false,
        sealed: mamar_crypto::seal(&requester, &purpose, block.as_bytes())?,
        key_generation: i64::from(intake.generation()),
        signature: None,
        staff_copy: Some(mamar_crypto::seal(intake_public, &purpose, block.as_bytes())?),
        sent_month: Some(crate::month_of(now)),
        own_copy: None,
    };
    match writer.submit(IntakeWrite::Message(message)).await {
        Ok(()) => {}
        Err(WriteError::Busy) => return Err(InboxError::Busy),
        Err(error) => return Err(InboxError::Write(error)),
    }
    let draft = AuditDraft::new(now, Action::ReplySent, Outcome::Ok)
        .by(Some(caller.staff.id))
        .on(Some(request.id));
    store.append_audit(&draft).await?;
    Ok(())
}
