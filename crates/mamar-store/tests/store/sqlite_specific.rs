//! What the embedded default promises beyond the shared behaviour: its
//! pragmas, and that it survives a reopen.

use mamar_store::SqliteStore;
use sqlx::{Connection, Row, SqliteConnection};

#[tokio::test]
async fn the_database_file_uses_wal_and_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reopen.sqlite3");
    {
        let store = SqliteStore::open(&path).await.unwrap();
        mamar_store::Store::initialise(&store, &crate_setup())
            .await
            .unwrap();
        mamar_store::Store::close(&store).await;
    }
    let mut conn = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(check, "ok");
    drop(conn);

    let store = SqliteStore::open(&path).await.unwrap();
    let org = mamar_store::Store::organisation(&store).await.unwrap().unwrap();
    assert_eq!(org.name_en(), "Reopened");
}

#[tokio::test]
async fn connections_run_with_full_sync_foreign_keys_and_secure_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pragmas.sqlite3");
    let store = SqliteStore::open(&path).await.unwrap();
    let pragmas = store.pragmas().await.unwrap();
    assert_eq!(pragmas.synchronous, 2, "synchronous=FULL");
    assert!(pragmas.foreign_keys);
    assert_eq!(pragmas.secure_delete, 1);
    assert_eq!(pragmas.journal_mode, "wal");
}

/// Bytes that occur nowhere else: a label, then a counter-driven pattern.
fn marked(label: &str, len: usize) -> Vec<u8> {
    let mut bytes = label.as_bytes().to_vec();
    let mut state: u32 = label
        .bytes()
        .fold(7, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    while bytes.len() < len {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        bytes.push((state >> 24) as u8);
    }
    bytes
}

fn files_hold(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap();
            bytes.windows(needle.len()).any(|window| window == needle)
        })
        .map(|path| path.display().to_string())
        .collect()
}

#[tokio::test]
async fn after_the_panic_no_byte_of_a_destroyed_key_is_left_in_the_files() {
    use mamar_core::StaffId;
    use mamar_store::{AccountStore, NewCase, NewCaseRecord, NewOrgKey, SessionRecord, SessionStage, Store};

    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("panic.sqlite3"))
        .await
        .unwrap();
    let mut setup = crate_setup();
    setup.admin.wrapped_secret_keys = marked("staff-secret-keys", 96);
    setup.org_keys = vec![NewOrgKey {
        kind: "intake".into(),
        generation: 1,
        public_part: Some(vec![5; 32]),
        wrapped_for_holder: marked("org-key-for-holder", 96),
    }];
    let admin: StaffId = setup.admin.id;
    store.initialise(&setup).await.unwrap();
    store
        .insert_cases(&[NewCase {
            id: [1; 16],
            stage: "triage".into(),
            opened_on: "2026-11".into(),
            grants: vec![(admin, marked("case-key-grant", 96))],
            records: vec![NewCaseRecord {
                id: [2; 16],
                kind: "intake".into(),
                schema_version: 1,
                ciphertext: marked("case-ciphertext", 200),
            }],
        }])
        .await
        .unwrap();
    store
        .create_session(&SessionRecord {
            id: [3; 16],
            staff_id: admin,
            keyring: marked("session-keyring", 120),
            csrf_token: vec![4; 16],
            created_at: 1,
            last_seen: 1,
            stage: SessionStage::Full,
            decoy: false,
        })
        .await
        .unwrap();
    store
        .save_recovery_bundle(&marked("recovery-bundle", 100))
        .await
        .unwrap();
    store
        .set_totp(admin, Some(&marked("totp-secret", 60)))
        .await
        .unwrap();
    store
        .set_duress_keys(admin, Some(&marked("duress-keys", 120)))
        .await
        .unwrap();
    // Break-glass: the administrator's share, the escrow wrap of the case key, and a share
    // handed to an asker.
    use mamar_store::BreakGlassStore;
    store
        .set_up_break_glass(
            &mamar_store::BreakGlassSetup {
                setup_id: [6; 16],
                threshold: 2,
                public_key: vec![7; 32],
                created_at: 1,
            },
            &[(admin, marked("break-glass-share", 110))],
        )
        .await
        .unwrap();
    store
        .put_case_escrow(&[1; 16], &marked("case-key-escrow", 96))
        .await
        .unwrap();
    store
        .add_break_glass_request(
            &mamar_store::BreakGlassRequestRecord {
                id: [8; 16],
                case_id: [1; 16],
                asked_by: admin,
                threshold: 2,
                duration: 3600,
                asked_at: 1,
                expires_at: 100,
                grant_until: None,
                approvers: Vec::new(),
            },
            &[(admin, marked("break-glass-reason", 80))],
        )
        .await
        .unwrap();
    store
        .add_break_glass_approval(&[8; 16], admin, &marked("break-glass-handed", 110))
        .await
        .unwrap();

    // The requester's own copy of their first request, under a key the panic cannot reach.
    store
        .apply_intake(&[mamar_store::IntakeWrite::Request(mamar_store::IntakeRequest {
            id: [9; 16],
            lookup_tag: vec![9; 32],
            requester_key: vec![9; 32],
            sealed: marked("request-sealed-to-intake", 200),
            intake_generation: 1,
            received_month: "2026-11".into(),
            own_copy: Some(marked("first-request-own-copy", 200)),
        })])
        .await
        .unwrap();

    let destroyed = [
        "first-request-own-copy",
        "staff-secret-keys",
        "org-key-for-holder",
        "case-key-grant",
        "session-keyring",
        "recovery-bundle",
        "totp-secret",
        "duress-keys",
        "break-glass-share",
        "case-key-escrow",
        "break-glass-reason",
        "break-glass-handed",
    ];
    // Before: every key is somewhere in the files (the search finds what is there).
    for label in destroyed {
        assert!(
            !files_hold(dir.path(), label.as_bytes()).is_empty(),
            "{label} not written"
        );
    }

    store.destroy_key_material().await.unwrap();

    // After: not one of them is left, in the database file or its WAL, while the cases'
    // ciphertext, which the panic keeps, still is.
    for label in destroyed {
        let needle = marked(label, 96.min(label.len() + 24));
        assert_eq!(
            files_hold(dir.path(), &needle),
            Vec::<String>::new(),
            "{label} left behind"
        );
    }
    assert!(!files_hold(dir.path(), &marked("case-ciphertext", 64)).is_empty());
    assert!(!files_hold(dir.path(), &marked("request-sealed-to-intake", 64)).is_empty());
    store.close().await;
}

fn crate_setup() -> mamar_store::InitialSetup {
    use mamar_core::{Locale, Organisation, Role, StaffId, Username};
    mamar_store::InitialSetup {
        organisation: Organisation::new("ممر", "Reopened", Locale::En).unwrap(),
        admin: mamar_store::NewStaff {
            id: StaffId::random(),
            username: Username::parse("admin").unwrap(),
            roles: vec![Role::Administrator],
            public_keys: vec![1],
            wrapped_secret_keys: vec![2],
        },
        org_keys: vec![],
    }
}
