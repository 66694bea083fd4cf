//! The coverage study of the total across organisations: for each seed, three organisations'
//! registries of generated people (soldiers and officers), exchanged as keyed encodings,
//! matched, counted per stratum and estimated; prints how often the interval holds the true
//! total, per stratum, and how far the matched documented number is from the true one.
//!
//! `cargo run --release -p mamar-registry --example across_coverage -- [SEEDS] [SCALE] [REPLICATES] [THRESHOLD]`
//! (defaults 200 seeds, scale 1: 2,000 soldiers and 600 officers per world, 200 resamples, Dice threshold 0.8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use mamar_registry::across::simulation::{STRATUM_COLUMN, default_strata, three_organisations};
use mamar_registry::across::{TotalOptions, estimate_total};

#[derive(Default)]
struct Tally {
    runs: u64,
    estimated: u64,
    covered: u64,
    below: u64,
    above: u64,
    relative_error: f64,
    documented_error: f64,
    width: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u64 = args.first().map_or(200, |s| s.parse().expect("SEEDS"));
    let scale: f64 = args.get(1).map_or(1.0, |s| s.parse().expect("SCALE"));
    let replicates: usize = args.get(2).map_or(200, |s| s.parse().expect("REPLICATES"));
    let threshold: f64 = args
        .get(3)
        .map_or(mamar_registry::across::DEFAULT_THRESHOLD, |s| {
            s.parse().expect("THRESHOLD")
        });
    let strata = default_strata(scale);
    let options = TotalOptions {
        strata: vec![STRATUM_COLUMN.to_owned()],
        replicates,
        threshold,
        threads: std::thread::available_parallelism().map_or(1, usize::from),
        ..TotalOptions::default()
    };
    let started = std::time::Instant::now();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for seed in 1..=seeds {
        let world = three_organisations(&strata, seed).unwrap();
        let report = estimate_total(&world.lists, &options).unwrap();
        for line in &report.strata {
            let (name, truth, true_documented) = if line.pooled {
                let documented: u64 = world.true_cells.values().flat_map(|c| c.values()).sum();
                (
                    "(pooled)".to_owned(),
                    world.true_totals.values().sum::<u64>(),
                    documented,
                )
            } else {
                let name = line.stratum[0].clone();
                let documented = world.true_cells[&name].values().sum();
                let truth = world.true_totals[&name];
                (name, truth, documented)
            };
            let tally = tallies.entry(name).or_default();
            tally.runs += 1;
            tally.documented_error +=
                (line.documented as f64 - true_documented as f64) / true_documented as f64;
            let Ok(estimate) = &line.estimate else { continue };
            tally.estimated += 1;
            let (lower, upper) = estimate.interval();
            let upper = upper.unwrap_or(f64::INFINITY);
            let truth = truth as f64;
            if truth < lower {
                tally.below += 1;
            } else if truth > upper {
                tally.above += 1;
            } else {
                tally.covered += 1;
            }
            tally.relative_error += (estimate.total - truth) / truth;
            tally.width += (upper - lower) / truth;
        }
    }
    println!(
        "{seeds} seeds, scale {scale} ({} soldiers, {} officers), {replicates} resamples, Dice {threshold}, {:.0} s",
        strata[0].people,
        strata[1].people,
        started.elapsed().as_secs_f64()
    );
    println!(
        "stratum     estimated  coverage  truth below / above  mean error  documented error  mean width"
    );
    for (name, t) in &tallies {
        let n = t.estimated.max(1) as f64;
        println!(
            "{name:<11} {:>4}/{:<4}  {:>7.1}%  {:>5} / {:<5}         {:>+7.1}%  {:>+15.2}%  {:>9.1}%",
            t.estimated,
            t.runs,
            100.0 * t.covered as f64 / n,
            t.below,
            t.above,
            100.0 * t.relative_error / n,
            100.0 * t.documented_error / t.runs.max(1) as f64,
            100.0 * t.width / n,
        );
    }
}
