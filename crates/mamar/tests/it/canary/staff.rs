//! The intake and staff paths of the canary test: a request and its codename, logins with
//! the second factor, a security key's name, a new authenticator app, accounts.

use super::*;

/// Sends a request through the form, comes back with the codename, gets a
/// staff reply; returns the codename and the administrator's session cookie.
pub(super) fn plant_intake(server: &Server, admin_password: &str) -> (String, String) {
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

pub(super) fn cookie_of(response: &str) -> String {
    header_value(response, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The code an authenticator app with this base32 secret shows now.
pub(super) fn totp_code(secret: &str) -> String {
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
pub(super) fn plant_key_name_and_new_app(server: &Server, data: &Path, cookie: &str) -> String {
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
pub(super) fn plant_accounts(server: &Server, cookie: &str) -> String {
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
