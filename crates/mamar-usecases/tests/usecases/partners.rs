//! Partners and referrals: a partner receives nothing before a second
//! administrator confirms its card; a referral needs the requester's
//! consent for that partner and each field (on every path, for every role);
//! only that partner's liaisons open it; revoking takes it back at once and
//! a key kept from before opens nothing new.

use mamar_core::case::{CaseRuleError, Duty};
use mamar_core::partner::{PartnerRuleError, ReferralField, ReferralStatus};
use mamar_core::{Role, StaffId};
use mamar_crypto::SigningKey;
use mamar_keys::{CardDate, ContactCard, sign_card};
use mamar_usecases::partners::{self, opens_with};
use mamar_usecases::{CaseError, cases};

use crate::walk::staffed_case;
use crate::world::{NOW, Person, World, add_person, add_person_with};

fn today() -> CardDate {
    CardDate::new(2027, 1, 15).unwrap()
}

/// A partner's signed card and the fingerprint it gives over the phone.
fn card(name: &str) -> (String, String) {
    let key = SigningKey::generate().unwrap();
    let card = ContactCard {
        org_name_ar: format!("شريك {name}"),
        org_name_en: format!("Partner {name}"),
        web_address: None,
        onion_address: None,
        hotlines: vec!["+90 555 000 0000".into()],
        telegram_bot: None,
        referral_seal: None,
        valid_until: CardDate::new(2030, 6, 30).unwrap(),
    };
    (
        sign_card(&card, &key).unwrap(),
        key.verifying_key().fingerprint().to_string(),
    )
}

struct Partners {
    second_admin: Person,
    a: [u8; 16],
    b: [u8; 16],
    liaison_a: Person,
    liaison_b: Person,
}

/// Two partners registered, confirmed by a second administrator, one liaison each.
async fn partners(w: &World) -> Partners {
    let s = w.store.as_ref();
    let admin = w.admin.caller();
    let second_admin = add_person(s, &w.admin, "admin2", Role::Administrator).await;
    let (card_a, print_a) = card("A");
    let (card_b, print_b) = card("B");
    // A card checked against another fingerprint is refused.
    assert!(matches!(
        partners::register_partner(s, &admin, &card_a, &print_b, today()).await,
        Err(CaseError::Card(_))
    ));
    // Only an administrator registers.
    assert!(matches!(
        partners::register_partner(s, &w.coordinator.caller(), &card_a, &print_a, today()).await,
        Err(CaseError::Rule(CaseRuleError::AdministratorOnly))
    ));
    let a = partners::register_partner(s, &admin, &card_a, &print_a, today())
        .await
        .unwrap();
    let b = partners::register_partner(s, &admin, &card_b, &print_b, today())
        .await
        .unwrap();
    assert!(matches!(
        partners::register_partner(s, &admin, &card_a, &print_a, today()).await,
        Err(CaseError::PartnerExists)
    ));
    assert!(partners::confirmed_partners(s).await.unwrap().is_empty());
    // Nobody confirms their own registration, nor a fingerprint that differs.
    assert!(matches!(
        partners::confirm_partner(s, &admin, &a, &print_a).await,
        Err(CaseError::Partner(PartnerRuleError::OwnRegistration))
    ));
    assert!(matches!(
        partners::confirm_partner(s, &second_admin.caller(), &a, &print_b).await,
        Err(CaseError::Partner(PartnerRuleError::FingerprintMismatch))
    ));
    partners::confirm_partner(s, &second_admin.caller(), &a, &print_a)
        .await
        .unwrap();
    partners::confirm_partner(s, &second_admin.caller(), &b, &print_b)
        .await
        .unwrap();
    let liaison_a = add_person(s, &w.admin, "liaison-a", Role::PartnerLiaison).await;
    let liaison_b = add_person(s, &w.admin, "liaison-b", Role::PartnerLiaison).await;
    assert!(matches!(
        partners::set_liaison(s, &admin, Some(w.receiver.record.id), &a).await,
        Err(CaseError::Partner(PartnerRuleError::NotALiaisonAccount))
    ));
    // One partner per liaison: a second setting moves them.
    partners::set_liaison(s, &admin, Some(liaison_a.record.id), &b)
        .await
        .unwrap();
    partners::set_liaison(s, &admin, Some(liaison_a.record.id), &a)
        .await
        .unwrap();
    partners::set_liaison(s, &admin, Some(liaison_b.record.id), &b)
        .await
        .unwrap();
    let listed = partners::partners(s).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].liaisons, vec![liaison_a.record.id]);
    Partners {
        second_admin,
        a,
        b,
        liaison_a,
        liaison_b,
    }
}

