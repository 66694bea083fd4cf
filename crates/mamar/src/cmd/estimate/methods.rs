//! Running the chosen method on one stratum's table.

use std::io::IsTerminal as _;
use std::time::{Duration, Instant};

use anyhow::bail;
use mamar_stats::identify::check_overlaps;
use mamar_stats::lcmcr::{self, Converged, LcmcrOptions};
use mamar_stats::loglinear::{self, Criterion, Model, Search};
use mamar_stats::{CaptureTable, Level, classic, dga, heterogeneity};

use super::{
    BootstrapOutcome, CriterionArg, EstimateArgs, JoinArg, LcmcrJoin, Method, Outcome, SearchArg,
    SelectionReport,
};

/// Fewer resamples than this give percentile intervals whose ends are mostly noise.
const MIN_BOOTSTRAP: usize = 50;
const MAX_BOOTSTRAP: usize = 100_000;
const DEFAULT_TOP: usize = 5;
/// Up to this many lists the log-linear method adds the bootstrap interval by default.
pub(super) const DEFAULT_BOOTSTRAP_LISTS: usize = 5;
const DEFAULT_BOOTSTRAP: usize = 200;
const DEFAULT_TIME_LIMIT: u64 = 300;

/// Checks what can be checked before reading the file.
pub(super) fn check_options(args: &EstimateArgs) -> anyhow::Result<()> {
    if let Some(bootstrap) = args.bootstrap.filter(|&b| b > 0) {
        if !(MIN_BOOTSTRAP..=MAX_BOOTSTRAP).contains(&bootstrap) {
            bail!("--bootstrap must be 0 (none) or between {MIN_BOOTSTRAP} and {MAX_BOOTSTRAP} resamples");
        }
        if args.model.is_some() {
            bail!("--bootstrap chooses the log-linear model again on each resample: use it without --model");
        }
        if matches!(args.criterion, Some(CriterionArg::PValue)) {
            bail!("--bootstrap chooses the model by AIC or BIC: use it without --criterion p-value");
        }
    }
    if args.time_limit == Some(0) {
        bail!("--time-limit must be at least 1 second");
    }
    if args.method != Method::Dga && args.chains.is_some_and(|chains| chains < 2) {
        bail!("--chains must be at least 2: convergence is judged by comparing chains");
    }
    if args.join_lcmcr == Some(JoinArg::Always)
        && (args.model.is_some() || matches!(args.criterion, Some(CriterionArg::PValue)))
    {
        bail!(
            "--join-lcmcr joins LCMCR's interval to the log-linear choice of model: use it without --model and \
             --criterion p-value"
        );
    }
    Ok(())
}

/// Once the number of lists is known: LCMCR options given to the log-linear method must be
/// used, never silently ignored.
pub(super) fn check_lcmcr_options(args: &EstimateArgs, lists: usize) -> anyhow::Result<()> {
    let given = args.lcmcr_options_given();
    if args.method == Method::Loglinear && !given.is_empty() && !args.joins_lcmcr(lists) {
        bail!(
            "{} {} of the log-linear method only when it joins LCMCR's interval (by default with 3 to 5 \
             lists, or with --join-lcmcr always; never with --model or --criterion p-value); this table has \
             {lists} lists",
            given.join(", "),
            if given.len() == 1 {
                "is an option"
            } else {
                "are options"
            },
        );
    }
    Ok(())
}

fn lcmcr_options(args: &EstimateArgs, level: Level) -> LcmcrOptions {
    let defaults = LcmcrOptions::default();
    LcmcrOptions {
        classes: args.classes.unwrap_or(defaults.classes),
        chains: args.chains.unwrap_or(defaults.chains),
        burn_in: args.burn_in.unwrap_or(defaults.burn_in),
        samples: args.samples.unwrap_or(defaults.samples),
        thin: args.thin.unwrap_or(defaults.thin),
        seed: args.seed,
        level,
        collapsed_moves: !args.plain_gibbs,
        ..defaults
    }
}

