//! The case pages over HTTP: a call taken down by an operator, mistakes
//! that lose nothing, the rules' refusals said in the reader's language,
//! and nobody off the case reading it through any page.

use mamar_core::Locale;

use crate::authz::{PASSWORD, create_account, open_case_with};
use crate::support::{TestServer, hidden_value};

const CALL: &[(&str, &str)] = &[
    ("urgency", "immediate"),
    ("governorate", "sy-hl"),
    ("institution", "army"),
    ("destination", "abroad"),
    ("message", "Called from a shop phone; can talk after 9 pm."),
];

#[tokio::test]
async fn an_operator_takes_down_a_call_and_a_second_call_from_the_same_phone_is_flagged() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "operator", &["intake-operator"]).await;
    let operator = server.log_in_as("ar", "operator", PASSWORD).await;
    let page = server.get_with_cookie("/ar/staff/cases/new", &operator).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("تسجيل مكالمة"));
    let csrf = hidden_value(&page.text(), "csrf");

    // A required answer missing: the page says so in Arabic and keeps everything typed.
    let mut partial = vec![
        ("csrf", csrf.as_str()),
        ("person_name", "خالد العمر"),
        ("person_phone", "+963 933 111 222"),
    ];
    partial.extend(CALL.iter().filter(|(k, _)| *k != "urgency").copied());
    let refused = server
        .post_form("/ar/staff/cases/new", &partial, Some(&operator))
        .await;
    assert_eq!(refused.status, 422);
    let html = refused.text();
    assert!(html.contains("يرجى الإجابة عن هذا السؤال"), "{html}");
    assert!(html.contains("خالد العمر") && html.contains("+963 933 111 222") && html.contains("shop phone"));
    assert_eq!(server.store.case_count().await.unwrap(), 0);

    let mut full = partial.clone();
    full.push(("urgency", "immediate"));
    let opened = server
        .post_form("/ar/staff/cases/new", &full, Some(&operator))
        .await;
    assert_eq!(opened.status, 303, "{}", opened.text());
    let location = opened.header("location").unwrap().to_owned();
    assert!(location.ends_with("?done=opened-call"), "{location}");
    let case = server.get_with_cookie(&location, &operator).await.text();
    assert!(case.contains("فُتحت حالة للمكالمة") && case.contains("خالد العمر"));

    // The same person calls again, from the same number written differently.
    let mut again = vec![
        ("csrf", csrf.as_str()),
        ("person_name", "Khaled"),
        ("person_phone", "00963933111222"),
    ];
    again.extend_from_slice(CALL);
    let second = server
        .post_form("/ar/staff/cases/new", &again, Some(&operator))
        .await;
    assert!(
        second
            .header("location")
            .unwrap()
            .ends_with("?done=opened-duplicates")
    );
    // A bad year loses nothing either.
    let mut bad_year = again.clone();
    bad_year.push(("person_birth_year", "19x8"));
    let refused = server
        .post_form("/ar/staff/cases/new", &bad_year, Some(&operator))
        .await;
    assert!(refused.text().contains("سنة الميلاد أربعة أرقام") && refused.text().contains("Khaled"));
    assert_eq!(server.store.case_count().await.unwrap(), 2);
}

