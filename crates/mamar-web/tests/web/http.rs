//! What a client sees over HTTP: the setup page, the landing page in both
//! languages, the headers every answer carries, and error pages that leak
//! nothing.

use mamar_core::Locale;

use crate::support::{ORG_AR, ORG_EN, TestServer, assert_no_internal_detail, assert_security_headers};

#[tokio::test]
async fn before_setup_every_page_explains_how_to_finish_it_in_both_languages() {
    let server = TestServer::fresh().await;
    for path in ["/", "/ar/", "/en/", "/en/anything"] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 503, "{path}");
        let html = reply.text();
        assert!(html.contains("mamar init"), "{path}");
        assert!(html.contains("لم يُجهَّز ممر بعد"), "{path}: no Arabic");
        assert!(html.contains("mamar is not set up yet"), "{path}: no English");
        assert_security_headers(&reply, path);
    }
    // English first when the reader asked for English.
    let html = server.get("/en/").await.text();
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(html.find("not set up yet") < html.find("لم يُجهَّز"));
    // The Arabic dual form: "in two steps".
    assert!(server.get("/ar/").await.text().contains("في خطوتين"));

    // Setup done (by `mamar init` in another process): the same server now serves the call page.
    server.initialise(Locale::Ar).await;
    assert_eq!(server.get("/ar/").await.status, 200);
}

#[tokio::test]
async fn addresses_typed_without_the_final_slash_lead_to_their_page() {
    let server = TestServer::set_up(Locale::Ar).await;
    for path in ["/ar", "/en", "/ar/staff", "/en/staff"] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 308, "{path}");
        assert_eq!(
            reply.header("location"),
            Some(format!("{path}/").as_str()),
            "{path}"
        );
    }
    assert_eq!(server.get("/fr").await.status, 404);
    assert_eq!(server.get("/fr/staff").await.status, 404);
    // And the page it leads to is there.
    assert_eq!(server.get("/en/").await.status, 200);
}

#[tokio::test]
async fn text_answers_are_compressed_for_browsers_that_ask_and_fonts_are_not() {
    let server = TestServer::set_up(Locale::Ar).await;
    let gzip = [("accept-encoding", "gzip")];
    for path in ["/ar/contact", "/assets/mamar.css"] {
        let plain = server.get(path).await;
        assert_eq!(plain.header("content-encoding"), None, "{path}");
        let packed = server.get_with_headers(path, &gzip).await;
        assert_eq!(packed.status, 200);
        assert_eq!(packed.header("content-encoding"), Some("gzip"), "{path}");
        assert!(
            packed.body.len() * 2 < plain.body.len(),
            "{path}: at least halved"
        );
    }
    let font = server
        .get_with_headers("/assets/fonts/NotoSansArabic-Regular.woff2", &gzip)
        .await;
    assert_eq!(font.status, 200);
    assert_eq!(font.header("content-encoding"), None);
}

#[tokio::test]
async fn every_page_names_a_favicon_served_from_the_same_origin() {
    let server = TestServer::set_up(Locale::Ar).await;
    for path in ["/ar/", "/en/contact", "/en/staff/login"] {
        let html = server.get(path).await.text();
        assert!(
            html.contains(r#"<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">"#),
            "{path}"
        );
    }
    let icon = server.get("/assets/favicon.svg").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.header("content-type"), Some("image/svg+xml"));
    assert!(icon.text().starts_with("<svg"));
}

