//! Partner organisations and referrals (issue 16). An administrator
//! registers a partner by its signed contact card (checked as `mamar
//! verify` checks it, against the fingerprint the partner gave); a second
//! administrator confirms that fingerprint before the partner can receive
//! anything. Liaison accounts belong to exactly one partner.
//!
//! A referral shares only fields the coordinator chooses, and only those the
//! requester consented to for that partner: consent given by the requester
//! on the follow-up page, or recorded by staff from a call and approved by a
//! second person. The check is here, under every channel, for every role.
//! What is shared is encrypted under a fresh referral key wrapped only to
//! the partner's liaisons. Revoking deletes those wrapped keys and erases
//! the ciphertext at once; a later referral has a new key, so a key kept
//! from before opens nothing new.

use mamar_audit::{Action, Outcome};
use mamar_core::partner::{
    ReferralField, ReferralStatus, check_answer, check_confirmation, check_referral, fields_from_text,
    fields_to_text,
};
use mamar_core::{Role, StaffId};
use mamar_crypto::{RecordContext, ReferralKey, StaffPublicKeys};
use mamar_keys::CardDate;
use mamar_store::{PartnerRecord, ReferralRecord, Store};
use serde::{Deserialize, Serialize};

use crate::cases::may_refer;
use crate::records::{self, Identity, Summary};
use crate::{Caller, CaseError, day_of};

mod consent;

use consent::consent_of;
pub use consent::{
    RequesterConsent, Withdrawal, approve_consent, consents_of, give_consent, record_call_consent,
    request_is_case, requester_consents, withdraw_consent,
};

/// The record kind a referral's content is encrypted as.
const REFERRAL_CONTENT: &str = "referral.content";
const SCHEMA: u32 = 1;

/// A partner as the pages show it.
#[derive(Debug, Clone)]
pub struct PartnerView {
    pub id: [u8; 16],
    pub name_ar: String,
    pub name_en: String,
    /// The card's fingerprint, as hex.
    pub fingerprint: String,
    pub registered_by: StaffId,
    pub confirmed_by: Option<StaffId>,
    pub liaisons: Vec<StaffId>,
}

impl PartnerView {
    pub fn confirmed(&self) -> bool {
        self.confirmed_by.is_some()
    }

    /// The partner's name in `locale`.
    pub fn name(&self, locale: mamar_core::Locale) -> &str {
        match locale {
            mamar_core::Locale::Ar => &self.name_ar,
            _ => &self.name_en,
        }
    }
}

/// A consent on a case, as the case page shows it.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub id: [u8; 16],
    pub partner: [u8; 16],
    pub fields: Vec<ReferralField>,
    pub by_requester: bool,
    pub recorded_by: Option<StaffId>,
    pub in_force: bool,
    /// The day (since the epoch) the requester withdrew it.
    pub withdrawn_day: Option<i64>,
}

/// A referral, as the case team sees it (never its content: they have the case).
#[derive(Debug, Clone)]
pub struct ReferralView {
    pub id: [u8; 16],
    pub partner: [u8; 16],
    pub fields: Vec<ReferralField>,
    pub handover: bool,
    pub status: ReferralStatus,
    /// A liaison of the partner has opened it: they have seen these fields.
    pub seen: bool,
    pub offered_by: StaffId,
    pub offered_day: i64,
}

/// A referral as the partner's liaison reads it: exactly the fields shared.
#[derive(Debug, Clone)]
pub struct LiaisonReferral {
    pub id: [u8; 16],
    pub handover: bool,
    pub status: ReferralStatus,
    pub offered_day: i64,
    pub fields: Vec<(ReferralField, String)>,
}

/// What a referral's content holds: the shared fields and their values.
#[derive(Serialize, Deserialize)]
struct Shared {
    fields: Vec<(String, String)>,
    /// For a handover: the case key wrapped to each liaison (staff id, wrapped key; hex),
    /// which becomes the accepting liaison's grant to the case.
    #[serde(default)]
    case_keys: Vec<(String, String)>,
}

fn require_admin(caller: &Caller<'_>) -> Result<(), CaseError> {
    if caller.staff.roles.contains(&Role::Administrator) {
        Ok(())
    } else {
        Err(mamar_core::case::CaseRuleError::AdministratorOnly.into())
    }
}

