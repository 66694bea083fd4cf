//! The follow-up page shows the whole conversation: the requester's own
//! messages and the replies, in order, each with its month in words (never a
//! day or a time), in Arabic and English; messages from before copies were
//! kept are not shown, and the page says so once.

use mamar_core::Locale;
use mamar_store::{IntakeMessage, IntakeWrite};

use crate::intake::submit;
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
    for (lang, months, you, us) in [
        ("en", EN_MONTHS, "Your message", "Our reply"),
        ("ar", AR_MONTHS, "رسالتك", "ردّنا"),
    ] {
        let html = follow_up(&server, lang, &codename, &[("action", "view")]).await;
        // In order: the requester, the organisation, the requester.
        let at = |needle: &str| {
            html.find(needle)
                .unwrap_or_else(|| panic!("{needle} missing: {html}"))
        };
        assert!(at("OWN-first-later-message") < at("STAFF-reply-text"));
        assert!(at("STAFF-reply-text") < at("OWN-second-later-message"));
        assert_eq!(
            html.matches(&format!(r#"<time datetime="{month}">"#)).count(),
            3,
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