pub async fn a_referral_needs_consent_and_opens_only_for_its_partners_liaisons(w: &World) {
    let s = w.store.as_ref();
    let p = partners(w).await;
    let (case, _, request) = staffed_case(w).await;
    let coordinator = w.coordinator.caller();
    // No consent yet: refused for the coordinator, for anyone else on the
    // case, and for an administrator who is not on it.
    for (who, expected) in [
        (&w.coordinator, "consent"),
        (&w.vetter, "duty"),
        (&w.admin, "not-found"),
        (&p.second_admin, "not-found"),
    ] {
        let refused = partners::refer(s, &who.caller(), &case, &p.a, &["name"], false, NOW).await;
        let kind = match refused {
            Err(CaseError::Partner(PartnerRuleError::NoConsent)) => "consent",
            Err(CaseError::Rule(CaseRuleError::WrongDuty)) => "duty",
            Err(CaseError::NotFound) => "not-found",
            other => panic!("{other:?}"),
        };
        assert_eq!(kind, expected);
    }
    // The requester agrees on the follow-up page that A may know the name and governorate.
    let stored = s.intake_request(&request).await.unwrap().unwrap();
    let consented = partners::give_consent(s, &stored, &p.a, &["name", "governorate"])
        .await
        .unwrap();
    assert_eq!(consented.id, p.a, "the partner is named back to the requester");
    // Consent to A is not consent to B, nor to the phone.
    assert!(matches!(
        partners::refer(s, &coordinator, &case, &p.b, &["name"], false, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::NoConsent))
    ));
    assert!(matches!(
        partners::refer(s, &coordinator, &case, &p.a, &["name", "phone"], false, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::NoConsent))
    ));
    assert!(s.case_referrals(&case).await.unwrap().is_empty());
    let first = partners::refer(s, &coordinator, &case, &p.a, &["name"], false, NOW)
        .await
        .unwrap();
    // A's liaison reads exactly the field shared; B's liaison reads nothing and cannot answer it.
    let seen = partners::my_referrals(s, &p.liaison_a.caller()).await.unwrap();
    assert_eq!(seen.len(), 1);
    // The liaison's page: their partner and what it was sent; nobody else's.
    let page = partners::liaison_page(s, &p.liaison_a.caller()).await.unwrap();
    assert_eq!(page.partner.map(|partner| partner.id), Some(p.a));
    assert_eq!(page.referrals.len(), 1);
    let off = partners::liaison_page(s, &coordinator).await.unwrap();
    assert!(off.partner.is_none() && off.referrals.is_empty());
    assert_eq!(
        seen[0].fields,
        vec![(ReferralField::Name, "أحمد محمد العلي".to_owned())]
    );
    assert!(
        partners::my_referrals(s, &p.liaison_b.caller())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        partners::answer_referral(s, &p.liaison_b.caller(), &first, true, NOW).await,
        Err(CaseError::NoSuchReferral)
    ));
    // Nor learn that it exists: another partner's referral and none at all look alike.
    assert_eq!(
        partners::liaison_referral(s, &p.liaison_a.caller(), &first)
            .await
            .unwrap()
            .id,
        first
    );
    for (who, referral) in [
        (&p.liaison_b, first),
        (&w.coordinator, first),
        (&p.liaison_a, [0; 16]),
    ] {
        assert!(matches!(
            partners::liaison_referral(s, &who.caller(), &referral).await,
            Err(CaseError::NoSuchReferral)
        ));
    }
    // B's liaison's keys do not open A's referral either.
    let (record, wrapped_a) = s.staff_referrals(p.liaison_a.record.id).await.unwrap().remove(0);
    assert!(opens_with(
        &wrapped_a,
        &first,
        &record.sealed,
        p.liaison_a.keyring.staff()
    ));
    assert!(!opens_with(
        &wrapped_a,
        &first,
        &record.sealed,
        p.liaison_b.keyring.staff()
    ));
    assert_eq!(
        partners::answer_referral(s, &p.liaison_a.caller(), &first, true, NOW)
            .await
            .unwrap(),
        ReferralStatus::Accepted
    );
    assert!(matches!(
        partners::answer_referral(s, &p.liaison_a.caller(), &first, false, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::NotOffered))
    ));
    // Revoked: the page says what A may already have seen, A's liaison has nothing left.
    assert!(matches!(
        partners::revoke_referral(s, &w.vetter.caller(), &case, &first).await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    let revoked = partners::revoke_referral(s, &coordinator, &case, &first)
        .await
        .unwrap();
    assert!(revoked.seen);
    assert_eq!(revoked.fields, vec![ReferralField::Name]);
    assert!(
        partners::my_referrals(s, &p.liaison_a.caller())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.staff_referrals(p.liaison_a.record.id).await.unwrap().is_empty());
    let gone = s.referral(&first).await.unwrap().unwrap();
    assert!(gone.sealed.is_empty());
    assert_eq!(gone.status, "revoked");
    assert!(matches!(
        partners::revoke_referral(s, &coordinator, &case, &first).await,
        Err(CaseError::Partner(PartnerRuleError::NotLive))
    ));
    // Re-referred: a new key; the key A's liaison kept opens nothing of it.
    let second = partners::refer(s, &coordinator, &case, &p.a, &["name", "governorate"], false, NOW)
        .await
        .unwrap();
    let again = s.referral(&second).await.unwrap().unwrap();
    assert!(!opens_with(
        &wrapped_a,
        &second,
        &again.sealed,
        p.liaison_a.keyring.staff()
    ));
    assert!(!opens_with(
        &wrapped_a,
        &first,
        &again.sealed,
        p.liaison_a.keyring.staff()
    ));
    let seen = partners::my_referrals(s, &p.liaison_a.caller()).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].fields.len(), 2);
    let views = partners::referrals_of(s, &coordinator, &case).await.unwrap();
    assert_eq!(views.len(), 2);
    // A liaison moved to partner B keeps nothing A was sent.
    partners::set_liaison(s, &w.admin.caller(), Some(p.liaison_a.record.id), &p.b)
        .await
        .unwrap();
    assert!(
        partners::my_referrals(s, &p.liaison_a.caller())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.staff_referrals(p.liaison_a.record.id).await.unwrap().is_empty());
}

