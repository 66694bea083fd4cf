//! A store with an organisation and one person per role, each with the keys
//! their role grants, as a login would unlock them.

use std::sync::Arc;

use mamar_core::questionnaire::Questionnaire;
use mamar_core::{Locale, Organisation, Role, StaffId, Username};
use mamar_crypto::{
    KdfParams, Keyring, OrgKey, OrgKeyKind, Password, RequesterKeys, SealPurpose, StaffKeyPair,
};
use mamar_store::{
    IntakeMessage, IntakeRequest, IntakeWrite, NewOrgKeyGrant, NewStaff, PostgresStore, SqliteStore,
    StaffRecord, Store,
};
use mamar_usecases::{Caller, CaseConfig};
use sqlx::Connection;

pub struct Person {
    pub record: StaffRecord,
    pub keyring: Keyring,
}

impl Person {
    pub fn caller(&self) -> Caller<'_> {
        Caller {
            staff: &self.record,
            keyring: &self.keyring,
        }
    }
}

pub struct World {
    pub store: Arc<dyn Store>,
    pub questionnaire: Questionnaire,
    pub config: CaseConfig,
    pub admin: Person,
    pub intake: Person,
    pub vetter: Person,
    pub coordinator: Person,
    pub receiver: Person,
    pub analyst: Person,
    pub other_vetter: Person,
    _dir: Option<tempfile::TempDir>,
}

impl World {
    /// The SQLite database's files (main file and write-ahead log), if this world runs on SQLite.
    pub fn sqlite_files(&self) -> Vec<std::path::PathBuf> {
        let Some(dir) = &self._dir else {
            return Vec::new();
        };
        ["u.sqlite3", "u.sqlite3-wal"]
            .iter()
            .map(|name| dir.path().join(name))
            .filter(|path| path.exists())
            .collect()
    }
}

pub const NOW: i64 = 1_800_000_000;
pub const PASSWORD: &str = "a long test passphrase for the world";

impl World {
    pub async fn sqlite() -> World {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("u.sqlite3")).await.unwrap());
        World::build(store, Some(dir)).await
    }

    pub async fn postgres() -> World {
        let admin_url = std::env::var("MAMAR_TEST_POSTGRES_URL").unwrap_or_else(|_| {
            panic!("MAMAR_TEST_POSTGRES_URL is not set: run the tests with ./scripts/test, which starts PostgreSQL")
        });
        let name = format!(
            "mamar_uc_{}",
            hex::encode(mamar_crypto::random_bytes::<8>().unwrap())
        );
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let store: Arc<dyn Store> =
            Arc::new(PostgresStore::connect(&format!("{base}/{name}")).await.unwrap());
        World::build(store, None).await
    }

    async fn build(store: Arc<dyn Store>, dir: Option<tempfile::TempDir>) -> World {
        let bootstrap = mamar_keys::bootstrap(
            Organisation::new("ممر", "Mamar", Locale::Ar).unwrap(),
            Username::parse("admin").unwrap(),
            &Password::new(PASSWORD.into()),
            &KdfParams::test_profile(),
        )
        .unwrap();
        store.initialise(&bootstrap.setup).await.unwrap();
        let admin = unlock(store.as_ref(), bootstrap.setup.admin.id).await;
        let mut people = Vec::new();
        for (name, role) in [
            ("intake", Role::IntakeOperator),
            ("vetter", Role::VettingOfficer),
            ("coordinator", Role::ExitCoordinator),
            ("receiver", Role::ReceptionOfficer),
            ("analyst", Role::Analyst),
            ("vetter2", Role::VettingOfficer),
        ] {
            people.push(add_person(store.as_ref(), &admin, name, role).await);
        }
        let mut people = people.into_iter();
        let mut next = || people.next().unwrap();
        World {
            questionnaire: Questionnaire::default_shipped(),
            config: CaseConfig::shipped(),
            admin,
            intake: next(),
            vetter: next(),
            coordinator: next(),
            receiver: next(),
            analyst: next(),
            other_vetter: next(),
            store,
            _dir: dir,
        }
    }

    /// A request as the public form leaves it, with one message after it.
    /// Returns its id and the requester's keys.
    pub async fn request(
        &self,
        codename: &str,
        pairs: &[(&str, &str)],
        message: &str,
    ) -> ([u8; 16], RequesterKeys) {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        let answers = self.questionnaire.validate(&pairs).unwrap();
        let intake_key = self.admin.keyring.org_key(OrgKeyKind::Intake).unwrap();
        let public = intake_key.intake().unwrap().public_key();
        let keys = RequesterKeys::derive(
            &mamar_crypto::Codename::new(codename.into()),
            b"a codename salt!",
            &KdfParams {
                m_cost: 64,
                t_cost: 1,
                p_cost: 1,
                version: 0x13,
            },
        )
        .unwrap();
        let id = mamar_crypto::random_bytes::<16>().unwrap();
        let request = IntakeRequest {
            id,
            lookup_tag: keys.lookup_tag().as_bytes().to_vec(),
            requester_key: keys.encryption().public_key().to_bytes().to_vec(),
            sealed: mamar_crypto::seal(
                public,
                &SealPurpose::Intake { request_id: &id },
                &answers.to_bytes(),
            )
            .unwrap(),
            intake_generation: i64::from(intake_key.generation()),
            received_month: "2026-12".into(),
            // What the requester typed, as the intake keeps it for them.
            own_copy: Some(mamar_usecases::intake::own_copy_of_request(&keys, &id, &answers).unwrap()),
        };
        // The requester keeps a copy of the note, as every channel's follow-up does.
        let own = mamar_usecases::intake::own_copy(&request, message, NOW).unwrap();
        let note = IntakeMessage {
            id: mamar_crypto::random_bytes::<16>().unwrap(),
            request_id: id,
            from_requester: true,
            sealed: mamar_crypto::seal(
                public,
                &SealPurpose::RequesterMessage { request_id: &id },
                message.as_bytes(),
            )
            .unwrap(),
            key_generation: i64::from(intake_key.generation()),
            signature: None,
            staff_copy: None,
            sent_month: Some(own.sent_month),
            own_copy: Some(own.sealed),
        };
        self.store
            .apply_intake(&[IntakeWrite::Request(request), IntakeWrite::Message(note)])
            .await
            .unwrap();
        (id, keys)
    }
}

