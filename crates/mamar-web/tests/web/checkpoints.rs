//! The server's own audit checkpoints: signed on a schedule (by the
//! server's clock) once an administrator who holds the signing key has
//! logged in, offered on the audit page to copy off the server, and a
//! warning when none was copied for the configured time.

use std::time::Duration;

use mamar_core::Locale;
use mamar_crypto::{OrgKeyKind, OrgPublicKey, VerifyingKey};
use mamar_store::audit::SignedCheckpoint;
use mamar_web::CheckpointSchedule;

use crate::authz::{PASSWORD, create_account};
use crate::support::{TestServer, hidden_value};

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

async fn csrf_of(server: &TestServer, page: &str, cookie: &str) -> String {
    hidden_value(&server.get_with_cookie(page, cookie).await.text(), "csrf")
}

async fn scheduled_server() -> TestServer {
    let server = TestServer::fresh_with(|state| {
        let state = state.with_checkpoint_schedule(CheckpointSchedule {
            every_secs: HOUR,
            warn_after_secs: 7 * DAY,
        });
        mamar_web::spawn_audit_checkpoints(&state, Duration::from_millis(20));
        state
    })
    .await;
    server.initialise(Locale::En).await;
    server
}

/// The entry the newest stored checkpoint covers, waiting up to ten seconds for `want`.
async fn newest_checkpoint(server: &TestServer, want: impl Fn(u64) -> bool) -> Option<SignedCheckpoint> {
    for _ in 0..500 {
        let newest = server.store.audit_checkpoints().await.unwrap().pop();
        if newest.as_ref().is_some_and(|c| want(c.checkpoint.seq)) {
            return newest;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.store.audit_checkpoints().await.unwrap().pop()
}

async fn signing_keys(server: &TestServer) -> Vec<VerifyingKey> {
    server
        .store
        .org_public_keys(OrgKeyKind::Signing.code())
        .await
        .unwrap()
        .iter()
        .filter_map(|bytes| OrgPublicKey::from_bytes(bytes).ok()?.signing().copied())
        .collect()
}

#[tokio::test]
async fn the_server_checkpoints_on_its_schedule_once_an_administrator_certified_its_key() {
    let server = scheduled_server().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        server.store.audit_checkpoints().await.unwrap().is_empty(),
        "nothing is signed before a holder of the signing key logs in"
    );
    server.log_in("en").await;
    let first = newest_checkpoint(&server, |_| true)
        .await
        .expect("the first checkpoint once the key is certified");
    let keys = signing_keys(&server).await;
    first.verify(&keys).unwrap();
    assert!(
        first.certificate.is_some(),
        "signed by the server's certified key"
    );
    assert_ne!(
        keys.iter().map(|k| k.to_bytes()).collect::<Vec<_>>(),
        vec![first.signing_key],
        "the organisation's key never leaves the administrator's session"
    );

    // Not due yet: no second one within the hour.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        server.store.audit_checkpoints().await.unwrap().len(),
        1,
        "one checkpoint an hour"
    );
    server.clock.advance(HOUR);
    let second = newest_checkpoint(&server, |seq| seq > first.checkpoint.seq)
        .await
        .unwrap();
    assert!(second.checkpoint.seq > first.checkpoint.seq);
    assert!(second.checkpoint.at - first.checkpoint.at >= HOUR);

    // The session timed out in that hour; a new login keeps the same certified key.
    let admin = server.log_in("en").await;
    let page = server
        .get_with_cookie("/en/staff/audit", &admin)
        .await
        .text()
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains("The chain is intact"), "{page}");
    assert!(page.contains("signs a new checkpoint on a schedule"), "{page}");
    assert!(
        page.contains(&format!(
            "The newest checkpoint covers entry {}",
            second.checkpoint.seq
        )),
        "{page}"
    );
    assert!(
        page.contains("Certified the server&#39;s checkpoint key"),
        "{page}"
    );
    let arabic = server.get_with_cookie("/ar/staff/audit", &admin).await.text();
    assert!(arabic.contains("أحدث نقطة تحقق تغطي القيد"), "{arabic}");
}

