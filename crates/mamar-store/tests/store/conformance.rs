//! Behaviour every `Store` implementation must show.

use mamar_core::{Locale, Organisation, Role, StaffId, Username};
use mamar_store::{
    Backend, DestroyReport, InitialSetup, IntakeMessage, IntakeRequest, IntakeWrite, NewCase, NewCaseRecord,
    NewOrgKey, NewOrgKeyGrant, NewStaff, SessionRecord, SessionStage, Store, StoreError,
};

pub fn setup(username: &str) -> InitialSetup {
    let admin = NewStaff {
        id: StaffId::random(),
        username: Username::parse(username).unwrap(),
        roles: vec![Role::Administrator, Role::Auditor],
        public_keys: vec![1, 2, 3],
        wrapped_secret_keys: vec![0xAA; 48],
    };
    InitialSetup {
        organisation: Organisation::new("المركز السوري للسلامة", "Syrian Safety Centre", Locale::Ar).unwrap(),
        admin,
        org_keys: vec![
            NewOrgKey {
                kind: "intake".into(),
                generation: 1,
                public_part: Some(vec![7; 32]),
                wrapped_for_holder: vec![9; 80],
            },
            NewOrgKey {
                kind: "analytics".into(),
                generation: 1,
                public_part: None,
                wrapped_for_holder: vec![8; 80],
            },
        ],
    }
}

pub async fn a_new_store_is_empty_and_answers(store: &dyn Store) {
    store.ping().await.unwrap();
    assert!(matches!(store.backend(), Backend::Sqlite | Backend::Postgres));
    assert_eq!(store.organisation().await.unwrap(), None);
}

pub async fn initialise_stores_the_organisation_admin_and_keys(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();

    assert_eq!(
        store.organisation().await.unwrap(),
        Some(setup.organisation.clone())
    );
    let admin = store
        .staff_by_username(&setup.admin.username)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.id, setup.admin.id);
    assert_eq!(admin.roles, vec![Role::Administrator, Role::Auditor]);
    assert_eq!(admin.wrapped_secret_keys, setup.admin.wrapped_secret_keys);
    assert!(!admin.disabled);
    assert_eq!(store.staff_by_id(admin.id).await.unwrap(), Some(admin.clone()));

    let grants = store.org_key_grants(admin.id).await.unwrap();
    let kinds: Vec<_> = grants.iter().map(|g| g.kind.as_str()).collect();
    assert_eq!(kinds, ["analytics", "intake"]);
    assert_eq!(grants[1].public_part.as_deref(), Some([7u8; 32].as_slice()));
    assert_eq!(grants[1].wrapped, vec![9; 80]);
    assert_eq!(grants[0].public_part, None);
}

pub async fn initialise_happens_once(store: &dyn Store) {
    store.initialise(&setup("first")).await.unwrap();
    let second = store.initialise(&setup("second")).await;
    assert!(
        matches!(second, Err(StoreError::AlreadyInitialised)),
        "{second:?}"
    );
    // The failed attempt left nothing behind.
    let second_user = Username::parse("second").unwrap();
    assert_eq!(store.staff_by_username(&second_user).await.unwrap(), None);
}

pub async fn concurrent_initialise_creates_exactly_one_organisation(store: &dyn Store) {
    let (a, b) = (setup("alpha"), setup("bravo"));
    let (ra, rb) = tokio::join!(store.initialise(&a), store.initialise(&b));
    assert!(
        ra.is_ok() != rb.is_ok(),
        "exactly one init must win: {ra:?} {rb:?}"
    );
    let loser = if ra.is_ok() { rb } else { ra };
    assert!(matches!(loser, Err(StoreError::AlreadyInitialised)), "{loser:?}");
}

pub async fn unknown_staff_are_absent(store: &dyn Store) {
    store.initialise(&setup("admin")).await.unwrap();
    let nobody = Username::parse("nobody").unwrap();
    assert_eq!(store.staff_by_username(&nobody).await.unwrap(), None);
    assert_eq!(store.staff_by_id(StaffId::random()).await.unwrap(), None);
    assert!(store.org_key_grants(StaffId::random()).await.unwrap().is_empty());
}

pub fn session(staff: StaffId, id: u8, created_at: i64, last_seen: i64) -> SessionRecord {
    SessionRecord {
        id: [id; 16],
        staff_id: staff,
        keyring: vec![id; 120],
        csrf_token: vec![id; 16],
        created_at,
        last_seen,
        stage: if id.is_multiple_of(2) {
            SessionStage::SecondFactor
        } else {
            SessionStage::Full
        },
        decoy: id == 3,
    }
}

