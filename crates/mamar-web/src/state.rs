use std::sync::Arc;

use mamar_core::Organisation;
use mamar_store::{Store, StoreError};
use mamar_usecases::intake::{Intake, IntakeLimits};
use tokio::sync::RwLock;

/// What every handler can reach. Cheap to clone: one reference count, since
/// axum clones the state for every middleware layer and extractor of every
/// request (cloning the parts field by field, some twenty reference counts
/// touched from both cores, cost about a twelfth of the intake's processor
/// time). Changing a part (the `with_*` builders) copies the parts if the
/// state is shared, as a field-by-field clone did.
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut SharedState {
        Arc::make_mut(&mut self.0)
    }
}

/// The parts of [`AppState`].
#[derive(Clone)]
pub struct SharedState {
    pub store: Arc<dyn Store>,
    organisation: Arc<RwLock<Option<Organisation>>>,
    /// Password hashing is memory-hard (64 MiB or more each): only this many run at once.
    pub unlock_permits: Arc<tokio::sync::Semaphore>,
    /// The intake path every channel shares (`mamar_usecases::intake`): the
    /// one writer of intake data, the codename salt and intake key read once,
    /// the floor of free space and the ceiling of new requests.
    pub intake: Intake,
    /// Password steps from browsers not known to the account wait here, one
    /// at a time, before the permits (see `auth::login::check_password`).
    pub untrusted_logins: Arc<tokio::sync::Semaphore>,
    /// Device cookies of staff logins (see `auth::device`).
    pub devices: Arc<crate::auth::device::Devices>,
    /// Shared by every visitor: failed codename look-ups (see `limits`).
    pub lookup_failures: Arc<crate::limits::FailureBudget>,
    /// Keyed hashes of the request forms sent in the last hour (`once`).
    pub submission_tokens: Arc<crate::once::SubmissionTokens>,
    /// The organisation's questionnaire (the shipped default unless configured).
    pub questionnaire: Arc<mamar_core::questionnaire::Questionnaire>,
    /// How the organisation works its cases (`cases_file`).
    pub cases: Arc<mamar_usecases::CaseConfig>,
    pub clock: Arc<crate::auth::Clock>,
    /// The server's own audit checkpoints: the in-memory checkpoint key that a
    /// holder of the organisation's signing key certifies at login.
    pub checkpoints: Arc<mamar_usecases::audit_checkpoints::Checkpointer>,
    /// How often checkpoints are made, and when the audit page warns that none was copied.
    pub checkpoint_schedule: mamar_usecases::audit_checkpoints::CheckpointSchedule,
    /// Security keys and passkeys, when the server knows the origin people reach it at.
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// Where people reach this server (`https://…`, an onion address, or
    /// `http://localhost:PORT` on a trial): links given out in full start with it.
    pub public_origin: Option<Arc<str>>,
    /// The Argon2id parameters of the first administrator's keys, learnt on
    /// first use: new accounts get the same, and a login for an unknown
    /// account costs the same work as one for a real account.
    kdf_params: Arc<tokio::sync::OnceCell<mamar_crypto::KdfParams>>,
    /// Where the analyst's dashboard reads the cases' facets (none: nothing kept yet).
    pub facets: Option<Arc<dyn crate::facet_source::FacetSource>>,
    /// The stand-alone verifier's builds the operator offers (`verifier_dir`).
    pub verifier: Option<Arc<crate::downloads::VerifierDownloads>>,
    /// The age scrypt work factor of case exports (`mamar_usecases::cases::EXPORT_WORK_FACTOR`;
    /// tests use less).
    pub export_work_factor: u8,
}

/// How many Argon2id derivations may run at the same time.
pub(crate) const CONCURRENT_UNLOCKS: usize = 2;

/// Failed codename look-ups allowed in a burst, and earned back per second.
const LOOKUP_FAILURE_BUDGET: u32 = 30;
const LOOKUP_FAILURE_REFILL_PER_SECOND: u32 = 5;

