//! The rest of the journey in the browser, in Arabic, JavaScript off, on a
//! desktop and a 390-pixel phone, after the case has reached planning: a plan
//! drafted → released with a second person → a check-in missed (the alert on
//! the team's workspace) → consent given by the requester on the follow-up
//! page → referral to a partner whose liaison accepts → revoked (the
//! liaison's page shows nothing) → referred again → arrival recorded →
//! destination chosen → closed with a second person → after the retention
//! period (the test clock), nothing of the case is left in the database's
//! files, and its facets are still counted on the analyst's dashboard.
//! Screenshots: `target/screenshots/journey-*`.

use mamar_core::Locale;

use crate::authz::{PASSWORD, create_account, staff_id};
use crate::browser::Browser;
use crate::browser_cases::{become_person, choose, click, go, submit_expecting, type_into};
use crate::support::{TestServer, hidden_value};

async fn shots(browser: &Browser, name: &str) {
    browser.desktop_and_phone(&format!("journey-{name}")).await;
}

/// Posts one case action as `cookie` and returns where it led.
async fn act(server: &TestServer, cookie: &str, case_path: &str, fields: &[(&str, &str)]) -> String {
    let page = server.get_with_cookie(case_path, cookie).await;
    assert_eq!(
        page.status,
        200,
        "{fields:?}: the case page → {:?}",
        page.header("location")
    );
    let csrf = hidden_value(&page.text(), "csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let reply = server
        .post_form(&format!("{case_path}/act"), &all, Some(cookie))
        .await;
    let location = reply.header("location").unwrap_or_default().to_owned();
    assert!(
        location.contains("done="),
        "{fields:?} → {} {location} {}",
        reply.status,
        reply.text()
    );
    location
}

/// Grants the approval waiting for `cookie` on the case.
async fn approve(server: &TestServer, cookie: &str, case_path: &str) {
    let page = server.get_with_cookie(case_path, cookie).await.text();
    let approval = hidden_value(&page, "approval");
    act(
        server,
        cookie,
        case_path,
        &[("action", "decide"), ("approval", &approval), ("grant", "yes")],
    )
    .await;
}

/// Whether any file of the data directory (the database, its WAL) holds `needle`.
fn in_data_files(server: &TestServer, needle: &[u8]) -> bool {
    std::fs::read_dir(server.data_dir()).unwrap().any(|entry| {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle)
    })
}