pub async fn sessions_are_created_touched_and_deleted(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let staff = setup.admin.id;
    store
        .create_session(&session(staff, 1, 1_000, 1_000))
        .await
        .unwrap();
    store
        .create_session(&session(staff, 2, 1_000, 1_000))
        .await
        .unwrap();

    let found = store.session(&[1; 16]).await.unwrap().unwrap();
    assert_eq!(found, session(staff, 1, 1_000, 1_000));
    store.touch_session(&[1; 16], 5_000).await.unwrap();
    assert_eq!(store.session(&[1; 16]).await.unwrap().unwrap().last_seen, 5_000);

    // Idle since before 2,000: session 2 goes, session 1 (touched at 5,000) stays.
    assert_eq!(store.delete_expired_sessions(2_000, 0).await.unwrap(), 1);
    assert!(store.session(&[2; 16]).await.unwrap().is_none());
    assert!(store.delete_session(&[1; 16]).await.unwrap());
    assert!(!store.delete_session(&[1; 16]).await.unwrap());
    assert!(store.session(&[1; 16]).await.unwrap().is_none());
}

pub async fn a_second_staff_member_joins_with_their_grants(store: &dyn Store) {
    store.initialise(&setup("admin")).await.unwrap();
    let newcomer = NewStaff {
        id: StaffId::random(),
        username: Username::parse("restored").unwrap(),
        roles: vec![Role::Administrator],
        public_keys: vec![4; 64],
        wrapped_secret_keys: vec![5; 90],
    };
    let grants = [NewOrgKeyGrant {
        kind: "intake".into(),
        generation: 1,
        wrapped: vec![6; 70],
    }];
    store.add_staff(&newcomer, &grants).await.unwrap();
    let held = store.org_key_grants(newcomer.id).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].wrapped, vec![6; 70]);
    assert_eq!(held[0].public_part.as_deref(), Some([7u8; 32].as_slice()));

    let clash = NewStaff {
        id: StaffId::random(),
        ..newcomer.clone()
    };
    let result = store.add_staff(&clash, &[]).await;
    assert!(matches!(result, Err(StoreError::UsernameTaken)), "{result:?}");
}

pub async fn the_recovery_bundle_is_replaced_not_added(store: &dyn Store) {
    assert_eq!(store.recovery_bundle().await.unwrap(), None);
    store.save_recovery_bundle(&[1, 2, 3]).await.unwrap();
    store.save_recovery_bundle(&[4, 5, 6]).await.unwrap();
    assert_eq!(store.recovery_bundle().await.unwrap(), Some(vec![4, 5, 6]));
}

fn cases(admin: StaffId, count: u8) -> Vec<NewCase> {
    (0..count)
        .map(|n| NewCase {
            id: [n; 16],
            stage: "triage".into(),
            opened_on: "2026-11".into(),
            grants: vec![(admin, vec![n; 80])],
            records: vec![NewCaseRecord {
                id: [n ^ 0xFF; 16],
                kind: "intake".into(),
                schema_version: 1,
                ciphertext: vec![n; 200],
            }],
        })
        .collect()
}

pub async fn panic_destroys_every_key_and_leaves_the_ciphertext(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;
    let batch = cases(admin, 5);
    store.insert_cases(&batch).await.unwrap();
    store.create_session(&session(admin, 9, 1, 1)).await.unwrap();
    store.save_recovery_bundle(&[1; 100]).await.unwrap();
    store
        .set_up_break_glass(
            &mamar_store::BreakGlassSetup {
                setup_id: [4; 16],
                threshold: 2,
                public_key: vec![8; 32],
                created_at: 1_000,
            },
            &[(admin, vec![5; 90])],
        )
        .await
        .unwrap();
    store.put_case_escrow(&batch[0].id, &[6; 80]).await.unwrap();
    assert_eq!(store.cases_without_escrow().await.unwrap(), 4);
    store.set_totp(admin, Some(&[6; 60])).await.unwrap();
    store.set_duress_keys(admin, Some(&[7; 120])).await.unwrap();
    store
        .create_invitation(&mamar_store::Invitation {
            token_hash: [3; 32],
            username: mamar_core::Username::parse("newcomer").unwrap(),
            roles: vec![mamar_core::Role::IntakeOperator],
            invited_by: admin,
            created_at: 1_000,
            expires_at: i64::MAX,
        })
        .await
        .unwrap();

    let report = store.destroy_key_material().await.unwrap();
    assert_eq!(
        report,
        DestroyReport {
            staff_keys: 1,
            org_keys: 2,
            org_key_grants: 2,
            case_key_grants: 6,
            sessions: 1,
            recovery_bundles: 1,
            invitations: 1,
            replies: 0,
            break_glass: 2,
            own_copies: 0,
        }
    );
    assert_eq!(store.break_glass_setup().await.unwrap(), None);
    assert_eq!(store.break_glass_share(admin).await.unwrap(), None);
    assert_eq!(store.case_escrow(&batch[0].id).await.unwrap(), None);
    let staff = store.staff_by_id(admin).await.unwrap().unwrap();
    assert!(staff.wrapped_secret_keys.is_empty());
    assert!(staff.disabled);
    assert!(store.org_key_grants(admin).await.unwrap().is_empty());
    assert_eq!(store.recovery_bundle().await.unwrap(), None);
    assert!(store.session(&[9; 16]).await.unwrap().is_none());
    assert!(store.invitations().await.unwrap().is_empty());
    let login = store.login_state(admin).await.unwrap().unwrap();
    assert_eq!((login.totp_sealed, login.duress_keys), (None, None));
    // The cases are still there, unreadable.
    assert_eq!(store.case_count().await.unwrap(), 5);
    // A second panic finds nothing more to destroy and does not fail.
    let again = store.destroy_key_material().await.unwrap();
    assert_eq!((again.org_keys, again.case_key_grants, again.sessions), (0, 0, 0));
}

