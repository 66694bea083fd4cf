//! Partners over HTTP: registered by a signed card and confirmed by a second
//! administrator; the requester's consent given on the follow-up page; a
//! referral refused without consent on every route and for every role (a
//! direct post, not only through the page); the liaison's page shows exactly
//! what was shared, to that partner only; revoked at once; re-referred.

use mamar_core::Locale;
use mamar_crypto::SigningKey;
use mamar_keys::{CardDate, ContactCard, sign_card};

use crate::authz::{PASSWORD, create_account, hex, staff_id};
use crate::support::{TestServer, hidden_value};

/// A partner's signed card and the fingerprint it gives over the phone.
pub fn partner_card(name_en: &str, name_ar: &str) -> (String, String) {
    let key = SigningKey::generate().unwrap();
    let card = ContactCard {
        org_name_ar: name_ar.into(),
        org_name_en: name_en.into(),
        web_address: None,
        onion_address: None,
        hotlines: vec!["+90 555 000 0000".into()],
        telegram_bot: None,
        referral_seal: None,
        valid_until: CardDate::new(2099, 12, 31).unwrap(),
    };
    (
        sign_card(&card, &key).unwrap(),
        key.verifying_key().fingerprint().to_string(),
    )
}

async fn csrf(server: &TestServer, cookie: &str) -> String {
    hidden_value(&server.get_with_cookie("/en/staff/", cookie).await.text(), "csrf")
}

/// The page's text without Fluent's bidi isolation marks around placeables.
pub(crate) fn plain(html: String) -> String {
    html.replace(['\u{2068}', '\u{2069}'], "")
}

fn location(reply: &crate::support::Reply) -> String {
    reply.header("location").unwrap_or("").to_owned()
}

/// Posts `fields` to the case's partner route as `cookie`; returns where it sent the browser.
async fn post_partners(server: &TestServer, case: &str, fields: &[(&str, &str)], cookie: &str) -> String {
    let reply = server
        .post_form(&format!("/en/staff/cases/{case}/partners"), fields, Some(cookie))
        .await;
    location(&reply)
}

/// The id of the partner registered under `name` (from the partners page).
async fn partner_id(server: &TestServer, admin: &str, name: &str) -> String {
    let page = server.get_with_cookie("/en/staff/partners", admin).await.text();
    let at = page.find(name).unwrap();
    let before = &page[..at];
    let start = before.rfind("id=\"partner-").unwrap() + "id=\"partner-".len();
    before[start..start + 32].to_owned()
}

