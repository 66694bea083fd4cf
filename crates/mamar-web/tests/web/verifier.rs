//! The stand-alone verifier offered on the verify page: the builds the
//! operator placed in `verifier_dir`, each listed with its SHA-256 and served
//! as an attachment; nothing else in that directory, and no file changed
//! since the server started.

use mamar_core::Locale;
use mamar_web::downloads::VerifierDownloads;
use sha2::{Digest, Sha256};

use crate::support::{TestServer, assert_security_headers};

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_verify_page_lists_the_builds_with_their_sha256_and_serves_them() {
    let dir = tempfile::tempdir().unwrap();
    let linux = b"\x7fELF a verifier build for this test".to_vec();
    let windows = b"MZ another build".to_vec();
    std::fs::write(dir.path().join("mamar-verify-x86_64-linux"), &linux).unwrap();
    std::fs::write(dir.path().join("mamar-verify-x86_64-windows.exe"), &windows).unwrap();
    std::fs::write(dir.path().join(".hidden"), b"not offered").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let downloads = VerifierDownloads::scan(dir.path()).unwrap();
    assert_eq!(downloads.files.len(), 2, "{:?}", downloads.files);
    let server = TestServer::fresh_with(|state| state.with_verifier_downloads(downloads)).await;
    server.initialise(Locale::Ar).await;

    for (lang, title) in [("en", "Get the verifier"), ("ar", "احصل على أداة التحقّق")] {
        let page = server.get(&format!("/{lang}/verify")).await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(html.contains(title), "{html}");
        assert!(
            html.contains(&format!(
                "href=\"/{lang}/verify/download/mamar-verify-x86_64-linux\""
            )),
            "{html}"
        );
        assert!(html.contains(&sha256_hex(&linux)), "{html}");
        assert!(html.contains(&sha256_hex(&windows)), "{html}");
        assert!(!html.contains(".hidden"), "{html}");
        assert!(
            html.contains("cargo install --locked --path crates/mamar-verify"),
            "{html}"
        );
        assert!(html.contains("mamar-verify --card card.txt"), "{html}");
    }

    let path = "/en/verify/download/mamar-verify-x86_64-linux";
    let file = server.get(path).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.body, linux);
    assert_eq!(file.header("content-type"), Some("application/octet-stream"));
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"mamar-verify-x86_64-linux\"")
    );
    assert_security_headers(&file, path);

    for missing in [".hidden", "sub", "mamar-verify", "..%2Fweb.sqlite3"] {
        let reply = server.get(&format!("/ar/verify/download/{missing}")).await;
        assert_eq!(reply.status, 404, "{missing}");
    }

    // A build replaced after the start no longer matches the listed SHA-256: not served.
    std::fs::write(dir.path().join("mamar-verify-x86_64-linux"), b"something else").unwrap();
    assert_eq!(server.get(path).await.status, 404);
}

#[tokio::test]
async fn without_builds_the_page_says_how_to_get_and_build_the_verifier() {
    let server = TestServer::set_up(Locale::Ar).await;
    let html = server.get("/en/verify").await.text();
    assert!(
        html.contains("This server offers no build of the verifier"),
        "{html}"
    );
    assert!(
        html.contains("cargo install --locked --path crates/mamar-verify"),
        "{html}"
    );
    assert!(!html.contains("id=\"downloads\""), "{html}");
}