impl AppState {
    /// Needs a Tokio runtime: it starts the intake writer.
    pub fn new(store: Arc<dyn Store>) -> Self {
        AppState(Arc::new(SharedState {
            store: store.clone(),
            organisation: Arc::new(RwLock::new(None)),
            unlock_permits: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_UNLOCKS)),
            intake: Intake::new(store.clone()),
            untrusted_logins: Arc::new(tokio::sync::Semaphore::new(1)),
            devices: Arc::default(),
            lookup_failures: Arc::new(crate::limits::FailureBudget::new(
                LOOKUP_FAILURE_BUDGET,
                LOOKUP_FAILURE_REFILL_PER_SECOND,
            )),
            submission_tokens: Arc::new(crate::once::SubmissionTokens::default()),
            questionnaire: Arc::new(mamar_core::questionnaire::Questionnaire::default_shipped()),
            cases: Arc::new(mamar_usecases::CaseConfig::shipped()),
            clock: Arc::new(crate::auth::Clock::default()),
            checkpoints: Arc::new(mamar_usecases::audit_checkpoints::Checkpointer::new(
                store.clone(),
            )),
            checkpoint_schedule: Default::default(),
            webauthn: None,
            public_origin: None,
            kdf_params: Arc::new(tokio::sync::OnceCell::new()),
            facets: Some(Arc::new(crate::facet_source::StoredFacets::new(store.clone()))),
            verifier: None,
            export_work_factor: mamar_usecases::cases::EXPORT_WORK_FACTOR,
        }))
    }

    /// Encrypts case exports with this scrypt work factor (tests: a small one).
    pub fn with_export_work_factor(mut self, log_n: u8) -> Self {
        self.export_work_factor = log_n;
        self
    }

    /// Allows `capacity` failed codename look-ups at once, earning back
    /// `per_second` each second (shared by everyone: no trace of who asked).
    pub fn with_lookup_budget(mut self, capacity: u32, per_second: u32) -> Self {
        self.lookup_failures = Arc::new(crate::limits::FailureBudget::new(capacity, per_second));
        self
    }

    /// Closes intake below `limits.min_free_bytes` of free space under the
    /// database and beyond `limits.per_minute` new requests a minute.
    pub fn with_intake_limits(mut self, limits: IntakeLimits) -> Self {
        self.intake = self.intake.clone().with_limits(limits);
        self
    }

    /// Links given out in full (invitations) start with `origin` (a trailing
    /// slash is dropped).
    pub fn with_public_origin(mut self, origin: &str) -> Self {
        self.public_origin = Some(Arc::from(origin.trim_end_matches('/')));
        self
    }

    /// `path` as a full link from the public origin; the path alone when the
    /// origin is not known.
    pub fn full_link(&self, path: &str) -> String {
        match &self.public_origin {
            Some(origin) => format!("{origin}{path}"),
            None => path.to_owned(),
        }
    }

    /// Offers the verifier builds found in `downloads` on the verify page.
    pub fn with_verifier_downloads(mut self, downloads: crate::downloads::VerifierDownloads) -> Self {
        self.verifier = Some(Arc::new(downloads));
        self
    }

    /// Offers security keys and passkeys for the site at `origin` (its
    /// relying-party id is the origin's host). WebAuthn needs HTTPS, or
    /// `http://localhost` for trials and tests.
    pub fn with_webauthn(mut self, origin: &str, name: &str) -> Result<Self, WebauthnSetupError> {
        let url =
            webauthn_rs::prelude::Url::parse(origin).map_err(|_| WebauthnSetupError(origin.to_owned()))?;
        let host = url
            .host_str()
            .ok_or_else(|| WebauthnSetupError(origin.to_owned()))?
            .to_owned();
        // On localhost (trials and tests) the port may change from run to run.
        let any_port = host == "localhost";
        let webauthn = webauthn_rs::WebauthnBuilder::new(&host, &url)
            .map(|builder| builder.rp_name(name).allow_any_port(any_port))
            .and_then(|builder| builder.build())
            .map_err(|_| WebauthnSetupError(origin.to_owned()))?;
        self.webauthn = Some(Arc::new(webauthn));
        Ok(self)
    }

    /// The Argon2id parameters staff keys are wrapped with here (see the field).
    pub async fn kdf_params(&self) -> Result<mamar_crypto::KdfParams, StoreError> {
        self.kdf_params
            .get_or_try_init(|| async {
                for staff in self.store.all_staff().await? {
                    if let Ok(params) =
                        mamar_crypto::StaffKeyPair::password_kdf_params(&staff.wrapped_secret_keys)
                    {
                        return Ok(params);
                    }
                }
                Ok(mamar_crypto::KdfParams::production())
            })
            .await
            .cloned()
    }

    /// Replaces the intake writer with one of the given queue length and
    /// batch size (for deployments that tune back-pressure, and for tests).
    pub fn with_intake_queue(mut self, queue: usize, batch: usize) -> Self {
        self.intake = self.intake.clone().with_queue(queue, batch);
        self
    }

    /// Checkpoints every `schedule.every_secs` (once [`crate::spawn_audit_checkpoints`]
    /// runs) and warns after `schedule.warn_after_secs` without a copy.
    pub fn with_checkpoint_schedule(
        mut self,
        schedule: mamar_usecases::audit_checkpoints::CheckpointSchedule,
    ) -> Self {
        self.checkpoint_schedule = schedule;
        self
    }

    /// Uses the organisation's own questionnaire instead of the shipped default.
    pub fn with_case_config(mut self, cases: mamar_usecases::CaseConfig) -> Self {
        self.cases = Arc::new(cases);
        self
    }

    /// Gives the dashboard its facets (see `facet_source`).
    pub fn with_facets(mut self, source: Arc<dyn crate::facet_source::FacetSource>) -> Self {
        self.facets = Some(source);
        self
    }

    pub fn with_questionnaire(mut self, questionnaire: mamar_core::questionnaire::Questionnaire) -> Self {
        self.questionnaire = Arc::new(questionnaire);
        self
    }

    /// The organisation, once set up. `mamar init` may run in another process
    /// while the server is up, so an absent organisation is looked up again
    /// on the next request; a present one is kept.
    pub async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
        if let Some(org) = self.organisation.read().await.as_ref() {
            return Ok(Some(org.clone()));
        }
        let found = self.store.organisation().await?;
        if let Some(org) = &found {
            *self.organisation.write().await = Some(org.clone());
        }
        Ok(found)
    }
}

/// The configured public origin cannot serve WebAuthn.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0:?} is not an origin security keys can work with: it needs https:// (or http://localhost) and a host name"
)]
pub struct WebauthnSetupError(String);
