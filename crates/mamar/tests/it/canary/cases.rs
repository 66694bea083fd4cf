//! The case paths of the canary test: a case and its vetting, partners and a referral, an
//! export, break-glass.

use super::*;

/// The request becomes a case with the person's name and phone; the
/// administrator takes the vetting duty too, records a finding, proposes a
/// decision with its reasons, writes a note and a message, asks to close with
/// a reason; the requester answers the case team.
pub(super) fn plant_case(server: &Server, cookie: &str, codename: &str) -> String {
    let get = [("Cookie", cookie), ("User-Agent", USER_AGENT)];
    let post = [
        ("Cookie", cookie),
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (_, inbox) = http_request(&server.address, "GET", "/en/staff/inbox", &get, "");
    let request = between(&inbox, "href=\"/en/staff/inbox/", "\"").to_owned();
    let csrf = between(&inbox, r#"name="csrf" value=""#, "\"").to_owned();
    let open = form_encode(&[
        ("csrf", &csrf),
        ("person_name", CASE_NAME),
        ("person_phone", CASE_PHONE),
        ("person_birth_year", ""),
    ]);
    let (status, response) = http_request(
        &server.address,
        "POST",
        &format!("/en/staff/inbox/{request}/open"),
        &post,
        &open,
    );
    assert_eq!(status, 303, "{response}");
    let case = between(&response, "/en/staff/cases/", "?").to_owned();
    let act = |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let (status, response) = http_request(
            &server.address,
            "POST",
            &format!("/en/staff/cases/{case}/act"),
            &post,
            &form_encode(&all),
        );
        assert_eq!(status, 303, "{response}");
        assert!(response.contains("done="), "{fields:?}: {response}");
    };
    let (_, home) = http_request(&server.address, "GET", "/en/staff/", &get, "");
    assert!(home.contains("Your workspace"));
    let admin_id = {
        let (_, page) = http_request(
            &server.address,
            "GET",
            &format!("/en/staff/cases/{case}"),
            &get,
            "",
        );
        between(&page, r#"name="staff" value=""#, "\"").to_owned()
    };
    act(&[("action", "assign"), ("staff", &admin_id), ("duty", "vetting")]);
    act(&[("action", "advance")]);
    act(&[("action", "advance")]);
    act(&[("action", "note"), ("text", CASE_NOTE)]);
    act(&[("action", "finding"), ("item", "vouched"), ("text", CASE_FINDING)]);
    act(&[
        ("action", "vetting"),
        ("decision", "cleared"),
        ("text", CASE_RATIONALE),
    ]);
    act(&[("action", "message"), ("text", CASE_MESSAGE)]);
    // An attachment: its name and its content.
    let boundary = "canary-boundary-0d9e";
    let upload = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{CASE_FILE_NAME}\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4\n{}\n\r\n--{boundary}--\r\n",
        CASE_FILE_CONTENT.repeat(3_000)
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let (status, response) = http_request(
        &server.address,
        "POST",
        &format!("/en/staff/cases/{case}/attachments?csrf={csrf}"),
        &[
            ("Cookie", cookie),
            ("User-Agent", USER_AGENT),
            ("Content-Type", &content_type),
        ],
        &upload,
    );
    assert_eq!(status, 303, "{response}");
    assert!(response.contains("done=attached"), "{response}");
    act(&[
        ("action", "assign"),
        ("staff", &admin_id),
        ("duty", "coordinator"),
    ]);
    act(&[
        ("action", "plan-step"),
        ("who", "partner"),
        ("who_detail", PLAN_WHO),
        ("place", PLAN_PLACE),
        ("when", PLAN_WHEN),
        ("recognition", PLAN_RECOGNITION),
        ("fallback", PLAN_FALLBACK),
    ]);
    act(&[
        ("action", "plan-check-in"),
        ("step", ""),
        ("text", PLAN_CHECK_IN),
        ("due", "2031-05-01T10:00"),
    ]);
    act(&[
        ("action", "plan-task"),
        ("text", PLAN_TASK),
        ("due", "2031-05-02T10:00"),
    ]);
    act(&[
        ("action", "close"),
        ("outcome", "withdrew"),
        ("text", CASE_CLOSE_REASON),
    ]);
    let ua = [
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let answer = form_encode(&[
        ("codename", codename),
        ("action", "send"),
        ("message", CASE_ANSWER),
    ]);
    let (status, answered) = http_request(&server.address, "POST", "/en/follow-up", &ua, &answer);
    assert_eq!(status, 200);
    // The request is a case now; the requester's copy of their first request stays theirs.
    assert!(
        between(&answered, r#"id="first-request">"#, "</li>").contains(INTAKE_MESSAGE),
        "the first request is still there for its requester once a case is opened"
    );
    let (_, page) = http_request(
        &server.address,
        "GET",
        &format!("/en/staff/cases/{case}"),
        &get,
        "",
    );
    for planted in [
        CASE_NAME,
        CASE_NOTE,
        CASE_FINDING,
        CASE_RATIONALE,
        CASE_MESSAGE,
        CASE_ANSWER,
        CASE_CLOSE_REASON,
        CASE_FILE_NAME,
        PLAN_WHO,
        PLAN_PLACE,
        PLAN_WHEN,
        PLAN_RECOGNITION,
        PLAN_FALLBACK,
        PLAN_CHECK_IN,
        PLAN_TASK,
    ] {
        assert!(page.contains(planted), "the case team reads {planted}");
    }
    let file = between(&page, &format!("/en/staff/cases/{case}/attachments/"), "\"");
    let (status, download) = http_request(
        &server.address,
        "GET",
        &format!("/en/staff/cases/{case}/attachments/{file}"),
        &get,
        "",
    );
    assert_eq!(status, 200);
    assert!(
        download.contains(CASE_FILE_CONTENT),
        "the case team reads the file"
    );
    case
}

/// Partners: a partner registered by its card (public by design) and confirmed by a second
/// administrator, a liaison invited for it, the requester's consent on the follow-up page, and a
/// referral of every field there is to share: the person's name, year, phone, governorate and
/// urgency (canaries planted with the case), which must then be ciphertext under the referral
/// key wherever they are stored.
pub(super) fn plant_partners(server: &Server, admin: &str, second_admin: &str, codename: &str, case: &str) {
    fn headers(cookie: &str) -> [(&str, &str); 3] {
        [
            ("Cookie", cookie),
            ("User-Agent", USER_AGENT),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    }
    let post = |cookie: &str, path: &str, fields: &[(&str, &str)]| {
        http_request(
            &server.address,
            "POST",
            path,
            &headers(cookie),
            &form_encode(fields),
        )
    };
    let (_, page) = http_request(&server.address, "GET", "/en/staff/partners", &headers(admin), "");
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let (_, page) = http_request(
        &server.address,
        "GET",
        "/en/staff/partners",
        &headers(second_admin),
        "",
    );
    let second_csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    // A liaison account for the partner.
    let (status, page) = post(
        admin,
        "/en/staff/accounts/invite",
        &[
            ("csrf", &csrf),
            ("username", "liaison1"),
            ("role", "partner-liaison"),
        ],
    );
    assert_eq!(status, 200, "{page}");
    let link = between(&page, r#"id="invitation-link">"#, "<").to_owned();
    let plain = [
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let accept = form_encode(&[("password", INVITEE_PASSWORD), ("confirm", INVITEE_PASSWORD)]);
    let (status, _) = http_request(&server.address, "POST", &link, &plain, &accept);
    assert_eq!(status, 303);
    // The partner's card, registered by one administrator and confirmed by another.
    let key = mamar_crypto::SigningKey::generate().unwrap();
    let card = mamar_keys::sign_card(
        &mamar_keys::ContactCard {
            org_name_ar: "شريك الاختبار".into(),
            org_name_en: "Test Partner".into(),
            web_address: None,
            onion_address: None,
            hotlines: vec!["+90 555 000 0000".into()],
            telegram_bot: None,
            // The partner runs its own mamar: referral files are sealed to this key.
            referral_seal: Some(*key.referral_seal_pair().public_key()),
            valid_until: mamar_keys::CardDate::new(2099, 12, 31).unwrap(),
        },
        &key,
    )
    .unwrap();
    let fingerprint = key.verifying_key().fingerprint().to_string();
    let (_, response) = post(
        admin,
        "/en/staff/partners",
        &[("csrf", &csrf), ("card", &card), ("fingerprint", &fingerprint)],
    );
    assert!(response.contains("done=registered"), "{response}");
    let (_, page) = http_request(&server.address, "GET", "/en/staff/partners", &headers(admin), "");
    let partner = between(&page, r#"id="partner-"#, "\"").to_owned();
    let liaison = between(&page, r#"<option value=""#, "\"").to_owned();
    let (_, response) = post(
        second_admin,
        &format!("/en/staff/partners/{partner}/confirm"),
        &[("csrf", &second_csrf), ("fingerprint", &fingerprint)],
    );
    assert!(response.contains("done=confirmed"), "{response}");
    let (_, response) = post(
        admin,
        &format!("/en/staff/partners/{partner}/liaison"),
        &[("csrf", &csrf), ("staff", &liaison)],
    );
    assert!(response.contains("done=liaison"), "{response}");
    // The requester's consent, then the referral of everything consented to.
    let fields = ["name", "birth-year", "phone", "governorate", "urgency"];
    let mut consent = vec![
        ("codename", codename),
        ("action", "consent"),
        ("partner", partner.as_str()),
    ];
    consent.extend(fields.iter().map(|f| ("field", *f)));
    let (status, page) = http_request(
        &server.address,
        "POST",
        "/en/follow-up",
        &plain,
        &form_encode(&consent),
    );
    assert_eq!(status, 200);
    assert!(page.contains("is recorded"), "{page}");
    let mut refer = vec![
        ("csrf", csrf.as_str()),
        ("action", "refer"),
        ("partner", partner.as_str()),
    ];
    refer.extend(fields.iter().map(|f| ("field", *f)));
    let (_, response) = post(admin, &format!("/en/staff/cases/{case}/partners"), &refer);
    assert!(response.contains("done=referred"), "{response}");
}

/// Export: the second person on the case (the restored administrator, put on it for this and
/// taken off after)
/// grants the export the first asked for with a reason, and the first downloads it with a
/// passphrase that must be stored and logged nowhere (nor the file, which the server never keeps;
/// it holds every case canary above).
pub(super) fn plant_export(server: &Server, admin: &str, second: &str, case: &str) {
    fn headers(cookie: &str) -> [(&str, &str); 3] {
        [
            ("Cookie", cookie),
            ("User-Agent", USER_AGENT),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    }
    let page_of = |cookie: &str| {
        http_request(
            &server.address,
            "GET",
            &format!("/en/staff/cases/{case}"),
            &headers(cookie),
            "",
        )
        .1
    };
    let post = |cookie: &str, path: &str, fields: &[(&str, &str)]| {
        http_request(
            &server.address,
            "POST",
            path,
            &headers(cookie),
            &form_encode(fields),
        )
    };
    let page = page_of(admin);
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let at = page.find("\">restored</option>").unwrap();
    let restored = page[at - 32..at].to_owned();
    let act = format!("/en/staff/cases/{case}/act");
    let (_, response) = post(
        admin,
        &act,
        &[
            ("csrf", &csrf),
            ("action", "assign"),
            ("staff", &restored),
            ("duty", "reception"),
        ],
    );
    assert!(response.contains("done=assigned"), "{response}");
    let (_, response) = post(
        admin,
        &act,
        &[("csrf", &csrf), ("action", "export"), ("text", EXPORT_REASON)],
    );
    assert!(response.contains("done=sent-for-approval"), "{response}");
    let page = page_of(second);
    assert!(page.contains(EXPORT_REASON), "the second person reads the reason");
    let second_csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let export = page.find("Exporting the case to a file").unwrap();
    let approval = between(&page[export..], r#"name="approval" value=""#, "\"").to_owned();
    let (_, response) = post(
        second,
        &act,
        &[
            ("csrf", &second_csrf),
            ("action", "decide"),
            ("approval", &approval),
            ("grant", "yes"),
        ],
    );
    assert!(response.contains("done=granted"), "{response}");
    let (status, response) = post(
        admin,
        &format!("/en/staff/cases/{case}/export"),
        &[
            ("csrf", &csrf),
            ("passphrase", EXPORT_PASSPHRASE),
            ("confirm", EXPORT_PASSPHRASE),
        ],
    );
    assert_eq!(status, 200, "{response}");
    assert!(
        header_value(&response, "content-disposition").is_some_and(|v| v.starts_with("attachment")),
        "{response}"
    );
    // Off the case again, so that break-glass can be asked by someone who is not on it.
    let (_, response) = post(
        admin,
        &act,
        &[("csrf", &csrf), ("action", "unassign"), ("staff", &restored)],
    );
    assert!(response.contains("done=unassigned"), "{response}");
}

/// Break-glass: set up and re-shared from the command line (both administrators hold a share); the case's
/// holder opens it (its key is escrowed); the other administrator asks with a written reason,
/// the first approves, the asker opens and reads the case.
pub(super) fn plant_break_glass(server: &Server, data: &Path, admin: &str, asker: &str, case: &str) {
    let setup = run_with_input(
        &[
            "keys",
            "break-glass",
            "setup",
            "--threshold",
            "2",
            "--admin-username",
            "admin",
            "--admin-password-file",
            "-",
        ],
        data,
        &format!("{ADMIN_PASSWORD}\n"),
    );
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    // Re-shared at once by the two holders (their passwords, one per line): the case is then
    // opened with the new shares.
    let reshare = run_with_input(
        &[
            "keys",
            "break-glass",
            "reshare",
            "--admin-username",
            "admin",
            "--admin-username",
            "restored",
            "--admin-password-file",
            "-",
        ],
        data,
        &format!("{ADMIN_PASSWORD}\n{RESTORED_PASSWORD}\n"),
    );
    assert!(
        String::from_utf8_lossy(&reshare.stdout).contains("Break-glass is re-shared"),
        "{}",
        String::from_utf8_lossy(&reshare.stderr)
    );
    fn headers(cookie: &str) -> [(&str, &str); 3] {
        [
            ("Cookie", cookie),
            ("User-Agent", USER_AGENT),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    }
    let get = |cookie: &str, path: &str| http_request(&server.address, "GET", path, &headers(cookie), "");
    let post = |cookie: &str, path: &str, fields: &[(&str, &str)]| {
        http_request(
            &server.address,
            "POST",
            path,
            &headers(cookie),
            &form_encode(fields),
        )
    };
    // The holder's next reading escrows the case key.
    let (_, page) = get(admin, &format!("/en/staff/cases/{case}"));
    let reference = between(&page, r#"<bdi dir="ltr" class="reference">"#, "<").to_owned();
    let (_, page) = get(asker, "/en/staff/break-glass");
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let (_, response) = post(
        asker,
        "/en/staff/break-glass",
        &[
            ("csrf", &csrf),
            ("reference", &reference),
            ("reason", BREAK_GLASS_REASON),
            ("hours", "1"),
        ],
    );
    assert!(response.contains("done=asked"), "{response}");
    let (_, page) = get(admin, "/en/staff/break-glass");
    assert!(
        page.contains(BREAK_GLASS_REASON),
        "every administrator reads the reason"
    );
    let admin_csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let request = between(&page, r#"id="request-"#, "\"").to_owned();
    let (_, response) = post(
        admin,
        &format!("/en/staff/break-glass/{request}/approve"),
        &[("csrf", &admin_csrf)],
    );
    assert!(response.contains("done=approved"), "{response}");
    let (status, response) = post(
        asker,
        &format!("/en/staff/break-glass/{request}/open"),
        &[("csrf", &csrf)],
    );
    assert_eq!(status, 303, "{response}");
    let (_, page) = get(asker, &format!("/en/staff/cases/{case}"));
    assert!(page.contains(CASE_NAME), "the asker reads the case");
}
