//! Logging in unlocks a staff member's keys for the session only: the
//! database keeps the keyring encrypted under a key that lives in the cookie.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mamar_core::Locale;

use crate::support::{ADMIN_PASSWORD, TestServer};

async fn log_in(server: &TestServer) -> String {
    server.log_in("ar").await
}

fn token_bytes(cookie: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(cookie.split_once('=').unwrap().1).unwrap()
}

#[tokio::test]
async fn the_password_alone_opens_only_the_second_factor_step() {
    let server = TestServer::set_up(Locale::Ar).await;
    let reply = server
        .post_form(
            "/ar/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(
        reply.header("location"),
        Some("/ar/staff/login/enrol"),
        "the first login enrols a second factor"
    );
    let set_cookie = reply.header("set-cookie").unwrap();
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "cookie lacks {attribute}: {set_cookie}"
        );
    }
    let half = reply.cookie().unwrap();
    for page in [
        "/ar/staff/",
        "/ar/staff/inbox",
        "/ar/staff/accounts",
        "/ar/staff/security",
    ] {
        let reply = server.get_with_cookie(page, &half).await;
        assert_eq!(reply.status, 303, "{page}");
        assert_eq!(reply.header("location"), Some("/ar/staff/login/enrol"), "{page}");
    }
    // After enrolment, the full session is a new one: the half-finished cookie is dead.
    let full = server.log_in("ar").await;
    assert_ne!(token_bytes(&full), token_bytes(&half));
    let (_, next) = server.password_step("ar", "admin", ADMIN_PASSWORD).await;
    assert_eq!(next, "/ar/staff/login/code", "later logins ask for a code");
}

#[tokio::test]
async fn logging_in_unlocks_the_organisation_keys_for_the_session() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = log_in(&server).await;
    let home = server.get_with_cookie("/ar/staff/", &cookie).await;
    assert_eq!(home.status, 200);
    let html = home.text();
    assert!(html.contains("admin"), "{html}");
    for kind in ["الاستقبال", "التحليل", "الربط", "التوقيع"] {
        assert!(html.contains(kind), "key {kind} not unlocked: {html}");
    }
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let english = server.get_with_cookie("/en/staff/", &cookie).await.text();
    assert!(english.contains("Intake (reading new requests)"));
}

#[tokio::test]
async fn the_database_never_holds_the_session_key() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = log_in(&server).await;
    let token = token_bytes(&cookie);
    assert_eq!(token.len(), 48);
    let (id, key) = token.split_at(16);
    let record = server
        .store
        .session(&id.try_into().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!record.keyring.windows(key.len()).any(|w| w == key));
    for entry in std::fs::read_dir(server.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key),
            "the session key reached a database file"
        );
    }
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_get_the_same_answer() {
    let server = TestServer::set_up(Locale::En).await;
    let wrong = server
        .post_form(
            "/en/staff/login",
            &[("username", "admin"), ("password", "not the password at all")],
            None,
        )
        .await;
    let unknown = server
        .post_form(
            "/en/staff/login",
            &[("username", "nobody"), ("password", "not the password at all")],
            None,
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert!(wrong.header("set-cookie").is_none());
    let strip = |reply: &crate::support::Reply, name: &str| reply.text().replace(name, "");
    assert_eq!(strip(&wrong, "admin"), strip(&unknown, "nobody"));
    assert!(
        wrong
            .text()
            .contains("Login failed: the user name or password is wrong")
    );
    // A form missing its fields is the same refusal, not an error.
    let empty = server.post_form("/en/staff/login", &[], None).await;
    assert_eq!(empty.status, 401);
}

#[tokio::test]
async fn without_a_valid_cookie_the_workspace_sends_you_to_log_in() {
    let server = TestServer::set_up(Locale::Ar).await;
    assert_eq!(
        server.get("/ar/staff/").await.header("location"),
        Some("/ar/staff/login")
    );
    let cookie = log_in(&server).await;
    // Same session id, another key: the keyring does not open.
    let mut token = token_bytes(&cookie);
    token[40] ^= 1;
    let forged = format!("mamar_staff={}", URL_SAFE_NO_PAD.encode(&token));
    let reply = server.get_with_cookie("/ar/staff/", &forged).await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/ar/staff/login"));
    let garbage = server.get_with_cookie("/ar/staff/", "mamar_staff=%%%").await;
    assert_eq!(garbage.status, 303);
}

#[tokio::test]
async fn an_idle_session_expires_and_is_destroyed() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = log_in(&server).await;
    let id: [u8; 16] = token_bytes(&cookie)[..16].try_into().unwrap();
    server.store.touch_session(&id, 1).await.unwrap();
    let reply = server.get_with_cookie("/ar/staff/", &cookie).await;
    assert_eq!(reply.header("location"), Some("/ar/staff/login"));
    assert!(
        server.store.session(&id).await.unwrap().is_none(),
        "the expired session's keyring is still stored"
    );
}

