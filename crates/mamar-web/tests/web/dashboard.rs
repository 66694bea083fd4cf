//! The analyst's dashboard, fed facets directly (the stored facets are
//! opened by the source the server is given): counts by facet, by quarter
//! and by month, in Arabic and English, for a period; nothing of a person.
//! Screenshots: `target/screenshots/dashboard-*`.

use std::sync::Arc;

use mamar_core::Locale;
use mamar_core::facets::{Facets, YearMonth};
use mamar_web::auth::StaffContext;
use mamar_web::facet_source::{FacetFuture, FacetSource};

use crate::authz::{PASSWORD, create_account};
use crate::browser::Browser;
use crate::support::TestServer;

/// Facets handed over as they are (the stored ones are opened with the analytics key).
struct Given(Vec<Facets>);

impl FacetSource for Given {
    fn facets<'a>(&'a self, _ctx: &'a StaffContext) -> FacetFuture<'a> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

fn facets() -> Vec<Facets> {
    let mut all = crate::releases::people(5);
    // Some cases closed: arrived in safety, in Turkey or in Syria's north.
    for (i, f) in all.iter_mut().enumerate().filter(|(i, _)| i % 4 == 0) {
        f.outcome = Some("arrived_safely".into());
        f.destination = Some(if i % 8 == 0 { "turkey" } else { "north_syria" }.into());
        f.month_of_arrival = f.month_of_contact.map(YearMonth::next);
    }
    all
}

/// The page without Fluent's bidi isolation marks around placeables.
fn without_isolation(html: &str) -> String {
    html.replace(['\u{2068}', '\u{2069}'], "")
}

async fn server_with(facets: Vec<Facets>) -> (TestServer, String) {
    let server = TestServer::fresh_with(|state| state.with_facets(Arc::new(Given(facets)))).await;
    server.initialise(Locale::Ar).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "nour", &["analyst"]).await;
    let cookie = server.log_in_as("en", "nour", PASSWORD).await;
    (server, cookie)
}

#[tokio::test]
async fn the_analyst_sees_counts_by_facet_and_month_in_both_languages() {
    let all = facets();
    let army = all
        .iter()
        .filter(|f| f.institution.as_deref() == Some("army"))
        .count();
    let (server, cookie) = server_with(all.clone()).await;
    for (lang, cases, army_label) in [
        ("en", "600 cases.", "Army (including the Republican Guard)"),
        ("ar", "600 حالة.", "الجيش (ومنه الحرس الجمهوري)"),
    ] {
        let reply = server
            .get_with_cookie(&format!("/{lang}/staff/registry"), &cookie)
            .await;
        assert_eq!(reply.status, 200);
        let html = without_isolation(&reply.text());
        assert!(html.contains(cases), "{lang}: {html}");
        for id in [
            "by-institution",
            "by-service_type",
            "by-rank_class",
            "by-governorate",
            "by-outcome",
            "by-destination",
            "by-quarter",
            "by-contacts-by-month",
            "by-arrivals-by-month",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{lang}: no {id}");
        }
        // The questionnaire's label, with its count.
        let row = format!("<bdi>{army_label}</bdi></th><td>{army}</td>");
        assert!(html.contains(&row), "{lang}: no row {row}");
        assert!(html.contains("<bdi>2026-02</bdi>"));
        assert_eq!(html.contains("direction=\"rtl\""), lang == "ar");
        assert!(!html.contains("<script"));
    }
    // A period counts only the cases first seen in it.
    let march = all
        .iter()
        .filter(|f| f.month_of_contact == YearMonth::new(2026, 3))
        .count();
    let html = without_isolation(
        &server
            .get_with_cookie("/en/staff/registry?from=2026-03&to=2026-03", &cookie)
            .await
            .text(),
    );
    assert!(html.contains(&format!("{march} cases.")), "{html}");
    let html = server
        .get_with_cookie("/en/staff/registry?from=March", &cookie)
        .await
        .text();
    assert!(html.contains("A month is written as YYYY-MM"));
}

/// A source that cannot open the facets, as for a session without the analytics key.
struct Unopenable;

impl FacetSource for Unopenable {
    fn facets<'a>(&'a self, _ctx: &'a StaffContext) -> FacetFuture<'a> {
        Box::pin(async move { Err(mamar_web::facet_source::FacetSourceError::NoAnalyticsKey) })
    }
}

