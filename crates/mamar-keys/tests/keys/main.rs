//! Key changes keep data readable by exactly the right people.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod card;

use std::sync::Arc;

use mamar_core::{Locale, Organisation, Role, StaffId, Username};
use mamar_crypto::{
    CaseKey, CryptoError, KdfParams, Keyring, OrgKey, OrgKeyKind, Password, RecordContext, StaffKeyPair,
};
use mamar_keys::KeyError;
use mamar_store::{NewCase, NewCaseRecord, NewOrgKeyGrant, NewStaff, SqliteStore, Store};

const PASSWORD: &str = "administrator passphrase for tests";

struct World {
    store: Arc<dyn Store>,
    admin: StaffId,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("k.sqlite3")).await.unwrap());
    let bootstrap = mamar_keys::bootstrap(
        Organisation::new("ممر", "Mamar", Locale::Ar).unwrap(),
        Username::parse("admin").unwrap(),
        &Password::new(PASSWORD.into()),
        &KdfParams::test_profile(),
    )
    .unwrap();
    let admin = bootstrap.setup.admin.id;
    store.initialise(&bootstrap.setup).await.unwrap();
    World {
        store,
        admin,
        _dir: dir,
    }
}

/// What a login does: unlock the staff keys, then every organisation key granted.
async fn keyring(store: &dyn Store, staff: StaffId, password: &str) -> Result<Keyring, CryptoError> {
    let record = store.staff_by_id(staff).await.unwrap().unwrap();
    let keys =
        StaffKeyPair::unwrap_with_password(&record.wrapped_secret_keys, &Password::new(password.into()))?;
    let mut org = Vec::new();
    for grant in store.org_key_grants(staff).await.unwrap() {
        org.push(OrgKey::unwrap(&grant.wrapped, &keys)?);
    }
    Ok(Keyring::new(keys, org))
}

/// A second staff member, holding the intake key if `intake` is given.
async fn colleague(world: &World, name: &str, intake: Option<&OrgKey>) -> (StaffId, StaffKeyPair) {
    let keys = StaffKeyPair::generate().unwrap();
    let id = StaffId::random();
    let grants: Vec<NewOrgKeyGrant> = intake
        .map(|key| NewOrgKeyGrant {
            kind: "intake".into(),
            generation: i64::from(key.generation()),
            wrapped: key.wrap_to(&keys.public_keys()).unwrap(),
        })
        .into_iter()
        .collect();
    let staff = NewStaff {
        id,
        username: Username::parse(name).unwrap(),
        roles: vec![Role::IntakeOperator],
        public_keys: keys.public_keys().to_bytes(),
        wrapped_secret_keys: keys
            .wrap_with_password(
                &Password::new("colleague password 123".into()),
                &KdfParams::test_profile(),
            )
            .unwrap(),
    };
    world.store.add_staff(&staff, &grants).await.unwrap();
    (id, keys)
}

#[tokio::test]
async fn a_password_change_rewraps_the_same_keys() {
    let world = world().await;
    let before = world.store.org_key_grants(world.admin).await.unwrap();
    let new = Password::new("a brand new passphrase, longer".into());
    mamar_keys::change_password(
        world.store.as_ref(),
        world.admin,
        &Password::new(PASSWORD.into()),
        &new,
        &KdfParams::test_profile(),
    )
    .await
    .unwrap();
    assert!(matches!(
        keyring(world.store.as_ref(), world.admin, PASSWORD).await,
        Err(CryptoError::WrongPassword)
    ));
    let ring = keyring(world.store.as_ref(), world.admin, new.expose_secret())
        .await
        .unwrap();
    assert_eq!(ring.org_keys().len(), 4);
    // The organisation keys' wrappings were not touched.
    assert_eq!(world.store.org_key_grants(world.admin).await.unwrap(), before);

    let wrong = mamar_keys::change_password(
        world.store.as_ref(),
        world.admin,
        &Password::new("not the password".into()),
        &new,
        &KdfParams::test_profile(),
    )
    .await;
    assert!(matches!(wrong, Err(KeyError::WrongCredentials)));
}

