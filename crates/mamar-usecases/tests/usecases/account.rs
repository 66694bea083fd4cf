//! Accounts: only an administrator reads the list of everyone who works
//! here; a decoy session sees only itself; an invitation link works until it
//! expires and an unknown one is told apart from nothing.

use mamar_core::{Role, StaffId, Username};
use mamar_store::{Invitation, StaffAlert};
use mamar_usecases::account::{self, AccountError};

use crate::world::{NOW, World, add_person_with};

/// An administrator's invitation for "invited", made now.
fn invitation(w: &World, token_hash: [u8; 32], expires_at: i64) -> Invitation {
    Invitation {
        token_hash,
        username: Username::parse("invited").unwrap(),
        roles: vec![Role::VettingOfficer],
        invited_by: w.admin.record.id,
        created_at: NOW,
        expires_at,
    }
}

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
    let invitation = invitation(w, [7; 32], NOW + 3600);
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
    assert_eq!(
        crate::world::usernames(&overview.staff),
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

pub async fn an_invitation_opens_until_it_expires_and_is_accepted_once(w: &World) {
    let s = w.store.as_ref();
    let invitation = invitation(w, [3; 32], NOW + 60);
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

    // Accepted: the account has the invitation's name and roles, and the link is spent.
    let id = account::accept_invitation(s, &opened, b"public".to_vec(), b"wrapped".to_vec(), NOW + 1)
        .await
        .unwrap();
    let account = s.staff_by_id(id).await.unwrap().unwrap();
    assert_eq!(
        (account.username.as_str(), account.roles.as_slice()),
        ("invited", [Role::VettingOfficer].as_slice())
    );
    let head = s.audit_head().await.unwrap().unwrap();
    assert_eq!(
        (head.action, head.actor),
        (mamar_audit::Action::InvitationAccepted, Some(id))
    );
    assert!(matches!(
        account::accept_invitation(s, &opened, b"public".to_vec(), b"wrapped".to_vec(), NOW + 2).await,
        Err(AccountError::NoSuchInvitation)
    ));
    assert!(matches!(
        account::open_invitation(s, &[3; 32], NOW + 2).await,
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

pub async fn an_administrator_changes_other_accounts_and_never_their_own(w: &World) {
    let s = w.store.as_ref();
    let admin = w.admin.caller();
    let vetter = w.vetter.record.id;
    let coordinator = w.coordinator.caller();
    // Nobody but an administrator; an administrator never on their own account.
    assert!(matches!(
        account::other_account(s, &coordinator, vetter).await,
        Err(AccountError::NotAllowed)
    ));
    assert!(matches!(
        account::set_roles(s, &coordinator, vetter, &[Role::Administrator], NOW).await,
        Err(AccountError::NotAllowed)
    ));
    assert!(matches!(
        account::invite(
            s,
            &coordinator,
            [1; 32],
            Username::parse("someone").unwrap(),
            vec![],
            NOW
        )
        .await,
        Err(AccountError::NotAllowed)
    ));
    assert!(matches!(
        account::set_duress_response(s, &coordinator, "alert-only").await,
        Err(AccountError::NotAllowed)
    ));
    let me = w.admin.record.id;
    assert!(matches!(
        account::set_roles(s, &admin, me, &[Role::Analyst], NOW).await,
        Err(AccountError::OwnAccount)
    ));
    assert!(matches!(
        account::set_disabled(s, &admin, me, true, NOW).await,
        Err(AccountError::OwnAccount)
    ));
    assert!(matches!(
        account::reset_second_factor(s, &admin, me, NOW).await,
        Err(AccountError::OwnAccount)
    ));
    assert!(matches!(
        account::other_account(s, &admin, StaffId::random()).await,
        Err(AccountError::NoSuchAccount)
    ));

    // Roles wrap exactly the organisation keys they need, and withdraw the rest.
    let kinds = |grants: Vec<mamar_store::OrgKeyGrant>| {
        let mut kinds: Vec<String> = grants.into_iter().map(|g| g.kind).collect();
        kinds.sort();
        kinds
    };
    account::set_roles(s, &admin, vetter, &[Role::IntakeOperator], NOW)
        .await
        .unwrap();
    assert_eq!(
        kinds(s.org_key_grants(vetter).await.unwrap()),
        ["intake", "linkage", "signing"]
    );
    let head = s.audit_head().await.unwrap().unwrap();
    assert_eq!(head.action, mamar_audit::Action::RoleChanged);
    assert_eq!(head.object, Some(*vetter.as_bytes()));
    account::set_roles(s, &admin, vetter, &[Role::VettingOfficer], NOW)
        .await
        .unwrap();
    assert!(s.org_key_grants(vetter).await.unwrap().is_empty());
    assert_eq!(
        s.staff_by_id(vetter).await.unwrap().unwrap().roles,
        [Role::VettingOfficer]
    );

    account::set_disabled(s, &admin, vetter, true, NOW).await.unwrap();
    assert!(s.staff_by_id(vetter).await.unwrap().unwrap().disabled);
    account::set_disabled(s, &admin, vetter, false, NOW)
        .await
        .unwrap();
    assert!(!s.staff_by_id(vetter).await.unwrap().unwrap().disabled);

    s.add_webauthn_credential(vetter, b"lost key", b"passkey", NOW)
        .await
        .unwrap();
    s.set_totp(vetter, Some(b"sealed")).await.unwrap();
    account::reset_second_factor(s, &admin, vetter, NOW)
        .await
        .unwrap();
    assert!(s.webauthn_key_list(vetter).await.unwrap().is_empty());
    let login = s.login_state(vetter).await.unwrap().unwrap();
    assert!(login.totp_sealed.is_none());

    // Invitations: a name once, withdrawn once.
    let invited = Username::parse("newcomer").unwrap();
    account::invite(s, &admin, [5; 32], invited.clone(), vec![Role::Analyst], NOW)
        .await
        .unwrap();
    let opened = account::open_invitation(s, &[5; 32], NOW).await.unwrap();
    assert_eq!(opened.expires_at, NOW + account::INVITATION_LIFETIME_SECS);
    assert_eq!(opened.invited_by, me);
    assert!(matches!(
        account::invite(s, &admin, [6; 32], invited, vec![Role::Analyst], NOW).await,
        Err(AccountError::UsernameTaken)
    ));
    account::revoke_invitation(s, &admin, &[5; 32], NOW)
        .await
        .unwrap();
    assert!(matches!(
        account::revoke_invitation(s, &admin, &[5; 32], NOW).await,
        Err(AccountError::NoSuchInvitation)
    ));

    // The organisation's settings.
    let mut names = account::RoleNames::new();
    names
        .entry("analyst".into())
        .or_default()
        .insert("ar".into(), "باحث".into());
    account::set_role_names(s, &admin, &names, NOW).await.unwrap();
    assert_eq!(account::role_names(s).await.unwrap(), names);
    account::set_duress_response(s, &admin, "alert-only")
        .await
        .unwrap();
    assert_eq!(
        s.setting(account::DURESS_RESPONSE_SETTING).await.unwrap(),
        Some(b"alert-only".to_vec())
    );
}

/// Colleagues' names, for the case list and the partners section: every staff member sees them
/// (they are shown on every case people share), a decoy session only its own.
pub async fn every_colleague_is_named_and_a_decoy_sees_only_itself(w: &World) {
    let s = w.store.as_ref();
    let names = account::staff_names(s, &w.vetter.caller(), false).await.unwrap();
    for person in [&w.admin, &w.vetter, &w.coordinator, &w.intake] {
        assert!(
            names
                .iter()
                .any(|(id, name)| *id == person.record.id && *name == person.record.username.to_string()),
            "{:?} named",
            person.record.username
        );
    }
    let decoy = account::staff_names(s, &w.vetter.caller(), true).await.unwrap();
    assert_eq!(
        decoy,
        vec![(w.vetter.record.id, w.vetter.record.username.to_string())]
    );
}
