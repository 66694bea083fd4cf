//! Threat model A3: under duress, a staff member logs in with the duress password. The real keys
//! are destroyed and the other administrators alerted, silently; the decoy workspace looks like
//! the real one, answers every form as it would, and changes nothing.

use mamar_core::{Locale, Username};
use mamar_store::{IntakeMessage, LoginState, OrgKeyGrant, StaffRecord};

use crate::authz::{PASSWORD, create_account, hex, staff_id};
use crate::intake::submit;
use crate::support::{ADMIN_PASSWORD, TestServer, hidden_value};

/// Everything a coerced administrator could try to change.
struct Snapshot {
    staff: Vec<(StaffRecord, Option<LoginState>, Vec<OrgKeyGrant>, usize)>,
    invitations: Vec<mamar_store::Invitation>,
    role_names: Option<Vec<u8>>,
    duress_response: Option<Vec<u8>>,
    messages: Vec<IntakeMessage>,
    requests: usize,
    open_requests: u64,
    cases: u64,
}

async fn snapshot(server: &TestServer) -> Snapshot {
    let store = &server.store;
    let mut staff = Vec::new();
    for record in store.all_staff().await.unwrap() {
        let login = store.login_state(record.id).await.unwrap();
        let grants = store.org_key_grants(record.id).await.unwrap();
        let credentials = store.webauthn_credentials(record.id).await.unwrap().len();
        staff.push((record, login, grants, credentials));
    }
    let requests = store.intake_requests(100).await.unwrap();
    let mut messages = Vec::new();
    for request in &requests {
        messages.extend(store.intake_messages(&request.id).await.unwrap());
    }
    Snapshot {
        staff,
        invitations: store.invitations().await.unwrap(),
        role_names: store.setting("role_names").await.unwrap(),
        duress_response: store.setting("duress_response").await.unwrap(),
        messages,
        requests: requests.len(),
        open_requests: store.open_request_count().await.unwrap(),
        cases: store.case_count().await.unwrap(),
    }
}

const DURESS: &str = "the sky is green over the river";

/// The administrator sets a duress password from the security page.
async fn set_duress_password(server: &TestServer, admin: &str) {
    let csrf = hidden_value(
        &server.get_with_cookie("/en/staff/security", admin).await.text(),
        "csrf",
    );
    let set = server
        .post_form(
            "/en/staff/security/duress",
            &[
                ("csrf", &csrf),
                ("action", "set"),
                ("duress", DURESS),
                ("duress_confirm", DURESS),
                ("password", ADMIN_PASSWORD),
            ],
            Some(admin),
        )
        .await;
    assert_eq!(set.status, 200);
    assert!(set.text().contains("The duress password is saved."));
}

/// The administrator, forced to log in, gives the duress password and any code from the
/// phone: the same steps as a real login. Returns the decoy session's cookie.
async fn duress_login(server: &TestServer) -> String {
    let (cookie, next) = server.password_step("en", "admin", DURESS).await;
    assert_eq!(next, "/en/staff/login/code", "the same steps as a real login");
    let csrf = hidden_value(&server.get_with_cookie(&next, &cookie).await.text(), "csrf");
    let reply = server
        .post_form(&next, &[("csrf", &csrf), ("code", "493 027")], Some(&cookie))
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.header("location"), Some("/en/staff/"));
    reply.cookie().unwrap()
}

