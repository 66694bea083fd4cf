//! A real server on a free loopback port, backed by a real SQLite file.

use std::collections::HashMap;
use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use mamar_core::{Locale, Organisation, Role, StaffId, Username};
use mamar_store::{InitialSetup, NewStaff, SqliteStore, Store};

pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
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

impl TestServer {
    /// A server whose organisation is not set up yet.
    pub async fn fresh() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&dir.path().join("web.sqlite3")).await.unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = mamar_web::router(mamar_web::AppState::new(store.clone()));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        TestServer {
            base,
            store,
            _dir: dir,
            task,
        }
    }

    /// A server with an organisation whose default language is `locale`.
    pub async fn set_up(locale: Locale) -> TestServer {
        let server = Self::fresh().await;
        server.initialise(locale).await;
        server
    }

    pub async fn initialise(&self, locale: Locale) {
        let setup = InitialSetup {
            organisation: Organisation::new(ORG_AR, ORG_EN, locale).unwrap(),
            admin: NewStaff {
                id: StaffId::random(),
                username: Username::parse("admin").unwrap(),
                roles: vec![Role::Administrator],
                public_keys: vec![0; 64],
                wrapped_secret_keys: vec![0; 64],
            },
            org_keys: vec![],
        };
        self.store.initialise(&setup).await.unwrap();
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
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<axum::body::Bytes>>();
        let mut builder = axum::http::Request::builder()
            .method(method)
            .uri(format!("{}{}", self.base, path));
        if let Some(content_type) = content_type {
            builder = builder.header("content-type", content_type);
        }
        let response = client
            .request(builder.body(Full::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
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
