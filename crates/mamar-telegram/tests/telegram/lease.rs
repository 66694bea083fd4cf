//! Two servers on one PostgreSQL database: only one polls Telegram, and the
//! other takes over when the first stops.

use std::sync::Arc;
use std::time::Duration;

use mamar_store::{PostgresStore, Store};
use mamar_telegram::{BotSettings, PollSettings};
use sqlx::Connection;
use tokio::sync::watch;

use crate::World;
use crate::double::{Double, text};

pub async fn postgres() -> Arc<dyn Store> {
    let admin_url = std::env::var("MAMAR_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "MAMAR_TEST_POSTGRES_URL is not set: run the tests with ./scripts/test, which starts PostgreSQL"
        )
    });
    let name = format!(
        "mamar_tg_{}",
        mamar_crypto::random_bytes::<8>()
            .unwrap()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    Arc::new(PostgresStore::connect(&format!("{base}/{name}")).await.unwrap())
}

fn settings() -> PollSettings {
    PollSettings {
        wait: Duration::from_secs(1),
        lease: Duration::from_secs(3),
        standby: Duration::from_millis(200),
        max_backoff: Duration::from_secs(1),
    }
}

async fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("waited in vain for {what}");
}

#[tokio::test]
async fn two_servers_on_one_postgresql_poll_one_at_a_time_and_take_over() {
    let store = postgres().await;
    let world = World::build(store.clone(), None).await;
    // The second server has its own connection pool, as another machine would.
    let url_store = store.clone();
    let double = Double::start().await;
    let (stop_a, stopped_a) = watch::channel(false);
    let (stop_b, stopped_b) = watch::channel(false);
    let a = tokio::spawn(mamar_telegram::run(
        world.bot(&double, "a", BotSettings::default()),
        store.clone(),
        settings(),
        stopped_a,
    ));
    wait_for("server a to poll", || double.polls().iter().any(|p| p == "a")).await;
    let b = tokio::spawn(mamar_telegram::run(
        world.bot(&double, "b", BotSettings::default()),
        url_store,
        settings(),
        stopped_b,
    ));
    // A few seconds with both running: only a polls, and a message is answered once.
    let chat = 4_440_001;
    let (_, start) = text(&double, chat, "en", "/start");
    double.push(start);
    wait_for("the warning", || double.sent().iter().any(|s| s.chat == chat)).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(
        !double.polls().iter().any(|p| p == "b"),
        "b polled while a held the lease"
    );
    assert_eq!(
        double.sent().iter().filter(|s| s.chat == chat).count(),
        1,
        "answered once"
    );

    // a stops: b takes over, and continues from a's offset (nothing answered twice).
    stop_a.send(true).unwrap();
    a.await.unwrap();
    let before = double.polls().len();
    wait_for("server b to take over", || {
        double.polls().iter().skip(before).any(|p| p == "b")
    })
    .await;
    let (_, again) = text(&double, chat, "en", "/help");
    double.push(again);
    wait_for("the help", || {
        double.sent().iter().filter(|s| s.chat == chat).count() == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        double.sent().iter().filter(|s| s.chat == chat).count(),
        2,
        "nothing repeated"
    );
    let after_a = double.polls().len();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(
        double.polls().iter().skip(after_a).all(|p| p == "b"),
        "a stopped polling"
    );
    stop_b.send(true).unwrap();
    b.await.unwrap();
}

#[tokio::test]
async fn an_unreachable_bot_api_is_retried_and_nothing_is_lost() {
    let world = World::sqlite().await;
    let double = Double::start().await;
    double.set_down(true);
    let (stop, stopped) = watch::channel(false);
    let chat = 4_440_002;
    let (_, start) = text(&double, chat, "ar", "/start");
    double.push(start);
    let poller = tokio::spawn(mamar_telegram::run(
        world.bot(&double, "a", BotSettings::default()),
        world.store.clone(),
        settings(),
        stopped,
    ));
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(double.sent().is_empty());
    // Meanwhile the web form still takes requests.
    world
        .state
        .intake
        .submit_request(
            &mamar_usecases::intake::new_codename(mamar_core::Locale::Ar).unwrap(),
            &crate::web_answers("x"),
        )
        .await
        .unwrap();
    double.set_down(false);
    wait_for("the update kept while Telegram was away", || {
        double.sent().iter().any(|s| s.chat == chat)
    })
    .await;
    stop.send(true).unwrap();
    poller.await.unwrap();
}
