//! Pages as a person sees them: Debian's headless Chromium, driven through
//! chromedriver (WebDriver), against a real server on a free port.
//! Screenshots land in `$MAMAR_SCREENSHOTS` (default `target/screenshots`).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use mamar_core::Locale;
use serde_json::{Value, json};

use crate::support::{ORG_AR, ORG_EN, TestServer};

pub struct Browser {
    pub client: Client,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

fn executable(variable: &str, default: &str) -> String {
    let path = std::env::var(variable).unwrap_or_else(|_| default.to_owned());
    assert!(
        std::path::Path::new(&path).exists(),
        "{path} is missing: run the tests with ./scripts/test, which installs chromium and chromium-driver"
    );
    path
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile. With
    /// `javascript` false the browser behaves like Tor Browser at its safest level.
    pub async fn launch(javascript: bool) -> Browser {
        let chromium = executable("MAMAR_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = executable("MAMAR_CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = {
            let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            socket.local_addr().unwrap().port()
        };
        let driver = tokio::process::Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let profile = tempfile::tempdir().unwrap();
        let mut prefs = serde_json::Map::new();
        if !javascript {
            prefs.insert(
                "profile.managed_default_content_settings.javascript".into(),
                json!(2),
            );
        }
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1000,1200",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": prefs,
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let webdriver = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        driver,
                        _profile: profile,
                    };
                }
                Err(error) => {
                    last_error = Some(error);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver did not start: {last_error:?}");
    }

    pub async fn screenshot(&self, name: &str) {
        let dir = std::env::var("MAMAR_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots"))
            });
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// A screenshot at desktop width (`{name}-desktop`) and one at 390 pixels
    /// (`{name}-phone`), where the page must not scroll sideways; the window
    /// is left at desktop width.
    pub async fn desktop_and_phone(&self, name: &str) {
        self.client.set_window_size(1000, 1200).await.unwrap();
        self.screenshot(&format!("{name}-desktop")).await;
        self.client.set_window_size(390, 844).await.unwrap();
        let overflow = self
            .script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            .await;
        assert!(
            overflow.as_i64().unwrap() <= 0,
            "{name}: the page scrolls sideways on a phone by {overflow} pixels"
        );
        self.screenshot(&format!("{name}-phone")).await;
        self.client.set_window_size(1000, 1200).await.unwrap();
    }

    pub async fn script(&self, source: &str) -> Value {
        self.client.execute(source, vec![]).await.unwrap()
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }
}

