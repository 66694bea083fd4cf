//! The requester's path over HTTP: the form, validation that keeps what was
//! entered, the codename shown once, coming back with it, staff reading and
//! replying with a signature, and deletion.

use mamar_core::Locale;

use crate::support::{Reply, TestServer};

pub const ANSWERS: [(&str, &str); 6] = [
    ("urgency", "immediate"),
    ("governorate", "sy-hl"),
    ("institution", "army"),
    ("destination", "abroad"),
    ("contact", "evenings, this channel only"),
    (
        "message",
        "I serve near a checkpoint and want to leave with my brother.",
    ),
];

pub fn codename_from(reply: &Reply) -> String {
    let html = reply.text();
    let start = html.find(r#"id="codename">"#).expect("a codename on the page") + r#"id="codename">"#.len();
    html[start..].split('<').next().unwrap().trim().to_owned()
}

pub async fn submit(server: &TestServer, lang: &str, codename_language: &str) -> String {
    let mut fields: Vec<(&str, &str)> = ANSWERS.to_vec();
    fields.push(("codename_language", codename_language));
    let reply = server.post_form(&format!("/{lang}/contact"), &fields, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        reply.header("set-cookie").is_none(),
        "the public site must not set cookies"
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    codename_from(&reply)
}

async fn staff_cookie(server: &TestServer) -> String {
    server.log_in("en").await
}

#[tokio::test]
async fn the_form_asks_no_military_questions_and_sets_no_cookie() {
    let server = TestServer::set_up(Locale::Ar).await;
    let page = server.get("/ar/contact").await;
    assert_eq!(page.status, 200);
    assert!(page.header("set-cookie").is_none());
    let html = page.text();
    assert!(html.contains("لا ترسل معلومات عسكرية"));
    for field in ["urgency", "governorate", "institution", "destination", "message"] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "no field {field}");
    }
    assert!(html.contains("حلب"), "governorates in Arabic");
    assert!(!html.contains("<script"), "the public site needs no JavaScript");
    let english = server.get("/en/contact").await.text();
    assert!(english.contains("Do not send military information"));
    assert!(english.contains("Aleppo"));
}

