//! Threat model A3: under duress, a staff member logs in with the duress password and is made to
//! act. The decoy workspace answers every form as the real one would, and changes nothing.

use mamar_core::Locale;
use mamar_store::{IntakeMessage, LoginState, OrgKeyGrant, StaffRecord};

use crate::authz::{create_account, hex, staff_id};
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
    }
}

#[tokio::test]
async fn in_the_decoy_workspace_every_form_seems_to_work_and_changes_nothing() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "noura", &["administrator"]).await;
    submit(&server, "en", "en").await;
    let csrf = hidden_value(
        &server.get_with_cookie("/en/staff/security", &admin).await.text(),
        "csrf",
    );
    let duress = "the sky is green over the river";
    let set = server
        .post_form(
            "/en/staff/security/duress",
            &[
                ("csrf", &csrf),
                ("action", "set"),
                ("duress", duress),
                ("duress_confirm", duress),
                ("password", ADMIN_PASSWORD),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(set.status, 200);

    // Made to log in with the duress password: the decoy workspace.
    let (cookie, next) = server.password_step("en", "admin", duress).await;
    let code_csrf = hidden_value(&server.get_with_cookie(&next, &cookie).await.text(), "csrf");
    let decoy = server
        .post_form(&next, &[("csrf", &code_csrf), ("code", "493027")], Some(&cookie))
        .await
        .cookie()
        .unwrap();
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
    // The decoy session is still open, as after any successful action.
    assert_eq!(server.get_with_cookie("/en/staff/", &decoy).await.status, 200);
}
