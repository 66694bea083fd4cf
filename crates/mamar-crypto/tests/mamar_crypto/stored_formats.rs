//! Blobs written by format version 1 stay readable. A database, a backup or a recovery share made
//! today must open after any upgrade, so a fixture of every stored kind, written once by this
//! version, is opened by every later one. Regenerating the fixture would hide exactly the break
//! this test exists to catch: add a new fixture for a new format version instead.
//!
//! Written by `cargo test -p mamar-crypto --test mamar_crypto -- --ignored write_format_v1_fixture`,
//! which refuses to overwrite it.

use std::collections::BTreeMap;

use mamar_crypto::{
    CaseKey, Codename, KdfParams, Keyring, OrgKey, OrgKeyKind, Password, RecordContext, RecoverySecret,
    RecoveryShare, RequesterKeys, SealPurpose, SessionKey, Signature, SignaturePurpose, StaffKeyPair,
    combine, open, open_org_keys, seal, seal_org_keys, split,
};

const FIXTURE: &str = "tests/fixtures/format-v1.txt";
const PASSWORD: &str = "format version 1 fixture password";
const CODENAME: &str = "ember quarry lantern oasis meadow harbor violet";
const SALT: &[u8] = b"format-v1-fixture-salt";
const REQUEST_ID: &[u8] = &[0x42; 16];
const CASE_ID: &[u8] = &[0x17; 16];
const STAFF_ID: &[u8] = &[0x09; 16];
const SESSION_ID: &[u8] = &[0x33; 16];
const SESSION_KEY: [u8; 32] = [0x5a; 32];
const INTAKE_TEXT: &[u8] = "a request, sealed to the intake key: مرحبا".as_bytes();
const REPLY_TEXT: &[u8] = b"a reply, sealed to the requester";
const SECOND_FACTOR: &[u8] = b"12345678901234567890";
const CASE_TEXT: &[u8] = b"a case record";
const SIGNED_TEXT: &[u8] = b"a contact card";

fn record() -> RecordContext<'static> {
    RecordContext {
        record_id: CASE_ID,
        kind: "case.note",
        schema_version: 1,
    }
}

fn fixture() -> BTreeMap<String, Vec<u8>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (name, value) = line.split_once(' ').unwrap();
            (name.to_owned(), crate::h(value))
        })
        .collect()
}

