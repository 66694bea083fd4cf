//! `mamar estimate`: multiple systems estimation from a CSV of list overlaps.
//!
//! Input: one 0/1 column per list, optional stratum columns (named with `--strata`), and a
//! `count` column: how many people were seen on exactly that combination of lists. This is
//! the format of `shared/data/mse/uk-nrm-2013.csv` and of the overlap counts of `mamar link`.
//! The estimation itself is `mamar-stats`; this module reads, checks and shows.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use mamar_stats::classic::ClassicEstimate;
use mamar_stats::dga::DgaEstimate;
use mamar_stats::heterogeneity::HeterogeneityFit;
use mamar_stats::lcmcr::{self, LcmcrEstimate};
use mamar_stats::loglinear::{BootstrapInterval, Estimate, Model, PValueChoice, Selection};
use mamar_stats::{CaptureTable, Level};
use mamar_web::i18n::Tr;
use serde::Serialize;

mod csv_out;
mod input;
mod methods;
mod plot;
mod render;

use csv_out::render_csv;
use input::{parse, pool};
use render::render_table;

/// The exit status when the report is complete but some stratum has no estimate (refused, or
/// LCMCR did not converge). Errors in the input or options exit with 1 and print no report.
const NO_ESTIMATE_STATUS: u8 = 2;

const FORMAT_HELP: &str = "\
Input: FILE is a CSV with a header. Every column is a list (values 0 or 1: was this group of people on \
that list?), except the count column (default `count`: how many people had exactly that \
combination) and the stratum columns named with --strata (each distinct combination of their \
values is estimated separately). A pattern may appear once per stratum; the all-zero pattern \
cannot be observed; patterns left out count as zero. Use - to read standard input.

The documented number (people on at least one list) and the estimates are always shown apart. \
A table whose lists never overlap, or fall into groups that never overlap each other, is refused by \
every method: nothing in it says how many people all the lists missed. With 3 to 5 lists the \
log-linear interval is joined with LCMCR's (LCMCR run until its chains agree; see --join-lcmcr), \
unless the chosen model keeps a negative interaction (two lists that avoid each other, which the \
differences between people that LCMCR is joined for do not produce): in the simulation study that joined \
interval covered the truth 90.9–98.3% of the time with 3 lists, 94.1–97.8% with 4 and 92–98% with 5, the \
log-linear one alone 84.7–93%, 88.0–95.4% and 85–94%. The header and each line \
may be at most 64 KiB, the file at most 256 MiB.

Exit status: 0 when every stratum has an estimate; 2 when the report is printed but some stratum \
has none (refused, or the chains of --method lcmcr did not agree in time); 1 for bad input or options. \
When LCMCR joined to the log-linear method does not agree in time, the log-linear estimate stands \
alone with a warning, and the status is 0.";

#[derive(clap::Args)]
#[command(after_long_help = FORMAT_HELP)]
pub struct EstimateArgs {
    /// The CSV of overlap counts (- for standard input).
    file: PathBuf,
    /// The estimator (default: log-linear models; see --help for what each assumes).
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
    /// Also draw the result as an SVG picture in this file: the ranked models' totals with
    /// their intervals (log-linear), the posterior of the total (dga), the chains' traces (LCMCR).
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// The language of the plot's labels: ar or en [default: the terminal's language, else en].
    #[arg(long, value_name = "ar|en")]
    lang: Option<String>,
    /// Coverage of the intervals.
    #[arg(long, default_value_t = 0.95)]
    level: f64,
    /// Random seed of the LCMCR chains and the bootstrap resamples; the same seed gives the
    /// same result.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Log-linear: fit this model instead of searching, e.g. `LA:NG,PF:GO` or `independence`.
    #[arg(long, help_heading = "Log-linear")]
    model: Option<String>,
    /// Log-linear: the criterion that ranks models [default: aic].
    #[arg(long, value_enum, help_heading = "Log-linear")]
    criterion: Option<CriterionArg>,
    /// Log-linear: how to search the two-way-interaction models (auto: exhaustive up to 6
    /// lists) [default: auto].
    #[arg(long, value_enum, help_heading = "Log-linear")]
    search: Option<SearchArg>,
    /// Log-linear: also give an interval that allows for the choice of model: resample the
    /// people seen this many times (at least 50; 0 for none), choose the model again on each,
    /// and join the percentile interval of their totals with the chosen model's own interval
    /// [default: 200 up to 5 lists, none beyond, where each resample searches 32,768 models].
    #[arg(long, help_heading = "Log-linear")]
    bootstrap: Option<usize>,
    /// Log-linear and dga: how many of the best models to report side by side [default: 5].
    #[arg(long, help_heading = "Log-linear")]
    top: Option<usize>,
    /// Log-linear: also run LCMCR until its chains agree and join its credible interval to the
    /// log-linear one (auto: with 3 to 5 lists, unless two lists avoid each other, where the
    /// simulation study found the joined interval covered the truth more often than the
    /// log-linear one alone, 90.9–98.3% against 84.7–93% with 3 lists, 94.1–97.8% against 88.0–95.4%
    /// with 4, 92–98% against 85–94% with 5; the LCMCR options below then apply) [default: auto].
    #[arg(long, value_enum, help_heading = "Log-linear")]
    join_lcmcr: Option<JoinArg>,

