//! The public pages of issue 15 in the browser, Arabic and English, at
//! desktop width and at 390 pixels (screenshots in `target/screenshots`):
//! the error summary, the check a phone can do, the conversation (with the
//! requester's first request at its head).

use fantoccini::Locator;
use mamar_core::Locale;

use crate::browser::Browser;
use crate::support::TestServer;

#[tokio::test]
async fn the_error_summary_links_each_question_and_the_link_lands_on_it() {
    let server = TestServer::set_up(Locale::Ar).await;
    let browser = Browser::launch(false).await;
    let client = &browser.client;
    for lang in ["ar", "en"] {
        client
            .goto(&format!("{}/{lang}/contact", server.base))
            .await
            .unwrap();
        client
            .find(Locator::Css("form.questionnaire button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let summary = client
            .wait()
            .for_element(Locator::Css(".error-summary"))
            .await
            .unwrap();
        let links = summary.find_all(Locator::Css("a")).await.unwrap();
        assert!(links.len() >= 4, "{lang}: every missing answer is listed");
        browser.desktop_and_phone(&format!("form-errors-{lang}")).await;
        // The fourth missing answer, far down on a phone, is one tap away.
        client.set_window_size(390, 844).await.unwrap();
        let fourth = &links[3];
        let href = fourth.attr("href").await.unwrap().unwrap();
        fourth.click().await.unwrap();
        let hash = browser.script("return location.hash;").await;
        assert_eq!(hash.as_str(), Some(href.as_str()), "{lang}");
        let visible = browser
            .script(&format!(
                "const r = document.querySelector('{href}').getBoundingClientRect(); return [r.top, innerHeight, scrollY];"
            ))
            .await;
        let top = visible[0].as_f64().unwrap();
        let height = visible[1].as_f64().unwrap();
        assert!(
            (-2.0..height).contains(&top),
            "{lang}: {href} is on screen: {visible}"
        );
        client.set_window_size(1000, 1200).await.unwrap();
    }
    browser.close().await;
}

#[tokio::test]
async fn the_fingerprint_words_and_the_channels_fit_a_phone() {
    let server = TestServer::set_up(Locale::Ar).await;
    crate::closed::publish_card(&server).await;
    let browser = Browser::launch(false).await;
    for lang in ["ar", "en"] {
        browser
            .client
            .goto(&format!("{}/{lang}/verify", server.base))
            .await
            .unwrap();
        let words = browser.text("#fingerprint-words").await;
        assert_eq!(words.split_whitespace().count(), 20, "{lang}: {words}");
        assert!(browser.text("#channels").await.contains("+90 555 000 0000"));
        browser.desktop_and_phone(&format!("verify-{lang}")).await;
    }
    browser.close().await;
}

/// True when no word of the reply in the opened signature block is split
/// over two lines at the current width.
const NO_WORD_CUT: &str = r"
const pre = document.querySelector('.signature-block');
pre.closest('details').open = true;
const text = pre.firstChild;
const range = document.createRange();
const cut = [];
for (const m of text.data.matchAll(/[\u0600-\u06FF]+/g)) {
  range.setStart(text, m.index);
  range.setEnd(text, m.index + m[0].length);
  const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
  const tops = new Set(rects.map(r => Math.round(r.top)));
  if (tops.size > 1) cut.push(m[0]);
}
return cut;";

/// The first request of the conversation: whether it comes first, the direction each typed
/// answer takes, and how far each sticks out sideways.
const FIRST_REQUEST: &str = r"
const first = document.getElementById('first-request');
first.scrollIntoView();
const answers = Array.from(first.querySelectorAll('dd'));
return {
  first: document.querySelector('ol.conversation > li') === first,
  directions: answers.map(d => getComputedStyle(d).direction),
  overflow: Math.max(...answers.map(d => d.scrollWidth - d.clientWidth)),
  lines: answers.map(d => Math.round(d.getBoundingClientRect().height / parseFloat(getComputedStyle(d).lineHeight))),
  meta: first.querySelector('.message-meta').innerText,
};";

#[tokio::test]
async fn an_arabic_reply_in_the_signature_box_wraps_between_words_on_a_phone() {
    let server = TestServer::set_up(Locale::Ar).await;
    // The first request: a long Arabic message with a long unbroken word in it, and a contact
    // typed in Latin letters.
    let message = format!(
        "أنا وأخي نخدم قرب الحاجز ونريد الخروج معاً.\n{}\nhttps://example.invalid/{}",
        "نستطيع الكلام مساءً فقط، بعد انتهاء النوبة، ولا نحمل هاتفاً آخر. ".repeat(12),
        "x".repeat(80)
    );
    let mut fields: Vec<(&str, &str)> = crate::intake::ANSWERS[..4].to_vec();
    fields.extend([
        ("contact", "Signal +963 944 000 000, after 22:00"),
        ("message", message.as_str()),
        ("codename_language", "ar"),
    ]);
    let sent = server.post_form("/ar/contact", &fields, None).await;
    assert_eq!(sent.status, 200, "{}", sent.text());
    let codename = crate::intake::codename_from(&sent);
    let cookie = server.log_in("en").await;
    let inbox = crate::support::request_pages(&server, &cookie, "en")
        .await
        .remove(0);
    let reply = "شكراً لرسالتك. سنتواصل معك قريباً عبر القناة التي اخترتها، واحتفظ باسمك الرمزي في مكان آمن ولا تشاركه مع أحد.";
    server
        .post_form(
            "/en/staff/inbox/reply",
            &[
                ("csrf", &crate::support::hidden_value(&inbox, "csrf")),
                ("request", &crate::support::hidden_value(&inbox, "request")),
                ("text", reply),
            ],
            Some(&cookie),
        )
        .await;
    let browser = Browser::launch(true).await;
    let client = &browser.client;
    for lang in ["ar", "en"] {
        client
            .goto(&format!("{}/{lang}/follow-up", server.base))
            .await
            .unwrap();
        client
            .find(Locator::Id("codename"))
            .await
            .unwrap()
            .send_keys(&codename)
            .await
            .unwrap();
        client
            .find(Locator::Css("form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .wait()
            .for_element(Locator::Css(".signature-block"))
            .await
            .unwrap();
        client.set_window_size(390, 844).await.unwrap();
        let cut = browser.script(NO_WORD_CUT).await;
        assert_eq!(cut.as_array().map(Vec::len), Some(0), "{lang}: words cut: {cut}");
        browser.desktop_and_phone(&format!("conversation-{lang}")).await;
        // The first request, first, under its month: each answer takes the direction of its own
        // text (the Arabic message right to left on the English page too), and the long one wraps
        // without pushing the page sideways on a phone.
        for (width, height, shot) in [(1000, 1200, "desktop"), (390, 844, "phone")] {
            client.set_window_size(width, height).await.unwrap();
            let first = browser.script(FIRST_REQUEST).await;
            assert_eq!(first["first"], true, "{lang}: {first}");
            assert_eq!(
                first["directions"],
                serde_json::json!(["ltr", "rtl"]),
                "{lang}: {first}"
            );
            assert!(first["overflow"].as_i64().unwrap() <= 0, "{lang}: {first}");
            assert!(
                first["lines"][1].as_i64().unwrap() > 3,
                "{lang}: the message wraps: {first}"
            );
            let meta = first["meta"].as_str().unwrap().to_owned();
            let label = if lang == "ar" {
                "طلبك الأول"
            } else {
                "Your first request"
            };
            assert!(meta.starts_with(label) && meta.contains("20"), "{lang}: {meta}");
            browser
                .screenshot(&format!("conversation-first-request-{lang}-{shot}"))
                .await;
        }
        client.set_window_size(1000, 1200).await.unwrap();
    }
    browser.close().await;
}

/// Gives the browser a staff session made over HTTP (`name=value`).
async fn with_session(browser: &Browser, server: &TestServer, cookie: &str) {
    let (name, value) = cookie.split_once('=').unwrap();
    browser
        .client
        .goto(&format!("{}/en/", server.base))
        .await
        .unwrap();
    let mut jar = fantoccini::cookies::Cookie::new(name.to_owned(), value.to_owned());
    jar.set_path("/");
    jar.set_secure(true);
    let host = server
        .base
        .split("://")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap();
    jar.set_domain(host.to_owned());
    browser.client.add_cookie(jar).await.unwrap();
}

/// For every tick-box and radio button on the page: its label holds it, and
/// no two options share a line. The problems found, as text.
const ONE_OPTION_PER_LINE: &str = r"
const problems = [];
let previous = null;
for (const input of document.querySelectorAll('input[type=checkbox], input[type=radio]')) {
  const label = input.closest('label');
  if (!label) { problems.push(input.name + ': no label around it'); continue; }
  const box = label.getBoundingClientRect();
  const own = input.getBoundingClientRect();
  if (own.top < box.top - 1 || own.bottom > box.bottom + 1) problems.push(input.value + ': outside its label');
  if (previous && previous.form === input.form && label.getBoundingClientRect().top < previous.bottom - 1)
    problems.push(input.value + ': on the line of another option');
  previous = { form: input.form, bottom: box.bottom };
}
return problems;";

#[tokio::test]
async fn on_the_accounts_page_each_option_has_its_own_line_with_its_label() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = server.log_in("en").await;
    crate::authz::create_account(&server, &cookie, "sami", &["intake-operator"]).await;
    let browser = Browser::launch(false).await;
    let client = &browser.client;
    with_session(&browser, &server, &cookie).await;
    for lang in ["ar", "en"] {
        client
            .goto(&format!("{}/{lang}/staff/accounts", server.base))
            .await
            .unwrap();
        client
            .wait()
            .for_element(Locator::Css("input[name=response]"))
            .await
            .unwrap();
        for width in [1000, 390] {
            client.set_window_size(width, 1200).await.unwrap();
            let problems = browser.script(ONE_OPTION_PER_LINE).await;
            assert_eq!(
                problems.as_array().map(Vec::len),
                Some(0),
                "{lang} at {width}: {problems}"
            );
        }
        browser.desktop_and_phone(&format!("accounts-{lang}")).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn a_key_refused_at_the_wrong_address_says_why_and_where_to_go() {
    // Security keys set up for http://localhost, the page opened at 127.0.0.1.
    let server =
        TestServer::fresh_with(|state| state.with_webauthn("http://localhost", "Test centre").unwrap()).await;
    server.initialise(Locale::Ar).await;
    let cookie = server.log_in("en").await;
    let browser = Browser::launch(true).await;
    let client = &browser.client;
    with_session(&browser, &server, &cookie).await;
    for (lang, why) in [("en", "not http://127.0.0.1"), ("ar", "لا http://127.0.0.1")] {
        client
            .goto(&format!("{}/{lang}/staff/security", server.base))
            .await
            .unwrap();
        client
            .wait()
            .for_element(Locator::Css("#add-key:not([hidden])"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let failed = client
            .wait()
            .for_element(Locator::Css("#key-failed:not([hidden])"))
            .await
            .unwrap();
        let text = failed.text().await.unwrap();
        assert!(text.contains(why), "{lang}: {text}");
        browser.desktop_and_phone(&format!("key-refused-{lang}")).await;
    }
    browser.close().await;
}