pub async fn consent_from_a_call_counts_only_once_a_second_person_approves_it(w: &World) {
    let s = w.store.as_ref();
    let p = partners(w).await;
    let (case, _, _) = staffed_case(w).await;
    let coordinator = w.coordinator.caller();
    partners::record_call_consent(s, &coordinator, &case, &p.b, &["phone"])
        .await
        .unwrap();
    assert!(matches!(
        partners::refer(s, &coordinator, &case, &p.b, &["phone"], false, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::NoConsent))
    ));
    let consent = partners::consents_of(s, &coordinator, &case).await.unwrap()[0].clone();
    assert!(!consent.in_force);
    assert!(matches!(
        partners::approve_consent(s, &coordinator, &case, &consent.id).await,
        Err(CaseError::Partner(PartnerRuleError::OwnConsent))
    ));
    // Someone not on the case cannot approve it.
    assert!(matches!(
        partners::approve_consent(s, &w.admin.caller(), &case, &consent.id).await,
        Err(CaseError::NotFound)
    ));
    partners::approve_consent(s, &w.vetter.caller(), &case, &consent.id)
        .await
        .unwrap();
    assert!(partners::consents_of(s, &coordinator, &case).await.unwrap()[0].in_force);
    partners::refer(s, &coordinator, &case, &p.b, &["phone"], false, NOW)
        .await
        .unwrap();
    let seen = partners::my_referrals(s, &p.liaison_b.caller()).await.unwrap();
    assert_eq!(
        seen[0].fields,
        vec![(ReferralField::Phone, "+963 944 123 456".to_owned())]
    );
}

