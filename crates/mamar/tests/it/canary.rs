//! Threat model A1: nothing typed into mamar appears in anything it writes,
//! on the embedded SQLite and on PostgreSQL.
//! Unique canary strings go in through every input path that exists; then
//! the database, its WAL and shared-memory files, the temporary directory
//! and the server's log are searched for them in UTF-8 and UTF-16.
//! Every new input path joins `plant_everywhere`; so does every file mamar writes for
//! elsewhere (a referral file for a partner).

use std::path::{Path, PathBuf};

use crate::init::init_with_password;
use crate::keys::{change_password, create_shares, login_status, restore, run_with_input};
use crate::support::{Server, form_encode, http_request};

const ADMIN_PASSWORD: &str = "canary-first-passphrase-7f3a9c1e";
const WRONG_PASSWORD: &str = "canary-wrong-password-b41d07aa";
const UNKNOWN_USER: &str = "canaryuser5d2e91";
const RESTORED_PASSWORD: &str = "canary-recovered-access-0c8e6f";
const INTAKE_CONTACT: &str = "canary-contact-evenings-4e1f22";
const INTAKE_MESSAGE: &str = "canary-intake-message-مرحبا-9a7c5d";
const FOLLOW_UP_MESSAGE: &str = "canary-follow-up-8b2c41";
const STAFF_REPLY: &str = "canary-staff-reply-3f9e07";
const USER_AGENT: &str = "canary-user-agent-Mozilla-71d2";
const DURESS_PASSWORD: &str = "canary-duress-password-5e0b3d";
const INVITEE_PASSWORD: &str = "canary-invitee-password-a9c7e2";
const CHANGED_PASSWORD: &str = "canary-changed-password-6d1f80";
const CASE_NAME: &str = "canary-name-كريم-51ad";
const CASE_PHONE: &str = "0944518273";
const CASE_NOTE: &str = "canary-case-note-0f3b72";
const CASE_FINDING: &str = "canary-vetting-finding-6e21c9";
const CASE_RATIONALE: &str = "canary-vetting-rationale-d84a10";
const CASE_MESSAGE: &str = "canary-case-message-2b7e55";
const CASE_ANSWER: &str = "canary-requester-to-case-93c0fa";
const CASE_CLOSE_REASON: &str = "canary-close-reason-47d1b8";
const CASE_FILE_NAME: &str = "canary-file-name-هوية-8e3d19.pdf";
const CASE_FILE_CONTENT: &str = "canary-file-content-c2a94f";
const PLAN_WHO: &str = "canary-plan-who-c3e9a1";
const PLAN_PLACE: &str = "canary-plan-place-8d04f7";
const PLAN_WHEN: &str = "canary-plan-when-17b6e2";
const PLAN_RECOGNITION: &str = "canary-plan-recognition-5af390";
const PLAN_FALLBACK: &str = "canary-plan-fallback-e6c218";
const PLAN_CHECK_IN: &str = "canary-plan-check-in-94d7b0";
const PLAN_TASK: &str = "canary-plan-task-2c85fd";
const EXPORT_REASON: &str = "canary-export-reason-4b19e3";
const EXPORT_PASSPHRASE: &str = "canary-export-passphrase-d07a62";
const BREAK_GLASS_REASON: &str = "canary-break-glass-reason-لا-أحد-يرد-3d7a60";
const KEY_NAME: &str = "canary-key-name-مفتاح-4b19d6";

fn header_value<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    response.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn between<'a>(text: &'a str, before: &str, after: &str) -> &'a str {
    text.split(before)
        .nth(1)
        .and_then(|rest| rest.split(after).next())
        .unwrap_or_default()
}

