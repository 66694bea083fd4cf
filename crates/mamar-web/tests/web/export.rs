//! Over HTTP, in Arabic: exporting a case (asked → granted by another person
//! → downloaded once by the asker as a file that opens only with the
//! passphrase; a passphrase typed differently twice is refused in the
//! person's language), and a requester withdrawing consent (the referral
//! taken back, the liaison's page empty, a direct referral refused) with the
//! navigation's counts of referrals that wait, which go once acted on.

use mamar_core::Locale;

use crate::authz::{PASSWORD, create_account, hex, staff_id};
use crate::browser_partners::{case_of_a_request, partner_with_liaison};
use crate::partners::plain;
use crate::support::{TestServer, hidden_value};

async fn csrf(server: &TestServer, cookie: &str) -> String {
    hidden_value(&server.get_with_cookie("/ar/staff/", cookie).await.text(), "csrf")
}

fn location(reply: &crate::support::Reply) -> String {
    reply.header("location").unwrap_or("").to_owned()
}

/// The count the navigation shows on the link to `href`, if it shows one.
pub(crate) fn nav_count(page: &str, href: &str) -> Option<usize> {
    let at = page.find(&format!("href=\"{href}\""))?;
    let link = &page[at..at + page[at..].find("</a>")?];
    let span = link.find("<span class=\"count")?;
    let open = span + link[span..].find('>')? + 1;
    let close = open + link[open..].find('<')?;
    link[open..close].trim().parse().ok()
}

async fn assign(server: &TestServer, admin: &str, case_path: &str, who: &str, duty: &str) {
    let staff = staff_id(server, who).await;
    let token = csrf(server, admin).await;
    let assigned = server
        .post_form(
            &format!("{case_path}/act"),
            &[
                ("csrf", &token),
                ("action", "assign"),
                ("staff", &staff),
                ("duty", duty),
            ],
            Some(admin),
        )
        .await;
    assert!(
        location(&assigned).contains("done=assigned"),
        "{}",
        location(&assigned)
    );
}

const PASSPHRASE: &str = "سبعة أبواب خضراء تحت الجسر";

