//! Behaviour every `Store` implementation must show.

use mamar_core::{Locale, Organisation, Role, StaffId, Username};
use mamar_store::{Backend, InitialSetup, NewOrgKey, NewStaff, Store, StoreError};

fn setup(username: &str) -> InitialSetup {
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
