//! A person's own security page: changing their password, the list of their
//! keys with the day each was added and removing one, naming and renaming
//! their keys (the name sealed to their own key: never in the database file),
//! and replacing the authenticator app only with the current password and a
//! code from the new app, after which the old app's codes no longer log in.

use mamar_core::{Locale, Username};

use crate::support::{ADMIN_PASSWORD, TestServer, hidden_value};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A server where security keys work (at `http://localhost`), its
/// administrator's session cookie and staff id.
async fn administrator_with_security_keys() -> (TestServer, String, mamar_core::StaffId) {
    let server =
        TestServer::fresh_with(|state| state.with_webauthn("http://localhost", "Test centre").unwrap()).await;
    server.initialise(Locale::En).await;
    let admin = server.log_in("en").await;
    let staff = server
        .store
        .staff_by_username(&Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    (server, admin, staff)
}

#[tokio::test]
async fn a_person_names_and_renames_their_keys_and_the_name_is_never_stored_in_the_clear() {
    let (server, admin, staff) = administrator_with_security_keys().await;
    server
        .store
        .add_webauthn_credential(staff, b"key-one", b"{}", 1_796_472_000)
        .await
        .unwrap();
    let page = server.get_with_cookie("/en/staff/security", &admin).await.text();
    assert!(
        page.contains(r#"id="new-key-name""#),
        "a name is asked when a key is added"
    );
    let csrf = hidden_value(&page, "csrf");
    let one = "6b65792d6f6e65";
    let rename = |key: &'static str, name: &'static str| {
        let (server, admin, csrf) = (&server, admin.clone(), csrf.clone());
        async move {
            server
                .post_form(
                    "/en/staff/security/key/rename",
                    &[("csrf", &csrf), ("key", key), ("name", name)],
                    Some(&admin),
                )
                .await
        }
    };

    let name = "مفتاح أزرق <b>SECRETLABEL";
    let named = rename(one, name).await;
    assert_eq!(named.status, 200);
    let html = named.text();
    assert!(html.contains("s name is saved."), "{html}");
    assert!(
        html.contains("مفتاح أزرق &#60;b&#62;SECRETLABEL"),
        "escaped: {html}"
    );
    assert!(!html.contains("<b>SECRETLABEL"), "{html}");
    let stored = server.store.webauthn_key_list(staff).await.unwrap();
    let sealed = stored[0].name_sealed.clone().expect("a sealed name");
    assert!(!contains(&sealed, b"SECRETLABEL"));
    for file in std::fs::read_dir(server.data_dir()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!contains(&bytes, b"SECRETLABEL"), "the name is in a file");
        assert!(!contains(&bytes, "مفتاح أزرق".as_bytes()));
    }

    // Renamed, refused when too long or not theirs, unnamed when emptied.
    assert!(rename(one, "work phone").await.text().contains("work phone"));
    let long = rename(one, "0123456789012345678901234567890123456789X").await;
    assert_eq!(long.status, 422);
    assert!(long.text().contains("That name is too long"));
    assert!(long.text().contains("work phone"), "the old name stays");
    let stranger = rename("6b65792d74776f", "mine now").await;
    assert_eq!(stranger.status, 422);
    assert!(stranger.text().contains("That key is not one of yours."));
    assert_eq!(rename(one, "  ").await.status, 200);
    assert_eq!(
        server.store.webauthn_key_list(staff).await.unwrap()[0].name_sealed,
        None
    );
}

/// The current code of a base32 secret at the server's clock.
fn code(server: &TestServer, secret: &str) -> String {
    let bytes = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).unwrap();
    format!(
        "{:06}",
        mamar_crypto::TotpSecret::from_bytes(bytes)
            .code_at(server.clock.now() as u64)
            .unwrap()
    )
}