#[test]
#[ignore = "writes the fixture; run once per new format version"]
fn write_format_v1_fixture() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    assert!(
        !path.exists(),
        "{FIXTURE} exists and must never be rewritten: a new format version gets a new fixture"
    );
    let staff = StaffKeyPair::generate().unwrap();
    let org_keys = OrgKey::generate_all(1).unwrap();
    let org = |kind| org_keys.iter().find(|key| key.kind() == kind).unwrap();
    let intake = org(OrgKeyKind::Intake);
    let requester = RequesterKeys::derive(
        &Codename::new(CODENAME.to_owned()),
        SALT,
        &KdfParams::test_profile(),
    )
    .unwrap();
    let case_key = CaseKey::generate().unwrap();
    let recovery = RecoverySecret::generate().unwrap();
    let shares = split(&recovery, 2, 3).unwrap();
    let mut lines = vec![
        "# mamar-crypto format version 1: every stored kind, written once. Never regenerate.".to_owned(),
    ];
    let mut put = |name: &str, bytes: &[u8]| lines.push(format!("{name} {}", hex::encode(bytes)));
    put(
        "staff_keys_under_password",
        &staff
            .wrap_with_password(&Password::new(PASSWORD.to_owned()), &KdfParams::test_profile())
            .unwrap(),
    );
    put("staff_public_keys", &staff.public_keys().to_bytes());
    for key in &org_keys {
        put(
            &format!("org_key_{}", key.kind().code()),
            &key.wrap_to(&staff.public_keys()).unwrap(),
        );
    }
    put(
        "sealed_intake",
        &seal(
            intake.intake().unwrap().public_key(),
            &SealPurpose::Intake {
                request_id: REQUEST_ID,
            },
            INTAKE_TEXT,
        )
        .unwrap(),
    );
    put(
        "sealed_reply",
        &seal(
            requester.encryption().public_key(),
            &SealPurpose::Reply {
                request_id: REQUEST_ID,
            },
            REPLY_TEXT,
        )
        .unwrap(),
    );
    put("requester_lookup_tag", requester.lookup_tag().as_bytes());
    put(
        "sealed_second_factor",
        &seal(
            staff.encryption().public_key(),
            &SealPurpose::SecondFactor { staff_id: STAFF_ID },
            SECOND_FACTOR,
        )
        .unwrap(),
    );
    put(
        "case_key_wrapped",
        &case_key.wrap_to(&staff.public_keys(), CASE_ID).unwrap(),
    );
    put("case_record", &case_key.encrypt(CASE_TEXT, &record()).unwrap());
    put("recovery_share_1", shares[0].to_bytes().expose_secret());
    put("recovery_share_3", shares[2].to_bytes().expose_secret());
    put("recovery_bundle", &seal_org_keys(&recovery, &org_keys).unwrap());
    put(
        "signature",
        &org(OrgKeyKind::Signing)
            .signing()
            .unwrap()
            .sign(SignaturePurpose::ContactCard, SIGNED_TEXT)
            .to_bytes(),
    );
    put(
        "blind_index_of_name",
        org(OrgKeyKind::Linkage)
            .linkage()
            .unwrap()
            .blind_index_key("name")
            .index("محمد".as_bytes())
            .as_bytes(),
    );
    // Last: the keyring takes the keys.
    put(
        "session_keyring",
        &Keyring::new(staff, org_keys)
            .seal(&SessionKey::from_bytes(SESSION_KEY), SESSION_ID)
            .unwrap(),
    );
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn every_kind_of_blob_written_by_format_version_1_still_opens() {
    let blobs = fixture();
    let blob = |name: &str| {
        blobs
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .as_slice()
    };

    // The password unlocks the staff keys; they unlock every organisation key.
    let staff = StaffKeyPair::unwrap_with_password(
        blob("staff_keys_under_password"),
        &Password::new(PASSWORD.to_owned()),
    )
    .unwrap();
    assert_eq!(staff.public_keys().to_bytes(), blob("staff_public_keys"));
    let org = |kind: OrgKeyKind| {
        let key = OrgKey::unwrap(blob(&format!("org_key_{}", kind.code())), &staff).unwrap();
        assert_eq!((key.kind(), key.generation()), (kind, 1));
        key
    };
    let intake = org(OrgKeyKind::Intake);
    let signing = org(OrgKeyKind::Signing);
    let linkage = org(OrgKeyKind::Linkage);
    org(OrgKeyKind::Analytics);

    // Requests, replies and second-factor secrets.
    let opened = open(
        intake.intake().unwrap(),
        &SealPurpose::Intake {
            request_id: REQUEST_ID,
        },
        blob("sealed_intake"),
    )
    .unwrap();
    assert_eq!(opened.expose_secret(), INTAKE_TEXT);
    // The codename still finds its request and opens its replies.
    let requester = RequesterKeys::derive(
        &Codename::new(CODENAME.to_owned()),
        SALT,
        &KdfParams::test_profile(),
    )
    .unwrap();
    assert_eq!(requester.lookup_tag().as_bytes(), blob("requester_lookup_tag"));
    let reply = open(
        requester.encryption(),
        &SealPurpose::Reply {
            request_id: REQUEST_ID,
        },
        blob("sealed_reply"),
    )
    .unwrap();
    assert_eq!(reply.expose_secret(), REPLY_TEXT);
    let second_factor = open(
        staff.encryption(),
        &SealPurpose::SecondFactor { staff_id: STAFF_ID },
        blob("sealed_second_factor"),
    )
    .unwrap();
    assert_eq!(second_factor.expose_secret(), SECOND_FACTOR);

    // Cases.
    let case_key = CaseKey::unwrap(blob("case_key_wrapped"), CASE_ID, &staff).unwrap();
    let case_text = case_key.decrypt(blob("case_record"), &record()).unwrap();
    assert_eq!(case_text.expose_secret(), CASE_TEXT);

    // A session's keyring.
    let keyring = Keyring::open(
        blob("session_keyring"),
        &SessionKey::from_bytes(SESSION_KEY),
        SESSION_ID,
    )
    .unwrap();
    assert_eq!(
        keyring.staff().public_keys().to_bytes(),
        blob("staff_public_keys")
    );
    assert_eq!(keyring.org_keys().len(), 4);

    // Two recovery shares open the recovery bundle.
    let shares = [
        RecoveryShare::from_bytes(blob("recovery_share_1")).unwrap(),
        RecoveryShare::from_bytes(blob("recovery_share_3")).unwrap(),
    ];
    let recovered = open_org_keys(&combine(&shares).unwrap(), blob("recovery_bundle")).unwrap();
    assert_eq!(recovered.len(), 4);

    // Signatures verify, and blind indexes match across versions (lists linked across
    // organisations or years must keep matching).
    let signature = Signature::from_bytes(blob("signature")).unwrap();
    signing
        .public_key()
        .unwrap()
        .signing()
        .unwrap()
        .verify(SignaturePurpose::ContactCard, SIGNED_TEXT, &signature)
        .unwrap();
    let index = linkage
        .linkage()
        .unwrap()
        .blind_index_key("name")
        .index("محمد".as_bytes());
    assert_eq!(index.as_bytes(), blob("blind_index_of_name"));
}