#[tokio::test]
async fn the_codename_shows_while_typed_and_the_browser_is_asked_not_to_keep_it() {
    let server = TestServer::set_up(Locale::Ar).await;
    for lang in ["ar", "en"] {
        let html = server.get(&format!("/{lang}/follow-up")).await.text();
        let start = html.find(r#"<input id="codename""#).expect("the codename field");
        let field = &html[start..start + html[start..].find('>').unwrap()];
        assert!(field.contains(r#"type="text""#), "{lang}: {field}");
        for attribute in [
            r#"autocomplete="off""#,
            r#"autocapitalize="off""#,
            r#"spellcheck="false""#,
        ] {
            assert!(field.contains(attribute), "{lang}: {attribute} in {field}");
        }
        assert!(!html.contains(r#"type="password""#), "{lang}");
    }
}

#[tokio::test]
async fn codenames_handed_out_carry_no_word_the_curation_removed() {
    use mamar_core::codename::wordlist::codename_list;
    let server = TestServer::set_up(Locale::Ar).await;
    for (locale, language) in [(Locale::Ar, "ar"), (Locale::En, "en")] {
        for _ in 0..5 {
            let codename = submit(&server, "en", language).await;
            let words: Vec<&str> = codename.split(' ').collect();
            assert_eq!(words.len(), 7, "{codename}");
            for word in words {
                assert!(codename_list(locale).position(word).is_some(), "{word}");
            }
        }
    }
}

/// The one-time token of a fresh request form.
fn once_token(html: &str) -> String {
    let start =
        html.find(r#"name="once" value=""#).expect("a one-time token") + r#"name="once" value=""#.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_same_form_sent_twice_makes_one_request() {
    let server = TestServer::set_up(Locale::Ar).await;
    for lang in ["ar", "en"] {
        let before = server.store.intake_requests(1000).await.unwrap().len();
        let form = server.get(&format!("/{lang}/contact")).await.text();
        let once = once_token(&form);
        assert_eq!(once.len(), 64);
        // Two forms are two tokens.
        assert_ne!(
            once,
            once_token(&server.get(&format!("/{lang}/contact")).await.text())
        );
        let mut fields: Vec<(&str, &str)> = ANSWERS.to_vec();
        fields.push(("codename_language", lang));
        fields.push(("once", &once));
        let first = server.post_form(&format!("/{lang}/contact"), &fields, None).await;
        assert_eq!(first.status, 200);
        let codename = codename_from(&first);
        // A refresh of the codename page sends the same form again.
        let again = server.post_form(&format!("/{lang}/contact"), &fields, None).await;
        assert_eq!(again.status, 200);
        let page = again.text();
        let title = if lang == "ar" {
            "وصلنا هذا الطلب من قبل"
        } else {
            "This request was already received"
        };
        assert!(page.contains(title), "{page}");
        assert!(!page.contains(&codename), "the codename is not shown again");
        assert!(!page.contains(r#"id="codename""#));
        let after = server.store.intake_requests(1000).await.unwrap().len();
        assert_eq!(after, before + 1, "{lang}: one request, not two");
    }
    // A form that came back with problems keeps its token, and still makes one request.
    let form = server.get("/en/contact").await.text();
    let once = once_token(&form);
    let problem = server.post_form("/en/contact", &[("once", &once)], None).await;
    assert_eq!(problem.status, 422);
    assert_eq!(once_token(&problem.text()), once);
}

#[tokio::test]
async fn a_form_with_problems_comes_back_with_what_was_entered() {
    let server = TestServer::set_up(Locale::Ar).await;
    let reply = server
        .post_form(
            "/ar/contact",
            &[
                ("governorate", "sy-hl"),
                ("message", "رسالتي \u{202E}المعكوسة"),
                ("institution", "not-an-option"),
            ],
            None,
        )
        .await;
    assert_eq!(reply.status, 422);
    let html = reply.text();
    assert!(
        html.contains("يرجى الإجابة عن هذا السؤال."),
        "missing required answers are named"
    );
    assert!(
        html.contains("يرجى اختيار إحدى الإجابات المعروضة."),
        "a made-up option is refused"
    );
    assert!(
        html.contains("رموز تغيّر اتجاه النص"),
        "a right-to-left override is refused"
    );
    assert!(
        html.contains(r#"value="sy-hl" checked"#),
        "the chosen governorate stays chosen"
    );
    assert!(html.contains("رسالتي"), "the message typed stays in the form");
    assert_eq!(
        server.store.intake_requests(10).await.unwrap().len(),
        0,
        "nothing was stored"
    );

    // Markup is taken as text and shown escaped, never run.
    let mut fields = ANSWERS.to_vec();
    fields.retain(|(name, _)| *name != "urgency" && *name != "message");
    fields.push(("message", "<script>alert(1)</script>"));
    let html = server.post_form("/en/contact", &fields, None).await.text();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"),
        "{html}"
    );
}

#[tokio::test]
async fn the_error_summary_names_each_question_with_a_problem_and_links_to_it() {
    let server = TestServer::set_up(Locale::Ar).await;
    let cases = [
        ("ar", "ما مدى إلحاح وضعك؟", "يرجى الإجابة عن هذا السؤال."),
        (
            "en",
            "How urgent is your situation?",
            "Please answer this question.",
        ),
    ];
    for (lang, urgency, missing) in cases {
        let mut fields = ANSWERS.to_vec();
        fields.retain(|(name, _)| *name != "urgency" && *name != "governorate");
        let html = server
            .post_form(&format!("/{lang}/contact"), &fields, None)
            .await
            .text();
        let start = html.find("error-summary").expect("a summary at the top");
        let summary = &html[start..start + html[start..].find("</div>").unwrap()];
        assert!(
            html.find("error-summary").unwrap() < html.find("<form").unwrap(),
            "the summary comes before the form"
        );
        assert!(
            summary.contains(&format!(r##"<a href="#field-urgency">{urgency}</a>: {missing}"##)),
            "{lang}: {summary}"
        );
        assert!(
            summary.contains(r##"href="#field-governorate""##),
            "{lang}: {summary}"
        );
        assert_eq!(
            summary.matches("<li>").count(),
            2,
            "{lang}: only the two questions"
        );
        for id in ["urgency", "governorate"] {
            assert!(
                html.contains(&format!(r#"id="field-{id}""#)),
                "the link lands on {id}"
            );
        }
    }
}

#[tokio::test]
async fn the_warning_against_military_information_is_given_once_and_where_people_type() {
    let server = TestServer::set_up(Locale::En).await;
    let english = server.get("/en/contact").await.text();
    // The warning at the top, and beside the two fields where a person types.
    assert_eq!(english.matches("military information").count(), 3, "{english}");
    assert_eq!(english.matches("Do not send military information").count(), 1);
    let arabic = server.get("/ar/contact").await.text();
    assert_eq!(arabic.matches("معلومات عسكرية").count(), 3);
}

#[tokio::test]
async fn the_first_message_and_every_later_one_have_the_same_limit_and_message() {
    let server = TestServer::set_up(Locale::En).await;
    let limit = mamar_core::text::MAX_MESSAGE_CHARS;
    let form = server.get("/en/contact").await.text();
    assert!(
        form.contains(&format!(r#"name="message" rows="6" maxlength="{limit}""#)),
        "the first message's field"
    );
    // The longest first message is taken; one character more is refused.
    let codename = submit_saying(&server, &"a".repeat(limit)).await;
    let mut fields = ANSWERS.to_vec();
    let too_long = "a".repeat(limit + 1);
    fields.retain(|(name, _)| *name != "message");
    fields.push(("message", &too_long));
    let refused_first = server.post_form("/en/contact", &fields, None).await;
    assert_eq!(refused_first.status, 422);
    assert!(
        refused_first
            .text()
            .contains("This answer is too long. Please shorten it.")
    );
    // A later message: the same field, the same limit, the same words.
    let page = follow_up(&server, &codename, &[("action", "view")]).await;
    assert!(
        page.contains(&format!(r#"name="message" rows="5" maxlength="{limit}""#)),
        "{page}"
    );
    let taken = follow_up(
        &server,
        &codename,
        &[("action", "send"), ("message", &"b".repeat(limit))],
    )
    .await;
    assert!(!taken.contains("too long"), "{taken}");
    let refused_later = server
        .post_form(
            "/en/follow-up",
            &[
                ("codename", &codename),
                ("action", "send"),
                ("message", &too_long),
            ],
            None,
        )
        .await
        .text();
    assert!(refused_later.contains("This answer is too long. Please shorten it."));
}

#[tokio::test]
async fn bytes_that_are_not_utf8_get_a_clear_message_not_an_error() {
    let server = TestServer::set_up(Locale::En).await;
    let reply = server
        .request(
            "POST",
            "/en/contact",
            b"message=%FF%FE&urgency=immediate".to_vec(),
            Some("application/x-www-form-urlencoded"),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("We could not read what you sent"));
    let reply = server
        .request(
            "POST",
            "/en/follow-up",
            b"codename=%FF".to_vec(),
            Some("application/x-www-form-urlencoded"),
        )
        .await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn a_request_is_sealed_answered_and_deleted_with_its_codename() {
    let server = TestServer::set_up(Locale::Ar).await;
    let codename = submit(&server, "ar", "ar").await;
    assert_eq!(codename.split(' ').count(), 7, "{codename}");
    assert!(
        codename.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "Arabic words: {codename}"
    );

    // Stored sealed: nothing of the answers is readable in the database.
    let stored = server.store.intake_requests(10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].sealed.windows(10).any(|w| w == b"checkpoint"));

    // Coming back with the codename (typed with extra spaces).
    let typed = format!("  {}  ", codename.replace(' ', "   "));
    let conversation = server
        .post_form("/ar/follow-up", &[("codename", &typed), ("action", "view")], None)
        .await;
    assert_eq!(conversation.status, 200, "{}", conversation.text());
    assert!(conversation.text().contains("لا يوجد رد بعد"));
    let wrong = server
        .post_form(
            "/ar/follow-up",
            &[("codename", "not a real codename at all"), ("action", "view")],
            None,
        )
        .await;
    assert_eq!(wrong.status, 404);
    assert!(wrong.text().contains("لم نجد طلباً"));

    // Staff read the request in their session and reply.
    let cookie = staff_cookie(&server).await;
    let html = crate::support::request_pages(&server, &cookie, "ar")
        .await
        .remove(0);
    assert!(
        html.contains("حلب"),
        "answers shown in the reader's language: {html}"
    );
    assert!(html.contains("I serve near a checkpoint"));
    let csrf = crate::support::hidden_value(&html, "csrf");
    let request = crate::support::hidden_value(&html, "request");
    let sent = server
        .post_form(
            "/ar/staff/inbox/reply",
            &[
                ("csrf", &csrf),
                ("request", &request),
                ("text", "We received your request. Stay safe."),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert!(sent.header("location").unwrap().ends_with("?done=reply-sent"));

    // The requester reads the signed reply and answers.
    let conversation = server
        .post_form(
            "/ar/follow-up",
            &[("codename", &codename), ("action", "view")],
            None,
        )
        .await;
    let html = conversation.text();
    assert!(html.contains("We received your request. Stay safe."));
    assert!(html.contains("موقّع من المنظمة: التوقيع صحيح."), "{html}");
    // What to compare: the words on the verify page, never the block's key line.
    assert!(html.contains(r#"<a href="/ar/verify#phone">بالهاتف"#), "{html}");
    assert!(html.contains("سطر المفتاح فيها ليس البصمة"));
    let answered = server
        .post_form(
            "/ar/follow-up",
            &[
                ("codename", &codename),
                ("action", "send"),
                ("message", "شكراً لكم"),
            ],
            None,
        )
        .await;
    assert!(answered.text().contains("وصلتنا رسالتك."));
    let page = crate::support::request_pages(&server, &cookie, "en")
        .await
        .remove(0);
    assert!(page.contains("شكراً لكم"), "staff read the answer");

    // Deleting needs the box ticked, then wipes everything.
    let unconfirmed = server
        .post_form(
            "/ar/follow-up",
            &[("codename", &codename), ("action", "delete")],
            None,
        )
        .await;
    // Said beside its tick-box, under the deletion's heading, not the message's.
    let unconfirmed = unconfirmed.text();
    let said = unconfirmed
        .find("ضع علامة في المربع")
        .expect("the deletion is not confirmed");
    let delete_heading = unconfirmed.find("<h2>حذف").expect("the deletion's heading");
    let tick_box = unconfirmed.find(r#"name="confirm""#).unwrap();
    assert!(delete_heading < said && said < tick_box, "{unconfirmed}");
    assert!(unconfirmed[delete_heading..tick_box].contains(r#"id="delete-problem">ضع علامة"#));
    assert!(
        unconfirmed[tick_box..]
            .starts_with(r#"name="confirm" value="yes" aria-describedby="delete-problem""#)
    );
    let deleted = server
        .post_form(
            "/ar/follow-up",
            &[("codename", &codename), ("action", "delete"), ("confirm", "yes")],
            None,
        )
        .await;
    assert!(deleted.text().contains("حُذف طلبك"));
    assert!(server.store.intake_requests(10).await.unwrap().is_empty());
    let gone = server
        .post_form(
            "/ar/follow-up",
            &[("codename", &codename), ("action", "view")],
            None,
        )
        .await;
    assert_eq!(gone.status, 404);
}

/// Submits the standard answers with `message` instead of the usual one; returns the codename.
async fn submit_saying(server: &TestServer, message: &str) -> String {
    let mut fields: Vec<(&str, &str)> = ANSWERS
        .iter()
        .map(|&(name, value)| (name, if name == "message" { message } else { value }))
        .collect();
    fields.push(("codename_language", "en"));
    let reply = server.post_form("/en/contact", &fields, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    codename_from(&reply)
}

async fn follow_up(server: &TestServer, codename: &str, action: &[(&str, &str)]) -> String {
    let mut fields = vec![("codename", codename)];
    fields.extend_from_slice(action);
    let reply = server.post_form("/en/follow-up", &fields, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.text()
}

#[tokio::test]
async fn each_codename_opens_only_its_own_conversation() {
    let server = TestServer::set_up(Locale::En).await;
    let alpha = submit_saying(&server, "ALPHA-first-words").await;
    let bravo = submit_saying(&server, "BRAVO-first-words").await;
    assert_ne!(alpha, bravo);

    // Staff answer each request in its own words.
    let cookie = staff_cookie(&server).await;
    for (marker, answer) in [
        ("ALPHA-first-words", "ALPHA-reply-from-staff"),
        ("BRAVO-first-words", "BRAVO-reply-from-staff"),
    ] {
        let page = crate::support::request_page_with(&server, &cookie, "en", marker).await;
        let csrf = crate::support::hidden_value(&page, "csrf");
        let request = crate::support::hidden_value(&page, "request");
        let sent = server
            .post_form(
                "/en/staff/inbox/reply",
                &[("csrf", &csrf), ("request", &request), ("text", answer)],
                Some(&cookie),
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.text());
    }

    // Every reading and every reply is in the audit log: who, what, which request.
    let admin = server
        .store
        .staff_by_username(&mamar_core::Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let entries = server.store.audit_entries(0, 1_000).await.unwrap();
    for request in server.store.intake_requests(10).await.unwrap() {
        for action in ["case_read", "reply_sent"] {
            assert!(
                entries.iter().any(|entry| entry.action.code() == action
                    && entry.actor == Some(admin)
                    && entry.object == Some(request.id)),
                "no {action} entry for a request: {entries:?}"
            );
        }
    }

    // Each codename shows its own reply and nothing of the other conversation. (Replies are
    // sealed to each request's key, so this holds even if the store handed over the other
    // request's rows: a mutation of the query that did so left this test green.)
    let seen_by_alpha = follow_up(&server, &alpha, &[("action", "view")]).await;
    assert!(seen_by_alpha.contains("ALPHA-reply-from-staff"));
    assert!(!seen_by_alpha.contains("BRAVO"), "{seen_by_alpha}");
    let seen_by_bravo = follow_up(&server, &bravo, &[("action", "view")]).await;
    assert!(seen_by_bravo.contains("BRAVO-reply-from-staff"));
    assert!(!seen_by_bravo.contains("ALPHA"), "{seen_by_bravo}");

    // A message sent with one codename joins that request only.
    follow_up(
        &server,
        &alpha,
        &[("action", "send"), ("message", "ALPHA-second-words")],
    )
    .await;
    let alpha_page = crate::support::request_page_with(&server, &cookie, "en", "ALPHA-first-words").await;
    assert!(alpha_page.contains("ALPHA-second-words"));
    let bravo_page = crate::support::request_page_with(&server, &cookie, "en", "BRAVO-first-words").await;
    assert!(!bravo_page.contains("ALPHA"));

    // Deleting one request leaves the other whole.
    let deleted = follow_up(&server, &alpha, &[("action", "delete"), ("confirm", "yes")]).await;
    assert!(deleted.contains("deleted"), "{deleted}");
    let pages = crate::support::request_pages(&server, &cookie, "en").await;
    assert_eq!(pages.len(), 1);
    assert!(!pages[0].contains("ALPHA"));
    assert!(pages[0].contains("BRAVO-first-words") && pages[0].contains("BRAVO-reply-from-staff"));
    let still_there = follow_up(&server, &bravo, &[("action", "view")]).await;
    assert!(still_there.contains("BRAVO-reply-from-staff"));
}

#[tokio::test]
async fn guessing_codenames_soon_meets_a_wait_in_the_readers_language() {
    let server = TestServer::fresh_with(|state| state.with_lookup_budget(3, 0)).await;
    server.initialise(Locale::Ar).await;
    let codename = submit(&server, "ar", "ar").await;
    let look_up = |codename: String| {
        let server = &server;
        async move {
            server
                .post_form(
                    "/ar/follow-up",
                    &[("codename", codename.as_str()), ("action", "view")],
                    None,
                )
                .await
        }
    };
    // Look-ups that find their request cost nothing.
    for _ in 0..5 {
        assert_eq!(look_up(codename.clone()).await.status, 200);
    }
    for guess in ["one wrong guess", "another wrong guess", "a third wrong guess"] {
        assert_eq!(look_up(guess.to_owned()).await.status, 404);
    }
    // The budget is spent: wrong guesses now wait, and the page says so in the reader's language
    // without saying whether the codename exists.
    let refused = look_up("a fourth wrong guess".to_owned()).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), Some("60"));
    let html = refused.text();
    assert!(html.contains("محاولات كثيرة في هذه اللحظة"), "{html}");
    assert!(!html.contains("لم نجد طلباً"), "{html}");
    // The right codename is never refused.
    let found = look_up(codename).await;
    assert_eq!(found.status, 200, "{}", found.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_codenames_does_not_stop_a_correct_one() {
    let server = std::sync::Arc::new(TestServer::fresh().await);
    server.initialise(Locale::En).await;
    let codename = submit(&server, "en", "en").await;
    let attackers: Vec<_> = (0..4)
        .map(|attacker| {
            let server = server.clone();
            tokio::spawn(async move {
                for n in 0..100 {
                    let guess = format!("wrong guess number {attacker} {n}");
                    let reply = server
                        .post_form(
                            "/en/follow-up",
                            &[("codename", guess.as_str()), ("action", "view")],
                            None,
                        )
                        .await;
                    assert!(matches!(reply.status, 404 | 429), "{}", reply.status);
                }
            })
        })
        .collect();
    let mut found = 0;
    for _ in 0..17 {
        let reply = server
            .post_form(
                "/en/follow-up",
                &[("codename", codename.as_str()), ("action", "view")],
                None,
            )
            .await;
        assert_eq!(
            reply.status, 200,
            "a correct codename was refused during the flood"
        );
        found += 1;
    }
    for attacker in attackers {
        attacker.await.unwrap();
    }
    assert_eq!(found, 17);
    // After the flood the budget is spent (it refills with time, so on a slow machine a
    // few more guesses may be needed to spend it), and still the right codename opens
    // its request.
    let mut refused = false;
    for n in 0..200 {
        let guess = format!("one more wrong guess {n}");
        let reply = server
            .post_form(
                "/en/follow-up",
                &[("codename", guess.as_str()), ("action", "view")],
                None,
            )
            .await;
        if reply.status == 429 {
            refused = true;
            break;
        }
    }
    assert!(refused, "wrong guesses are never refused");
    let reply = server
        .post_form(
            "/en/follow-up",
            &[("codename", codename.as_str()), ("action", "view")],
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_meets_back_pressure_in_the_readers_language_and_staff_pages_still_answer() {
    let server = TestServer::fresh_with(|state| state.with_intake_queue(1, 1)).await;
    server.initialise(Locale::Ar).await;
    let server = std::sync::Arc::new(server);
    let mut fields: Vec<(&str, &str)> = ANSWERS.to_vec();
    fields.push(("codename_language", "ar"));
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{}={}", crate::support::encode(k), crate::support::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let flood: Vec<_> = (0..120)
        .map(|_| {
            let (server, body) = (server.clone(), body.clone());
            tokio::spawn(async move {
                server
                    .request(
                        "POST",
                        "/ar/contact",
                        body.into_bytes(),
                        Some("application/x-www-form-urlencoded"),
                    )
                    .await
            })
        })
        .collect();
    // Staff pages answer during the flood.
    let login = server.get("/ar/staff/login").await;
    assert_eq!(login.status, 200);
    let (mut accepted, mut refused) = (0, 0);
    for reply in flood {
        let reply = reply.await.unwrap();
        match reply.status {
            200 => accepted += 1,
            503 => {
                refused += 1;
                assert_eq!(reply.header("retry-after"), Some("60"));
                assert!(
                    reply.text().contains("نستقبل الآن عدداً كبيراً من الطلبات"),
                    "{}",
                    reply.text()
                );
            }
            other => panic!("unexpected status {other}: {}", reply.text()),
        }
    }
    assert!(refused > 0, "a queue of one under a flood of 120 must push back");
    assert_eq!(
        server.store.intake_requests(500).await.unwrap().len(),
        accepted,
        "every acknowledged request is stored"
    );
}

#[tokio::test]
async fn an_oversized_request_is_refused_with_a_page_in_the_readers_language() {
    let server = TestServer::set_up(Locale::Ar).await;
    let huge = format!("message={}", "a".repeat(mamar_web::MAX_BODY_BYTES + 10));
    let reply = server
        .request(
            "POST",
            "/ar/contact",
            huge.into_bytes(),
            Some("application/x-www-form-urlencoded"),
        )
        .await;
    assert_eq!(reply.status, 413);
    assert!(
        reply.text().contains("ما أرسلته أكبر من المسموح"),
        "{}",
        reply.text()
    );
    assert!(server.store.intake_requests(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_audit_log_names_a_request_by_the_reference_its_page_shows() {
    let server = TestServer::set_up(Locale::En).await;
    submit(&server, "en", "en").await;
    let admin = staff_cookie(&server).await;
    crate::authz::create_account(&server, &admin, "auditor1", &["auditor"]).await;
    // Reading the request is recorded on the audit log, naming the request.
    let page = crate::support::request_pages(&server, &admin, "en")
        .await
        .remove(0);
    let start = page
        .find(r#"id="reference">"#)
        .expect("the reference on the request's page");
    let reference = &page[start + r#"id="reference">"#.len()..][..8];
    assert!(reference.chars().all(|c| c.is_ascii_hexdigit()), "{reference}");
    assert!(page.contains("Reference in the audit log:"));
    let auditor = server.log_in_as("en", "auditor1", crate::authz::PASSWORD).await;
    let log = server.get_with_cookie("/en/staff/audit", &auditor).await.text();
    assert!(log.contains(&format!("<code>{reference}</code>")), "{log}");
}