#[tokio::test]
async fn the_authenticator_app_is_replaced_only_with_the_password_and_a_code_from_the_new_app() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("en").await;
    let page = server.get_with_cookie("/en/staff/security", &admin).await.text();
    assert!(page.contains("Replace the authenticator app"), "{page}");
    let form = server
        .get_with_cookie("/en/staff/security/authenticator", &admin)
        .await;
    assert_eq!(form.status, 200);
    let form = form.text();
    let secret = hidden_value(&form, "secret");
    let csrf = hidden_value(&form, "csrf");
    let replace = |code: String, password: &'static str| {
        let (server, admin, csrf, secret) = (&server, admin.clone(), csrf.clone(), secret.clone());
        async move {
            server
                .post_form(
                    "/en/staff/security/authenticator",
                    &[
                        ("csrf", &csrf),
                        ("secret", &secret),
                        ("code", &code),
                        ("password", password),
                    ],
                    Some(&admin),
                )
                .await
        }
    };
    server.clock.advance(30);
    let wrong_password = replace(code(&server, &secret), "not the password at all").await;
    assert_eq!(wrong_password.status, 401);
    assert_eq!(
        hidden_value(&wrong_password.text(), "secret"),
        secret,
        "the same new secret again"
    );
    let wrong_code = replace("000000".into(), ADMIN_PASSWORD).await;
    assert_eq!(wrong_code.status, 422);
    assert!(wrong_code.text().contains("That code is not from the new app"));
    // Nothing changed: the old app still logs in.
    server.log_in("en").await;

    server.clock.advance(30);
    let done = replace(code(&server, &secret), ADMIN_PASSWORD).await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("The new authenticator app is in use."));
    let entries = server.store.audit_entries(0, 1_000).await.unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|entry| entry.action.code() == "second_factor_enrolled")
            .count(),
        2,
        "the first enrolment and the replacement: {entries:?}"
    );

    // The old app's code no longer logs in; the new one's does.
    let (half, next) = server.password_step("en", "admin", ADMIN_PASSWORD).await;
    let page = server.get_with_cookie(&next, &half).await.text();
    let old = server.next_code("admin");
    let refused = server
        .post_form(
            &next,
            &[("csrf", &hidden_value(&page, "csrf")), ("code", &old)],
            Some(&half),
        )
        .await;
    assert_eq!(refused.status, 401, "the old app's code is refused");
    server.set_authenticator(
        "admin",
        data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).unwrap(),
    );
    server.log_in("en").await;
}

#[tokio::test]
async fn a_person_changes_their_own_password_on_their_security_page() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    let page = server.get_with_cookie("/en/staff/security", &admin).await.text();
    assert!(page.contains("Your password") && page.contains(r#"action="/en/staff/security/password""#));
    let csrf = hidden_value(&page, "csrf");
    let new = "a new passphrase of my own choosing";
    let change = |current: &'static str, again: &'static str| {
        let csrf = csrf.clone();
        let server = &server;
        let admin = admin.clone();
        async move {
            server
                .post_form(
                    "/en/staff/security/password",
                    &[
                        ("csrf", &csrf),
                        ("password", current),
                        ("new_password", "a new passphrase of my own choosing"),
                        ("new_password_confirm", again),
                    ],
                    Some(&admin),
                )
                .await
        }
    };
    let wrong = change("not my password at all", new).await;
    assert_eq!(wrong.status, 401);
    let mismatched = change(ADMIN_PASSWORD, "another passphrase entirely").await;
    assert_eq!(mismatched.status, 422);
    let done = change(ADMIN_PASSWORD, new).await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("Your password is changed."));
    // The old password no longer opens the account; the new one does.
    let old = server
        .post_form(
            "/en/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(old.status, 401);
    let again = server.log_in_as("en", "admin", new).await;
    assert_eq!(server.get_with_cookie("/en/staff/", &again).await.status, 200);
    let log = server.get_with_cookie("/en/staff/audit", &again).await.text();
    assert!(log.contains("Changed a password"));
}

#[tokio::test]
async fn a_person_sees_their_keys_with_the_day_each_was_added_and_removes_one() {
    let (server, admin, staff) = administrator_with_security_keys().await;
    // 2026-11-23 and 2026-12-05, noon UTC.
    for (credential, at) in [
        (b"key-one".as_slice(), 1_795_435_200),
        (b"key-two".as_slice(), 1_796_472_000),
    ] {
        server
            .store
            .add_webauthn_credential(staff, credential, b"{}", at)
            .await
            .unwrap();
    }
    let page = server.get_with_cookie("/en/staff/security", &admin).await.text();
    // (Fluent sets the date apart with direction isolates.)
    assert!(
        page.contains("A key added on \u{2068}2026-11-23\u{2069}"),
        "{page}"
    );
    assert!(page.contains("A key added on \u{2068}2026-12-05\u{2069}"));
    let csrf = hidden_value(&page, "csrf");
    let one = "6b65792d6f6e65"; // "key-one" in hex, as the page writes it
    assert!(page.contains(&format!(r#"name="key" value="{one}""#)));
    let remove = |key: &'static str, password: &'static str| {
        let (server, admin, csrf) = (&server, admin.clone(), csrf.clone());
        async move {
            server
                .post_form(
                    "/en/staff/security/key/remove",
                    &[("csrf", &csrf), ("key", key), ("password", password)],
                    Some(&admin),
                )
                .await
        }
    };
    assert_eq!(remove(one, "not my password at all").await.status, 401);
    assert_eq!(
        remove("6b65792d7468726565", ADMIN_PASSWORD).await.status,
        422,
        "not a key of theirs"
    );
    let removed = remove(one, ADMIN_PASSWORD).await;
    assert_eq!(removed.status, 200);
    let text = removed.text();
    assert!(text.contains("The key is removed"), "{text}");
    assert!(!text.contains("2026-11-23") && text.contains("2026-12-05"));
    assert_eq!(server.store.webauthn_key_list(staff).await.unwrap().len(), 1);
}
