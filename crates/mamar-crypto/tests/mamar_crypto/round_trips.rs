//! Every construction, end to end through the public API, the way the
//! server and the command line will use it.

use mamar_crypto::{
    CaseKey, Codename, CryptoError, KdfParams, Keyring, OrgKey, OrgKeyKind, OrgPublicKey, Password,
    RecordContext, RecoverySecret, RequesterKeys, SealPurpose, SecretBytes, SessionKey, Signature,
    SignaturePurpose, StaffKeyPair, StaffPublicKeys, combine, open, open_org_keys, rewrap_with_password,
    seal, seal_org_keys, split,
};

fn params() -> KdfParams {
    KdfParams::test_profile()
}

const NOTE: RecordContext<'static> = RecordContext {
    record_id: &[7; 16],
    kind: "case.note",
    schema_version: 1,
};

#[test]
fn staff_keys_unlock_with_the_password_and_survive_a_password_change() {
    let staff = StaffKeyPair::generate().unwrap();
    let public = StaffPublicKeys::from_bytes(&staff.public_keys().to_bytes()).unwrap();
    let wrapped = staff
        .wrap_with_password(&Password::from("first password"), &params())
        .unwrap();
    assert_eq!(StaffKeyPair::password_kdf_params(&wrapped).unwrap(), params());

    let unlocked = StaffKeyPair::unwrap_with_password(&wrapped, &Password::from("first password")).unwrap();
    assert_eq!(unlocked.public_keys(), public);
    assert_eq!(
        StaffKeyPair::unwrap_with_password(&wrapped, &Password::from("first passworD")).unwrap_err(),
        CryptoError::WrongPassword
    );

    // A case key wrapped before the password change still opens after it.
    let case = CaseKey::generate().unwrap();
    let wrapped_case = case.wrap_to(&public, b"case-1").unwrap();
    let slower = KdfParams {
        t_cost: 2,
        ..params()
    };
    let rewrapped = rewrap_with_password(
        &wrapped,
        &Password::from("first password"),
        &Password::from("second password"),
        &slower,
    )
    .unwrap();
    assert_eq!(StaffKeyPair::password_kdf_params(&rewrapped).unwrap(), slower);
    assert!(StaffKeyPair::unwrap_with_password(&rewrapped, &Password::from("first password")).is_err());
    let after = StaffKeyPair::unwrap_with_password(&rewrapped, &Password::from("second password")).unwrap();
    assert_eq!(after.public_keys(), public);
    let reopened = CaseKey::unwrap(&wrapped_case, b"case-1", &after).unwrap();
    let record = case.encrypt(b"unchanged", &NOTE).unwrap();
    assert_eq!(
        reopened.decrypt(&record, &NOTE).unwrap().expose_secret(),
        b"unchanged"
    );
}

#[test]
fn every_password_wrap_uses_a_fresh_salt() {
    let staff = StaffKeyPair::generate().unwrap();
    let a = staff
        .wrap_with_password(&Password::from("pw"), &params())
        .unwrap();
    let b = staff
        .wrap_with_password(&Password::from("pw"), &params())
        .unwrap();
    assert_ne!(a, b);
}

#[test]
fn case_keys_reach_only_the_staff_they_were_wrapped_to() {
    let alice = StaffKeyPair::generate().unwrap();
    let bob = StaffKeyPair::generate().unwrap();
    let case = CaseKey::generate().unwrap();
    let record = case.encrypt("خطة العبور".as_bytes(), &NOTE).unwrap();

    let for_alice = case.wrap_to(&alice.public_keys(), b"case-1").unwrap();
    let alice_key = CaseKey::unwrap(&for_alice, b"case-1", &alice).unwrap();
    assert_eq!(
        alice_key.decrypt(&record, &NOTE).unwrap().expose_secret(),
        "خطة العبور".as_bytes()
    );

    assert_eq!(
        CaseKey::unwrap(&for_alice, b"case-1", &bob).unwrap_err(),
        CryptoError::Decrypt
    );
    assert_eq!(
        CaseKey::unwrap(&for_alice, b"case-2", &alice).unwrap_err(),
        CryptoError::Decrypt,
        "a wrapped key cannot be replayed as another case's key"
    );
}

