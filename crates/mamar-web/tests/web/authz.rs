//! The authorization matrix (`authz.toml`) against the running server: every
//! route × every principal × every relation, over HTTP. A route in the route
//! table but not in the file (or the other way round) fails the suite.

use std::collections::{BTreeMap, BTreeSet};

use mamar_core::{Locale, Role, Username};
use sha2::{Digest, Sha256};

use crate::support::{
    ADMIN_PASSWORD, Reply, TestServer, assert_no_internal_detail, assert_security_headers, hidden_value,
};

/// The password of every account `create_account` makes.
pub const PASSWORD: &str = "matrix test passphrase, long enough";
const MATRIX: &str = include_str!("../../authz.toml");

/// principal → outcome
type Row = BTreeMap<String, String>;

#[derive(Debug, Clone)]
struct MatrixRoute {
    method: String,
    path: String,
    /// relation ("" when the route names no object) → row
    rows: BTreeMap<String, Row>,
}

fn parse_matrix(text: &str) -> Vec<MatrixRoute> {
    let value: toml::Table = toml::from_str(text).unwrap();
    let routes = value["route"].as_array().unwrap();
    routes
        .iter()
        .map(|route| {
            let expect = route["expect"].as_table().unwrap();
            let row = |table: &toml::Table| -> Row {
                table
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            };
            let nested = expect.values().all(|v| v.is_table());
            let rows = if nested {
                expect
                    .iter()
                    .map(|(relation, table)| (relation.clone(), row(table.as_table().unwrap())))
                    .collect()
            } else {
                BTreeMap::from([(String::new(), row(expect))])
            };
            MatrixRoute {
                method: route["method"].as_str().unwrap().to_owned(),
                path: route["path"].as_str().unwrap().to_owned(),
                rows,
            }
        })
        .collect()
}

fn principals() -> Vec<String> {
    let mut all = vec!["anonymous".to_owned(), "pending".to_owned()];
    all.extend(Role::ALL.iter().map(|role| role.code().to_owned()));
    all
}

/// What the matrix misses of the route table, and what it names that the table lacks.
fn coverage_problems(matrix: &[MatrixRoute]) -> Vec<String> {
    let served: BTreeSet<(String, String)> = mamar_web::routes::route_specs()
        .into_iter()
        .map(|spec| (spec.method.to_owned(), spec.path.to_owned()))
        .collect();
    let listed: BTreeSet<(String, String)> = matrix
        .iter()
        .map(|route| (route.method.clone(), route.path.clone()))
        .collect();
    let mut problems: Vec<String> = served
        .difference(&listed)
        .map(|(m, p)| format!("{m} {p} is served but not in authz.toml"))
        .collect();
    problems.extend(
        listed
            .difference(&served)
            .map(|(m, p)| format!("{m} {p} is in authz.toml but not served")),
    );
    let everyone: BTreeSet<String> = principals().into_iter().collect();
    for route in matrix {
        for (relation, row) in &route.rows {
            let named: BTreeSet<String> = row.keys().cloned().collect();
            if named != everyone {
                problems.push(format!(
                    "{} {} [{relation}] does not name exactly every principal",
                    route.method, route.path
                ));
            }
        }
    }
    problems
}

