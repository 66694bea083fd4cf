//! Break-glass (issue 16), once an organisation has set it up (`mamar keys
//! break-glass setup`, `mamar_keys::set_up_break_glass`): an administrator
//! off a case asks to read it with a written reason and a duration; other
//! administrators approve, each handing over their share of the escrow
//! secret, sealed to the asker, in their own session; with k shares the
//! asker's session rebuilds the escrow key, opens that one case's escrow
//! wrap and stores a grant of the case key that ends at the chosen time. The
//! asker then reads the case as a read-only break-glass member of its team.
//! At expiry [`expire_break_glass`] deletes the grant and marks the case for
//! a new key, given at the next act of a holder ([`maintain`]), since
//! deleting a grant does not erase a key its holder could have kept.
//!
//! Every administrator sees each request and grant while it is live
//! ([`break_glass_alerts`]); request, approvals, opening and expiry are audit
//! entries (their object is the case).

use mamar_audit::{Action, Outcome};
use mamar_core::StaffId;
use mamar_core::case::breakglass::BreakGlassRequest;
use mamar_core::case::machine::Effect;
use mamar_core::case::{CaseReference, CaseRuleError};
use mamar_crypto::{CaseKey, EncryptionPublicKey, RecoveryShare, SealPurpose, StaffPublicKeys};
use mamar_store::{BreakGlassRequestRecord, BreakGlassSetup, CaseChange, Store};

use super::{Loaded, random_id, state_of};
use crate::config::CaseConfig;
use crate::{Caller, CaseError};

/// The shortest grant: a minute.
const MIN_DURATION_SECS: i64 = 60;

/// A live break-glass request or grant, as an administrator's workspace shows it.
#[derive(Debug, Clone)]
pub struct BreakGlassAlert {
    pub request_id: [u8; 16],
    pub case_id: [u8; 16],
    pub reference: Option<CaseReference>,
    pub asked_by: StaffId,
    pub asked_by_name: String,
    /// The written reason, opened with the caller's keys (`None` if it was not sealed to them).
    pub reason: Option<String>,
    pub threshold: i64,
    /// Shares the asker holds now (their own and the approvers').
    pub shares: i64,
    pub duration_secs: i64,
    pub expires_at: i64,
    /// Set while the grant is live: it ends then.
    pub grant_until: Option<i64>,
    /// The caller asked.
    pub mine: bool,
    /// The caller may approve it now.
    pub can_approve: bool,
    /// The caller asked and holds enough shares to open the case.
    pub can_open: bool,
}

/// What opening gave the asker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakGlassOpened {
    pub case_id: [u8; 16],
    pub grant_until: i64,
}

async fn setup(store: &dyn Store) -> Result<BreakGlassSetup, CaseError> {
    store
        .break_glass_setup()
        .await?
        .ok_or(CaseError::BreakGlassNotSetUp)
}

fn escrow_key(setup: &BreakGlassSetup) -> Result<EncryptionPublicKey, CaseError> {
    let bytes: [u8; 32] = setup
        .public_key
        .as_slice()
        .try_into()
        .map_err(|_| CaseError::Corrupt)?;
    Ok(EncryptionPublicKey::from_bytes(bytes))
}

fn rule_of(record: &BreakGlassRequestRecord) -> Result<BreakGlassRequest, CaseError> {
    Ok(BreakGlassRequest {
        asked_by: record.asked_by,
        threshold: u8::try_from(record.threshold).map_err(|_| CaseError::Corrupt)?,
        approvers: record.approvers.clone(),
        expires_at: record.expires_at,
    })
}

/// The caller's own share, opened with their keys.
async fn own_share(
    store: &dyn Store,
    caller: &Caller<'_>,
    setup: &BreakGlassSetup,
) -> Result<RecoveryShare, CaseError> {
    let sealed = store
        .break_glass_share(caller.staff.id)
        .await?
        .ok_or(CaseError::NoBreakGlassShare)?;
    let purpose = SealPurpose::BreakGlassShare { id: &setup.setup_id };
    let bytes = mamar_crypto::open(caller.keyring.staff().encryption(), &purpose, &sealed)?;
    Ok(RecoveryShare::from_bytes(bytes.expose_secret())?)
}