#[test]
fn removing_someone_rekeys_the_case() {
    let stays = StaffKeyPair::generate().unwrap();
    let leaves = StaffKeyPair::generate().unwrap();
    let old = CaseKey::generate().unwrap();
    let record = old.encrypt(b"route", &NOTE).unwrap();
    let leaver_copy =
        CaseKey::unwrap(&old.wrap_to(&leaves.public_keys(), b"c").unwrap(), b"c", &leaves).unwrap();

    let new = CaseKey::generate().unwrap();
    let moved = old.reencrypt(&record, &NOTE, &new).unwrap();
    let wrapped_for_stayer = new.wrap_to(&stays.public_keys(), b"c").unwrap();
    let stayer_key = CaseKey::unwrap(&wrapped_for_stayer, b"c", &stays).unwrap();
    assert_eq!(
        stayer_key.decrypt(&moved, &NOTE).unwrap().expose_secret(),
        b"route"
    );
    assert_eq!(
        leaver_copy.decrypt(&moved, &NOTE).unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn organisation_keys_are_wrapped_to_holders_and_rotated() {
    let admin = StaffKeyPair::generate().unwrap();
    let analyst = StaffKeyPair::generate().unwrap();
    let holders = [admin.public_keys(), analyst.public_keys()];
    for key in OrgKey::generate_all(1).unwrap() {
        let wrapped = key.wrap_for_holders(&holders).unwrap();
        assert_eq!(OrgKey::inspect_wrapped(&wrapped[1]).unwrap(), (key.kind(), 1));
        let unwrapped = OrgKey::unwrap(&wrapped[1], &analyst).unwrap();
        assert_eq!(unwrapped.kind(), key.kind());
        assert_eq!(unwrapped.generation(), 1);
        assert_eq!(
            unwrapped.public_key().map(|p| p.to_bytes()),
            key.public_key().map(|p| p.to_bytes())
        );
        assert_eq!(
            OrgKey::unwrap(&wrapped[0], &analyst).unwrap_err(),
            CryptoError::Decrypt
        );
    }

    let analytics = OrgKey::generate(OrgKeyKind::Analytics, 1).unwrap();
    let facets = analytics
        .analytics()
        .unwrap()
        .encrypt(b"governorate=Idlib", &NOTE)
        .unwrap();
    let next = analytics.rotate().unwrap();
    assert_eq!(next.generation(), 2);
    let rewrapped = next.wrap_for_holders(&holders).unwrap();
    let unwrapped = OrgKey::unwrap(&rewrapped[0], &admin).unwrap();
    assert_eq!(unwrapped.generation(), 2);
    assert!(unwrapped.analytics().unwrap().decrypt(&facets, &NOTE).is_err());
    assert_eq!(
        analytics
            .analytics()
            .unwrap()
            .decrypt(&facets, &NOTE)
            .unwrap()
            .expose_secret(),
        b"governorate=Idlib"
    );
}

#[test]
fn intake_is_sealed_to_the_public_key_and_opened_by_a_holder() {
    let admin = StaffKeyPair::generate().unwrap();
    let intake = OrgKey::generate(OrgKeyKind::Intake, 1).unwrap();
    let stored_public = intake.public_key().unwrap().to_bytes();
    let wrapped = intake.wrap_to(&admin.public_keys()).unwrap();
    drop(intake);

    // The server holds only the public half.
    let public = OrgPublicKey::from_bytes(&stored_public).unwrap();
    let purpose = SealPurpose::Intake {
        request_id: b"request-9",
    };
    let sealed = seal(public.intake().unwrap(), &purpose, "أريد المساعدة".as_bytes()).unwrap();

    let unlocked = OrgKey::unwrap(&wrapped, &admin).unwrap();
    let opened = open(unlocked.intake().unwrap(), &purpose, &sealed).unwrap();
    assert_eq!(opened.expose_secret(), "أريد المساعدة".as_bytes());
    assert!(unlocked.analytics().is_none());
}

#[test]
fn replies_reach_the_requester_who_comes_back_with_the_codename() {
    let salt = mamar_crypto::generate_salt().unwrap();
    let at_intake =
        RequesterKeys::derive(&Codename::from("zaytoun nahr qamar 42"), &salt, &params()).unwrap();
    let stored_tag = *at_intake.lookup_tag().as_bytes();
    let stored_public = at_intake.encryption().public_key().to_bytes();

    let reply = SealPurpose::Reply {
        request_id: b"request-9",
    };
    let recipient = mamar_crypto::EncryptionPublicKey::from_bytes(stored_public);
    let sealed = seal(&recipient, &reply, b"we will call at nine").unwrap();

    let returning =
        RequesterKeys::derive(&Codename::from("zaytoun nahr qamar 42"), &salt, &params()).unwrap();
    assert_eq!(returning.lookup_tag().as_bytes(), &stored_tag);
    assert_eq!(
        open(returning.encryption(), &reply, &sealed)
            .unwrap()
            .expose_secret(),
        b"we will call at nine"
    );
    let guesser = RequesterKeys::derive(&Codename::from("zaytoun nahr qamar 43"), &salt, &params()).unwrap();
    assert_ne!(guesser.lookup_tag().as_bytes(), &stored_tag);
    assert_eq!(
        open(guesser.encryption(), &reply, &sealed).unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn a_session_keyring_round_trips_with_everything_it_unlocked() {
    let staff = StaffKeyPair::generate().unwrap();
    let public = staff.public_keys();
    let org_keys = OrgKey::generate_all(3).unwrap();
    let signing_public = org_keys[3].public_key().unwrap().to_bytes();
    let session = SessionKey::generate().unwrap();
    let blob = Keyring::new(staff, org_keys).seal(&session, b"sid-1").unwrap();

    let cookie = *session.expose_secret();
    let restored = Keyring::open(&blob, &SessionKey::from_bytes(cookie), b"sid-1").unwrap();
    assert_eq!(restored.staff().public_keys(), public);
    let signing = restored.org_key(OrgKeyKind::Signing).unwrap();
    assert_eq!(signing.public_key().unwrap().to_bytes(), signing_public);
    assert_eq!(signing.generation(), 3);
}

#[test]
fn signatures_survive_storage_and_verify_against_the_published_key() {
    let org = OrgKey::generate(OrgKeyKind::Signing, 1).unwrap();
    let published = OrgPublicKey::from_bytes(&org.public_key().unwrap().to_bytes()).unwrap();
    let card = "هاتف: +000 / Signal: @mamar".as_bytes();
    let stored = org
        .signing()
        .unwrap()
        .sign(SignaturePurpose::ContactCard, card)
        .to_bytes();

    let signature = Signature::from_bytes(&stored).unwrap();
    let key = published.signing().unwrap();
    key.verify(SignaturePurpose::ContactCard, card, &signature)
        .unwrap();
    assert_eq!(
        key.verify(SignaturePurpose::ContactCard, b"forged card", &signature)
            .unwrap_err(),
        CryptoError::BadSignature
    );
    assert_eq!(key.fingerprint().to_string().len(), 16 * 4 + 15);
}

#[test]
fn trustees_restore_the_organisation_keys() {
    let secret = RecoverySecret::generate().unwrap();
    let keys = OrgKey::generate_all(1).unwrap();
    let intake_public = keys[0].public_key().unwrap().to_bytes();
    let bundle = seal_org_keys(&secret, &keys).unwrap();
    let shares: Vec<String> = split(&secret, 3, 5)
        .unwrap()
        .iter()
        .map(|share| share.to_text().to_string())
        .collect();
    drop(secret);

    let brought: Vec<_> = [&shares[4], &shares[0], &shares[2]]
        .iter()
        .map(|text| mamar_crypto::RecoveryShare::from_text(text).unwrap())
        .collect();
    let rebuilt = combine(&brought).unwrap();
    let restored = open_org_keys(&rebuilt, &bundle).unwrap();
    assert_eq!(restored.len(), 4);
    assert_eq!(restored[0].public_key().unwrap().to_bytes(), intake_public);

    // A new administrator gets the restored keys.
    let new_admin = StaffKeyPair::generate().unwrap();
    for key in &restored {
        let wrapped = key.wrap_to(&new_admin.public_keys()).unwrap();
        assert_eq!(OrgKey::unwrap(&wrapped, &new_admin).unwrap().kind(), key.kind());
    }

    let two = [brought.into_iter().next().unwrap()];
    assert!(combine(&two).is_err());
    let stranger = RecoverySecret::generate().unwrap();
    assert_eq!(
        open_org_keys(&stranger, &bundle).unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn decrypted_content_is_a_secret_type() {
    let key = CaseKey::generate().unwrap();
    let blob = key.encrypt(b"canary-91c2", &NOTE).unwrap();
    let plain: SecretBytes = key.decrypt(&blob, &NOTE).unwrap();
    assert!(!format!("{plain:?} {plain}").contains("canary"));
    assert!(!format!("{key:?}").contains("canary"));
}

#[test]
fn an_escrowed_case_key_opens_only_with_k_administrators_shares() {
    let key = CaseKey::generate().unwrap();
    let secret = RecoverySecret::generate().unwrap();
    let escrow = secret.break_glass_key_pair();
    let wrapped = key.wrap_to_escrow(escrow.public_key(), b"case-1").unwrap();
    let record = RecordContext {
        record_id: b"r",
        kind: "case.note",
        schema_version: 1,
    };
    let blob = key.encrypt(b"note", &record).unwrap();
    let shares = split(&secret, 2, 3).unwrap();
    drop(secret);
    // One share rebuilds nothing.
    assert!(combine(&shares[..1]).is_err());
    // Two do, and open the escrow of that case only.
    let rebuilt = combine(&shares[1..]).unwrap();
    let pair = rebuilt.break_glass_key_pair();
    let opened = CaseKey::unwrap_escrow(&wrapped, b"case-1", &pair).unwrap();
    assert_eq!(opened.decrypt(&blob, &record).unwrap().expose_secret(), b"note");
    assert!(CaseKey::unwrap_escrow(&wrapped, b"case-2", &pair).is_err());
    // An administrator's own keys open neither the escrow nor (as a staff wrap) it.
    let admin = StaffKeyPair::generate().unwrap();
    assert!(CaseKey::unwrap(&wrapped, b"case-1", &admin).is_err());
    // A staff wrap is not an escrow wrap, even for the escrow's holder.
    let staff_wrap = key.wrap_to(&admin.public_keys(), b"case-1").unwrap();
    assert!(CaseKey::unwrap_escrow(&staff_wrap, b"case-1", &pair).is_err());
    // The recovery (backup) key pair of the same secret is another key.
    assert_ne!(rebuilt.backup_key_pair().public_key(), pair.public_key());
}
