//! A real server on a free loopback port, backed by a real SQLite file.

use std::collections::HashMap;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use mamar_core::{Locale, Organisation, Username};
use mamar_crypto::{KdfParams, Password};
use mamar_store::{SqliteStore, Store};

pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    /// The server's clock: tests move it on instead of waiting.
    pub clock: Arc<mamar_web::auth::Clock>,
    /// Each account's TOTP secret, as its authenticator app would keep it.
    authenticators: std::sync::Mutex<HashMap<String, Vec<u8>>>,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub const ORG_AR: &str = "المركز السوري للسلامة والانشقاق";
pub const ORG_EN: &str = "Syrian Centre for Safety and Defection";
pub const ADMIN_PASSWORD: &str = "a long test passphrase, not for real use";

impl TestServer {
    /// A server whose organisation is not set up yet.
    pub async fn fresh() -> TestServer {
        Self::fresh_with(|state| state).await
    }

    /// A fresh server whose state is adjusted first (a smaller intake queue, say).
    pub async fn fresh_with(adjust: impl FnOnce(mamar_web::AppState) -> mamar_web::AppState) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&dir.path().join("web.sqlite3")).await.unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = adjust(mamar_web::AppState::new(store.clone()));
        let clock = state.clock.clone();
        let app = mamar_web::router(state);
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        TestServer {
            base,
            store,
            clock,
            authenticators: std::sync::Mutex::new(HashMap::new()),
            _dir: dir,
            task,
        }
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// A server with an organisation whose default language is `locale`.
    pub async fn set_up(locale: Locale) -> TestServer {
        let server = Self::fresh().await;
        server.initialise(locale).await;
        server
    }

    /// Sets up the organisation with real keys and an administrator
    /// `admin` / [`ADMIN_PASSWORD`] (cheap test KDF parameters).
    pub async fn initialise(&self, locale: Locale) {
        self.initialise_with(locale, KdfParams::test_profile()).await;
    }

    /// [`Self::initialise`] with other Argon2id parameters.
    pub async fn initialise_with(&self, locale: Locale, params: KdfParams) {
        let bootstrap = mamar_keys::bootstrap(
            Organisation::new(ORG_AR, ORG_EN, locale).unwrap(),
            Username::parse("admin").unwrap(),
            &Password::new(ADMIN_PASSWORD.to_owned()),
            &params,
        )
        .unwrap();
        self.store.initialise(&bootstrap.setup).await.unwrap();
    }

    /// The password step alone: the half-finished session's cookie and where it is sent next.
    pub async fn password_step(&self, lang: &str, username: &str, password: &str) -> (String, String) {
        let reply = self
            .post_form(
                &format!("/{lang}/staff/login"),
                &[("username", username), ("password", password)],
                None,
            )
            .await;
        assert_eq!(reply.status, 303, "login of {username} refused: {}", reply.text());
        (
            reply.cookie().unwrap(),
            reply.header("location").unwrap().to_owned(),
        )
    }

    /// The current code of `username`'s authenticator, after moving the clock
    /// on one step so that it was never used before.
    pub fn next_code(&self, username: &str) -> String {
        self.clock.advance(30);
        let secret = self
            .authenticators
            .lock()
            .unwrap()
            .get(username)
            .cloned()
            .unwrap();
        let secret = mamar_crypto::TotpSecret::from_bytes(secret);
        format!("{:06}", secret.code_at(self.clock.now() as u64).unwrap())
    }

    /// Gives `username` a new authenticator app (its secret's bytes), as after
    /// replacing the app from the security page.
    pub fn set_authenticator(&self, username: &str, secret: Vec<u8>) {
        self.authenticators
            .lock()
            .unwrap()
            .insert(username.to_owned(), secret);
    }

    /// Logs in with password and second factor as a person would (enrolling
    /// TOTP at the first login) and returns the full session's cookie.
    pub async fn log_in_as(&self, lang: &str, username: &str, password: &str) -> String {
        self.log_in_keeping_device(lang, username, password).await.0
    }

    /// [`Self::log_in_as`], returning the full session's cookie and the
    /// device cookie the browser keeps for its next login.
    pub async fn log_in_keeping_device(
        &self,
        lang: &str,
        username: &str,
        password: &str,
    ) -> (String, String) {
        let (cookie, next) = self.password_step(lang, username, password).await;
        let reply = if next.ends_with("/staff/login/enrol") {
            let page = self.get_with_cookie(&next, &cookie).await.text();
            let secret = hidden_value(&page, "secret");
            let bytes = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).unwrap();
            self.authenticators
                .lock()
                .unwrap()
                .insert(username.to_owned(), bytes);
            let code = self.next_code(username);
            let csrf = hidden_value(&page, "csrf");
            self.post_form(
                &next,
                &[("csrf", &csrf), ("secret", &secret), ("code", &code)],
                Some(&cookie),
            )
            .await
        } else {
            assert!(next.ends_with("/staff/login/code"), "{next}");
            let page = self.get_with_cookie(&next, &cookie).await.text();
            let csrf = hidden_value(&page, "csrf");
            let code = self.next_code(username);
            self.post_form(&next, &[("csrf", &csrf), ("code", &code)], Some(&cookie))
                .await
        };
        assert_eq!(reply.status, 303, "second factor refused: {}", reply.text());
        assert_eq!(reply.header("location"), Some(format!("/{lang}/staff/").as_str()));
        (reply.cookie().unwrap(), reply.device_cookie().unwrap())
    }

    /// [`Self::log_in_as`] the administrator.
    pub async fn log_in(&self, lang: &str) -> String {
        self.log_in_as(lang, "admin", ADMIN_PASSWORD).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, Vec::new(), None).await
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> Reply {
        self.request_with(method, path, body, content_type, None).await
    }

    /// Posts an HTML form (`application/x-www-form-urlencoded`), with a cookie if given.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request_with(
            "POST",
            path,
            body.into_bytes(),
            Some("application/x-www-form-urlencoded"),
            cookie,
        )
        .await
    }

    /// Posts a file as a browser's `multipart/form-data` form does, with the form token in the
    /// query string (as the attachment form sends it).
    pub async fn post_file(
        &self,
        path: &str,
        csrf: &str,
        file_name: &str,
        content: &[u8],
        cookie: &str,
    ) -> Reply {
        self.post_multipart(path, csrf, &[], &[("file", file_name, content)], cookie)
            .await
    }

    /// Posts a `multipart/form-data` form with text fields and files (field, file name,
    /// content), the form token in the query string.
    pub async fn post_multipart(
        &self,
        path: &str,
        csrf: &str,
        texts: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
        cookie: &str,
    ) -> Reply {
        let boundary = "----mamar-test-boundary-7d1f";
        let mut body = Vec::new();
        for (name, value) in texts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file_name, content) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.request_with(
            "POST",
            &format!("{path}?csrf={}", encode(csrf)),
            body,
            Some(&format!("multipart/form-data; boundary={boundary}")),
            Some(cookie),
        )
        .await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Reply {
        self.request_with("GET", path, Vec::new(), None, Some(cookie))
            .await
    }

    pub async fn request_with(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
        cookie: Option<&str>,
    ) -> Reply {
        self.request_with_headers(method, path, body, content_type, cookie, &[])
            .await
    }

    /// A GET with extra request headers, such as `accept-encoding`.
    pub async fn get_with_headers(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.request_with_headers("GET", path, Vec::new(), None, None, headers)
            .await
    }

    async fn request_with_headers(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
        cookie: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<axum::body::Bytes>>();
        let mut builder = axum::http::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path));
        for (name, value) in extra {
            builder = builder.header(*name, *value);
        }
        if let Some(content_type) = content_type {
            builder = builder.header("content-type", content_type);
        }
        if let Some(cookie) = cookie {
            builder = builder.header("cookie", cookie);
        }
        let response = client
            .request(builder.body(Full::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        // A repeated header (two cookies set at once) is kept at its first value here;
        // every cookie set is in `set_cookies`.
        let mut headers = HashMap::new();
        for (k, v) in response.headers() {
            headers
                .entry(k.as_str().to_owned())
                .or_insert_with(|| v.to_str().unwrap_or("").to_owned());
        }
        let set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap_or("").to_owned())
            .collect();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            set_cookies,
            body,
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    /// Every Set-Cookie header, in order.
    pub set_cookies: Vec<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Percent-encodes a form value (every byte outside the unreserved set).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Reply {
    /// The `name=value` part of the Set-Cookie header, for the next request.
    pub fn cookie(&self) -> Option<String> {
        self.header("set-cookie")
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
    }

    /// The `name=value` part of the device cookie a completed login sets.
    pub fn device_cookie(&self) -> Option<String> {
        self.set_cookies
            .iter()
            .find(|c| c.starts_with("mamar_device="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
    }
}

/// The value of the hidden form field `name` in a page.
/// The headers every answer carries, whatever the route, method, principal or status.
pub fn assert_security_headers(reply: &Reply, path: &str) {
    let csp = reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{path}: no CSP"));
    assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    assert!(!csp.contains("http"), "{path}: CSP names another origin: {csp}");
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
    assert!(
        reply.header("server").is_none(),
        "{path}: names the server software"
    );
}

/// No answer shows a client the framework's, the database's or the source's words.
pub fn assert_no_internal_detail(reply: &Reply, path: &str) {
    let text = reply.text();
    for leak in [
        "sqlx",
        "SQLITE",
        "panicked",
        ".rs:",
        "/work/",
        "/tmp/",
        "Failed to",
        "Error:",
    ] {
        assert!(!text.contains(leak), "{path} leaked {leak:?}: {text}");
    }
}

pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    html.split(&marker)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// The staff pages of every new request in the inbox (as `lang`), each read
/// in full from its own page, newest first.
pub async fn request_pages(server: &TestServer, cookie: &str, lang: &str) -> Vec<String> {
    let inbox = server
        .get_with_cookie(&format!("/{lang}/staff/inbox"), cookie)
        .await
        .text();
    let prefix = format!("href=\"/{lang}/staff/inbox/");
    let mut pages = Vec::new();
    for rest in inbox.split(&prefix).skip(1) {
        let id = &rest[..32];
        let page = server
            .get_with_cookie(&format!("/{lang}/staff/inbox/{id}"), cookie)
            .await;
        assert_eq!(page.status, 200, "{}", page.text());
        pages.push(page.text());
    }
    pages
}

/// The page of the request whose text contains `marker`.
pub async fn request_page_with(server: &TestServer, cookie: &str, lang: &str, marker: &str) -> String {
    request_pages(server, cookie, lang)
        .await
        .into_iter()
        .find(|page| page.contains(marker))
        .unwrap_or_else(|| panic!("no request shows {marker}"))
}
