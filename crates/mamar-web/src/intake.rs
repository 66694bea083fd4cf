//! The intake path behind the public pages: sealing a request to the
//! organisation's intake key, committing it through the group-commit
//! writer, finding a request again by its codename, and the conversation
//! that follows. Nothing here logs or stores who is asking.

use mamar_crypto::{
    Codename, EncryptionPublicKey, KdfParams, OrgKeyKind, OrgPublicKey, RequesterKeys, SealPurpose,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mamar_store::{IntakeMessage, IntakeRequest, IntakeWrite, StoreError, WriteError};

use crate::state::AppState;

/// Argon2id for codenames. A codename carries at least 80 bits of entropy,
/// so stretching adds nothing against guessing; a small memory-hard step is
/// kept only so the derivation is the same construction as for passwords.
/// It must stay cheap: every submission and every return visit runs it.
pub const CODENAME_KDF: KdfParams = KdfParams {
    m_cost: 64,
    t_cost: 1,
    p_cost: 1,
    version: 0x13,
};

const SALT_SETTING: &str = "codename-salt";

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the intake queue is full")]
    Busy,
    #[error("the organisation has no intake key yet")]
    NoIntakeKey,
    #[error(transparent)]
    Crypto(#[from] mamar_crypto::CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("intake write failed: {0}")]
    Write(String),
}

impl From<WriteError> for IntakeError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Busy => IntakeError::Busy,
            other => IntakeError::Write(other.to_string()),
        }
    }
}