/// A request still waiting for approvals, or a grant still live, at `now`.
fn live(record: &BreakGlassRequestRecord, now: i64) -> bool {
    match record.grant_until {
        Some(until) => until > now,
        None => record.expires_at > now,
    }
}

/// An administrator asks to read `case` by break-glass for `duration_secs`
/// (capped at the configured maximum), with `reason`. The reason is sealed to
/// every administrator. Returns the request's id.
pub async fn ask_break_glass(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    reason: &str,
    duration_secs: i64,
    now: i64,
) -> Result<[u8; 16], CaseError> {
    let setup = setup(store).await?;
    if reason.trim().is_empty() {
        return Err(CaseRuleError::ReasonNeeded.into());
    }
    let reason = super::act::checked_text(reason, true)?;
    if duration_secs < MIN_DURATION_SECS {
        return Err(CaseError::BadDuration);
    }
    let duration = duration_secs.min(config.break_glass_max_secs);
    let file = store.case_file(case).await?.ok_or(CaseError::NotFound)?;
    let state = state_of(&file, None)?;
    let threshold = u8::try_from(setup.threshold).map_err(|_| CaseError::Corrupt)?;
    let expires_at = now + config.break_glass_max_secs;
    BreakGlassRequest::ask(&caller.actor(), &state, true, threshold, expires_at)?;
    // The asker's share counts as one: without it they could not open what they ask for.
    own_share(store, caller, &setup).await?;
    if store
        .break_glass_requests()
        .await?
        .iter()
        .any(|r| r.case_id == *case && live(r, now))
    {
        return Err(CaseRuleError::AlreadyPending.into());
    }
    let id = random_id()?;
    let purpose = SealPurpose::BreakGlassReason { request_id: &id };
    let mut reasons = Vec::new();
    for (admin, public) in mamar_keys::break_glass_holders(store).await? {
        reasons.push((
            admin,
            mamar_crypto::seal(public.encryption(), &purpose, reason.as_bytes())?,
        ));
    }
    let record = BreakGlassRequestRecord {
        id,
        case_id: *case,
        asked_by: caller.staff.id,
        threshold: setup.threshold,
        duration,
        asked_at: now,
        expires_at,
        grant_until: None,
        approvers: Vec::new(),
    };
    store.add_break_glass_request(&record, &reasons).await?;
    mamar_store::audit::record(
        store,
        Some(caller.staff.id),
        Action::BreakGlassRequested,
        Some(*case),
        Outcome::Ok,
    )
    .await?;
    Ok(id)
}

/// Another administrator approves: their share is opened in their session
/// and sealed to the asker. `Effect::Granted` when the asker now holds k shares.
pub async fn approve_break_glass(
    store: &dyn Store,
    caller: &Caller<'_>,
    request: &[u8; 16],
    now: i64,
) -> Result<Effect, CaseError> {
    let record = store
        .break_glass_request(request)
        .await?
        .filter(|r| r.grant_until.is_none())
        .ok_or(CaseError::NoSuchBreakGlassRequest)?;
    let setup = setup(store).await?;
    let mut rule = rule_of(&record)?;
    let effect = rule.approve(&caller.actor(), now)?;
    let share = own_share(store, caller, &setup).await?;
    let asker = store
        .staff_by_id(record.asked_by)
        .await?
        .ok_or(CaseError::NoSuchStaff)?;
    let asker_keys = StaffPublicKeys::from_bytes(&asker.public_keys)?;
    let purpose = SealPurpose::BreakGlassShare { id: request };
    let sealed = mamar_crypto::seal(
        asker_keys.encryption(),
        &purpose,
        share.to_bytes().expose_secret(),
    )?;
    drop(share);
    store
        .add_break_glass_approval(request, caller.staff.id, &sealed)
        .await
        .map_err(|error| match error {
            mamar_store::StoreError::Conflict => CaseError::Rule(CaseRuleError::AlreadyApproved),
            other => other.into(),
        })?;
    mamar_store::audit::record(
        store,
        Some(caller.staff.id),
        Action::BreakGlassApproved,
        Some(record.case_id),
        Outcome::Ok,
    )
    .await?;
    Ok(effect)
}

