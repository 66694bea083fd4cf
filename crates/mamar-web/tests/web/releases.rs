//! The registry's public pages (issue 21): a release published by the use
//! case is listed, shown with its tables, charts and the estimates beside
//! it, in Arabic and English, and its files verify against the
//! organisation's fingerprint. Screenshots: `target/screenshots/release-*`.

use mamar_core::Username;
use mamar_core::facets::{Facet, Facets, YearMonth};
use mamar_crypto::{OrgKey, OrgKeyKind, Password, StaffKeyPair};
use mamar_registry::{Policy, TableRequest};
use mamar_usecases::registry::{ReleaseRequest, publish_release};

use crate::browser::Browser;
use crate::support::{ADMIN_PASSWORD, TestServer};

/// 600 generated people: mostly army soldiers, some officers and police,
/// spread over governorates and twelve months.
pub fn people(seed: u64) -> Vec<Facets> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        | 1;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let pick = |r: u64, weights: &[(&str, u64)]| {
        let mut r = r;
        for (value, w) in weights {
            if r < *w {
                return Some((*value).to_owned());
            }
            r -= w;
        }
        None
    };
    (0..600)
        .map(|_| Facets {
            institution: pick(
                next(100),
                &[("army", 70), ("interior", 15), ("security", 8), ("air_force", 4)],
            ),
            rank_class: pick(next(100), &[("soldier", 60), ("nco", 22), ("officer", 14)]),
            service_type: pick(
                next(100),
                &[("compulsory", 55), ("reserve", 25), ("volunteer", 18)],
            ),
            governorate: pick(
                next(100),
                &[
                    ("sy-hl", 25),
                    ("sy-rd", 20),
                    ("sy-id", 18),
                    ("sy-dr", 15),
                    ("sy-hi", 12),
                    ("sy-qu", 2),
                ],
            ),
            month_of_contact: YearMonth::new(2026, 1 + u8::try_from(next(12)).unwrap()),
            ..Facets::default()
        })
        .collect()
}

/// The organisation's signing key, as the administrator's password opens it.
async fn signing_key(server: &TestServer) -> OrgKey {
    let staff = server
        .store
        .staff_by_username(&Username::parse("admin").unwrap())
        .await
        .unwrap()
        .unwrap();
    let keys = StaffKeyPair::unwrap_with_password(
        &staff.wrapped_secret_keys,
        &Password::new(ADMIN_PASSWORD.to_owned()),
    )
    .unwrap();
    for grant in server.store.org_key_grants(staff.id).await.unwrap() {
        let key = OrgKey::unwrap(&grant.wrapped, &keys).unwrap();
        if key.kind() == OrgKeyKind::Signing {
            return key;
        }
    }
    panic!("the administrator holds no signing key");
}

pub async fn publish(server: &TestServer, facets: &[Facets], limit_micro: u64) -> Result<u32, String> {
    let organisation = server.store.organisation().await.unwrap().unwrap();
    let key = signing_key(server).await;
    let tables = vec![
        TableRequest {
            rows: Facet::Institution,
            cols: Some(Facet::RankClass),
        },
        TableRequest {
            rows: Facet::Governorate,
            cols: None,
        },
        TableRequest {
            rows: Facet::MonthOfContact,
            cols: None,
        },
    ];
    publish_release(
        server.store.as_ref(),
        None,
        &organisation,
        &key,
        ReleaseRequest {
            facets,
            tables,
            policy: Policy::default(),
            period: "2026-Q4".into(),
            limit_micro,
            date: "2026-12-05".into(),
        },
    )
    .await
    .map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_published_release_is_listed_shown_and_its_files_verify() {
    let server = TestServer::set_up(mamar_core::Locale::En).await;
    let empty = server.get("/en/releases").await;
    assert_eq!(empty.status, 200);
    assert!(empty.text().contains("Nothing has been published yet."));

    assert_eq!(publish(&server, &people(1), 2_000_000).await, Ok(1));
    let list = server.get("/en/releases").await.text();
    assert!(list.contains(r#"href="/en/releases/1""#), "{list}");

    let page = server.get("/en/releases/1").await;
    assert_eq!(page.status, 200);
    // Fluent isolates its arguments with invisible marks; the reader does not see them.
    let html = page.text().replace(['\u{2068}', '\u{2069}'], "");
    for expected in [
        "Release 1",
        "By institution and rank class",
        "By governorate",
        "By month of first contact",
        "Army (including the Republican Guard)",
        "withheld",
        "A count is a lower bound, not an estimate",
        "Beside the published estimates",
        "4500–5000",
        "39%",
        "<svg class=\"chart\"",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    assert!(!html.contains("<script"));

    let arabic = server
        .get("/ar/releases/1")
        .await
        .text()
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(arabic.contains("الإصدار"), "Arabic title");
    assert!(arabic.contains("حلب"), "Arabic governorate label");
    assert!(
        arabic.contains(r#"direction="rtl""#),
        "the chart runs right to left"
    );
    assert!(arabic.contains("العدد حدٌّ أدنى وليس تقديراً"));

    // The files are the organisation's, and unchanged.
    let fingerprint = signing_key(&server)
        .await
        .signing()
        .unwrap()
        .verifying_key()
        .fingerprint()
        .to_string();
    for (path, kind) in [
        ("/en/releases/1/csv", "text/csv"),
        ("/en/releases/1/json", "application/json"),
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, 200);
        assert!(reply.header("content-type").unwrap().starts_with(kind));
        let body = reply.text();
        assert!(mamar_keys::verify_release(&body, &fingerprint).is_ok(), "{path}");
        let forged = body.replacen("2026-12-05", "2026-12-06", 1);
        assert!(
            mamar_keys::verify_release(&forged, &fingerprint).is_err(),
            "{path}"
        );
    }
    assert_eq!(server.get("/en/releases/2").await.status, 404);
    assert_eq!(server.get("/en/releases/x").await.status, 404);
}

#[tokio::test]
async fn a_release_beyond_the_period_budget_is_refused_and_not_published() {
    let server = TestServer::set_up(mamar_core::Locale::En).await;
    // Three tables at ε 0.5 each: 1.5 a release; the period allows 2.
    assert_eq!(publish(&server, &people(2), 2_000_000).await, Ok(1));
    let refused = publish(&server, &people(2), 2_000_000).await.unwrap_err();
    assert!(refused.contains("privacy budget of 2026-Q4"), "{refused}");
    let list = server.get("/en/releases").await.text();
    assert!(!list.contains("/en/releases/2"));
}

#[tokio::test]
async fn screenshots_of_a_release_in_arabic_and_english() {
    let server = TestServer::set_up(mamar_core::Locale::Ar).await;
    publish(&server, &people(3), 2_000_000).await.unwrap();
    let browser = Browser::launch(false).await;
    for lang in ["ar", "en"] {
        for (page, path) in [
            ("list", format!("/{lang}/releases")),
            ("release", format!("/{lang}/releases/1")),
        ] {
            browser
                .client
                .goto(&format!("{}{path}", server.base))
                .await
                .unwrap();
            browser.desktop_and_phone(&format!("release-{page}-{lang}")).await;
        }
    }
    browser.close().await;
}
