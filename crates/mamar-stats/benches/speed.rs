//! Speed of the two targets in the issue, on one core:
//! - the exhaustive AIC search over all 2^15 two-way-interaction models for 6 lists;
//! - 10,000 LCMCR sweeps for 6 lists (one chain, so one core).
//!
//! Run: `cargo bench -p mamar-stats --bench speed`. Prints the median of 7 runs of each, on the
//! UK National Referral Mechanism 2013 table (6 lists).

use std::time::{Duration, Instant};

use mamar_stats::lcmcr::{LcmcrOptions, run_chain};
use mamar_stats::loglinear::{Criterion, Search, select};
use mamar_stats::simulation::{Group, Scenario};
use mamar_stats::{CaptureTable, Level};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const UK_NRM_2013: &str = include_str!("../tests/fixtures/uk-nrm-2013.csv");
const RUNS: usize = 7;

const UK_FIVE_LISTS: &str = include_str!("../tests/fixtures/uk-nrm-2013-LA-NG-PF-GO-GP.csv");
const KOSOVO: &str = include_str!("../tests/fixtures/kosovo.csv");

fn table() -> Option<CaptureTable> {
    parse(UK_NRM_2013)
}

fn parse(csv: &str) -> Option<CaptureTable> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next()?.split(',').collect();
    let lists = header.get(..header.len().checked_sub(1)?)?;
    let mut builder = CaptureTable::builder(lists.iter().copied()).ok()?;
    for (index, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let (pattern, count) = fields.split_at(fields.len().checked_sub(1)?);
        let pattern: Vec<bool> = pattern.iter().map(|field| *field == "1").collect();
        builder
            .add(index + 2, &pattern, count.first()?.parse().ok()?)
            .ok()?;
    }
    builder.finish().ok()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn time<T>(mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        last = Some(work());
        times.push(start.elapsed());
    }
    (median(times), last.unwrap_or_else(work))
}

fn main() {
    let Some(table) = table() else {
        eprintln!("the embedded UK table did not parse");
        std::process::exit(1);
    };

    let (search_only, selection) =
        time(|| select(&table, Criterion::Aic, Search::Exhaustive, 1, Level::default()));
    match selection {
        Ok(selection) => {
            let models = selection.models_estimable + selection.models_unestimable;
            let best = selection.ranked.first().map(|r| r.estimate.name.clone());
            println!(
                "exhaustive AIC search, 6 lists: median {:.3} s over {RUNS} runs ({models} models, {} with a finite estimate; chosen: {})",
                search_only.as_secs_f64(),
                selection.models_estimable,
                best.unwrap_or_default()
            );
        }
        Err(error) => println!("search failed: {error}"),
    }
    // The UK table has pairs of lists that never overlap, which rules out three quarters of
    // the models at once. A dense table, where every model must be fitted, is the worst case.
    let dense = Scenario {
        name: "dense".into(),
        population: 5000,
        groups: vec![
            Group {
                share: 0.6,
                capture: vec![0.2, 0.25, 0.15, 0.3, 0.2, 0.25],
            },
            Group {
                share: 0.4,
                capture: vec![0.5, 0.4, 0.6, 0.45, 0.5, 0.55],
            },
        ],
        dependences: vec![],
    }
    .draw(&mut ChaCha8Rng::seed_from_u64(1));
    if let Ok(dense) = dense {
        let (dense_time, selection) =
            time(|| select(&dense, Criterion::Aic, Search::Exhaustive, 1, Level::default()));
        if let Ok(selection) = selection {
            println!(
                "exhaustive AIC search, 6 lists, dense simulated table: median {:.3} s ({} of {} models with a finite estimate)",
                dense_time.as_secs_f64(),
                selection.models_estimable,
                selection.models_estimable + selection.models_unestimable
            );
        }
    }
    let (with_five, _) = time(|| select(&table, Criterion::Aic, Search::Exhaustive, 5, Level::default()));
    println!(
        "the same, plus profile-likelihood intervals for the 5 best: median {:.3} s",
        with_five.as_secs_f64()
    );

    let options = LcmcrOptions {
        burn_in: 0,
        samples: 10_000,
        thin: 1,
        ..LcmcrOptions::default()
    };
    let (sweeps, draws) = time(|| run_chain(&table, &options, 0));
    println!(
        "LCMCR, 6 lists, K = {}: 10,000 sweeps of one chain: median {:.3} s over {RUNS} runs ({} draws)",
        options.classes,
        sweeps.as_secs_f64(),
        draws.map_or(0, |d| d.len())
    );
    // Plain Gibbs: the sweep of the R package LCMCR, for comparison with it
    // (crates/mamar-stats/scripts/lcmcr_speed.R).
    let plain = LcmcrOptions {
        collapsed_moves: false,
        ..options
    };
    let (sweeps, _) = time(|| run_chain(&table, &plain, 0));
    println!(
        "the same with plain Gibbs sweeps (no moves that sum out the unseen): median {:.3} s",
        sweeps.as_secs_f64()
    );

    for (name, csv) in [("UK 2013, 5 lists", UK_FIVE_LISTS), ("Kosovo, 4 lists", KOSOVO)] {
        let Some(table) = parse(csv) else {
            eprintln!("the embedded {name} table did not parse");
            return;
        };
        let (elapsed, outcome) =
            time(|| mamar_stats::dga::estimate(&table, &mamar_stats::dga::DgaOptions::default()));
        match outcome {
            Ok(estimate) => println!(
                "dga, {name}: {} graphs, automatic grid to {:.0} unseen: median {:.3} s (total {:.0}, {:.0} – {:.0})",
                estimate.graphs,
                estimate.max_unseen,
                elapsed.as_secs_f64(),
                estimate.median,
                estimate.interval.lower,
                estimate.interval.upper
            ),
            Err(error) => println!("dga, {name}: {error}"),
        }
    }
}
