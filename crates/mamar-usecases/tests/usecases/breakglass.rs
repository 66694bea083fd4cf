//! Break-glass (issue 16): without the organisation's set-up nobody off a
//! case can read it; with a threshold of 2, one administrator alone cannot
//! (tried with their own keys on every stored wrap), two can, for a limited
//! time, every administrator sees it, and after the grant ends the case gets
//! a new key at the next act of a holder.

use mamar_audit::Action;
use mamar_core::case::machine::Effect;
use mamar_core::case::{ApprovalKind, CaseRuleError, Duty};
use mamar_core::{Role, Username};
use mamar_crypto::{CaseKey, Password, RecoveryShare, SealPurpose};
use mamar_usecases::cases;
use mamar_usecases::{CaseError, Section};

use crate::walk::{ANSWERS, no_grant_opens, staffed_case};
use crate::world::{NOW, PASSWORD, Person, World, add_person};

const REASON: &str = "المنسق معتقل ولا أحد من الفريق يرد منذ يومين";

async fn set_up(w: &World, threshold: usize) -> mamar_keys::BreakGlassReport {
    mamar_keys::set_up_break_glass(
        w.store.as_ref(),
        &Username::parse("admin").unwrap(),
        &Password::new(PASSWORD.into()),
        threshold,
        NOW,
    )
    .await
    .unwrap()
}

