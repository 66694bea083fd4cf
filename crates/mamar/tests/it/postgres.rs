//! A fresh database on the throwaway PostgreSQL server that `scripts/test` starts, and the
//! places where that server keeps what it is given: the database's own files, the write-ahead
//! log and the server's log.

use std::path::PathBuf;

use sqlx::{Connection, PgConnection, Row};

pub struct TestPostgres {
    /// The URL of the fresh database, for `MAMAR_DATABASE_URL`.
    pub url: String,
    admin_url: String,
    data_dir: PathBuf,
    server_log: PathBuf,
    oid: u32,
}

fn setting(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests with ./scripts/test, which starts PostgreSQL")
    })
}

pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

impl TestPostgres {
    pub fn create() -> TestPostgres {
        let admin_url = setting("MAMAR_TEST_POSTGRES_URL");
        let data_dir = PathBuf::from(setting("MAMAR_TEST_POSTGRES_DATA"));
        let server_log = PathBuf::from(setting("MAMAR_TEST_POSTGRES_LOG"));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("mamar_it_{}_{nanos}", std::process::id());
        let oid = block_on(async {
            let mut admin = PgConnection::connect(&admin_url).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let oid: sqlx::postgres::types::Oid =
                sqlx::query("SELECT oid FROM pg_database WHERE datname = $1")
                    .bind(&name)
                    .fetch_one(&mut admin)
                    .await
                    .unwrap()
                    .get(0);
            oid.0
        });
        let (server, _) = admin_url.rsplit_once('/').unwrap();
        TestPostgres {
            url: format!("{server}/{name}"),
            admin_url,
            data_dir,
            server_log,
            oid,
        }
    }

    /// Writes everything the server holds in memory to its files.
    pub fn checkpoint(&self) {
        block_on(async {
            let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
            sqlx::query("CHECKPOINT").execute(&mut admin).await.unwrap();
        });
    }

    /// The directory of this database's tables and indexes.
    pub fn database_dir(&self) -> PathBuf {
        self.data_dir.join("base").join(self.oid.to_string())
    }

    /// The write-ahead log, shared by every database on the server.
    pub fn wal_dir(&self) -> PathBuf {
        self.data_dir.join("pg_wal")
    }

    pub fn server_log(&self) -> PathBuf {
        self.server_log.clone()
    }
}

impl TestPostgres {
    /// Drops the database with everything in it: a server lost.
    pub fn destroy(&self) {
        let name = self.url.rsplit_once('/').unwrap().1.to_owned();
        block_on(async {
            let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .unwrap();
        });
    }
}
