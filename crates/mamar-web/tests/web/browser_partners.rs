//! A referral in the browser, in Arabic, JavaScript off, on a desktop and a
//! 390-pixel phone: the requester agrees on the follow-up page that a partner
//! may know their name → the coordinator refers the case, sharing the name
//! → the partner's liaison reads exactly that and accepts → the coordinator
//! revokes, and the page says what the partner may already have seen → the
//! liaison's page shows nothing → the case is referred again. Screenshots of
//! every step go to `target/screenshots` (`partners-*-desktop.png`,
//! `partners-*-phone.png`).

use mamar_core::Locale;

use crate::authz::{PASSWORD, create_account, hex, staff_id};
use crate::browser::Browser;
use crate::browser_cases::{become_person, choose, click, go, submit_expecting, type_into};
use crate::partners::partner_card;
use crate::support::{TestServer, hidden_value};

async fn shots(browser: &Browser, name: &str) {
    browser.desktop_and_phone(&format!("partners-{name}")).await;
}

/// Registers the partner «عون المرفأ» by its card as `admin`, has the second administrator
/// `nadia` confirm its fingerprint, and makes `omar` its liaison; returns the partner's id.
pub(crate) async fn partner_with_liaison(server: &TestServer, admin: &str, nadia: &str) -> String {
    let csrf = hidden_value(&server.get_with_cookie("/ar/staff/", admin).await.text(), "csrf");
    let nadia_csrf = hidden_value(&server.get_with_cookie("/ar/staff/", nadia).await.text(), "csrf");
    let (card, print) = partner_card("Harbour Aid", "عون المرفأ");
    let registered = server
        .post_form(
            "/ar/staff/partners",
            &[("csrf", &csrf), ("card", &card), ("fingerprint", &print)],
            Some(admin),
        )
        .await;
    assert_eq!(
        registered.header("location"),
        Some("/ar/staff/partners?done=registered")
    );
    let partner = hex(&server.store.partners().await.unwrap()[0].id);
    let confirmed = server
        .post_form(
            &format!("/ar/staff/partners/{partner}/confirm"),
            &[("csrf", &nadia_csrf), ("fingerprint", &print)],
            Some(nadia),
        )
        .await;
    assert_eq!(
        confirmed.header("location"),
        Some("/ar/staff/partners?done=confirmed")
    );
    let omar = staff_id(server, "omar").await;
    server
        .post_form(
            &format!("/ar/staff/partners/{partner}/liaison"),
            &[("csrf", &csrf), ("staff", &omar)],
            Some(admin),
        )
        .await;
    partner
}

/// A request in Arabic, opened by `admin` as the case of «كريم حداد»; returns the requester's
/// codename and the case page's path.
pub(crate) async fn case_of_a_request(server: &TestServer, admin: &str) -> (String, String) {
    let csrf = hidden_value(&server.get_with_cookie("/ar/staff/", admin).await.text(), "csrf");
    let codename = crate::intake::submit(server, "ar", "ar").await;
    let request = server.store.open_requests(0, 1).await.unwrap().remove(0);
    let opened = server
        .post_form(
            &format!("/ar/staff/inbox/{}/open", hex(&request.id)),
            &[
                ("csrf", &csrf),
                ("person_name", "كريم حداد"),
                ("person_phone", "+963 944 555 111"),
                ("person_birth_year", ""),
            ],
            Some(admin),
        )
        .await;
    let case_path = opened
        .header("location")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    (codename, case_path)
}