pub async fn without_set_up_nobody_off_a_case_can_open_it(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let asked = cases::ask_break_glass(s, &w.config, &w.admin.caller(), &case, REASON, 3600, NOW).await;
    assert!(matches!(asked, Err(CaseError::BreakGlassNotSetUp)));
    assert!(s.case_escrow(&case).await.unwrap().is_none());
    assert!(s.break_glass_setup().await.unwrap().is_none());
    assert!(matches!(
        cases::view(s, &w.config, &w.admin.caller(), &case, NOW).await,
        Err(CaseError::NotFound)
    ));
    no_grant_opens(w, &case, w.admin.keyring.staff()).await;
    assert!(
        cases::break_glass_alerts(s, &w.admin.caller(), NOW)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The record ciphertexts of a case that `key` opens.
async fn opened_by(w: &World, case: &[u8; 16], key: &CaseKey) -> usize {
    let mut opened = 0;
    for record in w.store.case_records(case).await.unwrap() {
        let context = mamar_crypto::RecordContext {
            record_id: &record.id,
            kind: &record.kind,
            schema_version: u32::try_from(record.schema_version).unwrap(),
        };
        if key.decrypt(&record.ciphertext, &context).is_ok() {
            opened += 1;
        }
    }
    opened
}

/// Everything one administrator's own keys can reach of a case: the case's grants, its escrow
/// wrap (as a staff wrap), and the escrow with their share alone. None opens.
async fn one_administrator_alone_opens_nothing(w: &World, admin: &Person, case: &[u8; 16]) {
    let s = w.store.as_ref();
    no_grant_opens(w, case, admin.keyring.staff()).await;
    let escrow = s.case_escrow(case).await.unwrap().unwrap();
    assert!(CaseKey::unwrap(&escrow, case, admin.keyring.staff()).is_err());
    let setup = s.break_glass_setup().await.unwrap().unwrap();
    let sealed = s.break_glass_share(admin.record.id).await.unwrap().unwrap();
    let share = mamar_crypto::open(
        admin.keyring.staff().encryption(),
        &SealPurpose::BreakGlassShare { id: &setup.setup_id },
        &sealed,
    )
    .unwrap();
    let share = RecoveryShare::from_bytes(share.expose_secret()).unwrap();
    assert!(
        mamar_crypto::combine(&[share]).is_err(),
        "one share rebuilt the secret"
    );
    // Nobody else's share is sealed to them.
    for other in [&w.admin, &w.coordinator] {
        if other.record.id == admin.record.id {
            continue;
        }
        if let Some(sealed) = s.break_glass_share(other.record.id).await.unwrap() {
            assert!(
                mamar_crypto::open(
                    admin.keyring.staff().encryption(),
                    &SealPurpose::BreakGlassShare { id: &setup.setup_id },
                    &sealed,
                )
                .is_err()
            );
        }
    }
}

pub async fn two_administrators_open_a_case_for_a_limited_time_and_it_is_re_keyed_after(w: &World) {
    let s = w.store.as_ref();
    let second = add_person(s, &w.admin, "admin2", Role::Administrator).await;
    let third = add_person(s, &w.admin, "admin3", Role::Administrator).await;
    // A case opened before the set-up has no escrow until someone on it opens it.
    let (case, _, _) = staffed_case(w).await;
    let report = set_up(w, 2).await;
    assert_eq!(
        (report.threshold, report.administrators, report.escrowed),
        (2, 3, 0)
    );
    assert_eq!(s.cases_without_escrow().await.unwrap(), 1);
    assert!(
        cases::ask_break_glass(s, &w.config, &w.admin.caller(), &case, REASON, 3600, NOW)
            .await
            .is_ok()
    );
    let request = cases::break_glass_alerts(s, &w.admin.caller(), NOW)
        .await
        .unwrap()[0]
        .request_id;
    // The asker cannot open it: no escrow yet, and no second share.
    assert!(matches!(
        cases::open_break_glass(s, &w.admin.caller(), &request, NOW).await,
        Err(CaseError::BreakGlassWaiting)
    ));
    cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    assert_eq!(
        s.cases_without_escrow().await.unwrap(),
        0,
        "the holder's act escrowed it"
    );
    one_administrator_alone_opens_nothing(w, &w.admin, &case).await;
    one_administrator_alone_opens_nothing(w, &second, &case).await;

    // Nobody approves their own request; only an administrator approves.
    assert!(matches!(
        cases::approve_break_glass(s, &w.admin.caller(), &request, NOW).await,
        Err(CaseError::Rule(CaseRuleError::OwnRequest))
    ));
    assert!(matches!(
        cases::approve_break_glass(s, &w.coordinator.caller(), &request, NOW).await,
        Err(CaseError::Rule(CaseRuleError::AdministratorOnly))
    ));
    // Every administrator sees the request with its reason; nobody else sees anything.
    for admin in [&w.admin, &second, &third] {
        let alerts = cases::break_glass_alerts(s, &admin.caller(), NOW).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].reason.as_deref(), Some(REASON));
        assert_eq!(alerts[0].case_id, case);
        assert_eq!((alerts[0].shares, alerts[0].threshold), (1, 2));
        assert_eq!(alerts[0].can_approve, admin.record.id != w.admin.record.id);
        let counts = cases::home_counts(s, &w.config, &admin.caller(), NOW)
            .await
            .unwrap();
        assert_eq!(counts.break_glass, 1, "the navigation counts it");
    }
    let counts = cases::home_counts(s, &w.config, &w.coordinator.caller(), NOW)
        .await
        .unwrap();
    assert_eq!(counts.break_glass, 0);
    assert!(
        cases::break_glass_alerts(s, &w.coordinator.caller(), NOW)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        cases::approve_break_glass(s, &second.caller(), &request, NOW + 60)
            .await
            .unwrap(),
        Effect::Granted {
            kind: ApprovalKind::BreakGlass
        }
    );
    // The approval is a share sealed to the asker: the approver's keys do not open it.
    for (_, sealed) in s.break_glass_approvals(&request).await.unwrap() {
        let purpose = SealPurpose::BreakGlassShare { id: &request };
        assert!(mamar_crypto::open(second.keyring.staff().encryption(), &purpose, &sealed).is_err());
        assert!(mamar_crypto::open(third.keyring.staff().encryption(), &purpose, &sealed).is_err());
    }
    assert!(
        cases::approve_break_glass(s, &third.caller(), &request, NOW + 60)
            .await
            .is_err()
    );
    let alerts = cases::break_glass_alerts(s, &w.admin.caller(), NOW + 60)
        .await
        .unwrap();
    assert!(alerts[0].can_open);
    // Only the asker opens it.
    assert!(matches!(
        cases::open_break_glass(s, &second.caller(), &request, NOW + 60).await,
        Err(CaseError::NoSuchBreakGlassRequest)
    ));
    let opened = cases::open_break_glass(s, &w.admin.caller(), &request, NOW + 120)
        .await
        .unwrap();
    assert_eq!(opened.grant_until, NOW + 120 + 3600);
    assert!(
        s.break_glass_approvals(&request).await.unwrap().is_empty(),
        "the shares are gone"
    );

    // The asker reads the case as a coordinator would, and changes nothing.
    let view = cases::view(s, &w.config, &w.admin.caller(), &case, NOW + 180)
        .await
        .unwrap();
    assert_eq!(view.my_duties, [Duty::BreakGlass]);
    assert!(view.sections.contains(&Section::Identity));
    assert_eq!(view.identity.as_ref().unwrap().name, "أحمد محمد العلي");
    assert!(matches!(
        cases::add_note(s, &w.config, &w.admin.caller(), &case, "x", None, NOW + 180).await,
        Err(CaseError::Rule(CaseRuleError::ReadOnly))
    ));
    // Every administrator still sees the live grant.
    let alerts = cases::break_glass_alerts(s, &third.caller(), NOW + 180)
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].grant_until, Some(NOW + 120 + 3600));
    let kept = s.case_grant(&case, w.admin.record.id).await.unwrap().unwrap();
    let kept = CaseKey::unwrap(&kept, &case, w.admin.keyring.staff()).unwrap();

    // The grant ends on time, not before.
    assert_eq!(cases::expire_break_glass(s, NOW + 120 + 3599).await.unwrap(), 0);
    assert_eq!(cases::expire_break_glass(s, NOW + 120 + 3600).await.unwrap(), 1);
    assert!(matches!(
        cases::view(s, &w.config, &w.admin.caller(), &case, NOW + 4000).await,
        Err(CaseError::NotFound)
    ));
    assert!(
        cases::break_glass_alerts(s, &w.admin.caller(), NOW + 4000)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(s.case_rekey_due(&case).await.unwrap());
    let counts = cases::home_counts(s, &w.config, &third.caller(), NOW + 4000)
        .await
        .unwrap();
    assert_eq!(counts.break_glass, 0);
    assert_eq!(
        opened_by(w, &case, &kept).await,
        s.case_records(&case).await.unwrap().len()
    );

    // The next act of a holder gives the case a new key: what the asker kept opens nothing new.
    cases::add_note(
        s,
        &w.config,
        &w.coordinator.caller(),
        &case,
        "بعد انتهاء الوصول",
        None,
        NOW + 4000,
    )
    .await
    .unwrap();
    assert!(!s.case_rekey_due(&case).await.unwrap());
    assert_eq!(opened_by(w, &case, &kept).await, 0);
    no_grant_opens(w, &case, w.admin.keyring.staff()).await;
    assert!(
        s.case_escrow(&case).await.unwrap().is_some(),
        "the new key is escrowed"
    );
    let view = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW + 4000)
        .await
        .unwrap();
    assert_eq!(view.notes.len(), 1);
    assert!(!view.state.is_assigned(w.admin.record.id));

    // Request, approval, opening and expiry are in the audit log, on the case.
    let entries = s.audit_entries(0, 10_000).await.unwrap();
    for action in [
        Action::BreakGlassRequested,
        Action::BreakGlassApproved,
        Action::BreakGlassOpened,
        Action::BreakGlassExpired,
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.action == action && e.object == Some(case)),
            "{action:?}"
        );
    }

    // Shredding the case takes its escrow wrap along.
    s.shred_cases(&[case]).await.unwrap();
    assert!(s.case_escrow(&case).await.unwrap().is_none());
}