fn view(record: PartnerRecord, liaisons: Vec<StaffId>) -> PartnerView {
    PartnerView {
        id: record.id,
        name_ar: record.name_ar,
        name_en: record.name_en,
        fingerprint: hex::encode(&record.fingerprint),
        registered_by: record.registered_by,
        confirmed_by: record.confirmed_by,
        liaisons,
    }
}

pub(crate) async fn audit(
    store: &dyn Store,
    actor: Option<StaffId>,
    action: Action,
    object: [u8; 16],
) -> Result<(), CaseError> {
    mamar_store::audit::record(store, actor, action, Some(object), Outcome::Ok).await?;
    Ok(())
}

/// An administrator registers a partner by its signed contact card, checked
/// against the fingerprint the partner gave (as `mamar verify` checks it).
/// The partner receives nothing until another administrator confirms it.
pub async fn register_partner(
    store: &dyn Store,
    caller: &Caller<'_>,
    card: &str,
    fingerprint: &str,
    today: CardDate,
) -> Result<[u8; 16], CaseError> {
    require_admin(caller)?;
    let verified = mamar_keys::verify_card(card, fingerprint, today)?;
    let fingerprint = mamar_keys::parse_fingerprint(fingerprint)?;
    let id = crate::cases::new_id()?;
    store
        .add_partner(&PartnerRecord {
            id,
            name_ar: verified.org_name_ar,
            name_en: verified.org_name_en,
            card: card.to_owned(),
            fingerprint: fingerprint.to_vec(),
            registered_by: caller.staff.id,
            confirmed_by: None,
        })
        .await
        .map_err(|e| match e {
            mamar_store::StoreError::Conflict => CaseError::PartnerExists,
            other => other.into(),
        })?;
    audit(store, Some(caller.staff.id), Action::PartnerRegistered, id).await?;
    Ok(id)
}

/// A second administrator confirms the partner's fingerprint, read to them
/// by the partner (typed again here, it must match the card's).
pub async fn confirm_partner(
    store: &dyn Store,
    caller: &Caller<'_>,
    partner: &[u8; 16],
    fingerprint: &str,
) -> Result<(), CaseError> {
    require_admin(caller)?;
    let record = store.partner(partner).await?.ok_or(CaseError::NoSuchPartner)?;
    check_confirmation(record.registered_by, record.confirmed_by, caller.staff.id)?;
    let typed = mamar_keys::parse_fingerprint(fingerprint)?;
    if typed.as_slice() != record.fingerprint.as_slice() {
        return Err(mamar_core::partner::PartnerRuleError::FingerprintMismatch.into());
    }
    if !store.confirm_partner(partner, caller.staff.id).await? {
        return Err(mamar_core::partner::PartnerRuleError::AlreadyConfirmed.into());
    }
    audit(store, Some(caller.staff.id), Action::PartnerConfirmed, *partner).await
}

/// An administrator replaces a partner's card by a newer one signed by the
/// same key (new channels, or the `referral-seal` key a card published
/// before referral files lacked). The fingerprint a second administrator
/// confirmed is unchanged, so the confirmation stands; a card of another
/// key is refused.
pub async fn renew_partner_card(
    store: &dyn Store,
    caller: &Caller<'_>,
    partner: &[u8; 16],
    card: &str,
    today: CardDate,
) -> Result<(), CaseError> {
    require_admin(caller)?;
    let record = store.partner(partner).await?.ok_or(CaseError::NoSuchPartner)?;
    let verified = mamar_keys::verify_card(card, &hex::encode(&record.fingerprint), today)?;
    if !store
        .renew_partner_card(partner, card, &verified.org_name_ar, &verified.org_name_en)
        .await?
    {
        return Err(CaseError::NoSuchPartner);
    }
    audit(store, Some(caller.staff.id), Action::PartnerRegistered, *partner).await
}

/// An administrator makes `staff` (who holds the partner liaison role) a
/// liaison of `partner`; a liaison belongs to one partner only.
///
/// `staff` is `None` when the form named no account: `CaseError::NoSuchStaff`
/// once the partner is found (an unknown partner is `NoSuchPartner` first).
pub async fn set_liaison(
    store: &dyn Store,
    caller: &Caller<'_>,
    staff: Option<StaffId>,
    partner: &[u8; 16],
) -> Result<(), CaseError> {
    require_admin(caller)?;
    store.partner(partner).await?.ok_or(CaseError::NoSuchPartner)?;
    let staff = staff.ok_or(CaseError::NoSuchStaff)?;
    let person = store.staff_by_id(staff).await?.ok_or(CaseError::NoSuchStaff)?;
    if person.disabled {
        return Err(CaseError::NoSuchStaff);
    }
    if !person.roles.contains(&Role::PartnerLiaison) {
        return Err(mamar_core::partner::PartnerRuleError::NotALiaisonAccount.into());
    }
    store.set_liaison(staff, partner).await?;
    audit(
        store,
        Some(caller.staff.id),
        Action::LiaisonSet,
        *staff.as_bytes(),
    )
    .await
}