pub async fn inserting_cases_is_all_or_nothing(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let mut batch = cases(setup.admin.id, 3);
    batch.push(batch[0].clone()); // a duplicate id fails the whole batch
    assert!(store.insert_cases(&batch).await.is_err());
    assert_eq!(store.case_count().await.unwrap(), 0);
    store.insert_cases(&cases(setup.admin.id, 3)).await.unwrap();
    assert_eq!(store.case_count().await.unwrap(), 3);
}

pub async fn key_changes_replace_exactly_what_they_name(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    let admin = setup.admin.id;

    store.update_staff_secret_keys(admin, &[3; 50]).await.unwrap();
    assert_eq!(
        store
            .staff_by_id(admin)
            .await
            .unwrap()
            .unwrap()
            .wrapped_secret_keys,
        vec![3; 50]
    );

    store.insert_cases(&cases(admin, 2)).await.unwrap();
    let case = [1u8; 16];
    let record_id = [1u8 ^ 0xFF; 16];
    store
        .rekey_case(&case, &[(admin, vec![42; 80])], &[(record_id, vec![43; 200])])
        .await
        .unwrap();
    assert_eq!(
        store.case_grants(&case).await.unwrap(),
        vec![(admin, vec![42; 80])]
    );
    let records = store.case_records(&case).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].ciphertext, vec![43; 200]);
    // The other case was not touched.
    assert_eq!(
        store.case_grants(&[0u8; 16]).await.unwrap(),
        vec![(admin, vec![0; 80])]
    );
    // A record that is not the case's fails the whole change.
    let wrong = store.rekey_case(&case, &[], &[([9; 16], vec![1])]).await;
    assert!(wrong.is_err());
    assert_eq!(
        store.case_grants(&case).await.unwrap().len(),
        1,
        "a failed re-key changed the grants"
    );

    let holders = store.org_key_holders("intake").await.unwrap();
    assert_eq!(holders, vec![(admin, setup.admin.public_keys.clone())]);
    store
        .add_org_key_generation("intake", 2, Some(&[8; 32]), &[(admin, vec![44; 80])])
        .await
        .unwrap();
    let grants = store.org_key_grants(admin).await.unwrap();
    let intake: Vec<_> = grants
        .iter()
        .filter(|g| g.kind == "intake")
        .map(|g| g.generation)
        .collect();
    assert_eq!(intake, vec![2, 1]);
    assert!(store.org_key_holders("linkage").await.unwrap().is_empty());
    assert_eq!(
        store.org_public_key("intake").await.unwrap(),
        Some(vec![8; 32]),
        "the newest generation"
    );
    assert_eq!(
        store.org_public_key("analytics").await.unwrap(),
        None,
        "a symmetric key has no public half"
    );
}

fn request(n: u8) -> IntakeRequest {
    IntakeRequest {
        id: [n; 16],
        lookup_tag: vec![n; 32],
        requester_key: vec![n ^ 1; 32],
        sealed: vec![n ^ 2; 300],
        intake_generation: 1,
        received_month: "2026-11".into(),
        // Requests made before own copies were kept have none.
        own_copy: (n % 2 == 1).then(|| vec![n ^ 3; 80]),
    }
}

fn message(n: u8, request: u8, from_requester: bool) -> IntakeMessage {
    IntakeMessage {
        id: [n; 16],
        request_id: [request; 16],
        from_requester,
        sealed: vec![n; 100],
        key_generation: 1,
        signature: (!from_requester).then(|| vec![n; 64]),
        staff_copy: (!from_requester).then(|| vec![n; 90]),
        sent_month: Some("2026-11".to_owned()),
        own_copy: from_requester.then(|| vec![n; 70]),
    }
}

