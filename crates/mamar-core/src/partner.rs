//! Partner organisations and referrals: the rules, nothing else. A partner
//! is registered by its signed contact card and may receive nothing until a
//! second administrator has confirmed the card's fingerprint. A referral
//! shares only fields the requester consented to for that partner; handing
//! the whole case over needs the partner's acceptance, never the offerer's.
//! Pure: no I/O, no clock, no crypto.

use std::fmt;
use std::str::FromStr;

use crate::StaffId;

/// What a referral may share about the person. The codes are stable (stored
/// with consents and referrals, and used in translation keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferralField {
    Name,
    BirthYear,
    Phone,
    Governorate,
    Urgency,
    /// The whole case file: consented to only for handing the case over.
    WholeCase,
}

impl ReferralField {
    pub const ALL: [ReferralField; 6] = [
        ReferralField::Name,
        ReferralField::BirthYear,
        ReferralField::Phone,
        ReferralField::Governorate,
        ReferralField::Urgency,
        ReferralField::WholeCase,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReferralField::Name => "name",
            ReferralField::BirthYear => "birth-year",
            ReferralField::Phone => "phone",
            ReferralField::Governorate => "governorate",
            ReferralField::Urgency => "urgency",
            ReferralField::WholeCase => "whole-case",
        }
    }
}

impl fmt::Display for ReferralField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ReferralField {
    type Err = super::case::UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReferralField::ALL
            .iter()
            .copied()
            .find(|f| f.code() == s)
            .ok_or_else(|| super::case::UnknownCode {
                what: "referral field",
                code: s.chars().take(32).collect(),
            })
    }
}

/// A set of fields in their stored form: codes joined by commas, in the
/// order of [`ReferralField::ALL`], each once.
pub fn fields_to_text(fields: &[ReferralField]) -> String {
    ReferralField::ALL
        .iter()
        .filter(|f| fields.contains(f))
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// The stored form back; an unknown code is an error.
pub fn fields_from_text(text: &str) -> Result<Vec<ReferralField>, super::case::UnknownCode> {
    let mut fields: Vec<ReferralField> = text
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    fields.sort();
    fields.dedup();
    Ok(fields)
}

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralStatus {
    Offered,
    Accepted,
    Declined,
    Revoked,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 4] = [
        ReferralStatus::Offered,
        ReferralStatus::Accepted,
        ReferralStatus::Declined,
        ReferralStatus::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::Offered => "offered",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Declined => "declined",
            ReferralStatus::Revoked => "revoked",
        }
    }

    /// Still in the partner's hands (what a revocation takes back).
    pub fn is_live(self) -> bool {
        matches!(self, ReferralStatus::Offered | ReferralStatus::Accepted)
    }
}

impl FromStr for ReferralStatus {
    type Err = super::case::UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReferralStatus::ALL
            .iter()
            .copied()
            .find(|f| f.code() == s)
            .ok_or_else(|| super::case::UnknownCode {
                what: "referral status",
                code: s.chars().take(32).collect(),
            })
    }
}

/// Why the rules refuse a partner act.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerRuleError {
    #[error("the partner's card has not been confirmed by a second person")]
    NotConfirmed,
    #[error("the partner's card is already confirmed")]
    AlreadyConfirmed,
    #[error("nobody confirms a partner they registered themselves")]
    OwnRegistration,
    #[error("the fingerprint does not match the partner's card")]
    FingerprintMismatch,
    #[error("the requester has not consented to sharing that with this partner")]
    NoConsent,
    #[error("the requester withdrew their consent to sharing with this partner")]
    ConsentWithdrawn,
    #[error("choose at least one thing to share")]
    NothingChosen,
    #[error("nobody approves a consent they recorded themselves")]
    OwnConsent,
    #[error("the consent is already approved")]
    AlreadyApproved,
    #[error("only a liaison of this partner may do that")]
    NotLiaison,
    #[error("nobody accepts a case they offered themselves")]
    OwnOffer,
    #[error("the referral has already been answered or revoked")]
    NotOffered,
    #[error("the referral is no longer with the partner")]
    NotLive,
    #[error("this partner has no liaison to receive it")]
    NoLiaison,
    #[error("a liaison account needs the partner liaison role")]
    NotALiaisonAccount,
    #[error("only a handover shares the whole case, and a handover needs consent to share it")]
    HandoverScope,
    #[error("the case changed keys since it was offered; ask for a new offer")]
    OfferOutdated,
}