/// What the administrators' partners page shows, read in one go.
#[derive(Debug, Default, Clone)]
pub struct PartnersOverview {
    pub partners: Vec<PartnerView>,
    /// Every account: to name who registered, confirmed and liaises, and to
    /// offer the liaison accounts.
    pub staff: Vec<mamar_store::StaffRecord>,
}

/// The partners page: every partner with its liaisons, and every account.
/// Administrators only (the list says whom the organisation hands people
/// to). A decoy session (`decoy`, after a duress login) sees no partner and
/// the accounts as usual, as the page always showed it.
pub async fn partners_overview(
    store: &dyn Store,
    caller: &Caller<'_>,
    decoy: bool,
) -> Result<PartnersOverview, CaseError> {
    require_admin(caller)?;
    Ok(PartnersOverview {
        partners: if decoy { Vec::new() } else { partners(store).await? },
        staff: store.all_staff().await?,
    })
}

/// Every partner, with its liaisons.
pub async fn partners(store: &dyn Store) -> Result<Vec<PartnerView>, CaseError> {
    let mut out = Vec::new();
    for record in store.partners().await? {
        let liaisons = store.liaisons(&record.id).await?;
        out.push(view(record, liaisons));
    }
    Ok(out)
}

/// The partners that may receive referrals (their card confirmed).
pub async fn confirmed_partners(store: &dyn Store) -> Result<Vec<PartnerView>, CaseError> {
    Ok(partners(store)
        .await?
        .into_iter()
        .filter(PartnerView::confirmed)
        .collect())
}

pub(super) async fn confirmed_partner(
    store: &dyn Store,
    partner: &[u8; 16],
) -> Result<PartnerRecord, CaseError> {
    let record = store.partner(partner).await?.ok_or(CaseError::NoSuchPartner)?;
    if record.confirmed_by.is_none() {
        return Err(mamar_core::partner::PartnerRuleError::NotConfirmed.into());
    }
    Ok(record)
}

pub(super) fn parse_fields(fields: &[&str]) -> Result<Vec<ReferralField>, CaseError> {
    let mut parsed: Vec<ReferralField> = fields
        .iter()
        .map(|f| f.parse().map_err(|_| CaseError::BadText))
        .collect::<Result<_, _>>()?;
    parsed.sort();
    parsed.dedup();
    if parsed.is_empty() {
        return Err(mamar_core::partner::PartnerRuleError::NothingChosen.into());
    }
    Ok(parsed)
}

/// The values of `fields` from the case's records, opened with its key.
pub(crate) fn values_of(
    key: &mamar_crypto::CaseKey,
    all: &[mamar_store::NewCaseRecord],
    fields: &[ReferralField],
) -> Result<Vec<(String, String)>, CaseError> {
    let mut identity: Option<Identity> = None;
    let mut summary: Option<Summary> = None;
    for record in all {
        match record.kind.as_str() {
            records::IDENTITY => identity = Some(records::decrypt(key, record)?),
            records::SUMMARY => summary = Some(records::decrypt(key, record)?),
            _ => {}
        }
    }
    let identity = identity.unwrap_or_default();
    let summary = summary.unwrap_or_default();
    Ok(fields
        .iter()
        .map(|field| {
            let value = match field {
                ReferralField::Name if !identity.name.is_empty() => identity.name.clone(),
                ReferralField::Name => summary.name.clone().unwrap_or_default(),
                ReferralField::BirthYear => identity.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                ReferralField::Phone => identity.phone.clone(),
                ReferralField::Governorate => summary.governorate.clone().unwrap_or_default(),
                ReferralField::Urgency => summary.urgency.clone().unwrap_or_default(),
                // The case itself goes over with the partner's acceptance, not in the referral.
                ReferralField::WholeCase => String::new(),
            };
            (field.code().to_owned(), value)
        })
        .collect())
}

