//! The staff navigation on a phone: what waits stays in the row; the occasional tools fold under
//! "More" and open on a tap, without JavaScript. On a wide screen everything sits in the row.

use mamar_core::Locale;

use crate::browser::Browser;
use crate::browser_cases::{become_person, click, go};
use crate::support::TestServer;

/// Whether a person sees the element, as the browser lays it out (`checkVisibility`: not in a
/// hidden copy, not in a closed `<details>`) and with a size.
async fn displayed(browser: &Browser, css: &str) -> bool {
    browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); const r = e.getBoundingClientRect(); \
             return e.checkVisibility() && r.width > 0 && r.height > 0;",
            vec![css.into()],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap()
}

async fn nav_height(browser: &Browser) -> f64 {
    browser
        .script("return document.querySelector('nav.staff-nav').getBoundingClientRect().height;")
        .await
        .as_f64()
        .unwrap()
}

#[tokio::test]
async fn on_a_phone_the_occasional_tools_fold_under_more_in_both_languages() {
    let server = TestServer::set_up(Locale::Ar).await;
    // The administrator enrols a second factor once; the browser then logs in with it.
    server.log_in("ar").await;
    let browser = Browser::launch(false).await;
    become_person(&browser, &server, "admin").await;
    for lang in ["ar", "en"] {
        go(&browser, &server, &format!("/{lang}/staff/")).await;
        let audit = format!("nav.staff-nav li.tools-wide a[href=\"/{lang}/staff/audit\"]");
        let folded_audit = format!("nav.staff-nav li.more a[href=\"/{lang}/staff/audit\"]");
        let more = "nav.staff-nav details.more-tools > summary";

        browser.client.set_window_size(1000, 1200).await.unwrap();
        assert!(
            displayed(&browser, &audit).await,
            "{lang}: the tools sit in the row"
        );
        assert!(
            !displayed(&browser, more).await,
            "{lang}: no \"More\" on a wide screen"
        );
        assert!(
            !displayed(&browser, &folded_audit).await,
            "{lang}: one copy shown"
        );
        assert!(displayed(&browser, "nav.staff-nav a[href$=\"/staff/cases\"]").await);
        browser.screenshot(&format!("nav-{lang}-desktop")).await;

        browser.client.set_window_size(390, 844).await.unwrap();
        assert!(!displayed(&browser, &audit).await, "{lang}: folded on a phone");
        assert!(
            !displayed(&browser, &folded_audit).await,
            "{lang}: until More is opened"
        );
        assert!(displayed(&browser, more).await);
        assert!(
            displayed(&browser, "nav.staff-nav a[href$=\"/staff/cases\"]").await,
            "{lang}: what waits stays in the row"
        );
        let folded = nav_height(&browser).await;
        // Three lines of links at most (it took six before "More").
        assert!(
            folded < 140.0,
            "{lang}: the navigation is {folded} px tall on a phone"
        );
        browser.screenshot(&format!("nav-{lang}-phone-folded")).await;

        click(&browser, more).await;
        assert!(
            displayed(&browser, &folded_audit).await,
            "{lang}: a tap on More shows the tools"
        );
        assert!(!displayed(&browser, &audit).await, "{lang}: one copy shown");
        let overflow = browser
            .script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            .await;
        assert!(
            overflow.as_i64().unwrap() <= 0,
            "{lang}: scrolls sideways by {overflow}"
        );
        browser.screenshot(&format!("nav-{lang}-phone-more")).await;
        // The folded link takes the person there.
        click(&browser, &folded_audit).await;
        crate::browser_cases::wait_for_path(&browser, &format!("/{lang}/staff/audit")).await;
        browser.client.set_window_size(1000, 1200).await.unwrap();
    }
    browser.close().await;
}