pub async fn a_break_glass_request_is_capped_and_refused_where_it_makes_no_sense(w: &World) {
    let s = w.store.as_ref();
    let second = add_person(s, &w.admin, "admin2", Role::Administrator).await;
    let report = set_up(w, 2).await;
    assert_eq!(report.administrators, 2);
    // A second set-up is refused.
    assert!(
        mamar_keys::set_up_break_glass(
            s,
            &Username::parse("admin").unwrap(),
            &Password::new(PASSWORD.into()),
            2,
            NOW,
        )
        .await
        .is_err()
    );
    let (case, _, _) = staffed_case(w).await;
    assert!(
        s.case_escrow(&case).await.unwrap().is_some(),
        "opened after the set-up: escrowed at once"
    );
    // Not without a reason, not by someone who is not an administrator, not by someone on the case.
    assert!(matches!(
        cases::ask_break_glass(s, &w.config, &w.admin.caller(), &case, "  ", 3600, NOW).await,
        Err(CaseError::Rule(CaseRuleError::ReasonNeeded))
    ));
    assert!(matches!(
        cases::ask_break_glass(s, &w.config, &w.other_vetter.caller(), &case, REASON, 3600, NOW).await,
        Err(CaseError::Rule(CaseRuleError::AdministratorOnly))
    ));
    // The duration is capped at the organisation's maximum (a day by default).
    cases::ask_break_glass(s, &w.config, &second.caller(), &case, REASON, 30 * 86_400, NOW)
        .await
        .unwrap();
    let alerts = cases::break_glass_alerts(s, &w.admin.caller(), NOW)
        .await
        .unwrap();
    assert_eq!(alerts[0].duration_secs, 86_400);
    // One request at a time per case.
    assert!(matches!(
        cases::ask_break_glass(s, &w.config, &w.admin.caller(), &case, REASON, 3600, NOW).await,
        Err(CaseError::Rule(CaseRuleError::AlreadyPending))
    ));
    // A request nobody approves lapses.
    assert!(matches!(
        cases::approve_break_glass(s, &w.admin.caller(), &alerts[0].request_id, NOW + 86_400).await,
        Err(CaseError::Rule(CaseRuleError::Expired))
    ));
    assert_eq!(cases::expire_break_glass(s, NOW + 86_400).await.unwrap(), 0);
    assert!(s.break_glass_requests().await.unwrap().is_empty());
    assert!(!s.case_rekey_due(&case).await.unwrap(), "nothing was opened");
}

