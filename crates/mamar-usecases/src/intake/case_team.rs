//! The requester's side of a case: once a request is a case, what the
//! requester writes is sealed to the case's inbox key, so it reaches the
//! case team and nobody else (not every intake-key holder).

use mamar_crypto::{EncryptionPublicKey, SealPurpose};
use mamar_store::{OwnCopy, Store};

use crate::CaseError;
use crate::records::InboxPayload;

/// Seals `text` to the team of the case `request` became, if it became one,
/// and stores it with `own` (the requester's copy and the month). Returns
/// `false` when the request is not a case (the caller then seals to the
/// intake key as before). Durable when it returns `true`.
pub async fn message_to_case_team(
    store: &dyn Store,
    request: &[u8; 16],
    text: &str,
    own: Option<&OwnCopy>,
    now: i64,
) -> Result<bool, CaseError> {
    let Some(key) = store.forward_key(request).await? else {
        return Ok(false);
    };
    let key: [u8; 32] = key.as_slice().try_into().map_err(|_| CaseError::Corrupt)?;
    let payload = serde_json::to_vec(&InboxPayload {
        at: now,
        text: text.to_owned(),
    })
    .map_err(|_| CaseError::Corrupt)?;
    let sealed = mamar_crypto::seal(
        &EncryptionPublicKey::from_bytes(key),
        &SealPurpose::CaseInbox { request_id: request },
        &payload,
    )?;
    let id = mamar_crypto::random_bytes::<16>()?;
    store.add_case_inbox_message(request, &id, &sealed, own).await?;
    Ok(true)
}
