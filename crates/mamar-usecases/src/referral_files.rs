//! Referral files (issue 16): a referral to a partner organisation that runs
//! its own mamar leaves as a file, signed by our organisation's signing key
//! and sealed to the partner's referral-seal key from the card its
//! administrators registered and a second one confirmed. The partner's
//! server imports it: the file opens only with its own key, the signature
//! must be that of an organisation it registered and confirmed, and a file
//! whose id it has seen is refused, as is a file older than the importer
//! allows (30 days unless they allow more, never over a year: the time the
//! file was made is signed) or dated more than a day ahead. The ids of
//! imported files are kept longer than any file may be old, then forgotten.
//! The referral becomes a case there
//! (source "partner"), and an acknowledgement, signed and sealed the same
//! way, goes back; importing it here records the answer on the referral.
//!
//! The rule of what may leave is the one `partners::refer` applies
//! ([`crate::partners::allowed_referral`]): a coordinator on the case, the
//! partner confirmed, every field covered by the requester's consent to
//! that partner. A handover (the whole case) cannot travel as a file.

use mamar_audit::{Action, Outcome};
use mamar_core::case::CaseSource;
use mamar_core::partner::{ReferralStatus, fields_to_text};
use mamar_core::questionnaire::Questionnaire;
use mamar_crypto::{EncryptionKeyPair, EncryptionPublicKey, OrgKeyKind, SigningKey};
use mamar_keys::{CardDate, FileKind, FilePayload, ReferralFileError, open_file, parse_id, seal_file};
use mamar_store::{PartnerRecord, ReferralRecord, Store};

use crate::cases::Opened;
use crate::partners::{Allowed, allowed_referral, values_of};
use crate::records::Identity;
use crate::{Caller, CaseError, day_of};

/// A referral file made for a partner.
#[derive(Debug, Clone)]
pub struct ExportedFile {
    /// The referral as this server records it (the acknowledgement names it).
    pub referral: [u8; 16],
    /// The file to hand to the partner, by any channel.
    pub file: String,
}

/// What an imported file did.
#[derive(Debug, Clone)]
pub enum Imported {
    /// A partner's referral: accepted as a new case (or declined, and nothing
    /// of it kept); `acknowledgement` is the file to send back.
    Referral {
        partner: String,
        case: Option<Opened>,
        acknowledgement: String,
    },
    /// A partner's answer to a referral we sent, now recorded on it.
    Acknowledgement {
        partner: String,
        referral: [u8; 16],
        status: ReferralStatus,
    },
}

fn signing_keys<'k>(caller: &Caller<'k>) -> Vec<&'k SigningKey> {
    caller
        .keyring
        .org_keys()
        .iter()
        .filter(|key| key.kind() == OrgKeyKind::Signing)
        .filter_map(|key| key.signing())
        .collect()
}

fn newest_signing_key<'k>(caller: &Caller<'k>) -> Result<&'k SigningKey, CaseError> {
    caller
        .keyring
        .org_key(OrgKeyKind::Signing)
        .and_then(|key| key.signing())
        .ok_or(CaseError::MissingKey("signing"))
}

/// The partner's referral-seal key, from the card its administrators
/// registered (checked again against the confirmed fingerprint; an expired
/// card still names the key the fingerprint vouches for).
fn seal_key_of(partner: &PartnerRecord, now: i64) -> Result<EncryptionPublicKey, CaseError> {
    let today = CardDate::from_unix_days(day_of(now)).ok_or(CaseError::BadTime)?;
    let card = match mamar_keys::verify_card(&partner.card, &hex::encode(&partner.fingerprint), today) {
        Ok(card) => card,
        Err(mamar_keys::CardError::Expired { card, .. }) => *card,
        Err(_) => return Err(CaseError::Corrupt),
    };
    card.referral_seal
        .ok_or(CaseError::ReferralFile(ReferralFileError::NoSealKey))
}