pub async fn intake_requests_messages_and_deletion(store: &dyn Store) {
    store
        .apply_intake(&[
            IntakeWrite::Request(request(1)),
            IntakeWrite::Request(request(2)),
            IntakeWrite::Message(message(10, 1, true)),
            IntakeWrite::Message(message(11, 1, false)),
            IntakeWrite::Message(message(12, 2, true)),
        ])
        .await
        .unwrap();
    assert_eq!(
        store.intake_request_by_tag(&[1; 32]).await.unwrap(),
        Some(request(1))
    );
    assert_eq!(store.intake_request(&[2; 16]).await.unwrap(), Some(request(2)));
    assert_eq!(store.intake_request_by_tag(&[9; 32]).await.unwrap(), None);
    let newest_first: Vec<_> = store
        .intake_requests(10)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id[0])
        .collect();
    assert_eq!(newest_first, vec![2, 1]);
    assert_eq!(store.intake_requests(1).await.unwrap().len(), 1);
    assert_eq!(
        store.intake_messages(&[1; 16]).await.unwrap(),
        vec![message(10, 1, true), message(11, 1, false)]
    );

    // A batch with one bad write (a message for no request) changes nothing.
    let bad = store
        .apply_intake(&[
            IntakeWrite::Request(request(3)),
            IntakeWrite::Message(message(13, 77, true)),
        ])
        .await;
    assert!(bad.is_err());
    assert_eq!(store.intake_request(&[3; 16]).await.unwrap(), None);

    store
        .apply_intake(&[IntakeWrite::Delete { request_id: [1; 16] }])
        .await
        .unwrap();
    assert_eq!(store.intake_request(&[1; 16]).await.unwrap(), None);
    assert!(
        store.intake_messages(&[1; 16]).await.unwrap().is_empty(),
        "messages outlived their request"
    );
    assert_eq!(store.intake_messages(&[2; 16]).await.unwrap().len(), 1);
}

pub async fn settings_are_kept_and_replaced(store: &dyn Store) {
    assert_eq!(store.setting("codename-salt").await.unwrap(), None);
    assert_eq!(
        store.setting_or_insert("codename-salt", &[1; 16]).await.unwrap(),
        vec![1; 16]
    );
    assert_eq!(
        store.setting_or_insert("codename-salt", &[2; 16]).await.unwrap(),
        vec![1; 16]
    );
    store.set_setting("contact-card", b"v1").await.unwrap();
    store.set_setting("contact-card", b"v2").await.unwrap();
    assert_eq!(store.setting("contact-card").await.unwrap(), Some(b"v2".to_vec()));
}

pub async fn panic_erases_replies_and_keeps_the_public_signing_key(store: &dyn Store) {
    let setup = setup("admin");
    store.initialise(&setup).await.unwrap();
    store
        .add_org_key_generation("signing", 1, Some(&[5; 32]), &[])
        .await
        .unwrap();
    store
        .apply_intake(&[
            IntakeWrite::Request(request(1)),
            IntakeWrite::Message(message(10, 1, true)),
            IntakeWrite::Message(message(11, 1, false)),
            IntakeWrite::Message(message(12, 1, false)),
        ])
        .await
        .unwrap();
    let report = store.destroy_key_material().await.unwrap();
    assert_eq!(report.replies, 2);
    assert_eq!(
        report.own_copies, 2,
        "the later message's and the first request's"
    );
    assert_eq!(
        store.intake_request(&[1; 16]).await.unwrap().unwrap().own_copy,
        Some(Vec::new()),
        "the first request's own copy is erased, and marked so"
    );
    let messages = store.intake_messages(&[1; 16]).await.unwrap();
    assert_eq!(messages.len(), 3, "the record of the conversation stays");
    for message in &messages {
        assert_eq!(
            message.sealed.is_empty(),
            !message.from_requester,
            "only the requester's copies of replies are erased"
        );
    }
    assert_eq!(messages[1].staff_copy, message(11, 1, false).staff_copy);
    assert!(
        messages.iter().all(|message| message.own_copy.is_none()),
        "the requester's own copies are erased"
    );
    assert_eq!(messages[0].sent_month.as_deref(), Some("2026-11"), "months stay");
    assert_eq!(store.org_public_key("intake").await.unwrap(), None);
    assert_eq!(
        store.org_public_key("signing").await.unwrap(),
        Some(vec![5; 32]),
        "the public signing key survives, so genuine replies still check"
    );
}