    /// LCMCR: number of chains, run in parallel [default: 4].
    #[arg(long, help_heading = "LCMCR")]
    chains: Option<usize>,
    /// LCMCR: sweeps discarded at the start of each chain [default: 10000].
    #[arg(long, help_heading = "LCMCR")]
    burn_in: Option<usize>,
    /// LCMCR: draws kept per chain in each round; rounds run until the chains agree
    /// [default: 1000].
    #[arg(long, help_heading = "LCMCR")]
    samples: Option<usize>,
    /// LCMCR: keep one sweep in this many [default: 10].
    #[arg(long, help_heading = "LCMCR")]
    thin: Option<usize>,
    /// LCMCR: the most latent classes (truncation of the stick-breaking prior) [default: 10].
    #[arg(long, help_heading = "LCMCR")]
    classes: Option<usize>,
    /// LCMCR: stop after this many seconds if the chains have not agreed (split R-hat at most
    /// 1.01 and effective sample size at least 400); no total is then shown [default: 300].
    /// The limit holds for each table: each stratum, and the pooled one, has its own.
    #[arg(long, help_heading = "LCMCR")]
    time_limit: Option<u64>,
    /// LCMCR: also stop after this many sweeps per chain if the chains have not agreed (a
    /// budget that, unlike time, gives the same outcome on every machine) [default: no limit].
    #[arg(long, help_heading = "LCMCR")]
    max_sweeps: Option<usize>,
    /// LCMCR: the plain Gibbs sampler of Manrique-Vallier (2016) and the R package, without the
    /// moves that sum out the unseen (same posterior, slower mixing; for comparison).
    #[arg(long, help_heading = "LCMCR")]
    plain_gibbs: bool,

    /// dga: prior observations per cell of the full table [default: 2^-lists, as the R package
    /// suggests].
    #[arg(long, help_heading = "dga")]
    delta: Option<f64>,
    /// dga: compute the posterior on exactly 0..=this many unseen, as the R package's
    /// `Nmissing` does [default: a grid wide enough that the tail beyond it is negligible].
    #[arg(long, help_heading = "dga")]
    max_unseen: Option<u64>,
}