/// A coordinator refers the case to `partner`, sharing only `fields` (or,
/// with `handover`, offers them the whole case with those fields). Refused
/// unless the requester's consent to each field for that partner is on
/// record and in force, whoever asks and by whatever channel.
pub async fn refer(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    partner: &[u8; 16],
    fields: &[&str],
    handover: bool,
    now: i64,
) -> Result<[u8; 16], CaseError> {
    let Allowed { loaded, chosen, .. } =
        allowed_referral(store, caller, case, partner, fields, handover).await?;
    let liaisons = store.liaisons(partner).await?;
    if liaisons.is_empty() {
        return Err(mamar_core::partner::PartnerRuleError::NoLiaison.into());
    }
    let values = values_of(&loaded.key, &store.case_records(case).await?, &chosen)?;
    let id = crate::cases::new_id()?;
    let key = ReferralKey::generate()?;
    let mut grants = Vec::new();
    let mut case_keys = Vec::new();
    for liaison in liaisons {
        let person = store.staff_by_id(liaison).await?.ok_or(CaseError::Corrupt)?;
        if person.disabled {
            continue;
        }
        let public = StaffPublicKeys::from_bytes(&person.public_keys)?;
        grants.push((liaison, key.wrap_to(&public, &id)?));
        if handover {
            let wrapped = loaded.key.wrap_to(&public, case)?;
            case_keys.push((hex::encode(liaison.as_bytes()), hex::encode(wrapped)));
        }
    }
    let shared = Shared {
        fields: values,
        case_keys,
    };
    let plain = serde_json::to_vec(&shared).map_err(|_| CaseError::Corrupt)?;
    let sealed = key.encrypt(&plain, &content_context(&id))?;
    store
        .add_referral(
            &ReferralRecord {
                id,
                case_id: *case,
                partner_id: *partner,
                fields: fields_to_text(&chosen),
                handover,
                sealed,
                status: ReferralStatus::Offered.code().into(),
                offered_by: caller.staff.id,
                answered_by: None,
                seen: false,
                offered_day: day_of(now),
            },
            &grants,
        )
        .await?;
    audit(store, Some(caller.staff.id), Action::ReferralOffered, id).await?;
    Ok(id)
}

/// A referral the rules allow: the case as the caller opens it, the fields
/// chosen, and the partner.
pub(crate) struct Allowed {
    pub loaded: crate::cases::ForPartners,
    pub chosen: Vec<ReferralField>,
    pub partner: PartnerRecord,
}

/// The one check every referral passes, whatever carries it (the partner's
/// liaisons on this server, or a file for a partner's own server): a
/// coordinator on the case, the case neither frozen nor closed, the partner
/// confirmed, and every field chosen covered by a consent in force for that
/// partner. A refusal for want of consent is audited.
pub(crate) async fn allowed_referral(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    partner: &[u8; 16],
    fields: &[&str],
    handover: bool,
) -> Result<Allowed, CaseError> {
    let loaded = crate::cases::load_for_partners(store, caller, case).await?;
    if !may_refer(&loaded.duties) {
        return Err(mamar_core::case::CaseRuleError::WrongDuty.into());
    }
    if !loaded.open {
        return Err(mamar_core::case::CaseRuleError::Closed.into());
    }
    let partner_record = confirmed_partner(store, partner).await?;
    let chosen = parse_fields(fields)?;
    let consents = store
        .consents(case)
        .await?
        .iter()
        .filter(|c| c.partner_id == *partner)
        .map(consent_of)
        .collect::<Result<Vec<_>, _>>()?;
    if let Err(refusal) = check_referral(&chosen, &consents, handover) {
        mamar_store::audit::record(
            store,
            Some(caller.staff.id),
            Action::ReferralOffered,
            Some(*case),
            Outcome::Denied,
        )
        .await?;
        return Err(refusal.into());
    }
    Ok(Allowed {
        loaded,
        chosen,
        partner: partner_record,
    })
}

fn content_context(id: &[u8; 16]) -> RecordContext<'_> {
    RecordContext {
        record_id: id,
        kind: REFERRAL_CONTENT,
        schema_version: SCHEMA,
    }
}

/// What a referral shares, opened with the caller's wrapped key to it.
fn open_shared(record: &ReferralRecord, wrapped: &[u8], caller: &Caller<'_>) -> Result<Shared, CaseError> {
    let key = ReferralKey::unwrap(wrapped, &record.id, caller.keyring.staff())?;
    let plain = key.decrypt(&record.sealed, &content_context(&record.id))?;
    serde_json::from_slice(plain.expose_secret()).map_err(|_| CaseError::Corrupt)
}

