//! The readable table.

use std::fmt::Write as _;

use mamar_stats::Level;
use mamar_stats::classic::ClassicEstimate;
use mamar_stats::dga::DgaEstimate;
use mamar_stats::heterogeneity::HeterogeneityFit;
use mamar_stats::lcmcr::{ChainSummary, LcmcrEstimate};
use mamar_stats::loglinear::{self, Criterion, PValueChoice};

use super::{BootstrapOutcome, LcmcrJoin, Outcome, Report, SelectionReport, StratumReport};

/// "1 model", "3 models".
pub(super) fn count_of(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

pub(super) fn thousands(value: f64) -> String {
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

pub(super) fn stratum_title(report: &StratumReport) -> String {
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

pub(super) fn render_table(report: &Report, level: Level) -> String {
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
            Outcome::NotConverged {
                reason,
                chains,
                advice,
                ..
            } => render_not_converged(&mut out, reason, chains, advice, percent),
            Outcome::Dga(estimate) => render_dga(&mut out, estimate, percent),
            Outcome::Classic(estimate) => render_classic(&mut out, estimate, percent),
            Outcome::PValue(choice) => render_p_value(&mut out, choice, percent),
            Outcome::Heterogeneity { models } => render_heterogeneity(&mut out, models),
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
         {} with an estimate, {} not identifiable or running to infinity):",
        count_of(selection.models_estimable, "model", "models"),
        selection.models_unestimable
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
                    "  That interval assumes the chosen model is right; --bootstrap 200 gives one that allows for the choice \
                     (slow with 6 or more lists)."
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
                    "  {percent:.0}% interval allowing for the choice of model: {}\n    \
                     (the profile-likelihood interval joined with the bootstrap's {}: {} resamples of the \
                     people seen, the model chosen again on each, seed {}{left_out})",
                    interval_text(interval.lower, interval.upper),
                    interval_text(interval.percentile_lower, Some(interval.percentile_upper)),
                    interval.replicates,
                    interval.seed,
                );
            }
            Some(BootstrapOutcome::NoInterval { problem }) => {
                let _ = writeln!(out, "  no bootstrap interval: {problem}");
            }
        }
        if let Some(join) = &report.lcmcr_join {
            render_lcmcr_join(out, join, percent);
        }
    }
}

fn render_lcmcr_join(out: &mut String, join: &LcmcrJoin, percent: f64) {
    match join {
        LcmcrJoin::Joined {
            lower,
            upper,
            joined,
            lcmcr,
            ..
        } => {
            let _ = writeln!(
                out,
                "  {percent:.0}% interval joined with LCMCR's: {}\n    \
                 (joined: {}; LCMCR's posterior median {}, credible interval {}; {} chains agreed after {} sweeps, \
                 R-hat {:.3}, effective sample size {:.0}, seed {})",
                interval_text(*lower, *upper),
                joined.join(", "),
                thousands(lcmcr.median),
                interval_text(lcmcr.interval.lower, Some(lcmcr.interval.upper)),
                lcmcr.options.chains,
                lcmcr.sweeps,
                lcmcr.rhat,
                lcmcr.ess,
                lcmcr.options.seed,
            );
            for warning in &lcmcr.warnings {
                let _ = writeln!(out, "    WARNING (LCMCR): {warning}");
            }
        }
        LcmcrJoin::ListsAvoidEachOther { reason, .. } => {
            let _ = writeln!(out, "  Not joined with LCMCR: {reason}.");
        }
        LcmcrJoin::NotJoined {
            reason,
            warning,
            chains,
            ..
        } => {
            let _ = writeln!(
                out,
                "  WARNING: not joined with LCMCR — {reason}.\n    {warning}."
            );
            chain_lines(out, "LCMCR chain", chains, percent);
        }
    }
}