#[tokio::test]
async fn refusals_are_said_in_the_readers_language_and_nobody_off_the_case_reads_it() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "vetter", &["vetting-officer"]).await;
    create_account(&server, &admin, "coordinator", &["exit-coordinator"]).await;
    create_account(&server, &admin, "outsider", &["exit-coordinator"]).await;
    let case = open_case_with(
        &server,
        &admin,
        &[("vetter", "vetting"), ("coordinator", "coordinator")],
    )
    .await;
    let vetter = server.log_in_as("ar", "vetter", PASSWORD).await;
    let path = format!("/ar/staff/cases/{case}");
    let csrf = hidden_value(&server.get_with_cookie(&path, &vetter).await.text(), "csrf");
    let act = format!("{path}/act");

    // A vetting decision before the vetting stage: refused, said plainly, nothing saved.
    let early = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "vetting"),
                ("decision", "cleared"),
                ("text", "ok"),
            ],
            Some(&vetter),
        )
        .await;
    let shown = server
        .get_with_cookie(early.header("location").unwrap(), &vetter)
        .await
        .text();
    assert!(shown.contains("لا يمكن فعل ذلك في هذه المرحلة"), "{shown}");
    // An empty note: the reader is told, nothing is saved.
    let empty = server
        .post_form(
            &act,
            &[("csrf", &csrf), ("action", "note"), ("text", "  ")],
            Some(&vetter),
        )
        .await;
    assert!(empty.header("location").unwrap().ends_with("problem=bad-text"));
    // An unknown action is a bad request, not an error page with detail.
    let odd = server
        .post_form(&act, &[("csrf", &csrf), ("action", "explode")], Some(&vetter))
        .await;
    assert_eq!(odd.status, 400);

    // Someone off the case: not found, through the page, the actions and the list.
    let outsider = server.log_in_as("en", "outsider", PASSWORD).await;
    assert_eq!(server.get_with_cookie(&path, &outsider).await.status, 404);
    let outsider_csrf = hidden_value(
        &server.get_with_cookie("/en/staff/", &outsider).await.text(),
        "csrf",
    );
    let note = server
        .post_form(
            &act,
            &[
                ("csrf", &outsider_csrf),
                ("action", "note"),
                ("text", "sneaking in"),
            ],
            Some(&outsider),
        )
        .await;
    assert_eq!(note.status, 404);
    assert!(
        !server
            .get_with_cookie("/en/staff/cases", &outsider)
            .await
            .text()
            .contains(&case)
    );
}

