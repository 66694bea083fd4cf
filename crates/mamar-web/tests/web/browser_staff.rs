//! Staff accounts in the browser, with the keyboard, JavaScript off: an
//! invitation, a password, a second factor, logging in and out; a lockout;
//! a duress login. In Arabic (right to left), with an English check.

use fantoccini::Locator;
use fantoccini::key::Key;
use mamar_core::Locale;
use serde_json::json;

use crate::browser::Browser;
use crate::support::TestServer;

const PASSWORD: &str = "قمر فوق النهر والجسر القديم";
const DURESS: &str = "the green door under the stairs";

pub(crate) async fn type_into(browser: &Browser, id: &str, text: &str) {
    let field = browser.client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Submits the focused field's form the keyboard way.
pub(crate) async fn press_enter_in(browser: &Browser, id: &str) {
    let field = browser.client.find(Locator::Id(id)).await.unwrap();
    field.send_keys(&Key::Enter.to_string()).await.unwrap();
}

pub(crate) async fn wait_for_path(browser: &Browser, path: &str) {
    for _ in 0..100 {
        if browser.client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let reason = browser
        .script(
            "var f = document.getElementById('key-failed'); return f ? f.getAttribute('data-reason') : null;",
        )
        .await;
    panic!(
        "never reached {path}: at {} (key failure: {reason})",
        browser.client.current_url().await.unwrap()
    );
}

async fn log_in(browser: &Browser, server: &TestServer, username: &str, password: &str) {
    browser
        .client
        .goto(&format!("{}/ar/staff/login", server.base))
        .await
        .unwrap();
    type_into(browser, "username", username).await;
    type_into(browser, "password", password).await;
    press_enter_in(browser, "password").await;
}

pub(crate) fn code_for(server: &TestServer, secret: &str) -> String {
    let bytes = data_encoding::BASE32_NOPAD
        .decode(secret.replace(' ', "").as_bytes())
        .unwrap();
    let secret = mamar_crypto::TotpSecret::from_bytes(bytes);
    format!("{:06}", secret.code_at(server.clock.now() as u64).unwrap())
}

#[tokio::test]
async fn an_invitee_sets_a_password_enrols_a_second_factor_logs_in_and_out_with_the_keyboard() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    let accounts = server.get_with_cookie("/ar/staff/accounts", &admin).await.text();
    let csrf = crate::support::hidden_value(&accounts, "csrf");
    let invited = server
        .post_form(
            "/ar/staff/accounts/invite",
            &[
                ("csrf", &csrf),
                ("username", "salma"),
                ("role", "vetting-officer"),
            ],
            Some(&admin),
        )
        .await
        .text();
    let link = invited
        .split(r#"id="invitation-link">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();

    let browser = Browser::launch(false).await;
    browser
        .client
        .goto(&format!("{}{link}", server.base))
        .await
        .unwrap();
    let root = browser
        .script("return [document.documentElement.lang, document.documentElement.dir];")
        .await;
    assert_eq!(root, json!(["ar", "rtl"]));
    assert!(browser.text("main").await.contains("salma"));
    // A short password first: the page says why, in Arabic, and keeps nothing.
    type_into(&browser, "password", "قصيرة").await;
    type_into(&browser, "confirm", "قصيرة").await;
    browser.screenshot("staff-invitation-ar").await;
    // minlength stops the browser itself; the server's own check is tested over HTTP.
    type_into(&browser, "password", PASSWORD).await;
    type_into(&browser, "confirm", PASSWORD).await;
    press_enter_in(&browser, "confirm").await;
    wait_for_path(&browser, "/ar/staff/login").await;
    assert!(browser.text(".notice").await.contains("حسابك جاهز"));

    log_in(&browser, &server, "salma", PASSWORD).await;
    wait_for_path(&browser, "/ar/staff/login/enrol").await;
    let secret = browser.text("#totp-secret").await;
    let qr = browser
        .script("return document.querySelector('img.qr').naturalWidth;")
        .await;
    assert!(qr.as_u64().unwrap() > 0, "the QR code renders");
    browser.screenshot("staff-enrol-ar").await;
    type_into(&browser, "code", &code_for(&server, &secret)).await;
    press_enter_in(&browser, "code").await;
    wait_for_path(&browser, "/ar/staff/").await;
    assert_eq!(browser.text("h1").await, "مساحة عملك");
    browser.screenshot("staff-home-ar").await;

    // Log out with the keyboard: focus the button, press Enter.
    let logout = browser
        .client
        .find(Locator::Css("form[action$='/staff/logout'] button"))
        .await
        .unwrap();
    logout.send_keys(&Key::Enter.to_string()).await.unwrap();
    wait_for_path(&browser, "/ar/staff/login").await;
    assert!(browser.text(".notice").await.contains("أُتلفت مفاتيحها"));
    browser
        .client
        .goto(&format!("{}/ar/staff/", server.base))
        .await
        .unwrap();
    wait_for_path(&browser, "/ar/staff/login").await;

    // The next login asks for a code, in English too.
    server.clock.advance(30);
    browser
        .client
        .goto(&format!("{}/en/staff/login", server.base))
        .await
        .unwrap();
    type_into(&browser, "username", "salma").await;
    type_into(&browser, "password", PASSWORD).await;
    press_enter_in(&browser, "password").await;
    wait_for_path(&browser, "/en/staff/login/code").await;
    let root = browser
        .script("return [document.documentElement.lang, document.documentElement.dir];")
        .await;
    assert_eq!(root, json!(["en", "ltr"]));
    type_into(&browser, "code", &code_for(&server, &secret)).await;
    browser.screenshot("staff-code-en").await;
    press_enter_in(&browser, "code").await;
    wait_for_path(&browser, "/en/staff/").await;
    assert_eq!(browser.text("h1").await, "Your workspace");
    browser.close().await;
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_and_the_page_says_nothing_more() {
    let server = TestServer::set_up(Locale::Ar).await;
    server.log_in("ar").await;
    let browser = Browser::launch(false).await;
    log_in(&browser, &server, "admin", "كلمة خاطئة تماماً هنا").await;
    let first = browser.text("[role=alert]").await;
    for _ in 0..4 {
        log_in(&browser, &server, "admin", "كلمة خاطئة تماماً هنا").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    log_in(&browser, &server, "admin", crate::support::ADMIN_PASSWORD).await;
    wait_for_path(&browser, "/ar/staff/login").await;
    assert_eq!(
        browser.text("[role=alert]").await,
        first,
        "locked looks like wrong"
    );
    browser.screenshot("staff-locked-ar").await;
    server.clock.advance(61);
    log_in(&browser, &server, "admin", crate::support::ADMIN_PASSWORD).await;
    wait_for_path(&browser, "/ar/staff/login/code").await;
    browser.close().await;
}

#[tokio::test]
async fn a_duress_login_shows_the_decoy_and_carries_out_the_response() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    crate::authz::create_account(&server, &admin, "karim", &["intake-operator"]).await;
    server
        .log_in_as("ar", "karim", "matrix test passphrase, long enough")
        .await;

    let browser = Browser::launch(false).await;
    // Karim logs in and sets his duress password on his own security page.
    log_in(&browser, &server, "karim", "matrix test passphrase, long enough").await;
    wait_for_path(&browser, "/ar/staff/login/code").await;
    type_into(&browser, "code", &server.next_code("karim")).await;
    press_enter_in(&browser, "code").await;
    wait_for_path(&browser, "/ar/staff/").await;
    // In a narrow window the security page's link is folded under "More": opened first.
    let more = browser
        .client
        .find(Locator::Css("nav.staff-nav details.more-tools > summary"))
        .await
        .unwrap();
    let link = if more.is_displayed().await.unwrap() {
        more.click().await.unwrap();
        "nav.staff-nav li.more a[href='/ar/staff/security']"
    } else {
        "nav.staff-nav li.tools-wide a[href='/ar/staff/security']"
    };
    browser
        .client
        .find(Locator::Css(link))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/ar/staff/security").await;
    type_into(&browser, "duress", DURESS).await;
    type_into(&browser, "duress_confirm", DURESS).await;
    type_into(&browser, "password", "matrix test passphrase, long enough").await;
    press_enter_in(&browser, "password").await;
    assert!(
        browser
            .text("[role=status]")
            .await
            .contains("حُفظت كلمة مرور الإكراه")
    );
    browser.screenshot("staff-security-ar").await;
    browser.client.delete_all_cookies().await.unwrap();

    // Forced to log in: the duress password and whatever code the phone shows.
    log_in(&browser, &server, "karim", DURESS).await;
    wait_for_path(&browser, "/ar/staff/login/code").await;
    type_into(&browser, "code", "271828").await;
    press_enter_in(&browser, "code").await;
    wait_for_path(&browser, "/ar/staff/").await;
    assert_eq!(browser.text("h1").await, "مساحة عملك");
    let main = browser.text("main").await;
    assert!(!main.contains("الإكراه"), "nothing says what happened: {main}");
    browser
        .client
        .find(Locator::Css("a[href='/ar/staff/inbox']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/ar/staff/inbox").await;
    browser.screenshot("staff-decoy-inbox-ar").await;

    // Meanwhile: the keys are gone and the administrators are told.
    let accounts = server.get_with_cookie("/ar/staff/accounts", &admin).await.text();
    assert!(accounts.contains("استُخدمت كلمة مرور الإكراه"), "{accounts}");
    let real = server
        .post_form(
            "/ar/staff/login",
            &[
                ("username", "karim"),
                ("password", "matrix test passphrase, long enough"),
            ],
            None,
        )
        .await;
    assert_eq!(real.status, 401);
    browser.close().await;
}

/// The W3C WebAuthn WebDriver extension: a virtual authenticator in the
/// browser, which answers every ceremony as a user touching a key would.
#[derive(Debug)]
pub(crate) struct AddVirtualAuthenticator;

impl fantoccini::wd::WebDriverCompatibleCommand for AddVirtualAuthenticator {
    fn endpoint(
        &self,
        base_url: &webauthn_rs::prelude::Url,
        session_id: Option<&str>,
    ) -> Result<webauthn_rs::prelude::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &webauthn_rs::prelude::Url) -> (axum::http::Method, Option<String>) {
        let body = json!({
            "protocol": "ctap2",
            "transport": "usb",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        });
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

pub(crate) async fn click(browser: &Browser, id: &str) {
    let button = browser.client.find(Locator::Id(id)).await.unwrap();
    // The script reveals the button once it is ready.
    for _ in 0..100 {
        if button.is_displayed().await.unwrap() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    button.click().await.unwrap();
}

#[tokio::test]
async fn a_security_key_is_enrolled_at_the_first_login_and_then_logs_in() {
    let server =
        TestServer::fresh_with(|state| state.with_webauthn("http://localhost", "Test centre").unwrap()).await;
    server.initialise(Locale::En).await;
    let admin = server.log_in("en").await;
    crate::authz::create_account(&server, &admin, "layla", &["analyst"]).await;
    // Security keys need a secure context: http://localhost is one.
    let base = server.base.replace("127.0.0.1", "localhost");

    let browser = Browser::launch(true).await;
    browser.client.issue_cmd(AddVirtualAuthenticator).await.unwrap();
    browser
        .client
        .goto(&format!("{base}/en/staff/login"))
        .await
        .unwrap();
    type_into(&browser, "username", "layla").await;
    type_into(&browser, "password", "matrix test passphrase, long enough").await;
    press_enter_in(&browser, "password").await;
    wait_for_path(&browser, "/en/staff/login/enrol").await;
    browser.screenshot("staff-enrol-key-en").await;
    click(&browser, "enrol-key").await;
    wait_for_path(&browser, "/en/staff/").await;
    assert_eq!(browser.text("h1").await, "Your workspace");
    let layla = server
        .store
        .staff_by_username(&mamar_core::Username::parse("layla").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        server.store.webauthn_credentials(layla.id).await.unwrap().len(),
        1
    );
    let login = server.store.login_state(layla.id).await.unwrap().unwrap();
    assert!(login.totp_sealed.is_none(), "the key alone is the second factor");

    // Log out, log in again: the key, not a code.
    browser
        .client
        .find(Locator::Css("form[action$='/staff/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&browser, "/en/staff/login").await;
    type_into(&browser, "username", "layla").await;
    type_into(&browser, "password", "matrix test passphrase, long enough").await;
    press_enter_in(&browser, "password").await;
    wait_for_path(&browser, "/en/staff/login/code").await;
    let code_fields = browser.client.find_all(Locator::Id("code")).await.unwrap();
    assert!(
        code_fields.is_empty(),
        "no code form for an account with keys only"
    );
    browser.screenshot("staff-login-key-en").await;
    click(&browser, "use-key").await;
    wait_for_path(&browser, "/en/staff/").await;

    // In Arabic, the security page offers another key.
    browser
        .client
        .goto(&format!("{base}/ar/staff/security"))
        .await
        .unwrap();
    assert!(browser.text("main").await.contains("مفتاح واحد يؤكّد دخولك"));
    browser.screenshot("staff-security-keys-ar").await;
    browser.close().await;
}
