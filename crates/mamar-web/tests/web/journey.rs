//! The exit plan over HTTP: a coordinator drafts it, the rest of the team
//! sees that it exists but not what it says, a check-in is missed when the
//! server's clock passes its time, and the alert reaches the whole team's
//! workspace and navigation, in Arabic.

use mamar_core::Locale;

use crate::authz::{PASSWORD, open_case_with};
use crate::support::{TestServer, hidden_value};

/// `YYYY-MM-DDTHH:MM` (UTC) of a Unix time, as a browser's date-and-time field sends it.
pub(crate) fn local_datetime(at: i64) -> String {
    let days = at.div_euclid(86_400);
    let seconds = at.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}",
        seconds / 3_600,
        seconds % 3_600 / 60
    )
}

#[tokio::test]
async fn a_missed_check_in_reaches_the_whole_teams_workspace_but_not_the_plan() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    crate::authz::create_account(&server, &admin, "coordinator", &["exit-coordinator"]).await;
    crate::authz::create_account(&server, &admin, "receiver", &["reception-officer"]).await;
    let case = open_case_with(
        &server,
        &admin,
        &[("coordinator", "coordinator"), ("receiver", "reception")],
    )
    .await;
    let coordinator = server.log_in_as("ar", "coordinator", PASSWORD).await;
    let path = format!("/ar/staff/cases/{case}");
    let page = server.get_with_cookie(&path, &coordinator).await.text();
    assert!(page.contains("خطة الخروج") && page.contains("لا تكتب هنا أي معلومات عسكرية"));
    let csrf = hidden_value(&page, "csrf");
    let act = format!("{path}/act");
    let step = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "plan-step"),
                ("who", "partner"),
                ("who_detail", "فريق العبور"),
                ("place", "المخبز قرب الكراج القديم"),
                ("when", "الخميس بعد صلاة العشاء"),
                ("recognition", "وشاح أزرق"),
                ("fallback", "انتظر ساعة ثم عد"),
            ],
            Some(&coordinator),
        )
        .await;
    assert!(step.header("location").unwrap().ends_with("?done=plan-step"));
    let due = local_datetime(server.clock.now() + 3_600);
    let check_in = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "plan-check-in"),
                ("step", ""),
                ("text", "رسالة من السائق"),
                ("due", &due),
            ],
            Some(&coordinator),
        )
        .await;
    let shown = server
        .get_with_cookie(check_in.header("location").unwrap(), &coordinator)
        .await
        .text();
    assert!(shown.contains("حُدّدت نقطة الاطمئنان"), "{shown}");
    assert!(shown.contains("المخبز قرب الكراج القديم") && shown.contains("رسالة من السائق"));
    // A time that is not one: said plainly, nothing saved.
    let bad = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "plan-task"),
                ("text", "x"),
                ("due", "2027-02-30T10:00"),
            ],
            Some(&coordinator),
        )
        .await;
    assert!(bad.header("location").unwrap().ends_with("problem=bad-time"));

    // The receiver sees that there is a plan for the coordinators, not what it says.
    let receiver = server.log_in_as("ar", "receiver", PASSWORD).await;
    let theirs = server.get_with_cookie(&path, &receiver).await.text();
    assert!(theirs.contains("خطة الخروج لمنسقي الحالة"));
    assert!(!theirs.contains("المخبز") && !theirs.contains("رسالة من السائق"));
    let home = server.get_with_cookie("/ar/staff/", &receiver).await.text();
    assert!(home.contains("لا شيء فائت ولا متأخر"), "{home}");
    assert!(!home.contains("href=\"/ar/staff/#alerts\""));

    // Two hours on, nobody has confirmed it: the whole team is alerted.
    server.clock.advance(2 * 3_600);
    let receiver = server.log_in_as("ar", "receiver", PASSWORD).await;
    let home = server.get_with_cookie("/ar/staff/", &receiver).await.text();
    assert!(home.contains("فاتت نقطة اطمئنان"), "{home}");
    assert!(home.contains("الخطة للمنسقين فقط") && !home.contains("رسالة من السائق"));
    assert!(
        home.contains("href=\"/ar/staff/#alerts\""),
        "the navigation counts it"
    );
    let other_page = server.get_with_cookie("/ar/staff/cases", &receiver).await.text();
    assert!(other_page.contains("href=\"/ar/staff/#alerts\""), "on every page");
    let coordinator = server.log_in_as("en", "coordinator", PASSWORD).await;
    let home = server.get_with_cookie("/en/staff/", &coordinator).await.text();
    assert!(home.contains("Check-in missed") && home.contains("رسالة من السائق"));
    // Confirmed: the alert goes.
    let page = server
        .get_with_cookie(&format!("/en/staff/cases/{case}"), &coordinator)
        .await
        .text();
    assert!(page.contains("missed"));
    let item = page
        .split(r#"name="action" value="plan-done">"#)
        .nth(1)
        .map(|rest| hidden_value(rest, "item"))
        .unwrap();
    let csrf = hidden_value(&page, "csrf");
    let done = server
        .post_form(
            &format!("/en/staff/cases/{case}/act"),
            &[("csrf", &csrf), ("action", "plan-done"), ("item", &item)],
            Some(&coordinator),
        )
        .await;
    assert!(done.header("location").unwrap().ends_with("?done=plan-done"));
    let home = server.get_with_cookie("/en/staff/", &coordinator).await.text();
    assert!(home.contains("Nothing is missed or overdue."));
}