pub async fn a_handover_is_never_accepted_by_whoever_offered_it(w: &World) {
    let s = w.store.as_ref();
    let p = partners(w).await;
    let (case, _, request) = staffed_case(w).await;
    // Someone who both coordinates the case and is a liaison of A.
    let both = add_person_with(
        s,
        &w.admin,
        "both",
        &[Role::ExitCoordinator, Role::PartnerLiaison],
    )
    .await;
    partners::set_liaison(s, &w.admin.caller(), Some(both.record.id), &p.a)
        .await
        .unwrap();
    cases::assign(
        s,
        &w.coordinator.caller(),
        &case,
        both.record.id,
        Duty::Coordinator,
        NOW,
    )
    .await
    .unwrap();
    let stored = s.intake_request(&request).await.unwrap().unwrap();
    partners::give_consent(s, &stored, &p.a, &["name", "urgency"])
        .await
        .unwrap();
    // Handing the whole case over needs the person's consent to share the whole case.
    assert!(matches!(
        partners::refer(s, &both.caller(), &case, &p.a, &["name", "urgency"], true, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::HandoverScope))
    ));
    assert!(matches!(
        partners::refer(s, &both.caller(), &case, &p.a, &["name", "whole-case"], true, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::NoConsent))
    ));
    partners::give_consent(s, &stored, &p.a, &["whole-case"])
        .await
        .unwrap();
    let offer = partners::refer(s, &both.caller(), &case, &p.a, &["name", "whole-case"], true, NOW)
        .await
        .unwrap();
    assert!(matches!(
        partners::answer_referral(s, &both.caller(), &offer, true, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::OwnOffer))
    ));
    // Someone leaves the case: it has a new key, and the offer's key is out of date.
    cases::unassign(s, &both.caller(), &case, w.vetter.record.id, NOW)
        .await
        .unwrap();
    assert!(matches!(
        partners::answer_referral(s, &p.liaison_a.caller(), &offer, true, NOW).await,
        Err(CaseError::Partner(PartnerRuleError::OfferOutdated))
    ));
    partners::revoke_referral(s, &both.caller(), &case, &offer)
        .await
        .unwrap();
    let offer = partners::refer(s, &both.caller(), &case, &p.a, &["name", "whole-case"], true, NOW)
        .await
        .unwrap();
    // Before accepting, the partner's liaison cannot open the case.
    assert!(matches!(
        cases::view(s, &w.config, &p.liaison_a.caller(), &case, NOW).await,
        Err(CaseError::NotFound)
    ));
    assert_eq!(
        partners::answer_referral(s, &p.liaison_a.caller(), &offer, true, NOW)
            .await
            .unwrap(),
        ReferralStatus::Accepted
    );
    let views = partners::referrals_of(s, &w.coordinator.caller(), &case)
        .await
        .unwrap();
    let accepted = views.iter().find(|v| v.id == offer).unwrap();
    assert!(accepted.handover);
    assert_eq!(accepted.status, ReferralStatus::Accepted);
    assert!(views.iter().any(|v| v.status == ReferralStatus::Revoked));
    // Accepted: the liaison holds the case key, is on the case as its partner liaison, owns it.
    let taken = cases::view(s, &w.config, &p.liaison_a.caller(), &case, NOW)
        .await
        .unwrap();
    assert_eq!(taken.state.owner, Some(p.liaison_a.record.id));
    assert!(taken.state.has_duty(p.liaison_a.record.id, Duty::PartnerLiaison));
    assert!(matches!(
        cases::view(s, &w.config, &p.liaison_b.caller(), &case, NOW).await,
        Err(CaseError::NotFound)
    ));
}