/// The asker, holding k shares, opens the case: the shares are combined in
/// this session, the escrow wrap of that one case key opened, and the key
/// wrapped to the asker until the grant ends. The secret, the escrow key
/// and the case key are zeroized when this returns.
pub async fn open_break_glass(
    store: &dyn Store,
    caller: &Caller<'_>,
    request: &[u8; 16],
    now: i64,
) -> Result<BreakGlassOpened, CaseError> {
    let record = store
        .break_glass_request(request)
        .await?
        .filter(|r| r.asked_by == caller.staff.id && r.grant_until.is_none())
        .ok_or(CaseError::NoSuchBreakGlassRequest)?;
    let setup = setup(store).await?;
    if record.expires_at <= now {
        return Err(CaseRuleError::Expired.into());
    }
    if !rule_of(&record)?.is_complete() {
        return Err(CaseError::BreakGlassWaiting);
    }
    let mut shares = vec![own_share(store, caller, &setup).await?];
    let purpose = SealPurpose::BreakGlassShare { id: request };
    for (_, sealed) in store.break_glass_approvals(request).await? {
        let bytes = mamar_crypto::open(caller.keyring.staff().encryption(), &purpose, &sealed)?;
        shares.push(RecoveryShare::from_bytes(bytes.expose_secret())?);
    }
    let secret = mamar_crypto::combine(&shares)?;
    drop(shares);
    let escrow = secret.break_glass_key_pair();
    drop(secret);
    if escrow.public_key() != &escrow_key(&setup)? {
        return Err(CaseError::Corrupt);
    }
    let case = record.case_id;
    let wrapped_escrow = store.case_escrow(&case).await?.ok_or(CaseError::NoEscrow)?;
    let key = CaseKey::unwrap_escrow(&wrapped_escrow, &case, &escrow)?;
    drop(escrow);
    let own = StaffPublicKeys::from_bytes(&caller.staff.public_keys)?;
    let wrapped = key.wrap_to(&own, &case)?;
    drop(key);
    let grant_until = now + record.duration;
    store.open_break_glass(request, &wrapped, grant_until).await?;
    mamar_store::audit::record(
        store,
        Some(caller.staff.id),
        Action::BreakGlassOpened,
        Some(case),
        Outcome::Ok,
    )
    .await?;
    Ok(BreakGlassOpened {
        case_id: case,
        grant_until,
    })
}

/// Ends every break-glass grant whose time is over (the scheduled job of
/// `mamar serve` runs it): the grant and the reader's place on the team go,
/// and the case gets a new key at the next act of a holder. Requests that
/// lapsed unopened are forgotten. Returns how many grants ended.
pub async fn expire_break_glass(store: &dyn Store, now: i64) -> Result<usize, CaseError> {
    let ended = store.expire_break_glass(now).await?;
    for request in &ended {
        mamar_store::audit::record(
            store,
            Some(request.asked_by),
            Action::BreakGlassExpired,
            Some(request.case_id),
            Outcome::Ok,
        )
        .await?;
    }
    Ok(ended.len())
}

/// How many break-glass requests wait and grants are live at `now` (the
/// count in an administrator's navigation; nothing is opened).
pub(super) async fn live_count(store: &dyn Store, now: i64) -> Result<usize, CaseError> {
    Ok(store
        .break_glass_requests()
        .await?
        .iter()
        .filter(|r| live(r, now))
        .count())
}

/// The live break-glass requests and grants, for an administrator's
/// workspace and navigation (empty for everyone else).
pub async fn break_glass_alerts(
    store: &dyn Store,
    caller: &Caller<'_>,
    now: i64,
) -> Result<Vec<BreakGlassAlert>, CaseError> {
    let actor = caller.actor();
    if !actor.is_administrator() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for record in store.break_glass_requests().await? {
        if !live(&record, now) {
            continue;
        }
        let reason = match store.break_glass_reason(&record.id, caller.staff.id).await? {
            Some(sealed) => {
                let purpose = SealPurpose::BreakGlassReason {
                    request_id: &record.id,
                };
                mamar_crypto::open(caller.keyring.staff().encryption(), &purpose, &sealed)
                    .ok()
                    .and_then(|plain| String::from_utf8(plain.expose_secret().to_vec()).ok())
            }
            None => None,
        };
        let reference = store
            .case_file(&record.case_id)
            .await?
            .and_then(|f| f.reference)
            .and_then(|r| CaseReference::parse(&r).ok());
        let asked_by_name = store
            .staff_by_id(record.asked_by)
            .await?
            .map(|s| s.username.as_str().to_owned())
            .unwrap_or_default();
        let rule = rule_of(&record)?;
        let waiting = record.grant_until.is_none();
        let can_approve = waiting && rule.clone().approve(&actor, now).is_ok();
        let mine = record.asked_by == caller.staff.id;
        out.push(BreakGlassAlert {
            request_id: record.id,
            case_id: record.case_id,
            reference,
            asked_by: record.asked_by,
            asked_by_name,
            reason,
            threshold: record.threshold,
            shares: i64::try_from(rule.shares()).unwrap_or(i64::MAX),
            duration_secs: record.duration,
            expires_at: record.expires_at,
            grant_until: record.grant_until,
            mine,
            can_approve,
            can_open: mine && waiting && rule.is_complete(),
        });
    }
    Ok(out)
}