/// Posts one case action and returns the page it leads to.
async fn act_on(server: &TestServer, cookie: &str, path: &str, fields: &[(&str, &str)]) -> String {
    let csrf = hidden_value(&server.get_with_cookie(path, cookie).await.text(), "csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let reply = server.post_form(&format!("{path}/act"), &all, Some(cookie)).await;
    let location = reply.header("location").unwrap_or_default().to_owned();
    assert!(location.contains("done="), "{fields:?}: {location}");
    server.get_with_cookie(&location, cookie).await.text()
}

#[tokio::test]
async fn reception_records_the_arrival_and_the_choice_in_arabic_and_reviews_come_due() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    for (name, role) in [
        ("vetter", "vetting-officer"),
        ("coordinator", "exit-coordinator"),
        ("receiver", "reception-officer"),
    ] {
        crate::authz::create_account(&server, &admin, name, &[role]).await;
    }
    let case = open_case_with(
        &server,
        &admin,
        &[
            ("vetter", "vetting"),
            ("coordinator", "coordinator"),
            ("receiver", "reception"),
        ],
    )
    .await;
    let path = format!("/ar/staff/cases/{case}");
    let coordinator = server.log_in_as("ar", "coordinator", PASSWORD).await;
    let vetter = server.log_in_as("ar", "vetter", PASSWORD).await;
    act_on(&server, &coordinator, &path, &[("action", "advance")]).await;
    act_on(&server, &coordinator, &path, &[("action", "advance")]).await;
    act_on(
        &server,
        &vetter,
        &path,
        &[
            ("action", "vetting"),
            ("decision", "cleared"),
            ("text", "القصة متسقة"),
        ],
    )
    .await;
    let page = server.get_with_cookie(&path, &coordinator).await.text();
    let approval = hidden_value(&page, "approval");
    act_on(
        &server,
        &coordinator,
        &path,
        &[("action", "decide"), ("approval", &approval), ("grant", "yes")],
    )
    .await;
    act_on(&server, &coordinator, &path, &[("action", "advance")]).await;

    let receiver = server.log_in_as("ar", "receiver", PASSWORD).await;
    let page = server.get_with_cookie(&path, &receiver).await.text();
    assert!(page.contains("لم يُسجَّل الوصول بعد"), "{page}");
    let page = act_on(
        &server,
        &receiver,
        &path,
        &[("action", "arrival"), ("text", "وصل متعباً وبخير")],
    )
    .await;
    assert!(page.contains("سُجّل الوصول") && page.contains("وصل متعباً وبخير"));
    let page = act_on(
        &server,
        &receiver,
        &path,
        &[
            ("action", "choice"),
            ("choice", "relocate"),
            ("country", "ألمانيا"),
        ],
    )
    .await;
    assert!(page.contains("الانتقال إلى بلد آخر: ألمانيا"), "{page}");
    // The vetting officer reads none of it.
    let theirs = server.get_with_cookie(&path, &vetter).await.text();
    assert!(!theirs.contains("ألمانيا") && !theirs.contains("وصل متعباً"));

    // A month on, the first review is due on the receiver's workspace.
    server.clock.advance(31 * 86_400);
    let receiver = server.log_in_as("ar", "receiver", PASSWORD).await;
    let home = server.get_with_cookie("/ar/staff/", &receiver).await.text();
    assert!(home.contains("مراجعة متابعة مستحقة"), "{home}");
    let page = act_on(
        &server,
        &receiver,
        &path,
        &[("action", "review"), ("text", "استقر ويبحث عن عمل")],
    )
    .await;
    assert!(page.contains("سُجّلت المراجعة") && page.contains("استقر ويبحث عن عمل"));
    let home = server.get_with_cookie("/ar/staff/", &receiver).await.text();
    assert!(!home.contains("مراجعة متابعة مستحقة"));
}
