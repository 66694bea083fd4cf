//! `mamar estimate`: multiple systems estimation from a CSV of list overlaps.
//!
//! Input: one 0/1 column per list, optional stratum columns (named with `--strata`), and a
//! `count` column: how many people were seen on exactly that combination of lists. This is
//! the format of `shared/data/mse/uk-nrm-2013.csv` and of the overlap counts of `mamar link`.
//! The estimation itself is `mamar-stats`; this module reads, checks and shows.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use mamar_stats::lcmcr::{self, LcmcrEstimate, LcmcrOptions};
use mamar_stats::loglinear::{self, BootstrapInterval, Criterion, Estimate, Model, Search, Selection};
use mamar_stats::{CaptureTable, Level, TableBuilder};
use serde::Serialize;

/// Fewer resamples than this give percentile intervals whose ends are mostly noise.
const MIN_BOOTSTRAP: usize = 50;
const MAX_BOOTSTRAP: usize = 100_000;

const FORMAT_HELP: &str = "\
Input: FILE is a CSV with a header. Every column is a list (values 0 or 1: was this group of people on \
that list?), except the count column (default `count`: how many people had exactly that \
combination) and the stratum columns named with --strata (each distinct combination of their \
values is estimated separately). A pattern may appear once per stratum; the all-zero pattern \
cannot be observed; patterns left out count as zero. Use - to read standard input.

The documented number (people on at least one list) and the estimates are always shown apart.";

#[derive(clap::Args)]
#[command(after_long_help = FORMAT_HELP)]
pub struct EstimateArgs {
    /// The CSV of overlap counts (- for standard input).
    file: PathBuf,
    /// The estimator.
    #[arg(long, value_enum, default_value = "loglinear")]
    method: Method,
    /// Output: a readable table, or JSON or CSV for programs.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Columns that split the table into strata, e.g. `year,rank_class`.
    #[arg(long, value_delimiter = ',')]
    strata: Vec<String>,
    /// The column holding the number of people with each pattern.
    #[arg(long, default_value = "count")]
    count_column: String,
    /// Coverage of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,

    /// Log-linear: fit this model instead of searching, e.g. `LA:NG,PF:GO` or `independence`.
    #[arg(long, help_heading = "Log-linear")]
    model: Option<String>,
    /// Log-linear: the criterion that ranks models.
    #[arg(long, value_enum, default_value = "aic", help_heading = "Log-linear")]
    criterion: CriterionArg,
    /// Log-linear: how to search the two-way-interaction models (auto: exhaustive up to 6 lists).
    #[arg(long, value_enum, default_value = "auto", help_heading = "Log-linear")]
    search: SearchArg,
    /// Log-linear: also give an interval that allows for the choice of model: resample the
    /// people seen this many times (at least 50; 200 is usual) and choose the model again on each.
    #[arg(long, default_value_t = 0, help_heading = "Log-linear")]
    bootstrap: usize,
    /// Log-linear: how many of the best models to report side by side.
    #[arg(long, default_value_t = 5, help_heading = "Log-linear")]
    top: usize,

