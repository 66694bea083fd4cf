//! Referral files between two servers that each run mamar: a referral leaves
//! as a file signed by the sending organisation and sealed to the partner's
//! key from its card; the partner's server imports it as a case and answers
//! with an acknowledgement signed and sealed the same way. A tampered file,
//! a file sealed to another organisation, a replayed file, a file from an
//! unknown or unconfirmed organisation and a malformed one are each refused
//! with their own message, and the file holds nothing readable.

use mamar_core::Role;
use mamar_core::case::CaseRuleError;
use mamar_core::partner::{PartnerRuleError, ReferralStatus};
use mamar_crypto::{OrgKeyKind, SigningKey};
use mamar_keys::{
    CardDate, ContactCard, FileKind, FilePayload, ReferralFileError, seal_file, sign_card,
    sign_card_with_org_key,
};
use mamar_usecases::referral_files::{self, Imported};
use mamar_usecases::{CaseError, cases, partners};

use crate::walk::staffed_case;
use crate::world::{NOW, Person, World, add_person};

const NAME: &str = "أحمد محمد العلي";
const PHONE: &str = "+963 944 123 456";

fn today() -> CardDate {
    CardDate::new(2027, 1, 15).unwrap()
}

fn card_of(name: &str) -> ContactCard {
    ContactCard {
        org_name_ar: format!("منظمة {name}"),
        org_name_en: format!("Organisation {name}"),
        web_address: None,
        onion_address: None,
        hotlines: vec!["+90 555 000 0000".into()],
        telegram_bot: None,
        referral_seal: None,
        valid_until: CardDate::new(2030, 6, 30).unwrap(),
    }
}

/// The organisation's signed card as `mamar card publish` makes it, and its fingerprint.
fn published_card(w: &World, name: &str) -> (String, String) {
    let signing = w.admin.keyring.org_key(OrgKeyKind::Signing).unwrap();
    let fingerprint = signing
        .signing()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    (
        sign_card_with_org_key(&card_of(name), signing).unwrap(),
        fingerprint,
    )
}

/// Registers `card` on `w` and has a second administrator confirm it.
async fn partner_of(w: &World, second_admin: &Person, card: &str, fingerprint: &str) -> [u8; 16] {
    let s = w.store.as_ref();
    let id = partners::register_partner(s, &w.admin.caller(), card, fingerprint, today())
        .await
        .unwrap();
    partners::confirm_partner(s, &second_admin.caller(), &id, fingerprint)
        .await
        .unwrap();
    id
}

