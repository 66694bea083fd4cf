//! Every parser, fed arbitrary bytes, returns an error (or, by astronomical
//! chance, a value) and never panics. Three shapes of input: raw bytes,
//! a valid header followed by arbitrary bytes (so the body parsers are
//! reached), and valid blobs with random damage.

use std::sync::LazyLock;

use mamar_crypto::{
    AnalyticsKey, CaseKey, EncryptionKeyPair, KdfParams, Keyring, OrgKey, OrgKeyKind, OrgPublicKey, Password,
    RecordContext, RecoverySecret, RecoveryShare, SealPurpose, SessionKey, Signature, StaffKeyPair,
    StaffPublicKeys, inspect, open, open_org_keys, seal_org_keys, split,
};
use proptest::prelude::*;

struct Keys {
    staff: StaffKeyPair,
    case: CaseKey,
    analytics: OrgKey,
    intake: EncryptionKeyPair,
    session: SessionKey,
    recovery: RecoverySecret,
    samples: Vec<Vec<u8>>,
}

const CONTEXT: RecordContext<'static> = RecordContext {
    record_id: b"id",
    kind: "k",
    schema_version: 1,
};

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let staff = StaffKeyPair::generate().unwrap();
    let case = CaseKey::generate().unwrap();
    let analytics = OrgKey::generate(OrgKeyKind::Analytics, 1).unwrap();
    let intake = EncryptionKeyPair::generate().unwrap();
    let session = SessionKey::generate().unwrap();
    let recovery = RecoverySecret::generate().unwrap();
    let signing = OrgKey::generate(OrgKeyKind::Signing, 1).unwrap();
    let samples = vec![
        staff.public_keys().to_bytes(),
        staff
            .wrap_with_password(&Password::from("p"), &KdfParams::test_profile())
            .unwrap(),
        case.wrap_to(&staff.public_keys(), b"c").unwrap(),
        signing.wrap_to(&staff.public_keys()).unwrap(),
        signing.public_key().unwrap().to_bytes(),
        case.encrypt(b"record", &CONTEXT).unwrap(),
        analytics
            .analytics()
            .unwrap()
            .encrypt(b"facets", &CONTEXT)
            .unwrap(),
        mamar_crypto::seal(
            intake.public_key(),
            &SealPurpose::Intake { request_id: b"r" },
            b"m",
        )
        .unwrap(),
        Keyring::new(StaffKeyPair::generate().unwrap(), vec![])
            .seal(&session, b"s")
            .unwrap(),
        signing
            .signing()
            .unwrap()
            .sign(mamar_crypto::SignaturePurpose::Reply, b"m")
            .to_bytes(),
        split(&recovery, 2, 2).unwrap()[0]
            .to_bytes()
            .expose_secret()
            .to_vec(),
        seal_org_keys(&recovery, &[]).unwrap(),
    ];
    Keys {
        staff,
        case,
        analytics,
        intake,
        session,
        recovery,
        samples,
    }
});

/// Runs every parser in the crate on `bytes`. Returns nothing: the test is
/// that none of them panics.
fn parse_everything(bytes: &[u8]) {
    let keys = &*KEYS;
    let analytics: &AnalyticsKey = keys.analytics.analytics().unwrap();
    let _ = inspect(bytes);
    let _ = StaffPublicKeys::from_bytes(bytes);
    let _ = StaffKeyPair::password_kdf_params(bytes);
    // Only with parameters cheap enough to run (arbitrary bytes can ask for
    // 2 GiB, which is valid and would just be slow).
    if StaffKeyPair::password_kdf_params(bytes).is_ok_and(|p| p.m_cost <= 1024 && p.t_cost <= 4) {
        let _ = StaffKeyPair::unwrap_with_password(bytes, &Password::from("p"));
    }
    let _ = OrgPublicKey::from_bytes(bytes);
    let _ = OrgKey::inspect_wrapped(bytes);
    let _ = OrgKey::unwrap(bytes, &keys.staff);
    let _ = CaseKey::unwrap(bytes, b"c", &keys.staff);
    let _ = keys.case.decrypt(bytes, &CONTEXT);
    let _ = analytics.decrypt(bytes, &CONTEXT);
    let _ = open(&keys.intake, &SealPurpose::Intake { request_id: b"r" }, bytes);
    let _ = Keyring::open(bytes, &keys.session, b"s");
    let _ = Signature::from_bytes(bytes);
    let _ = RecoveryShare::from_bytes(bytes);
    let _ = open_org_keys(&keys.recovery, bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = RecoveryShare::from_text(text);
    }
}

fn any_kind() -> impl Strategy<Value = u8> {
    // Every kind this version knows, plus a few it does not.
    prop_oneof![1u8..=12, any::<u8>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        parse_everything(&bytes);
    }

    #[test]
    fn valid_header_then_arbitrary_bytes(
        version in prop_oneof![Just(1u8), any::<u8>()],
        kind in any_kind(),
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut bytes = vec![version, kind];
        bytes.extend_from_slice(&body);
        parse_everything(&bytes);
    }

    #[test]
    fn damaged_valid_blobs(
        sample in 0usize..12,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = KEYS.samples[sample].clone();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        parse_everything(&bytes);
    }

    #[test]
    fn arbitrary_share_text(text in "\\PC{0,200}") {
        let _ = RecoveryShare::from_text(&text);
    }
}

#[test]
fn the_samples_hold_one_blob_of_every_kind() {
    // The damaged-blob test reaches each parser's body only if there is a
    // valid blob of each kind to damage.
    let mut kinds: Vec<u8> = KEYS
        .samples
        .iter()
        .map(|b| inspect(b).unwrap().kind.id())
        .collect();
    kinds.sort_unstable();
    assert_eq!(kinds, (1..=12).collect::<Vec<u8>>());
}
