//! Styles, fonts and scripts under names that change with their content,
//! cached for long.

use mamar_core::Locale;

use crate::support::TestServer;

/// The address in `html` that starts with `prefix` and ends at the next quote.
fn address<'a>(html: &'a str, prefix: &str) -> &'a str {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {html}"));
    let end = start + html[start..].find('"').unwrap();
    &html[start..end]
}

#[tokio::test]
async fn styles_and_fonts_are_cached_for_long_under_names_that_change_with_their_content() {
    let server = TestServer::set_up(Locale::Ar).await;
    let immutable = Some("public, max-age=31536000, immutable");
    for page in ["/ar/", "/en/contact", "/en/staff/login"] {
        let html = server.get(page).await.text();
        let css = address(&html, "/assets/mamar.");
        assert!(
            css.ends_with(".css") && css.len() == "/assets/mamar..css".len() + 12,
            "{css}"
        );
        assert!(!html.contains("\"/assets/mamar.css\""), "{page}: the plain name");
        let sheet = server.get(css).await;
        assert_eq!(sheet.status, 200);
        assert_eq!(sheet.header("cache-control"), immutable, "{css}");
        // The stylesheet names the fonts by their hashed names; each is the font.
        let sheet = sheet.text();
        for font in ["NotoSansArabic-Regular", "NotoSansArabic-Bold"] {
            let url = address(&sheet, &format!("/assets/fonts/{font}."));
            assert!(url.ends_with(".woff2"), "{url}");
            let file = server.get(url).await;
            assert_eq!(file.header("cache-control"), immutable, "{url}");
            assert_eq!(&file.body[..4], b"wOF2");
            assert_eq!(
                file.body,
                server.get(&format!("/assets/fonts/{font}.woff2")).await.body
            );
        }
        // The name is the content's: the stylesheet's hash over what is served.
        use sha2::Digest;
        let digest = sha2::Sha256::digest(sheet.as_bytes());
        let tag: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        assert_eq!(css, format!("/assets/mamar.{tag}.css"));
    }
    // The plain names still answer, for pages already open, cached briefly.
    let plain = server.get("/assets/mamar.css").await;
    assert_eq!(plain.header("cache-control"), Some("public, max-age=3600"));
    // A made-up hash is not found.
    assert_eq!(server.get("/assets/mamar.000000000000.css").await.status, 404);
}
