//! When the public site cannot take requests it says so plainly and lists
//! the other channels: after the panic action, below the floor of free
//! space, beyond the ceiling of new requests. And `/health` says why.

use mamar_core::Locale;
use mamar_crypto::{OrgKey, OrgKeyKind, Password, StaffKeyPair};
use mamar_keys::{CardDate, ContactCard, sign_card_with_org_key};
use mamar_web::IntakeLimits;

use crate::intake::{ANSWERS, submit};
use crate::support::{ADMIN_PASSWORD, ORG_AR, ORG_EN, TestServer};

/// Publishes a signed contact card as `mamar card publish` does.
pub(crate) async fn publish_card(server: &TestServer) {
    publish_card_with_onion(server, None).await;
}

/// The same, with an onion address on the card.
async fn publish_card_with_onion(server: &TestServer, onion: Option<&str>) {
    let staff = server
        .store
        .staff_by_username(&mamar_core::Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let keys =
        StaffKeyPair::unwrap_with_password(&staff.wrapped_secret_keys, &Password::new(ADMIN_PASSWORD.into()))
            .unwrap();
    let mut signing = None;
    for grant in server.store.org_key_grants(staff.id).await.unwrap() {
        let key = OrgKey::unwrap(&grant.wrapped, &keys).unwrap();
        if key.kind() == OrgKeyKind::Signing {
            signing = Some(key);
        }
    }
    let card = ContactCard {
        org_name_ar: ORG_AR.into(),
        org_name_en: ORG_EN.into(),
        web_address: Some("https://example.org/safe".into()),
        onion_address: onion.map(str::to_owned),
        hotlines: vec!["+90 555 000 0000".into()],
        telegram_bot: Some("@SafePassageBot".into()),
        referral_seal: None,
        valid_until: CardDate::new(2099, 12, 31).unwrap(),
    };
    let signed = sign_card_with_org_key(&card, &signing.unwrap()).unwrap();
    server
        .store
        .set_setting(mamar_web::CARD_SETTING, signed.as_bytes())
        .await
        .unwrap();
}

async fn health(server: &TestServer) -> (u16, serde_json::Value) {
    let reply = server.get("/health").await;
    (reply.status, serde_json::from_str(&reply.text()).unwrap())
}

#[tokio::test]
async fn after_the_panic_every_page_says_what_is_true() {
    let server = TestServer::set_up(Locale::Ar).await;
    publish_card(&server).await;
    let codename = submit(&server, "ar", "ar").await;
    // A reply, signed by the organisation.
    let cookie = server.log_in("en").await;
    let inbox = crate::support::request_pages(&server, &cookie, "en")
        .await
        .remove(0);
    let sent = server
        .post_form(
            "/en/staff/inbox/reply",
            &[
                ("csrf", &crate::support::hidden_value(&inbox, "csrf")),
                ("request", &crate::support::hidden_value(&inbox, "request")),
                ("text", "REPLY-BEFORE-PANIC"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, 303);
    let fingerprint_before = server.get("/en/verify").await.text();
    assert_eq!(health(&server).await.1["keys"], "present");

    // The panic action, run from another process (`mamar panic`).
    server.store.destroy_key_material().await.unwrap();
    // The server reads the state of the keys again within half a second.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;

    for path in ["/ar/", "/ar/contact", "/ar/follow-up"] {
        let page = server.get(path).await;
        assert_eq!(page.status, 503, "{path}");
        let html = page.text();
        assert!(html.contains("هذه القناة مغلقة الآن"), "{path}: {html}");
        assert!(
            html.contains("https://example.org/safe"),
            "{path}: the other channels"
        );
        assert!(html.contains("+90 555 000 0000"), "{path}");
        assert!(html.contains("@SafePassageBot"), "{path}");
        assert!(!html.contains(r#"name="urgency""#), "{path}: no form is offered");
    }
    let mut fields: Vec<(&str, &str)> = ANSWERS.to_vec();
    fields.push(("codename_language", "ar"));
    let submitted = server.post_form("/ar/contact", &fields, None).await;
    assert_eq!(submitted.status, 503);
    assert!(!submitted.text().contains(r#"id="codename""#));
    assert!(submitted.text().contains("هذه القناة مغلقة الآن"));

    // The follow-up reads nothing, and never calls the genuine reply forged.
    let follow_up = server
        .post_form(
            "/en/follow-up",
            &[("codename", &codename), ("action", "view")],
            None,
        )
        .await;
    assert_eq!(follow_up.status, 503);
    let html = follow_up.text();
    assert!(!html.contains("REPLY-BEFORE-PANIC"), "{html}");
    assert!(html.contains("This channel is closed for now"), "{html}");
    assert!(!html.to_lowercase().contains("not valid"), "{html}");
    // Not even with the codename and the database: the requester's copy of the reply is gone.
    let request = server.store.intake_requests(10).await.unwrap().remove(0);
    let messages = server.store.intake_messages(&request.id).await.unwrap();
    assert!(
        messages
            .iter()
            .filter(|m| !m.from_requester)
            .all(|m| m.sealed.is_empty())
    );

    // The organisation's public key survives: the fingerprint page is unchanged.
    assert_eq!(server.get("/en/verify").await.text(), fingerprint_before);

    let (status, body) = health(&server).await;
    assert_eq!(status, 503);
    assert_eq!(body["keys"], "destroyed");

    // Staff are told what happened and what to do, not "wrong password".
    for login in [
        server.get("/en/staff/login").await,
        server
            .post_form(
                "/en/staff/login",
                &[("username", "admin"), ("password", ADMIN_PASSWORD)],
                None,
            )
            .await,
    ] {
        assert_eq!(login.status, 503);
        let html = login.text();
        assert!(html.contains("keys were destroyed"), "{html}");
        assert!(html.contains("mamar recovery restore"), "{html}");
        assert!(!html.contains("wrong"), "{html}");
    }
}

#[tokio::test]
async fn below_the_floor_of_free_space_intake_closes_with_the_other_channels() {
    let server = TestServer::fresh_with(|state| {
        state.with_intake_limits(IntakeLimits {
            min_free_bytes: u64::MAX,
            per_minute: 0,
        })
    })
    .await;
    server.initialise(Locale::En).await;
    publish_card(&server).await;
    let form = server.get("/en/contact").await;
    assert_eq!(form.status, 503);
    assert!(form.header("retry-after").is_some());
    let html = form.text();
    assert!(html.contains("We cannot take requests here right now"), "{html}");
    assert!(html.contains("https://example.org/safe"), "{html}");
    let arabic = server.get("/ar/contact").await.text();
    assert!(arabic.contains("لا نستطيع استقبال الطلبات هنا الآن"), "{arabic}");
    let mut fields: Vec<(&str, &str)> = ANSWERS.to_vec();
    fields.push(("codename_language", "en"));
    assert_eq!(server.post_form("/en/contact", &fields, None).await.status, 503);
    assert!(server.store.intake_requests(10).await.unwrap().is_empty());
    let (status, body) = health(&server).await;
    assert_eq!(status, 503);
    assert_eq!(body["storage"], "low-space");
    // The rest of the site answers.
    assert_eq!(server.get("/en/").await.status, 200);
    assert_eq!(server.get("/en/staff/login").await.status, 200);
}

#[tokio::test]
async fn beyond_the_ceiling_of_new_requests_a_minute_intake_waits() {
    let server = TestServer::fresh_with(|state| {
        state.with_intake_limits(IntakeLimits {
            min_free_bytes: 1,
            per_minute: 3,
        })
    })
    .await;
    server.initialise(Locale::En).await;
    for _ in 0..3 {
        submit(&server, "en", "en").await;
    }
    let mut fields: Vec<(&str, &str)> = ANSWERS.to_vec();
    fields.push(("codename_language", "en"));
    let refused = server.post_form("/en/contact", &fields, None).await;
    assert_eq!(refused.status, 503);
    assert_eq!(refused.header("retry-after"), Some("60"));
    assert!(refused.text().contains("Nothing you sent before was lost"));
    assert!(!refused.text().contains(r#"id="codename""#));
    assert_eq!(server.store.intake_requests(10).await.unwrap().len(), 3);
    assert_eq!(health(&server).await.0, 200, "a flood held back is not a fault");
}

#[tokio::test]
async fn the_call_page_lists_the_signed_cards_channels_with_the_onion_address() {
    let server = TestServer::set_up(Locale::Ar).await;
    let before = server.get("/ar/").await.text();
    assert!(!before.contains("id=\"channels\""), "no card, no list");
    let onion = format!("{}.onion", "a".repeat(56));
    publish_card_with_onion(&server, Some(&onion)).await;
    let page = server.get("/ar/").await.text();
    assert!(page.contains("قنواتنا") && page.contains(&onion), "{page}");
    assert!(page.contains("+90 555 000 0000"));
}

#[tokio::test]
async fn the_call_page_lists_the_hotlines_of_the_signed_card() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cookie = server.log_in("ar").await;
    let before = server
        .get_with_cookie("/ar/staff/cases/new", &cookie)
        .await
        .text();
    assert!(
        before.contains("لا أرقام خط ساخن في بطاقة الاتصال الموقّعة بعد"),
        "{before}"
    );
    publish_card(&server).await;
    let page = server
        .get_with_cookie("/ar/staff/cases/new", &cookie)
        .await
        .text();
    assert!(page.contains("أرقام الخط الساخن في بطاقة الاتصال الموقّعة"));
    assert!(page.contains("+90 555 000 0000"), "{page}");
    // One step from the workspace: every staff page of an intake holder links to the call entry.
    let home = server.get_with_cookie("/ar/staff/", &cookie).await.text();
    assert!(home.contains("href=\"/ar/staff/cases/new\""));
}

#[tokio::test]
async fn a_phone_alone_can_check_the_fingerprint_words_against_the_cards_other_channels() {
    let server = TestServer::set_up(Locale::Ar).await;
    publish_card(&server).await;
    let card = String::from_utf8(
        server
            .store
            .setting(mamar_web::CARD_SETTING)
            .await
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let signing_key = card
        .lines()
        .find_map(|line| line.strip_prefix("signing-key: "))
        .unwrap()
        .to_owned();
    for (lang, title, words_title) in [
        ("ar", "التحقّق بالهاتف وحده", "ابحث عن كلمات بصمتنا"),
        ("en", "Check with a phone alone", "Find our fingerprint words"),
    ] {
        let page = server.get(&format!("/{lang}/verify")).await.text();
        // The phone check comes first: the twenty words, one per item, in order.
        let phone = page.find(title).expect(title);
        assert!(
            phone < page.find(r#"id="fingerprint">"#).unwrap(),
            "{lang}: words before hex"
        );
        let start = page.find(r#"id="fingerprint-words""#).unwrap();
        let list = &page[start..start + page[start..].find("</ol>").unwrap()];
        assert_eq!(list.matches("<li>").count(), 20, "{lang}: {list}");
        assert!(page.contains(words_title));
        // Where the same words are published: the card's other channels.
        let start = page.find(r#"id="channels""#).expect("the card's channels");
        let channels = &page[start..start + page[start..].find("</ul>").unwrap()];
        for channel in ["https://example.org/safe", "+90 555 000 0000", "@SafePassageBot"] {
            assert!(channels.contains(channel), "{lang}: {channels}");
        }
        // Only what a person should compare: the card's signing key (which
        // differs from the fingerprint) is not on the page; the card is a download.
        assert!(!page.contains(&signing_key), "{lang}: the signing key is shown");
        assert!(page.contains(&format!(r#"href="/{lang}/verify/card.txt""#)));
        let file = server.get(&format!("/{lang}/verify/card.txt")).await;
        assert_eq!(file.status, 200);
        assert_eq!(file.text(), card);
        assert_eq!(file.header("content-type"), Some("text/plain; charset=utf-8"));
        assert!(file.header("content-disposition").unwrap().contains("card.txt"));
    }
    // No card published: the download is a page saying so, not an error.
    let bare = TestServer::set_up(Locale::En).await;
    assert_eq!(bare.get("/en/verify/card.txt").await.status, 404);
    assert!(!bare.get("/en/verify").await.text().contains("card.txt\""));
}
