//! Someone who knows a user name cannot keep its owner out: a flood of
//! wrong passwords locks the account for browsers it has never logged in
//! from, but the owner's own browser is served before the flood, and from
//! any browser the right password with the current code still gets in.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use mamar_core::{Locale, Username};
use mamar_crypto::KdfParams;

use crate::support::{ADMIN_PASSWORD, TestServer};

/// Attackers sending wrong passwords for the administrator's name, each one
/// request after another, all at once.
const ATTACKERS: usize = 32;

async fn locked_now(server: &TestServer) -> bool {
    let staff = server
        .store
        .staff_by_username(&Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let login = server
        .store
        .login_state(staff.id)
        .await
        .unwrap()
        .unwrap_or_default();
    login.locked_until > server.clock.now()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_passwords_does_not_keep_the_owner_out() {
    let server = TestServer::fresh().await;
    // Argon2id costly enough (milliseconds) that the line for it, not HTTP, is what waits.
    let params = KdfParams {
        m_cost: 4 * 1024,
        t_cost: 1,
        p_cost: 1,
        ..KdfParams::test_profile()
    };
    server.initialise_with(Locale::En, params).await;
    let (_, device) = server.log_in_keeping_device("en", "admin", ADMIN_PASSWORD).await;
    let server = Arc::new(server);
    let refused = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut attack = tokio::task::JoinSet::new();
    for attacker in 0..ATTACKERS {
        let (server, refused, stop) = (server.clone(), refused.clone(), stop.clone());
        attack.spawn(async move {
            let mut guess = 0;
            while !stop.load(Ordering::Relaxed) {
                guess += 1;
                let password = format!("guess {attacker}-{guess}");
                let reply = server
                    .post_form(
                        "/en/staff/login",
                        &[("username", "admin"), ("password", &password)],
                        None,
                    )
                    .await;
                assert_eq!(reply.status, 401, "a wrong password got in");
                refused.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    let wait_for_lockout = async || {
        for _ in 0..600 {
            if locked_now(&server).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the flood never locked the account");
    };
    wait_for_lockout().await;

    // From a browser the account never logged in from, the right password alone is
    // refused like any guess: the lockout stops guessing.
    let alone = server
        .post_form(
            "/en/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(alone.status, 401, "the lockout lets a password alone through");

    // The owner's own browser: not held back by the lockout, and served before the
    // guesses waiting in line (each attacker always has one waiting). On a machine busy
    // with other work one round can be slowed by the machine, not the line: the owner
    // tries up to three times, and every round must be refused or overtaken to fail
    // (without the owner's place in the line each round waits behind more than 40).
    let mut rounds = Vec::new();
    let own = loop {
        let before = refused.load(Ordering::Relaxed);
        let own = server
            .post_form(
                "/en/staff/login",
                &[("username", "admin"), ("password", ADMIN_PASSWORD)],
                Some(&device),
            )
            .await;
        let overtaken_by = refused.load(Ordering::Relaxed) - before;
        assert_eq!(own.status, 303, "the owner's browser is refused: {}", own.text());
        assert_eq!(own.header("location"), Some("/en/staff/login/code"));
        rounds.push(overtaken_by);
        if overtaken_by < ATTACKERS / 2 {
            break own;
        }
        assert!(
            rounds.len() < 3,
            "the owner's password step waited behind {rounds:?} guesses of {ATTACKERS} in line"
        );
    };
    let half = own.cookie().unwrap();
    let page = server.get_with_cookie("/en/staff/login/code", &half).await.text();
    let csrf = crate::support::hidden_value(&page, "csrf");
    let code = server.next_code("admin");
    let done = server
        .post_form(
            "/en/staff/login/code",
            &[("csrf", &csrf), ("code", &code)],
            Some(&half),
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.header("location"), Some("/en/staff/"));
    let session = done.cookie().unwrap();
    assert_eq!(server.get_with_cookie("/en/staff/", &session).await.status, 200);

    // A new browser during the flood: the password and the current code together get in.
    // The code first: taking it moves the test clock on by a step, which can outlast
    // the lock, and only the attackers' next failures lock the account again.
    let code = server.next_code("admin");
    wait_for_lockout().await;
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
    let session = together.cookie().unwrap();
    assert_eq!(server.get_with_cookie("/en/staff/", &session).await.status, 200);
    assert!(
        together.device_cookie().is_some(),
        "that browser is known next time"
    );

    stop.store(true, Ordering::Relaxed);
    while let Some(result) = attack.join_next().await {
        result.unwrap();
    }
    assert!(refused.load(Ordering::Relaxed) > ATTACKERS, "the flood ran");
}

/// A device cookie that keeps failing stops counting: whoever holds a copy
/// of it cannot guess past the lockout.
#[tokio::test]
async fn a_device_cookie_that_fails_five_times_is_no_longer_trusted() {
    let server = TestServer::set_up(Locale::En).await;
    let (_, device) = server.log_in_keeping_device("en", "admin", ADMIN_PASSWORD).await;
    for _ in 0..5 {
        let wrong = server
            .post_form(
                "/en/staff/login",
                &[("username", "admin"), ("password", "a wrong guess")],
                Some(&device),
            )
            .await;
        assert_eq!(wrong.status, 401);
    }
    // Failed counts are written just after the answer: give the write a moment.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(locked_now(&server).await);
    let right = server
        .post_form(
            "/en/staff/login",
            &[("username", "admin"), ("password", ADMIN_PASSWORD)],
            Some(&device),
        )
        .await;
    assert_eq!(
        right.status, 401,
        "the spent device cookie still passes the lockout"
    );
}
