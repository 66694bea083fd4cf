//! Threat model A1: someone copies the data directory of a running server.
//! A fresh process that holds no staff secret opens nothing from the copy;
//! with the administrator's password (the control) the same code does.

use mamar_crypto::{Keyring, OrgKey, Password, RecoverySecret, SessionKey, StaffKeyPair};
use sqlx::{Connection, Row, SqliteConnection};

use crate::init::{PASSWORD, init};
use crate::keys::{create_shares, login_status};
use crate::support::Server;

struct Seized {
    staff: Vec<(String, Vec<u8>)>,
    grants: Vec<Vec<u8>>,
    sessions: Vec<(Vec<u8>, Vec<u8>)>,
    recovery: Vec<Vec<u8>>,
}

async fn read_copy(path: &std::path::Path) -> Seized {
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let rows = |sql: &'static str| sqlx::query(sql);
    let staff = rows("SELECT username, wrapped_secret_keys FROM staff")
        .fetch_all(&mut db)
        .await
        .unwrap();
    let grants = rows("SELECT wrapped FROM org_key_grant")
        .fetch_all(&mut db)
        .await
        .unwrap();
    let sessions = rows("SELECT id, keyring FROM staff_session")
        .fetch_all(&mut db)
        .await
        .unwrap();
    let recovery = rows("SELECT sealed FROM recovery_bundle")
        .fetch_all(&mut db)
        .await
        .unwrap();
    Seized {
        staff: staff.iter().map(|r| (r.get(0), r.get(1))).collect(),
        grants: grants.iter().map(|r| r.get(0)).collect(),
        sessions: sessions.iter().map(|r| (r.get(0), r.get(1))).collect(),
        recovery: recovery.iter().map(|r| r.get(0)).collect(),
    }
}

#[tokio::test]
async fn a_copy_of_a_running_servers_data_opens_nothing_without_a_staff_secret() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(init(&data, &[]).status.success());
    create_shares(&data, &dir.path().join("shares"), PASSWORD);
    let server = Server::start(&data);
    assert_eq!(login_status(&server, "admin", PASSWORD), 303);

    // The seizure: every file of the data directory, copied while the server runs.
    let copy = dir.path().join("seized");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    let seized = read_copy(&copy.join("mamar.sqlite3")).await;
    assert_eq!(
        (seized.staff.len(), seized.grants.len(), seized.sessions.len()),
        (1, 4, 1)
    );
    assert_eq!(seized.recovery.len(), 1);

    // Everything an attacker without a staff secret can try.
    let stranger = StaffKeyPair::generate().unwrap();
    let mut opened = 0;
    for (username, blob) in &seized.staff {
        for guess in ["", username.as_str(), "password", "admin", "12345678", "mamar"] {
            opened +=
                usize::from(StaffKeyPair::unwrap_with_password(blob, &Password::new(guess.into())).is_ok());
        }
    }
    for grant in &seized.grants {
        opened += usize::from(OrgKey::unwrap(grant, &stranger).is_ok());
    }
    for (id, keyring) in &seized.sessions {
        opened += usize::from(Keyring::open(keyring, &SessionKey::generate().unwrap(), id).is_ok());
    }
    for bundle in &seized.recovery {
        opened +=
            usize::from(mamar_crypto::open_org_keys(&RecoverySecret::generate().unwrap(), bundle).is_ok());
    }
    assert_eq!(opened, 0, "something opened without a staff secret");

    // The control: with the administrator's password the copy opens, so the
    // attempts above were real attempts.
    let (_, blob) = &seized.staff[0];
    let admin = StaffKeyPair::unwrap_with_password(blob, &Password::new(PASSWORD.into())).unwrap();
    let keys: Vec<OrgKey> = seized
        .grants
        .iter()
        .map(|grant| OrgKey::unwrap(grant, &admin).unwrap())
        .collect();
    assert_eq!(keys.len(), 4);
    drop(server);
}