async fn waiting(s: &dyn mamar_store::Store, who: &Person) -> partners::ReferralsWaiting {
    partners::referrals_waiting(s, &who.caller()).await.unwrap()
}

pub async fn a_requester_withdraws_consent_and_every_referral_to_that_partner_goes(w: &World) {
    let s = w.store.as_ref();
    let p = partners(w).await;
    let (case, _, request) = staffed_case(w).await;
    let coordinator = w.coordinator.caller();
    let stored = s.intake_request(&request).await.unwrap().unwrap();
    partners::give_consent(s, &stored, &p.a, &["name", "governorate"])
        .await
        .unwrap();
    partners::give_consent(s, &stored, &p.b, &["name"]).await.unwrap();
    let first = partners::refer(s, &coordinator, &case, &p.a, &["name"], false, NOW)
        .await
        .unwrap();
    partners::refer(s, &coordinator, &case, &p.b, &["name"], false, NOW)
        .await
        .unwrap();

    // The liaison's count of referrals to answer, and the coordinator's of answers not seen.
    assert_eq!(waiting(s, &p.liaison_a).await.to_answer, 1);
    assert!(waiting(s, &w.coordinator).await.news.is_empty());
    partners::answer_referral(s, &p.liaison_a.caller(), &first, false, NOW)
        .await
        .unwrap();
    assert_eq!(waiting(s, &p.liaison_a).await.to_answer, 0);
    let news = waiting(s, &w.coordinator).await.news;
    assert_eq!(news.len(), 1);
    assert_eq!((news[0].case_id, news[0].partner_id), (case, p.a));
    assert_eq!(news[0].what, "declined");
    // Someone on the case who is not its coordinator reading it does not count as seen.
    partners::referrals_of(s, &w.vetter.caller(), &case)
        .await
        .unwrap();
    assert_eq!(waiting(s, &w.coordinator).await.news.len(), 1);
    partners::referrals_of(s, &coordinator, &case).await.unwrap();
    assert!(waiting(s, &w.coordinator).await.news.is_empty());

    // Referred again; A's liaison opens it.
    let second = partners::refer(s, &coordinator, &case, &p.a, &["name", "governorate"], false, NOW)
        .await
        .unwrap();
    assert_eq!(
        partners::my_referrals(s, &p.liaison_a.caller())
            .await
            .unwrap()
            .len(),
        2
    );
    let given = partners::requester_consents(s, &stored).await.unwrap();
    assert_eq!(given.len(), 2);
    let to_a = given.iter().find(|c| c.partner == p.a).unwrap();
    assert_eq!(to_a.fields, vec![ReferralField::Name, ReferralField::Governorate]);
    assert_eq!(to_a.seen, vec![ReferralField::Name, ReferralField::Governorate]);

    // The requester withdraws their consent to A: the live referral to A is revoked as staff
    // revoke one, and what A's liaison opened before is said.
    let withdrawal = partners::withdraw_consent(s, &stored, &p.a, NOW + 60)
        .await
        .unwrap();
    // The declined referral goes too: A's liaison could still read it on their page.
    assert_eq!(withdrawal.revoked, 2);
    assert_eq!(
        withdrawal.seen,
        vec![ReferralField::Name, ReferralField::Governorate]
    );
    let gone = s.referral(&second).await.unwrap().unwrap();
    assert_eq!(gone.status, "revoked");
    assert!(gone.sealed.is_empty());
    assert_eq!(s.referral(&first).await.unwrap().unwrap().status, "revoked");
    // A's liaison has nothing left, not even a key.
    assert!(
        partners::my_referrals(s, &p.liaison_a.caller())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.staff_referrals(p.liaison_a.record.id).await.unwrap().is_empty());
    // B is untouched.
    assert_eq!(
        partners::my_referrals(s, &p.liaison_b.caller())
            .await
            .unwrap()
            .len(),
        1
    );
    // New referrals to A are refused, on every path, and nothing is stored.
    let before = s.case_referrals(&case).await.unwrap().len();
    assert!(matches!(
        partners::refer(s, &coordinator, &case, &p.a, &["name"], false, NOW + 120).await,
        Err(CaseError::Partner(PartnerRuleError::ConsentWithdrawn))
    ));
    assert_eq!(s.case_referrals(&case).await.unwrap().len(), before);
    assert!(matches!(
        partners::withdraw_consent(s, &stored, &p.a, NOW + 120).await,
        Err(CaseError::Partner(PartnerRuleError::NoConsent))
    ));
    let given = partners::requester_consents(s, &stored).await.unwrap();
    assert_eq!(given.len(), 1);
    assert_eq!(given[0].partner, p.b);

    // The case team is told: the timeline, and the coordinator's count until they open it.
    let news = waiting(s, &w.coordinator).await.news;
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].what, "withdrawn");
    let timeline = cases::view(s, &w.config, &w.vetter.caller(), &case, NOW + 120)
        .await
        .unwrap()
        .timeline;
    let event = timeline.iter().find(|e| e.what == "consent-withdrawn").unwrap();
    assert_eq!(event.detail.as_deref(), Some(hex::encode(p.a).as_str()));
    let consents = partners::consents_of(s, &coordinator, &case).await.unwrap();
    assert!(
        consents
            .iter()
            .filter(|c| c.partner == p.a)
            .all(|c| !c.in_force && c.withdrawn_day.is_some())
    );
    partners::referrals_of(s, &coordinator, &case).await.unwrap();
    assert!(waiting(s, &w.coordinator).await.news.is_empty());
    let codes: Vec<String> = s
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action.code().to_owned())
        .collect();
    assert_eq!(codes.iter().filter(|c| *c == "consent_withdrawn").count(), 1);

    // Agreeing again counts again.
    partners::give_consent(s, &stored, &p.a, &["name"]).await.unwrap();
    partners::refer(s, &coordinator, &case, &p.a, &["name"], false, NOW + 180)
        .await
        .unwrap();
}

