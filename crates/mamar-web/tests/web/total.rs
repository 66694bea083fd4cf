//! The total across organisations on the analyst's page: three partners'
//! files of keyed encodings uploaded, the documented count and the estimated
//! total per stratum shown apart, in Arabic and English, with the model and
//! its assumptions. Screenshots: `target/screenshots/total-*`.

use base64::Engine as _;
use mamar_core::Locale;
use mamar_registry::across::simulation::{STRATUM_COLUMN, World, default_strata, three_organisations};
use mamar_registry::across::{EncodedList, TotalOptions, estimate_total};

use crate::authz::{PASSWORD, create_account};
use crate::browser::Browser;
use crate::support::{TestServer, hidden_value};

/// A partner's file as `mamar clk encode --strata rank_class` writes it.
fn file_of(list: &EncodedList) -> Vec<u8> {
    let mut text = format!("id,clk,scheme,{STRATUM_COLUMN}\n");
    for i in 0..list.len() {
        let (words, _) = list.clks.get(i).unwrap();
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        text.push_str(&format!(
            "{},{},{},{}\n",
            list.ids[i],
            base64::engine::general_purpose::STANDARD.encode(bytes),
            list.scheme,
            list.stratum_values[i][0]
        ));
    }
    text.into_bytes()
}

fn world() -> World {
    three_organisations(&default_strata(0.25), 21).unwrap()
}

async fn analyst(server: &TestServer) -> String {
    let admin = server.log_in("en").await;
    create_account(server, &admin, "nour", &["analyst"]).await;
    server.log_in_as("en", "nour", PASSWORD).await
}

#[tokio::test]
async fn an_analyst_uploads_three_partners_encodings_and_reads_the_total_per_stratum() {
    let server = TestServer::set_up(Locale::En).await;
    let cookie = analyst(&server).await;
    let world = world();
    let files: Vec<(String, Vec<u8>)> = world
        .lists
        .iter()
        .map(|l| (format!("{}.csv", l.name), file_of(l)))
        .collect();
    let parts: Vec<(&str, &str, &[u8])> = files
        .iter()
        .map(|(name, bytes)| ("files", name.as_str(), bytes.as_slice()))
        .collect();
    // What the page must show: the same as the pure estimate of the same files.
    let expected = estimate_total(
        &world.lists,
        &TotalOptions {
            strata: vec![STRATUM_COLUMN.into()],
            threads: 2,
            ..TotalOptions::default()
        },
    )
    .unwrap();
    for lang in ["ar", "en"] {
        let form = server
            .get_with_cookie(&format!("/{lang}/staff/registry/total"), &cookie)
            .await;
        assert_eq!(form.status, 200);
        let csrf = hidden_value(&form.text(), "csrf");
        let reply = server
            .post_multipart(
                &format!("/{lang}/staff/registry/total"),
                &csrf,
                &[("strata", STRATUM_COLUMN), ("threshold", "0.75")],
                &parts,
                &cookie,
            )
            .await;
        let html = reply.text();
        assert_eq!(reply.status, 200, "{html}");
        for line in &expected.strata {
            let estimate = line.estimate.as_ref().unwrap();
            let (lower, upper) = estimate.interval();
            let row = format!(
                "<td>{}</td>\n          <td>{:.0}</td>\n          <td><bdi dir=\"ltr\">{:.0} – {:.0}</bdi></td>",
                line.documented,
                estimate.total,
                lower,
                upper.unwrap()
            );
            assert!(html.contains(&row), "{lang}: no row {row}\n{html}");
        }
        let (pooled_title, lower_bound, assumption) = if lang == "ar" {
            ("كل الفئات معاً", "العدد الموثَّق معدود", "جماعة مغلقة")
        } else {
            ("All strata together", "It is a lower bound", "Closed population")
        };
        for text in [
            pooled_title,
            lower_bound,
            assumption,
            "officer",
            "soldier",
            "org_a",
        ] {
            assert!(html.contains(text), "{lang}: {text:?} missing");
        }
        assert!(html.contains("<svg class=\"chart\""));
        assert_eq!(html.contains("direction=\"rtl\""), lang == "ar");
        assert!(!html.contains("<script"));
    }
    // Nothing uploaded is kept: neither a record id nor an encoding is in the database or its
    // write-ahead log.
    let first_id = world.lists[0].ids[0].as_bytes().to_vec();
    let first_clk = String::from_utf8(files[0].1.clone()).unwrap();
    let first_clk = first_clk
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .as_bytes()
        .to_vec();
    for entry in std::fs::read_dir(server.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for needle in [&first_id, &first_clk] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_slice()));
        }
    }
}

