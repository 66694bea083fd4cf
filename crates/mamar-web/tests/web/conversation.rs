//! The follow-up page shows the whole conversation: the requester's first
//! request (what they typed into the form), their later messages and the
//! replies, in order, each with its month in words (never a day or a time),
//! in Arabic and English; messages from before copies were kept are not
//! shown, and the page says so once; a first request from before copies were
//! kept says it cannot be shown.

use mamar_core::Locale;
use mamar_crypto::{Codename, OrgPublicKey, RequesterKeys, SealPurpose};
use mamar_store::{IntakeMessage, IntakeRequest, IntakeWrite};
use mamar_usecases::intake::{CODENAME_KDF, new_codename, parse_codename};

use crate::intake::{ANSWERS, codename_from, submit};
use crate::support::{TestServer, hidden_value, request_page_with};

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const AR_MONTHS: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];

async fn follow_up(server: &TestServer, lang: &str, codename: &str, action: &[(&str, &str)]) -> String {
    let mut fields = vec![("codename", codename)];
    fields.extend_from_slice(action);
    let reply = server
        .post_form(&format!("/{lang}/follow-up"), &fields, None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.text()
}

#[tokio::test]
async fn the_requester_rereads_the_conversation_with_months_in_both_languages() {
    let server = TestServer::set_up(Locale::Ar).await;
    let codename = submit(&server, "en", "en").await;
    let first = follow_up(
        &server,
        "en",
        &codename,
        &[("action", "send"), ("message", "OWN-first-later-message")],
    )
    .await;
    assert!(first.contains("OWN-first-later-message"), "{first}");

    // Staff reply, then the requester writes again.
    let cookie = server.log_in("en").await;
    let page = request_page_with(&server, &cookie, "en", "OWN-first-later-message").await;
    let sent = server
        .post_form(
            "/en/staff/inbox/reply",
            &[
                ("csrf", &hidden_value(&page, "csrf")),
                ("request", &hidden_value(&page, "request")),
                ("text", "STAFF-reply-text"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    follow_up(
        &server,
        "en",
        &codename,
        &[("action", "send"), ("message", "OWN-second-later-message")],
    )
    .await;

    let month = mamar_usecases::month_of(server.clock.now());
    let number: usize = month[5..].parse().unwrap();
    let year = &month[..4];
    // The month the request arrived in (the intake's own clock).
    let received = server.store.intake_requests(1).await.unwrap()[0]
        .received_month
        .clone();
    let (_, typed_message) = ANSWERS[5];
    for (lang, months, you, us, first, question) in [
        (
            "en",
            EN_MONTHS,
            "Your message",
            "Our reply",
            "Your first request",
            "A safe way and time to reach you",
        ),
        (
            "ar",
            AR_MONTHS,
            "رسالتك",
            "ردّنا",
            "طلبك الأول",
            "طريقة ووقت آمنان للتواصل معك",
        ),
    ] {
        let html = follow_up(&server, lang, &codename, &[("action", "view")]).await;
        // In order: the first request, the requester, the organisation, the requester.
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{needle} missing: {html}"))
        };
        let first_at = at(r#"<li class="own first-request" id="first-request">"#);
        assert!(first_at < at(typed_message));
        assert!(at(question) < at("evenings, this channel only"));
        assert!(at(typed_message) < at("OWN-first-later-message"));
        assert!(at("OWN-first-later-message") < at("STAFF-reply-text"));
        assert!(at("STAFF-reply-text") < at("OWN-second-later-message"));
        assert!(
            html[first_at..].contains(&format!(r#"{first} · <time datetime="{received}">"#)),
            "{html}"
        );
        // What was chosen from lists is not repeated.
        assert!(!html.contains("sy-hl") && !html.contains(if lang == "en" { "Aleppo" } else { "حلب" }));
        assert_eq!(
            html.matches(&format!(r#"<time datetime="{month}">"#)).count(),
            3 + usize::from(received == month),
            "{html}"
        );
        let name = months[number - 1];
        assert!(
            html.contains(name) && html.contains(year),
            "{lang}: no {name} {year}: {html}"
        );
        assert!(html.contains(you) && html.contains(us), "{html}");
        assert!(!html.contains("earlier-not-shown"), "{html}");
        // No day, no time of day, anywhere in the conversation.
        assert!(!html.contains(&format!("{month}-")), "{html}");
    }

    // A message from before copies were kept: left out, and said once.
    let request = server.store.intake_requests(1).await.unwrap().remove(0);
    server
        .store
        .apply_intake(&[IntakeWrite::Message(IntakeMessage {
            id: [3; 16],
            request_id: request.id,
            from_requester: true,
            sealed: vec![5; 80],
            key_generation: 1,
            signature: None,
            staff_copy: None,
            sent_month: None,
            own_copy: None,
        })])
        .await
        .unwrap();
    let html = follow_up(&server, "en", &codename, &[("action", "view")]).await;
    assert_eq!(
        html.matches("Messages you sent before this page kept a copy for you are not shown here.")
            .count(),
        1,
        "{html}"
    );
    assert!(html.contains("OWN-second-later-message"), "{html}");
    let html = follow_up(&server, "ar", &codename, &[("action", "view")]).await;
    assert!(html.contains("لا تظهر هنا"), "{html}");
}

/// The follow-up page for a codename that opens no request (404), as text.
async fn not_found(server: &TestServer, codename: &str) -> String {
    let reply = server
        .post_form(
            "/ar/follow-up",
            &[("codename", codename), ("action", "view")],
            None,
        )
        .await;
    assert_eq!(reply.status, 404, "{}", reply.text());
    reply.text()
}

/// A request as an older version stored it: no copy of it for the requester.
async fn request_from_before_copies(server: &TestServer, codename: &str) -> [u8; 16] {
    let salt = server.store.setting("codename-salt").await.unwrap().unwrap();
    let codename = Codename::new(parse_codename(codename).unwrap());
    let keys = RequesterKeys::derive(&codename, &salt, &CODENAME_KDF).unwrap();
    let public =
        OrgPublicKey::from_bytes(&server.store.org_public_key("intake").await.unwrap().unwrap()).unwrap();
    let id = mamar_crypto::random_bytes::<16>().unwrap();
    let mut pairs: Vec<(String, String)> = ANSWERS[..4]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    pairs.push(("message".into(), "OLD-request-text".into()));
    let answers = mamar_core::questionnaire::Questionnaire::default_shipped()
        .validate(&pairs)
        .unwrap();
    let request = IntakeRequest {
        id,
        lookup_tag: keys.lookup_tag().as_bytes().to_vec(),
        requester_key: keys.encryption().public_key().to_bytes().to_vec(),
        sealed: mamar_crypto::seal(
            public.intake().unwrap(),
            &SealPurpose::Intake { request_id: &id },
            &answers.to_bytes(),
        )
        .unwrap(),
        intake_generation: i64::from(public.generation()),
        received_month: "2026-10".into(),
        own_copy: None,
    };
    server
        .store
        .apply_intake(&[IntakeWrite::Request(request)])
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn an_arabic_requester_rereads_their_first_request_and_an_older_one_is_explained() {
    let server = TestServer::set_up(Locale::Ar).await;
    let long = "أنا وأخي نخدم قرب الحاجز، ونريد الخروج معاً قبل نهاية الشهر. ".repeat(30);
    let message = format!("السطر الأول\n{}", long.trim());
    let mut fields: Vec<(&str, &str)> = ANSWERS[..4].to_vec();
    fields.extend([
        ("contact", "سيغنال، بعد العاشرة مساءً"),
        ("group_size", "2"),
        ("message", message.as_str()),
        ("codename_language", "ar"),
    ]);
    let reply = server.post_form("/ar/contact", &fields, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let codename = codename_from(&reply);

    let html = follow_up(&server, "ar", &codename, &[("action", "view")]).await;
    assert!(
        html.contains(r#"<li class="own first-request" id="first-request">"#),
        "{html}"
    );
    assert!(html.contains("طلبك الأول"), "{html}");
    // Whole, with its line break, each answer under its question, right to left by its own text.
    assert!(
        html.contains(&format!(r#"<dd class="own-text" dir="auto">{message}</dd>"#)),
        "{html}"
    );
    assert!(html.contains(r#"<dt dir="auto">كم شخصا سيأتون في المجموع، وأنت منهم؟</dt>"#));
    assert!(html.contains(r#"<dd class="own-text" dir="auto">2</dd>"#));
    assert!(html.contains("سيغنال، بعد العاشرة مساءً"));
    let month = &server.store.intake_requests(1).await.unwrap()[0].received_month;
    let number: usize = month[5..].parse().unwrap();
    assert!(
        html.replace(['\u{2068}', '\u{2069}'], "").contains(&format!(
            r#"طلبك الأول · <time datetime="{month}">{} {}</time>"#,
            AR_MONTHS[number - 1],
            &month[..4]
        )),
        "{html}"
    );
    assert!(
        !html.contains("conversation-first"),
        "every text is translated: {html}"
    );

    // Another codename reads nothing of it.
    let stranger = new_codename(Locale::Ar).unwrap();
    let wrong = not_found(&server, &stranger).await;
    assert!(!wrong.contains("السطر الأول"));

    // A request made before this version: the page says plainly that its first message cannot
    // be shown, and works otherwise.
    let old_codename = new_codename(Locale::Ar).unwrap();
    request_from_before_copies(&server, &old_codename).await;
    let html = follow_up(&server, "ar", &old_codename, &[("action", "view")]).await;
    assert!(
        html.contains(
            "لا يمكن عرض طلبك الأول: الطلبات التي أُرسلت قبل هذا الإصدار من موقعنا لم تُحفظ منها نسخة تقرؤها أنت."
        ),
        "{html}"
    );
    assert!(
        html.replace(['\u{2068}', '\u{2069}'], "")
            .contains(r#"طلبك الأول · <time datetime="2026-10">تشرين الأول 2026</time>"#),
        "{html}"
    );
    assert!(!html.contains("OLD-request-text"));
    let english = follow_up(&server, "en", &old_codename, &[("action", "view")]).await;
    assert!(english.contains("requests made before this version of our site kept no copy"));

    // The requester deletes the request: the codename opens nothing any more.
    let deleted = follow_up(
        &server,
        "ar",
        &codename,
        &[("action", "delete"), ("confirm", "yes")],
    )
    .await;
    assert!(!deleted.contains("السطر الأول"));
    let gone = not_found(&server, &codename).await;
    assert!(!gone.contains("السطر الأول"));
}