    /// LCMCR: number of chains (run in parallel).
    #[arg(long, default_value_t = 4, help_heading = "LCMCR")]
    chains: usize,
    /// LCMCR: sweeps discarded at the start of each chain.
    #[arg(long, default_value_t = 10_000, help_heading = "LCMCR")]
    burn_in: usize,
    /// LCMCR: draws kept per chain.
    #[arg(long, default_value_t = 1_000, help_heading = "LCMCR")]
    samples: usize,
    /// LCMCR: keep one sweep in this many.
    #[arg(long, default_value_t = 10, help_heading = "LCMCR")]
    thin: usize,
    /// LCMCR: the most latent classes (truncation of the stick-breaking prior).
    #[arg(long, default_value_t = 10, help_heading = "LCMCR")]
    classes: usize,
    /// Random seed of the LCMCR chains and the bootstrap resamples; the same seed gives the
    /// same result.
    #[arg(long, default_value_t = 1, help_heading = "LCMCR")]
    seed: u64,
    /// LCMCR: the plain Gibbs sampler of Manrique-Vallier (2016) and the R package, without the
    /// moves that sum out the unseen (same posterior, slower mixing; for comparison).
    #[arg(long, help_heading = "LCMCR")]
    plain_gibbs: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum Method {
    Loglinear,
    Lcmcr,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CriterionArg {
    Aic,
    Bic,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SearchArg {
    Auto,
    Exhaustive,
    Stepwise,
}

/// One stratum's table and its values of the stratum columns.
struct Stratum {
    values: Vec<String>,
    table: CaptureTable,
}

/// What was read from the file.
struct Input {
    lists: Vec<String>,
    strata_columns: Vec<String>,
    strata: Vec<Stratum>,
}

/// The outcome for one stratum: an estimate, or the reason there is none.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Outcome {
    Model(Estimate),
    Selection(SelectionReport),
    Lcmcr(LcmcrEstimate),
    NoEstimate { reason: String },
}

#[derive(Serialize)]
struct SelectionReport {
    #[serde(flatten)]
    selection: Selection,
    /// The interval that allows for the choice of model, when asked for (`--bootstrap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    bootstrap: Option<BootstrapOutcome>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum BootstrapOutcome {
    Interval(BootstrapInterval),
    NoInterval { problem: String },
}

#[derive(Serialize)]
struct StratumReport {
    /// Stratum column -> value; empty without strata; `"(all strata pooled)"` for the pooled row.
    stratum: Vec<(String, String)>,
    /// People on at least one list: counted, not estimated.
    documented: u64,
    #[serde(flatten)]
    outcome: Outcome,
}

#[derive(Serialize)]
struct Report {
    file: String,
    method: Method,
    lists: Vec<String>,
    strata_columns: Vec<String>,
    strata: Vec<StratumReport>,
}

pub fn run(args: EstimateArgs) -> anyhow::Result<ExitCode> {
    let level = Level::new(args.level)?;
    let name = args.file.display().to_string();
    let text = if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {name}"))?
    };
    let input = parse(&text, &args.strata, &args.count_column).with_context(|| name.clone())?;
    if args.bootstrap > 0 && (args.bootstrap < MIN_BOOTSTRAP || args.bootstrap > MAX_BOOTSTRAP) {
        bail!("--bootstrap must be 0 (none) or between {MIN_BOOTSTRAP} and {MAX_BOOTSTRAP} resamples");
    }
    if args.bootstrap > 0 && (args.model.is_some() || args.method != Method::Loglinear) {
        bail!(
            "--bootstrap chooses the log-linear model again on each resample: use it without --model and --method lcmcr"
        );
    }
    if let Some(spec) = &args.model {
        // Check the model once, up front, so a typo is one clear error.
        Model::parse(spec, &input.lists).with_context(|| format!("--model {spec:?}"))?;
    }

    let mut strata = Vec::new();
    for stratum in &input.strata {
        strata.push(StratumReport {
            stratum: input
                .strata_columns
                .iter()
                .cloned()
                .zip(stratum.values.iter().cloned())
                .collect(),
            documented: stratum.table.observed_total(),
            outcome: estimate(&stratum.table, &args, level)?,
        });
    }
    if input.strata.len() > 1 {
        let pooled = pool(&input)?;
        strata.push(StratumReport {
            stratum: vec![("stratum".into(), "(all strata pooled)".into())],
            documented: pooled.observed_total(),
            outcome: estimate(&pooled, &args, level)?,
        });
    }
    let report = Report {
        file: name,
        method: args.method,
        lists: input.lists,
        strata_columns: input.strata_columns,
        strata,
    };
    let output = match args.format {
        Format::Table => render_table(&report, level),
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Csv => render_csv(&report)?,
    };
    print!("{output}");
    Ok(ExitCode::SUCCESS)
}

fn estimate(table: &CaptureTable, args: &EstimateArgs, level: Level) -> anyhow::Result<Outcome> {
    let no_estimate = |reason: String| Outcome::NoEstimate { reason };
    Ok(match args.method {
        Method::Loglinear => match &args.model {
            Some(spec) => {
                let model = Model::parse(spec, table.lists())?;
                loglinear::estimate(table, &model, level)
                    .map_or_else(|e| no_estimate(e.to_string()), Outcome::Model)
            }
            None => {
                let criterion = match args.criterion {
                    CriterionArg::Aic => Criterion::Aic,
                    CriterionArg::Bic => Criterion::Bic,
                };
                let search = match args.search {
                    SearchArg::Auto => Search::Auto,
                    SearchArg::Exhaustive => Search::Exhaustive,
                    SearchArg::Stepwise => Search::Stepwise,
                };
                match loglinear::select(table, criterion, search, args.top, level) {
                    Err(error) => no_estimate(error.to_string()),
                    Ok(selection) => {
                        let bootstrap = (args.bootstrap > 0).then(|| {
                            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                            match loglinear::bootstrap_selection(
                                table,
                                criterion,
                                search,
                                args.bootstrap,
                                args.seed,
                                level,
                                threads,
                            ) {
                                Ok(Some(interval)) => BootstrapOutcome::Interval(interval),
                                Ok(None) => BootstrapOutcome::NoInterval {
                                    problem:
                                        "fewer than half the resamples had a model with a finite estimate"
                                            .into(),
                                },
                                Err(error) => BootstrapOutcome::NoInterval {
                                    problem: error.to_string(),
                                },
                            }
                        });
                        Outcome::Selection(SelectionReport { selection, bootstrap })
                    }
                }
            }
        },
        Method::Lcmcr => {
            let options = LcmcrOptions {
                classes: args.classes,
                chains: args.chains,
                burn_in: args.burn_in,
                samples: args.samples,
                thin: args.thin,
                seed: args.seed,
                level,
                collapsed_moves: !args.plain_gibbs,
                ..LcmcrOptions::default()
            };
            match lcmcr::estimate(table, &options) {
                Ok(estimate) => Outcome::Lcmcr(estimate),
                // Bad options are the user's to fix, not a property of this stratum.
                Err(error @ lcmcr::LcmcrError::InvalidOptions(_)) => bail!(error),
                Err(error) => no_estimate(error.to_string()),
            }
        }
    })
}

/// Reads and checks the CSV. Line numbers in errors are the file's (the header is line 1).
fn parse(text: &str, strata: &[String], count_column: &str) -> anyhow::Result<Input> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .context("cannot read the header line")?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(String::is_empty) {
        bail!("the file is empty: expected a header line naming the lists and `{count_column}`");
    }
    let find = |name: &str| header.iter().position(|column| column == name);
    let count_at = find(count_column).with_context(|| {
        format!(
            "line 1: no `{count_column}` column (the columns are: {})",
            header.join(", ")
        )
    })?;
    let mut strata_at = Vec::new();
    for name in strata {
        let at = find(name).with_context(|| format!("line 1: no stratum column `{name}` in the header"))?;
        if at == count_at {
            bail!("line 1: `{name}` is the count column and cannot also be a stratum");
        }
        strata_at.push(at);
    }
    let list_at: Vec<usize> = (0..header.len())
        .filter(|at| *at != count_at && !strata_at.contains(at))
        .collect();
    let lists: Vec<String> = list_at.iter().filter_map(|&at| header.get(at).cloned()).collect();
    // Surfaces "fewer than two lists", blank and repeated names before any data line.
    CaptureTable::builder(lists.iter().cloned()).context("line 1")?;