#[tokio::test]
async fn plan_check_in_referral_arrival_closure_and_retention_in_arabic() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    for (name, role) in [
        ("nadia", "administrator"),
        ("huda", "exit-coordinator"),
        ("vetter", "vetting-officer"),
        ("rami", "reception-officer"),
        ("omar", "partner-liaison"),
        ("nour", "analyst"),
    ] {
        create_account(&server, &admin, name, &[role]).await;
        server.log_in_as("ar", name, PASSWORD).await;
    }
    let nadia = server.log_in_as("ar", "nadia", PASSWORD).await;

    // A partner, registered by its card and confirmed by a second administrator, with a liaison.
    crate::browser_partners::partner_with_liaison(&server, &admin, &nadia).await;

    // The first part of the journey (its own browser test walks it): a request becomes a
    // case, is vetted and cleared with a second person, and reaches planning.
    let (codename, case_path) = crate::browser_partners::case_of_a_request(&server, &admin).await;
    let case_id: [u8; 16] = (0..16)
        .map(|i| u8::from_str_radix(&case_path[case_path.len() - 32..][2 * i..2 * i + 2], 16).unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    for (name, duty) in [
        ("huda", "coordinator"),
        ("vetter", "vetting"),
        ("rami", "reception"),
    ] {
        let staff = staff_id(&server, name).await;
        act(
            &server,
            &admin,
            &case_path,
            &[("action", "assign"), ("staff", &staff), ("duty", duty)],
        )
        .await;
    }
    let huda = server.log_in_as("ar", "huda", PASSWORD).await;
    let vetter = server.log_in_as("ar", "vetter", PASSWORD).await;
    act(&server, &huda, &case_path, &[("action", "advance")]).await;
    act(&server, &huda, &case_path, &[("action", "advance")]).await;
    act(
        &server,
        &vetter,
        &case_path,
        &[
            ("action", "vetting"),
            ("decision", "cleared"),
            ("text", "القصة متسقة"),
        ],
    )
    .await;
    approve(&server, &huda, &case_path).await;

    // The coordinator drafts the plan: a step and a check-in due in an hour.
    act(
        &server,
        &huda,
        &case_path,
        &[
            ("action", "plan-step"),
            ("who", "partner"),
            ("who_detail", "فريق العبور"),
            ("place", "المخبز قرب الكراج القديم"),
            ("when", "الخميس بعد صلاة العشاء"),
            ("recognition", "وشاح أزرق"),
            ("fallback", "انتظر ساعة ثم عد"),
        ],
    )
    .await;
    let due = crate::journey::local_datetime(server.clock.now() + 3_600);
    act(
        &server,
        &huda,
        &case_path,
        &[
            ("action", "plan-check-in"),
            ("step", ""),
            ("text", "رسالة من السائق"),
            ("due", &due),
        ],
    )
    .await;
    let browser = Browser::launch(false).await;
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    assert!(browser.text("main").await.contains("المخبز قرب الكراج القديم"));
    shots(&browser, "01-plan-drafted").await;

    // Released to the team with a second person (the case's lead).
    act(
        &server,
        &huda,
        &case_path,
        &[("action", "plan-release"), ("text", "الخطة جاهزة للفريق")],
    )
    .await;
    let rami = server.log_in_as("ar", "rami", PASSWORD).await;
    assert!(
        !server
            .get_with_cookie(&case_path, &rami)
            .await
            .text()
            .contains("المخبز قرب الكراج القديم"),
        "the team reads the plan before its release is approved"
    );
    become_person(&browser, &server, "admin").await;
    go(&browser, &server, "/ar/staff/").await;
    shots(&browser, "02-release-waits-for-a-second-person").await;
    approve(&server, &admin, &case_path).await;
    assert!(
        server
            .get_with_cookie(&case_path, &rami)
            .await
            .text()
            .contains("المخبز قرب الكراج القديم"),
        "the released plan is the team's"
    );

    // Two hours on, nobody confirmed the check-in: the alert is on the team's workspace.
    server.clock.advance(2 * 3_600);
    become_person(&browser, &server, "rami").await;
    go(&browser, &server, "/ar/staff/").await;
    assert!(browser.text("main").await.contains("فاتت نقطة اطمئنان"));
    shots(&browser, "03-check-in-missed").await;

    // The requester agrees on the follow-up page that the partner may know their name.
    browser.client.delete_all_cookies().await.unwrap();
    go(&browser, &server, "/ar/follow-up").await;
    type_into(&browser, "codename", &codename).await;
    click(&browser, "form button[type=submit]").await;
    browser
        .client
        .wait()
        .for_element(fantoccini::Locator::Css("form.consent"))
        .await
        .unwrap();
    click(&browser, "form.consent input[value=name]").await;
    submit_expecting(&browser, "form.consent button", "سُجّلت موافقتك").await;
    shots(&browser, "04-consent-given").await;

    // Referred; the liaison reads the name and accepts.
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    choose(&browser, "refer-partner", "عون المرفأ").await;
    click(&browser, "#refer-form input[value=name]").await;
    submit_expecting(&browser, "#refer-form button[type=submit]", "أُرسلت الإحالة").await;
    become_person(&browser, &server, "omar").await;
    go(&browser, &server, "/ar/staff/referrals").await;
    assert!(browser.text("main").await.contains("كريم حداد"));
    submit_expecting(&browser, "button[value=accept]", "قبلتَ الإحالة").await;
    shots(&browser, "05-liaison-accepted").await;

    // Revoked: the liaison's page shows nothing; then referred again.
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    submit_expecting(
        &browser,
        "input[name=action][value=revoke] ~ button",
        "سُحبت الإحالة",
    )
    .await;
    become_person(&browser, &server, "omar").await;
    go(&browser, &server, "/ar/staff/referrals").await;
    let page = browser.text("main").await;
    assert!(!page.contains("كريم حداد"), "{page}");
    shots(&browser, "06-liaison-after-revocation").await;
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    choose(&browser, "refer-partner", "عون المرفأ").await;
    click(&browser, "#refer-form input[value=name]").await;
    submit_expecting(&browser, "#refer-form button[type=submit]", "أُرسلت الإحالة").await;
    shots(&browser, "07-re-referred").await;

    // In transit, then the reception officer records the arrival and the person's choice.
    // (Hours have passed on the test clock: the earlier sessions have gone idle.)
    let huda = server.log_in_as("ar", "huda", PASSWORD).await;
    act(&server, &huda, &case_path, &[("action", "advance")]).await;
    let rami = server.log_in_as("ar", "rami", PASSWORD).await;
    act(
        &server,
        &rami,
        &case_path,
        &[("action", "arrival"), ("text", "وصل متعباً وبخير")],
    )
    .await;
    act(
        &server,
        &rami,
        &case_path,
        &[
            ("action", "choice"),
            ("choice", "relocate"),
            ("country", "ألمانيا"),
        ],
    )
    .await;
    become_person(&browser, &server, "rami").await;
    go(&browser, &server, &case_path).await;
    assert!(
        browser
            .text("main")
            .await
            .contains("الانتقال إلى بلد آخر: ألمانيا")
    );
    shots(&browser, "08-arrived-and-chose").await;

    // Closed with a second person.
    let huda = server.log_in_as("ar", "huda", PASSWORD).await;
    act(
        &server,
        &huda,
        &case_path,
        &[
            ("action", "close"),
            ("outcome", "safe-relocated"),
            ("text", "وصل وانتقل"),
        ],
    )
    .await;
    let admin = server
        .log_in_as("ar", "admin", crate::support::ADMIN_PASSWORD)
        .await;
    approve(&server, &admin, &case_path).await;
    become_person(&browser, &server, "huda").await;
    go(&browser, &server, &case_path).await;
    shots(&browser, "09-closed").await;

    // What the database holds of the case now: pieces of every record's ciphertext.
    let pieces: Vec<Vec<u8>> = server
        .store
        .case_records(&case_id)
        .await
        .unwrap()
        .iter()
        .filter(|record| record.ciphertext.len() >= 24)
        .map(|record| {
            let start = (record.ciphertext.len() - 24) / 2;
            record.ciphertext[start..start + 24].to_vec()
        })
        .collect();
    assert!(pieces.len() >= 8, "the case holds its records: {}", pieces.len());
    assert!(pieces.iter().all(|piece| in_data_files(&server, piece)));

    // Before the retention period is over, nothing is destroyed.
    server.clock.advance(60 * 86_400);
    let early = mamar_usecases::cases::run_retention(
        &*server.store,
        &mamar_usecases::CaseConfig::shipped(),
        None,
        server.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(early.cases, 0);
    // Past it (90 days by default), the case's identifying data is destroyed.
    server.clock.advance(31 * 86_400);
    let report = mamar_usecases::cases::run_retention(
        &*server.store,
        &mamar_usecases::CaseConfig::shipped(),
        None,
        server.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(report.cases, 1);
    assert!(server.store.case_records(&case_id).await.unwrap().is_empty());
    for piece in &pieces {
        assert!(
            !in_data_files(&server, piece),
            "a piece of the case's ciphertext outlived retention in the database files"
        );
    }
    let huda = server.log_in_as("ar", "huda", PASSWORD).await;
    assert_eq!(server.get_with_cookie(&case_path, &huda).await.status, 404);

    // The facets are still counted, for the analyst, who never saw the case.
    become_person(&browser, &server, "nour").await;
    go(&browser, &server, "/en/staff/registry").await;
    let dashboard = browser.text("main").await;
    assert!(dashboard.contains("One case."), "{dashboard}");
    assert!(
        dashboard.contains("safe and relocated") && dashboard.contains("Relocate"),
        "the outcome and the destination are named: {dashboard}"
    );
    assert!(!dashboard.contains("Karim") && !dashboard.contains("كريم"));
    go(&browser, &server, "/ar/staff/registry").await;
    shots(&browser, "10-facets-counted-after-retention").await;
    browser.close().await;
}