fn status_of(record: &ReferralRecord) -> Result<ReferralStatus, CaseError> {
    record.status.parse().map_err(|_| CaseError::Corrupt)
}

fn referral_view(r: &ReferralRecord) -> Result<ReferralView, CaseError> {
    Ok(ReferralView {
        id: r.id,
        partner: r.partner_id,
        fields: fields_from_text(&r.fields).map_err(|_| CaseError::Corrupt)?,
        handover: r.handover,
        status: status_of(r)?,
        seen: r.seen,
        offered_by: r.offered_by,
        offered_day: r.offered_day,
    })
}

/// The referrals of a case, for someone on it. When a coordinator of the
/// case reads them, the partners' answers and the requester's withdrawals
/// they show count as seen (they leave the navigation's count).
pub async fn referrals_of(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
) -> Result<Vec<ReferralView>, CaseError> {
    let loaded = crate::cases::load(store, caller, case).await?;
    let referrals = store
        .case_referrals(case)
        .await?
        .iter()
        .map(referral_view)
        .collect::<Result<Vec<_>, _>>()?;
    if may_refer(&crate::cases::duties_of(&loaded.state, caller.staff.id)) {
        store.mark_referral_news_seen(case).await?;
    }
    Ok(referrals)
}

/// offered to their partner that nobody has answered; as a coordinator,
/// partners' answers and requesters' withdrawals on their cases that no
/// coordinator has seen yet (each names the case and the partner).
#[derive(Debug, Clone, Default)]
pub struct ReferralsWaiting {
    pub to_answer: usize,
    pub news: Vec<mamar_store::ReferralNews>,
}

pub async fn referrals_waiting(
    store: &dyn Store,
    caller: &Caller<'_>,
) -> Result<ReferralsWaiting, CaseError> {
    let mut waiting = ReferralsWaiting::default();
    if caller.staff.roles.contains(&Role::PartnerLiaison) {
        waiting.to_answer = store
            .staff_referrals(caller.staff.id)
            .await?
            .iter()
            .filter(|(r, _)| r.status == ReferralStatus::Offered.code())
            .count();
    }
    waiting.news = store.referral_news(caller.staff.id).await?;
    Ok(waiting)
}

/// What a liaison's page shows: the partner they act for (none for an
/// account that is not a liaison, an administrator say) and the referrals it
/// was sent, as [`my_referrals`] opens them.
#[derive(Debug, Clone, Default)]
pub struct LiaisonPage {
    pub partner: Option<PartnerRecord>,
    pub referrals: Vec<LiaisonReferral>,
}

/// The liaison's page, read in one call.
pub async fn liaison_page(store: &dyn Store, caller: &Caller<'_>) -> Result<LiaisonPage, CaseError> {
    let partner = match store.liaison_partner(caller.staff.id).await? {
        Some(id) => store.partner(&id).await?,
        None => None,
    };
    Ok(LiaisonPage {
        partner,
        referrals: my_referrals(store, caller).await?,
    })
}

/// What the caller, a liaison, has been sent: each referral they hold a key
/// to, opened with their own keys (opening marks it seen). A revoked
/// referral has no key left for them, so it is not listed.
pub async fn my_referrals(store: &dyn Store, caller: &Caller<'_>) -> Result<Vec<LiaisonReferral>, CaseError> {
    let mut out = Vec::new();
    for (record, wrapped) in store.staff_referrals(caller.staff.id).await? {
        let status = status_of(&record)?;
        if !status.is_live() && status != ReferralStatus::Declined {
            continue;
        }
        let shared = open_shared(&record, &wrapped, caller)?;
        let fields = shared
            .fields
            .into_iter()
            .map(|(code, value)| Ok((code.parse().map_err(|_| CaseError::Corrupt)?, value)))
            .collect::<Result<Vec<_>, CaseError>>()?;
        if !record.seen {
            store.mark_referral_seen(&record.id).await?;
        }
        out.push(LiaisonReferral {
            id: record.id,
            handover: record.handover,
            status,
            offered_day: record.offered_day,
            fields,
        });
    }
    Ok(out)
}

