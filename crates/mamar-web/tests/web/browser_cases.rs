//! The walk of a case in the browser, in Arabic, JavaScript off, on a
//! desktop and a 390-pixel phone: a request arrives → an intake officer
//! opens a case → assigns a vetting officer and a coordinator → the vetting
//! officer records a finding and proposes "cleared" → a second person
//! approves → the coordinator messages the requester, who reads the reply
//! with the codename → the case is at planning. Screenshots of every step
//! go to `target/screenshots` (`case-*-desktop.png`, `case-*-phone.png`).

use fantoccini::Locator;
use mamar_core::Locale;

use crate::authz::{PASSWORD, create_account};
use crate::browser::Browser;
use crate::support::TestServer;

/// Logs in as `username` in the browser: the password, then the code the
/// person's authenticator shows (enrolled over HTTP beforehand).
pub(crate) async fn become_person(browser: &Browser, server: &TestServer, username: &str) {
    browser.client.delete_all_cookies().await.unwrap();
    // A code is accepted once: the next login waits for the next one.
    server.clock.advance(30);
    go(browser, server, "/ar/staff/login").await;
    type_into(browser, "username", username).await;
    let password = if username == "admin" {
        crate::support::ADMIN_PASSWORD
    } else {
        PASSWORD
    };
    type_into(browser, "password", password).await;
    click(browser, "form button[type=submit]").await;
    wait_for_path(browser, "/ar/staff/login/code").await;
    type_into(browser, "code", &server.next_code(username)).await;
    click(browser, "form button[type=submit]").await;
    wait_for_path(browser, "/ar/staff/").await;
}

pub(crate) async fn wait_for_path(browser: &Browser, path: &str) {
    for _ in 0..100 {
        if browser.client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "never reached {path}: at {}",
        browser.client.current_url().await.unwrap()
    );
}

pub(crate) async fn go(browser: &Browser, server: &TestServer, path: &str) {
    browser
        .client
        .goto(&format!("{}{path}", server.base))
        .await
        .unwrap();
}

/// A screenshot at desktop width and one at 390 pixels, where the page must
/// not scroll sideways.
async fn shots(browser: &Browser, name: &str) {
    browser.desktop_and_phone(&format!("case-{name}")).await;
}