#[tokio::test]
async fn a_duress_login_shows_an_empty_workspace_destroys_the_keys_and_alerts_administrators() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    // A second administrator, who will see the alert.
    create_account(&server, &admin, "noura", &["administrator"]).await;

    set_duress_password(&server, &admin).await;
    let normal_home = server.get_with_cookie("/en/staff/", &admin).await.text();

    // Forced to log in: the duress password, then any code from the phone.
    let decoy = duress_login(&server).await;
    let home = server.get_with_cookie("/en/staff/", &decoy).await;
    assert_eq!(home.status, 200);
    let home = home.text();
    assert!(home.contains("You are logged in as") && home.contains("admin"));
    assert!(
        !home.contains("Intake (reading new requests)"),
        "no keys in the decoy"
    );
    assert!(!home.to_lowercase().contains("duress"));
    // The same page, minus the keys it lists.
    let strip = |html: &str| {
        html.lines()
            .filter(|line| !line.contains("<li>") && !line.contains("csrf") && !line.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&home), strip(&normal_home));
    let inbox = server.get_with_cookie("/en/staff/inbox", &decoy).await;
    assert_eq!(inbox.status, 200, "an empty inbox, not an error");
    let accounts = server.get_with_cookie("/en/staff/accounts", &decoy).await.text();
    assert!(!accounts.contains("noura"), "the decoy shows nobody else");

    // Silently: the real session is gone, the keys are destroyed, the real password opens nothing.
    assert_eq!(server.get_with_cookie("/en/staff/", &admin).await.status, 303);
    let record = server
        .store
        .staff_by_username(&Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(record.wrapped_secret_keys.is_empty());
    assert!(server.store.org_key_grants(record.id).await.unwrap().is_empty());
    let login = server
        .post_form(
            "/en/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(login.status, 401);

    // The other administrator sees the alert.
    let noura = server.log_in_as("en", "noura", PASSWORD).await;
    let page = server.get_with_cookie("/en/staff/accounts", &noura).await.text();
    assert!(
        page.contains("A duress password was used to log in to the account"),
        "{page}"
    );
}

#[tokio::test]
async fn in_the_decoy_workspace_every_form_seems_to_work_and_changes_nothing() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "noura", &["administrator"]).await;
    submit(&server, "en", "en").await;
    set_duress_password(&server, &admin).await;
    // Made to log in with the duress password: the decoy workspace.
    let decoy = duress_login(&server).await;
    let before = snapshot(&server).await;

    let csrf = hidden_value(
        &server.get_with_cookie("/en/staff/accounts", &decoy).await.text(),
        "csrf",
    );
    let noura = staff_id(&server, "noura").await;
    let request = hex(&server.store.intake_requests(1).await.unwrap()[0].id);
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/en/staff/accounts/invite".into(),
            vec![("username", "coercer"), ("role", "administrator")],
        ),
        (
            format!("/en/staff/accounts/{noura}/roles"),
            vec![("role", "auditor"), ("password", "whatever they say")],
        ),
        (
            format!("/en/staff/accounts/{noura}/disable"),
            vec![("password", "whatever they say")],
        ),
        (
            format!("/en/staff/accounts/{noura}/reset-second-factor"),
            vec![("password", "whatever they say")],
        ),
        (
            "/en/staff/accounts/role-names".into(),
            vec![
                ("name.administrator.en", "Boss"),
                ("name.administrator.ar", "الرئيس"),
            ],
        ),
        (
            "/en/staff/accounts/duress-response".into(),
            vec![("response", "alert-only")],
        ),
        (
            "/en/staff/security/duress".into(),
            vec![("action", "remove"), ("password", "whatever they say")],
        ),
        (
            "/en/staff/security/duress".into(),
            vec![
                ("action", "set"),
                ("duress", "another phrase they chose"),
                ("duress_confirm", "another phrase they chose"),
                ("password", "whatever they say"),
            ],
        ),
        (
            "/en/staff/inbox/reply".into(),
            vec![("request", &request), ("text", "a reply written under duress")],
        ),
        (
            format!("/en/staff/inbox/{request}/open"),
            vec![
                ("person_name", "a name given under duress"),
                ("person_phone", "0944000111"),
            ],
        ),
        (
            "/en/staff/cases/new".into(),
            vec![
                ("urgency", "immediate"),
                ("governorate", "sy-hl"),
                ("institution", "army"),
                ("destination", "abroad"),
            ],
        ),
        (
            "/en/staff/cases/unfreeze".into(),
            vec![("reference", "123-456-789")],
        ),
        (
            "/en/staff/panic".into(),
            vec![("phrase", "destroy all keys"), ("password", "whatever they say")],
        ),
    ];
    for (path, fields) in &attempts {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let answer = server.post_form(path, &form, Some(&decoy)).await;
        // The decoy shows no other account, so actions on one find nothing, as they would
        // for an account that does not exist; everything else seems to succeed.
        let expected: &[u16] = if path.contains(&noura) {
            &[404]
        } else {
            &[200, 303]
        };
        assert!(
            expected.contains(&answer.status),
            "{path}: {} {}",
            answer.status,
            answer.text()
        );
    }

    let after = snapshot(&server).await;
    assert!(
        after.staff == before.staff,
        "accounts, roles, keys or logins changed"
    );
    assert!(after.invitations == before.invitations, "an invitation was made");
    assert!(after.role_names == before.role_names, "role names changed");
    assert!(
        after.duress_response == before.duress_response,
        "the duress response changed"
    );
    assert!(after.messages == before.messages, "a reply was sent");
    assert_eq!(after.requests, before.requests);
    assert_eq!(
        after.open_requests, before.open_requests,
        "a request was opened as a case"
    );
    assert_eq!(after.cases, before.cases, "a case was opened");
    // The decoy session is still open, as after any successful action.
    assert_eq!(server.get_with_cookie("/en/staff/", &decoy).await.status, 200);
}