#[tokio::test]
async fn a_file_goes_onto_the_case_and_comes_back_the_same_to_the_team_only() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "vetter", &["vetting-officer"]).await;
    create_account(&server, &admin, "receiver", &["reception-officer"]).await;
    let case = open_case_with(
        &server,
        &admin,
        &[("vetter", "vetting"), ("receiver", "reception")],
    )
    .await;
    let vetter = server.log_in_as("ar", "vetter", PASSWORD).await;
    let path = format!("/ar/staff/cases/{case}");
    let page = server.get_with_cookie(&path, &vetter).await.text();
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("لا ملفات بعد"));
    let csrf = hidden_value(&page, "csrf");
    let upload = format!("{path}/attachments");

    // A picture that is really a web page: refused in Arabic, nothing kept.
    let disguised = server
        .post_file(
            &upload,
            &csrf,
            "photo.jpg",
            b"<html><script>alert(1)</script></html>",
            &vetter,
        )
        .await;
    let shown = server
        .get_with_cookie(disguised.header("location").unwrap(), &vetter)
        .await
        .text();
    assert!(shown.contains("لا يمكن حفظ هذا النوع من الملفات"), "{shown}");
    // No file chosen: said, nothing kept.
    let nothing = server.post_file(&upload, &csrf, "", b"", &vetter).await;
    assert!(
        nothing
            .header("location")
            .unwrap()
            .ends_with("problem=file-missing")
    );
    // A body larger than the organisation's limit (10 MB) is refused from its declared length.
    let huge = server
        .post_file(
            &upload,
            &csrf,
            "film.pdf",
            &vec![b'%'; 10 * 1024 * 1024 + 100 * 1024],
            &vetter,
        )
        .await;
    assert_eq!(huge.status, 413);
    assert!(
        huge.text().contains("dir=\"rtl\""),
        "the refusal is a page in Arabic"
    );
    assert_eq!(
        server.store.sweep_unfinished_attachments(i64::MAX).await.unwrap(),
        0
    );

    // A real scan, 300 KB with an Arabic name: accepted, confirmed, listed.
    let mut scan = b"%PDF-1.7\n".to_vec();
    while scan.len() < 300_000 {
        scan.extend_from_slice(format!("line {} of the scan\n", scan.len()).as_bytes());
    }
    let added = server.post_file(&upload, &csrf, "هوية.pdf", &scan, &vetter).await;
    let location = added.header("location").unwrap().to_owned();
    assert!(location.ends_with("?done=attached"), "{location}");
    let page = server.get_with_cookie(&location, &vetter).await.text();
    assert!(
        page.contains("أُضيف الملف")
            && page.contains("هوية.pdf")
            && page.contains("\u{2068}293\u{2069} كيلوبايت"),
        "{page}"
    );
    assert!(
        page.contains("أضاف الملف \u{2068}هوية.pdf\u{2069}"),
        "the timeline says who added it"
    );
    let link = page
        .split(&format!("/ar/staff/cases/{case}/attachments/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let file_path = format!("{path}/attachments/{link}");
    let download = server.get_with_cookie(&file_path, &vetter).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body, scan);
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    assert!(
        download
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(download.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(download.header("cache-control"), Some("no-store"));
    // A larger scan, 4 MB (under the organisation's 10 MB): accepted too.
    let mut large = b"%PDF-1.7\n".to_vec();
    large.resize(4 * 1024 * 1024, b'%');
    let added = server
        .post_file(&upload, &csrf, "scan.pdf", &large, &vetter)
        .await;
    assert!(
        added.header("location").unwrap().ends_with("?done=attached"),
        "a 4 MB file is refused: {:?}",
        added.header("location")
    );
    // Reception is on the case without files among its duty's sections: no list, no download.
    let receiver = server.log_in_as("en", "receiver", PASSWORD).await;
    let receiver_page = server
        .get_with_cookie(&path.replace("/ar/", "/en/"), &receiver)
        .await
        .text();
    assert!(
        !receiver_page.contains("scan") && !receiver_page.contains("/attachments/"),
        "{receiver_page}"
    );
    assert!(
        !receiver_page.contains("هوية") && receiver_page.contains("added a file"),
        "the timeline tells reception a file was added, not its name"
    );
    assert_eq!(
        server
            .get_with_cookie(&file_path.replace("/ar/", "/en/"), &receiver)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn deleting_a_case_asks_to_confirm_needs_a_second_person_and_then_the_case_is_gone() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "vetter", &["vetting-officer"]).await;
    create_account(&server, &admin, "coordinator", &["exit-coordinator"]).await;
    let case = open_case_with(
        &server,
        &admin,
        &[("vetter", "vetting"), ("coordinator", "coordinator")],
    )
    .await;
    let coordinator = server.log_in_as("ar", "coordinator", PASSWORD).await;
    let path = format!("/ar/staff/cases/{case}");
    let page = server.get_with_cookie(&path, &coordinator).await.text();
    assert!(
        page.contains("اطلب حذف الحالة") && page.contains("يُتلف مفتاح الحالة"),
        "{page}"
    );
    let csrf = hidden_value(&page, "csrf");
    let act = format!("{path}/act");
    // Without the tick that says the person understands, nothing is asked.
    let unticked = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "delete"),
                ("text", "the person asked us to"),
            ],
            Some(&coordinator),
        )
        .await;
    assert!(unticked.header("location").unwrap().ends_with("problem=bad-text"));
    let id: [u8; 16] = std::array::from_fn(|i| u8::from_str_radix(&case[2 * i..2 * i + 2], 16).unwrap());
    assert!(
        server
            .store
            .case_file(&id)
            .await
            .unwrap()
            .unwrap()
            .approvals
            .is_empty()
    );
    let asked = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "delete"),
                ("text", "the person asked us to"),
                ("confirm", "yes"),
            ],
            Some(&coordinator),
        )
        .await;
    assert!(
        asked
            .header("location")
            .unwrap()
            .ends_with("done=sent-for-approval")
    );
    let approval = crate::authz::hex(&server.store.case_file(&id).await.unwrap().unwrap().approvals[0].id);
    // The one who asked cannot approve it.
    let own = server
        .post_form(
            &act,
            &[
                ("csrf", &csrf),
                ("action", "decide"),
                ("approval", &approval),
                ("grant", "yes"),
            ],
            Some(&coordinator),
        )
        .await;
    assert!(
        own.header("location").unwrap().ends_with("problem=own-request"),
        "{:?}",
        own.header("location")
    );
    assert!(server.store.case_file(&id).await.unwrap().is_some());
    // A second person on the case approves: the case is destroyed at once.
    let vetter = server.log_in_as("ar", "vetter", PASSWORD).await;
    let vetter_csrf = hidden_value(&server.get_with_cookie(&path, &vetter).await.text(), "csrf");
    let granted = server
        .post_form(
            &act,
            &[
                ("csrf", &vetter_csrf),
                ("action", "decide"),
                ("approval", &approval),
                ("grant", "yes"),
            ],
            Some(&vetter),
        )
        .await;
    let location = granted.header("location").unwrap().to_owned();
    assert_eq!(location, "/ar/staff/cases?done=deleted");
    let list = server.get_with_cookie(&location, &vetter).await.text();
    assert!(list.contains("حُذفت الحالة"), "{list}");
    assert!(server.store.case_file(&id).await.unwrap().is_none());
    assert_eq!(server.get_with_cookie(&path, &vetter).await.status, 404);
    assert_eq!(server.get_with_cookie(&path, &coordinator).await.status, 404);
}