#[tokio::test]
async fn a_copied_checkpoint_verifies_against_the_log_and_a_tampered_one_does_not() {
    let server = scheduled_server().await;
    let admin = server.log_in("en").await;
    newest_checkpoint(&server, |_| true).await.unwrap();
    let csrf = csrf_of(&server, "/en/staff/audit", &admin).await;
    let copy = server
        .post_form("/en/staff/audit/checkpoint", &[("csrf", &csrf)], Some(&admin))
        .await;
    assert_eq!(copy.status, 200, "{}", copy.text());
    assert!(
        copy.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    let text = copy.text();
    let copied = SignedCheckpoint::from_text(&text).unwrap();
    let keys = signing_keys(&server).await;
    copied.verify(&keys).unwrap();
    // It vouches for the entry the log holds.
    let entry = server
        .store
        .audit_entries(copied.checkpoint.seq - 1, 1)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(entry.hash, copied.checkpoint.head);

    for (from, to) in [
        (
            format!("entry: {}", copied.checkpoint.seq),
            format!("entry: {}", copied.checkpoint.seq - 1),
        ),
        (
            format!("certified-from: {}", copied.certificate.as_ref().unwrap().from),
            format!(
                "certified-from: {}",
                copied.certificate.as_ref().unwrap().from - DAY
            ),
        ),
        (
            format!("time: {}", copied.checkpoint.at),
            format!("time: {}", copied.checkpoint.at + 1),
        ),
    ] {
        let tampered = SignedCheckpoint::from_text(&text.replace(&from, &to)).unwrap();
        assert!(tampered.verify(&keys).is_err(), "{to} passed");
    }
    // Copying is on the record.
    let page = server.get_with_cookie("/en/staff/audit", &admin).await.text();
    assert!(page.contains("Copied a checkpoint off the server"), "{page}");
    // Only the audit roles may take one.
    create_account(&server, &admin, "reader", &["vetting-officer"]).await;
    let reader = server.log_in_as("en", "reader", PASSWORD).await;
    let csrf = csrf_of(&server, "/en/staff/", &reader).await;
    let refused = server
        .post_form("/en/staff/audit/checkpoint", &[("csrf", &csrf)], Some(&reader))
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn the_audit_page_warns_when_no_checkpoint_was_copied_in_time() {
    let server = scheduled_server().await;
    let admin = server.log_in("en").await;
    newest_checkpoint(&server, |_| true).await.unwrap();
    let page = server.get_with_cookie("/en/staff/audit", &admin).await.text();
    assert!(
        !page.contains("audit-copy-warning"),
        "a new installation is not warned: {page}"
    );

    server.clock.advance(8 * DAY);
    let admin = server.log_in("en").await;
    let page = server.get_with_cookie("/en/staff/audit", &admin).await.text();
    assert!(page.contains("id=\"audit-copy-warning\""), "{page}");
    assert!(
        page.contains("No checkpoint has ever been copied off this server"),
        "{page}"
    );
    let arabic = server.get_with_cookie("/ar/staff/audit", &admin).await.text();
    assert!(
        arabic.contains("لم تُنسخ أي نقطة تحقق إلى خارج هذا الخادم قط"),
        "{arabic}"
    );

    let csrf = csrf_of(&server, "/en/staff/audit", &admin).await;
    let copy = server
        .post_form("/en/staff/audit/checkpoint", &[("csrf", &csrf)], Some(&admin))
        .await;
    assert_eq!(copy.status, 200);
    let page = server.get_with_cookie("/en/staff/audit", &admin).await.text();
    assert!(!page.contains("audit-copy-warning"), "copied: no warning: {page}");
    assert!(
        page.contains("A checkpoint was last copied off this server on"),
        "{page}"
    );

    server.clock.advance(7 * DAY + HOUR);
    let admin = server.log_in("en").await;
    let page = server.get_with_cookie("/en/staff/audit", &admin).await.text();
    assert!(page.contains("id=\"audit-copy-warning\""), "{page}");
    assert!(
        page.contains("No checkpoint has been copied off this server since"),
        "{page}"
    );
}