impl EstimateArgs {
    /// The options given that belong to another method than the one chosen: each is an error,
    /// never silently ignored.
    fn foreign_options(&self) -> Vec<&'static str> {
        let given = |present: bool, name: &'static str, methods: &[Method]| {
            (present && !methods.contains(&self.method)).then_some(name)
        };
        use Method::{Dga, Lcmcr, Loglinear};
        // The log-linear method runs LCMCR too when it joins the two intervals; whether the
        // table calls for that is checked once it is read (`check_lcmcr_options`).
        let lcmcr_hosts: &[Method] = if self.join_lcmcr == Some(JoinArg::Never) {
            &[Lcmcr]
        } else {
            &[Lcmcr, Loglinear]
        };
        [
            given(self.model.is_some(), "--model", &[Loglinear]),
            given(self.criterion.is_some(), "--criterion", &[Loglinear]),
            given(self.search.is_some(), "--search", &[Loglinear]),
            given(self.bootstrap.is_some(), "--bootstrap", &[Loglinear]),
            given(self.top.is_some(), "--top", &[Loglinear, Dga]),
            given(self.chains.is_some(), "--chains", lcmcr_hosts),
            given(self.burn_in.is_some(), "--burn-in", lcmcr_hosts),
            given(self.samples.is_some(), "--samples", lcmcr_hosts),
            given(self.thin.is_some(), "--thin", lcmcr_hosts),
            given(self.classes.is_some(), "--classes", lcmcr_hosts),
            given(self.time_limit.is_some(), "--time-limit", lcmcr_hosts),
            given(self.max_sweeps.is_some(), "--max-sweeps", lcmcr_hosts),
            given(self.plain_gibbs, "--plain-gibbs", lcmcr_hosts),
            given(self.join_lcmcr.is_some(), "--join-lcmcr", &[Loglinear]),
            given(self.delta.is_some(), "--delta", &[Dga]),
            given(self.max_unseen.is_some(), "--max-unseen", &[Dga]),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The LCMCR options given (to the log-linear method they matter only when it joins LCMCR).
    fn lcmcr_options_given(&self) -> Vec<&'static str> {
        [
            (self.chains.is_some(), "--chains"),
            (self.burn_in.is_some(), "--burn-in"),
            (self.samples.is_some(), "--samples"),
            (self.thin.is_some(), "--thin"),
            (self.classes.is_some(), "--classes"),
            (self.time_limit.is_some(), "--time-limit"),
            (self.max_sweeps.is_some(), "--max-sweeps"),
            (self.plain_gibbs, "--plain-gibbs"),
        ]
        .into_iter()
        .filter_map(|(given, name)| given.then_some(name))
        .collect()
    }

    /// Whether the choice to join LCMCR is left to mamar (`--join-lcmcr auto`, the default), which
    /// then also leaves it out where two lists avoid each other.
    fn joins_lcmcr_automatically(&self) -> bool {
        self.join_lcmcr.unwrap_or(JoinArg::Auto) == JoinArg::Auto
    }

    /// Whether the log-linear choice of model is joined with LCMCR on a table of `lists` lists.
    fn joins_lcmcr(&self, lists: usize) -> bool {
        let selects = self.method == Method::Loglinear
            && self.model.is_none()
            && !matches!(self.criterion, Some(CriterionArg::PValue));
        selects
            && match self.join_lcmcr.unwrap_or(JoinArg::Auto) {
                JoinArg::Auto => JOIN_LCMCR_LISTS.contains(&lists),
                JoinArg::Always => true,
                JoinArg::Never => false,
            }
    }
}

/// With these numbers of lists the log-linear choice is joined with LCMCR by default (unless two
/// lists avoid each other, `methods::avoiding_lists`), as the simulation study (BENCHMARKS.md,
/// issue 18) chose: there the joined interval covered the truth more often than the log-linear
/// one alone in every scenario, in 90–98% in every scenario and seed set with 5 lists, in
/// 90.9–98.3% with 3 and 94.1–97.8% with 4 (1,000 replicates; the 98.3% at N = 10,000 is within its
/// Monte Carlo error of the band), where the log-linear one alone covers 84.7–93% and
/// 88.0–95.4% (below 90% at N = 10,000); 6 or more lists were not studied with LCMCR.
const JOIN_LCMCR_LISTS: [usize; 3] = [3, 4, 5];

/// The study's coverage, for the warning when LCMCR could not be joined: (the log-linear interval
/// alone, joined with LCMCR's).
fn study_coverage(lists: usize) -> Option<(&'static str, &'static str)> {
    match lists {
        3 => Some(("84.7–93%", "90.9–98.3%")),
        4 => Some(("88.0–95.4%", "94.1–97.8%")),
        5 => Some(("85–94%", "92–98%")),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum JoinArg {
    /// With 3 to 5 lists, unless two lists avoid each other.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum Method {
    /// Poisson log-linear models with two-way interactions, ranked by AIC or BIC.
    Loglinear,
    /// Bayesian latent classes (Manrique-Vallier 2016); runs until its chains agree.
    Lcmcr,
    /// Bayesian model averaging over decomposable graphical models, 3 to 5 lists (Madigan &
    /// York 1997; the R package dga).
    Dga,
    /// Lincoln–Petersen with Chapman's correction: two lists, assumed independent.
    Chapman,
    /// Chao's (1987) lower bound from the people on exactly one and exactly two lists.
    Chao,
    /// The heterogeneity models of the R package Rcapture (M0, Mt, Mh and Mth with Poisson2,
    /// Darroch and Gamma3.5 terms), 3 or more lists.
    Heterogeneity,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Loglinear => "loglinear",
            Method::Lcmcr => "lcmcr",
            Method::Dga => "dga",
            Method::Chapman => "chapman",
            Method::Chao => "chao",
            Method::Heterogeneity => "heterogeneity",
        }
    }
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
    /// The p-value stepwise rule of the R package SparseMSE: add the two-way interaction whose
    /// overlap is least likely under the current model while its p-value is below 0.02.
    PValue,
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
    /// The LCMCR chains did not agree within the time limit: no total, each chain's view.
    NotConverged {
        reason: String,
        progress: lcmcr::Progress,
        chains: Vec<lcmcr::ChainSummary>,
        advice: String,
        #[serde(skip)]
        draws: Vec<Vec<u64>>,
    },
    Dga(DgaEstimate),
    Classic(ClassicEstimate),
    PValue(PValueChoice),
    Heterogeneity {
        models: Vec<HeterogeneityFit>,
    },
    NoEstimate {
        reason: String,
    },
}

