//! Break-glass in the browser, in Arabic, JavaScript off, on a desktop and a
//! 390-pixel phone: an administrator who is not on a case asks to read it
//! with a written reason → another administrator, alerted on their
//! workspace, approves (handing over their share) → the asker opens and
//! reads the case, read-only → the grant's time passes (the test clock) and
//! the asker reads nothing. The page is also shown in English. Screenshots of every step go to
//! `target/screenshots` (`break-glass-*-desktop.png`, `break-glass-*-phone.png`).

use mamar_core::{Locale, Username};
use mamar_crypto::Password;

use crate::authz::{PASSWORD, create_account};
use crate::browser::Browser;
use crate::browser_cases::{become_person, click, go, submit_expecting, text_now, type_into, wait_for_path};
use crate::browser_partners::case_of_a_request;
use crate::support::{ADMIN_PASSWORD, TestServer};

const REASON: &str = "المنسق معتقل ولا أحد من الفريق يرد منذ يومين";

fn unhex16(text: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).unwrap();
    }
    out
}

async fn shots(browser: &Browser, name: &str) {
    browser.desktop_and_phone(&format!("break-glass-{name}")).await;
}

#[tokio::test]
async fn ask_approve_read_and_expiry_in_arabic() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "nadia", &["administrator"]).await;
    create_account(&server, &admin, "sami", &["administrator"]).await;
    for name in ["nadia", "sami"] {
        server.log_in_as("ar", name, PASSWORD).await;
    }
    let report = mamar_keys::set_up_break_glass(
        server.store.as_ref(),
        &Username::parse("admin").unwrap(),
        &Password::new(ADMIN_PASSWORD.to_owned()),
        2,
        server.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!((report.threshold, report.administrators), (2, 3));
    // A case of «كريم حداد», opened by the first administrator; nadia is not on it.
    let (_, case_path) = case_of_a_request(&server, &admin).await;
    let case_id = unhex16(case_path.rsplit('/').next().unwrap());
    let reference = server
        .store
        .case_file(&case_id)
        .await
        .unwrap()
        .unwrap()
        .reference
        .unwrap();

    let browser = Browser::launch(false).await;
    become_person(&browser, &server, "nadia").await;
    go(&browser, &server, &case_path).await;
    assert!(!browser.text("main").await.contains("كريم حداد"));
    go(&browser, &server, "/ar/staff/break-glass").await;
    shots(&browser, "01-page").await;
    type_into(&browser, "break-glass-reference", &reference).await;
    type_into(&browser, "break-glass-reason", REASON).await;
    shots(&browser, "02-asking").await;
    submit_expecting(
        &browser,
        "form[action$='/staff/break-glass'] button",
        "أُرسل الطلب",
    )
    .await;
    shots(&browser, "03-asked").await;

    // Sami is alerted on his workspace and in the navigation, reads the reason and approves.
    become_person(&browser, &server, "sami").await;
    assert!(
        text_now(&browser, "#break-glass-alert")
            .await
            .contains("طلب أو فتح واحد")
    );
    assert_eq!(text_now(&browser, "#nav-break-glass .count").await, "1");
    shots(&browser, "04-alerted").await;
    click(&browser, "#break-glass-alert a").await;
    wait_for_path(&browser, "/ar/staff/break-glass").await;
    assert!(browser.text("main").await.contains(REASON));
    submit_expecting(&browser, "form[action$='/approve'] button", "تمت الموافقة").await;
    shots(&browser, "05-approved").await;
    // The same page in English, at 390 pixels too.
    go(&browser, &server, "/en/staff/break-glass").await;
    assert!(browser.text("main").await.contains("Shares in hand"));
    shots(&browser, "05-approved-english").await;

    // Nadia opens the case and reads it, and can change nothing.
    become_person(&browser, &server, "nadia").await;
    go(&browser, &server, "/ar/staff/break-glass").await;
    submit_expecting(&browser, "form[action$='/open'] button", "فُتحت بكسر الزجاج").await;
    wait_for_path(&browser, &case_path).await;
    let page = browser.text("main").await;
    assert!(page.contains("كريم حداد"), "{page}");
    assert!(
        text_now(&browser, "#break-glass-reading")
            .await
            .contains("لا تستطيع تغيير شيء")
    );
    assert!(
        browser
            .client
            .find(fantoccini::Locator::Css("input[name=action][value=note]"))
            .await
            .is_err(),
        "no form to change the case"
    );
    shots(&browser, "06-reading").await;
    // The first administrator's workspace shows the live opening too.
    become_person(&browser, &server, "admin").await;
    assert!(
        text_now(&browser, "#break-glass-alert")
            .await
            .contains("طلب أو فتح واحد")
    );

    // The grant's hour passes; the scheduled job ends it; nadia reads nothing.
    server.clock.advance(3_700);
    let ended = mamar_usecases::cases::expire_break_glass(server.store.as_ref(), server.clock.now())
        .await
        .unwrap();
    assert_eq!(ended, 1);
    become_person(&browser, &server, "nadia").await;
    assert!(text_now(&browser, "#break-glass-alert").await.is_empty());
    go(&browser, &server, &case_path).await;
    let page = browser.text("body").await;
    assert!(!page.contains("كريم حداد"), "{page}");
    assert!(page.contains("الصفحة غير موجودة"), "{page}");
    shots(&browser, "07-after-expiry").await;
    go(&browser, &server, "/ar/staff/break-glass").await;
    assert!(browser.text("main").await.contains("لا طلب ينتظر"));
    assert!(text_now(&browser, "#break-glass-shares").await.is_empty());
    shots(&browser, "08-page-after-expiry").await;

    // A new administrator arrives: the page says the shares no longer match, in both languages.
    // (The first administrator's session lapsed with the hour: a new one.)
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "layla", &["administrator"]).await;
    server.log_in_as("ar", "layla", PASSWORD).await;
    go(&browser, &server, "/ar/staff/break-glass").await;
    // (Fluent isolates each number with invisible marks.)
    let isolated = |text: String| text.replace(['\u{2068}', '\u{2069}'], "");
    let notice = isolated(text_now(&browser, "#break-glass-shares").await);
    assert!(
        notice.contains("مسؤولون بلا حصة: 1") && notice.contains("mamar keys break-glass reshare"),
        "{notice}"
    );
    shots(&browser, "09-shares-mismatch").await;
    go(&browser, &server, "/en/staff/break-glass").await;
    let notice = isolated(text_now(&browser, "#break-glass-shares").await);
    assert!(notice.contains("administrators without a share: 1"), "{notice}");
    shots(&browser, "09-shares-mismatch-english").await;

    // Request, approval, opening and end are in the audit log.
    let entries = server.store.audit_entries(0, 10_000).await.unwrap();
    for action in [
        mamar_audit::Action::BreakGlassRequested,
        mamar_audit::Action::BreakGlassApproved,
        mamar_audit::Action::BreakGlassOpened,
        mamar_audit::Action::BreakGlassExpired,
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.action == action && e.object == Some(case_id)),
            "{action:?}"
        );
    }
    browser.close().await;
}