fn holder(name: &str) -> (Username, Password) {
    (Username::parse(name).unwrap(), Password::new(PASSWORD.into()))
}

/// An administrator leaves and another arrives: two holders re-share break-glass (the one who
/// left gives their share in person), so the new administrator takes part, the one who left
/// holds nothing here any more, a request waiting for approvals is cancelled (its approvals
/// were shares of the old split), and a case still opens with two of the new shares.
pub async fn when_the_administrators_change_break_glass_is_re_shared_and_still_opens_a_case(w: &World) {
    let s = w.store.as_ref();
    let second = add_person(s, &w.admin, "admin2", Role::Administrator).await;
    let leaving = add_person(s, &w.admin, "admin3", Role::Administrator).await;
    let (case, _, _) = staffed_case(w).await;
    set_up(w, 2).await;
    cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    cases::ask_break_glass(s, &w.config, &second.caller(), &case, REASON, 3600, NOW)
        .await
        .unwrap();
    s.set_staff_disabled(leaving.record.id, true).await.unwrap();
    let arriving = add_person(s, &w.admin, "admin4", Role::Administrator).await;
    let old_setup = s.break_glass_setup().await.unwrap().unwrap();
    let before = mamar_keys::break_glass_share_holders(s, &old_setup)
        .await
        .unwrap();
    assert_eq!((before.in_office, before.left, before.without_share), (2, 1, 1));
    assert!(before.usable() && !before.match_the_administrators());

    // Fewer shares than the threshold, a name twice, a newcomer's missing share, a holder who
    // left alone: each refused, and nothing changes.
    let refused = [
        mamar_keys::reshare_break_glass(s, &[holder("admin")], None).await,
        mamar_keys::reshare_break_glass(s, &[holder("admin"), holder("admin")], None).await,
        mamar_keys::reshare_break_glass(s, &[holder("admin"), holder("admin4")], None).await,
        mamar_keys::reshare_break_glass(s, &[holder("admin3")], None).await,
    ];
    assert!(matches!(
        &refused[0],
        Err(mamar_keys::KeyError::TooFewBreakGlassShares { needed: 2, given: 1 })
    ));
    assert!(matches!(
        &refused[1],
        Err(mamar_keys::KeyError::SameAdministratorTwice { .. })
    ));
    assert!(matches!(&refused[2], Err(mamar_keys::KeyError::NoBreakGlassShare { name }) if name == "admin4"));
    assert!(matches!(
        &refused[3],
        Err(mamar_keys::KeyError::NotAnAdministrator)
    ));
    assert_eq!(s.break_glass_setup().await.unwrap().unwrap(), old_setup);
    assert!(s.break_glass_share(arriving.record.id).await.unwrap().is_none());

    // The shares the first administrator and the one who left hold now: kept, they rebuild the
    // old escrow key, which opens the case's escrow today.
    let kept = [
        old_share(s, &old_setup, &w.admin).await,
        old_share(s, &old_setup, &leaving).await,
    ];
    let old_escrow = mamar_crypto::combine(&kept).unwrap().break_glass_key_pair();
    let escrow_before = s.case_escrow(&case).await.unwrap().unwrap();
    assert!(CaseKey::unwrap_escrow(&escrow_before, &case, &old_escrow).is_ok());
    // A second case whose wrap the old key does not open (made for another key): dropped.
    let (other_request, _) = w
        .request(
            "eight nine ten eleven twelve thirteen fourteen",
            ANSWERS,
            "نحتاج طريقاً",
        )
        .await;
    let other_case =
        cases::open_from_request(s, &w.questionnaire, &w.intake.caller(), &other_request, None, NOW)
            .await
            .unwrap()
            .id;
    let stranger = mamar_crypto::RecoverySecret::generate()
        .unwrap()
        .break_glass_key_pair();
    let foreign_wrap = CaseKey::generate()
        .unwrap()
        .wrap_to_escrow(stranger.public_key(), &other_case)
        .unwrap();
    s.put_case_escrow(&other_case, &foreign_wrap).await.unwrap();

    let report = mamar_keys::reshare_break_glass(s, &[holder("admin"), holder("admin3")], None)
        .await
        .unwrap();
    assert_eq!(
        (report.threshold, report.administrators, report.cancelled_requests),
        (2, 3, 1)
    );
    assert_eq!((report.rewrapped, report.dropped), (1, 1));
    let new_setup = s.break_glass_setup().await.unwrap().unwrap();
    assert_ne!(new_setup.public_key, old_setup.public_key, "a new escrow key");
    assert_ne!(new_setup.setup_id, old_setup.setup_id);
    // The kept old shares open nothing stored now.
    let escrow_after = s.case_escrow(&case).await.unwrap().unwrap();
    assert!(CaseKey::unwrap_escrow(&escrow_after, &case, &old_escrow).is_err());
    assert!(s.case_escrow(&other_case).await.unwrap().is_none());
    assert_eq!(
        s.cases_without_escrow().await.unwrap(),
        1,
        "the dropped one waits for its holder"
    );
    let mut holders = s.break_glass_share_holders().await.unwrap();
    holders.sort_by_key(|id| id.as_bytes().to_vec());
    let mut expected = vec![w.admin.record.id, second.record.id, arriving.record.id];
    expected.sort_by_key(|id| id.as_bytes().to_vec());
    assert_eq!(
        holders, expected,
        "the one who left holds nothing, the newcomer a share"
    );
    let after = mamar_keys::break_glass_share_holders(s, &new_setup)
        .await
        .unwrap();
    assert!(after.match_the_administrators() && after.in_office == 3);
    // A re-share made from the set-up before this one changes nothing: someone re-shared meanwhile.
    let stale = mamar_store::BreakGlassSetup {
        setup_id: [7; 16],
        ..new_setup.clone()
    };
    assert_eq!(
        s.reshare_break_glass(&old_setup.setup_id, &stale, &[], &[])
            .await
            .unwrap(),
        None
    );
    assert_eq!(s.break_glass_setup().await.unwrap().unwrap(), new_setup);
    assert_eq!(s.break_glass_share_holders().await.unwrap().len(), 3);
    assert!(
        cases::break_glass_alerts(s, &w.admin.caller(), NOW)
            .await
            .unwrap()
            .is_empty(),
        "the waiting request was cancelled"
    );

    // The newcomer's share and the asker's open the case.
    cases::ask_break_glass(s, &w.config, &second.caller(), &case, REASON, 3600, NOW)
        .await
        .unwrap();
    let request = cases::break_glass_alerts(s, &second.caller(), NOW).await.unwrap()[0].request_id;
    cases::approve_break_glass(s, &arriving.caller(), &request, NOW + 60)
        .await
        .unwrap();
    cases::open_break_glass(s, &second.caller(), &request, NOW + 60)
        .await
        .unwrap();
    cases::view(s, &w.config, &second.caller(), &case, NOW + 60)
        .await
        .unwrap();
    // The case whose wrap was dropped is escrowed again, under the new key, when its holder acts.
    cases::view(s, &w.config, &w.intake.caller(), &other_case, NOW + 60)
        .await
        .unwrap();
    assert_eq!(s.cases_without_escrow().await.unwrap(), 0);
    let rewrap = s.case_escrow(&other_case).await.unwrap().unwrap();
    assert!(CaseKey::unwrap_escrow(&rewrap, &other_case, &old_escrow).is_err());
}