fn refusal(result: Result<Imported, CaseError>) -> ReferralFileError {
    match result {
        Err(CaseError::ReferralFile(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The file with one hex digit of its sealed part changed.
fn tampered(file: &str) -> String {
    let at = file.rfind('\n').unwrap() - 20;
    let digit = if &file[at..=at] == "0" { "1" } else { "0" };
    format!("{}{digit}{}", &file[..at], &file[at + 1..])
}

pub async fn a_referral_file_travels_between_two_servers_and_only_as_sent(ours: World, theirs: World) {
    let (s, t) = (ours.store.as_ref(), theirs.store.as_ref());
    let our_admin2 = add_person(s, &ours.admin, "admin2", Role::Administrator).await;
    let their_admin2 = add_person(t, &theirs.admin, "admin2", Role::Administrator).await;
    let (our_card, our_print) = published_card(&ours, "Ours");
    let (their_card, their_print) = published_card(&theirs, "Theirs");
    assert!(our_card.contains("\nreferral-seal: "), "{our_card}");
    // Each registers the other by its card; a second administrator confirms the fingerprint.
    // They were registered here by a card signed before referral files existed: no sealing key.
    let their_signing = theirs
        .admin
        .keyring
        .org_key(OrgKeyKind::Signing)
        .unwrap()
        .signing()
        .unwrap();
    let their_old_card = sign_card(&card_of("Theirs"), their_signing).unwrap();
    let them = partner_of(&ours, &our_admin2, &their_old_card, &their_print).await;
    partner_of(&theirs, &their_admin2, &our_card, &our_print).await;

    let (case, _, request) = staffed_case(&ours).await;
    let coordinator = ours.coordinator.caller();
    // Without the requester's consent nothing leaves, exactly as for a referral on this server.
    assert!(matches!(
        referral_files::export_referral(s, &coordinator, &case, &them, &["name"], NOW).await,
        Err(CaseError::Partner(PartnerRuleError::NoConsent))
    ));
    let stored = s.intake_request(&request).await.unwrap().unwrap();
    let shared = ["name", "birth-year", "phone", "governorate", "urgency"];
    partners::give_consent(s, &stored, &them, &shared).await.unwrap();
    assert!(matches!(
        referral_files::export_referral(s, &ours.vetter.caller(), &case, &them, &["name"], NOW).await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    // The whole case never travels as a file.
    assert!(
        referral_files::export_referral(s, &coordinator, &case, &them, &["whole-case"], NOW)
            .await
            .is_err()
    );
    let no_key = referral_files::export_referral(s, &coordinator, &case, &them, &shared, NOW).await;
    assert!(
        matches!(no_key, Err(CaseError::ReferralFile(ReferralFileError::NoSealKey))),
        "{no_key:?}"
    );
    // Their new card, of the same key, replaces the old one; only an administrator does it, and
    // only with a card of the key that was confirmed.
    let (stranger_card, _) = published_card(&ours, "Theirs");
    assert!(
        partners::renew_partner_card(s, &ours.admin.caller(), &them, &stranger_card, today())
            .await
            .is_err()
    );
    assert!(
        partners::renew_partner_card(s, &coordinator, &them, &their_card, today())
            .await
            .is_err()
    );
    partners::renew_partner_card(s, &ours.admin.caller(), &them, &their_card, today())
        .await
        .unwrap();
    let exported = referral_files::export_referral(s, &coordinator, &case, &them, &shared, NOW)
        .await
        .unwrap();
    let file = &exported.file;
    // Nothing readable travels: no shared value in the file, and beyond its three lines only hex.
    for canary in [NAME, PHONE, "sy-hl", "immediate", "birth-year", "governorate"] {
        assert!(!file.contains(canary), "{canary} in {file}");
    }
    let lines: Vec<&str> = file.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "mamar-referral-file v1");
    let sealed = lines[2].strip_prefix("sealed: ").unwrap();
    assert!(sealed.bytes().all(|b| b.is_ascii_hexdigit()));
    let offered = s.referral(&exported.referral).await.unwrap().unwrap();
    assert_eq!(offered.status, "offered");
    assert!(offered.seen, "once the file leaves, the partner may have read it");

    // On their server: only a holder of their signing key opens it, and it becomes a case.
    let importer = theirs.intake.caller();
    let bad =
        refusal(referral_files::import_file(t, &theirs.questionnaire, &importer, "hello", false, NOW).await);
    assert!(matches!(bad, ReferralFileError::Malformed(_)), "{bad}");
    let changed = refusal(
        referral_files::import_file(t, &theirs.questionnaire, &importer, &tampered(file), false, NOW).await,
    );
    assert_eq!(changed, ReferralFileError::Tampered);
    assert!(changed.to_string().contains("changed after it was signed"));
    // Ours is not theirs: our own server cannot open the file it sealed to them.
    let elsewhere = refusal(
        referral_files::import_file(s, &ours.questionnaire, &ours.intake.caller(), file, false, NOW).await,
    );
    assert_eq!(elsewhere, ReferralFileError::SealedToAnother);
    assert!(elsewhere.to_string().contains("another organisation"));

    let imported = referral_files::import_file(t, &theirs.questionnaire, &importer, file, false, NOW)
        .await
        .unwrap();
    let Imported::Referral {
        partner,
        case: Some(opened),
        acknowledgement,
    } = imported
    else {
        panic!("a referral that opens a case");
    };
    assert_eq!(partner, "Organisation Ours");
    let view = cases::view(t, &theirs.config, &importer, &opened.id, NOW)
        .await
        .unwrap();
    assert_eq!(view.source, "partner");
    let identity = view.identity.unwrap();
    assert_eq!(
        (
            identity.name.as_str(),
            identity.birth_year,
            identity.phone.as_str()
        ),
        (NAME, Some(1999), PHONE)
    );
    let answers = view.answers.unwrap();
    assert!(answers.get("governorate").is_some() && answers.get("urgency").is_some());
    // Imported twice: refused, and no second case.
    let replayed =
        refusal(referral_files::import_file(t, &theirs.questionnaire, &importer, file, false, NOW).await);
    assert!(
        matches!(replayed, ReferralFileError::Replayed { .. }),
        "{replayed}"
    );
    assert!(replayed.to_string().contains("imported before"));
    assert_eq!(
        cases::list_mine(t, &theirs.config, &importer)
            .await
            .unwrap()
            .len(),
        1
    );

    // Signed by us but sealed to a third organisation's key: not for them.
    let third = SigningKey::generate().unwrap().referral_seal_pair();
    let our_signing = ours
        .admin
        .keyring
        .org_key(OrgKeyKind::Signing)
        .unwrap()
        .signing()
        .unwrap();
    let payload = FilePayload {
        kind: FileKind::Referral,
        id: "0123456789abcdef0123456789abcdef".into(),
        created: NOW,
        to: String::new(),
        referral: hex::encode(exported.referral),
        fields: vec![("name".into(), NAME.into())],
        accepted: None,
    };
    let for_third = seal_file(&payload, our_signing, third.public_key()).unwrap();
    assert_eq!(
        refusal(
            referral_files::import_file(t, &theirs.questionnaire, &importer, &for_third, false, NOW).await
        ),
        ReferralFileError::SealedToAnother
    );
    // Sealed to them but signed by an organisation they never registered, or never confirmed.
    let their_key = mamar_keys::verify_card(&their_card, &their_print, today())
        .unwrap()
        .referral_seal
        .unwrap();
    let stranger = SigningKey::generate().unwrap();
    let unknown = seal_file(&payload, &stranger, &their_key).unwrap();
    assert!(matches!(
        refusal(referral_files::import_file(t, &theirs.questionnaire, &importer, &unknown, false, NOW).await),
        ReferralFileError::UnknownSender { .. }
    ));
    let unconfirmed_card = sign_card(&card_of("Unconfirmed"), &stranger).unwrap();
    partners::register_partner(
        t,
        &theirs.admin.caller(),
        &unconfirmed_card,
        &stranger.verifying_key().fingerprint().to_string(),
        today(),
    )
    .await
    .unwrap();
    let refused =
        refusal(referral_files::import_file(t, &theirs.questionnaire, &importer, &unknown, false, NOW).await);
    assert!(
        matches!(refused, ReferralFileError::UnconfirmedSender { .. }),
        "{refused}"
    );
    // Someone without their signing key cannot open what was sealed to it.
    assert!(matches!(
        referral_files::import_file(
            t,
            &theirs.questionnaire,
            &theirs.vetter.caller(),
            file,
            false,
            NOW
        )
        .await,
        Err(CaseError::MissingKey("signing"))
    ));

    // The acknowledgement comes back the same way and is recorded on the referral.
    assert!(!acknowledgement.contains("accepted"));
    assert_eq!(
        refusal(
            referral_files::import_file(
                s,
                &ours.questionnaire,
                &coordinator,
                &tampered(&acknowledgement),
                false,
                NOW
            )
            .await
        ),
        ReferralFileError::Tampered
    );
    let answered =
        referral_files::import_file(s, &ours.questionnaire, &coordinator, &acknowledgement, false, NOW)
            .await
            .unwrap();
    assert!(matches!(
        answered,
        Imported::Acknowledgement {
            status: ReferralStatus::Accepted,
            ..
        }
    ));
    let views = partners::referrals_of(s, &coordinator, &case).await.unwrap();
    assert_eq!(views[0].status, ReferralStatus::Accepted);
    assert!(matches!(
        refusal(
            referral_files::import_file(s, &ours.questionnaire, &coordinator, &acknowledgement, false, NOW)
                .await
        ),
        ReferralFileError::Replayed { .. }
    ));

    // A second referral, declined there: no case, and the decline recorded here.
    let second = referral_files::export_referral(s, &coordinator, &case, &them, &["name"], NOW)
        .await
        .unwrap();
    let Imported::Referral {
        case: None,
        acknowledgement: declined,
        ..
    } = referral_files::import_file(t, &theirs.questionnaire, &importer, &second.file, true, NOW)
        .await
        .unwrap()
    else {
        panic!("a declined referral opens no case");
    };
    assert_eq!(
        cases::list_mine(t, &theirs.config, &importer)
            .await
            .unwrap()
            .len(),
        1
    );
    referral_files::import_file(s, &ours.questionnaire, &coordinator, &declined, false, NOW)
        .await
        .unwrap();
    let status = s.referral(&second.referral).await.unwrap().unwrap().status;
    assert_eq!(status, "declined");

    // A file found a month late is not acted on unless the importer allows its age; one dated
    // two days ahead of the importer's clock never is.
    const DAY: i64 = 86_400;
    let late = referral_files::export_referral(s, &coordinator, &case, &them, &["name"], NOW - 31 * DAY)
        .await
        .unwrap();
    let too_old = refusal(
        referral_files::import_file(t, &theirs.questionnaire, &importer, &late.file, true, NOW).await,
    );
    assert_eq!(
        too_old,
        ReferralFileError::TooOld {
            age_days: 31,
            max_days: 30
        }
    );
    assert!(
        too_old.to_string().contains("ask the partner for a new file"),
        "{too_old}"
    );
    let ahead = referral_files::export_referral(s, &coordinator, &case, &them, &["name"], NOW + 2 * DAY)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            referral_files::import_file(t, &theirs.questionnaire, &importer, &ahead.file, true, NOW).await
        ),
        ReferralFileError::FromTheFuture
    );
    // The ids of files imported longer ago than any file may be old are forgotten at the next
    // import; younger ones are kept.
    let (forgotten, kept) = ([0xf1; 16], [0xf2; 16]);
    let today = mamar_usecases::day_of(NOW);
    let kept_days = mamar_keys::SEEN_FILE_IDS_KEPT_DAYS;
    assert!(
        t.claim_referral_file(&forgotten, "referral", today - kept_days - 1)
            .await
            .unwrap()
    );
    assert!(
        t.claim_referral_file(&kept, "referral", today - kept_days + 1)
            .await
            .unwrap()
    );
    referral_files::import_file_with_max_age(t, &theirs.questionnaire, &importer, &late.file, true, 60, NOW)
        .await
        .unwrap();
    assert!(
        t.claim_referral_file(&forgotten, "referral", today)
            .await
            .unwrap(),
        "forgotten"
    );
    assert!(
        !t.claim_referral_file(&kept, "referral", today).await.unwrap(),
        "still known"
    );
}