pub(super) fn estimate(table: &CaptureTable, args: &EstimateArgs, level: Level) -> anyhow::Result<Outcome> {
    let no_estimate = |reason: String| Outcome::NoEstimate { reason };
    // Every method refuses a table whose overlaps cannot identify the total, for the same reason.
    if let Err(reason) = check_overlaps(table) {
        return Ok(no_estimate(reason.to_string()));
    }
    let top = args.top.unwrap_or(DEFAULT_TOP);
    Ok(match args.method {
        Method::Loglinear => match &args.model {
            Some(spec) => {
                let model = Model::parse(spec, table.lists())?;
                loglinear::estimate(table, &model, level)
                    .map_or_else(|e| no_estimate(e.to_string()), Outcome::Model)
            }
            None if matches!(args.criterion, Some(CriterionArg::PValue)) => {
                loglinear::select_by_p_value(table, loglinear::DEFAULT_THRESHOLD, level)
                    .map_or_else(|e| no_estimate(e.to_string()), Outcome::PValue)
            }
            None => {
                let outcome = loglinear_selection(table, args, level, top);
                match outcome {
                    Outcome::Selection(mut report) if args.joins_lcmcr(table.list_count()) => {
                        report.lcmcr_join = match avoiding_lists(&report, table, args) {
                            Some(avoiding) => Some(avoiding),
                            None => join_lcmcr(&report, table, args, level)?,
                        };
                        Outcome::Selection(report)
                    }
                    outcome => outcome,
                }
            }
        },
        Method::Lcmcr => lcmcr_until_converged(table, args, level)?,
        Method::Dga => {
            let options = dga::DgaOptions {
                delta: args.delta,
                max_unseen: args.max_unseen,
                level,
                top,
            };
            match dga::estimate(table, &options) {
                Ok(estimate) => Outcome::Dga(estimate),
                Err(error @ dga::DgaError::InvalidOptions(_)) => bail!(error),
                Err(error) => no_estimate(error.to_string()),
            }
        }
        Method::Chapman => {
            classic::chapman(table, level).map_or_else(|e| no_estimate(e.to_string()), Outcome::Classic)
        }
        Method::Heterogeneity => match heterogeneity::fit_all(table) {
            Ok(models) if !models.is_empty() => Outcome::Heterogeneity { models },
            Ok(_) => no_estimate("none of the heterogeneity models could be fitted".into()),
            Err(error) => no_estimate(error.to_string()),
        },
        Method::Chao => {
            classic::chao(table, level).map_or_else(|e| no_estimate(e.to_string()), Outcome::Classic)
        }
    })
}

fn loglinear_selection(table: &CaptureTable, args: &EstimateArgs, level: Level, top: usize) -> Outcome {
    let criterion = match args.criterion.unwrap_or(CriterionArg::Aic) {
        CriterionArg::Aic | CriterionArg::PValue => Criterion::Aic,
        CriterionArg::Bic => Criterion::Bic,
    };
    let search = match args.search.unwrap_or(SearchArg::Auto) {
        SearchArg::Auto => Search::Auto,
        SearchArg::Exhaustive => Search::Exhaustive,
        SearchArg::Stepwise => Search::Stepwise,
    };
    match loglinear::select(table, criterion, search, top, level) {
        Err(error) => Outcome::NoEstimate {
            reason: error.to_string(),
        },
        Ok(selection) => {
            // Up to 5 lists the bootstrap is on by default: in the simulation study its interval,
            // joined with the chosen model's own, covered the most scenarios of 3 to 5 lists
            // (docs/bench/mamar-stats.md, section 3), where the chosen model's own interval
            // covered 42–90%.
            let replicates = match args.bootstrap {
                Some(0) => None,
                Some(replicates) => Some(replicates),
                None => (table.list_count() <= DEFAULT_BOOTSTRAP_LISTS).then_some(DEFAULT_BOOTSTRAP),
            };
            let bootstrap = replicates.map(|replicates| {
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
                let started = Instant::now();
                let show = std::io::stderr().is_terminal();
                let progress = |done: usize| {
                    if show && started.elapsed() > Duration::from_secs(1) {
                        eprint!("\rbootstrap of the model choice: {done} of {replicates} resamples   ");
                    }
                };
                let outcome = loglinear::bootstrap_selection_with_progress(
                    table, criterion, search, replicates, args.seed, level, threads, &progress,
                );
                if show && started.elapsed() > Duration::from_secs(1) {
                    eprintln!();
                }
                match outcome {
                    Ok(Some(interval)) => BootstrapOutcome::Interval(interval),
                    Ok(None) => BootstrapOutcome::NoInterval {
                        problem: "fewer than half the resamples had a model with a finite estimate".into(),
                    },
                    Err(error) => BootstrapOutcome::NoInterval {
                        problem: error.to_string(),
                    },
                }
            });
            Outcome::Selection(SelectionReport {
                selection,
                bootstrap,
                lcmcr_join: None,
            })
        }
    }
}