pub(crate) async fn type_into(browser: &Browser, id: &str, text: &str) {
    let field = browser.client.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks `css`. On a loaded machine the page may still be replacing itself when the element is
/// found ("node does not belong to the document"): find it again, a few times, before failing.
pub(crate) async fn click(browser: &Browser, css: &str) {
    let mut last = None;
    for _ in 0..20 {
        match browser.client.find(Locator::Css(css)).await {
            Ok(element) => match element.click().await {
                Ok(()) => return,
                Err(error) => last = Some(error.to_string()),
            },
            Err(error) => last = Some(error.to_string()),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("cannot click {css}: {last:?}");
}

pub(crate) async fn choose(browser: &Browser, select_id: &str, visible_text: &str) {
    let select = browser.client.find(Locator::Id(select_id)).await.unwrap();
    select.select_by_label(visible_text).await.unwrap();
}

/// Clicks `css` and waits for the next page to say `expected` in its notice.
pub(crate) async fn submit_expecting(browser: &Browser, css: &str, expected: &str) {
    click(browser, css).await;
    for _ in 0..100 {
        if notice(browser).await.contains(expected) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("after {css}: {}", text_now(browser, "main").await);
}

/// The text of `css` now, or nothing while the page is changing.
pub(crate) async fn text_now(browser: &Browser, css: &str) -> String {
    match browser.client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

pub(crate) async fn notice(browser: &Browser) -> String {
    text_now(browser, ".notice").await
}

#[tokio::test]
async fn a_case_walks_from_request_to_planning_in_arabic() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "ranim", &["intake-operator"]).await;
    create_account(&server, &admin, "salim", &["vetting-officer"]).await;
    create_account(&server, &admin, "huda", &["exit-coordinator"]).await;
    // Each enrols an authenticator at a first login; the browser logs in with it.
    for name in ["ranim", "salim", "huda"] {
        server.log_in_as("ar", name, PASSWORD).await;
    }
    let (intake, vetter, coordinator) = ("ranim", "salim", "huda");

    // A request arrives.
    let codename = crate::intake::submit(&server, "ar", "ar").await;
    let browser = Browser::launch(false).await;

    // The intake officer sees it waiting, reads it, and opens a case.
    become_person(&browser, &server, intake).await;
    go(&browser, &server, "/ar/staff/").await;
    assert!(browser.text("nav.staff-nav").await.contains("طلبات جديدة"));
    shots(&browser, "01-home-intake").await;
    go(&browser, &server, "/ar/staff/inbox").await;
    shots(&browser, "02-inbox").await;
    click(&browser, "a.request-link").await;
    browser
        .client
        .wait()
        .for_element(Locator::Id("open-name"))
        .await
        .unwrap();
    assert!(
        browser.text("main").await.contains("حلب"),
        "the answers, in Arabic"
    );
    type_into(&browser, "open-name", "أحمد محمد العلي").await;
    type_into(&browser, "open-year", "1999").await;
    type_into(&browser, "open-phone", "+963 944 123 456").await;
    shots(&browser, "03-request").await;
    submit_expecting(&browser, "form[action$='/open'] button", "فُتحت الحالة").await;
    let case_path = browser.client.current_url().await.unwrap().path().to_owned();
    let reference = browser.text("h1 .reference").await;
    assert_eq!(reference.len(), 11, "{reference}");

    // … puts a vetting officer and a coordinator on it, and moves it to vetting.
    choose(&browser, "assign-staff", "salim").await;
    choose(&browser, "assign-duty", "تدقيق").await;
    submit_expecting(&browser, "form input[value=assign] ~ button", "أُضيف إلى الحالة").await;
    choose(&browser, "assign-staff", "huda").await;
    choose(&browser, "assign-duty", "منسّق").await;
    submit_expecting(&browser, "form input[value=assign] ~ button", "أُضيف إلى الحالة").await;
    submit_expecting(&browser, "form input[value=advance] ~ button", "انتقلت الحالة").await;
    let stage = browser.text(".case-head .stage").await;
    assert!(stage.contains("فرز"), "{stage}");
    click(&browser, "form input[value=advance] ~ button").await;
    for _ in 0..100 {
        if text_now(&browser, ".case-head .stage").await.contains("تدقيق") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(browser.text(".case-head .stage").await.contains("تدقيق"));
    shots(&browser, "04-case-intake").await;

    // The vetting officer records a finding and proposes "cleared".
    become_person(&browser, &server, vetter).await;
    go(&browser, &server, "/ar/staff/cases").await;
    shots(&browser, "05-case-list-vetting").await;
    go(&browser, &server, &case_path).await;
    type_into(&browser, "finding-text", "شخص نثق به في قريته يزكّيه.").await;
    submit_expecting(&browser, "form input[value=finding] ~ button", "سُجّلت النتيجة").await;
    // A scanned page goes onto the case through the browser's own file picker.
    let scan_dir = tempfile::tempdir().unwrap();
    let scan = scan_dir.path().join("تزكية.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n% a letter of reference\n").unwrap();
    let picker = browser.client.find(Locator::Id("file")).await.unwrap();
    picker.send_keys(scan.to_str().unwrap()).await.unwrap();
    submit_expecting(&browser, "form[enctype] button", "أُضيف الملف").await;
    assert!(browser.text(".files").await.contains("تزكية.pdf"));
    shots(&browser, "05b-file-added").await;
    click(&browser, "input[name=decision][value=cleared]").await;
    type_into(&browser, "vetting-text", "القصة متسقة ولا أسئلة عن فريقنا.").await;
    submit_expecting(&browser, "form input[value=vetting] ~ button", "شخص ثانٍ").await;
    assert!(browser.text(".pending").await.contains("بانتظار موافقة شخص آخر"));
    shots(&browser, "06-vetting-proposed").await;

    // The coordinator sees the decision waiting, approves it, and writes to the requester.
    become_person(&browser, &server, coordinator).await;
    go(&browser, &server, "/ar/staff/").await;
    let waiting = browser.text("#approvals + ul").await;
    assert!(
        waiting.contains(&reference) && waiting.contains("اجتاز التدقيق"),
        "{waiting}"
    );
    shots(&browser, "07-home-coordinator").await;
    go(&browser, &server, &case_path).await;
    submit_expecting(&browser, ".approval button[value=yes]", "تمت الموافقة").await;
    assert!(browser.text(".case-head .stage").await.contains("تخطيط"));
    type_into(
        &browser,
        "message-text",
        "نحن معك. اكتب لنا متى يكون التواصل آمناً.",
    )
    .await;
    submit_expecting(&browser, "form input[value=message] ~ button", "أُرسلت الرسالة").await;
    assert!(browser.text("ol.chat").await.contains("نحن معك"));
    shots(&browser, "08-case-planning").await;

    // The requester reads the signed reply with the codename.
    browser.client.delete_all_cookies().await.unwrap();
    go(&browser, &server, "/ar/follow-up").await;
    type_into(&browser, "codename", &codename).await;
    click(&browser, "form button[type=submit]").await;
    let reply = browser
        .client
        .wait()
        .for_element(Locator::Css(".reply-text"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(reply.contains("نحن معك"), "{reply}");
    assert!(browser.text(".signature").await.contains("التوقيع صحيح"));
    shots(&browser, "09-requester-reads-reply").await;

    // The requester answers; the answer reaches the case team, not the intake inbox.
    type_into(&browser, "message", "شكراً، مساء الغد.").await;
    submit_expecting(&browser, "form input[value=send] ~ button", "وصلتنا رسالتك").await;
    become_person(&browser, &server, coordinator).await;
    go(&browser, &server, &case_path).await;
    assert!(browser.text("ol.chat").await.contains("مساء الغد"));
    let timeline = browser.text("ol.timeline").await;
    assert!(
        timeline.contains("huda — وافق") && timeline.contains("اجتاز التدقيق"),
        "{timeline}"
    );
    shots(&browser, "10-case-conversation").await;
    become_person(&browser, &server, intake).await;
    go(&browser, &server, "/ar/staff/inbox").await;
    assert!(!browser.text("main").await.contains("مساء الغد"));

    // In English, the same case reads left to right.
    become_person(&browser, &server, coordinator).await;
    go(&browser, &server, &case_path.replace("/ar/", "/en/")).await;
    assert!(browser.text(".case-head .stage").await.contains("Planning"));
    shots(&browser, "11-case-english").await;
    browser.close().await;
}
