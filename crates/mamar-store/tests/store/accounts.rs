//! Account methods every backend must implement alike.

use mamar_core::{Role, StaffId, Username};
use mamar_store::{Invitation, NewOrgKeyGrant, NewStaff, StaffAlert, Store, StoreError};

use crate::conformance::{session, setup};

fn invitation(name: &str, token: u8, invited_by: StaffId, expires_at: i64) -> Invitation {
    Invitation {
        token_hash: [token; 32],
        username: Username::parse(name).unwrap(),
        roles: vec![Role::IntakeOperator, Role::VettingOfficer],
        invited_by,
        created_at: 1_000,
        expires_at,
    }
}

fn staff_for(invitation: &Invitation) -> NewStaff {
    NewStaff {
        id: StaffId::random(),
        username: invitation.username.clone(),
        roles: invitation.roles.clone(),
        public_keys: vec![4; 64],
        wrapped_secret_keys: vec![5; 90],
    }
}

async fn futures_join_all(store: &dyn Store, staff: StaffId, n: usize) -> Vec<i64> {
    let mut set = Vec::new();
    for _ in 0..n {
        set.push(store.count_login_failure(staff));
    }
    let mut counts = Vec::new();
    for future in set {
        counts.push(future.await.unwrap());
    }
    counts
}

pub async fn failed_logins_lockout_and_second_factor_steps(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;

    let fresh = store.login_state(admin).await.unwrap().unwrap();
    assert_eq!((fresh.failed_logins, fresh.locked_until), (0, 0));
    assert_eq!((fresh.totp_sealed, fresh.duress_keys), (None, None));
    assert_eq!(store.login_state(StaffId::random()).await.unwrap(), None);

    store.set_login_failures(admin, 6, 9_000).await.unwrap();
    let locked = store.login_state(admin).await.unwrap().unwrap();
    assert_eq!((locked.failed_logins, locked.locked_until), (6, 9_000));
    // Failures counted at the same time are all counted.
    store.set_login_failures(admin, 0, 0).await.unwrap();
    let counts = futures_join_all(store, admin, 10).await;
    assert_eq!(counts.iter().max(), Some(&10));
    store.lock_login(admin, 12_000).await.unwrap();
    let state = store.login_state(admin).await.unwrap().unwrap();
    assert_eq!((state.failed_logins, state.locked_until), (10, 12_000));
    assert_eq!(store.count_login_failure(StaffId::random()).await.unwrap(), 0);

    store.set_totp(admin, Some(&[7; 60])).await.unwrap();
    store.set_duress_keys(admin, Some(&[8; 90])).await.unwrap();
    let state = store.login_state(admin).await.unwrap().unwrap();
    assert_eq!(state.totp_sealed.as_deref(), Some([7u8; 60].as_slice()));
    assert_eq!(state.duress_keys.as_deref(), Some([8u8; 90].as_slice()));
    assert!(!format!("{state:?}").contains("7, 7"), "blobs stay out of Debug");

    // A step is used once; an earlier one is refused after a later one.
    assert!(store.claim_totp_step(admin, 100).await.unwrap());
    assert!(!store.claim_totp_step(admin, 100).await.unwrap());
    assert!(!store.claim_totp_step(admin, 99).await.unwrap());
    assert!(store.claim_totp_step(admin, 101).await.unwrap());
    // A new secret forgets the used steps.
    store.set_totp(admin, Some(&[9; 60])).await.unwrap();
    assert!(store.claim_totp_step(admin, 50).await.unwrap());
    store.set_totp(admin, None).await.unwrap();
    assert_eq!(store.login_state(admin).await.unwrap().unwrap().totp_sealed, None);
}