/// Every resource the current page loaded, and the page itself, by URL.
async fn loaded_urls(browser: &Browser) -> Vec<String> {
    let urls = browser
        .script("return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));")
        .await;
    urls.as_array()
        .unwrap()
        .iter()
        .map(|url| url.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_landing_page_reads_right_to_left_in_arabic_and_left_to_right_in_english() {
    let server = TestServer::set_up(Locale::Ar).await;
    let browser = Browser::launch(true).await;

    browser.client.goto(&format!("{}/", server.base)).await.unwrap();
    assert_eq!(browser.client.current_url().await.unwrap().path(), "/ar/");
    let root = browser
        .script("return [document.documentElement.lang, document.documentElement.dir];")
        .await;
    assert_eq!(root, json!(["ar", "rtl"]));
    let heading = browser.text("h1").await;
    assert_eq!(heading, "اترك الخدمة المسلحة بأمان");
    let text = browser.text("main").await;
    assert!(text.contains(ORG_AR));
    // The Arabic font comes from our own origin and is in use.
    let font = browser
        .script("return document.fonts.ready.then(() => document.fonts.check('16px \"Noto Sans Arabic\"', 'ممر'));")
        .await;
    assert_eq!(font, json!(true));
    browser.screenshot("landing-ar").await;

    let arabic_urls = loaded_urls(&browser).await;
    assert!(
        arabic_urls
            .iter()
            .any(|u| u.contains("/assets/mamar.") && u.ends_with(".css")),
        "{arabic_urls:?}"
    );

    // The language switcher leads to the English page.
    browser
        .client
        .find(Locator::Css("a[hreflang=en]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .wait()
        .for_element(Locator::Css("html[dir=ltr]"))
        .await
        .unwrap();
    let root = browser
        .script("return [document.documentElement.lang, document.documentElement.dir];")
        .await;
    assert_eq!(root, json!(["en", "ltr"]));
    let heading = browser.text("h1").await;
    assert_eq!(heading, "Leave armed service safely");
    assert!(browser.text("main").await.contains(ORG_EN));
    browser.screenshot("landing-en").await;

    for url in arabic_urls.into_iter().chain(loaded_urls(&browser).await) {
        assert!(
            url.starts_with(&server.base),
            "the page loaded {url} from another origin"
        );
    }
    browser.close().await;
}

#[tokio::test]
async fn the_setup_page_shows_both_languages_in_their_own_direction() {
    let server = TestServer::fresh().await;
    let browser = Browser::launch(true).await;
    browser
        .client
        .goto(&format!("{}/en/", server.base))
        .await
        .unwrap();
    let parts = browser
        .script("return [...document.querySelectorAll('section.setup-part')].map(s => [s.lang, getComputedStyle(s).direction]);")
        .await;
    assert_eq!(parts, json!([["en", "ltr"], ["ar", "rtl"]]));
    browser.screenshot("setup-en").await;
    browser.close().await;
}

/// The whole journey with JavaScript disabled, as in Tor Browser at its
/// safest level: read the call, ask for help, get a codename, come back,
/// read a signed reply, answer, delete.
async fn journey_without_javascript(lang: &str, texts: JourneyTexts) {
    let server = TestServer::set_up(Locale::Ar).await;
    let browser = Browser::launch(false).await;
    let client = &browser.client;

    client.goto(&format!("{}/{lang}/", server.base)).await.unwrap();
    client
        .find(Locator::Css(&format!("a[href='/{lang}/contact']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css("form.questionnaire"))
        .await
        .unwrap();
    for (field, value) in [
        ("urgency", "immediate"),
        ("governorate", "sy-hl"),
        ("institution", "army"),
        ("destination", "abroad"),
    ] {
        client
            .find(Locator::Css(&format!("input[name={field}][value={value}]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    client
        .find(Locator::Css("textarea[name=message]"))
        .await
        .unwrap()
        .send_keys(texts.message)
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!(
            "input[name=codename_language][value={lang}]"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.screenshot(&format!("intake-{lang}-form")).await;
    client
        .find(Locator::Css("form.questionnaire button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let codename = client
        .wait()
        .for_element(Locator::Id("codename"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(codename.split_whitespace().count(), 7, "{codename}");
    browser.screenshot(&format!("intake-{lang}-codename")).await;

    // A staff member replies (over HTTP; the staff side has its own tests).
    let cookie = server.log_in("en").await;
    let inbox = crate::support::request_pages(&server, &cookie, "en")
        .await
        .remove(0);
    let csrf = crate::support::hidden_value(&inbox, "csrf");
    let request = crate::support::hidden_value(&inbox, "request");
    server
        .post_form(
            "/en/staff/inbox/reply",
            &[("csrf", &csrf), ("request", &request), ("text", texts.reply)],
            Some(&cookie),
        )
        .await;

    // Back with the codename.
    client
        .goto(&format!("{}/{lang}/follow-up", server.base))
        .await
        .unwrap();
    let field = client.find(Locator::Id("codename")).await.unwrap();
    field.send_keys(&codename).await.unwrap();
    // The person sees what they typed: a text field holding the words, not dots.
    assert_eq!(field.prop("type").await.unwrap().as_deref(), Some("text"));
    assert_eq!(field.prop("value").await.unwrap(), Some(codename.clone()));
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let reply = client
        .wait()
        .for_element(Locator::Css(".reply-text"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(reply, texts.reply);
    let signature = client
        .find(Locator::Css(".signature"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(signature, texts.signature_ok);
    browser.screenshot(&format!("intake-{lang}-reply")).await;

    client
        .find(Locator::Id("message"))
        .await
        .unwrap()
        .send_keys(texts.answer)
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=action][value=send] ~ button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notice = client
        .wait()
        .for_element(Locator::Css(".notice"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(notice, texts.sent);

    client
        .find(Locator::Css("input[name=confirm]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::Css("button.danger"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = client
        .wait()
        .for_element(Locator::Css("#deleted h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, texts.deleted);
    browser.screenshot(&format!("intake-{lang}-deleted")).await;
    assert!(server.store.intake_requests(10).await.unwrap().is_empty());
    browser.close().await;
}

struct JourneyTexts {
    message: &'static str,
    reply: &'static str,
    signature_ok: &'static str,
    answer: &'static str,
    sent: &'static str,
    deleted: &'static str,
}

#[tokio::test]
async fn the_whole_journey_works_without_javascript_in_arabic() {
    journey_without_javascript(
        "ar",
        JourneyTexts {
            message: "أريد مغادرة الخدمة مع أخي",
            reply: "وصلنا طلبك. ابقَ بأمان.",
            signature_ok: "موقّع من المنظمة: التوقيع صحيح.",
            answer: "شكراً لكم",
            sent: "وصلتنا رسالتك.",
            deleted: "حُذف طلبك",
        },
    )
    .await;
}

#[tokio::test]
async fn the_whole_journey_works_without_javascript_in_english() {
    journey_without_javascript(
        "en",
        JourneyTexts {
            message: "I want to leave my service with my brother",
            reply: "We received your request. Stay safe.",
            signature_ok: "Signed by the organisation: the signature checks.",
            answer: "Thank you",
            sent: "Your message has been received.",
            deleted: "Your request is deleted",
        },
    )
    .await;
}