/// The administrators' page: what is set up, how many cases lack an escrow wrap, where the shares
/// are and what is live; nothing for anyone else. A request is asked by the case's reference.
pub async fn the_overview_tells_administrators_where_break_glass_stands_and_nobody_else(w: &World) {
    let s = w.store.as_ref();
    let second = add_person(s, &w.admin, "admin2", Role::Administrator).await;
    let nothing = cases::break_glass_overview(s, &w.admin.caller(), NOW)
        .await
        .unwrap();
    assert!(nothing.setup.is_none() && nothing.share_holders.is_none());
    assert_eq!(nothing.cases_without_escrow, 0);

    let (case, _, _) = staffed_case(w).await;
    set_up(w, 2).await;
    let overview = cases::break_glass_overview(s, &w.admin.caller(), NOW)
        .await
        .unwrap();
    assert_eq!(overview.setup.as_ref().unwrap().threshold, 2);
    assert_eq!(
        overview.cases_without_escrow, 1,
        "the case opened before the set-up"
    );
    let holders = overview.share_holders.unwrap();
    assert_eq!((holders.threshold, holders.in_office, holders.left), (2, 2, 0));
    assert!(overview.alerts.is_empty());

    let stored = s.case_file(&case).await.unwrap().unwrap().reference.unwrap();
    let reference = mamar_core::case::CaseReference::parse(&stored).unwrap();
    // Another nine digits: no case has them (there is one case).
    let other: u32 = stored.parse::<u32>().unwrap() ^ 1;
    let unknown = mamar_core::case::CaseReference::parse(&format!("{other:09}")).unwrap();
    assert!(matches!(
        cases::ask_break_glass_for_reference(s, &w.config, &w.admin.caller(), &unknown, REASON, 3600, NOW)
            .await,
        Err(CaseError::NotFound)
    ));
    cases::ask_break_glass_for_reference(s, &w.config, &w.admin.caller(), &reference, REASON, 3600, NOW)
        .await
        .unwrap();
    let seen_by_second = cases::break_glass_overview(s, &second.caller(), NOW)
        .await
        .unwrap();
    assert_eq!(
        seen_by_second.alerts.len(),
        1,
        "every administrator sees the request"
    );
    assert_eq!(seen_by_second.alerts[0].case_id, case);
    assert_eq!(seen_by_second.alerts[0].reason.as_deref(), Some(REASON));

    let not_admin = cases::break_glass_overview(s, &w.coordinator.caller(), NOW)
        .await
        .unwrap();
    assert!(not_admin.setup.is_none() && not_admin.share_holders.is_none() && not_admin.alerts.is_empty());
    assert_eq!(not_admin.cases_without_escrow, 0);
}

/// `person`'s share of the set-up `setup`, opened with their keys.
async fn old_share(
    s: &dyn mamar_store::Store,
    setup: &mamar_store::BreakGlassSetup,
    person: &Person,
) -> RecoveryShare {
    let purpose = SealPurpose::BreakGlassShare { id: &setup.setup_id };
    let sealed = s.break_glass_share(person.record.id).await.unwrap().unwrap();
    let bytes = mamar_crypto::open(person.keyring.staff().encryption(), &purpose, &sealed).unwrap();
    RecoveryShare::from_bytes(bytes.expose_secret()).unwrap()
}
