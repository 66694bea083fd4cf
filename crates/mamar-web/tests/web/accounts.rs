//! Accounts as people meet them: invitations, passwords chosen by their
//! owner, roles that bring and withdraw keys, lockout, one-time codes used
//! once, disabling, and logins whose timing tells nothing about which
//! accounts exist. The duress password is in `decoy.rs`.

use std::time::Instant;

use mamar_core::{Locale, Username};
use mamar_crypto::KdfParams;

use crate::authz::create_account;
use crate::support::{ADMIN_PASSWORD, TestServer, hidden_value};

use crate::authz::PASSWORD;

async fn csrf_of(server: &TestServer, page: &str, cookie: &str) -> String {
    hidden_value(&server.get_with_cookie(page, cookie).await.text(), "csrf")
}

fn invitation_link(html: &str) -> String {
    html.split(r#"id="invitation-link">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_invitation_is_the_whole_link_from_the_public_origin() {
    let server = TestServer::fresh_with(|state| state.with_public_origin("https://mamar.example/")).await;
    server.initialise(Locale::En).await;
    let admin = server.log_in("en").await;
    let csrf = csrf_of(&server, "/en/staff/accounts", &admin).await;
    let invited = server
        .post_form(
            "/en/staff/accounts/invite",
            &[("csrf", &csrf), ("username", "salma"), ("role", "analyst")],
            Some(&admin),
        )
        .await
        .text();
    let link = invitation_link(&invited);
    let path = link.strip_prefix("https://mamar.example").expect(&link);
    assert!(path.starts_with("/en/staff/invitation/"), "{link}");
    assert!(!invited.contains("address in front"), "nothing to prefix by hand");
    assert_eq!(
        server.get(path).await.status,
        200,
        "the link opens the invitation"
    );
}

#[tokio::test]
async fn an_invitee_chooses_a_good_password_once_and_gets_keys_when_roles_are_saved() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    let csrf = csrf_of(&server, "/ar/staff/accounts", &admin).await;
    let invited = server
        .post_form(
            "/ar/staff/accounts/invite",
            &[("csrf", &csrf), ("username", "salma"), ("role", "analyst")],
            Some(&admin),
        )
        .await;
    assert_eq!(invited.status, 200);
    let link = invitation_link(&invited.text());
    assert!(link.starts_with("/ar/staff/invitation/"), "{link}");

    let form = server.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.text().contains("salma"));
    assert!(form.header("set-cookie").is_none());

    // A common password, padded to the length, is refused in Arabic and nothing is created.
    let weak = server
        .post_form(
            &link,
            &[("password", "password123456"), ("confirm", "password123456")],
            None,
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(
        weak.text().contains("كلمة المرور هذه في قائمة الكلمات الشائعة"),
        "{}",
        weak.text()
    );
    let salma = Username::parse("salma").unwrap();
    assert!(server.store.staff_by_username(&salma).await.unwrap().is_none());

    let done = server
        .post_form(&link, &[("password", PASSWORD), ("confirm", PASSWORD)], None)
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.header("location"), Some("/ar/staff/login?notice=welcome"));
    assert_eq!(server.get(&link).await.status, 404, "the link works once");

    // Before an administrator saves the roles, the account holds no keys.
    let cookie = server.log_in_as("ar", "salma", PASSWORD).await;
    let home = server.get_with_cookie("/ar/staff/", &cookie).await.text();
    assert!(!home.contains("التحليل"), "{home}");
    let accounts = server.get_with_cookie("/ar/staff/accounts", &admin).await.text();
    assert!(accounts.contains("أدواره تحتاج مفاتيح للمنظمة لا يملكها بعد"));

    let id = server.store.staff_by_username(&salma).await.unwrap().unwrap().id;
    let id: String = id.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let wrong = server
        .post_form(
            &format!("/ar/staff/accounts/{id}/roles"),
            &[
                ("csrf", &csrf),
                ("role", "analyst"),
                ("password", "not my password at all"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(
        wrong.status, 401,
        "saving roles asks for the administrator's password"
    );
    let saved = server
        .post_form(
            &format!("/ar/staff/accounts/{id}/roles"),
            &[("csrf", &csrf), ("role", "analyst"), ("password", ADMIN_PASSWORD)],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, 303);
    // The role change ended salma's session; her next one holds exactly the analyst's keys.
    assert_eq!(server.get_with_cookie("/ar/staff/", &cookie).await.status, 303);
    let cookie = server.log_in_as("en", "salma", PASSWORD).await;
    let home = server.get_with_cookie("/en/staff/", &cookie).await.text();
    assert!(home.contains("Analytics (statistics)"), "{home}");
    assert!(home.contains("Linkage (matching lists)"));
    assert!(!home.contains("Intake (reading new requests)"));
    assert_eq!(
        server.get_with_cookie("/en/staff/inbox", &cookie).await.status,
        403
    );
}

#[tokio::test]
async fn invitations_expire_and_can_be_revoked() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    let csrf = csrf_of(&server, "/en/staff/accounts", &admin).await;
    let invite = |name: &'static str| {
        let csrf = csrf.clone();
        let admin = admin.clone();
        let server = &server;
        async move {
            let reply = server
                .post_form(
                    "/en/staff/accounts/invite",
                    &[("csrf", &csrf), ("username", name), ("role", "auditor")],
                    Some(&admin),
                )
                .await;
            invitation_link(&reply.text())
        }
    };
    let late = invite("late").await;
    let taken = server
        .post_form(
            "/en/staff/accounts/invite",
            &[("csrf", &csrf), ("username", "admin"), ("role", "auditor")],
            Some(&admin),
        )
        .await;
    assert_eq!(taken.status, 409);
    assert!(
        taken
            .text()
            .contains("An account or an open invitation has that user name already.")
    );
    server.clock.advance(72 * 3600 + 1);
    assert_eq!(server.get(&late).await.status, 404, "72 hours have passed");
    let refused = server
        .post_form(&late, &[("password", PASSWORD), ("confirm", PASSWORD)], None)
        .await;
    assert_eq!(refused.status, 404);
}