/// A coordinator on the case makes a referral file for `partner` with
/// `fields`, under exactly the rule of [`crate::partners::refer`]. The
/// referral is recorded here as offered (and as seen: once the file leaves,
/// the partner may read it); the partner's acknowledgement answers it.
pub async fn export_referral(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    partner: &[u8; 16],
    fields: &[&str],
    now: i64,
) -> Result<ExportedFile, CaseError> {
    let Allowed {
        loaded,
        chosen,
        partner: record,
    } = allowed_referral(store, caller, case, partner, fields, false).await?;
    let signing = newest_signing_key(caller)?;
    let recipient = seal_key_of(&record, now)?;
    let values = values_of(&loaded.key, &store.case_records(case).await?, &chosen)?;
    let id = crate::cases::new_id()?;
    let payload = FilePayload {
        kind: FileKind::Referral,
        id: hex::encode(crate::cases::new_id()?),
        created: now,
        to: String::new(),
        referral: hex::encode(id),
        fields: values,
        accepted: None,
    };
    let file = seal_file(&payload, signing, &recipient)?;
    store
        .add_referral(
            &ReferralRecord {
                id,
                case_id: *case,
                partner_id: *partner,
                fields: fields_to_text(&chosen),
                handover: false,
                // Nothing of it is kept here: the case holds the values, the partner the file.
                sealed: Vec::new(),
                status: ReferralStatus::Offered.code().into(),
                offered_by: caller.staff.id,
                answered_by: None,
                seen: true,
                offered_day: day_of(now),
            },
            &[],
        )
        .await?;
    crate::partners::audit(store, Some(caller.staff.id), Action::ReferralFileExported, id).await?;
    Ok(ExportedFile { referral: id, file })
}

/// The partner whose confirmed card has the key that signed a file.
async fn sender(store: &dyn Store, signer: &mamar_crypto::VerifyingKey) -> Result<PartnerRecord, CaseError> {
    let fingerprint = signer.fingerprint();
    let partner = store
        .partners()
        .await?
        .into_iter()
        .find(|p| p.fingerprint.as_slice() == fingerprint.as_bytes())
        .ok_or_else(|| ReferralFileError::UnknownSender {
            fingerprint: fingerprint.to_string(),
        })?;
    if partner.confirmed_by.is_none() {
        return Err(ReferralFileError::UnconfirmedSender {
            name: partner.name_en.clone(),
        }
        .into());
    }
    Ok(partner)
}

/// Imports a referral file or an acknowledgement (the kind is inside the
/// file). The caller must hold the organisation's signing key: it opens
/// the file (the referral-seal key is derived from it) and signs the
/// acknowledgement. A referral becomes a case owned by the caller (who
/// needs the intake duty), unless `decline`; either way an acknowledgement
/// for the sender is returned. Every refusal is audited as denied.
pub async fn import_file(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    text: &str,
    decline: bool,
    now: i64,
) -> Result<Imported, CaseError> {
    import_file_with_max_age(
        store,
        questionnaire,
        caller,
        text,
        decline,
        mamar_keys::DEFAULT_MAX_FILE_AGE_DAYS,
        now,
    )
    .await
}

/// [`import_file`], allowing files up to `max_age_days` old (at most a
/// year; see [`mamar_keys::check_file_age`]).
pub async fn import_file_with_max_age(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    text: &str,
    decline: bool,
    max_age_days: u32,
    now: i64,
) -> Result<Imported, CaseError> {
    let result = import_checked(store, questionnaire, caller, text, decline, max_age_days, now).await;
    let outcome = match &result {
        Ok(_) => Outcome::Ok,
        Err(CaseError::ReferralFile(_) | CaseError::NoSuchReferral) => Outcome::Denied,
        Err(_) => Outcome::Failed,
    };
    mamar_store::audit::record(
        store,
        Some(caller.staff.id),
        Action::ReferralFileImported,
        None,
        outcome,
    )
    .await?;
    result
}