#[tokio::test]
async fn the_landing_page_follows_the_language_in_its_address() {
    let server = TestServer::set_up(Locale::Ar).await;

    let arabic = server.get("/ar/").await;
    assert_eq!(arabic.status, 200);
    let html = arabic.text();
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    assert!(html.contains(ORG_AR));
    assert!(html.contains("اترك الخدمة المسلحة بأمان"));
    assert!(html.contains(r#"href="/en/""#), "no switch to English");
    assert_eq!(arabic.header("cache-control"), Some("no-store"));

    let english = server.get("/en/").await.text();
    assert!(english.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(english.contains(ORG_EN));
    assert!(english.contains("Leave armed service safely"));
    assert!(english.contains(r#"href="/ar/""#), "no switch to Arabic");
}

#[tokio::test]
async fn the_root_sends_readers_to_the_organisation_default_language() {
    let server = TestServer::set_up(Locale::En).await;
    let reply = server.get("/").await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/en/"));

    let server = TestServer::set_up(Locale::Ar).await;
    assert_eq!(server.get("/").await.header("location"), Some("/ar/"));
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = TestServer::set_up(Locale::Ar).await;
    for path in [
        "/",
        "/ar/",
        "/en/",
        "/health",
        "/assets/mamar.css",
        "/ar/no-such-page",
        "/fr/",
        "/assets/nothing",
    ] {
        assert_security_headers(&server.get(path).await, path);
    }
}

/// Every address the page would load or send to by itself: `src`, `action`, `formaction`,
/// `<link href>` and CSS `url(…)`. (Links a reader may follow are not loads.)
fn loaded_addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [
        " src=\"",
        " action=\"",
        " formaction=\"",
        " srcset=\"",
        " poster=\"",
    ] {
        for rest in html.split(attribute).skip(1) {
            found.push(rest.split('"').next().unwrap_or_default().to_owned());
        }
    }
    for tag in html.split("<link").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if let Some(rest) = tag.split(" href=\"").nth(1) {
            found.push(rest.split('"').next().unwrap_or_default().to_owned());
        }
    }
    for rest in html.split("url(").skip(1) {
        found.push(
            rest.split(')')
                .next()
                .unwrap_or_default()
                .trim_matches(['"', '\''])
                .to_owned(),
        );
    }
    found
}

/// Inline `data:` images (the fingerprint's QR code) load nothing over the network.
fn from_another_origin(address: &str) -> bool {
    !address.starts_with("data:") && (address.starts_with("//") || address.contains("://"))
}

#[tokio::test]
async fn no_page_loads_anything_from_another_origin() {
    let server = TestServer::set_up(Locale::Ar).await;
    let staff = server.log_in("en").await;
    let mut pages = 0;
    for spec in mamar_web::routes::route_specs() {
        if spec.method != "GET" || !spec.path.starts_with("/{lang}") {
            continue;
        }
        for lang in ["ar", "en"] {
            let path = spec
                .path
                .replace("{lang}", lang)
                .replace("{token}", "bm90LWEtcmVhbC1pbnZpdGF0aW9uLXRva2VuLWF0LWFsbA")
                .replace("{id}", &"5f".repeat(16))
                .replace("{hash}", &"a7".repeat(32));
            for cookie in [None, Some(staff.as_str())] {
                let reply = match cookie {
                    Some(cookie) => server.get_with_cookie(&path, cookie).await,
                    None => server.get(&path).await,
                };
                if !reply
                    .header("content-type")
                    .unwrap_or("")
                    .starts_with("text/html")
                {
                    continue;
                }
                pages += 1;
                let html = reply.text();
                let addresses = loaded_addresses(&html);
                let foreign: Vec<&String> = addresses.iter().filter(|a| from_another_origin(a)).collect();
                assert!(foreign.is_empty(), "{path} loads {foreign:?}");
            }
        }
    }
    assert!(pages >= 30, "only {pages} pages were looked at");
    // The call pages do not even link elsewhere.
    for path in ["/ar/", "/en/"] {
        let html = server.get(path).await.text();
        for marker in ["http://", "https://", "src=\"//", "href=\"//"] {
            assert!(!html.contains(marker), "{path} references {marker}");
        }
    }
    // The search finds what it looks for.
    let planted =
        r#"<img src="https://tracker.example/p.gif"><link rel="stylesheet" href="//cdn.example/x.css">"#;
    assert_eq!(
        loaded_addresses(planted)
            .iter()
            .filter(|a| from_another_origin(a))
            .count(),
        2
    );
    let css = server.get("/assets/mamar.css").await.text();
    assert!(
        loaded_addresses(&css).iter().all(|a| !from_another_origin(a)),
        "the stylesheet loads from another origin"
    );
    assert!(!css.contains("http"), "the stylesheet references another origin");
}

#[tokio::test]
async fn assets_are_served_from_the_binary() {
    let server = TestServer::set_up(Locale::Ar).await;
    let css = server.get("/assets/mamar.css").await;
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let font = server.get("/assets/fonts/NotoSansArabic-Regular.woff2").await;
    assert_eq!(font.status, 200);
    assert_eq!(font.header("content-type"), Some("font/woff2"));
    assert_eq!(&font.body[..4], b"wOF2");
    assert_eq!(server.get("/assets/../Cargo.toml").await.status, 404);
}

#[tokio::test]
async fn errors_are_pages_in_the_reader_language_without_internal_detail() {
    let server = TestServer::set_up(Locale::Ar).await;

    let missing = server.get("/en/no/such/page").await;
    assert_eq!(missing.status, 404);
    let html = missing.text();
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains(r#"dir="ltr""#));

    let missing = server.get("/ar/لا-شيء").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("الصفحة غير موجودة"));

    // A method the route does not take: a page, not the framework's text.
    let wrong_method = server.request("DELETE", "/en/", Vec::new(), None).await;
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.text().contains("We could not read this request"));

    // A body over the limit is refused with a page in the reader's language.
    let huge = vec![b'a'; mamar_web::MAX_BODY_BYTES + 1];
    let too_large = server
        .request("POST", "/ar/", huge, Some("application/x-www-form-urlencoded"))
        .await;
    assert!(
        too_large.status == 413 || too_large.status == 405,
        "{}",
        too_large.status
    );
    assert!(
        too_large
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html")
    );

    for reply in [missing, wrong_method, too_large] {
        assert_no_internal_detail(&reply, "error page");
    }
}

#[tokio::test]
async fn when_the_database_fails_pages_say_so_in_the_readers_language_and_nothing_more() {
    let server = TestServer::set_up(Locale::Ar).await;
    let codename = crate::intake::submit(&server, "ar", "ar").await;
    let staff = server.log_in("en").await;
    server.store.close().await;

    let mut fields: Vec<(&str, &str)> = crate::intake::ANSWERS.to_vec();
    fields.push(("codename_language", "ar"));
    let answers = [
        (
            "POST /ar/contact",
            server.post_form("/ar/contact", &fields, None).await,
            "ar",
        ),
        (
            "POST /ar/follow-up",
            server
                .post_form(
                    "/ar/follow-up",
                    &[("codename", codename.as_str()), ("action", "view")],
                    None,
                )
                .await,
            "ar",
        ),
        (
            "GET /en/staff/inbox",
            server.get_with_cookie("/en/staff/inbox", &staff).await,
            "en",
        ),
    ];
    for (what, reply, lang) in answers {
        assert!(reply.status >= 500, "{what}: {}", reply.status);
        let expected = if what == "POST /ar/contact" {
            // A request that could not be stored says so, and gives no codename.
            "لم يُحفظ طلبك"
        } else if lang == "ar" {
            "تعذّر علينا إتمام هذا الطلب"
        } else {
            "We could not complete this request"
        };
        assert!(!reply.text().contains(r#"id="codename""#), "{what}");
        assert!(reply.text().contains(expected), "{what}: {}", reply.text());
        assert_security_headers(&reply, what);
        assert_no_internal_detail(&reply, what);
        assert!(!reply.text().contains("pool"), "{what} leaks the database error");
    }
}

#[tokio::test]
async fn health_reports_the_database_and_setup_state() {
    let server = TestServer::fresh().await;
    let reply = server.get("/health").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.text(),
        r#"{"status":"ok","setup":"required","storage":"ok","keys":"present"}"#
    );
    server.initialise(Locale::Ar).await;
    assert_eq!(
        server.get("/health").await.text(),
        r#"{"status":"ok","setup":"done","storage":"ok","keys":"present"}"#
    );

    server.store.close().await;
    let reply = server.get("/health").await;
    assert_eq!(reply.status, 503);
    assert!(!reply.text().contains("pool"), "leaks the database error");
}

#[tokio::test]
async fn the_help_page_explains_safer_ways_in_both_languages() {
    let server = TestServer::set_up(Locale::Ar).await;
    let arabic = server.get("/ar/help").await;
    assert_eq!(arabic.status, 200);
    assert!(arabic.text().contains("متصفح تور"));
    assert!(arabic.text().contains("لا ترسل أبداً أي معلومات عسكرية"));
    let english = server.get("/en/help").await.text();
    assert!(english.contains("Tor Browser"));
    assert!(english.contains("Never send military information"));
    assert!(server.get("/ar/").await.text().contains(r#"href="/ar/help""#));
}

#[tokio::test]
async fn a_staff_error_page_leads_back_to_the_workspace() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = server.log_in("ar").await;
    for (lang, back) in [("ar", "العودة إلى مساحة العمل"), ("en", "Back to the workspace")]
    {
        let missing = server
            .get_with_cookie(&format!("/{lang}/staff/inbox/not-a-request"), &cookie)
            .await;
        assert!(missing.status >= 400, "{lang}");
        let html = missing.text();
        assert!(
            html.contains(&format!(r#"<a href="/{lang}/staff/">{back}</a>"#)),
            "{html}"
        );
        // A public error page still leads to the start page.
        let public = server.get(&format!("/{lang}/no-such-page")).await.text();
        assert!(public.contains(&format!(r#"<a href="/{lang}/">"#)));
        assert!(!public.contains(&format!(r#"href="/{lang}/staff/""#)));
    }
}