impl Outcome {
    /// Whether a total was produced; if any stratum has none, the exit status says so.
    fn has_estimate(&self) -> bool {
        !matches!(self, Outcome::NoEstimate { .. } | Outcome::NotConverged { .. })
    }
}

#[derive(Serialize)]
struct SelectionReport {
    #[serde(flatten)]
    selection: Selection,
    /// The interval that allows for the choice of model, when asked for (`--bootstrap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    bootstrap: Option<BootstrapOutcome>,
    /// LCMCR's interval joined to the log-linear one (3 to 5 lists by default, `--join-lcmcr`).
    #[serde(skip_serializing_if = "Option::is_none")]
    lcmcr_join: Option<LcmcrJoin>,
}

/// LCMCR beside the log-linear choice (`--join-lcmcr`).
#[derive(Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
enum LcmcrJoin {
    /// The chains agreed: the interval is the union of the log-linear interval and LCMCR's.
    Joined {
        level: f64,
        lower: f64,
        /// `None` when one of the joined intervals has no upper limit.
        upper: Option<f64>,
        /// The intervals joined: "profile-likelihood", "bootstrap", "lcmcr".
        joined: Vec<&'static str>,
        lcmcr: LcmcrEstimate,
    },
    /// Not run: the chosen model keeps a negative interaction between two lists (they avoid each
    /// other), which LCMCR's model of differences between people cannot produce.
    ListsAvoidEachOther {
        /// The two lists.
        lists: Vec<String>,
        /// Their odds ratio given the other lists, below 1.
        odds_ratio: f64,
        reason: String,
    },
    /// No LCMCR interval to join (the chains did not agree in time, or LCMCR gave none): the
    /// log-linear interval stands alone, with a warning.
    NotJoined {
        reason: String,
        warning: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        progress: Option<lcmcr::Progress>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        chains: Vec<lcmcr::ChainSummary>,
    },
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

impl Report {
    fn method_name(&self) -> &'static str {
        self.method.name()
    }
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
    let foreign = args.foreign_options();
    if !foreign.is_empty() {
        bail!(
            "{} {} of --method {}; run `mamar estimate --help` for each method's options",
            foreign.join(", "),
            if foreign.len() == 1 {
                "is not an option"
            } else {
                "are not options"
            },
            args.method.name()
        );
    }
    methods::check_options(&args)?;
    let tr = Tr::new(crate::verify::language(args.lang.as_deref())?);
    let name = args.file.display().to_string();
    let text = input::read(&args.file).with_context(|| name.clone())?;
    let input = parse(&text, &args.strata, &args.count_column).with_context(|| name.clone())?;
    methods::check_lcmcr_options(&args, input.lists.len())?;
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
            outcome: methods::estimate(&stratum.table, &args, level)?,
        });
    }
    if input.strata.len() > 1 {
        let pooled = pool(&input)?;
        strata.push(StratumReport {
            stratum: vec![("stratum".into(), "(all strata pooled)".into())],
            documented: pooled.observed_total(),
            outcome: methods::estimate(&pooled, &args, level)?,
        });
    }
    let every_stratum_estimated = strata.iter().all(|s| s.outcome.has_estimate());
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
    if let Some(path) = &args.plot {
        std::fs::write(path, plot::render_svg(&report, &tr))
            .with_context(|| format!("cannot write the plot to {}", path.display()))?;
    }
    print!("{output}");
    Ok(if every_stratum_estimated {
        ExitCode::SUCCESS
    } else {
        // The report is printed in full; the status tells scripts that a total is missing.
        ExitCode::from(NO_ESTIMATE_STATUS)
    })
}