#[test]
fn the_matrix_lists_every_route_and_every_principal() {
    let problems = coverage_problems(&parse_matrix(MATRIX));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_route_missing_from_the_matrix_fails_the_check() {
    let mut matrix = parse_matrix(MATRIX);
    let removed = matrix.remove(matrix.len() / 2);
    let problems = coverage_problems(&matrix);
    assert_eq!(
        problems,
        [format!(
            "{} {} is served but not in authz.toml",
            removed.method, removed.path
        )]
    );
    let mut extra = parse_matrix(MATRIX);
    extra[0].path = "/{lang}/staff/secret-backdoor".into();
    assert!(
        coverage_problems(&extra)
            .iter()
            .any(|p| p.contains("secret-backdoor") && p.contains("not served"))
    );
}

fn classify(reply: &Reply) -> String {
    match reply.status {
        403 => "deny".into(),
        404 => "not-found".into(),
        405 => "method-not-allowed".into(),
        301..=308 => match reply.header("location").unwrap_or("") {
            "/en/staff/login" => "login".into(),
            "/en/staff/login/code" | "/en/staff/login/enrol" => "second-factor".into(),
            "/en/staff/" => "home".into(),
            _ => "allow".into(),
        },
        500..=599 => "server-error".into(),
        _ => "allow".into(),
    }
}

pub struct Principal {
    pub cookie: Option<String>,
    pub csrf: String,
    pub own_id: String,
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn staff_id(server: &TestServer, username: &str) -> String {
    let staff = server
        .store
        .staff_by_username(&Username::parse(username).unwrap())
        .await
        .unwrap()
        .unwrap();
    hex(staff.id.as_bytes())
}

/// An administrator invites `username`, the invitee sets their password from
/// the link, and the administrator saves their roles (which gives them keys).
pub async fn create_account(server: &TestServer, admin: &str, username: &str, roles: &[&str]) -> String {
    let page = server.get_with_cookie("/en/staff/accounts", admin).await.text();
    let csrf = hidden_value(&page, "csrf");
    let mut fields = vec![("csrf", csrf.as_str()), ("username", username)];
    fields.extend(roles.iter().map(|role| ("role", *role)));
    let invited = server
        .post_form("/en/staff/accounts/invite", &fields, Some(admin))
        .await;
    assert_eq!(invited.status, 200, "{}", invited.text());
    let html = invited.text();
    let link = html
        .split(r#"id="invitation-link">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    let accepted = server
        .post_form(&link, &[("password", PASSWORD), ("confirm", PASSWORD)], None)
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text());
    let id = staff_id(server, username).await;
    let mut fields = vec![("csrf", csrf.as_str()), ("password", ADMIN_PASSWORD)];
    fields.extend(roles.iter().map(|role| ("role", *role)));
    let saved = server
        .post_form(&format!("/en/staff/accounts/{id}/roles"), &fields, Some(admin))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.text());
    link
}

async fn full_principal(server: &TestServer, username: &str, password: &str) -> Principal {
    let cookie = server.log_in_as("en", username, password).await;
    let home = server.get_with_cookie("/en/staff/", &cookie).await.text();
    Principal {
        csrf: hidden_value(&home, "csrf"),
        cookie: Some(cookie),
        own_id: staff_id(server, username).await,
    }
}

struct World {
    server: TestServer,
    principals: BTreeMap<String, Principal>,
    target_id: String,
    invitation_hash: String,
    /// A case every principal whose role can hold a duty is on.
    case_id: String,
    /// A file attached to that case.
    file_id: String,
}

/// A PDF attached to `case` by `cookie`'s owner; returns the file's id in hex.
pub async fn attach_file(server: &TestServer, cookie: &str, case: &str) -> String {
    let page = server
        .get_with_cookie(&format!("/en/staff/cases/{case}"), cookie)
        .await
        .text();
    let csrf = hidden_value(&page, "csrf");
    let reply = server
        .post_file(
            &format!("/en/staff/cases/{case}/attachments"),
            &csrf,
            "scan.pdf",
            b"%PDF-1.4\n% a test document\n",
            cookie,
        )
        .await;
    assert_eq!(
        reply.header("location"),
        Some(format!("/en/staff/cases/{case}?done=attached").as_str())
    );
    let page = server
        .get_with_cookie(&format!("/en/staff/cases/{case}"), cookie)
        .await
        .text();
    page.split(&format!("/staff/cases/{case}/attachments/"))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

/// A request arrives, `admin` opens it as a case and puts each of
/// `assignees` (user name, duty) on it. Returns the case's id in hex.
pub async fn open_case_with(server: &TestServer, admin: &str, assignees: &[(&str, &str)]) -> String {
    crate::intake::submit(server, "en", "en").await;
    let request = server.store.open_requests(0, 1).await.unwrap().remove(0);
    let page = server.get_with_cookie("/en/staff/", admin).await.text();
    let csrf = hidden_value(&page, "csrf");
    let opened = server
        .post_form(
            &format!("/en/staff/inbox/{}/open", hex(&request.id)),
            &[("csrf", &csrf)],
            Some(admin),
        )
        .await;
    assert_eq!(opened.status, 303, "{}", opened.text());
    let location = opened.header("location").unwrap().to_owned();
    let case = location
        .trim_start_matches("/en/staff/cases/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    for (username, duty) in assignees {
        let staff = staff_id(server, username).await;
        let assigned = server
            .post_form(
                &format!("/en/staff/cases/{case}/act"),
                &[
                    ("csrf", &csrf),
                    ("action", "assign"),
                    ("staff", &staff),
                    ("duty", duty),
                ],
                Some(admin),
            )
            .await;
        assert_eq!(
            assigned.header("location"),
            Some(format!("/en/staff/cases/{case}?done=assigned").as_str()),
            "{username} as {duty}"
        );
    }
    case
}

async fn world() -> World {
    let server =
        TestServer::fresh_with(|state| state.with_webauthn("http://localhost", "Test centre").unwrap()).await;
    server.initialise(Locale::En).await;
    let admin_cookie = server.log_in("en").await;
    let mut principals = BTreeMap::new();
    for role in Role::ALL.into_iter().filter(|role| *role != Role::Administrator) {
        create_account(&server, &admin_cookie, role.code(), &[role.code()]).await;
        principals.insert(
            role.code().to_owned(),
            full_principal(&server, role.code(), PASSWORD).await,
        );
    }
    // Someone who has passed the password but not the second factor.
    create_account(&server, &admin_cookie, "halfway", &["vetting-officer"]).await;
    server.log_in_as("en", "halfway", PASSWORD).await;
    let (cookie, next) = server.password_step("en", "halfway", PASSWORD).await;
    assert_eq!(next, "/en/staff/login/code");
    let page = server.get_with_cookie(&next, &cookie).await.text();
    principals.insert(
        "pending".into(),
        Principal {
            csrf: hidden_value(&page, "csrf"),
            cookie: Some(cookie),
            own_id: staff_id(&server, "halfway").await,
        },
    );
    // The object of "other" relations: an account, and an open invitation.
    create_account(&server, &admin_cookie, "target", &["reception-officer"]).await;
    let target_id = staff_id(&server, "target").await;
    let page = server
        .get_with_cookie("/en/staff/accounts", &admin_cookie)
        .await
        .text();
    let csrf = hidden_value(&page, "csrf");
    let invited = server
        .post_form(
            "/en/staff/accounts/invite",
            &[("csrf", &csrf), ("username", "later"), ("role", "analyst")],
            Some(&admin_cookie),
        )
        .await
        .text();
    let token = invited
        .split("/staff/invitation/")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap();
    let raw = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, token).unwrap();
    let invitation_hash = hex(&Sha256::digest(&raw));
    principals.insert(
        "administrator".into(),
        full_principal(&server, "admin", ADMIN_PASSWORD).await,
    );
    // The object of "assigned" relations: a case each principal is on, with a duty of its role.
    let case_id = open_case_with(
        &server,
        &admin_cookie,
        &[
            ("intake-operator", "intake"),
            ("vetting-officer", "vetting"),
            ("exit-coordinator", "coordinator"),
            ("reception-officer", "reception"),
            ("partner-liaison", "partner-liaison"),
        ],
    )
    .await;
    let file_id = attach_file(&server, &admin_cookie, &case_id).await;
    principals.insert(
        "anonymous".into(),
        Principal {
            cookie: None,
            csrf: String::new(),
            own_id: target_id.clone(),
        },
    );
    World {
        server,
        principals,
        target_id,
        invitation_hash,
        case_id,
        file_id,
    }
}

fn concrete_path(world: &World, principal: &Principal, path: &str, relation: &str) -> String {
    let id = match relation {
        "own" => principal.own_id.clone(),
        "other" => world.target_id.clone(),
        "assigned" => world.case_id.clone(),
        _ => "5f".repeat(16),
    };
    let hash = match relation {
        "other" => world.invitation_hash.clone(),
        _ => "a7".repeat(32),
    };
    path.replace("{lang}", "en")
        .replace("{*path}", "mamar.css")
        .replace("{name}", "mamar-verify-linux-x86_64")
        .replace("{token}", "bm90LWEtcmVhbC1pbnZpdGF0aW9uLXRva2VuLWF0LWFsbA")
        .replace("{id}", &id)
        .replace("{hash}", &hash)
        .replace(
            "{file}",
            &if relation == "assigned" {
                world.file_id.clone()
            } else {
                "5f".repeat(16)
            },
        )
        .replace("{number}", "7")
}

#[tokio::test]
async fn every_cell_of_the_matrix_holds_over_http() {
    let matrix = parse_matrix(MATRIX);
    let world = world().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for (name, principal) in &world.principals {
        // Logging out ends the principal's session: it goes last.
        let (last, first): (Vec<_>, Vec<_>) =
            matrix.iter().partition(|route| route.path.ends_with("/logout"));
        for route in first.into_iter().chain(last) {
            for (relation, row) in &route.rows {
                let path = concrete_path(&world, principal, &route.path, relation);
                let reply = match (route.method.as_str(), &principal.cookie) {
                    ("GET", Some(cookie)) => world.server.get_with_cookie(&path, cookie).await,
                    ("GET", None) => world.server.get(&path).await,
                    (_, cookie) => {
                        world
                            .server
                            .post_form(&path, &[("csrf", &principal.csrf)], cookie.as_deref())
                            .await
                    }
                };
                cells += 1;
                // Whatever the answer, it carries the security headers, says nothing internal
                // and, beyond the public site, is never cached.
                assert_security_headers(&reply, &path);
                assert_no_internal_detail(&reply, &path);
                if route.path.contains("/staff") {
                    assert_eq!(
                        reply.header("cache-control"),
                        Some("no-store"),
                        "{path} as {name}"
                    );
                }
                let outcome = classify(&reply);
                let expected = &row[name];
                if &outcome != expected {
                    failures.push(format!(
                        "{} {path} [{relation}] as {name}: expected {expected}, got {outcome} ({})",
                        route.method, reply.status
                    ));
                }
            }
        }
    }
    assert!(cells > 300, "only {cells} cells ran");
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_staff_post_refuses_a_missing_or_forged_form_token() {
    let server = TestServer::set_up(Locale::En).await;
    let full = server.log_in("en").await;
    let (pending, _) = server.password_step("en", "admin", ADMIN_PASSWORD).await;
    for spec in mamar_web::routes::route_specs() {
        if spec.method != "POST" || spec.access == mamar_web::auth::Access::Public {
            continue;
        }
        let cookie = if spec.access == mamar_web::auth::Access::PasswordPassed {
            &pending
        } else {
            &full
        };
        let path = spec
            .path
            .replace("{lang}", "en")
            .replace("{id}", &"5f".repeat(16))
            .replace("{hash}", &"a7".repeat(32))
            .replace("{file}", &"5f".repeat(16))
            .replace("{number}", "7");
        for fields in [vec![], vec![("csrf", "forged")]] {
            let reply = server.post_form(&path, &fields, Some(cookie)).await;
            assert_eq!(reply.status, 403, "{path} with {fields:?}");
        }
        if matches!(
            spec.access,
            mamar_web::auth::Access::StaffUpload | mamar_web::auth::Access::RolesUpload(_)
        ) {
            for token in ["", "forged"] {
                let reply = server
                    .post_file(&path, token, "x.pdf", b"%PDF-1.4\n", cookie)
                    .await;
                assert_eq!(reply.status, 403, "{path} as a file with token {token:?}");
            }
        }
    }
    // And the session is still there: a refused request changes nothing.
    assert_eq!(server.get_with_cookie("/en/staff/", &full).await.status, 200);
}
