//! Load generator for the intake path, on loopback, bounded in requests and
//! time. Measures acknowledged (sealed, committed) submissions per second
//! with N concurrent clients, then latency at a fixed offered rate.
//!
//! Start a release server first (`mamar init` + `mamar serve`), then:
//! `cargo run --release -p mamar-web --example intake_load -- 127.0.0.1:8080 [CONCURRENCY] [SECONDS] [RATE]`
//!
//! Each line ends with how many processors the machine kept busy during
//! the phase and how many of them the generator used (on Linux), and the
//! server's share when `INTAKE_LOAD_SERVER_PID` names its process: on a
//! shared machine, "others" is someone else's work that shared the run.
//! "Storage stalls" is the share of the time some process, the server's
//! commits included, waited for the disk (Linux pressure stall
//! information): far above the server's own share, someone else was
//! writing.
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

/// A process's processor time (user + system) so far, in clock ticks.
fn process_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    Some(fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?)
}

/// The server's process id, when given (`INTAKE_LOAD_SERVER_PID`), to
/// report its share of the processors.
fn server_pid() -> Option<String> {
    std::env::var("INTAKE_LOAD_SERVER_PID").ok()
}

/// Processor time so far, in clock ticks (Linux `/proc`): the whole
/// machine's busy time, this generator's and the server's. `None` elsewhere.
fn cpu_ticks() -> Option<(u64, u64, Option<u64>)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    let busy = fields.iter().take(8).sum::<u64>() - fields.get(3)? - fields.get(4)?;
    let server = server_pid().and_then(|pid| process_ticks(&pid));
    Some((busy, process_ticks("self")?, server))
}

/// Microseconds during which some task waited for storage (Linux pressure
/// stall information), when the kernel reports it.
fn io_stall_micros() -> Option<u64> {
    let pressure = std::fs::read_to_string("/proc/pressure/io").ok()?;
    let some = pressure.lines().find(|line| line.starts_with("some"))?;
    some.split_whitespace()
        .find_map(|field| field.strip_prefix("total="))?
        .parse()
        .ok()
}

/// How many processors were busy during a phase, and how many of them this
/// generator (and the server, when its id is known) used: the rest is
/// whatever else ran on the machine.
fn cpu_note(before: Option<(u64, u64, Option<u64>)>, io_before: Option<u64>, elapsed: Duration) -> String {
    const TICKS_PER_SECOND: f64 = 100.0; // USER_HZ on Linux
    let io = match (io_before, io_stall_micros()) {
        (Some(before), Some(after)) => format!(
            " storage stalls {:.0}% of the time |",
            after.saturating_sub(before) as f64 / 1e4 / elapsed.as_secs_f64()
        ),
        _ => String::new(),
    };
    let (Some((busy0, own0, server0)), Some((busy1, own1, server1))) = (before, cpu_ticks()) else {
        return io;
    };
    let cores = |ticks: u64| ticks as f64 / TICKS_PER_SECOND / elapsed.as_secs_f64();
    let busy = cores(busy1.saturating_sub(busy0));
    let own = cores(own1.saturating_sub(own0));
    match (server0, server1) {
        (Some(server0), Some(server1)) => {
            let server = cores(server1.saturating_sub(server0));
            format!(
                "processors busy {busy:.2}: server {server:.2}, generator {own:.2}, others {:.2} |{io}",
                (busy - server - own).max(0.0)
            )
        }
        _ => format!("processors busy {busy:.2} (generator {own:.2}) |{io}"),
    }
}

fn report(
    label: &str,
    mut latencies: Vec<Duration>,
    failures: usize,
    elapsed: Duration,
    cpu: Option<(u64, u64, Option<u64>)>,
    io: Option<u64>,
) {
    latencies.sort();
    println!(
        "| {label} | {} acknowledged in {:.1} s | {:.0} /s | p50 {:.1} ms | p99 {:.1} ms | {failures} not acknowledged | {}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        cpu_note(cpu, io, elapsed),
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
    let (cpu, io) = (cpu_ticks(), io_stall_micros());
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
        cpu,
        io,
    );

    // Open loop at a fixed rate (half the peak unless given).
    let rate: f64 = args
        .get(4)
        .and_then(|a| a.parse().ok())
        .unwrap_or((peak / 2.0).max(1.0));
    let interval = Duration::from_secs_f64(1.0 / rate);
    let total = (rate * seconds as f64) as usize;
    let (cpu, io) = (cpu_ticks(), io_stall_micros());
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
        cpu,
        io,
    );
}
