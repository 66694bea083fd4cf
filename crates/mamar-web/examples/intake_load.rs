//! Load generator for the intake path, on loopback, bounded in requests and
//! time. Measures acknowledged (sealed, committed) submissions per second
//! with N concurrent clients, then latency at a fixed offered rate.
//!
//! Start a release server first (`mamar init` + `mamar serve`), then:
//! `cargo run --release -p mamar-web --example intake_load -- 127.0.0.1:8080 [CONCURRENCY] [SECONDS] [RATE]`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

const FORM: &str = "urgency=weeks&governorate=sy-hl&institution=army&destination=undecided\
&message=load+test+message&codename_language=en";

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<axum::body::Bytes>>;

async fn submit(client: &HttpClient, url: &str) -> Result<Duration, u16> {
    let started = Instant::now();
    let request = axum::http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::from(FORM))
        .unwrap();
    let response = client.request(request).await.map_err(|_| 0u16)?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.map_err(|_| 0u16)?.to_bytes();
    if status == 200 && body.windows(14).any(|w| w == br#"id="codename">"#) {
        Ok(started.elapsed())
    } else {
        Err(status)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn report(label: &str, mut latencies: Vec<Duration>, failures: usize, elapsed: Duration) {
    latencies.sort();
    println!(
        "| {label} | {} acknowledged in {:.1} s | {:.0} /s | p50 {:.1} ms | p99 {:.1} ms | {failures} not acknowledged |",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let address = args.get(1).cloned().unwrap_or_else(|| "127.0.0.1:8080".into());
    let concurrency: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(64);
    let seconds: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10);
    let url = format!("http://{address}/en/contact");
    let client: HttpClient = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(concurrency)
        .build_http();

    // Closed loop: as fast as the server acknowledges.
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                let (mut ok, mut failed) = (Vec::new(), 0usize);
                while Instant::now() < deadline {
                    match submit(&client, &url).await {
                        Ok(latency) => ok.push(latency),
                        Err(_) => failed += 1,
                    }
                }
                (ok, failed)
            })
        })
        .collect();
    let (mut all, mut failures) = (Vec::new(), 0);
    for task in tasks {
        let (ok, failed) = task.await.unwrap();
        all.extend(ok);
        failures += failed;
    }
    let elapsed = started.elapsed();
    let peak = all.len() as f64 / elapsed.as_secs_f64();
    report(
        &format!("closed loop, {concurrency} clients"),
        all,
        failures,
        elapsed,
    );

    // Open loop at a fixed rate (half the peak unless given).
    let rate: f64 = args
        .get(4)
        .and_then(|a| a.parse().ok())
        .unwrap_or((peak / 2.0).max(1.0));
    let interval = Duration::from_secs_f64(1.0 / rate);
    let total = (rate * seconds as f64) as usize;
    let started = Instant::now();
    let mut handles = Vec::with_capacity(total);
    for n in 0..total {
        let due = started + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due.into()).await;
        let (client, url) = (client.clone(), url.clone());
        handles.push(tokio::spawn(async move { submit(&client, &url).await }));
    }
    let (mut latencies, mut failed) = (Vec::new(), 0);
    for handle in handles {
        match handle.await.unwrap() {
            Ok(latency) => latencies.push(latency),
            Err(_) => failed += 1,
        }
    }
    report(
        &format!("open loop at {rate:.0} /s"),
        latencies,
        failed,
        started.elapsed(),
    );
}