/// Sends a request through the form, comes back with the codename, gets a
/// staff reply; returns the codename and the administrator's session cookie.
fn plant_intake(server: &Server, admin_password: &str) -> (String, String) {
    let ua = [
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let form = form_encode(&[
        ("urgency", "immediate"),
        ("governorate", "sy-hl"),
        ("institution", "army"),
        ("destination", "abroad"),
        ("contact", INTAKE_CONTACT),
        ("message", INTAKE_MESSAGE),
        ("codename_language", "en"),
    ]);
    let (status, page) = http_request(&server.address, "POST", "/en/contact", &ua, &form);
    assert_eq!(status, 200, "{page}");
    let codename = between(&page, r#"id="codename">"#, "<").trim().to_owned();
    assert_eq!(codename.split(' ').count(), 7, "{page}");

    let follow = form_encode(&[
        ("codename", &codename),
        ("action", "send"),
        ("message", FOLLOW_UP_MESSAGE),
    ]);
    let (status, _) = http_request(&server.address, "POST", "/en/follow-up", &ua, &follow);
    assert_eq!(status, 200);

    let (cookie, _) = full_login(server, "admin", admin_password);
    let with_cookie = [("Cookie", cookie.as_str()), ("User-Agent", USER_AGENT)];
    let (_, inbox) = http_request(&server.address, "GET", "/en/staff/inbox", &with_cookie, "");
    let request_path = format!(
        "/en/staff/inbox/{}",
        between(&inbox, "href=\"/en/staff/inbox/", "\"")
    );
    let (_, inbox) = http_request(&server.address, "GET", &request_path, &with_cookie, "");
    assert!(inbox.contains(INTAKE_MESSAGE), "staff can read the request");
    let csrf = between(&inbox, r#"name="csrf" value=""#, "\"").to_owned();
    let request = between(&inbox, r#"name="request" value=""#, "\"").to_owned();
    let reply = form_encode(&[("csrf", &csrf), ("request", &request), ("text", STAFF_REPLY)]);
    let headers = [
        ("Cookie", cookie.as_str()),
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (status, _) = http_request(&server.address, "POST", "/en/staff/inbox/reply", &headers, &reply);
    assert_eq!(status, 303);
    let view = form_encode(&[("codename", &codename), ("action", "view")]);
    let (_, conversation) = http_request(&server.address, "POST", "/en/follow-up", &ua, &view);
    assert!(
        conversation.contains(STAFF_REPLY),
        "the requester can read the reply"
    );
    // Their own message too, from the copy sealed to their codename's key.
    assert!(
        conversation.contains(FOLLOW_UP_MESSAGE),
        "the requester can read their own message again"
    );
    // And their first request, from the copy sealed under the codename's own-copy key in the
    // same row as the request: what they typed is searched for like everything else.
    let first = between(&conversation, r#"id="first-request">"#, "</li>");
    assert!(
        first.contains(INTAKE_MESSAGE) && first.contains(INTAKE_CONTACT),
        "the requester can read their first request again: {conversation}"
    );
    (codename, cookie)
}

/// The request becomes a case with the person's name and phone; the
/// administrator takes the vetting duty too, records a finding, proposes a
/// decision with its reasons, writes a note and a message, asks to close with
/// a reason; the requester answers the case team.
fn plant_case(server: &Server, cookie: &str, codename: &str) -> String {
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
fn plant_partners(server: &Server, admin: &str, second_admin: &str, codename: &str, case: &str) {
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
fn plant_export(server: &Server, admin: &str, second: &str, case: &str) {
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

/// Break-glass: set up from the command line (both administrators hold a share); the case's
/// holder opens it (its key is escrowed); the other administrator asks with a written reason,
/// the first approves, the asker opens and reads the case.
fn plant_break_glass(server: &Server, data: &Path, admin: &str, asker: &str, case: &str) {
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

fn cookie_of(response: &str) -> String {
    header_value(response, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The code an authenticator app with this base32 secret shows now.
fn totp_code(secret: &str) -> String {
    let bytes = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!(
        "{:06}",
        mamar_crypto::TotpSecret::from_bytes(bytes).code_at(now).unwrap()
    )
}

/// Password, then the second factor (enrolled at the first login); returns
/// the full session's cookie and the TOTP secret as the page showed it.
pub fn full_login(server: &Server, username: &str, password: &str) -> (String, String) {
    let ua = [
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let login = form_encode(&[("username", username), ("password", password)]);
    let (status, response) = http_request(&server.address, "POST", "/en/staff/login", &ua, &login);
    assert_eq!(status, 303, "{response}");
    assert!(response.contains("/en/staff/login/enrol"), "{response}");
    let half = cookie_of(&response);
    let with_cookie = [("Cookie", half.as_str()), ("User-Agent", USER_AGENT)];
    let (_, page) = http_request(&server.address, "GET", "/en/staff/login/enrol", &with_cookie, "");
    let secret = between(&page, r#"name="secret" value=""#, "\"").to_owned();
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let code = totp_code(&secret);
    let form = form_encode(&[("csrf", &csrf), ("secret", &secret), ("code", &code)]);
    let headers = [
        ("Cookie", half.as_str()),
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (status, response) = http_request(&server.address, "POST", "/en/staff/login/enrol", &headers, &form);
    assert_eq!(status, 303, "{response}");
    (cookie_of(&response), secret)
}

/// A security key's name (the key itself is put in the database: no browser
/// here makes one), and an authenticator app replaced from the security
/// page. Returns the new app's secret.
fn plant_key_name_and_new_app(server: &Server, data: &Path, cookie: &str) -> String {
    let credential = b"canary-test-credential";
    crate::postgres::block_on(async {
        let url = crate::support::current_database_url();
        let store = mamar_store::open(url.as_deref(), data).await.unwrap();
        let staff = store
            .staff_by_username(&mamar_core::Username::parse("restored").unwrap())
            .await
            .unwrap()
            .unwrap();
        store
            .add_webauthn_credential(staff.id, credential, b"{}", 1_796_472_000)
            .await
            .unwrap();
        store.close().await;
    });
    let get = [("Cookie", cookie), ("User-Agent", USER_AGENT)];
    let post = [
        ("Cookie", cookie),
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (_, security) = http_request(&server.address, "GET", "/en/staff/security", &get, "");
    let csrf = between(&security, r#"name="csrf" value=""#, "\"").to_owned();
    let hex: String = credential.iter().map(|b| format!("{b:02x}")).collect();
    let rename = form_encode(&[("csrf", &csrf), ("key", &hex), ("name", KEY_NAME)]);
    let (status, page) = http_request(
        &server.address,
        "POST",
        "/en/staff/security/key/rename",
        &post,
        &rename,
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(KEY_NAME), "the owner reads the key's name: {page}");

    let (_, form) = http_request(
        &server.address,
        "GET",
        "/en/staff/security/authenticator",
        &get,
        "",
    );
    let secret = between(&form, r#"name="secret" value=""#, "\"").to_owned();
    let code = totp_code(&secret);
    let replace = form_encode(&[
        ("csrf", &csrf),
        ("secret", &secret),
        ("code", &code),
        ("password", RESTORED_PASSWORD),
    ]);
    let (status, page) = http_request(
        &server.address,
        "POST",
        "/en/staff/security/authenticator",
        &post,
        &replace,
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("The new authenticator app is in use."), "{page}");
    secret
}

/// Account paths: a duress password, an invitation whose link sets a password.
/// Returns the invitation token.
fn plant_accounts(server: &Server, cookie: &str) -> String {
    let get = [("Cookie", cookie), ("User-Agent", USER_AGENT)];
    let post = [
        ("Cookie", cookie),
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (_, security) = http_request(&server.address, "GET", "/en/staff/security", &get, "");
    let csrf = between(&security, r#"name="csrf" value=""#, "\"").to_owned();
    let duress = form_encode(&[
        ("csrf", &csrf),
        ("action", "set"),
        ("duress", DURESS_PASSWORD),
        ("duress_confirm", DURESS_PASSWORD),
        ("password", RESTORED_PASSWORD),
    ]);
    let (status, page) = http_request(
        &server.address,
        "POST",
        "/en/staff/security/duress",
        &post,
        &duress,
    );
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("The duress password is saved."), "{page}");

    let invite = form_encode(&[("csrf", &csrf), ("username", "analyst1"), ("role", "analyst")]);
    let (status, page) = http_request(
        &server.address,
        "POST",
        "/en/staff/accounts/invite",
        &post,
        &invite,
    );
    assert_eq!(status, 200, "{page}");
    // The whole link, from the server's public origin; requested by its path.
    let full = between(&page, r#"id="invitation-link">"#, "<").to_owned();
    assert!(full.starts_with("http://localhost:"), "{full}");
    let link = full[full.find("/en/staff/").unwrap()..].to_owned();
    let token = link.rsplit('/').next().unwrap().to_owned();
    let accept = form_encode(&[("password", INVITEE_PASSWORD), ("confirm", INVITEE_PASSWORD)]);
    let plain = [
        ("User-Agent", USER_AGENT),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let (status, _) = http_request(&server.address, "POST", &link, &plain, &accept);
    assert_eq!(status, 303, "the invitee sets their password");
    token
}

fn encodings(text: &str) -> Vec<(&'static str, Vec<u8>)> {
    let utf16: Vec<u16> = text.encode_utf16().collect();
    vec![
        ("UTF-8", text.as_bytes().to_vec()),
        ("UTF-16LE", utf16.iter().flat_map(|u| u.to_le_bytes()).collect()),
        ("UTF-16BE", utf16.iter().flat_map(|u| u.to_be_bytes()).collect()),
    ]
}

/// The files under `dir`, or `dir` itself when it is a file.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Every place the canaries were found: "canary (encoding) in where".
fn search_bytes(canaries: &[String], name: &str, haystack: &[u8], hits: &mut Vec<String>) {
    for canary in canaries {
        for (encoding, needle) in encodings(canary) {
            if memchr::memmem::find(haystack, &needle).is_some() {
                hits.push(format!("{canary} ({encoding}) in {name}"));
            }
        }
    }
}

/// The canaries found in the files under `dirs` (read one at a time: a PostgreSQL server's
/// write-ahead log can be large).
fn search_files(canaries: &[String], dirs: &[&Path]) -> Vec<String> {
    let mut hits = Vec::new();
    for path in dirs.iter().flat_map(|dir| files_under(dir)) {
        if let Ok(bytes) = std::fs::read(&path) {
            search_bytes(canaries, &path.display().to_string(), &bytes, &mut hits);
        }
    }
    hits
}

/// Plants a unique canary through every input path of a server on `data` (a fresh SQLite
/// database there, or the database this thread was told to use) and returns the running server
/// with the canaries, each of which must then appear nowhere.
fn plant_everywhere(dir: &Path, data: &Path, tmp: &Path) -> (Server, Vec<String>) {
    // Setup: the administrator's password.
    let init = init_with_password(data, &[], ADMIN_PASSWORD);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let server = Server::start_with(data, &[("TMPDIR", tmp), ("MAMAR_LOG", Path::new("debug"))]);

    // Staff login: a right password, a wrong one, an unknown user name.
    assert_eq!(login_status(&server, "admin", ADMIN_PASSWORD), 303);
    assert_eq!(login_status(&server, "admin", WRONG_PASSWORD), 401);
    assert_eq!(login_status(&server, UNKNOWN_USER, WRONG_PASSWORD), 401);

    // Recovery: the shares themselves, and a restored administrator's password.
    let shares = create_shares(data, &dir.join("shares"), ADMIN_PASSWORD);
    let share_texts: Vec<String> = shares
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap().trim().to_owned())
        .collect();
    let pair = [shares[0].as_path(), shares[1].as_path()];
    assert!(
        restore(data, &pair, "restored", RESTORED_PASSWORD)
            .status
            .success()
    );
    assert_eq!(login_status(&server, "restored", RESTORED_PASSWORD), 303);

    // Intake: every free-text field (kept twice: sealed to the intake key, and the requester's
    // own copy), the codename, a follow-up, a staff reply, the user agent.
    let (codename, admin_cookie) = plant_intake(&server, ADMIN_PASSWORD);
    // Cases: the person's name and phone, notes, findings, decisions, messages both ways.
    let case = plant_case(&server, &admin_cookie, &codename);

    // Accounts: the second factor's secret, a duress password, an invitation
    // token and the password its invitee chose.
    let (cookie, totp_secret) = full_login(&server, "restored", RESTORED_PASSWORD);
    let invitation_token = plant_accounts(&server, &cookie);
    // A security key's name, and a replaced authenticator app's new secret.
    let new_totp_secret = plant_key_name_and_new_app(&server, data, &cookie);
    // Partners: the consent, and a referral of the person's name, phone and governorate.
    plant_partners(&server, &admin_cookie, &cookie, &codename, &case);
    // The same fields leave as a referral file for the partner (signed, sealed to its card's
    // key), written where the search looks.
    let referral_file = tmp.join("referral.txt");
    let mut export = vec![
        "referral",
        "export",
        "--username",
        "admin",
        "--password-file",
        "-",
        "--case",
        case.as_str(),
        "--partner",
        "Test Partner",
        "--out",
        referral_file.to_str().unwrap(),
    ];
    for field in ["name", "birth-year", "phone", "governorate", "urgency"] {
        export.extend(["--field", field]);
    }
    let exported = crate::keys::run_with_input(&export, data, &format!("{ADMIN_PASSWORD}\n"));
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let file = std::fs::read_to_string(&referral_file).unwrap();
    assert!(file.starts_with("mamar-referral-file v1\n"), "{file}");
    // Export: the reason, and the passphrase the file is encrypted to.
    plant_export(&server, &admin_cookie, &cookie, &case);
    // Break-glass: the written reason of a request to read the case.
    plant_break_glass(&server, data, &admin_cookie, &cookie, &case);

    // A password changed from the command line, then used.
    let changed = change_password(data, dir, "admin", ADMIN_PASSWORD, CHANGED_PASSWORD);
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert_eq!(login_status(&server, "admin", CHANGED_PASSWORD), 303);

    let mut canaries: Vec<String> = [
        ADMIN_PASSWORD,
        WRONG_PASSWORD,
        UNKNOWN_USER,
        RESTORED_PASSWORD,
        INTAKE_CONTACT,
        INTAKE_MESSAGE,
        FOLLOW_UP_MESSAGE,
        STAFF_REPLY,
        USER_AGENT,
        DURESS_PASSWORD,
        INVITEE_PASSWORD,
        CHANGED_PASSWORD,
        CASE_NAME,
        CASE_PHONE,
        CASE_NOTE,
        CASE_FINDING,
        CASE_RATIONALE,
        CASE_MESSAGE,
        CASE_ANSWER,
        CASE_CLOSE_REASON,
        CASE_FILE_NAME,
        CASE_FILE_CONTENT,
        PLAN_WHO,
        PLAN_PLACE,
        PLAN_WHEN,
        PLAN_RECOGNITION,
        PLAN_FALLBACK,
        PLAN_CHECK_IN,
        PLAN_TASK,
        EXPORT_REASON,
        EXPORT_PASSPHRASE,
        BREAK_GLASS_REASON,
        KEY_NAME,
    ]
    .map(String::from)
    .to_vec();
    // A choice answer too: the governorate says where someone is from.
    canaries.push("sy-hl".to_owned());
    canaries.push(codename);
    canaries.push(totp_secret);
    canaries.push(new_totp_secret);
    canaries.push(invitation_token);
    canaries.extend(share_texts);
    (server, canaries)
}

/// The audit log recorded what happened: it holds entries for the logins (failed ones for the
/// unknown user name too), the invitation and the duress password, and its chain is intact.
fn assert_the_audit_log_was_searched_too(data: &Path) {
    let (code, stdout, stderr) = crate::audit::verify(data, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let entries: u64 = stdout
        .split_whitespace()
        .find_map(|word| word.parse().ok())
        .unwrap_or(0);
    assert!(entries >= 15, "too few audit entries to mean anything: {stdout}");
}

/// The search finds what is there, so an empty result means something.
fn assert_the_search_finds_a_planted_canary(canaries: &[String]) {
    let mut hits = Vec::new();
    let control = encodings(&canaries[0])[1].1.clone();
    search_bytes(&canaries[..1], "control", &control, &mut hits);
    assert_eq!(hits.len(), 1);
}

/// A backup taken while the server runs shows none of the canaries, no user name and not even
/// what the live database keeps in the clear (the organisation's name, roles, months).
fn assert_a_backup_shows_nothing(dir: &Path, data: &Path, canaries: &[String]) {
    let backups = dir.join("backups");
    let output = crate::support::run(
        crate::support::mamar()
            .args(["backup", "--data-dir"])
            .arg(data)
            .arg("--out-dir")
            .arg(&backups),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = crate::support::files_in(&backups);
    assert_eq!(files.len(), 1);
    let mut secrets = canaries.to_vec();
    secrets.extend(
        [
            "admin",
            "restored",
            "analyst1",
            "Syrian Centre for Safety and Defection",
            "المركز السوري",
            "administrator",
            "login_succeeded",
            "codename-salt",
        ]
        .map(String::from),
    );
    let places: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    assert_eq!(search_files(&secrets, &places), Vec::<String>::new());
}

#[test]
fn canaries_planted_through_every_input_path_appear_in_no_file_and_no_log() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let (server, canaries) = plant_everywhere(dir.path(), &data, &tmp);
    assert_a_backup_shows_nothing(dir.path(), &data, &canaries);

    // While the server runs: the database, its WAL and shared memory, temporary files.
    assert!(
        files_under(&data)
            .iter()
            .any(|path| path.display().to_string().ends_with("mamar.sqlite3-wal")),
        "no WAL to search"
    );
    assert_eq!(search_files(&canaries, &[&data, &tmp]), Vec::<String>::new());

    // No requester address is stored: every request came from 127.0.0.1.
    let database_files: Vec<PathBuf> = files_under(&data)
        .into_iter()
        .filter(|path| path.display().to_string().contains("mamar.sqlite3"))
        .collect();
    let database_files: Vec<&Path> = database_files.iter().map(PathBuf::as_path).collect();
    assert_eq!(
        search_files(&["127.0.0.1".to_owned()], &database_files),
        Vec::<String>::new()
    );

    // After a clean stop: the files again, and everything the server logged.
    let (clean, log) = server.terminate();
    assert!(clean);
    assert!(
        log.len() > 5,
        "the debug log should have lines to search: {log:?}"
    );
    let mut hits = search_files(&canaries, &[&data, &tmp]);
    search_bytes(&canaries, "the server log", log.join("\n").as_bytes(), &mut hits);
    assert_eq!(hits, Vec::<String>::new());

    assert_the_audit_log_was_searched_too(&data);
    assert_the_search_finds_a_planted_canary(&canaries);
}

#[test]
fn on_postgresql_the_canaries_appear_in_no_table_file_no_write_ahead_log_and_no_server_log() {
    let postgres = crate::postgres::TestPostgres::create();
    let _database = crate::support::use_database(&postgres.url);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let (server, canaries) = plant_everywhere(dir.path(), &data, &tmp);
    assert_a_backup_shows_nothing(dir.path(), &data, &canaries);

    // Everything PostgreSQL holds in memory goes to its files first.
    postgres.checkpoint();
    let database_dir = postgres.database_dir();
    assert!(
        files_under(&database_dir).len() > 10,
        "no table files to search in {}",
        database_dir.display()
    );
    let places = [
        database_dir.as_path(),
        &postgres.wal_dir(),
        &postgres.server_log(),
        &data,
        &tmp,
    ];
    assert_eq!(search_files(&canaries, &places), Vec::<String>::new());

    // No requester address is stored: every request came from 127.0.0.1.
    assert_eq!(
        search_files(&["127.0.0.1".to_owned()], &[&database_dir]),
        Vec::<String>::new()
    );
    // The organisation's public name is stored in the clear, so the search must find it in
    // the table files and in the write-ahead log: proof that both were reached and current.
    let public_name = ["Syrian Centre for Safety and Defection".to_owned()];
    assert!(!search_files(&public_name, &[&database_dir]).is_empty());
    assert!(!search_files(&public_name, &[&postgres.wal_dir()]).is_empty());

    let (clean, log) = server.terminate();
    assert!(clean);
    let mut hits = Vec::new();
    search_bytes(&canaries, "the server log", log.join("\n").as_bytes(), &mut hits);
    assert_eq!(hits, Vec::<String>::new());
    assert_the_audit_log_was_searched_too(&data);
    assert_the_search_finds_a_planted_canary(&canaries);
}