#[tokio::test]
async fn consent_referral_revocation_and_re_referral_over_http() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    for (name, role) in [
        ("admin2", "administrator"),
        ("coord", "exit-coordinator"),
        ("vet", "vetting-officer"),
        ("liaisona", "partner-liaison"),
        ("liaisonb", "partner-liaison"),
    ] {
        create_account(&server, &admin, name, &[role]).await;
    }
    let admin2 = server.log_in_as("en", "admin2", PASSWORD).await;
    let coord = server.log_in_as("en", "coord", PASSWORD).await;
    let vet = server.log_in_as("en", "vet", PASSWORD).await;
    let liaison_a = server.log_in_as("en", "liaisona", PASSWORD).await;
    let liaison_b = server.log_in_as("en", "liaisonb", PASSWORD).await;
    let admin_csrf = csrf(&server, &admin).await;
    let admin2_csrf = csrf(&server, &admin2).await;

    // Two partners registered by their cards; a wrong fingerprint registers nothing.
    let (card_a, print_a) = partner_card("Harbour Aid", "عون المرفأ");
    let (card_b, print_b) = partner_card("Mountain Shelter", "ملجأ الجبل");
    let refused = server
        .post_form(
            "/en/staff/partners",
            &[
                ("csrf", &admin_csrf),
                ("card", &card_a),
                ("fingerprint", &print_b),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(location(&refused), "/en/staff/partners?problem=bad-card");
    for (card, print) in [(&card_a, &print_a), (&card_b, &print_b)] {
        let registered = server
            .post_form(
                "/en/staff/partners",
                &[("csrf", &admin_csrf), ("card", card), ("fingerprint", print)],
                Some(&admin),
            )
            .await;
        assert_eq!(location(&registered), "/en/staff/partners?done=registered");
    }
    let page = server
        .get_with_cookie("/en/staff/partners?done=registered", &admin)
        .await
        .text();
    assert!(page.contains("The partner is registered."), "{page}");
    assert!(page.contains("waiting for a second administrator"));
    let a = partner_id(&server, &admin, "Harbour Aid").await;
    let b = partner_id(&server, &admin, "Mountain Shelter").await;
    // The registering administrator cannot confirm; the second one must type the right fingerprint.
    let own = server
        .post_form(
            &format!("/en/staff/partners/{a}/confirm"),
            &[("csrf", &admin_csrf), ("fingerprint", &print_a)],
            Some(&admin),
        )
        .await;
    assert_eq!(
        location(&own),
        "/en/staff/partners?problem=partner-own-registration"
    );
    let wrong = server
        .post_form(
            &format!("/en/staff/partners/{a}/confirm"),
            &[("csrf", &admin2_csrf), ("fingerprint", &print_b)],
            Some(&admin2),
        )
        .await;
    assert_eq!(
        location(&wrong),
        "/en/staff/partners?problem=partner-fingerprint-mismatch"
    );
    for (id, print) in [(&a, &print_a), (&b, &print_b)] {
        let confirmed = server
            .post_form(
                &format!("/en/staff/partners/{id}/confirm"),
                &[("csrf", &admin2_csrf), ("fingerprint", print)],
                Some(&admin2),
            )
            .await;
        assert_eq!(location(&confirmed), "/en/staff/partners?done=confirmed");
    }
    for (id, liaison) in [(&a, "liaisona"), (&b, "liaisonb")] {
        let staff = staff_id(&server, liaison).await;
        let set = server
            .post_form(
                &format!("/en/staff/partners/{id}/liaison"),
                &[("csrf", &admin_csrf), ("staff", &staff)],
                Some(&admin),
            )
            .await;
        assert_eq!(location(&set), "/en/staff/partners?done=liaison");
    }

    // A request becomes a case with a coordinator and a vetting officer on it.
    let codename = crate::intake::submit(&server, "en", "en").await;
    let request = server.store.open_requests(0, 1).await.unwrap().remove(0);
    let opened = server
        .post_form(
            &format!("/en/staff/inbox/{}/open", hex(&request.id)),
            &[
                ("csrf", &admin_csrf),
                ("person_name", "Karim Haddad"),
                ("person_phone", "+963 944 555 111"),
                ("person_birth_year", "1999"),
            ],
            Some(&admin),
        )
        .await;
    let case = location(&opened)
        .trim_start_matches("/en/staff/cases/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    for (who, duty) in [("coord", "coordinator"), ("vet", "vetting")] {
        let staff = staff_id(&server, who).await;
        let assigned = server
            .post_form(
                &format!("/en/staff/cases/{case}/act"),
                &[
                    ("csrf", &admin_csrf),
                    ("action", "assign"),
                    ("staff", &staff),
                    ("duty", duty),
                ],
                Some(&admin),
            )
            .await;
        assert!(location(&assigned).contains("done=assigned"));
    }
    let case_id: [u8; 16] = (0..16)
        .map(|i| u8::from_str_radix(&case[2 * i..2 * i + 2], 16).unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();

    // No consent: a referral posted directly is refused for everyone, on every route.
    let coord_csrf = csrf(&server, &coord).await;
    let vet_csrf = csrf(&server, &vet).await;
    let liaison_a_csrf = csrf(&server, &liaison_a).await;
    let refer = |partner: &str| {
        vec![
            ("action".to_owned(), "refer".to_owned()),
            ("partner".to_owned(), partner.to_owned()),
            ("field".to_owned(), "name".to_owned()),
            ("field".to_owned(), "phone".to_owned()),
        ]
    };
    for (cookie, token, expected) in [
        (&coord, &coord_csrf, "problem=no-consent"),
        (&vet, &vet_csrf, "problem=wrong-duty"),
        (&admin, &admin_csrf, "problem=wrong-duty"),
    ] {
        for handover in [false, true] {
            let mut fields = refer(&a);
            fields.push(("csrf".into(), token.clone()));
            if handover {
                fields.push(("handover".into(), "yes".into()));
            }
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let reply = server
                .post_form(&format!("/en/staff/cases/{case}/partners"), &fields, Some(cookie))
                .await;
            assert!(location(&reply).ends_with(expected), "{}", location(&reply));
            // The case's general action route knows no referral at all.
            let reply = server
                .post_form(&format!("/en/staff/cases/{case}/act"), &fields, Some(cookie))
                .await;
            assert_eq!(reply.status, 400);
        }
    }
    // People not on the case (the liaison, the second administrator) do not find it.
    for (cookie, token) in [(&liaison_a, &liaison_a_csrf), (&admin2, &admin2_csrf)] {
        let mut fields = refer(&a);
        fields.push(("csrf".into(), token.clone()));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let reply = server
            .post_form(&format!("/en/staff/cases/{case}/partners"), &fields, Some(cookie))
            .await;
        assert_eq!(reply.status, 404);
    }
    assert!(server.store.case_referrals(&case_id).await.unwrap().is_empty());

    // The requester agrees on the follow-up page that A may know the name (not the phone).
    let page = plain(
        server
            .post_form("/en/follow-up", &[("codename", &codename)], None)
            .await
            .text(),
    );
    assert!(page.contains("I agree that Harbour Aid may know:"), "{page}");
    let given = server
        .post_form(
            "/en/follow-up",
            &[
                ("codename", &codename),
                ("action", "consent"),
                ("partner", &a),
                ("field", "name"),
            ],
            None,
        )
        .await;
    assert!(plain(given.text()).contains("Your agreement to share with Harbour Aid is recorded."));
    let mut with_phone = refer(&a);
    with_phone.push(("csrf".into(), coord_csrf.clone()));
    let with_phone: Vec<(&str, &str)> = with_phone.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(
        post_partners(&server, &case, &with_phone, &coord)
            .await
            .ends_with("problem=no-consent")
    );
    let only_name = [
        ("csrf", coord_csrf.as_str()),
        ("action", "refer"),
        ("partner", &a),
        ("field", "name"),
    ];
    assert!(
        post_partners(&server, &case, &only_name, &coord)
            .await
            .ends_with("done=referred")
    );
    let to_b = [
        ("csrf", coord_csrf.as_str()),
        ("action", "refer"),
        ("partner", &b),
        ("field", "name"),
    ];
    assert!(
        post_partners(&server, &case, &to_b, &coord)
            .await
            .ends_with("problem=no-consent")
    );

    // A's liaison sees the name and nothing else; B's liaison sees nothing and cannot answer it.
    let page = server
        .get_with_cookie("/en/staff/referrals", &liaison_a)
        .await
        .text();
    assert!(page.contains("Karim Haddad"), "{page}");
    assert!(!page.contains("+963 944 555 111"));
    let referral = hex(&server.store.case_referrals(&case_id).await.unwrap()[0].id);
    let page_b = server
        .get_with_cookie("/en/staff/referrals", &liaison_b)
        .await
        .text();
    assert!(!page_b.contains("Karim Haddad"));
    assert!(page_b.contains("Nothing has been referred to you."));
    let liaison_b_csrf = csrf(&server, &liaison_b).await;
    let answer_b = server
        .post_form(
            &format!("/en/staff/referrals/{referral}/answer"),
            &[("csrf", &liaison_b_csrf), ("answer", "accept")],
            Some(&liaison_b),
        )
        .await;
    assert_eq!(answer_b.status, 404);
    let accepted = server
        .post_form(
            &format!("/en/staff/referrals/{referral}/answer"),
            &[("csrf", &liaison_a_csrf), ("answer", "accept")],
            Some(&liaison_a),
        )
        .await;
    assert_eq!(location(&accepted), "/en/staff/referrals?done=accepted");
    let page = server
        .get_with_cookie("/en/staff/referrals?done=accepted", &liaison_a)
        .await
        .text();
    assert!(page.contains("You accepted the referral."));

    // Revoked: the case page says plainly what A may already have seen; A's page shows nothing.
    let revoke = [
        ("csrf", coord_csrf.as_str()),
        ("action", "revoke"),
        ("referral", &referral),
    ];
    assert!(
        post_partners(&server, &case, &revoke, &coord)
            .await
            .ends_with("done=revoked")
    );
    let page = plain(
        server
            .get_with_cookie(&format!("/en/staff/cases/{case}?done=revoked"), &coord)
            .await
            .text(),
    );
    assert!(page.contains("The referral is revoked"), "{page}");
    assert!(page.contains(
        "Harbour Aid opened this referral before it was revoked: they may already have seen and kept Name."
    ));
    let page = server
        .get_with_cookie("/en/staff/referrals", &liaison_a)
        .await
        .text();
    assert!(!page.contains("Karim Haddad"));
    assert!(page.contains("Nothing has been referred to you."));

    // Re-referred: A's liaison sees it again, under a new key.
    assert!(
        post_partners(&server, &case, &only_name, &coord)
            .await
            .ends_with("done=referred")
    );
    let page = server
        .get_with_cookie("/en/staff/referrals", &liaison_a)
        .await
        .text();
    assert!(page.contains("Karim Haddad"));
}
