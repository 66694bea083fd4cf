//! A flipped bit anywhere in any stored blob, in a record's context or in a
//! session id gives an error, never a wrong value. So does cutting a blob
//! short or adding bytes to it.

use mamar_crypto::{
    BlobKind, CaseKey, KdfParams, Keyring, OrgKey, OrgKeyKind, OrgPublicKey, Password, RecordContext,
    RecoverySecret, RecoveryShare, SealPurpose, SessionKey, Signature, SignaturePurpose, StaffKeyPair,
    StaffPublicKeys, inspect, open, open_org_keys, seal, seal_org_keys, split,
};

/// Asserts that `accepts` refuses every one-bit change of `blob`, every
/// truncation and one appended byte, and that it accepts `blob` itself.
fn assert_every_change_is_refused(name: &str, blob: &[u8], accepts: impl Fn(&[u8]) -> bool) {
    assert!(accepts(blob), "{name}: the untouched blob must be accepted");
    for bit in 0..blob.len() * 8 {
        let mut changed = blob.to_vec();
        changed[bit / 8] ^= 1 << (bit % 8);
        assert!(!accepts(&changed), "{name}: flipping bit {bit} went unnoticed");
    }
    for len in 0..blob.len() {
        assert!(
            !accepts(&blob[..len]),
            "{name}: cut to {len} bytes went unnoticed"
        );
    }
    let mut longer = blob.to_vec();
    longer.push(0);
    assert!(!accepts(&longer), "{name}: an appended byte went unnoticed");
}

const CONTEXT: RecordContext<'static> = RecordContext {
    record_id: b"0123456789abcdef",
    kind: "case.note",
    schema_version: 3,
};

#[test]
fn case_content_and_its_context() {
    let key = CaseKey::generate().unwrap();
    let blob = key.encrypt(b"meeting point: the old mill", &CONTEXT).unwrap();
    assert_every_change_is_refused("case content", &blob, |b| key.decrypt(b, &CONTEXT).is_ok());

    // The associated data: every bit of the record id, the kind and the
    // schema version.
    let kind_bytes = CONTEXT.kind.as_bytes();
    let mut record_id = CONTEXT.record_id.to_vec();
    for bit in 0..record_id.len() * 8 {
        record_id[bit / 8] ^= 1 << (bit % 8);
        let context = RecordContext {
            record_id: &record_id,
            ..CONTEXT
        };
        assert!(key.decrypt(&blob, &context).is_err(), "record id bit {bit}");
        record_id[bit / 8] ^= 1 << (bit % 8);
    }
    for bit in 0..kind_bytes.len() * 8 {
        let mut kind = kind_bytes.to_vec();
        kind[bit / 8] ^= 1 << (bit % 8);
        let Ok(kind) = String::from_utf8(kind) else {
            continue;
        };
        let context = RecordContext {
            kind: &kind,
            ..CONTEXT
        };
        assert!(key.decrypt(&blob, &context).is_err(), "kind bit {bit}");
    }
    for bit in 0..32 {
        let context = RecordContext {
            schema_version: CONTEXT.schema_version ^ (1 << bit),
            ..CONTEXT
        };
        assert!(key.decrypt(&blob, &context).is_err(), "schema version bit {bit}");
    }
}

#[test]
fn analytics_content() {
    let key = OrgKey::generate(OrgKeyKind::Analytics, 1).unwrap();
    let analytics = key.analytics().unwrap();
    let blob = analytics.encrypt(b"rank_class=nco", &CONTEXT).unwrap();
    assert_every_change_is_refused("analytics content", &blob, |b| {
        analytics.decrypt(b, &CONTEXT).is_ok()
    });
}

#[test]
fn wrapped_case_key() {
    let staff = StaffKeyPair::generate().unwrap();
    let blob = CaseKey::generate()
        .unwrap()
        .wrap_to(&staff.public_keys(), b"case-7")
        .unwrap();
    assert_every_change_is_refused("wrapped case key", &blob, |b| {
        CaseKey::unwrap(b, b"case-7", &staff).is_ok()
    });
}

#[test]
fn wrapped_org_keys_of_every_kind() {
    let staff = StaffKeyPair::generate().unwrap();
    for key in OrgKey::generate_all(5).unwrap() {
        let blob = key.wrap_to(&staff.public_keys()).unwrap();
        assert_every_change_is_refused(key.kind().code(), &blob, |b| OrgKey::unwrap(b, &staff).is_ok());
    }
}

#[test]
fn org_public_keys() {
    for kind in [OrgKeyKind::Intake, OrgKeyKind::Signing] {
        let blob = OrgKey::generate(kind, 2)
            .unwrap()
            .public_key()
            .unwrap()
            .to_bytes();
        assert_every_change_is_refused(kind.code(), &blob, |b| OrgPublicKey::from_bytes(b).is_ok());
    }
}

#[test]
fn staff_public_keys() {
    let blob = StaffKeyPair::generate().unwrap().public_keys().to_bytes();
    assert_every_change_is_refused("staff public keys", &blob, |b| {
        StaffPublicKeys::from_bytes(b).is_ok()
    });
}

#[test]
fn password_wrapped_staff_keys() {
    let params = KdfParams::test_profile();
    let password = Password::from("a long passphrase");
    let blob = StaffKeyPair::generate()
        .unwrap()
        .wrap_with_password(&password, &params)
        .unwrap();
    assert_every_change_is_refused("password-wrapped staff keys", &blob, |b| {
        // A flipped bit in the Argon2id parameters can ask for up to 2 GiB
        // of memory. Those parameters are authenticated like the rest of
        // the prefix, so decryption would fail; running them would only
        // make the test slow. Everything up to 1 MiB is run for real.
        match StaffKeyPair::password_kdf_params(b) {
            Ok(read) if read.m_cost > 1024 => {
                assert_ne!(read, params);
                false
            }
            _ => StaffKeyPair::unwrap_with_password(b, &password).is_ok(),
        }
    });
}