/// [`ask_break_glass`] for the case `reference` names: `CaseError::NotFound` when it names none
/// that this server holds.
pub async fn ask_break_glass_for_reference(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    reference: &CaseReference,
    reason: &str,
    duration_secs: i64,
    now: i64,
) -> Result<[u8; 16], CaseError> {
    let case = store
        .case_by_reference(&reference.stored())
        .await?
        .ok_or(CaseError::NotFound)?;
    ask_break_glass(store, config, caller, &case, reason, duration_secs, now).await
}

/// What an administrator's break-glass page shows: whether break-glass is set up and with what
/// threshold, how many cases still lack an escrow wrap, where the shares are, and the live
/// requests and grants. Empty (as if nothing were set up) for anyone but an administrator.
#[derive(Debug, Default)]
pub struct BreakGlassOverview {
    pub setup: Option<BreakGlassSetup>,
    pub cases_without_escrow: u64,
    /// `None` when not set up, or when the holders could not be counted (the page then says
    /// nothing about them rather than something wrong).
    pub share_holders: Option<mamar_keys::ShareHolders>,
    pub alerts: Vec<BreakGlassAlert>,
}

pub async fn break_glass_overview(
    store: &dyn Store,
    caller: &Caller<'_>,
    now: i64,
) -> Result<BreakGlassOverview, CaseError> {
    if !caller.actor().is_administrator() {
        return Ok(BreakGlassOverview::default());
    }
    let setup = store.break_glass_setup().await?;
    let (cases_without_escrow, share_holders) = match &setup {
        Some(setup) => (
            store.cases_without_escrow().await?,
            mamar_keys::break_glass_share_holders(store, setup).await.ok(),
        ),
        None => (0, None),
    };
    Ok(BreakGlassOverview {
        setup,
        cases_without_escrow,
        share_holders,
        alerts: break_glass_alerts(store, caller, now).await?,
    })
}

/// Run on every load of a case by a holder of its key: a case a break-glass
/// reader held gets a new key (the unassign path's re-key, wrapped to the
/// people on it now), and a case without an escrow wrap gets one once
/// break-glass is set up.
pub(super) async fn maintain(store: &dyn Store, loaded: Loaded) -> Result<Loaded, CaseError> {
    let id = loaded.file.id;
    if store.case_rekey_due(&id).await? {
        let (new_key, rekey, inbox_record) =
            super::act::new_key(store, &loaded, &loaded.state.members()).await?;
        let file = &loaded.file;
        let change = CaseChange {
            expected_version: file.version,
            stage: file.stage.clone(),
            frozen: file.frozen,
            owner: file.owner,
            active_day: file.active_day,
            team: file.team.clone(),
            add_records: vec![inbox_record],
            rekey: Some(rekey),
            ..CaseChange::default()
        };
        store.change_case(&id, &change).await?;
        let file = store.case_file(&id).await?.ok_or(CaseError::NotFound)?;
        let state = state_of(&file, Some(&new_key))?;
        return Ok(Loaded {
            file,
            state,
            key: new_key,
        });
    }
    if let Some(setup) = store.break_glass_setup().await?
        && store.case_escrow(&id).await?.is_none()
    {
        let wrapped = loaded.key.wrap_to_escrow(&escrow_key(&setup)?, &id)?;
        store.put_case_escrow(&id, &wrapped).await?;
    }
    Ok(loaded)
}