/// The referral `referral`, if the caller is a liaison of the partner it
/// went to. Another partner's referral and none at all are not told apart
/// (`CaseError::NoSuchReferral`): a liaison learns nothing of what went
/// elsewhere, not even that it exists.
pub async fn liaison_referral(
    store: &dyn Store,
    caller: &Caller<'_>,
    referral: &[u8; 16],
) -> Result<ReferralRecord, CaseError> {
    let record = store.referral(referral).await?.ok_or(CaseError::NoSuchReferral)?;
    let liaison_of = store.liaison_partner(caller.staff.id).await?;
    if liaison_of == Some(record.partner_id) {
        Ok(record)
    } else {
        Err(CaseError::NoSuchReferral)
    }
}

/// A liaison of the referral's partner accepts or declines it. A handover
/// is never accepted by the person who offered it.
pub async fn answer_referral(
    store: &dyn Store,
    caller: &Caller<'_>,
    referral: &[u8; 16],
    accept: bool,
    now: i64,
) -> Result<ReferralStatus, CaseError> {
    let record = liaison_referral(store, caller, referral).await?;
    check_answer(
        status_of(&record)?,
        record.offered_by,
        caller.staff.id,
        // A liaison of its partner: `liaison_referral` refused anyone else.
        true,
        record.handover,
    )?;
    let status = if accept {
        ReferralStatus::Accepted
    } else {
        ReferralStatus::Declined
    };
    if accept && record.handover {
        // The case key wrapped to this liaison in the offer becomes their grant to the case.
        let (_, wrapped) = store
            .staff_referrals(caller.staff.id)
            .await?
            .into_iter()
            .find(|(r, _)| r.id == *referral)
            .ok_or(CaseError::NoSuchReferral)?;
        let shared = open_shared(&record, &wrapped, caller)?;
        let me = hex::encode(caller.staff.id.as_bytes());
        let (_, case_key) = shared
            .case_keys
            .iter()
            .find(|(staff, _)| *staff == me)
            .ok_or(CaseError::Corrupt)?;
        let case_key = hex::decode(case_key).map_err(|_| CaseError::Corrupt)?;
        let key = mamar_crypto::CaseKey::unwrap(&case_key, &record.case_id, caller.keyring.staff())?;
        // Someone left the case since the offer: it has a new key, and the offered one opens
        // nothing of it. Never hand over a key that does not open the case as it is.
        if let Some(current) = store.case_records(&record.case_id).await?.first()
            && records::decrypt_bytes(&key, current).is_err()
        {
            return Err(mamar_core::partner::PartnerRuleError::OfferOutdated.into());
        }
        crate::cases::take_over(store, caller, &record.case_id, key, case_key, now).await?;
    }
    if !store
        .answer_referral(referral, status.code(), caller.staff.id)
        .await?
    {
        return Err(mamar_core::partner::PartnerRuleError::NotOffered.into());
    }
    audit(store, Some(caller.staff.id), Action::ReferralAnswered, *referral).await?;
    Ok(status)
}

/// A coordinator revokes a referral: the partner's wrapped keys are deleted
/// and the ciphertext erased in one transaction, so the partner loses it at
/// once. Returns what the partner may already have seen (the fields, if a
/// liaison opened it).
pub async fn revoke_referral(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    referral: &[u8; 16],
) -> Result<ReferralView, CaseError> {
    let loaded = crate::cases::load_for_partners(store, caller, case).await?;
    if !may_refer(&loaded.duties) {
        return Err(mamar_core::case::CaseRuleError::WrongDuty.into());
    }
    let record = store
        .referral(referral)
        .await?
        .filter(|r| r.case_id == *case)
        .ok_or(CaseError::NoSuchReferral)?;
    if !store.revoke_referral(referral).await? {
        return Err(mamar_core::partner::PartnerRuleError::NotLive.into());
    }
    audit(store, Some(caller.staff.id), Action::ReferralRevoked, *referral).await?;
    Ok(ReferralView {
        status: ReferralStatus::Revoked,
        ..referral_view(&record)?
    })
}

/// For tests and the partner's own checks: whether `wrapped` (a liaison's
/// key to referral `id`) opens `sealed` with the liaison's keys.
pub fn opens_with(wrapped: &[u8], id: &[u8; 16], sealed: &[u8], keys: &mamar_crypto::StaffKeyPair) -> bool {
    ReferralKey::unwrap(wrapped, id, keys)
        .and_then(|key| key.decrypt(sealed, &content_context(id)))
        .is_ok()
}