#[test]
fn sealed_messages() {
    let intake = OrgKey::generate(OrgKeyKind::Intake, 1).unwrap();
    let pair = intake.intake().unwrap();
    let purpose = SealPurpose::Intake { request_id: b"r-1" };
    let blob = seal(pair.public_key(), &purpose, b"name, phone, place").unwrap();
    assert_every_change_is_refused("sealed message", &blob, |b| open(pair, &purpose, b).is_ok());
}

#[test]
fn session_keyring_and_its_session_id() {
    let session = SessionKey::generate().unwrap();
    let keyring = Keyring::new(
        StaffKeyPair::generate().unwrap(),
        vec![OrgKey::generate(OrgKeyKind::Linkage, 1).unwrap()],
    );
    let blob = keyring.seal(&session, b"session-42").unwrap();
    assert_every_change_is_refused("session keyring", &blob, |b| {
        Keyring::open(b, &session, b"session-42").is_ok()
    });
    let mut id = b"session-42".to_vec();
    for bit in 0..id.len() * 8 {
        id[bit / 8] ^= 1 << (bit % 8);
        assert!(
            Keyring::open(&blob, &session, &id).is_err(),
            "session id bit {bit}"
        );
        id[bit / 8] ^= 1 << (bit % 8);
    }
}

#[test]
fn signatures() {
    let key = OrgKey::generate(OrgKeyKind::Signing, 1).unwrap();
    let signing = key.signing().unwrap();
    let public = signing.verifying_key();
    let message = b"checkpoint 1024: 9f2c...";
    let blob = signing
        .sign(SignaturePurpose::AuditCheckpoint, message)
        .to_bytes();
    assert_every_change_is_refused("signature", &blob, |b| {
        Signature::from_bytes(b)
            .and_then(|s| public.verify(SignaturePurpose::AuditCheckpoint, message, &s))
            .is_ok()
    });
    // And every bit of the signed message.
    let signature = Signature::from_bytes(&blob).unwrap();
    let mut changed = message.to_vec();
    for bit in 0..changed.len() * 8 {
        changed[bit / 8] ^= 1 << (bit % 8);
        assert!(
            public
                .verify(SignaturePurpose::AuditCheckpoint, &changed, &signature)
                .is_err()
        );
        changed[bit / 8] ^= 1 << (bit % 8);
    }
}

#[test]
fn recovery_shares_and_bundle() {
    let secret = RecoverySecret::generate().unwrap();
    let shares = split(&secret, 2, 3).unwrap();
    let blob = shares[0].to_bytes();
    assert_every_change_is_refused("recovery share", blob.expose_secret(), |b| {
        RecoveryShare::from_bytes(b).is_ok()
    });

    let bundle = seal_org_keys(&secret, &OrgKey::generate_all(1).unwrap()).unwrap();
    assert_every_change_is_refused("recovery bundle", &bundle, |b| open_org_keys(&secret, b).is_ok());
}

#[test]
fn every_blob_names_its_kind() {
    let staff = StaffKeyPair::generate().unwrap();
    let params = KdfParams::test_profile();
    let secret = RecoverySecret::generate().unwrap();
    let signing = OrgKey::generate(OrgKeyKind::Signing, 1).unwrap();
    let blobs = [
        (BlobKind::StaffPublicKeys, staff.public_keys().to_bytes()),
        (
            BlobKind::StaffSecretKeys,
            staff.wrap_with_password(&Password::from("p"), &params).unwrap(),
        ),
        (
            BlobKind::WrappedCaseKey,
            CaseKey::generate()
                .unwrap()
                .wrap_to(&staff.public_keys(), b"c")
                .unwrap(),
        ),
        (
            BlobKind::WrappedOrgKey,
            signing.wrap_to(&staff.public_keys()).unwrap(),
        ),
        (BlobKind::OrgPublicKey, signing.public_key().unwrap().to_bytes()),
        (
            BlobKind::CaseContent,
            CaseKey::generate().unwrap().encrypt(b"x", &CONTEXT).unwrap(),
        ),
        (
            BlobKind::SealedMessage,
            seal(
                staff.public_keys().encryption(),
                &SealPurpose::Reply { request_id: b"r" },
                b"x",
            )
            .unwrap(),
        ),
        (
            BlobKind::Signature,
            signing
                .signing()
                .unwrap()
                .sign(SignaturePurpose::Reply, b"x")
                .to_bytes(),
        ),
        (
            BlobKind::RecoveryShare,
            split(&secret, 1, 1).unwrap()[0]
                .to_bytes()
                .expose_secret()
                .to_vec(),
        ),
        (BlobKind::RecoveryBundle, seal_org_keys(&secret, &[]).unwrap()),
    ];
    for (kind, blob) in blobs {
        let header = inspect(&blob).unwrap();
        assert_eq!(header.kind, kind);
        assert_eq!(header.version, mamar_crypto::encoding::FORMAT_VERSION);
    }
    // A blob of one kind offered as another is refused with a message that
    // says what it is.
    let public = staff.public_keys().to_bytes();
    let err = OrgPublicKey::from_bytes(&public).unwrap_err();
    assert_eq!(
        err.to_string(),
        "organisation public key: this is a staff public keys blob"
    );
}