pub async fn invitations_are_used_once_and_expire(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;

    let salma = invitation("salma", 1, admin, 5_000);
    store.create_invitation(&salma).await.unwrap();
    assert!(matches!(
        store
            .create_invitation(&invitation("salma", 2, admin, 5_000))
            .await,
        Err(StoreError::UsernameTaken)
    ));
    assert!(matches!(
        store
            .create_invitation(&invitation("admin", 3, admin, 5_000))
            .await,
        Err(StoreError::UsernameTaken)
    ));
    assert_eq!(store.invitation(&[1; 32]).await.unwrap(), Some(salma.clone()));
    assert_eq!(store.invitations().await.unwrap(), vec![salma.clone()]);

    // Another user name or other roles than invited: refused, invitation kept.
    let mut other = staff_for(&salma);
    other.roles = vec![Role::Administrator];
    assert!(matches!(
        store.accept_invitation(&[1; 32], 2_000, &other).await,
        Err(StoreError::InvitationInvalid)
    ));
    let accepted = staff_for(&salma);
    store.accept_invitation(&[1; 32], 2_000, &accepted).await.unwrap();
    let joined = store.staff_by_username(&salma.username).await.unwrap().unwrap();
    assert_eq!(joined.id, accepted.id);
    assert_eq!(joined.roles, salma.roles);
    assert!(store.org_key_grants(joined.id).await.unwrap().is_empty());
    // The token works once.
    assert!(matches!(
        store.accept_invitation(&[1; 32], 2_000, &staff_for(&salma)).await,
        Err(StoreError::InvitationInvalid)
    ));

    let late = invitation("omar", 4, admin, 3_000);
    store.create_invitation(&late).await.unwrap();
    assert!(matches!(
        store.accept_invitation(&[4; 32], 3_000, &staff_for(&late)).await,
        Err(StoreError::InvitationInvalid)
    ));
    assert!(store.delete_invitation(&[4; 32]).await.unwrap());
    assert!(!store.delete_invitation(&[4; 32]).await.unwrap());
    assert!(store.invitations().await.unwrap().is_empty());
}

pub async fn roles_disabling_and_grants(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let salma = invitation("salma", 1, setup.admin.id, 5_000);
    store.create_invitation(&salma).await.unwrap();
    let new = staff_for(&salma);
    store.accept_invitation(&[1; 32], 2_000, &new).await.unwrap();

    let names: Vec<_> = store
        .all_staff()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.username.to_string())
        .collect();
    assert_eq!(names, ["admin", "salma"]);

    store.set_staff_roles(new.id, &[Role::Analyst]).await.unwrap();
    assert_eq!(
        store.staff_by_id(new.id).await.unwrap().unwrap().roles,
        [Role::Analyst]
    );

    let grant = NewOrgKeyGrant {
        kind: "analytics".into(),
        generation: 1,
        wrapped: vec![3; 80],
    };
    store
        .add_org_key_grants(new.id, std::slice::from_ref(&grant))
        .await
        .unwrap();
    // Granting again keeps one grant.
    store.add_org_key_grants(new.id, &[grant]).await.unwrap();
    assert_eq!(store.org_key_grants(new.id).await.unwrap().len(), 1);
    assert_eq!(store.delete_org_key_grants(new.id).await.unwrap(), 1);
    assert!(store.org_key_grants(new.id).await.unwrap().is_empty());

    // Disabling ends every session at once; enabling does not bring them back.
    store
        .create_session(&session(new.id, 1, 1_000, 1_000))
        .await
        .unwrap();
    store
        .create_session(&session(new.id, 2, 1_000, 1_000))
        .await
        .unwrap();
    store
        .create_session(&session(setup.admin.id, 3, 1_000, 1_000))
        .await
        .unwrap();
    store.set_staff_disabled(new.id, true).await.unwrap();
    assert!(store.staff_by_id(new.id).await.unwrap().unwrap().disabled);
    assert!(store.session(&[1; 16]).await.unwrap().is_none());
    assert!(store.session(&[2; 16]).await.unwrap().is_none());
    assert!(
        store.session(&[3; 16]).await.unwrap().is_some(),
        "others' sessions stay"
    );
    store.set_staff_disabled(new.id, false).await.unwrap();
    assert!(!store.staff_by_id(new.id).await.unwrap().unwrap().disabled);

    store
        .create_session(&session(setup.admin.id, 4, 1_000, 1_000))
        .await
        .unwrap();
    assert_eq!(
        store
            .delete_staff_sessions(setup.admin.id, Some([4; 16]))
            .await
            .unwrap(),
        1
    );
    assert!(store.session(&[4; 16]).await.unwrap().is_some());
}

pub async fn duress_wipe_leaves_only_the_decoy_session(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;
    store.set_totp(admin, Some(&[7; 60])).await.unwrap();
    store.set_duress_keys(admin, Some(&[8; 90])).await.unwrap();
    store
        .create_session(&session(admin, 1, 1_000, 1_000))
        .await
        .unwrap();
    store
        .create_session(&session(admin, 3, 1_000, 1_000))
        .await
        .unwrap();

    store.wipe_staff_keys(admin, Some([3; 16])).await.unwrap();
    let wiped = store.staff_by_id(admin).await.unwrap().unwrap();
    assert!(wiped.disabled);
    assert!(wiped.wrapped_secret_keys.is_empty());
    assert!(store.org_key_grants(admin).await.unwrap().is_empty());
    let state = store.login_state(admin).await.unwrap().unwrap();
    assert_eq!((state.totp_sealed, state.duress_keys), (None, None));
    assert!(store.session(&[1; 16]).await.unwrap().is_none());
    let decoy = store.session(&[3; 16]).await.unwrap().unwrap();
    assert!(decoy.decoy);

    let alert = StaffAlert {
        id: [5; 16],
        kind: "duress".into(),
        staff_id: admin,
        at: 2_000,
    };
    store.add_alert(&alert).await.unwrap();
    assert_eq!(store.alerts(10).await.unwrap(), vec![alert]);
}