async fn import_checked(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    text: &str,
    decline: bool,
    max_age_days: u32,
    now: i64,
) -> Result<Imported, CaseError> {
    let ours = signing_keys(caller);
    if ours.is_empty() {
        return Err(CaseError::MissingKey("signing"));
    }
    let pairs: Vec<EncryptionKeyPair> = ours.iter().map(|key| key.referral_seal_pair()).collect();
    let opened = open_file(text, &pairs)?;
    let partner = sender(store, &opened.signer).await?;
    let payload = opened.payload;
    mamar_keys::check_file_age(payload.created, now, max_age_days)?;
    let file_id = parse_id(&payload.id)?;
    // Everything a reply or a case needs is checked before the id is claimed.
    let reply_to = match payload.kind {
        FileKind::Referral => {
            if !decline {
                crate::cases::intake_allowed(caller)?;
            }
            Some(seal_key_of(&partner, now)?)
        }
        FileKind::Acknowledgement => None,
    };
    if !store
        .claim_referral_file(&file_id, payload.kind.code(), day_of(now))
        .await?
    {
        return Err(ReferralFileError::Replayed { id: payload.id }.into());
    }
    // Ids of files older than any file may be are no longer needed to refuse a replay.
    store
        .forget_referral_files_seen_before(day_of(now) - mamar_keys::SEEN_FILE_IDS_KEPT_DAYS)
        .await?;
    let done = match reply_to {
        Some(recipient) => {
            accept_referral(
                store,
                questionnaire,
                caller,
                &partner,
                &payload,
                &recipient,
                decline,
                now,
            )
            .await
        }
        None => record_acknowledgement(store, caller, &partner, &payload).await,
    };
    if done.is_err() {
        // The file did not take effect: it may be imported again.
        store.release_referral_file(&file_id).await?;
    }
    done
}

#[allow(clippy::too_many_arguments)]
async fn accept_referral(
    store: &dyn Store,
    questionnaire: &Questionnaire,
    caller: &Caller<'_>,
    partner: &PartnerRecord,
    payload: &FilePayload,
    recipient: &EncryptionPublicKey,
    decline: bool,
    now: i64,
) -> Result<Imported, CaseError> {
    let case = if decline {
        None
    } else {
        let value = |code: &str| {
            payload
                .fields
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let pairs: Vec<(String, String)> = ["governorate", "urgency"]
            .iter()
            .map(|code| ((*code).to_owned(), value(code)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let answers = questionnaire.accepted_part(&pairs);
        // A year that is not a year of birth is left out rather than refusing the referral.
        let identity = Identity::from_form(&value("name"), &value("birth-year"), &value("phone"))
            .or_else(|_| Identity::from_form(&value("name"), "", &value("phone")))?;
        Some(
            crate::cases::open_with_answers(
                store,
                questionnaire,
                caller,
                CaseSource::Partner,
                &answers,
                Some(identity),
                now,
            )
            .await?,
        )
    };
    let acknowledgement = FilePayload {
        kind: FileKind::Acknowledgement,
        id: hex::encode(crate::cases::new_id()?),
        created: now,
        to: String::new(),
        referral: payload.referral.clone(),
        fields: Vec::new(),
        accepted: Some(case.is_some()),
    };
    let file = seal_file(&acknowledgement, newest_signing_key(caller)?, recipient)?;
    Ok(Imported::Referral {
        partner: partner.name_en.clone(),
        case,
        acknowledgement: file,
    })
}

async fn record_acknowledgement(
    store: &dyn Store,
    caller: &Caller<'_>,
    partner: &PartnerRecord,
    payload: &FilePayload,
) -> Result<Imported, CaseError> {
    let referral = parse_id(&payload.referral)?;
    let accepted = payload.accepted.ok_or(ReferralFileError::Malformed(
        "the acknowledgement neither accepts nor declines",
    ))?;
    let record = store
        .referral(&referral)
        .await?
        .filter(|r| r.partner_id == partner.id)
        .ok_or(ReferralFileError::NoSuchReferral)?;
    let status = if accepted {
        ReferralStatus::Accepted
    } else {
        ReferralStatus::Declined
    };
    if !store
        .answer_referral(&record.id, status.code(), caller.staff.id)
        .await?
    {
        return Err(ReferralFileError::AlreadyAnswered.into());
    }
    crate::partners::audit(store, Some(caller.staff.id), Action::ReferralAnswered, record.id).await?;
    Ok(Imported::Acknowledgement {
        partner: partner.name_en.clone(),
        referral,
        status,
    })
}