#[tokio::test]
async fn five_failures_lock_the_account_to_a_password_alone_and_the_answer_does_not_say_so() {
    let server = TestServer::set_up(Locale::En).await;
    server.log_in("en").await;
    let attempt = async |password: &'static str| {
        server
            .post_form(
                "/en/staff/login",
                &[("username", "admin"), ("password", password)],
                None,
            )
            .await
    };
    let wrong_page = attempt("not the password, attempt 1").await;
    for _ in 0..4 {
        assert_eq!(attempt("not the password, again").await.status, 401);
    }
    // Failed counts are written just after the answer: give the write a moment.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let locked = attempt(ADMIN_PASSWORD).await;
    assert_eq!(locked.status, 401, "the right password is refused while locked");
    assert_eq!(
        locked.text().replace("admin", ""),
        wrong_page.text().replace("admin", ""),
        "a locked account looks like a wrong password"
    );
    // The refusal offers the code field; the right password and code together get in.
    assert!(wrong_page.text().contains(r#"name="code""#));
    let code = server.next_code("admin");
    let together = server
        .post_form(
            "/en/staff/login",
            &[
                ("username", "admin"),
                ("password", ADMIN_PASSWORD),
                ("code", &code),
            ],
            None,
        )
        .await;
    assert_eq!(together.status, 303, "{}", together.text());
    assert_eq!(together.header("location"), Some("/en/staff/"));
    for _ in 0..5 {
        attempt("not the password, again").await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let wrong_code = server
        .post_form(
            "/en/staff/login",
            &[
                ("username", "admin"),
                ("password", ADMIN_PASSWORD),
                ("code", "000000"),
            ],
            None,
        )
        .await;
    assert_eq!(wrong_code.status, 401, "a wrong code does not pass the lockout");
    server.clock.advance(61);
    let (_, next) = server.password_step("en", "admin", ADMIN_PASSWORD).await;
    assert_eq!(next, "/en/staff/login/code");
}

#[tokio::test]
async fn a_code_works_once_and_wrong_codes_count_towards_the_lockout() {
    let server = TestServer::set_up(Locale::En).await;
    server.log_in("en").await;
    let (cookie, _) = server.password_step("en", "admin", ADMIN_PASSWORD).await;
    let csrf = csrf_of(&server, "/en/staff/login/code", &cookie).await;
    let code = server.next_code("admin");
    let ok = server
        .post_form(
            "/en/staff/login/code",
            &[("csrf", &csrf), ("code", &code)],
            Some(&cookie),
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.header("location"), Some("/en/staff/"));

    // The same code at once, in another login: refused.
    let (cookie, _) = server.password_step("en", "admin", ADMIN_PASSWORD).await;
    let csrf = csrf_of(&server, "/en/staff/login/code", &cookie).await;
    let replay = server
        .post_form(
            "/en/staff/login/code",
            &[("csrf", &csrf), ("code", &code)],
            Some(&cookie),
        )
        .await;
    assert_eq!(replay.status, 401);
    assert!(replay.text().contains("or it was used already"));
    for _ in 0..3 {
        let wrong = server
            .post_form(
                "/en/staff/login/code",
                &[("csrf", &csrf), ("code", "000000")],
                Some(&cookie),
            )
            .await;
        assert_eq!(wrong.status, 401);
    }
    // The fifth failure locks the account and ends the half-finished session.
    let fifth = server
        .post_form(
            "/en/staff/login/code",
            &[("csrf", &csrf), ("code", "000001")],
            Some(&cookie),
        )
        .await;
    assert_eq!(fifth.status, 303);
    assert_eq!(fifth.header("location"), Some("/en/staff/login"));
    let locked = server
        .post_form(
            "/en/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(locked.status, 401);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "omar", &["vetting-officer"]).await;
    let omar = server.log_in_as("en", "omar", PASSWORD).await;
    assert_eq!(server.get_with_cookie("/en/staff/", &omar).await.status, 200);
    let id = crate::authz::staff_id(&server, "omar").await;
    let csrf = csrf_of(&server, "/en/staff/accounts", &admin).await;
    let reply = server
        .post_form(
            &format!("/en/staff/accounts/{id}/disable"),
            &[("csrf", &csrf), ("password", ADMIN_PASSWORD)],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(server.get_with_cookie("/en/staff/", &omar).await.status, 303);
    let login = server
        .post_form(
            "/en/staff/login",
            &[("username", "omar"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(login.status, 401);
    // Even with the right password, the answer is the one an unknown account gets.
    let unknown = server
        .post_form(
            "/en/staff/login",
            &[("username", "nobody"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(
        login.text().replace("omar", ""),
        unknown.text().replace("nobody", "")
    );
    assert!(
        server
            .get_with_cookie("/en/staff/accounts", &admin)
            .await
            .text()
            .contains("This account is disabled.")
    );
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Threat model: no way to learn whether an account exists, by message,
/// status or timing. Argon2id here is set to cost tens of milliseconds, so
/// skipping it for unknown accounts would show plainly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_for_unknown_accounts_take_as_long_as_for_real_ones() {
    let server = TestServer::fresh().await;
    // Costly enough that the login's few database writes (done after the answer, but
    // competing for the same two cores) stay small beside it, as they are in production.
    let params = KdfParams {
        m_cost: 16 * 1024,
        t_cost: 2,
        p_cost: 1,
        ..KdfParams::test_profile()
    };
    server.initialise_with(Locale::En, params).await;
    let attempt = async |username: &str| {
        let start = Instant::now();
        let reply = server
            .post_form(
                "/en/staff/login",
                &[("username", username), ("password", "a wrong password entirely")],
                None,
            )
            .await;
        assert_eq!(reply.status, 401);
        start.elapsed().as_secs_f64() * 1000.0
    };
    // Warm up, then interleave so that drift in the machine's load hits both alike.
    attempt("admin").await;
    attempt("nobody").await;
    // Up to three rounds: other tests share the two cores, and a burst of theirs can skew one
    // round; a real difference (Argon2id skipped or cheaper for unknown accounts) skews all three.
    let mut rounds = Vec::new();
    for _ in 0..3 {
        let (mut real, mut unknown) = (Vec::new(), Vec::new());
        for _ in 0..31 {
            real.push(attempt("admin").await);
            unknown.push(attempt("nobody-here").await);
            // Keep the real account below the lockout, which would skip nothing but adds a write.
            server.clock.advance(3600);
        }
        let (real, unknown) = (median(real), median(unknown));
        assert!(
            real > 5.0,
            "Argon2id should cost milliseconds here, took {real:.1} ms"
        );
        let difference = (real - unknown).abs() / real.max(unknown);
        rounds.push(format!("real account {real:.1} ms, unknown {unknown:.1} ms"));
        if difference < 0.2 {
            return;
        }
    }
    panic!("the two differ by more than 20% in every round: {rounds:#?}");
}

#[tokio::test]
async fn the_audit_log_records_account_events_and_auditors_read_it_verified() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "auditor1", &["auditor"]).await;
    let failed = server
        .post_form(
            "/en/staff/login",
            &[("username", "nobody"), ("password", "some wrong password")],
            None,
        )
        .await;
    assert_eq!(failed.status, 401);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;

    let auditor = server.log_in_as("en", "auditor1", PASSWORD).await;
    let home = server.get_with_cookie("/en/staff/", &auditor).await.text();
    assert!(
        home.contains("/en/staff/audit"),
        "auditors find the log from home"
    );
    let page = server.get_with_cookie("/en/staff/audit", &auditor).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("The chain is intact"), "{html}");
    for event in [
        "Keys unlocked",
        "Set up a second factor",
        "Logged in",
        "Invited someone",
        "Accepted an invitation",
        "Password confirmed again",
        "Changed roles",
        "Login failed",
        "Read the audit log",
    ] {
        assert!(html.contains(event), "no {event:?} entry");
    }
    assert!(!html.contains("nobody"), "a typed user name is never recorded");
    let arabic = server.get_with_cookie("/ar/staff/audit", &auditor).await.text();
    assert!(arabic.contains("السلسلة سليمة"), "{arabic}");
    assert!(arabic.contains("دعوة شخص"));
    // Other roles do not read it.
    create_account(&server, &admin, "reader", &["vetting-officer"]).await;
    let reader = server.log_in_as("en", "reader", PASSWORD).await;
    assert_eq!(
        server.get_with_cookie("/en/staff/audit", &reader).await.status,
        403
    );
}

#[tokio::test]
async fn a_key_ceremony_starts_with_options_for_this_site_and_refuses_a_forged_answer() {
    let server =
        TestServer::fresh_with(|state| state.with_webauthn("http://localhost", "Test centre").unwrap()).await;
    server.initialise(Locale::En).await;
    let (cookie, next) = server.password_step("en", "admin", ADMIN_PASSWORD).await;
    assert_eq!(next, "/en/staff/login/enrol");
    let csrf = csrf_of(&server, &next, &cookie).await;
    let start = server
        .post_form(
            "/en/staff/login/enrol/key/start",
            &[("csrf", &csrf)],
            Some(&cookie),
        )
        .await;
    assert_eq!(start.status, 200, "{}", start.text());
    let options: serde_json::Value = serde_json::from_slice(&start.body).unwrap();
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    assert_eq!(options["publicKey"]["user"]["name"], "admin");
    assert!(options["publicKey"]["challenge"].as_str().unwrap().len() >= 43);
    let forged = server
        .post_form(
            "/en/staff/login/enrol/key/finish",
            &[("csrf", &csrf), ("credential", r#"{"id":"x","rawId":"eA","type":"public-key","response":{"attestationObject":"eA","clientDataJSON":"eA"},"extensions":{}}"#)],
            Some(&cookie),
        )
        .await;
    assert_eq!(forged.status, 401, "{}", forged.text());
    // The ceremony was used up by the attempt.
    let again = server
        .post_form(
            "/en/staff/login/enrol/key/finish",
            &[("csrf", &csrf), ("credential", "{}")],
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, 401);
}

#[tokio::test]
async fn an_organisation_renames_roles_without_changing_what_they_may_do() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "rami", &["vetting-officer"]).await;
    let csrf = csrf_of(&server, "/en/staff/accounts", &admin).await;
    let bidi = server
        .post_form(
            "/en/staff/accounts/role-names",
            &[("csrf", &csrf), ("name.vetting-officer.en", "Screening\u{202e}")],
            Some(&admin),
        )
        .await;
    assert_eq!(bidi.status, 422);
    assert!(bidi.text().contains("without hidden direction marks"));
    let saved = server
        .post_form(
            "/en/staff/accounts/role-names",
            &[
                ("csrf", &csrf),
                ("name.vetting-officer.en", "Security screening"),
                ("name.vetting-officer.ar", "التحقق الأمني"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(saved.status, 303);
    let english = server.get_with_cookie("/en/staff/accounts", &admin).await.text();
    assert!(english.contains("> Security screening</label>"));
    assert!(
        !english.contains("> Vetting officer</label>"),
        "the new name replaces mamar's wherever roles are chosen"
    );
    let arabic = server.get_with_cookie("/ar/staff/accounts", &admin).await.text();
    assert!(arabic.contains("التحقق الأمني"));
    // The role still opens exactly what it opened.
    let rami = server.log_in_as("en", "rami", PASSWORD).await;
    assert_eq!(
        server.get_with_cookie("/en/staff/accounts", &rami).await.status,
        403
    );
    assert_eq!(server.get_with_cookie("/en/staff/", &rami).await.status, 200);
}

#[tokio::test]
async fn an_administrator_resets_a_lost_second_factor_and_the_person_enrols_again() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "huda", &["exit-coordinator"]).await;
    let huda = server.log_in_as("en", "huda", PASSWORD).await;
    let (_, next) = server.password_step("en", "huda", PASSWORD).await;
    assert_eq!(next, "/en/staff/login/code");
    let id = server
        .store
        .staff_by_username(&Username::parse("huda").unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let hex: String = id.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let csrf = csrf_of(&server, "/en/staff/accounts", &admin).await;
    let reset = server
        .post_form(
            &format!("/en/staff/accounts/{hex}/reset-second-factor"),
            &[("csrf", &csrf), ("password", ADMIN_PASSWORD)],
            Some(&admin),
        )
        .await;
    assert_eq!(reset.status, 303);
    assert_eq!(
        server.get_with_cookie("/en/staff/", &huda).await.status,
        303,
        "her sessions ended"
    );
    let (_, next) = server.password_step("en", "huda", PASSWORD).await;
    assert_eq!(next, "/en/staff/login/enrol", "she sets up a new second factor");
    let log = server.get_with_cookie("/en/staff/audit", &admin).await.text();
    assert!(log.contains("Removed a second factor"));
}

#[tokio::test]
async fn the_panic_action_takes_two_steps_a_phrase_and_a_password_then_destroys_every_key() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "sami", &["intake-operator"]).await;
    let sami = server.log_in_as("ar", "sami", PASSWORD).await;
    let accounts = server.get_with_cookie("/ar/staff/accounts", &admin).await.text();
    assert!(accounts.contains(r#"href="/ar/staff/panic""#), "step one: a link");
    let form = server.get_with_cookie("/ar/staff/panic", &admin).await.text();
    assert!(form.contains("للتأكيد اكتب"), "step two: the form");
    let csrf = hidden_value(&form, "csrf");

    let wrong_phrase = server
        .post_form(
            "/ar/staff/panic",
            &[
                ("csrf", &csrf),
                ("phrase", "destroy"),
                ("password", ADMIN_PASSWORD),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(wrong_phrase.status, 422);
    let wrong_password = server
        .post_form(
            "/ar/staff/panic",
            &[
                ("csrf", &csrf),
                ("phrase", "اتلف كلّ  المفاتيح"),
                ("password", "not the password"),
            ],
            Some(&admin),
        )
        .await;
    // The phrase is compared as a codename is (hamza, diacritics, spaces), so
    // this one passed; the password did not, and what was typed stays.
    assert_eq!(wrong_password.status, 401);
    assert!(wrong_password.text().contains(r#"value="اتلف كلّ  المفاتيح""#));
    assert_eq!(
        server.get_with_cookie("/ar/staff/", &sami).await.status,
        200,
        "nothing destroyed yet"
    );

    let done = server
        .post_form(
            "/ar/staff/panic",
            &[
                ("csrf", &csrf),
                ("phrase", "إتلف  كل المفاتيح "),
                ("password", ADMIN_PASSWORD),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(done.text().contains("أُتلف كل مفتاح على هذا الخادم"));
    assert!(done.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(
        server.get_with_cookie("/ar/staff/", &sami).await.status,
        303,
        "everyone is out"
    );
    let login = server
        .post_form(
            "/ar/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(login.status, 503, "no key opens any more, and the page says why");
    assert!(login.text().contains("أُتلفت مفاتيح المنظمة"), "{}", login.text());
    let entries = server.store.audit_entries(0, 1_000).await.unwrap();
    assert!(entries.iter().any(|entry| entry.action.code() == "panic"));
}

#[tokio::test]
async fn an_invitee_waiting_for_keys_is_told_so_and_the_administrator_gives_them_in_one_step() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    let csrf = csrf_of(&server, "/en/staff/accounts", &admin).await;
    let invited = server
        .post_form(
            "/en/staff/accounts/invite",
            &[("csrf", &csrf), ("username", "sami"), ("role", "intake-operator")],
            Some(&admin),
        )
        .await;
    let link = invitation_link(&invited.text());
    let accepted = server
        .post_form(&link, &[("password", PASSWORD), ("confirm", PASSWORD)], None)
        .await;
    assert_eq!(accepted.status, 303);
    let sami = server.log_in_as("en", "sami", PASSWORD).await;
    // The invitee sees a page that says they wait, not an error.
    let inbox = server.get_with_cookie("/en/staff/inbox", &sami).await;
    assert_eq!(inbox.status, 403);
    let text = inbox.text();
    assert!(text.contains("Waiting for your keys"), "{text}");
    assert!(!text.contains("went wrong"));
    assert!(text.contains(r#"href="/en/staff/""#));
    // The administrator sees who waits, and gives the keys with a password alone.
    let accounts = server.get_with_cookie("/en/staff/accounts", &admin).await.text();
    assert!(accounts.contains("One person is waiting for the keys of their roles:"));
    assert!(accounts.contains(r##"<a href="#grant-sami" dir="ltr">sami</a>"##));
    let start = accounts.find(r#"id="grant-sami""#).expect("the grant form");
    let form = &accounts[..start];
    let action = form[form.rfind("action=\"").unwrap() + 8..]
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let grant = &accounts[start..start + accounts[start..].find("</form>").unwrap()];
    assert!(
        grant.contains(r#"name="role" value="intake-operator""#),
        "{grant}"
    );
    let given = server
        .post_form(
            &action,
            &[
                ("csrf", &csrf),
                ("role", "intake-operator"),
                ("password", ADMIN_PASSWORD),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(given.status, 303, "{}", given.text());
    let after = server.get_with_cookie("/en/staff/accounts", &admin).await.text();
    assert!(!after.contains("waiting-for-keys"));
    // Keys reach a session when it unlocks them: the next login reads requests.
    let sami = server.log_in_as("en", "sami", PASSWORD).await;
    assert_eq!(server.get_with_cookie("/en/staff/inbox", &sami).await.status, 200);
}
