//! Simulation study: bias and interval coverage of both estimators on populations of known
//! size with heterogeneous capture probabilities and dependent lists, 3 to 6 lists.
//!
//! Run (about an hour and a half on 2 cores for the 16 scenarios; see docs/bench/mamar-stats.md
//! for the settings that pick scenarios or change the sampler):
//!
//!     cargo bench -p mamar-stats --bench simulation            # 200 replicates per scenario
//!     cargo bench -p mamar-stats --bench simulation -- 20      # a quick look
//!
//! Prints a Markdown table. The seed is fixed, so the figures are reproducible.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use mamar_stats::dga::{self, DgaOptions};
use mamar_stats::heterogeneity;
use mamar_stats::lcmcr::{self, LcmcrOptions};
use mamar_stats::loglinear::{Criterion, Search, bootstrap_average, select};
use mamar_stats::simulation::{Dependence, Group, Scenario};
use mamar_stats::{CaptureTable, Level};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const POPULATION: u64 = 2000;
/// A population the size of a country's defections over some years: more people on the lists
/// carry more information about those on none.
const LARGE_POPULATION: u64 = 10_000;

/// Capture probabilities of the hard-to-reach class. The first set is the one the study started
/// with; below about 0.2 per list, capture–recapture data say little about the unseen.
const HARD: [f64; 6] = [0.15, 0.20, 0.12, 0.18, 0.15, 0.10];
const LESS_HARD: [f64; 6] = [0.30, 0.25, 0.35, 0.28, 0.30, 0.25];
const EASY: [f64; 6] = [0.50, 0.45, 0.55, 0.40, 0.50, 0.45];

/// The simulation of Manrique-Vallier (2016, Biometrics 72(4), section 5), the paper that
/// introduced LCMCR: 5 lists, 90% of people in a class almost never caught and 10% in a class
/// caught on most lists. The model's own home ground.
const PAPER_RARELY_CAUGHT: [f64; 5] = [0.033, 0.033, 0.099, 0.132, 0.033];
const PAPER_OFTEN_CAUGHT: [f64; 5] = [0.660, 0.825, 0.759, 0.990, 0.693];

fn paper(population: u64) -> Scenario {
    Scenario {
        name: format!(
            "5 lists, Manrique-Vallier (2016) simulation, N = {}",
            if population == LARGE_POPULATION {
                "10,000"
            } else {
                "2,000"
            }
        ),
        population,
        groups: vec![
            Group {
                share: 0.9,
                capture: PAPER_RARELY_CAUGHT.to_vec(),
            },
            Group {
                share: 0.1,
                capture: PAPER_OFTEN_CAUGHT.to_vec(),
            },
        ],
        dependences: vec![],
    }
}

fn heterogeneous(lists: usize, hard: &[f64; 6]) -> Vec<Group> {
    // Two thirds of people are hard to reach, one third easy: the classic heterogeneity that
    // biases independence models downwards.
    vec![
        Group {
            share: 2.0 / 3.0,
            capture: hard.iter().take(lists).copied().collect(),
        },
        Group {
            share: 1.0 / 3.0,
            capture: EASY.iter().take(lists).copied().collect(),
        },
    ]
}

/// Lists independent within each class: LCMCR's assumptions hold.
fn latent(name: String, lists: usize, population: u64, hard: &[f64; 6]) -> Scenario {
    Scenario {
        name,
        population,
        groups: heterogeneous(lists, hard),
        dependences: vec![],
    }
}

fn dependent(lists: usize) -> Scenario {
    Scenario {
        name: format!("{lists} lists, heterogeneous, dependent"),
        population: POPULATION,
        groups: heterogeneous(lists, &HARD),
        // List 1 refers people to list 2 (odds x3); lists 3 and 4 avoid each other (odds x0.5).
        dependences: vec![
            Dependence {
                from: 0,
                to: 1,
                odds_ratio: 3.0,
            },
            Dependence {
                from: 2,
                to: 3,
                odds_ratio: 0.5,
            },
        ],
    }
}