/// A consent as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub fields: Vec<ReferralField>,
    /// Given by the requester on the follow-up page (needs nobody else).
    pub by_requester: bool,
    /// Who recorded it from a call, and who approved it.
    pub recorded_by: Option<StaffId>,
    pub approved_by: Option<StaffId>,
    /// The requester withdrew it (on the follow-up page): it counts no more.
    pub withdrawn: bool,
}

impl Consent {
    /// Counts: the requester's own, or one recorded from a call that a
    /// second person approved, unless the requester withdrew it.
    pub fn is_in_force(&self) -> bool {
        !self.withdrawn
            && (self.by_requester
                || matches!((self.recorded_by, self.approved_by), (Some(r), Some(a)) if r != a))
    }
}

/// Whether a referral of `chosen` fields (a `handover` of the whole case, or
/// not) is allowed by the consents on record for that partner: every field
/// chosen must be covered by a consent in force, and the whole case is
/// chosen exactly when the case is handed over. Nothing chosen is refused too.
pub fn check_referral(
    chosen: &[ReferralField],
    consents: &[Consent],
    handover: bool,
) -> Result<(), PartnerRuleError> {
    if chosen.is_empty() {
        return Err(PartnerRuleError::NothingChosen);
    }
    let covered = chosen.iter().all(|field| {
        consents
            .iter()
            .any(|c| c.is_in_force() && c.fields.contains(field))
    });
    if !covered {
        // Said plainly when the person took back what they had given.
        let withdrawn = consents.iter().any(|c| c.withdrawn) && !consents.iter().any(Consent::is_in_force);
        return Err(if withdrawn {
            PartnerRuleError::ConsentWithdrawn
        } else {
            PartnerRuleError::NoConsent
        });
    }
    if handover != chosen.contains(&ReferralField::WholeCase) {
        return Err(PartnerRuleError::HandoverScope);
    }
    Ok(())
}

/// A second person approving a consent recorded from a call.
pub fn check_consent_approval(consent: &Consent, approver: StaffId) -> Result<(), PartnerRuleError> {
    if consent.withdrawn {
        return Err(PartnerRuleError::ConsentWithdrawn);
    }
    if consent.by_requester || consent.approved_by.is_some() {
        return Err(PartnerRuleError::AlreadyApproved);
    }
    if consent.recorded_by == Some(approver) {
        return Err(PartnerRuleError::OwnConsent);
    }
    Ok(())
}

/// A second administrator confirming a partner's card.
pub fn check_confirmation(
    registered_by: StaffId,
    confirmed_by: Option<StaffId>,
    confirmer: StaffId,
) -> Result<(), PartnerRuleError> {
    if confirmed_by.is_some() {
        return Err(PartnerRuleError::AlreadyConfirmed);
    }
    if registered_by == confirmer {
        return Err(PartnerRuleError::OwnRegistration);
    }
    Ok(())
}