/// Runs the LCMCR chains until they agree or the time limit passes, reporting progress on
/// standard error (when it is a terminal) once a run has taken more than a second.
fn lcmcr_until_converged(table: &CaptureTable, args: &EstimateArgs, level: Level) -> anyhow::Result<Outcome> {
    let options = lcmcr_options(args, level);
    let limit = Duration::from_secs(args.time_limit.unwrap_or(DEFAULT_TIME_LIMIT));
    let started = Instant::now();
    let show_progress = std::io::stderr().is_terminal();
    let mut keep_going = |progress: &lcmcr::Progress| {
        let elapsed = started.elapsed();
        if show_progress && elapsed > Duration::from_secs(1) {
            eprint!(
                "\rLCMCR: {} sweeps per chain, R-hat {:.3} (target ≤ {}), ESS {:.0} (target ≥ {:.0}), {:.0} s of {} s   ",
                progress.sweeps,
                progress.rhat,
                lcmcr::TARGET_RHAT,
                progress.ess,
                lcmcr::TARGET_ESS,
                elapsed.as_secs_f64(),
                limit.as_secs()
            );
        }
        elapsed < limit && args.max_sweeps.is_none_or(|budget| progress.sweeps < budget)
    };
    let outcome = lcmcr::estimate_until_converged(table, &options, &mut keep_going);
    if show_progress && started.elapsed() > Duration::from_secs(1) {
        eprintln!();
    }
    Ok(match outcome {
        Ok(Converged::Yes(estimate)) => Outcome::Lcmcr(estimate),
        Ok(Converged::No {
            progress,
            chains,
            draws,
            ..
        }) => Outcome::NotConverged {
            draws,
            reason: format!(
                "the chains did not agree within {} ({} sweeps per chain): {}",
                match args.max_sweeps {
                    Some(budget) if progress.sweeps >= budget => format!("--max-sweeps {budget}"),
                    _ => format!("{} s", limit.as_secs()),
                },
                progress.sweeps,
                if progress.rhat.is_finite() && progress.ess.is_finite() {
                    format!(
                        "split R-hat {:.3} (needs ≤ {}), effective sample size {:.0} (needs ≥ {:.0})",
                        progress.rhat,
                        lcmcr::TARGET_RHAT,
                        progress.ess,
                        lcmcr::TARGET_ESS
                    )
                } else {
                    "too few draws to compute R-hat and the effective sample size".to_string()
                }
            ),
            progress,
            chains,
            advice: "give the chains longer (--time-limit 1800, or more --burn-in), run again with another \
                     --seed to see whether a chain sticks in the same place, and compare with the log-linear \
                     models (--method loglinear), which need no sampling"
                .into(),
        },
        // Bad options are the user's to fix, not a property of this stratum.
        Err(error @ lcmcr::LcmcrError::InvalidOptions(_)) => bail!(error),
        Err(error) => Outcome::NoEstimate {
            reason: error.to_string(),
        },
    })
}