#[tokio::test]
async fn a_session_in_use_still_ends_after_twelve_hours() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = log_in(&server).await;
    let id: [u8; 16] = token_bytes(&cookie)[..16].try_into().unwrap();
    // Used every twenty minutes, it is never idle for long: it lives until 11 h 40 min and more.
    // (The test's clock runs on from the real one, so it stays clear of 12 h exactly.)
    for _ in 0..35 {
        server.clock.advance(20 * 60);
        let reply = server.get_with_cookie("/ar/staff/", &cookie).await;
        assert_eq!(reply.status, 200, "ended early");
    }
    server.clock.advance(20 * 60 + 60);
    let reply = server.get_with_cookie("/ar/staff/", &cookie).await;
    assert_eq!(reply.header("location"), Some("/ar/staff/login"));
    assert!(server.store.session(&id).await.unwrap().is_none());
}

#[tokio::test]
async fn a_password_alone_opens_the_second_factor_step_for_five_minutes_only() {
    let server = TestServer::set_up(Locale::Ar).await;
    let (cookie, next) = server.password_step("ar", "admin", ADMIN_PASSWORD).await;
    let id: [u8; 16] = token_bytes(&cookie)[..16].try_into().unwrap();
    server.clock.advance(4 * 60);
    assert_eq!(server.get_with_cookie(&next, &cookie).await.status, 200);
    server.clock.advance(61);
    let reply = server.get_with_cookie(&next, &cookie).await;
    assert_eq!(reply.header("location"), Some("/ar/staff/login"));
    assert!(
        server.store.session(&id).await.unwrap().is_none(),
        "the half-open session's keyring is still stored"
    );
}

#[tokio::test]
async fn logging_out_needs_the_form_token_and_destroys_the_keys() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = log_in(&server).await;
    let id: [u8; 16] = token_bytes(&cookie)[..16].try_into().unwrap();

    let refused = server
        .post_form("/ar/staff/logout", &[("csrf", "forged")], Some(&cookie))
        .await;
    assert_eq!(refused.status, 403);
    assert!(server.store.session(&id).await.unwrap().is_some());

    let home = server.get_with_cookie("/ar/staff/", &cookie).await.text();
    let csrf = crate::support::hidden_value(&home, "csrf");
    let reply = server
        .post_form("/ar/staff/logout", &[("csrf", &csrf)], Some(&cookie))
        .await;
    assert_eq!(reply.status, 303);
    assert!(reply.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert!(server.store.session(&id).await.unwrap().is_none());
    assert_eq!(server.get_with_cookie("/ar/staff/", &cookie).await.status, 303);
}

/// Argon2id takes 64 MiB or more a derivation: a burst of logins must queue
/// for the few permits rather than exhaust the server's memory. One login runs
/// two derivations (password and duress password), so it waits for two.
#[tokio::test]
async fn logins_wait_for_both_password_hashing_permits() {
    let mut permits = None;
    let server = TestServer::fresh_with(|state| {
        permits = Some(state.unlock_permits.clone());
        state
    })
    .await;
    server.initialise(Locale::Ar).await;
    let permits = permits.unwrap();
    assert_eq!(permits.available_permits(), 2, "two derivations at once at most");
    let mut held = permits.clone().acquire_many_owned(2).await.unwrap();
    let login = server.password_step("ar", "admin", ADMIN_PASSWORD);
    tokio::pin!(login);
    let wait = std::time::Duration::from_millis(500);
    assert!(
        tokio::time::timeout(wait, &mut login).await.is_err(),
        "a login hashed a password without a permit"
    );
    let last = held.split(1).unwrap();
    drop(held);
    assert!(
        tokio::time::timeout(wait, &mut login).await.is_err(),
        "a login ran its two derivations on one permit"
    );
    drop(last);
    let (_, next) = login.await;
    assert_eq!(next, "/ar/staff/login/enrol");
    assert_eq!(permits.available_permits(), 2, "the login gave its permits back");
}

#[tokio::test]
async fn every_staff_page_carries_the_same_navigation_with_its_counts() {
    let server = crate::support::TestServer::set_up(mamar_core::Locale::En).await;
    let cookie = server.log_in("en").await;
    let mut seen = 0;
    for spec in mamar_web::routes::route_specs() {
        use mamar_web::auth::Access;
        let staff_only = matches!(
            spec.access,
            Access::Staff | Access::StaffUpload | Access::Roles(_) | Access::RolesUpload(_)
        );
        let without_object = !spec.path.replace("{lang}", "").contains('{');
        if spec.method != "GET" || !staff_only || !without_object {
            continue;
        }
        for lang in ["ar", "en"] {
            let path = spec.path.replace("{lang}", lang);
            let reply = server.get_with_cookie(&path, &cookie).await;
            assert_eq!(reply.status, 200, "{path}");
            let html = reply.text();
            assert!(
                html.contains("<nav class=\"staff-nav\""),
                "{path} has no workspace navigation"
            );
            assert!(html.contains("class=\"count"), "{path} shows no counts");
            seen += 1;
        }
    }
    assert!(seen >= 12, "only {seen} pages were looked at");
}