    let mut keys: HashMap<Vec<String>, usize> = HashMap::new();
    let mut builders: Vec<(Vec<String>, TableBuilder)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| match error.position() {
            Some(position) => anyhow::anyhow!("line {}: {}", position.line(), csv_problem(&error)),
            None => anyhow::anyhow!("{error}"),
        })?;
        let line = record.position().map_or(0, |position| position.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |at: usize| record.get(at).unwrap_or("");
        let mut pattern = Vec::with_capacity(list_at.len());
        for (&at, name) in list_at.iter().zip(&lists) {
            pattern.push(match field(at) {
                "0" => false,
                "1" => true,
                other => bail!("line {line}, column {name}: expected 0 or 1, found {other:?}"),
            });
        }
        let count = parse_count(field(count_at))
            .map_err(|why| anyhow::anyhow!("line {line}, column {count_column}: {why}"))?;
        let key: Vec<String> = strata_at.iter().map(|&at| field(at).to_string()).collect();
        let index = match keys.get(&key) {
            Some(&index) => index,
            None => {
                keys.insert(key.clone(), builders.len());
                builders.push((key, CaptureTable::builder(lists.iter().cloned())?));
                builders.len() - 1
            }
        };
        if let Some((_, builder)) = builders.get_mut(index) {
            builder.add(line, &pattern, count)?;
        }
    }
    if builders.is_empty() {
        bail!("no data lines after the header");
    }
    let tables = builders
        .into_iter()
        .map(|(values, builder)| {
            let table = builder.finish().with_context(|| {
                if values.is_empty() {
                    String::new()
                } else {
                    format!("stratum {}", values.join(", "))
                }
            })?;
            Ok(Stratum { values, table })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Input {
        lists,
        strata_columns: strata.to_vec(),
        strata: tables,
    })
}