/// A liaison answering a referral (or a handover) offered by `offered_by`.
pub fn check_answer(
    status: ReferralStatus,
    offered_by: StaffId,
    answerer: StaffId,
    answerer_is_liaison: bool,
    handover: bool,
) -> Result<(), PartnerRuleError> {
    if !answerer_is_liaison {
        return Err(PartnerRuleError::NotLiaison);
    }
    if status != ReferralStatus::Offered {
        return Err(PartnerRuleError::NotOffered);
    }
    if handover && offered_by == answerer {
        return Err(PartnerRuleError::OwnOffer);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> StaffId {
        StaffId::from_bytes([n; 16])
    }

    #[test]
    fn a_referral_needs_a_consent_in_force_for_every_field() {
        let requester = Consent {
            fields: vec![ReferralField::Name, ReferralField::Governorate],
            by_requester: true,
            recorded_by: None,
            approved_by: None,
            withdrawn: false,
        };
        assert_eq!(
            check_referral(&[ReferralField::Name], std::slice::from_ref(&requester), false),
            Ok(())
        );
        // Withdrawn, it counts no more, and the refusal says why.
        let withdrawn = Consent {
            withdrawn: true,
            ..requester.clone()
        };
        assert!(!withdrawn.is_in_force());
        assert_eq!(
            check_referral(&[ReferralField::Name], std::slice::from_ref(&withdrawn), false),
            Err(PartnerRuleError::ConsentWithdrawn)
        );
        // Given again afterwards, the new consent counts.
        assert_eq!(
            check_referral(&[ReferralField::Name], &[withdrawn, requester.clone()], false),
            Ok(())
        );
        assert_eq!(
            check_referral(
                &[ReferralField::Name, ReferralField::Phone],
                std::slice::from_ref(&requester),
                false
            ),
            Err(PartnerRuleError::NoConsent)
        );
        assert_eq!(
            check_referral(&[ReferralField::Name], &[], false),
            Err(PartnerRuleError::NoConsent)
        );
        assert_eq!(
            check_referral(&[], &[], false),
            Err(PartnerRuleError::NothingChosen)
        );
        // A handover needs the person's consent to the whole case; only a handover shares it.
        assert_eq!(
            check_referral(&[ReferralField::Name], std::slice::from_ref(&requester), true),
            Err(PartnerRuleError::HandoverScope)
        );
        let whole = Consent {
            fields: vec![ReferralField::Name, ReferralField::WholeCase],
            ..requester
        };
        let both = [ReferralField::Name, ReferralField::WholeCase];
        assert_eq!(check_referral(&both, std::slice::from_ref(&whole), true), Ok(()));
        assert_eq!(
            check_referral(&both, std::slice::from_ref(&whole), false),
            Err(PartnerRuleError::HandoverScope)
        );
        let from_call = Consent {
            fields: vec![ReferralField::Phone],
            by_requester: false,
            recorded_by: Some(id(1)),
            approved_by: None,
            withdrawn: false,
        };
        assert_eq!(
            check_referral(&[ReferralField::Phone], std::slice::from_ref(&from_call), false),
            Err(PartnerRuleError::NoConsent)
        );
        assert_eq!(
            check_consent_approval(&from_call, id(1)),
            Err(PartnerRuleError::OwnConsent)
        );
        assert_eq!(check_consent_approval(&from_call, id(2)), Ok(()));
        let approved = Consent {
            approved_by: Some(id(2)),
            ..from_call
        };
        assert_eq!(
            check_referral(&[ReferralField::Phone], &[approved], false),
            Ok(())
        );
    }

    #[test]
    fn the_offerer_never_accepts_their_own_handover() {
        let offered = ReferralStatus::Offered;
        assert_eq!(
            check_answer(offered, id(1), id(1), true, true),
            Err(PartnerRuleError::OwnOffer)
        );
        assert_eq!(check_answer(offered, id(1), id(2), true, true), Ok(()));
        assert_eq!(
            check_answer(offered, id(1), id(2), false, false),
            Err(PartnerRuleError::NotLiaison)
        );
        assert_eq!(
            check_answer(ReferralStatus::Revoked, id(1), id(2), true, false),
            Err(PartnerRuleError::NotOffered)
        );
        assert_eq!(
            check_confirmation(id(1), None, id(1)),
            Err(PartnerRuleError::OwnRegistration)
        );
        assert_eq!(check_confirmation(id(1), None, id(2)), Ok(()));
        assert_eq!(
            check_confirmation(id(1), Some(id(2)), id(3)),
            Err(PartnerRuleError::AlreadyConfirmed)
        );
    }

    #[test]
    fn field_sets_round_trip_in_a_fixed_order() {
        let text = fields_to_text(&[ReferralField::Phone, ReferralField::Name, ReferralField::Phone]);
        assert_eq!(text, "name,phone");
        assert_eq!(
            fields_from_text(&text).unwrap(),
            vec![ReferralField::Name, ReferralField::Phone]
        );
        assert!(fields_from_text("name,rank").is_err());
        assert_eq!(fields_from_text("").unwrap(), vec![]);
    }
}
