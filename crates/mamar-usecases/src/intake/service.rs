//! [`Intake`]: the one path every channel submits, finds, adds to and
//! deletes requests through.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mamar_core::questionnaire::Answers;
use mamar_crypto::{Codename, EncryptionPublicKey, OrgKeyKind, OrgPublicKey, RequesterKeys, SealPurpose};
use mamar_store::{IntakeMessage, IntakeRequest, IntakeWrite, IntakeWriter, Store, StoreError, WriteError};

use super::admission::{Admission, IntakeLimits};
use super::codename::CODENAME_KDF;

const SALT_SETTING: &str = "codename-salt";

/// Where `mamar card publish` stores the signed contact card.
pub const CARD_SETTING: &str = "contact-card";

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

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
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

/// A request's conversation as its requester reads it.
pub struct Conversation {
    /// Their first request (always first), their own messages and the
    /// replies, in order, each with its month.
    pub entries: Vec<super::Entry>,
    /// Some of their messages were sent before copies were kept for them,
    /// and are not shown.
    pub earlier_not_shown: bool,
    /// The organisation's signing-key fingerprint the replies were checked against.
    pub fingerprint: String,
    /// Messages the requester sent after the request.
    pub sent_later: usize,
}

/// The intake path of one server: the store, the one writer of intake data
/// (group commit, bounded queue), the codename salt and intake key read
/// once, and the limits that close intake. Cheap to clone; every channel of
/// the server shares one.
#[derive(Clone)]
pub struct Intake {
    pub(super) store: Arc<dyn Store>,
    writer: IntakeWriter,
    cache: Arc<IntakeCache>,
    pub(super) admission: Arc<Admission>,
}

impl Intake {
    /// Needs a Tokio runtime: it starts the intake writer.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Intake {
            writer: IntakeWriter::spawn(
                store.clone(),
                mamar_store::DEFAULT_QUEUE,
                mamar_store::DEFAULT_BATCH,
            ),
            store,
            cache: Arc::default(),
            admission: Arc::new(Admission::new(IntakeLimits::NONE)),
        }
    }

    /// Replaces the writer with one of the given queue length and batch size.
    pub fn with_queue(mut self, queue: usize, batch: usize) -> Self {
        self.writer = IntakeWriter::spawn(self.store.clone(), queue, batch);
        self
    }

    /// Closes intake below `limits.min_free_bytes` of free space under the
    /// database and beyond `limits.per_minute` new requests a minute.
    pub fn with_limits(mut self, limits: IntakeLimits) -> Self {
        self.admission = Arc::new(Admission::new(limits));
        self
    }

    /// The one writer of intake data (staff replies go through it too).
    pub fn writer(&self) -> &IntakeWriter {
        &self.writer
    }

    pub fn limits(&self) -> IntakeLimits {
        self.admission.limits()
    }

    /// Forgets the intake key and the state of the keys and the free space
    /// (after the panic action in this process).
    pub fn forget_keys(&self) {
        self.cache.forget_key();
        self.admission.forget();
    }

    async fn codename_salt(&self) -> Result<Arc<[u8]>, IntakeError> {
        let salt = self
            .cache
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
        let cache = &self.cache;
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

    /// The signed contact card `mamar card publish` stored, as text.
    pub async fn contact_card(&self) -> Result<Option<String>, IntakeError> {
        Ok(self
            .store
            .setting(CARD_SETTING)
            .await?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Seals `answers` to the intake key, and what the requester typed in
    /// them under their own-copy key, and commits the request (both in the
    /// same row) under `codename`. Returns only once the request is durable.
    pub async fn submit_request(&self, codename: &str, answers: &Answers) -> Result<(), IntakeError> {
        let keys = self.requester_keys(codename).await?;
        let (intake_key, generation) = self.intake_key().await?;
        let id = random_id()?;
        let bytes = zeroize::Zeroizing::new(answers.to_bytes());
        let sealed = mamar_crypto::seal(&intake_key, &SealPurpose::Intake { request_id: &id }, &bytes)?;
        let own_copy = super::own_copy_of_request(&keys, &id, answers)?;
        let request = IntakeRequest {
            id,
            lookup_tag: keys.lookup_tag().as_bytes().to_vec(),
            requester_key: keys.encryption().public_key().to_bytes().to_vec(),
            sealed,
            intake_generation: generation,
            // The coarse month a request arrived in: the only time mamar keeps of it.
            received_month: crate::month_of(unix_now()),
            own_copy: Some(own_copy),
        };
        self.writer.submit(IntakeWrite::Request(request)).await?;
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

    /// The conversation of a request (the requester's messages stay sealed;
    /// open the replies with [`super::open_replies`]).
    pub async fn messages(&self, request: &IntakeRequest) -> Result<Vec<IntakeMessage>, IntakeError> {
        Ok(self.store.intake_messages(&request.id).await?)
    }

    /// What the requester reads on coming back: their first request, their
    /// own messages and the staff replies opened with the codename's keys (the replies checked
    /// against the signing key), each with its month, the key's fingerprint,
    /// and how many messages the requester sent after the request.
    pub async fn conversation(
        &self,
        request: &IntakeRequest,
        keys: &RequesterKeys,
    ) -> Result<Conversation, IntakeError> {
        let messages = self.messages(request).await?;
        let fingerprint = self
            .signing_key()
            .await
            .map(|key| key.fingerprint().to_string())
            .unwrap_or_default();
        let (entries, earlier_not_shown) = super::read_conversation(keys, request, &messages, &fingerprint);
        Ok(Conversation {
            entries,
            earlier_not_shown,
            fingerprint,
            sent_later: messages.iter().filter(|message| message.from_requester).count(),
        })
    }

    /// A new message from the requester: to the team of the case the
    /// request became, if it became one, else sealed to the intake key;
    /// either way with the requester's own copy, sealed to their key, and
    /// the month.
    pub async fn add_requester_message(
        &self,
        request: &IntakeRequest,
        text: &str,
        now: i64,
    ) -> Result<(), IntakeError> {
        let own = super::own_copy(request, text, now)?;
        let to_case = super::message_to_case_team(self.store.as_ref(), &request.id, text, Some(&own), now)
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
            sent_month: Some(own.sent_month),
            own_copy: Some(own.sealed),
        };
        self.writer.submit(IntakeWrite::Message(message)).await?;
        Ok(())
    }

    /// Wipes a request and everything said in it.
    pub async fn delete_request(&self, request: &IntakeRequest) -> Result<(), IntakeError> {
        self.writer
            .submit(IntakeWrite::Delete {
                request_id: request.id,
            })
            .await?;
        Ok(())
    }
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
        let month = crate::month_of(unix_now());
        assert_eq!(month.len(), 7);
        assert_eq!(&month[4..5], "-");
        assert!(month.as_str() >= "2026-01");
    }
}