#[tokio::test]
async fn a_list_of_names_is_refused_and_nothing_else_is_said_about_it() {
    let server = TestServer::set_up(Locale::En).await;
    let cookie = analyst(&server).await;
    let world = world();
    let names = "id,given_name,family_name\n1,Ahmad,Al-Ali\n".as_bytes();
    let good = file_of(&world.lists[0]);
    let form = server
        .get_with_cookie("/en/staff/registry/total", &cookie)
        .await
        .text();
    let csrf = hidden_value(&form, "csrf");
    let reply = server
        .post_multipart(
            "/en/staff/registry/total",
            &csrf,
            &[],
            &[("files", "org_a.csv", &good), ("files", "people.csv", names)],
            &cookie,
        )
        .await;
    assert_eq!(reply.status, 422);
    let html = reply.text();
    assert!(
        html.contains("\u{2068}people\u{2069} is not a file of encodings"),
        "{html}"
    );
    // The names sent by mistake are not echoed back.
    assert!(!html.contains("Ahmad"));
    // A column of names given as the stratum: refused, and no name is shown.
    let with_names = |list: &EncodedList, tag: &str| -> Vec<u8> {
        String::from_utf8(file_of(list))
            .unwrap()
            .lines()
            .enumerate()
            .map(|(i, line)| {
                if i == 0 {
                    format!("{line},given_name\n")
                } else {
                    format!("{line},Name{tag}{i}\n")
                }
            })
            .collect::<String>()
            .into_bytes()
    };
    let (a, b) = (with_names(&world.lists[0], "A"), with_names(&world.lists[1], "B"));
    let reply = server
        .post_multipart(
            "/en/staff/registry/total",
            &csrf,
            &[("strata", "given_name")],
            &[("files", "org_a.csv", &a), ("files", "org_b.csv", &b)],
            &cookie,
        )
        .await;
    assert_eq!(reply.status, 422);
    let html = reply.text();
    assert!(html.contains("never a name or an id"), "{html}");
    assert!(!html.contains("NameA1"));
    // One file is not enough.
    let reply = server
        .post_multipart(
            "/en/staff/registry/total",
            &csrf,
            &[],
            &[("files", "org_a.csv", &good)],
            &cookie,
        )
        .await;
    assert_eq!(reply.status, 422);
    assert!(reply.text().contains("Choose at least two files"));
}

#[tokio::test]
async fn screenshots_of_the_total_across_organisations() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "nour", &["analyst"]).await;
    // The second factor is enrolled over HTTP; the browser then logs in with a code.
    server.log_in_as("ar", "nour", PASSWORD).await;
    let world = world();
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<String> = world
        .lists
        .iter()
        .map(|l| {
            let path = dir.path().join(format!("{}.csv", l.name));
            std::fs::write(&path, file_of(l)).unwrap();
            path.display().to_string()
        })
        .collect();
    let browser = Browser::launch(false).await;
    crate::browser_cases::become_person(&browser, &server, "nour").await;
    for lang in ["ar", "en"] {
        crate::browser_cases::go(&browser, &server, &format!("/{lang}/staff/registry/total")).await;
        browser.desktop_and_phone(&format!("total-form-{lang}")).await;
        let input = browser
            .client
            .find(fantoccini::Locator::Id("files"))
            .await
            .unwrap();
        input.send_keys(&paths.join("\n")).await.unwrap();
        crate::browser_cases::type_into(&browser, "strata", STRATUM_COLUMN).await;
        crate::browser_cases::click(&browser, "#total-form button[type=submit]").await;
        for _ in 0..200 {
            if browser
                .client
                .find(fantoccini::Locator::Id("total-result"))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        browser.desktop_and_phone(&format!("total-result-{lang}")).await;
    }
    browser.close().await;
}
