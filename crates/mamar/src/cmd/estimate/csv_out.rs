//! The CSV output: one row per stratum and reported model.

use mamar_stats::loglinear::{Criterion, RankedModel};

use super::{BootstrapOutcome, LcmcrJoin, Outcome, Report};

fn number(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.6}")
    } else {
        String::new()
    }
}

/// A row for the chosen model's total with another interval than its own (`method` names which).
fn chosen_row(
    method: &str,
    best: &RankedModel,
    (lower, upper, level): (f64, Option<f64>, f64),
    [rhat, ess]: [String; 2],
    note: String,
) -> Vec<String> {
    vec![
        method.into(),
        "1".into(),
        best.estimate.name.clone(),
        "".into(),
        "".into(),
        number(best.estimate.unseen),
        number(best.estimate.total),
        number(lower),
        upper.map(number).unwrap_or_default(),
        number(level),
        rhat,
        ess,
        note,
    ]
}

/// One row per stratum and reported model; documented and estimated numbers in their own
/// columns.
pub(super) fn render_csv(report: &Report) -> anyhow::Result<String> {
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
                    (Some(BootstrapOutcome::Interval(interval)), Some(best)) => rows.push(chosen_row(
                        "loglinear-bootstrap",
                        best,
                        (interval.lower, interval.upper, interval.level),
                        [String::new(), String::new()],
                        format!(
                            "profile-likelihood interval joined with the bootstrap percentile interval {}-{}; \
                             {} resamples, model chosen again on each, seed {}; {} without an estimate",
                            number(interval.percentile_lower),
                            number(interval.percentile_upper),
                            interval.replicates,
                            interval.seed,
                            interval.without_estimate
                        ),
                    )),
                    (Some(BootstrapOutcome::NoInterval { problem }), _) => {
                        let mut row = vec!["loglinear-bootstrap".to_string()];
                        row.extend(vec![String::new(); 11]);
                        row.push(format!("no bootstrap interval: {problem}"));
                        rows.push(row);
                    }
                    _ => {}
                }
                match (&report.lcmcr_join, selection.ranked.first()) {
                    (
                        Some(LcmcrJoin::Joined {
                            level,
                            lower,
                            upper,
                            joined,
                            lcmcr,
                        }),
                        Some(best),
                    ) => rows.push(chosen_row(
                        "loglinear-lcmcr",
                        best,
                        (*lower, *upper, *level),
                        [number(lcmcr.rhat), number(lcmcr.ess)],
                        format!(
                            "joined: {}; LCMCR posterior median {}, credible interval {}-{}, {} chains of {} sweeps, seed {}",
                            joined.join(" + "),
                            number(lcmcr.median),
                            number(lcmcr.interval.lower),
                            number(lcmcr.interval.upper),
                            lcmcr.options.chains,
                            lcmcr.sweeps,
                            lcmcr.options.seed
                        ),
                    )),
                    (Some(LcmcrJoin::NotJoined { reason, warning, .. }), _) => {
                        let mut row = vec!["loglinear-lcmcr".to_string()];
                        row.extend(vec![String::new(); 11]);
                        row.push(format!("not joined: {reason}; {warning}"));
                        rows.push(row);
                    }
                    (Some(LcmcrJoin::ListsAvoidEachOther { reason, .. }), _) => {
                        let mut row = vec!["loglinear-lcmcr".to_string()];
                        row.extend(vec![String::new(); 11]);
                        row.push(format!("not joined: {reason}"));
                        rows.push(row);
                    }
                    _ => {}
                }
            }
            Outcome::NotConverged { reason, chains, .. } => {
                // No total: each chain's median in the note, the estimate columns empty.
                let mut row = vec!["lcmcr".to_string()];
                row.extend(vec![String::new(); 11]);
                let medians: Vec<String> = chains
                    .iter()
                    .map(|c| format!("chain {} median {:.0}", c.chain, c.median))
                    .collect();
                row.push(format!(
                    "no estimate: did not converge: {reason}; {}",
                    medians.join(", ")
                ));
                rows.push(row);
            }
            Outcome::Dga(estimate) => {
                rows.push(vec![
                    "dga".into(),
                    "".into(),
                    format!("average over {} decomposable graphs", estimate.graphs),
                    "".into(),
                    "".into(),
                    number(estimate.unseen_median),
                    number(estimate.median),
                    number(estimate.interval.lower),
                    number(estimate.interval.upper),
                    number(estimate.interval.level),
                    "".into(),
                    "".into(),
                    format!("delta {}, prior 1/N", estimate.delta),
                ]);
                for (index, model) in estimate.models.iter().enumerate() {
                    rows.push(vec![
                        "dga-graph".into(),
                        (index + 1).to_string(),
                        model.name.clone(),
                        "".into(),
                        "".into(),
                        number(model.median - estimate.observed as f64),
                        number(model.median),
                        "".into(),
                        "".into(),
                        "".into(),
                        "".into(),
                        "".into(),
                        format!("posterior probability {:.6}", model.probability),
                    ]);
                }
            }
            Outcome::PValue(choice) => rows.push(vec![
                "loglinear-pvalue".into(),
                "1".into(),
                choice.estimate.fit.name.clone(),
                "".into(),
                "".into(),
                number(choice.estimate.fit.unseen),
                number(choice.estimate.fit.total),
                number(choice.estimate.interval.lower),
                choice.estimate.interval.upper.map_or(String::new(), number),
                number(choice.estimate.interval.level),
                "".into(),
                "".into(),
                format!("p-value stepwise rule, threshold {}", choice.threshold),
            ]),
            Outcome::Heterogeneity { models } => {
                for fit in models {
                    rows.push(vec![
                        "heterogeneity".into(),
                        "".into(),
                        fit.name.into(),
                        number(fit.aic),
                        "".into(),
                        number(fit.unseen),
                        number(fit.total),
                        "".into(),
                        "".into(),
                        "".into(),
                        "".into(),
                        "".into(),
                        format!(
                            "standard error {:.3}; deviance {:.4} on {} df",
                            fit.stderr, fit.deviance, fit.df
                        ),
                    ]);
                }
            }
            Outcome::Classic(estimate) => rows.push(vec![
                estimate.estimator.into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                number(estimate.unseen),
                number(estimate.total),
                number(estimate.lower),
                number(estimate.upper),
                number(estimate.level),
                "".into(),
                "".into(),
                estimate.meaning.into(),
            ]),
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