/// The scenarios in a fixed order: a scenario's seed is its position, so new ones go last.
fn scenarios() -> Vec<Scenario> {
    let mut all: Vec<Scenario> = (3..=6)
        .map(|lists| {
            latent(
                format!("{lists} lists, heterogeneous (latent classes)"),
                lists,
                POPULATION,
                &HARD,
            )
        })
        .collect();
    all.push(dependent(4));
    all.push(dependent(6));
    all.extend((3..=6).map(|lists| {
        latent(
            format!("{lists} lists, heterogeneous (latent classes), N = 10,000"),
            lists,
            LARGE_POPULATION,
            &HARD,
        )
    }));
    all.extend((3..=6).map(|lists| {
        latent(
            format!("{lists} lists, less hard to reach (latent classes)"),
            lists,
            POPULATION,
            &LESS_HARD,
        )
    }));
    all.push(paper(POPULATION));
    all.push(paper(LARGE_POPULATION));
    all
}

#[derive(Default)]
struct Tally {
    estimates: Vec<f64>,
    covered: usize,
    widths: Vec<f64>,
    failures: usize,
    warnings: usize,
    /// Intervals that missed the truth by lying wholly below it, or wholly above it.
    below: usize,
    above: usize,
}

impl Tally {
    /// Counts one interval: covered, or missed below or above the truth; and its width.
    fn interval(&mut self, lower: f64, upper: f64, truth: f64) {
        if upper < truth {
            self.below += 1;
        } else if lower > truth {
            self.above += 1;
        } else {
            self.covered += 1;
        }
        self.widths.push(upper - lower);
    }

    fn row(&self, scenario: &Scenario, method: &str, replicates: usize) -> String {
        let n = scenario.population as f64;
        let count = self.estimates.len().max(1) as f64;
        let mean = self.estimates.iter().sum::<f64>() / count;
        let rmse = (self.estimates.iter().map(|e| (e - n).powi(2)).sum::<f64>() / count).sqrt();
        let mut widths = self.widths.clone();
        widths.sort_by(f64::total_cmp);
        let width = widths.get(widths.len() / 2).copied().unwrap_or(f64::NAN);
        format!(
            "| {} | {method} | {:.0} | {:+.1}% | {:.1}% | {:.1}% | {:.0} | {} / {} | {} | {} |",
            scenario.name,
            mean,
            100.0 * (mean - n) / n,
            100.0 * rmse / n,
            100.0 * self.covered as f64 / replicates as f64,
            width,
            self.below,
            self.above,
            self.failures,
            self.warnings,
        )
    }
}

/// Bayesian model averaging over the decomposable graphs, with the defaults of
/// `mamar estimate --method dga`.
fn tally_dga(table: &CaptureTable, truth: f64, tally: &mut Tally) {
    match dga::estimate(table, &DgaOptions::default()) {
        Ok(estimate) => {
            tally.estimates.push(estimate.median);
            tally.interval(estimate.interval.lower, estimate.interval.upper, truth);
        }
        Err(_) => tally.failures += 1,
    }
}

fn setting(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.parse().ok()
}

/// The table in the input format of `mamar estimate` (one 0/1 column per list, then `count`),
/// for running another implementation on exactly the tables this study drew.
fn table_csv(table: &mamar_stats::CaptureTable) -> String {
    let mut csv = table.lists().join(",") + ",count\n";
    for (mask, count) in table.observed_cells() {
        for list in 0..table.list_count() {
            csv.push(if mask & (1 << list) != 0 { '1' } else { '0' });
            csv.push(',');
        }
        let _ = writeln!(csv, "{count}");
    }
    csv
}

/// MAMAR_SIM_DUMP=DIR keeps every replicate's table and this implementation's LCMCR interval, so
/// that the R package can be run on the same tables
/// (`crates/mamar-stats/scripts/lcmcr_reference.R`).
struct Dump {
    folder: PathBuf,
    intervals: String,
}