#[tokio::test]
async fn an_export_is_asked_granted_by_another_and_downloaded_once_in_arabic() {
    let server = TestServer::fresh_with(|state| state.with_export_work_factor(10)).await;
    server.initialise(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "huda", &["exit-coordinator"]).await;
    let huda = server.log_in_as("ar", "huda", PASSWORD).await;
    let (_, case_path) = case_of_a_request(&server, &admin).await;
    assign(&server, &admin, &case_path, "huda", "coordinator").await;
    let huda_csrf = csrf(&server, &huda).await;
    let admin_csrf = csrf(&server, &admin).await;

    // Nothing to download yet: the export page sends the person back to the case, saying why.
    let early = server
        .get_with_cookie(&format!("{case_path}/export"), &huda)
        .await;
    assert!(
        location(&early).ends_with("?problem=no-export"),
        "{}",
        location(&early)
    );

    // The coordinator asks, with a reason; she cannot grant it herself.
    let asked = server
        .post_form(
            &format!("{case_path}/act"),
            &[
                ("csrf", &huda_csrf),
                ("action", "export"),
                ("text", "طلب الشخص نسخة من ملفه"),
            ],
            Some(&huda),
        )
        .await;
    assert!(
        location(&asked).ends_with("done=sent-for-approval"),
        "{}",
        location(&asked)
    );
    let page = server.get_with_cookie(&case_path, &admin).await.text();
    assert!(plain(page.clone()).contains("تصدير الحالة إلى ملف"), "{page}");
    let approval = hidden_value(&page, "approval");
    let own = server
        .post_form(
            &format!("{case_path}/act"),
            &[
                ("csrf", &huda_csrf),
                ("action", "decide"),
                ("approval", &approval),
                ("grant", "yes"),
            ],
            Some(&huda),
        )
        .await;
    assert!(
        location(&own).ends_with("problem=own-request"),
        "{}",
        location(&own)
    );
    // The administrator, who opened the case and did not ask, grants it.
    let granted = server
        .post_form(
            &format!("{case_path}/act"),
            &[
                ("csrf", &admin_csrf),
                ("action", "decide"),
                ("approval", &approval),
                ("grant", "yes"),
            ],
            Some(&admin),
        )
        .await;
    assert!(
        location(&granted).ends_with("done=granted"),
        "{}",
        location(&granted)
    );
    // The one who granted it cannot download it.
    let not_theirs = server
        .get_with_cookie(&format!("{case_path}/export"), &admin)
        .await;
    assert!(location(&not_theirs).ends_with("?problem=no-export"));

    // The asker's case page offers it; the export page says what the file holds and that the
    // passphrase is never stored.
    let case_page = plain(server.get_with_cookie(&case_path, &huda).await.text());
    assert!(case_page.contains("تنزيل التصدير"), "{case_page}");
    let page = server
        .get_with_cookie(&format!("{case_path}/export"), &huda)
        .await;
    assert_eq!(page.status, 200);
    let page = plain(page.text());
    assert!(page.contains("لا يحفظها ممر أبداً"), "{page}");
    assert!(page.contains("ما تسمح لك مهامك في هذه الحالة بقراءته فقط"));

    // Two different passphrases: refused, in Arabic, and nothing is used up.
    let mismatch = server
        .post_form(
            &format!("{case_path}/export"),
            &[
                ("csrf", &huda_csrf),
                ("passphrase", PASSPHRASE),
                ("confirm", "سبعة أبواب خضراء تحت الجسور"),
            ],
            Some(&huda),
        )
        .await;
    assert_eq!(mismatch.status, 422);
    assert!(
        plain(mismatch.text()).contains("عبارتا المرور غير متطابقتين"),
        "the mismatch is not said in Arabic"
    );
    let short = server
        .post_form(
            &format!("{case_path}/export"),
            &[
                ("csrf", &huda_csrf),
                ("passphrase", "قصيرة"),
                ("confirm", "قصيرة"),
            ],
            Some(&huda),
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(plain(short.text()).contains("يجب ألا تقل عبارة المرور عن 12 حرفاً"));

    // The file: an attachment, opened with the passphrase only.
    let file = server
        .post_form(
            &format!("{case_path}/export"),
            &[
                ("csrf", &huda_csrf),
                ("passphrase", PASSPHRASE),
                ("confirm", PASSPHRASE),
            ],
            Some(&huda),
        )
        .await;
    assert_eq!(file.status, 200);
    assert!(
        file.header("content-disposition")
            .unwrap_or("")
            .starts_with("attachment; filename=\"mamar-case-")
    );
    assert_eq!(file.header("cache-control"), Some("no-store"));
    assert!(
        !file
            .body
            .windows("كريم حداد".len())
            .any(|w| w == "كريم حداد".as_bytes())
    );
    assert!(mamar_usecases::cases::open_export(&file.body, "سبعة أبواب خضراء فوق الجسر").is_none());
    let text = mamar_usecases::cases::open_export(&file.body, PASSPHRASE).unwrap();
    assert!(text.starts_with("هذا الملف تصدير لحالة واحدة من ممر."), "{text}");
    assert!(text.contains(mamar_usecases::cases::JSON_MARKER));
    assert!(text.contains("كريم حداد"));

    // Once only.
    let again = server
        .post_form(
            &format!("{case_path}/export"),
            &[
                ("csrf", &huda_csrf),
                ("passphrase", PASSPHRASE),
                ("confirm", PASSPHRASE),
            ],
            Some(&huda),
        )
        .await;
    assert!(
        location(&again).ends_with("problem=already-downloaded"),
        "{}",
        location(&again)
    );
    let case_page = plain(server.get_with_cookie(&case_path, &huda).await.text());
    assert!(case_page.contains("نزّل تصديراً للحالة"), "{case_page}");
    assert!(!case_page.contains("تنزيل التصدير"));
}

#[tokio::test]
async fn withdrawing_consent_takes_the_referral_back_and_the_counts_follow() {
    let server = TestServer::set_up(Locale::Ar).await;
    let admin = server.log_in("ar").await;
    create_account(&server, &admin, "nadia", &["administrator"]).await;
    create_account(&server, &admin, "huda", &["exit-coordinator"]).await;
    create_account(&server, &admin, "omar", &["partner-liaison"]).await;
    let nadia = server.log_in_as("ar", "nadia", PASSWORD).await;
    let huda = server.log_in_as("ar", "huda", PASSWORD).await;
    let omar = server.log_in_as("ar", "omar", PASSWORD).await;
    let partner = partner_with_liaison(&server, &admin, &nadia).await;
    let (codename, case_path) = case_of_a_request(&server, &admin).await;
    assign(&server, &admin, &case_path, "huda", "coordinator").await;
    let case = case_path.rsplit('/').next().unwrap().to_owned();
    let case_id: [u8; 16] = (0..16)
        .map(|i| u8::from_str_radix(&case[2 * i..2 * i + 2], 16).unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let huda_csrf = csrf(&server, &huda).await;
    let omar_csrf = csrf(&server, &omar).await;

    // The requester agrees that the partner may know the name; the coordinator refers.
    server
        .post_form(
            "/ar/follow-up",
            &[
                ("codename", &codename),
                ("action", "consent"),
                ("partner", &partner),
                ("field", "name"),
            ],
            None,
        )
        .await;
    let refer = [
        ("csrf", huda_csrf.as_str()),
        ("action", "refer"),
        ("partner", partner.as_str()),
        ("field", "name"),
    ];
    let referred = server
        .post_form(&format!("{case_path}/partners"), &refer, Some(&huda))
        .await;
    assert!(
        location(&referred).ends_with("done=referred"),
        "{}",
        location(&referred)
    );

    // The liaison's navigation counts the referral waiting for an answer, until they answer.
    let home = server.get_with_cookie("/ar/staff/", &omar).await.text();
    assert_eq!(nav_count(&home, "/ar/staff/referrals"), Some(1), "{home}");
    let referral = hex(&server.store.case_referrals(&case_id).await.unwrap()[0].id);
    server
        .post_form(
            &format!("/ar/staff/referrals/{referral}/answer"),
            &[("csrf", &omar_csrf), ("answer", "decline")],
            Some(&omar),
        )
        .await;
    let home = server.get_with_cookie("/ar/staff/", &omar).await.text();
    assert_eq!(nav_count(&home, "/ar/staff/referrals"), Some(0));

    // The coordinator's navigation counts the answer until she opens the case.
    let home = plain(server.get_with_cookie("/ar/staff/", &huda).await.text());
    assert_eq!(nav_count(&home, "/ar/staff/#referral-news"), Some(1), "{home}");
    assert!(home.contains("رفض عون المرفأ الإحالة"), "{home}");
    server.get_with_cookie(&case_path, &huda).await;
    let home = server.get_with_cookie("/ar/staff/", &huda).await.text();
    assert_eq!(nav_count(&home, "/ar/staff/#referral-news"), None);

    // Referred again; the liaison opens it.
    let referred = server
        .post_form(&format!("{case_path}/partners"), &refer, Some(&huda))
        .await;
    assert!(location(&referred).ends_with("done=referred"));
    let page = server.get_with_cookie("/ar/staff/referrals", &omar).await.text();
    assert!(page.contains("كريم حداد"));

    // The follow-up page shows what the requester agreed to and what the partner opened; the
    // withdrawal needs the tick, then takes it all back.
    let page = plain(
        server
            .post_form("/ar/follow-up", &[("codename", &codename)], None)
            .await
            .text(),
    );
    assert!(page.contains("ما وافقت على مشاركته"), "{page}");
    assert!(page.contains("فتح عون المرفأ من قبل"), "{page}");
    let unticked = plain(
        server
            .post_form(
                "/ar/follow-up",
                &[
                    ("codename", &codename),
                    ("action", "withdraw"),
                    ("partner", &partner),
                ],
                None,
            )
            .await
            .text(),
    );
    assert!(unticked.contains("ضع علامة في المربع للتأكيد"), "{unticked}");
    let referrals = server.store.case_referrals(&case_id).await.unwrap();
    assert!(referrals.iter().any(|r| r.status == "offered"));
    let withdrawn = plain(
        server
            .post_form(
                "/ar/follow-up",
                &[
                    ("codename", &codename),
                    ("action", "withdraw"),
                    ("partner", &partner),
                    ("confirm", "yes"),
                ],
                None,
            )
            .await
            .text(),
    );
    assert!(
        withdrawn.contains("سُحبت موافقتك على المشاركة مع عون المرفأ"),
        "{withdrawn}"
    );
    assert!(withdrawn.contains("كان عون المرفأ قد فتح"), "{withdrawn}");
    assert!(!withdrawn.contains("ما وافقت على مشاركته"));

    // The liaison's page shows nothing; their keys to it are gone.
    let page = server.get_with_cookie("/ar/staff/referrals", &omar).await.text();
    assert!(!page.contains("كريم حداد"), "{page}");
    assert!(page.contains("لم يُحَل إليك شيء"));
    let omar_id = staff_id(&server, "omar").await;
    let omar_id = mamar_core::StaffId::from_bytes(
        (0..16)
            .map(|i| u8::from_str_radix(&omar_id[2 * i..2 * i + 2], 16).unwrap())
            .collect::<Vec<_>>()
            .try_into()
            .unwrap(),
    );
    assert!(server.store.staff_referrals(omar_id).await.unwrap().is_empty());

    // A referral posted directly is refused, and nothing is stored.
    let refused = server
        .post_form(&format!("{case_path}/partners"), &refer, Some(&huda))
        .await;
    assert!(
        location(&refused).ends_with("problem=consent-withdrawn"),
        "{}",
        location(&refused)
    );
    let referrals = server.store.case_referrals(&case_id).await.unwrap();
    assert_eq!(referrals.len(), 2);
    assert!(
        referrals
            .iter()
            .all(|r| r.status == "revoked" && r.sealed.is_empty())
    );

    // The case team is told: the coordinator's count, and the case's timeline.
    let home = plain(server.get_with_cookie("/ar/staff/", &huda).await.text());
    assert_eq!(nav_count(&home, "/ar/staff/#referral-news"), Some(1));
    assert!(
        home.contains("سحب الشخص موافقته على المشاركة مع عون المرفأ"),
        "{home}"
    );
    let case_page = plain(server.get_with_cookie(&case_path, &huda).await.text());
    assert!(
        case_page.contains("سحب الشخص موافقته على المشاركة مع عون المرفأ"),
        "{case_page}"
    );
    let home = server.get_with_cookie("/ar/staff/", &huda).await.text();
    assert_eq!(nav_count(&home, "/ar/staff/#referral-news"), None);
}
