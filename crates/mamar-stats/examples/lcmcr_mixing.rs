//! Mixing of the LCMCR sampler on the UK table and on simulated tables: R-hat, ESS, interval
//! and time, with the command's defaults unless given.
//!
//!     cargo run --release -p mamar-stats --example lcmcr_mixing -- [burn-in] [samples] [thin]
//!
//! Environment: `ONLY=text` keeps the tables whose name contains it (`ONLY=UK`), `SEED=n` sets
//! the seed (default 1), `PLAIN_GIBBS=1` runs the sampler without the moves that sum out the
//! unseen.

use mamar_stats::CaptureTable;
use mamar_stats::lcmcr::{LcmcrOptions, estimate};
use mamar_stats::simulation::Group;

// The tests' fixtures: the UK table and simulated tables, known to be well formed.
#[allow(clippy::unwrap_used)]
#[path = "../tests/stats/fixtures.rs"]
mod fixtures;

fn simulated(lists: usize, population: u64, seed: u64) -> CaptureTable {
    let hard = [0.15, 0.20, 0.12, 0.18, 0.15, 0.10];
    let easy = [0.50, 0.45, 0.55, 0.40, 0.50, 0.45];
    let hard_to_reach = Group {
        share: 2.0 / 3.0,
        capture: hard[..lists].to_vec(),
    };
    let easy_to_reach = Group {
        share: 1.0 / 3.0,
        capture: easy[..lists].to_vec(),
    };
    fixtures::drawn(population, vec![hard_to_reach, easy_to_reach], seed)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let defaults = LcmcrOptions::default();
    let options = LcmcrOptions {
        burn_in: args.first().copied().unwrap_or(defaults.burn_in),
        samples: args.get(1).copied().unwrap_or(defaults.samples),
        thin: args.get(2).copied().unwrap_or(defaults.thin),
        collapsed_moves: std::env::var("PLAIN_GIBBS").is_err(),
        seed: std::env::var("SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(defaults.seed),
        ..defaults
    };
    let mut tables = vec![("UK NRM 2013".to_string(), fixtures::uk())];
    for (lists, population) in [(4, 2000), (4, 10_000), (5, 2000), (6, 10_000)] {
        for seed in 1..=3 {
            tables.push((
                format!("{lists} lists, N = {population}, seed {seed}"),
                simulated(lists, population, seed),
            ));
        }
    }
    let only = std::env::var("ONLY").unwrap_or_default();
    for (name, table) in tables.into_iter().filter(|(name, _)| name.contains(&only)) {
        let started = std::time::Instant::now();
        match estimate(&table, &options) {
            Ok(e) => println!(
                "{name:32} median {:8.0}  95% {:8.0} – {:8.0}  R-hat {:.3}  ESS {:6.0}  {:.2} s",
                e.median,
                e.interval.lower,
                e.interval.upper,
                e.rhat,
                e.ess,
                started.elapsed().as_secs_f64()
            ),
            Err(error) => println!("{name:32} {error}"),
        }
    }
}
