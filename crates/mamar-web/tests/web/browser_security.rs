//! The security page in the browser: replacing the authenticator app (the
//! current password and a code from the new app), in Arabic and English, on a
//! phone (390 pixels) and a desktop; and a security key named as it is added.
//! Screenshots `security-*` in `$MAMAR_SCREENSHOTS`.

use mamar_core::Locale;

use crate::browser::Browser;
use crate::browser_staff::{
    AddVirtualAuthenticator, click, code_for, press_enter_in, type_into, wait_for_path,
};
use crate::support::{ADMIN_PASSWORD, TestServer};

/// The administrator's first login in the browser, enrolling an app; returns its secret.
async fn first_login(browser: &Browser, base: &str, server: &TestServer, lang: &str) -> String {
    browser
        .client
        .goto(&format!("{base}/{lang}/staff/login"))
        .await
        .unwrap();
    type_into(browser, "username", "admin").await;
    type_into(browser, "password", ADMIN_PASSWORD).await;
    press_enter_in(browser, "password").await;
    wait_for_path(browser, &format!("/{lang}/staff/login/enrol")).await;
    let secret = browser.text("#totp-secret").await;
    type_into(browser, "code", &code_for(server, &secret)).await;
    press_enter_in(browser, "code").await;
    wait_for_path(browser, &format!("/{lang}/staff/")).await;
    secret
}

async fn replace_the_app(lang: &str, replaced: &str) {
    let server = TestServer::set_up(Locale::Ar).await;
    let browser = Browser::launch(false).await;
    let old = first_login(&browser, &server.base, &server, lang).await;
    browser
        .client
        .goto(&format!("{}/{lang}/staff/security", server.base))
        .await
        .unwrap();
    browser.desktop_and_phone(&format!("security-{lang}")).await;
    click(&browser, "replace-app").await;
    wait_for_path(&browser, &format!("/{lang}/staff/security/authenticator")).await;
    let new = browser.text("#totp-secret").await;
    assert_ne!(new, old);
    browser
        .desktop_and_phone(&format!("security-new-app-{lang}"))
        .await;
    server.clock.advance(30);
    type_into(&browser, "code", &code_for(&server, &new)).await;
    type_into(&browser, "password", ADMIN_PASSWORD).await;
    press_enter_in(&browser, "password").await;
    for _ in 0..100 {
        if browser
            .client
            .find(fantoccini::Locator::Css(".notice"))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(browser.text(".notice").await, replaced);
    browser
        .desktop_and_phone(&format!("security-app-replaced-{lang}"))
        .await;
    browser.close().await;

    // Over HTTP: the old app's code no longer logs in.
    let (half, next) = server.password_step(lang, "admin", ADMIN_PASSWORD).await;
    let page = server.get_with_cookie(&next, &half).await.text();
    server.clock.advance(30);
    let refused = server
        .post_form(
            &next,
            &[
                ("csrf", &crate::support::hidden_value(&page, "csrf")),
                ("code", &code_for(&server, &old)),
            ],
            Some(&half),
        )
        .await;
    assert_eq!(refused.status, 401);
}

#[tokio::test]
async fn the_authenticator_app_is_replaced_from_the_security_page_in_arabic() {
    replace_the_app(
        "ar",
        "صار التطبيق الجديد هو المستعمل. رموز التطبيق القديم لم تعد تعمل.",
    )
    .await;
}

#[tokio::test]
async fn the_authenticator_app_is_replaced_from_the_security_page_in_english() {
    replace_the_app(
        "en",
        "The new authenticator app is in use. Codes from the old one no longer work.",
    )
    .await;
}

#[tokio::test]
async fn a_security_key_gets_its_name_as_it_is_added() {
    let server =
        TestServer::fresh_with(|state| state.with_webauthn("http://localhost", "Test centre").unwrap()).await;
    server.initialise(Locale::Ar).await;
    // Security keys need a secure context: http://localhost is one.
    let base = server.base.replace("127.0.0.1", "localhost");
    let browser = Browser::launch(true).await;
    browser.client.issue_cmd(AddVirtualAuthenticator).await.unwrap();
    first_login(&browser, &base, &server, "ar").await;
    browser
        .client
        .goto(&format!("{base}/ar/staff/security"))
        .await
        .unwrap();
    type_into(&browser, "new-key-name", "المفتاح الأزرق").await;
    click(&browser, "add-key").await;
    for _ in 0..100 {
        if browser
            .client
            .find(fantoccini::Locator::Css(".key-name"))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(browser.text(".key-name").await, "المفتاح الأزرق");
    browser.desktop_and_phone("security-key-named-ar").await;
    browser.close().await;
}