/// The coarse month a request arrived in: the only time mamar keeps of it.
fn this_month() -> String {
    let days = crate::session::now() / 86_400;
    // Civil-from-days (Howard Hinnant's algorithm), to avoid a date crate for one line of output.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

pub fn random_id() -> Result<[u8; 16], IntakeError> {
    Ok(mamar_crypto::generate_salt()?)
}

/// How long a read of the intake public key is used before it is read
/// again. A new generation (`mamar keys rotate`) or the panic action, run
/// from another process, reaches new submissions within this time; older
/// generations stay readable by their holders, so a request sealed to the
/// previous generation in that moment is still read.
pub const INTAKE_KEY_RECHECK: Duration = Duration::from_millis(250);

/// What every submission needs from the database but almost never changes,
/// kept in memory so that a submission costs one write and no reads: the
/// codename salt (public, fixed forever once chosen: every codename's keys
/// depend on it) and the newest intake public key (re-read every
/// [`INTAKE_KEY_RECHECK`]). Neither is secret.
#[derive(Default)]
pub struct IntakeCache {
    salt: tokio::sync::OnceCell<Arc<[u8]>>,
    key: Mutex<Option<CachedKey>>,
    /// Held by the one task that re-reads the key; the others wait for it.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone, Copy)]
struct CachedKey {
    key: EncryptionPublicKey,
    generation: i64,
    read_at: Instant,
}

impl IntakeCache {
    fn fresh_key(&self) -> Option<(EncryptionPublicKey, i64)> {
        let cached = (*self.key.lock().ok()?)?;
        (cached.read_at.elapsed() < INTAKE_KEY_RECHECK).then_some((cached.key, cached.generation))
    }

    fn set_key(&self, value: Option<CachedKey>) {
        if let Ok(mut slot) = self.key.lock() {
            *slot = value;
        }
    }

    /// Forgets the intake key, so the next submission reads it again (after
    /// the panic action in this process, for instance).
    pub fn forget_key(&self) {
        self.set_key(None);
    }
}

impl AppState {
    async fn codename_salt(&self) -> Result<Arc<[u8]>, IntakeError> {
        let salt = self
            .intake_cache
            .salt
            .get_or_try_init(|| async {
                let fresh = mamar_crypto::generate_salt()?;
                let stored = self.store.setting_or_insert(SALT_SETTING, &fresh).await?;
                Ok::<_, IntakeError>(Arc::from(stored))
            })
            .await?;
        Ok(salt.clone())
    }

    /// The newest intake public key and its generation.
    async fn intake_key(&self) -> Result<(EncryptionPublicKey, i64), IntakeError> {
        let cache = &self.intake_cache;
        if let Some(found) = cache.fresh_key() {
            return Ok(found);
        }
        let _refreshing = cache.refresh.lock().await;
        // Another task may have read it while this one waited.
        if let Some(found) = cache.fresh_key() {
            return Ok(found);
        }
        let read_at = Instant::now();
        let read = self.store.org_public_key(OrgKeyKind::Intake.code()).await;
        let Some(bytes) = read? else {
            cache.forget_key();
            return Err(IntakeError::NoIntakeKey);
        };
        let public = OrgPublicKey::from_bytes(&bytes)?;
        let Some(key) = public.intake() else {
            cache.forget_key();
            return Err(IntakeError::NoIntakeKey);
        };
        let cached = CachedKey {
            key: *key,
            generation: i64::from(public.generation()),
            read_at,
        };
        cache.set_key(Some(cached));
        Ok((cached.key, cached.generation))
    }

    async fn requester_keys(&self, codename: &str) -> Result<RequesterKeys, IntakeError> {
        let salt = self.codename_salt().await?;
        let codename = Codename::new(codename.to_owned());
        Ok(RequesterKeys::derive(&codename, &salt, &CODENAME_KDF)?)
    }

    /// The organisation's newest signature-checking key, for replies and cards.
    pub async fn signing_key(&self) -> Option<mamar_crypto::VerifyingKey> {
        let bytes = self
            .store
            .org_public_key(OrgKeyKind::Signing.code())
            .await
            .ok()??;
        OrgPublicKey::from_bytes(&bytes).ok()?.signing().copied()
    }

    /// Seals `answers` to the intake key and commits the request under
    /// `codename`. Returns only once the request is durable.
    pub async fn submit_request(&self, codename: &str, answers: &[u8]) -> Result<(), IntakeError> {
        let keys = self.requester_keys(codename).await?;
        let (intake_key, generation) = self.intake_key().await?;
        let id = random_id()?;
        let sealed = mamar_crypto::seal(&intake_key, &SealPurpose::Intake { request_id: &id }, answers)?;
        let request = IntakeRequest {
            id,
            lookup_tag: keys.lookup_tag().as_bytes().to_vec(),
            requester_key: keys.encryption().public_key().to_bytes().to_vec(),
            sealed,
            intake_generation: generation,
            received_month: this_month(),
        };
        self.intake_writer.submit(IntakeWrite::Request(request)).await?;
        Ok(())
    }

    /// The request a codename belongs to, with the keys to read its replies.
    pub async fn find_request(
        &self,
        codename: &str,
    ) -> Result<Option<(IntakeRequest, RequesterKeys)>, IntakeError> {
        let keys = self.requester_keys(codename).await?;
        let found = self
            .store
            .intake_request_by_tag(keys.lookup_tag().as_bytes())
            .await?;
        Ok(found.map(|request| (request, keys)))
    }

    /// A new message from the requester: to the team of the case the
    /// request became, if it became one, else sealed to the intake key.
    pub async fn add_requester_message(
        &self,
        request: &IntakeRequest,
        text: &str,
    ) -> Result<(), IntakeError> {
        let to_case = mamar_usecases::intake::message_to_case_team(
            self.store.as_ref(),
            &request.id,
            text,
            self.clock.now(),
        )
        .await
        .map_err(|error| IntakeError::Write(error.to_string()))?;
        if to_case {
            return Ok(());
        }
        let (intake_key, generation) = self.intake_key().await?;
        let id = random_id()?;
        let sealed = mamar_crypto::seal(
            &intake_key,
            &SealPurpose::RequesterMessage {
                request_id: &request.id,
            },
            text.as_bytes(),
        )?;
        let message = IntakeMessage {
            id,
            request_id: request.id,
            from_requester: true,
            sealed,
            key_generation: generation,
            signature: None,
            staff_copy: None,
        };
        self.intake_writer.submit(IntakeWrite::Message(message)).await?;
        Ok(())
    }

    /// Wipes a request and everything said in it.
    pub async fn delete_request(&self, request: &IntakeRequest) -> Result<(), IntakeError> {
        self.intake_writer
            .submit(IntakeWrite::Delete {
                request_id: request.id,
            })
            .await?;
        Ok(())
    }
}

/// The message part of a signed reply block (after the first blank line).
pub fn reply_body(block: &str) -> &str {
    block
        .split_once("\n\n")
        .map(|(_, body)| body.trim_end_matches('\n'))
        .unwrap_or(block)
}

/// A staff reply as the requester reads it: the message, whether the
/// organisation's signature on it checks against `fingerprint`, and the
/// signed block to check offline.
pub struct ReadReply {
    pub text: String,
    pub signature_valid: bool,
    pub block: String,
}

/// Opens the replies in a conversation with the requester's keys; the
/// requester's own messages stay sealed to the organisation.
pub fn open_replies(
    keys: &RequesterKeys,
    request: &IntakeRequest,
    messages: &[IntakeMessage],
    fingerprint: &str,
) -> Vec<ReadReply> {
    messages
        .iter()
        .filter(|message| !message.from_requester)
        .filter_map(|message| {
            let plain = mamar_crypto::open(
                keys.encryption(),
                &SealPurpose::Reply {
                    request_id: &request.id,
                },
                &message.sealed,
            )
            .ok()?;
            let block = String::from_utf8_lossy(plain.expose_secret()).into_owned();
            let checked = mamar_keys::verify_reply_text(&block, fingerprint);
            let signature_valid = checked.is_ok();
            let text = checked.unwrap_or_else(|_| reply_body(&block).to_owned());
            Some(ReadReply {
                text,
                signature_valid,
                block,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intake_key_is_kept_briefly_and_forgotten_on_demand() {
        let cache = IntakeCache::default();
        assert!(cache.fresh_key().is_none(), "nothing read yet");
        let key = EncryptionPublicKey::from_bytes([7; 32]);
        cache.set_key(Some(CachedKey {
            key,
            generation: 3,
            read_at: Instant::now(),
        }));
        assert_eq!(cache.fresh_key(), Some((key, 3)));
        cache.forget_key();
        assert!(cache.fresh_key().is_none(), "the panic action forgets it");
        if let Some(long_ago) = Instant::now().checked_sub(INTAKE_KEY_RECHECK) {
            cache.set_key(Some(CachedKey {
                key,
                generation: 3,
                read_at: long_ago,
            }));
            assert!(cache.fresh_key().is_none(), "read again once stale");
        }
    }

    #[test]
    fn months_are_coarse_and_well_formed() {
        let month = this_month();
        assert_eq!(month.len(), 7);
        assert_eq!(&month[4..5], "-");
        assert!(month.as_str() >= "2026-01");
    }
}