fn render_lcmcr(out: &mut String, estimate: &LcmcrEstimate, percent: f64) {
    let options = &estimate.options;
    let _ = writeln!(
        out,
        "Estimated with LCMCR (K = {}, {} chains of {} sweeps until they agreed, the second half of each kept, \
         burn-in {}, thinning {}, seed {}{}):\n  \
         unseen {} (posterior median)\n  total  {} (posterior median; {percent:.0}% credible interval {})\n  \
         R-hat {:.3}, effective sample size {:.0}",
        options.classes,
        options.chains,
        estimate.sweeps,
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

fn render_not_converged(out: &mut String, reason: &str, chains: &[ChainSummary], advice: &str, percent: f64) {
    let _ = writeln!(out, "Estimated: no estimate — LCMCR did not converge: {reason}");
    let _ = writeln!(
        out,
        "  Each chain on its own (second half of its draws; they should agree, and do not):"
    );
    chain_lines(out, "chain", chains, percent);
    let _ = writeln!(out, "  What to try: {advice}.");
}

/// Each chain's own view, one line each: where chains disagree, these show how.
fn chain_lines(out: &mut String, label: &str, chains: &[ChainSummary], percent: f64) {
    for chain in chains {
        let _ = writeln!(
            out,
            "    {label} {}: median {}, {percent:.0}% of its draws in {}",
            chain.chain,
            thousands(chain.median),
            interval_text(chain.lower, Some(chain.upper))
        );
    }
}

fn render_dga(out: &mut String, estimate: &DgaEstimate, percent: f64) {
    let _ = writeln!(
        out,
        "Estimated by Bayesian model averaging over {} decomposable graphical models (dga; delta {}, prior 1/N, \
         exact on a grid of 0 to {} unseen):\n  unseen {} (posterior median)\n  total  {} (posterior median; \
         {percent:.0}% credible interval {})",
        estimate.graphs,
        estimate.delta,
        thousands(estimate.max_unseen),
        thousands(estimate.unseen_median),
        thousands(estimate.median),
        interval_text(estimate.interval.lower, Some(estimate.interval.upper)),
    );
    if estimate.tail_density > 1e-6 {
        let _ = writeln!(
            out,
            "  WARNING: the grid ends where the posterior is still {:.1e} of its peak: the upper end is cut short; \
             leave out --max-unseen or raise it",
            estimate.tail_density
        );
    }
    let _ = writeln!(out, "  {:>11}  {:>9}  graph (cliques)", "probability", "median");
    for model in &estimate.models {
        let _ = writeln!(
            out,
            "  {:>11.4}  {:>9}  {}",
            model.probability,
            thousands(model.median),
            model.name
        );
    }
}

fn render_classic(out: &mut String, estimate: &ClassicEstimate, percent: f64) {
    let title = match estimate.estimator {
        "chapman" => "Lincoln–Petersen with Chapman's correction",
        _ => "Chao's lower bound",
    };
    let _ = writeln!(
        out,
        "Estimated with {title} ({}):\n  unseen {}\n  total  {}  ({percent:.0}% log-normal interval {})",
        estimate.meaning,
        thousands(estimate.unseen),
        thousands(estimate.total),
        interval_text(estimate.lower, Some(estimate.upper)),
    );
}

fn render_p_value(out: &mut String, choice: &PValueChoice, percent: f64) {
    let fit = &choice.estimate.fit;
    let steps = if choice.steps.is_empty() {
        "no interaction reached the threshold".to_string()
    } else {
        choice
            .steps
            .iter()
            .map(|step| format!("{} (p = {:.2e})", step.term, step.p_value))
            .collect::<Vec<_>>()
            .join(", then ")
    };
    let _ = writeln!(
        out,
        "Estimated with the log-linear model {} chosen by the p-value stepwise rule of SparseMSE \
         (threshold {}; added: {steps}):\n  unseen {}\n  total  {}  ({percent:.0}% profile-likelihood interval {})",
        fit.name,
        choice.threshold,
        thousands(fit.unseen),
        thousands(fit.total),
        interval_text(choice.estimate.interval.lower, choice.estimate.interval.upper)
    );
}

fn render_heterogeneity(out: &mut String, models: &[HeterogeneityFit]) {
    let _ = writeln!(
        out,
        "Estimated with the heterogeneity models of Rcapture (closedp.t), ranked by AIC; the standard error is \
         Rcapture's:"
    );
    let _ = writeln!(
        out,
        "  {:<14}  {:>9}  {:>9}  {:>8}  {:>10}  {:>3}  {:>10}",
        "model", "unseen", "total", "std err", "deviance", "df", "AIC"
    );
    let mut ranked: Vec<&HeterogeneityFit> = models.iter().collect();
    ranked.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    for fit in ranked {
        let _ = writeln!(
            out,
            "  {:<14}  {:>9}  {:>9}  {:>8.1}  {:>10.2}  {:>3}  {:>10.2}",
            fit.name,
            thousands(fit.unseen),
            thousands(fit.total),
            fit.stderr,
            fit.deviance,
            fit.df,
            fit.aic
        );
    }
}