#[tokio::test]
async fn consent_referral_revocation_and_re_referral_in_arabic() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "nadia", &["administrator"]).await;
    create_account(&server, &admin, "huda", &["exit-coordinator"]).await;
    create_account(&server, &admin, "omar", &["partner-liaison"]).await;
    for name in ["nadia", "huda", "omar"] {
        server.log_in_as("ar", name, PASSWORD).await;
    }
    let nadia = server.log_in_as("ar", "nadia", PASSWORD).await;
    let csrf = hidden_value(&server.get_with_cookie("/ar/staff/", &admin).await.text(), "csrf");

    partner_with_liaison(&server, &admin, &nadia).await;

    // A request becomes a case with a coordinator.
    let (codename, case_path) = case_of_a_request(&server, &admin).await;
    let huda = staff_id(&server, "huda").await;
    server
        .post_form(
            &format!("{case_path}/act"),
            &[
                ("csrf", &csrf),
                ("action", "assign"),
                ("staff", &huda),
                ("duty", "coordinator"),
            ],
            Some(&admin),
        )
        .await;

    let browser = Browser::launch(false).await;
    // The administrators' page of partners.
    become_person(&browser, &server, "nadia").await;
    go(&browser, &server, "/ar/staff/partners").await;
    assert!(browser.text("main").await.contains("عون المرفأ"));
    shots(&browser, "01-partners-page").await;

    // The requester agrees, on the follow-up page, that the partner may know their name.
    browser.client.delete_all_cookies().await.unwrap();
    go(&browser, &server, "/ar/follow-up").await;
    type_into(&browser, "codename", &codename).await;
    click(&browser, "form button[type=submit]").await;
    browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css("form.consent"))
        .await
        .unwrap();
    assert!(browser.text("form.consent").await.contains("أوافق على أن يعرف"));
    click(&browser, "form.consent input[value=name]").await;
    shots(&browser, "02-requester-consents").await;
    submit_expecting(&browser, "form.consent button", "سُجّلت موافقتك").await;
    shots(&browser, "03-consent-recorded").await;

    // The coordinator refers the case, sharing the name only.
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    assert!(
        browser
            .text("section.partners")
            .await
            .contains("أعطاها الشخص في صفحة المتابعة")
    );
    choose(&browser, "refer-partner", "عون المرفأ").await;
    click(&browser, "#refer-form input[value=name]").await;
    submit_expecting(&browser, "#refer-form button[type=submit]", "أُرسلت الإحالة").await;
    shots(&browser, "04-referred").await;
    go(&browser, &server, &format!("{case_path}#partners-h")).await;
    shots(&browser, "04-referred-section").await;

    // The liaison reads exactly the name, and accepts.
    become_person(&browser, &server, "omar").await;
    go(&browser, &server, "/ar/staff/referrals").await;
    let page = browser.text("main").await;
    assert!(page.contains("كريم حداد"), "{page}");
    assert!(!page.contains("944"), "{page}");
    shots(&browser, "05-liaison-reads").await;
    submit_expecting(&browser, "button[value=accept]", "قبلتَ الإحالة").await;
    shots(&browser, "06-liaison-accepted").await;

    // The coordinator revokes; the page says plainly what the partner may already have seen.
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    submit_expecting(
        &browser,
        "input[name=action][value=revoke] ~ button",
        "سُحبت الإحالة",
    )
    .await;
    let section = browser.text("section.partners").await;
    assert!(section.contains("ربما رأى"), "{section}");
    shots(&browser, "07-revoked").await;
    go(&browser, &server, &format!("{case_path}#partners-h")).await;
    shots(&browser, "07-revoked-what-the-partner-saw").await;

    // The liaison's page shows nothing.
    become_person(&browser, &server, "omar").await;
    go(&browser, &server, "/ar/staff/referrals").await;
    let page = browser.text("main").await;
    assert!(!page.contains("كريم حداد"), "{page}");
    assert!(page.contains("لم يُحَل إليك شيء"), "{page}");
    shots(&browser, "08-liaison-after-revocation").await;

    // Referred again: the liaison reads it again.
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    choose(&browser, "refer-partner", "عون المرفأ").await;
    click(&browser, "#refer-form input[value=name]").await;
    submit_expecting(&browser, "#refer-form button[type=submit]", "أُرسلت الإحالة").await;
    shots(&browser, "09-re-referred").await;
    become_person(&browser, &server, "omar").await;
    go(&browser, &server, "/ar/staff/referrals").await;
    assert!(browser.text("main").await.contains("كريم حداد"));
    shots(&browser, "10-liaison-reads-again").await;
    browser.close().await;
}