pub async fn security_keys_and_their_ceremonies(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;
    store
        .add_webauthn_credential(admin, b"cred-1", b"{\"v\":1}", 1_000)
        .await
        .unwrap();
    store
        .add_webauthn_credential(admin, b"cred-2", b"{\"v\":2}", 2_000)
        .await
        .unwrap();
    assert!(matches!(
        store
            .add_webauthn_credential(admin, b"cred-1", b"{}", 3_000)
            .await,
        Err(StoreError::CredentialTaken)
    ));
    store
        .update_webauthn_credential(b"cred-1", b"{\"v\":3}")
        .await
        .unwrap();
    let keys = store.webauthn_credentials(admin).await.unwrap();
    assert_eq!(
        keys,
        vec![
            (b"cred-1".to_vec(), b"{\"v\":3}".to_vec()),
            (b"cred-2".to_vec(), b"{\"v\":2}".to_vec())
        ]
    );
    assert!(
        store
            .webauthn_credentials(StaffId::random())
            .await
            .unwrap()
            .is_empty()
    );

    // A ceremony's state is taken once, and only while fresh.
    store
        .create_session(&session(admin, 1, 1_000, 1_000))
        .await
        .unwrap();
    store
        .save_webauthn_challenge(&[1; 16], "register", b"state-a", 1_000)
        .await
        .unwrap();
    store
        .save_webauthn_challenge(&[1; 16], "register", b"state-b", 1_100)
        .await
        .unwrap();
    assert_eq!(
        store
            .take_webauthn_challenge(&[1; 16], "register", 1_050)
            .await
            .unwrap(),
        Some(b"state-b".to_vec())
    );
    assert_eq!(
        store
            .take_webauthn_challenge(&[1; 16], "register", 0)
            .await
            .unwrap(),
        None
    );
    store
        .save_webauthn_challenge(&[1; 16], "login", b"old", 1_000)
        .await
        .unwrap();
    assert_eq!(
        store
            .take_webauthn_challenge(&[1; 16], "login", 1_500)
            .await
            .unwrap(),
        None
    );
    // Ending the session ends its ceremonies.
    store
        .save_webauthn_challenge(&[1; 16], "login", b"x", 2_000)
        .await
        .unwrap();
    store.delete_session(&[1; 16]).await.unwrap();
    assert_eq!(
        store.take_webauthn_challenge(&[1; 16], "login", 0).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .delete_webauthn_credentials(StaffId::random())
            .await
            .unwrap(),
        0
    );
    // Listed to their owner with the day they were added; removed one at a time.
    let listed = store.webauthn_key_list(admin).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|key| (key.credential_id.clone(), key.added, key.name_sealed.clone()))
            .collect::<Vec<_>>(),
        vec![
            (b"cred-1".to_vec(), 1_000, None),
            (b"cred-2".to_vec(), 2_000, None)
        ]
    );
    // Named (the name arrives sealed), renamed and unnamed by its owner only.
    assert!(
        store
            .name_webauthn_key(admin, b"cred-2", Some(b"sealed name"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .name_webauthn_key(StaffId::random(), b"cred-2", Some(b"x"))
            .await
            .unwrap(),
        "not theirs"
    );
    let named = store.webauthn_key_list(admin).await.unwrap();
    assert_eq!(named[1].name_sealed.as_deref(), Some(b"sealed name".as_slice()));
    assert_eq!(named[0].name_sealed, None);
    assert!(store.name_webauthn_key(admin, b"cred-2", None).await.unwrap());
    assert_eq!(store.webauthn_key_list(admin).await.unwrap()[1].name_sealed, None);
    assert!(
        !store
            .delete_webauthn_credential(StaffId::random(), b"cred-1")
            .await
            .unwrap(),
        "not theirs"
    );
    assert!(store.delete_webauthn_credential(admin, b"cred-1").await.unwrap());
    assert!(
        !store.delete_webauthn_credential(admin, b"cred-1").await.unwrap(),
        "already gone"
    );
    assert_eq!(store.webauthn_key_list(admin).await.unwrap().len(), 1);
    store
        .add_webauthn_credential(admin, b"cred-1", b"{\"v\":1}", 1_000)
        .await
        .unwrap();
    assert_eq!(store.delete_webauthn_credentials(admin).await.unwrap(), 2);
    assert!(store.webauthn_credentials(admin).await.unwrap().is_empty());
}