impl Dump {
    fn start(root: &Path, index: usize, scenario: &Scenario) -> Self {
        let folder = root.join(format!("scenario-{index:02}"));
        if let Err(error) = std::fs::create_dir_all(&folder) {
            Self::give_up(&folder, &error);
        }
        let about = format!("{}\ntrue total: {}\n", scenario.name, scenario.population);
        Self::write(&folder.join("scenario.txt"), &about);
        Self {
            folder,
            intervals: "replicate,median,lower,upper\n".to_owned(),
        }
    }

    fn table(&self, replicate: usize, table: &mamar_stats::CaptureTable) {
        Self::write(
            &self.folder.join(format!("table-{replicate:03}.csv")),
            &table_csv(table),
        );
    }

    fn finish(&self) {
        Self::write(&self.folder.join("mamar-lcmcr.csv"), &self.intervals);
    }

    fn write(path: &Path, text: &str) {
        if let Err(error) = std::fs::write(path, text) {
            Self::give_up(path, &error);
        }
    }

    fn give_up(path: &Path, error: &std::io::Error) -> ! {
        eprintln!("MAMAR_SIM_DUMP: cannot write {}: {error}", path.display());
        std::process::exit(1)
    }
}

/// One line of the record for an LCMCR run: its median and interval, and in the `aic`, `deviance`
/// and `df` columns R-hat, the ESS and the sweeps per chain (empty at the fixed length).
fn record_lcmcr(
    record: &mut String,
    key: &str,
    label: &str,
    ends: [f64; 3],
    diagnostics: (f64, f64, Option<usize>),
) {
    let [median, lower, upper] = ends;
    let (rhat, ess, sweeps) = diagnostics;
    let sweeps = sweeps.map(|s| s.to_string()).unwrap_or_default();
    let _ = writeln!(
        record,
        "{key},{label},{median},{lower},{upper},{rhat},{ess},{sweeps}"
    );
}

