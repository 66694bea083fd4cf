//! Accounts: only an administrator reads the list of everyone who works
//! here; a decoy session sees only itself; an invitation link works until it
//! expires and an unknown one is told apart from nothing.

use mamar_core::{Role, StaffId, Username};
use mamar_store::{Invitation, StaffAlert};
use mamar_usecases::account::{self, AccountError};

use crate::world::{NOW, World, add_person_with};

pub async fn only_an_administrator_reads_the_accounts_and_a_decoy_sees_only_itself(w: &World) {
    let s = w.store.as_ref();
    for person in [&w.intake, &w.vetter, &w.coordinator, &w.analyst] {
        assert!(matches!(
            account::accounts_overview(s, &person.caller(), false).await,
            Err(AccountError::NotAllowed)
        ));
    }
    // A new account given a role whose organisation keys it does not hold yet.
    let newcomer = add_person_with(s, &w.admin, "newcomer", &[]).await;
    s.set_staff_roles(newcomer.record.id, &[Role::IntakeOperator])
        .await
        .unwrap();
    let invitation = Invitation {
        token_hash: [7; 32],
        username: Username::parse("invited").unwrap(),
        roles: vec![Role::VettingOfficer],
        invited_by: w.admin.record.id,
        created_at: NOW,
        expires_at: NOW + 3600,
    };
    s.create_invitation(&invitation).await.unwrap();
    s.add_alert(&StaffAlert {
        id: [9; 16],
        kind: "duress".into(),
        staff_id: w.vetter.record.id,
        at: NOW,
    })
    .await
    .unwrap();
    s.set_setting(
        account::ROLE_NAMES_SETTING,
        br#"{"vetting-officer":{"en":"Checker"}}"#,
    )
    .await
    .unwrap();

    let overview = account::accounts_overview(s, &w.admin.caller(), false)
        .await
        .unwrap();
    let mut names: Vec<String> = overview.staff.iter().map(|s| s.username.to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "admin",
            "analyst",
            "coordinator",
            "intake",
            "newcomer",
            "receiver",
            "vetter",
            "vetter2"
        ]
    );
    let missing: Vec<StaffId> = overview.keys_missing.iter().copied().collect();
    assert_eq!(missing, [newcomer.record.id], "only the newcomer waits for keys");
    assert_eq!(overview.invitations, [invitation]);
    assert_eq!(overview.alerts.len(), 1);
    assert_eq!(overview.alerts[0].staff_id, w.vetter.record.id);
    assert_eq!(overview.role_names["vetting-officer"]["en"], "Checker");

    let decoy = account::accounts_overview(s, &w.admin.caller(), true)
        .await
        .unwrap();
    assert_eq!(decoy.staff, std::slice::from_ref(&w.admin.record));
    assert!(decoy.invitations.is_empty() && decoy.alerts.is_empty() && decoy.keys_missing.is_empty());
    assert_eq!(
        decoy.role_names, overview.role_names,
        "the organisation's names look as usual"
    );
}

pub async fn an_invitation_opens_until_it_expires(w: &World) {
    let s = w.store.as_ref();
    let invitation = Invitation {
        token_hash: [3; 32],
        username: Username::parse("invited").unwrap(),
        roles: vec![Role::ReceptionOfficer],
        invited_by: w.admin.record.id,
        created_at: NOW,
        expires_at: NOW + 60,
    };
    s.create_invitation(&invitation).await.unwrap();
    let opened = account::open_invitation(s, &[3; 32], NOW + 59).await.unwrap();
    assert_eq!(opened, invitation);
    assert!(matches!(
        account::open_invitation(s, &[3; 32], NOW + 60).await,
        Err(AccountError::NoSuchInvitation)
    ));
    assert!(matches!(
        account::open_invitation(s, &[4; 32], NOW).await,
        Err(AccountError::NoSuchInvitation)
    ));
}

pub async fn only_an_administrator_destroys_every_key_and_the_log_says_so(w: &World) {
    let s = w.store.as_ref();
    for person in [&w.intake, &w.coordinator, &w.analyst] {
        assert!(matches!(
            account::destroy_all_keys(s, &person.caller(), NOW).await,
            Err(AccountError::NotAllowed)
        ));
    }
    assert!(
        !s.org_key_grants(w.intake.record.id).await.unwrap().is_empty(),
        "a refused panic destroys nothing"
    );
    let report = account::destroy_all_keys(s, &w.admin.caller(), NOW)
        .await
        .unwrap();
    assert_eq!(report.staff_keys, 7, "every account's keys");
    assert!(report.org_keys > 0 && report.org_key_grants > 0);
    for person in [&w.admin, &w.intake] {
        assert!(s.org_key_grants(person.record.id).await.unwrap().is_empty());
    }
    let head = s.audit_head().await.unwrap().unwrap();
    assert_eq!(
        head.action,
        mamar_audit::Action::Panic,
        "recorded before the keys went"
    );
    assert_eq!(head.actor, Some(w.admin.record.id));
}