fn csv_problem(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields as in the header, found {len}"),
        _ => error.to_string(),
    }
}

fn parse_count(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("the count is missing".into());
    }
    if let Ok(count) = text.parse::<u64>() {
        return Ok(count);
    }
    match text.parse::<f64>() {
        Ok(value) if value < 0.0 => Err(format!("a count cannot be negative, found {text:?}")),
        Ok(value) if value.fract() != 0.0 => Err(format!("a count must be a whole number, found {text:?}")),
        Ok(_) => Err(format!("the count {text:?} is too large")),
        Err(_) => Err(format!("expected a whole number, found {text:?}")),
    }
}

/// All strata added together, for the pooled row.
fn pool(input: &Input) -> anyhow::Result<CaptureTable> {
    let k = input.lists.len();
    let mut cells: Vec<(u32, u64)> = (1u32..(1 << k)).map(|mask| (mask, 0)).collect();
    for stratum in &input.strata {
        for (cell, (mask, count)) in cells.iter_mut().zip(stratum.table.observed_cells()) {
            debug_assert_eq!(cell.0, mask);
            cell.1 = cell.1.checked_add(count).context("the pooled counts overflow")?;
        }
    }
    Ok(CaptureTable::from_masks(input.lists.iter().cloned(), &cells)?)
}

fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "∞".into();
    }
    let digits = format!("{:.0}", value.round());
    let (sign, digits) = digits
        .strip_prefix('-')
        .map_or(("", digits.as_str()), |rest| ("-", rest));
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}")
}

fn interval_text(lower: f64, upper: Option<f64>) -> String {
    match upper {
        Some(upper) => format!("{} – {}", thousands(lower), thousands(upper)),
        None => format!("{} – no upper limit", thousands(lower)),
    }
}

