//! `mamar clk total`: the total across organisations. Each partner encodes its own list with
//! `mamar clk encode --strata …` under the secret they share and sends the file of encodings
//! (no name leaves the organisation); whoever holds the files runs this command. The matching,
//! the overlap counts per stratum and the estimates are `mamar_registry::across`; this module
//! reads the files and prints.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use mamar_registry::across::{
    ASSUMPTIONS, DEFAULT_REPLICATES, DEFAULT_THRESHOLD, StratumTotal, TotalOptions, TotalReport,
    estimate_total,
};
use mamar_stats::Level;
use serde_json::json;

use super::clk::read_encoded_list;
use super::link::io;

/// The exit status when the report is printed but some stratum has no estimate.
const NO_ESTIMATE_STATUS: u8 = 2;

const TOTAL_ABOUT: &str = "\
Estimate how many people there are in all, across organisations, from the files of encodings \
each partner made with `mamar clk encode` (the same secret and options for all; with --strata, \
the same stratum columns). No name travels: only the keyed encodings and the strata.

The encodings are matched across the files (Dice coefficient at or above --threshold; each file \
is taken to hold each person once), each person found is counted on the combination of lists \
they are on, per stratum, and a Poisson log-linear model with two-way interactions, chosen by \
AIC, estimates the people no list has. The documented number (people on at least one list, a \
lower bound) is always shown apart from the estimated total and its interval, with the model \
and its assumptions.

Exit status: 0 when every stratum has an estimate; 2 when the report is printed but some stratum \
has none; 1 for bad input or options.";

#[derive(clap::Args)]
#[command(long_about = TOTAL_ABOUT)]
pub struct TotalArgs {
    /// The partners' files of encodings (two or more).
    #[arg(required = true, num_args = 2..)]
    files: Vec<PathBuf>,
    /// The stratum columns to count by (each file must have them), e.g. `rank_class`.
    #[arg(long, value_delimiter = ',')]
    strata: Vec<String>,
    /// Names of the lists in the report, comma-separated (default: the file names).
    #[arg(long, value_delimiter = ',')]
    names: Vec<String>,
    /// Dice coefficient at or above which two encodings are the same person.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Coverage of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Resamples of the people seen for the interval that allows for the choice of model (0:
    /// the chosen model's profile-likelihood interval only).
    #[arg(long, default_value_t = DEFAULT_REPLICATES)]
    bootstrap: usize,
    /// Random seed of the resamples; the same seed gives the same interval.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output: a readable table, or JSON for programs.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Worker threads (default: the number of processors).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

pub fn run(args: TotalArgs) -> anyhow::Result<ExitCode> {
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        bail!(
            "--threshold must lie strictly between 0 and 1 (got {})",
            args.threshold
        );
    }
    if args.bootstrap != 0 && args.bootstrap < 50 {
        bail!(
            "--bootstrap needs at least 50 resamples (or 0 for none); got {}",
            args.bootstrap
        );
    }
    let level = Level::new(args.level)?;
    let names = io::list_names(&args.files, &args.names)?;
    let lists = args
        .files
        .iter()
        .zip(&names)
        .map(|(path, name)| read_encoded_list(path, name))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let options = TotalOptions {
        threshold: args.threshold,
        strata: args.strata.clone(),
        level,
        replicates: args.bootstrap,
        seed: args.seed,
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1),
    };
    let report = estimate_total(&lists, &options)?;
    print!(
        "{}",
        match args.format {
            Format::Table => render_table(&report, &options),
            Format::Json => serde_json::to_string_pretty(&render_json(&report, &options))? + "\n",
        }
    );
    Ok(if report.strata.iter().all(|s| s.estimate.is_ok()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NO_ESTIMATE_STATUS)
    })
}

