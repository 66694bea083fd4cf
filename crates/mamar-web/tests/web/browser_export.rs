//! The new pages of exporting and of withdrawing consent in the browser, in
//! Arabic, JavaScript off, on a desktop and a 390-pixel phone: the liaison's
//! count of referrals to answer → the requester withdraws consent on the
//! follow-up page (the tick asked for first) → the coordinator's count of
//! referral news and the timeline → the coordinator asks to export the case
//! → the administrator grants it (over HTTP) → the export page, and two passphrases
//! that differ refused in Arabic. Screenshots go to `target/screenshots`
//! (`export-*-desktop.png`, `export-*-phone.png`).

use fantoccini::Locator;
use mamar_core::Locale;

use crate::authz::{PASSWORD, create_account, staff_id};
use crate::browser::Browser;
use crate::browser_cases::{become_person, click, go, submit_expecting, text_now, type_into};
use crate::browser_partners::{case_of_a_request, partner_with_liaison};
use crate::support::{TestServer, hidden_value};

async fn shots(browser: &Browser, name: &str) {
    browser.desktop_and_phone(&format!("export-{name}")).await;
}

/// [`shots`] with `css` scrolled into view in both widths (a form far down a long page).
async fn shots_of(browser: &Browser, name: &str, css: &str) {
    let show = format!("document.querySelector('{css}').scrollIntoView();");
    for (width, height, suffix) in [(1000, 1200, "desktop"), (390, 844, "phone")] {
        browser.client.set_window_size(width, height).await.unwrap();
        browser.script(&show).await;
        let overflow = browser
            .script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            .await;
        assert!(
            overflow.as_i64().unwrap() <= 0,
            "{name}: sideways by {overflow} pixels"
        );
        browser.screenshot(&format!("export-{name}-{suffix}")).await;
    }
    browser.client.set_window_size(1000, 1200).await.unwrap();
}

/// Waits until `css` is on the page.
async fn wait_for(browser: &Browser, css: &str) {
    browser
        .client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap();
}

#[tokio::test]
async fn withdrawing_consent_and_exporting_a_case_in_the_browser_in_arabic() {
    let server = TestServer::fresh_with(|state| state.with_export_work_factor(10)).await;
    server.initialise(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "nadia", &["administrator"]).await;
    create_account(&server, &admin, "huda", &["exit-coordinator"]).await;
    create_account(&server, &admin, "omar", &["partner-liaison"]).await;
    for name in ["nadia", "huda", "omar"] {
        server.log_in_as("ar", name, PASSWORD).await;
    }
    let nadia = server.log_in_as("ar", "nadia", PASSWORD).await;
    let huda_cookie = server.log_in_as("ar", "huda", PASSWORD).await;
    let partner = partner_with_liaison(&server, &admin, &nadia).await;
    let (codename, case_path) = case_of_a_request(&server, &admin).await;
    let csrf = hidden_value(&server.get_with_cookie("/ar/staff/", &admin).await.text(), "csrf");
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
    // Consent given and a referral made (their pages are the partners' browser test's).
    server
        .post_form(
            "/ar/follow-up",
            &[
                ("codename", &codename),
                ("action", "consent"),
                ("partner", &partner),
                ("field", "name"),
            ],
            None,
        )
        .await;
    let huda_csrf = hidden_value(
        &server.get_with_cookie("/ar/staff/", &huda_cookie).await.text(),
        "csrf",
    );
    server
        .post_form(
            &format!("{case_path}/partners"),
            &[
                ("csrf", &huda_csrf),
                ("action", "refer"),
                ("partner", &partner),
                ("field", "name"),
            ],
            Some(&huda_cookie),
        )
        .await;

    let browser = Browser::launch(false).await;
    // The liaison's navigation counts the referral waiting for their answer.
    become_person(&browser, &server, "omar").await;
    let nav = browser.text("nav.staff-nav").await;
    assert!(nav.contains("الإحالات 1"), "{nav}");
    shots(&browser, "01-liaison-count").await;

    // The requester sees what they agreed to and withdraws it: first without the tick.
    browser.client.delete_all_cookies().await.unwrap();
    go(&browser, &server, "/ar/follow-up").await;
    type_into(&browser, "codename", &codename).await;
    click(&browser, "form button[type=submit]").await;
    wait_for(&browser, "form.withdraw").await;
    assert!(browser.text("form.withdraw").await.contains("عون المرفأ"));
    shots_of(&browser, "02-follow-up-agreements", "form.withdraw").await;
    click(&browser, "form.withdraw button").await;
    wait_for(&browser, "form.withdraw .field-error").await;
    assert!(
        text_now(&browser, "form.withdraw .field-error")
            .await
            .contains("ضع علامة")
    );
    shots_of(&browser, "03-withdraw-needs-the-tick", "form.withdraw").await;
    click(&browser, "form.withdraw input[name=confirm]").await;
    submit_expecting(&browser, "form.withdraw button", "سُحبت موافقتك").await;
    shots(&browser, "04-withdrawn").await;

    // The liaison's page is empty; the coordinator's navigation and the case's timeline say it.
    become_person(&browser, &server, "omar").await;
    go(&browser, &server, "/ar/staff/referrals").await;
    assert!(browser.text("main").await.contains("لم يُحَل إليك شيء"));
    become_person(&browser, &server, "huda").await;
    assert!(browser.text("nav.staff-nav").await.contains("أخبار الإحالات 1"));
    assert!(browser.text("main").await.contains("سحب الشخص موافقته"));
    shots(&browser, "05-coordinator-news").await;
    go(&browser, &server, &format!("{case_path}#timeline-h")).await;
    assert!(browser.text("section.partners").await.contains("سحبها الشخص"));
    shots_of(&browser, "06-case-after-withdrawal", "section.partners").await;

    // The coordinator asks to export the case; the administrator grants it.
    go(&browser, &server, &format!("{case_path}#export-h")).await;
    type_into(&browser, "export-text", "طلب الشخص نسخة من ملفه").await;
    submit_expecting(
        &browser,
        "#export button[type=submit]",
        "أُرسل إلى شخص ثانٍ للموافقة",
    )
    .await;
    shots(&browser, "07-export-asked").await;
    let approval = hidden_value(
        &server.get_with_cookie(&case_path, &admin).await.text(),
        "approval",
    );
    let granted = server
        .post_form(
            &format!("{case_path}/act"),
            &[
                ("csrf", &csrf),
                ("action", "decide"),
                ("approval", &approval),
                ("grant", "yes"),
            ],
            Some(&admin),
        )
        .await;
    assert!(granted.header("location").unwrap_or("").ends_with("done=granted"));

    // The export page: what the file holds, the passphrase never stored; a mismatch refused.
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &format!("{case_path}#export-h")).await;
    assert!(browser.text("#export").await.contains("تنزيل التصدير"));
    shots_of(&browser, "08-export-ready", "#export").await;
    click(&browser, "#export a.button").await;
    wait_for(&browser, "input#confirm").await;
    assert!(browser.text("main").await.contains("لا يحفظها ممر أبداً"));
    shots(&browser, "09-export-page").await;
    type_into(&browser, "passphrase", "سبعة أبواب خضراء تحت الجسر").await;
    type_into(&browser, "confirm", "سبعة أبواب خضراء تحت الجسور").await;
    click(&browser, "form.stacked button[type=submit]").await;
    wait_for(&browser, "#export-problem").await;
    assert!(
        text_now(&browser, "#export-problem")
            .await
            .contains("عبارتا المرور غير متطابقتين")
    );
    shots(&browser, "10-export-passphrases-differ").await;
    browser.close().await;
}