fn stratum_title(report: &StratumReport) -> String {
    report
        .stratum
        .iter()
        .map(|(column, value)| {
            if column == "stratum" {
                value.clone()
            } else {
                format!("{column} = {value}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_table(report: &Report, level: Level) -> String {
    let mut out = String::new();
    let percent = level.value() * 100.0;
    let _ = writeln!(out, "{} lists: {}", report.lists.len(), report.lists.join(", "));
    for stratum in &report.strata {
        let title = stratum_title(stratum);
        if !title.is_empty() {
            let _ = writeln!(out, "\n== {title} ==");
        }
        let _ = writeln!(
            out,
            "\nDocumented (on at least one list, counted): {}",
            thousands(stratum.documented as f64)
        );
        match &stratum.outcome {
            Outcome::NoEstimate { reason } => {
                let _ = writeln!(out, "Estimated: no estimate — {reason}");
            }
            Outcome::Model(estimate) => {
                let fit = &estimate.fit;
                let _ = writeln!(
                    out,
                    "Estimated with the log-linear model {} (AIC {:.2}, BIC {:.2}):\n  unseen {}\n  total  {}  ({percent:.0}% profile-likelihood interval {})",
                    fit.name,
                    fit.aic,
                    fit.bic,
                    thousands(fit.unseen),
                    thousands(fit.total),
                    interval_text(estimate.interval.lower, estimate.interval.upper)
                );
            }
            Outcome::Selection(report) => render_selection(&mut out, report, percent),
            Outcome::Lcmcr(estimate) => render_lcmcr(&mut out, estimate, percent),
        }
    }
    out
}

fn render_selection(out: &mut String, report: &SelectionReport, percent: f64) {
    let selection = &report.selection;
    let criterion = match selection.criterion {
        Criterion::Aic => "AIC",
        Criterion::Bic => "BIC",
    };
    let search = match selection.search {
        loglinear::SearchUsed::Exhaustive => "exhaustive",
        loglinear::SearchUsed::Stepwise => "stepwise",
    };
    let _ = writeln!(
        out,
        "Estimated with log-linear models ranked by {criterion} ({search} search over two-way interactions: \
         {} models with an estimate, {} not identifiable or running to infinity):",
        selection.models_estimable, selection.models_unestimable
    );
    let _ = writeln!(
        out,
        "  {:>4}  {:>9}  {:>6}  {:>6}  {:>9}  {:>9}  {:<30}  model",
        "rank",
        criterion,
        "Δ",
        "weight",
        "unseen",
        "total",
        format!("{percent:.0}% interval")
    );
    for (index, ranked) in selection.ranked.iter().enumerate() {
        let fit = &ranked.estimate;
        let value = match selection.criterion {
            Criterion::Aic => fit.aic,
            Criterion::Bic => fit.bic,
        };
        let interval = match (&ranked.interval, &ranked.interval_problem) {
            (Some(interval), _) => interval_text(interval.lower, interval.upper),
            (None, Some(problem)) => format!("none: {problem}"),
            (None, None) => "none".into(),
        };
        let _ = writeln!(
            out,
            "  {:>4}  {value:>9.2}  {:>6.2}  {:>6.3}  {:>9}  {:>9}  {interval:<30}  {}",
            index + 1,
            ranked.delta,
            ranked.weight,
            thousands(fit.unseen),
            thousands(fit.total),
            fit.name
        );
    }
    if let Some(best) = selection.ranked.first() {
        let interval = best
            .interval
            .map_or_else(|| "none".into(), |i| interval_text(i.lower, i.upper));
        let _ = writeln!(
            out,
            "Chosen: {}\n  unseen {}\n  total  {}  ({percent:.0}% profile-likelihood interval {interval})",
            best.estimate.name,
            thousands(best.estimate.unseen),
            thousands(best.estimate.total),
        );
        match &report.bootstrap {
            None => {
                let _ = writeln!(
                    out,
                    "  That interval assumes the chosen model is right; --bootstrap 200 gives one that allows for the choice."
                );
            }
            Some(BootstrapOutcome::Interval(interval)) => {
                let left_out = if interval.without_estimate > 0 {
                    format!("; {} without an estimate, left out", interval.without_estimate)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "  {percent:.0}% bootstrap interval allowing for the choice of model: {} \
                     ({} resamples of the people seen, the model chosen again on each, seed {}{left_out})",
                    interval_text(interval.lower, Some(interval.upper)),
                    interval.replicates,
                    interval.seed,
                );
            }
            Some(BootstrapOutcome::NoInterval { problem }) => {
                let _ = writeln!(out, "  no bootstrap interval: {problem}");
            }
        }
    }
}

fn render_lcmcr(out: &mut String, estimate: &LcmcrEstimate, percent: f64) {
    let options = &estimate.options;
    let _ = writeln!(
        out,
        "Estimated with LCMCR (K = {}, {} chains x {} draws, burn-in {}, thinning {}, seed {}{}):\n  \
         unseen {} (posterior median)\n  total  {} (posterior median; {percent:.0}% credible interval {})\n  \
         R-hat {:.3}, effective sample size {:.0}",
        options.classes,
        options.chains,
        options.samples,
        options.burn_in,
        options.thin,
        options.seed,
        if options.collapsed_moves {
            ""
        } else {
            ", plain Gibbs"
        },
        thousands(estimate.unseen_median),
        thousands(estimate.median),
        interval_text(estimate.interval.lower, Some(estimate.interval.upper)),
        estimate.rhat,
        estimate.ess
    );
    for warning in &estimate.warnings {
        let _ = writeln!(out, "  WARNING: {warning}");
    }
}

/// One row per stratum and reported model; documented and estimated numbers in their own
/// columns.
fn render_csv(report: &Report) -> anyhow::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = if report.strata_columns.is_empty() {
        Vec::new()
    } else {
        report.strata_columns.clone()
    };
    header.extend(
        [
            "documented",
            "method",
            "rank",
            "model",
            "criterion",
            "delta",
            "unseen",
            "total",
            "lower",
            "upper",
            "level",
            "rhat",
            "ess",
            "note",
        ]
        .map(String::from),
    );
    writer.write_record(&header)?;
    let number = |value: f64| {
        if value.is_finite() {
            format!("{value:.6}")
        } else {
            String::new()
        }
    };
    for stratum in &report.strata {
        let mut prefix: Vec<String> = if stratum.stratum.first().map(|(c, _)| c.as_str()) == Some("stratum") {
            // The pooled row: every stratum column reads "(all)".
            vec!["(all)".to_string(); report.strata_columns.len()]
        } else {
            stratum.stratum.iter().map(|(_, v)| v.clone()).collect()
        };
        prefix.push(stratum.documented.to_string());
        let mut rows: Vec<Vec<String>> = Vec::new();
        match &stratum.outcome {
            Outcome::NoEstimate { reason } => {
                // Every estimate column empty; the reason in the note column.
                let mut row = vec![String::new(); 12];
                row.push(format!("no estimate: {reason}"));
                rows.push(row);
            }
            Outcome::Model(estimate) => rows.push(vec![
                "loglinear".into(),
                "1".into(),
                estimate.fit.name.clone(),
                number(estimate.fit.aic),
                "".into(),
                number(estimate.fit.unseen),
                number(estimate.fit.total),
                number(estimate.interval.lower),
                estimate.interval.upper.map_or(String::new(), number),
                number(estimate.interval.level),
                "".into(),
                "".into(),
                "".into(),
            ]),
            Outcome::Selection(report) => {
                let selection = &report.selection;
                for (index, ranked) in selection.ranked.iter().enumerate() {
                    let value = match selection.criterion {
                        Criterion::Aic => ranked.estimate.aic,
                        Criterion::Bic => ranked.estimate.bic,
                    };
                    rows.push(vec![
                        "loglinear".into(),
                        (index + 1).to_string(),
                        ranked.estimate.name.clone(),
                        number(value),
                        number(ranked.delta),
                        number(ranked.estimate.unseen),
                        number(ranked.estimate.total),
                        ranked.interval.map_or(String::new(), |i| number(i.lower)),
                        ranked
                            .interval
                            .and_then(|i| i.upper)
                            .map_or(String::new(), number),
                        ranked.interval.map_or(String::new(), |i| number(i.level)),
                        "".into(),
                        "".into(),
                        ranked.interval_problem.clone().unwrap_or_default(),
                    ]);
                }
                match (&report.bootstrap, selection.ranked.first()) {
                    (Some(BootstrapOutcome::Interval(interval)), Some(best)) => rows.push(vec![
                        "loglinear-bootstrap".into(),
                        "1".into(),
                        best.estimate.name.clone(),
                        "".into(),
                        "".into(),
                        number(best.estimate.unseen),
                        number(best.estimate.total),
                        number(interval.lower),
                        number(interval.upper),
                        number(interval.level),
                        "".into(),
                        "".into(),
                        format!(
                            "{} resamples, model chosen again on each, seed {}; {} without an estimate",
                            interval.replicates, interval.seed, interval.without_estimate
                        ),
                    ]),
                    (Some(BootstrapOutcome::NoInterval { problem }), _) => {
                        let mut row = vec!["loglinear-bootstrap".to_string()];
                        row.extend(vec![String::new(); 11]);
                        row.push(format!("no bootstrap interval: {problem}"));
                        rows.push(row);
                    }
                    _ => {}
                }
            }
            Outcome::Lcmcr(estimate) => rows.push(vec![
                "lcmcr".into(),
                "".into(),
                format!("K={}", estimate.options.classes),
                "".into(),
                "".into(),
                number(estimate.unseen_median),
                number(estimate.median),
                number(estimate.interval.lower),
                number(estimate.interval.upper),
                number(estimate.interval.level),
                number(estimate.rhat),
                number(estimate.ess),
                estimate.warnings.join("; "),
            ]),
        }
        for row in rows {
            writer.write_record(prefix.iter().chain(&row))?;
        }
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}