/// The stratum as the report names it: `rank_class=officer`, `(not recorded)` for an empty
/// value, `(all strata pooled)`, or `(all)` without strata.
fn stratum_name(report: &TotalReport, line: &StratumTotal) -> String {
    if line.pooled {
        return "(all strata pooled)".to_owned();
    }
    if report.strata_columns.is_empty() {
        return "(all)".to_owned();
    }
    report
        .strata_columns
        .iter()
        .zip(&line.stratum)
        .map(|(column, value)| {
            let value = if value.is_empty() { "(not recorded)" } else { value };
            format!("{column}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn method_text(options: &TotalOptions) -> String {
    let interval = if options.replicates == 0 {
        "the chosen model's profile-likelihood interval (it does not allow for the choice of model)"
            .to_owned()
    } else {
        format!(
            "a percentile bootstrap of {} resamples of the people seen, choosing the model again on each \
             (seed {})",
            options.replicates, options.seed
        )
    };
    format!(
        "Poisson log-linear models with two-way interactions between lists, the model chosen by AIC; \
         the interval is {interval}."
    )
}

fn render_table(report: &TotalReport, options: &TotalOptions) -> String {
    let mut out = String::new();
    let lists: Vec<String> = report
        .lists
        .iter()
        .zip(&report.sizes)
        .map(|(name, size)| format!("{name} ({size} encodings)"))
        .collect();
    let _ = writeln!(out, "Lists: {}", lists.join(", "));
    let _ = writeln!(
        out,
        "Matched at Dice >= {}: {} pairs of records joined ({} comparisons).",
        report.threshold, report.matched_pairs, report.comparisons
    );
    let _ = writeln!(out);
    let width = report
        .strata
        .iter()
        .map(|line| stratum_name(report, line).chars().count())
        .max()
        .unwrap_or(0)
        .max("stratum".len());
    let level = format!("{:.0}% interval", report.level * 100.0);
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>15}  {:>21}  model",
        "stratum", "documented", "estimated total", level
    );
    for line in &report.strata {
        let name = stratum_name(report, line);
        match &line.estimate {
            Ok(estimate) => {
                let (lower, upper) = estimate.interval();
                let upper = upper.map_or_else(|| "no upper limit".to_owned(), |u| format!("{u:.0}"));
                let _ = writeln!(
                    out,
                    "{name:<width$}  {:>10}  {:>15.0}  {:>21}  {}",
                    line.documented,
                    estimate.total,
                    format!("{lower:.0} – {upper}"),
                    estimate.model
                );
            }
            Err(reason) => {
                let _ = writeln!(
                    out,
                    "{name:<width$}  {:>10}  {:>15}  {:>21}  no estimate: {reason}",
                    line.documented, "—", "—"
                );
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "The documented number is counted: the people on at least one list, a lower bound. The \
         estimated total is a model's, with its interval; it is not a count."
    );
    let _ = writeln!(out, "Method: {}", method_text(options));
    let _ = writeln!(out, "Assumptions:");
    for assumption in ASSUMPTIONS {
        let _ = writeln!(out, "  - {assumption}");
    }
    out
}

fn render_json(report: &TotalReport, options: &TotalOptions) -> serde_json::Value {
    let strata: Vec<serde_json::Value> = report
        .strata
        .iter()
        .map(|line| {
            let cells: Vec<serde_json::Value> = line
                .cells
                .iter()
                .map(|(pattern, count)| {
                    let lists: Vec<&str> = report
                        .lists
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| pattern & (1 << i) != 0)
                        .map(|(_, name)| name.as_str())
                        .collect();
                    json!({ "lists": lists, "count": count })
                })
                .collect();
            let stratum: serde_json::Map<String, serde_json::Value> = report
                .strata_columns
                .iter()
                .zip(&line.stratum)
                .map(|(c, v)| (c.clone(), json!(v)))
                .collect();
            let estimate = match &line.estimate {
                Ok(estimate) => {
                    let (lower, upper) = estimate.interval();
                    json!({
                        "model": estimate.model,
                        "total": estimate.total,
                        "unseen": estimate.unseen,
                        "lower": lower,
                        "upper": upper,
                        "profile_interval": estimate.profile,
                        "bootstrap_interval": estimate.bootstrap,
                    })
                }
                Err(reason) => json!({ "problem": reason }),
            };
            json!({
                "stratum": stratum,
                "pooled": line.pooled,
                "documented": line.documented,
                "overlaps": cells,
                "estimate": estimate,
            })
        })
        .collect();
    json!({
        "lists": report.lists,
        "encodings": report.sizes,
        "strata_columns": report.strata_columns,
        "threshold": report.threshold,
        "level": report.level,
        "matched_pairs": report.matched_pairs,
        "method": method_text(options),
        "assumptions": ASSUMPTIONS,
        "strata": strata,
    })
}