async fn unlock(store: &dyn Store, id: StaffId) -> Person {
    let record = store.staff_by_id(id).await.unwrap().unwrap();
    let keys =
        StaffKeyPair::unwrap_with_password(&record.wrapped_secret_keys, &Password::new(PASSWORD.into()))
            .unwrap();
    let mut org = Vec::new();
    for grant in store.org_key_grants(id).await.unwrap() {
        org.push(OrgKey::unwrap(&grant.wrapped, &keys).unwrap());
    }
    Person {
        record,
        keyring: Keyring::new(keys, org),
    }
}

/// What an administrator's invitation and role change produce: an account
/// with the organisation keys its role needs.
pub async fn add_person(store: &dyn Store, admin: &Person, name: &str, role: Role) -> Person {
    add_person_with(store, admin, name, &[role]).await
}

/// A person with several roles (the organisation keys of each).
pub async fn add_person_with(store: &dyn Store, admin: &Person, name: &str, roles: &[Role]) -> Person {
    let keys = StaffKeyPair::generate().unwrap();
    let mut grants = Vec::new();
    let mut kinds: Vec<&str> = roles
        .iter()
        .flat_map(|r| r.org_key_kinds().iter().copied())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let kind: OrgKeyKind = kind.parse().unwrap();
        let key = admin.keyring.org_key(kind).unwrap();
        grants.push(NewOrgKeyGrant {
            kind: kind.code().into(),
            generation: i64::from(key.generation()),
            wrapped: key.wrap_to(&keys.public_keys()).unwrap(),
        });
    }
    let id = StaffId::random();
    let staff = NewStaff {
        id,
        username: Username::parse(name).unwrap(),
        roles: roles.to_vec(),
        public_keys: keys.public_keys().to_bytes(),
        wrapped_secret_keys: keys
            .wrap_with_password(&Password::new(PASSWORD.into()), &KdfParams::test_profile())
            .unwrap(),
    };
    store.add_staff(&staff, &grants).await.unwrap();
    unlock(store, id).await
}

/// The user names of `staff`, sorted.
pub fn usernames(staff: &[StaffRecord]) -> Vec<String> {
    let mut names: Vec<String> = staff.iter().map(|s| s.username.to_string()).collect();
    names.sort();
    names
}