#[tokio::test]
async fn removing_someone_from_a_case_rekeys_it() {
    let world = world().await;
    let (other, other_keys) = colleague(&world, "vetting1", None).await;
    let admin_ring = keyring(world.store.as_ref(), world.admin, PASSWORD)
        .await
        .unwrap();
    let case = [7u8; 16];
    let old_key = CaseKey::generate().unwrap();
    let records: Vec<NewCaseRecord> = (0..3u8)
        .map(|n| {
            let id = [n; 16];
            let context = RecordContext {
                record_id: &id,
                kind: "case.note",
                schema_version: 1,
            };
            NewCaseRecord {
                id,
                kind: "case.note".into(),
                schema_version: 1,
                ciphertext: old_key.encrypt(format!("note {n}").as_bytes(), &context).unwrap(),
            }
        })
        .collect();
    world
        .store
        .insert_cases(&[NewCase {
            id: case,
            stage: "vetting".into(),
            opened_on: "2026-11".into(),
            grants: vec![
                (
                    world.admin,
                    old_key.wrap_to(&admin_ring.staff().public_keys(), &case).unwrap(),
                ),
                (other, old_key.wrap_to(&other_keys.public_keys(), &case).unwrap()),
            ],
            records,
        }])
        .await
        .unwrap();

    mamar_keys::remove_from_case(world.store.as_ref(), &admin_ring, world.admin, &case, other)
        .await
        .unwrap();

    let grants = world.store.case_grants(&case).await.unwrap();
    assert_eq!(
        grants.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        vec![world.admin]
    );
    let new_key = CaseKey::unwrap(&grants[0].1, &case, admin_ring.staff()).unwrap();
    for record in world.store.case_records(&case).await.unwrap() {
        let context = RecordContext {
            record_id: &record.id,
            kind: "case.note",
            schema_version: 1,
        };
        let text = new_key.decrypt(&record.ciphertext, &context).unwrap();
        assert_eq!(text.expose_secret(), format!("note {}", record.id[0]).as_bytes());
        // The removed person's copy of the old key opens none of it.
        assert!(old_key.decrypt(&record.ciphertext, &context).is_err());
    }

    // Someone not on the case cannot change who is on it.
    let (_, stranger_keys) = colleague(&world, "stranger", None).await;
    let stranger = Keyring::new(stranger_keys, vec![]);
    let refused = mamar_keys::remove_from_case(
        world.store.as_ref(),
        &stranger,
        StaffId::random(),
        &case,
        world.admin,
    )
    .await;
    assert!(matches!(refused, Err(KeyError::NotAssigned)));
}

#[tokio::test]
async fn rotating_an_organisation_key_wraps_the_new_generation_to_every_holder() {
    let world = world().await;
    let admin_ring = keyring(world.store.as_ref(), world.admin, PASSWORD)
        .await
        .unwrap();
    let intake_1 = admin_ring.org_key(OrgKeyKind::Intake).unwrap();
    let (other, _) = colleague(&world, "intake1", Some(intake_1)).await;
    let (outsider, _) = colleague(&world, "analyst1", None).await;

    let generation = mamar_keys::rotate_org_key(world.store.as_ref(), &admin_ring, OrgKeyKind::Intake)
        .await
        .unwrap();
    assert_eq!(generation, 2);

    let admin_after = keyring(world.store.as_ref(), world.admin, PASSWORD)
        .await
        .unwrap();
    assert_eq!(admin_after.org_key(OrgKeyKind::Intake).unwrap().generation(), 2);
    assert!(
        admin_after.org_key_generation(OrgKeyKind::Intake, 1).is_some(),
        "old data must stay readable"
    );
    let other_grants = world.store.org_key_grants(other).await.unwrap();
    assert_eq!(
        other_grants.iter().map(|g| g.generation).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert!(
        world.store.org_key_grants(outsider).await.unwrap().is_empty(),
        "rotation must not widen access"
    );
    // The other kinds did not move.
    assert_eq!(
        admin_after.org_key(OrgKeyKind::Analytics).unwrap().generation(),
        1
    );
}

#[tokio::test]
async fn recovery_needs_a_real_threshold() {
    let world = world().await;
    let username = Username::parse("admin").unwrap();
    let password = Password::new(PASSWORD.into());
    for (k, n) in [(1, 3), (0, 3), (4, 3)] {
        let result = mamar_keys::create_recovery(world.store.as_ref(), &username, &password, k, n).await;
        assert!(matches!(result, Err(KeyError::BadThreshold)), "{k} of {n}");
    }
    let wrong = mamar_keys::create_recovery(
        world.store.as_ref(),
        &username,
        &Password::new("nope".into()),
        2,
        3,
    )
    .await;
    assert!(matches!(wrong, Err(KeyError::WrongCredentials)));
}