/// By default LCMCR is not joined where the chosen model keeps a negative two-way interaction:
/// LCMCR explains every overlap by differences between people, and people easier to reach on
/// every list make every two lists overlap more, never less; two lists that avoid each other
/// are dependence of the lists themselves, against the premise for which LCMCR is joined. In
/// the simulation study, joining LCMCR everywhere pushed coverage with 4 dependent lists above
/// the target (99.7%; with this rule 96.7%), while in the scenarios without such dependence the
/// rule left LCMCR out of 0–0.8% of the tables where people differ sharply and 4–9% where they
/// differ less, and changed the coverage there by at most 0.1 point where measured
/// (BENCHMARKS.md, issue 18).
/// `--join-lcmcr always` joins it all the same.
fn avoiding_lists(report: &SelectionReport, table: &CaptureTable, args: &EstimateArgs) -> Option<LcmcrJoin> {
    if !args.joins_lcmcr_automatically() {
        return None;
    }
    let best = report.selection.ranked.first()?;
    let (term, coefficient) = best
        .estimate
        .two_way_interactions()
        .into_iter()
        .filter(|&(_, value)| value < 0.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let lists: Vec<String> = table
        .lists()
        .iter()
        .enumerate()
        .filter(|&(index, _)| term & (1 << index) != 0)
        .map(|(_, name)| name.clone())
        .collect();
    let odds_ratio = coefficient.exp();
    let reason = format!(
        "the chosen model keeps a negative interaction between {}: given the other lists, their odds of \
         holding the same person are {odds_ratio:.2} times what independence gives. LCMCR explains \
         overlaps by differences between people only, and people easier to reach on every list make \
         lists overlap more, not less; the log-linear interval stands alone (--join-lcmcr always joins \
         LCMCR all the same)",
        lists.join(" and ")
    );
    Some(LcmcrJoin::ListsAvoidEachOther {
        lists,
        odds_ratio,
        reason,
    })
}

/// Runs LCMCR until its chains agree and joins its credible interval to the log-linear one: the
/// bootstrap's (which already holds the chosen model's own), else the chosen model's. `None`
/// when there is no chosen model to join to.
fn join_lcmcr(
    report: &SelectionReport,
    table: &CaptureTable,
    args: &EstimateArgs,
    level: Level,
) -> anyhow::Result<Option<LcmcrJoin>> {
    let Some(best) = report.selection.ranked.first() else {
        return Ok(None);
    };
    let (loglinear, parts): (Option<(f64, Option<f64>)>, &[&'static str]) =
        match (&report.bootstrap, best.interval) {
            (Some(BootstrapOutcome::Interval(interval)), _) => (
                Some((interval.lower, interval.upper)),
                &["profile-likelihood", "bootstrap"],
            ),
            (_, Some(interval)) => (Some((interval.lower, interval.upper)), &["profile-likelihood"]),
            (_, None) => (None, &[]),
        };
    let warning = match super::study_coverage(table.list_count()) {
        Some((alone, joined)) => format!(
            "the interval above is the log-linear one alone; with {} lists the simulation study found it \
             covered the truth {alone} of the time, joined with LCMCR's {joined}: give the chains longer \
             (--time-limit 1800) to join them",
            table.list_count()
        ),
        None => {
            "the interval above is the log-linear one alone: give the chains longer (--time-limit 1800) to \
                 join LCMCR's"
                .to_string()
        }
    };
    Ok(Some(match lcmcr_until_converged(table, args, level)? {
        Outcome::Lcmcr(lcmcr) => {
            let (lower, upper) = match loglinear {
                Some((lower, upper)) => (
                    lower.min(lcmcr.interval.lower),
                    upper.map(|upper| upper.max(lcmcr.interval.upper)),
                ),
                None => (lcmcr.interval.lower, Some(lcmcr.interval.upper)),
            };
            let mut joined = parts.to_vec();
            joined.push("lcmcr");
            LcmcrJoin::Joined {
                level: level.value(),
                lower,
                upper,
                joined,
                lcmcr,
            }
        }
        Outcome::NotConverged {
            reason,
            progress,
            chains,
            ..
        } => LcmcrJoin::NotJoined {
            reason: format!("LCMCR did not converge: {reason}"),
            warning,
            progress: Some(progress),
            chains,
        },
        Outcome::NoEstimate { reason } => LcmcrJoin::NotJoined {
            reason: format!("LCMCR gave no estimate: {reason}"),
            warning,
            progress: None,
            chains: Vec::new(),
        },
        _ => return Ok(None),
    }))
}
