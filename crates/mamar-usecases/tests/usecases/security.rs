//! A person's own second factors and duress keys: each acts on the caller's
//! own account only, key names open for their owner alone, and the last
//! second factor is kept.

use mamar_audit::Action;
use mamar_usecases::account::{self, AccountError};

use crate::world::{NOW, World};

async fn last_action(w: &World) -> Action {
    w.store.audit_head().await.unwrap().unwrap().action
}

pub async fn the_last_second_factor_is_kept_and_a_key_name_opens_for_its_owner_only(w: &World) {
    let s = w.store.as_ref();
    let me = &w.vetter;
    let (first, second) = (b"credential-one".as_slice(), b"credential-two".as_slice());
    s.add_webauthn_credential(me.record.id, first, b"passkey", NOW)
        .await
        .unwrap();
    s.add_webauthn_credential(me.record.id, second, b"passkey", NOW + 1)
        .await
        .unwrap();
    account::name_own_key(s, &me.caller(), first, Some("مفتاح المكتب"))
        .await
        .unwrap();
    // Nobody names a key that is not theirs.
    assert!(matches!(
        account::name_own_key(s, &w.coordinator.caller(), second, Some("x")).await,
        Err(AccountError::NoSuchKey)
    ));
    let own = account::own_security(s, &me.caller()).await.unwrap();
    assert!(!own.has_app && !own.has_duress);
    let names: Vec<(&[u8], &str)> = own
        .keys
        .iter()
        .map(|key| (key.credential_id.as_slice(), key.name.as_str()))
        .collect();
    assert_eq!(names, [(first, "مفتاح المكتب"), (second, "")]);
    // The stored name is sealed: another person's keys do not open it.
    let stored = s.webauthn_key_list(me.record.id).await.unwrap();
    let sealed = stored[0].name_sealed.as_deref().unwrap();
    assert!(!String::from_utf8_lossy(sealed).contains("مفتاح"));
    assert!(
        mamar_crypto::open(
            w.coordinator.keyring.staff().encryption(),
            &mamar_crypto::SealPurpose::KeyName { credential_id: first },
            sealed
        )
        .is_err()
    );
    assert!(
        account::own_security(s, &w.coordinator.caller())
            .await
            .unwrap()
            .keys
            .is_empty(),
        "another person sees none of these keys"
    );

    // Another person cannot remove them; the owner removes one, not the last.
    assert!(matches!(
        account::remove_own_key(s, &w.coordinator.caller(), first, NOW).await,
        Err(AccountError::NoSuchKey)
    ));
    account::remove_own_key(s, &me.caller(), first, NOW)
        .await
        .unwrap();
    assert_eq!(last_action(w).await, Action::SecondFactorRemoved);
    assert!(matches!(
        account::remove_own_key(s, &me.caller(), second, NOW).await,
        Err(AccountError::LastSecondFactor)
    ));
    assert!(matches!(
        account::remove_own_key(s, &me.caller(), first, NOW).await,
        Err(AccountError::NoSuchKey)
    ));
    // With an authenticator app beside it, the last key may go.
    s.set_totp(me.record.id, Some(b"sealed secret")).await.unwrap();
    assert!(account::own_security(s, &me.caller()).await.unwrap().has_app);
    account::remove_own_key(s, &me.caller(), second, NOW)
        .await
        .unwrap();
    assert!(s.webauthn_key_list(me.record.id).await.unwrap().is_empty());
}

pub async fn duress_keys_and_a_new_password_are_the_callers_own_and_recorded(w: &World) {
    let s = w.store.as_ref();
    let me = &w.coordinator;
    assert!(account::own_duress_keys(s, &me.caller()).await.unwrap().is_none());
    account::set_own_duress_keys(s, &me.caller(), Some(b"duress wrap"), NOW)
        .await
        .unwrap();
    assert_eq!(last_action(w).await, Action::DuressPasswordSet);
    assert_eq!(
        account::own_duress_keys(s, &me.caller()).await.unwrap(),
        Some(b"duress wrap".to_vec())
    );
    assert!(account::own_security(s, &me.caller()).await.unwrap().has_duress);
    assert!(
        account::own_duress_keys(s, &w.vetter.caller())
            .await
            .unwrap()
            .is_none(),
        "someone else's duress keys stay theirs"
    );
    account::set_own_duress_keys(s, &me.caller(), None, NOW)
        .await
        .unwrap();
    assert_eq!(last_action(w).await, Action::DuressPasswordRemoved);
    assert!(!account::own_security(s, &me.caller()).await.unwrap().has_duress);

    // A refused change is recorded as denied and changes nothing.
    let before = s.staff_by_id(me.record.id).await.unwrap().unwrap();
    account::finish_password_change(s, &me.caller(), None, NOW)
        .await
        .unwrap();
    let head = s.audit_head().await.unwrap().unwrap();
    assert_eq!(
        (head.action, head.outcome),
        (Action::PasswordChanged, mamar_audit::Outcome::Denied)
    );
    assert_eq!(s.staff_by_id(me.record.id).await.unwrap().unwrap(), before);
    account::finish_password_change(s, &me.caller(), Some(b"new wrap"), NOW)
        .await
        .unwrap();
    let head = s.audit_head().await.unwrap().unwrap();
    assert_eq!(
        (head.action, head.outcome),
        (Action::PasswordChanged, mamar_audit::Outcome::Ok)
    );
    assert_eq!(
        s.staff_by_id(me.record.id)
            .await
            .unwrap()
            .unwrap()
            .wrapped_secret_keys,
        b"new wrap"
    );
}