pub async fn the_partners_page_is_for_administrators_and_names_every_liaison(w: &World) {
    let s = w.store.as_ref();
    let p = partners(w).await;
    assert!(matches!(
        partners::partners_overview(s, &w.coordinator.caller(), false).await,
        Err(CaseError::Rule(CaseRuleError::AdministratorOnly))
    ));
    let overview = partners::partners_overview(s, &w.admin.caller(), false)
        .await
        .unwrap();
    let mut seen: Vec<([u8; 16], Vec<StaffId>)> = overview
        .partners
        .iter()
        .map(|partner| (partner.id, partner.liaisons.clone()))
        .collect();
    seen.sort();
    let mut expected = vec![
        (p.a, vec![p.liaison_a.record.id]),
        (p.b, vec![p.liaison_b.record.id]),
    ];
    expected.sort();
    assert_eq!(seen, expected);
    assert!(
        overview
            .staff
            .iter()
            .any(|account| account.id == p.liaison_b.record.id)
    );
    // A decoy session sees no partner, and the accounts as always.
    let decoy = partners::partners_overview(s, &p.second_admin.caller(), true)
        .await
        .unwrap();
    assert!(decoy.partners.is_empty());
    assert_eq!(decoy.staff.len(), overview.staff.len());
    // A form that names no account: no such staff for a partner that exists, no such partner else.
    assert!(matches!(
        partners::set_liaison(s, &w.admin.caller(), None, &p.a).await,
        Err(CaseError::NoSuchStaff)
    ));
    assert!(matches!(
        partners::set_liaison(s, &w.admin.caller(), None, &[9; 16]).await,
        Err(CaseError::NoSuchPartner)
    ));
}