fn main() {
    let replicates: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(200);
    // The defaults of `mamar estimate --method lcmcr`: what users get, unless an investigation
    // overrides them (MAMAR_SIM_BURN_IN, MAMAR_SIM_SAMPLES, MAMAR_SIM_THIN, MAMAR_SIM_CLASSES,
    // MAMAR_SIM_CHAINS;
    // MAMAR_SIM_PLAIN_GIBBS=1 for the sampler without the moves that sum out the unseen).
    let defaults = LcmcrOptions::default();
    let lcmcr_options = LcmcrOptions {
        burn_in: setting("MAMAR_SIM_BURN_IN").unwrap_or(defaults.burn_in),
        samples: setting("MAMAR_SIM_SAMPLES").unwrap_or(defaults.samples),
        thin: setting("MAMAR_SIM_THIN").unwrap_or(defaults.thin),
        classes: setting("MAMAR_SIM_CLASSES").unwrap_or(defaults.classes),
        chains: setting("MAMAR_SIM_CHAINS").unwrap_or(defaults.chains),
        collapsed_moves: setting("MAMAR_SIM_PLAIN_GIBBS") != Some(1),
        ..defaults
    };
    // MAMAR_SIM_BOOTSTRAP=B adds the log-linear bootstrap interval (B resamples, the model
    // chosen again on each); MAMAR_SIM_SKIP_LCMCR=1 leaves LCMCR out.
    let bootstrap_replicates = setting("MAMAR_SIM_BOOTSTRAP").unwrap_or(0);
    // MAMAR_SIM_HETEROGENEITY=1 adds each heterogeneity model of Rcapture with its Wald interval.
    let run_heterogeneity = setting("MAMAR_SIM_HETEROGENEITY") == Some(1);
    // MAMAR_SIM_RECORD=FILE writes one CSV line per replicate and interval (the two-way
    // bootstrap when MAMAR_SIM_BOOTSTRAP is set, the chosen model's profile interval, each
    // heterogeneity model's, LCMCR's unless skipped; and as `pairs`, in the `total` column, the
    // chosen model's most negative two-way interaction), for trying rules that combine them
    // without re-running.
    let mut record = std::env::var_os("MAMAR_SIM_RECORD")
        .map(|_| String::from("scenario,replicate,truth,interval,total,lower,upper,aic,deviance,df\n"));
    let skip_lcmcr = setting("MAMAR_SIM_SKIP_LCMCR") == Some(1);
    // MAMAR_SIM_CONVERGE=S runs LCMCR as `mamar estimate` does, extending the chains until they
    // agree, with a budget of S sweeps per chain in place of the command's time limit (a budget
    // gives the same outcome on every machine); runs that do not converge give no total.
    let converge_budget = setting("MAMAR_SIM_CONVERGE");
    let lcmcr_on_misses = setting("MAMAR_SIM_LCMCR_ON_MISSES") == Some(1);
    let lcmcr_from = setting("MAMAR_SIM_LCMCR_FROM").unwrap_or(0);
    let lcmcr_replicates: Option<Vec<usize>> = std::env::var("MAMAR_SIM_LCMCR_REPLICATES")
        .ok()
        .map(|list| list.split(',').filter_map(|r| r.trim().parse().ok()).collect());
    // MAMAR_SIM_CRITERION=bic chooses and weighs the log-linear models by BIC instead of AIC.
    let (criterion, by) = match std::env::var("MAMAR_SIM_CRITERION").as_deref() {
        Ok("bic") => (Criterion::Bic, "BIC"),
        _ => (Criterion::Aic, "AIC"),
    };
    // dga runs on the scenarios of 3 to 5 lists; MAMAR_SIM_SKIP_DGA=1 leaves it out.
    let skip_dga = setting("MAMAR_SIM_SKIP_DGA") == Some(1);
    // MAMAR_SIM_ONLY=text keeps the scenarios whose name contains the text (several texts
    // separated by `|`: any of them; a text ending in `$` must be the whole name);
    // MAMAR_SIM_MAX_LISTS=n those of at most n lists.
    let only = std::env::var("MAMAR_SIM_ONLY").unwrap_or_default();
    let dump_root = std::env::var_os("MAMAR_SIM_DUMP").map(PathBuf::from);
    // MAMAR_SIM_SEED=s draws other tables (and other resamples and chains): scenario i's tables
    // come from seed s + i, its resamples and chains from (s - 2024) * 10^7 + i * 10^5 + replicate.
    // The default, 2024, gives the tables of every run recorded in docs/bench/mamar-stats.md.
    let base_seed = setting("MAMAR_SIM_SEED").map_or(2024, |seed| seed as u64);
    let run_seed = (base_seed.wrapping_sub(2024)).wrapping_mul(10_000_000);
    let started = Instant::now();
    println!(
        "Population N = {POPULATION} unless named; {replicates} replicates per scenario; 95% intervals.\n\
         Log-linear: AIC-selected two-way model, profile-likelihood interval. LCMCR: K = {}, {} chains x ({} burn-in + {} x {} thinned), {}.\n",
        lcmcr_options.classes,
        lcmcr_options.chains,
        lcmcr_options.burn_in,
        lcmcr_options.samples,
        lcmcr_options.thin,
        if lcmcr_options.collapsed_moves {
            "with the moves that sum out the unseen"
        } else {
            "plain Gibbs"
        }
    );
    println!(
        "| scenario | method | mean estimate | bias | RMSE | coverage | median width | missed below / above | no estimate | convergence warnings |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (index, scenario) in scenarios().iter().enumerate() {
        if !only.split('|').any(|text| match text.strip_suffix('$') {
            Some(exact) => scenario.name == exact,
            None => scenario.name.contains(text),
        }) || setting("MAMAR_SIM_MAX_LISTS").is_some_and(|most| scenario.list_count() > most)
        {
            continue;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(base_seed + index as u64);
        let (mut loglinear, mut latent) = (Tally::default(), Tally::default());
        let mut bootstrapped = Tally::default();
        let mut percentile = Tally::default();
        let mut averaged_joined = Tally::default();
        let mut averaged_percentile = Tally::default();
        let mut averaged = Tally::default();
        let mut per_model: Vec<(&'static str, Tally)> = Vec::new();
        let run_dga = !skip_dga && (dga::MIN_LISTS..=dga::MAX_LISTS).contains(&scenario.list_count());
        let truth = scenario.population as f64;
        let mut dump = dump_root
            .as_deref()
            .map(|root| Dump::start(root, index, scenario));
        for replicate in 0..replicates {
            let Ok(table) = scenario.draw(&mut rng) else {
                loglinear.failures += 1;
                latent.failures += 1;
                averaged.failures += 1;
                continue;
            };
            if run_dga {
                tally_dga(&table, truth, &mut averaged);
            }
            if let Some(dump) = &dump {
                dump.table(replicate, &table);
            }
            if run_heterogeneity {
                for fit in heterogeneity::fit_all(&table).unwrap_or_default() {
                    let position = match per_model.iter().position(|(name, _)| *name == fit.name) {
                        Some(position) => position,
                        None => {
                            per_model.push((fit.name, Tally::default()));
                            per_model.len() - 1
                        }
                    };
                    if let Some((_, tally)) = per_model.get_mut(position) {
                        tally.estimates.push(fit.total);
                        tally.interval(
                            fit.total - 1.96 * fit.stderr,
                            fit.total + 1.96 * fit.stderr,
                            truth,
                        );
                    }
                }
            }
            let mut last_bootstrap = None;
            let mut default_covers = false;
            match select(&table, criterion, Search::Auto, 1, Level::default()) {
                Ok(selection) => match selection.ranked.first() {
                    Some(best) => {
                        loglinear.estimates.push(best.estimate.total);
                        if bootstrap_replicates > 0 {
                            bootstrapped.estimates.push(best.estimate.total);
                            percentile.estimates.push(best.estimate.total);
                            let seed = run_seed + (index * 100_000 + replicate) as u64;
                            match bootstrap_average(
                                &table,
                                criterion,
                                Search::Auto,
                                bootstrap_replicates,
                                seed,
                                Level::default(),
                                2,
                            ) {
                                Ok(Some(found)) => {
                                    let chosen = &found.chosen;
                                    let (lower, upper) = (chosen.percentile_lower, chosen.percentile_upper);
                                    last_bootstrap = Some((lower, upper));
                                    percentile.interval(lower, upper, truth);
                                    let upper = chosen.upper.unwrap_or(f64::INFINITY);
                                    bootstrapped.interval(chosen.lower, upper, truth);
                                    default_covers = chosen.lower <= truth && truth <= upper;
                                    let mixed = &found.interval;
                                    averaged_joined.estimates.push(found.total);
                                    averaged_percentile.estimates.push(found.total);
                                    averaged_percentile.interval(
                                        mixed.percentile_lower,
                                        mixed.percentile_upper,
                                        truth,
                                    );
                                    let upper = mixed.upper.unwrap_or(f64::INFINITY);
                                    averaged_joined.interval(mixed.lower, upper, truth);
                                }
                                _ => {
                                    bootstrapped.failures += 1;
                                    percentile.failures += 1;
                                    averaged_joined.failures += 1;
                                    averaged_percentile.failures += 1;
                                }
                            }
                        }
                        if let Some(record) = &mut record {
                            let interval = best.interval;
                            let _ = writeln!(
                                record,
                                "{index},{replicate},{truth},profile,{},{},{},{},,",
                                best.estimate.total,
                                interval.map_or(f64::NAN, |i| i.lower),
                                interval.and_then(|i| i.upper).unwrap_or(f64::INFINITY),
                                best.estimate.aic,
                            );
                            // The chosen model's most negative two-way interaction (infinite when it
                            // keeps none below zero): the rule that joins LCMCR only where no two lists
                            // avoid each other reads it (scripts/interval_rules.py).
                            let avoidance = best
                                .estimate
                                .two_way_interactions()
                                .iter()
                                .map(|&(_, value)| value)
                                .filter(|value| *value < 0.0)
                                .fold(f64::INFINITY, f64::min);
                            let _ = writeln!(record, "{index},{replicate},{truth},pairs,{avoidance},,,,,");
                            if let Some((lower, upper)) = last_bootstrap {
                                let _ = writeln!(
                                    record,
                                    "{index},{replicate},{truth},bootstrap,{},{lower},{upper},,,",
                                    best.estimate.total
                                );
                            }
                            for fit in heterogeneity::fit_all(&table).unwrap_or_default() {
                                let _ = writeln!(
                                    record,
                                    "{index},{replicate},{truth},{},{},{},{},{},{},{}",
                                    fit.name,
                                    fit.total,
                                    fit.total - 1.96 * fit.stderr,
                                    fit.total + 1.96 * fit.stderr,
                                    fit.aic,
                                    fit.deviance,
                                    fit.df
                                );
                            }
                        }
                        if let Some(interval) = best.interval {
                            let upper = interval.upper.unwrap_or(f64::INFINITY);
                            loglinear.interval(interval.lower, upper, truth);
                        }
                    }
                    None => loglinear.failures += 1,
                },
                Err(_) => loglinear.failures += 1,
            }
            // MAMAR_SIM_LCMCR_ON_MISSES=1 (with MAMAR_SIM_BOOTSTRAP) runs LCMCR only where the
            // default's interval misses the truth: the union of the two covers wherever the
            // default does, so its coverage needs LCMCR on the misses alone (its width does not).
            // MAMAR_SIM_LCMCR_FROM=r skips LCMCR before replicate r (the tables are the same), to
            // carry on a run that was stopped. MAMAR_SIM_LCMCR_REPLICATES=r1,r2,... runs it on
            // those replicates only (with the bootstrap off, the tables are still the same).
            let chosen_replicate = lcmcr_replicates
                .as_ref()
                .is_none_or(|only| only.contains(&replicate));
            if skip_lcmcr
                || (lcmcr_on_misses && default_covers)
                || replicate < lcmcr_from
                || !chosen_replicate
            {
                continue;
            }
            let options = LcmcrOptions {
                seed: run_seed + (index * 100_000 + replicate) as u64,
                ..lcmcr_options.clone()
            };
            let key = format!("{index},{replicate},{truth}");
            if let Some(budget) = converge_budget {
                // As `mamar estimate` runs LCMCR: rounds until split R-hat <= 1.01 and bulk ESS
                // >= 400, or the budget of sweeps per chain (the command's own limit is time).
                let mut keep_going = |progress: &lcmcr::Progress| progress.sweeps < budget;
                match lcmcr::estimate_until_converged(&table, &options, &mut keep_going) {
                    Ok(lcmcr::Converged::Yes(estimate)) => {
                        if let Some(record) = &mut record {
                            let interval = &estimate.interval;
                            let ends = [estimate.median, interval.lower, interval.upper];
                            let diagnostics = (estimate.rhat, estimate.ess, Some(estimate.sweeps));
                            record_lcmcr(record, &key, "lcmcr", ends, diagnostics);
                        }
                        latent.estimates.push(estimate.median);
                        latent.interval(estimate.interval.lower, estimate.interval.upper, truth);
                    }
                    Ok(lcmcr::Converged::No { progress, draws, .. }) => {
                        // No total for users; the pooled second half of the draws is recorded
                        // (as `lcmcr-unconverged`) so that rules can be scored either way.
                        let mut pooled: Vec<f64> = draws
                            .iter()
                            .flat_map(|chain| chain.get(chain.len() / 2..).unwrap_or_default())
                            .map(|&n| n as f64)
                            .collect();
                        pooled.sort_by(f64::total_cmp);
                        let at = |q: f64| {
                            pooled
                                .get(((pooled.len() as f64 - 1.0) * q).round() as usize)
                                .copied()
                        };
                        if let (Some(median), Some(lower), Some(upper), Some(record)) =
                            (at(0.5), at(0.025), at(0.975), &mut record)
                        {
                            let diagnostics = (progress.rhat, progress.ess, Some(progress.sweeps));
                            record_lcmcr(
                                record,
                                &key,
                                "lcmcr-unconverged",
                                [median, lower, upper],
                                diagnostics,
                            );
                        }
                        latent.warnings += 1;
                        latent.failures += 1;
                    }
                    Err(_) => latent.failures += 1,
                }
                // Long runs: keep what is done so far, so that a stopped run can be read.
                if let (Some(record), Some(path)) = (&record, std::env::var_os("MAMAR_SIM_RECORD")) {
                    Dump::write(Path::new(&path), record);
                }
                continue;
            }
            match lcmcr::estimate(&table, &options) {
                Ok(estimate) => {
                    if let Some(dump) = &mut dump {
                        let interval = &estimate.interval;
                        let _ = writeln!(
                            dump.intervals,
                            "{replicate},{},{},{}",
                            estimate.median, interval.lower, interval.upper
                        );
                    }
                    if let Some(record) = &mut record {
                        let interval = &estimate.interval;
                        let ends = [estimate.median, interval.lower, interval.upper];
                        record_lcmcr(record, &key, "lcmcr", ends, (estimate.rhat, estimate.ess, None));
                    }
                    latent.estimates.push(estimate.median);
                    latent.interval(estimate.interval.lower, estimate.interval.upper, truth);
                    let wanted_ess = lcmcr::ESS_PER_CHAIN_WARNING * options.chains as f64;
                    if estimate.rhat > lcmcr::RHAT_WARNING || estimate.ess < wanted_ess {
                        latent.warnings += 1;
                    }
                }
                Err(_) => latent.failures += 1,
            }
        }
        if let Some(dump) = &dump {
            dump.finish();
        }
        // Written after every scenario, so that a long run can be read before it ends.
        if let (Some(record), Some(path)) = (&record, std::env::var_os("MAMAR_SIM_RECORD")) {
            Dump::write(Path::new(&path), record);
        }
        println!(
            "{}",
            loglinear.row(scenario, &format!("log-linear ({by})"), replicates)
        );
        if bootstrap_replicates > 0 {
            let method = format!(
                "log-linear ({by}), bootstrap of the choice joined with the profile interval ({bootstrap_replicates})"
            );
            println!("{}", bootstrapped.row(scenario, &method, replicates));
            let method =
                format!("log-linear ({by}), bootstrap percentile interval alone ({bootstrap_replicates})");
            println!("{}", percentile.row(scenario, &method, replicates));
            let method = format!(
                "log-linear, {by}-weighted average, bootstrap joined with the profile interval ({bootstrap_replicates})"
            );
            println!("{}", averaged_joined.row(scenario, &method, replicates));
            let method = format!(
                "log-linear, {by}-weighted average, bootstrap percentile interval alone ({bootstrap_replicates})"
            );
            println!("{}", averaged_percentile.row(scenario, &method, replicates));
        }
        for (name, tally) in &per_model {
            println!(
                "{}",
                tally.row(scenario, &format!("{name}, Wald interval"), replicates)
            );
        }
        if !skip_lcmcr {
            println!("{}", latent.row(scenario, "LCMCR", replicates));
        }
        if run_dga {
            println!("{}", averaged.row(scenario, "dga (model averaging)", replicates));
        }
    }
    println!(
        "\nLCMCR's assumptions hold in the latent-class scenarios (lists independent within each class); \
         the dependent scenarios break them.\nElapsed: {:.0} s.",
        started.elapsed().as_secs_f64()
    );
}