#[tokio::test]
async fn facets_that_cannot_be_opened_are_said_so() {
    let server = TestServer::fresh_with(|state| state.with_facets(Arc::new(Unopenable))).await;
    server.initialise(Locale::En).await;
    let admin = server.log_in("en").await;
    let html = server.get_with_cookie("/en/staff/registry", &admin).await.text();
    assert!(html.contains("id=\"dashboard-unavailable\""));
    assert!(!html.contains("id=\"by-institution\""));
}

#[tokio::test]
async fn screenshots_of_the_dashboard() {
    let (server, _) = server_with(facets()).await;
    let browser = Browser::launch(false).await;
    crate::browser_cases::become_person(&browser, &server, "nour").await;
    for lang in ["ar", "en"] {
        crate::browser_cases::go(&browser, &server, &format!("/{lang}/staff/registry")).await;
        browser.desktop_and_phone(&format!("dashboard-{lang}")).await;
    }
    crate::browser_cases::become_person(&browser, &server, "admin").await;
    for lang in ["ar", "en"] {
        crate::browser_cases::go(&browser, &server, &format!("/{lang}/staff/registry/publish")).await;
        browser.desktop_and_phone(&format!("publish-form-{lang}")).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn an_administrator_publishes_a_release_from_the_facets_within_the_budget() {
    let (server, _) = server_with(facets()).await;
    let admin = server.log_in("en").await;
    let form = server.get_with_cookie("/en/staff/registry/publish", &admin).await;
    assert_eq!(form.status, 200);
    let form = form.text();
    assert!(!form.contains("id=\"publish-unavailable\""));
    let csrf = crate::support::hidden_value(&form, "csrf");
    let fields = [
        ("csrf", csrf.as_str()),
        ("table", "institution-rank_class"),
        ("table", "governorate"),
        ("period", "2026-Q4"),
        ("limit", "1.2"),
        ("threshold", "10"),
        ("epsilon", "0.5"),
    ];
    let reply = server
        .post_form("/en/staff/registry/publish", &fields, Some(&admin))
        .await;
    assert_eq!(reply.status, 303, "{}", reply.text());
    assert_eq!(reply.header("location"), Some("/en/releases/1"));
    let release = server.get("/en/releases/1").await;
    assert_eq!(release.status, 200);
    let html = without_isolation(&release.text());
    assert!(html.contains("By governorate"), "{html}");
    assert!(html.contains("By institution and rank class"));
    // The same again would spend 2 × 0.5 more of a budget of 1.2: refused, nothing published.
    let reply = server
        .post_form("/en/staff/registry/publish", &fields, Some(&admin))
        .await;
    assert_eq!(reply.status, 422);
    assert!(
        reply
            .text()
            .contains("privacy budget does not allow this release")
    );
    assert_eq!(server.get("/en/releases/2").await.status, 404);
    // No table chosen: nothing to publish.
    let reply = server
        .post_form(
            "/en/staff/registry/publish",
            &[
                ("csrf", csrf.as_str()),
                ("period", "2027"),
                ("limit", "1"),
                ("threshold", "10"),
                ("epsilon", "0.5"),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("Choose at least one table."));
}

/// The server's own source: cases opened through the workspace are counted
/// from their stored facets, opened with the analyst's analytics key.
#[tokio::test]
async fn cases_opened_in_the_workspace_are_counted_on_the_dashboard() {
    let server = TestServer::set_up(Locale::En).await;
    let admin = server.log_in("en").await;
    create_account(&server, &admin, "nour", &["analyst"]).await;
    let analyst = server.log_in_as("en", "nour", PASSWORD).await;
    let before = without_isolation(
        &server
            .get_with_cookie("/en/staff/registry", &analyst)
            .await
            .text(),
    );
    assert!(!before.contains("2 cases."), "{before}");
    for _ in 0..2 {
        crate::authz::open_case_with(&server, &admin, &[]).await;
    }
    let reply = server.get_with_cookie("/en/staff/registry", &analyst).await;
    assert_eq!(reply.status, 200);
    let html = without_isolation(&reply.text());
    assert!(html.contains("2 cases."), "{html}");
}
