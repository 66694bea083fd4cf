//! `--plot FILE.svg`: a picture of each stratum's result, self-contained SVG (no fonts, scripts or
//! anything loaded from elsewhere). Log-linear: the ranked models' totals with their intervals.
//! dga: the posterior of the total. LCMCR: the chains' traces of the total (converged or not).
//! Labels are in the reader's language (`--lang`, else the terminal's), from the same Fluent
//! files as the web; the numbers, the file name and the models' names stay as they are.

use std::fmt::Write as _;

use mamar_web::i18n::Tr;

use super::render::thousands;
use super::{BootstrapOutcome, LcmcrJoin, Outcome, Report, StratumReport};

const WIDTH: f64 = 760.0;
const PANEL: f64 = 260.0;
const LEFT: f64 = 230.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 40.0;
const COLOURS: [&str; 6] = ["#1b6ca8", "#d1495b", "#2e8b57", "#8e5ea2", "#e08e0b", "#555555"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A linear scale from data to pixels.
#[derive(Clone, Copy)]
struct Scale {
    low: f64,
    high: f64,
    from: f64,
    to: f64,
}

impl Scale {
    fn new(low: f64, high: f64, from: f64, to: f64) -> Self {
        let (low, high) = if high > low {
            (low, high)
        } else {
            (low - 1.0, low + 1.0)
        };
        Scale { low, high, from, to }
    }

    fn at(self, value: f64) -> f64 {
        self.from + (value - self.low) / (self.high - self.low) * (self.to - self.from)
    }
}

fn text(svg: &mut String, x: f64, y: f64, anchor: &str, size: u32, content: &str) {
    let _ = writeln!(
        svg,
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}" font-family="sans-serif">{}</text>"#,
        escape(content)
    );
}

fn axis(svg: &mut String, scale: Scale, y: f64, label: &str) {
    let _ = writeln!(
        svg,
        r##"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#333"/>"##,
        scale.from, scale.to
    );
    for step in 0..=4 {
        let value = scale.low + (scale.high - scale.low) * f64::from(step) / 4.0;
        let x = scale.at(value);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{y:.1}" x2="{x:.1}" y2="{:.1}" stroke="#333"/>"##,
            y + 4.0
        );
        text(svg, x, y + 16.0, "middle", 11, &thousands(value));
    }
    text(svg, (scale.from + scale.to) / 2.0, y + 32.0, "middle", 12, label);
}

/// Rows of (label, total, lower, upper): one horizontal interval each.
fn intervals(svg: &mut String, tr: &Tr, top: f64, documented: f64, rows: &[(String, f64, f64, Option<f64>)]) {
    let finite_upper = rows.iter().filter_map(|r| r.3).fold(f64::NEG_INFINITY, f64::max);
    let high = rows.iter().map(|r| r.1).fold(finite_upper, f64::max) * 1.05;
    let low = documented.min(rows.iter().map(|r| r.2).fold(f64::INFINITY, f64::min));
    let scale = Scale::new(low, high, LEFT, WIDTH - RIGHT);
    let bottom = top + PANEL - BOTTOM;
    let step = (PANEL - BOTTOM - 20.0) / rows.len().max(1) as f64;
    let x = scale.at(documented);
    let _ = writeln!(
        svg,
        r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#999" stroke-dasharray="4 3"/>"##
    );
    text(
        svg,
        x + 3.0,
        top + 10.0,
        "start",
        10,
        &tr.t("estimate-plot-documented"),
    );
    for (index, (label, total, lower, upper)) in rows.iter().enumerate() {
        let y = top + 20.0 + step * (index as f64 + 0.5);
        let colour = COLOURS.get(index % COLOURS.len()).copied().unwrap_or("#000");
        let end = upper.map_or(WIDTH - RIGHT, |u| scale.at(u));
        let _ = writeln!(
            svg,
            r#"<line x1="{:.1}" y1="{y:.1}" x2="{end:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="2"/>"#,
            scale.at(*lower)
        );
        let _ = writeln!(
            svg,
            r#"<circle cx="{:.1}" cy="{y:.1}" r="4" fill="{colour}"/>"#,
            scale.at(*total)
        );
        let short: String = if label.chars().count() > 34 {
            label.chars().take(33).chain(['…']).collect()
        } else {
            label.clone()
        };
        text(svg, LEFT - 8.0, y + 4.0, "end", 11, &short);
    }
    axis(svg, scale, bottom, &tr.t("estimate-plot-total-axis"));
}

fn polyline(svg: &mut String, points: &[(f64, f64)], colour: &str) {
    let mut path = String::new();
    for (x, y) in points {
        let _ = write!(path, "{x:.1},{y:.1} ");
    }
    let _ = writeln!(
        svg,
        r#"<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.2"/>"#
    );
}

fn traces(svg: &mut String, tr: &Tr, top: f64, draws: &[Vec<u64>]) {
    let values = draws.iter().flatten().map(|&v| v as f64);
    let low = values.clone().fold(f64::INFINITY, f64::min);
    let high = values.fold(f64::NEG_INFINITY, f64::max);
    let longest = draws.iter().map(Vec::len).max().unwrap_or(1).max(2);
    let bottom = top + PANEL - BOTTOM;
    let x = Scale::new(0.0, (longest - 1) as f64, LEFT, WIDTH - RIGHT);
    let y = Scale::new(low, high, bottom, top + 20.0);
    for (index, chain) in draws.iter().enumerate() {
        let colour = COLOURS.get(index % COLOURS.len()).copied().unwrap_or("#000");
        // At most 1,000 points per chain: every n-th draw.
        let every = (chain.len() / 1000).max(1);
        let points: Vec<(f64, f64)> = chain
            .iter()
            .enumerate()
            .step_by(every)
            .map(|(i, &v)| (x.at(i as f64), y.at(v as f64)))
            .collect();
        polyline(svg, &points, colour);
        text(
            svg,
            LEFT - 8.0,
            top + 34.0 + 14.0 * index as f64,
            "end",
            11,
            &tr.t1("estimate-plot-chain", "number", index + 1),
        );
        let _ = writeln!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="10" height="3" fill="{colour}"/>"#,
            LEFT - 90.0,
            top + 30.0 + 14.0 * index as f64
        );
    }
    text(svg, LEFT - 8.0, top + 20.0, "end", 11, &thousands(high));
    text(svg, LEFT - 8.0, bottom, "end", 11, &thousands(low));
    axis(svg, x, bottom, &tr.t("estimate-plot-draw-axis"));
}

fn posterior(svg: &mut String, tr: &Tr, top: f64, points: &[(f64, f64)], lower: f64, upper: f64) {
    // Mass per unit of total, from the grid's masses and spacing; the plot spans a little beyond
    // the interval.
    let span = upper - lower;
    let (from, to) = ((lower - 0.5 * span).max(0.0), upper + 0.5 * span);
    let mut density: Vec<(f64, f64)> = Vec::new();
    let mut previous: Option<f64> = None;
    for &(total, mass) in points {
        let width = previous.map_or(1.0, |p| (total - p).max(1.0));
        previous = Some(total);
        if (from..=to).contains(&total) {
            density.push((total, mass / width));
        }
    }
    let peak = density.iter().map(|d| d.1).fold(0.0, f64::max);
    let bottom = top + PANEL - BOTTOM;
    let x = Scale::new(from, to, LEFT, WIDTH - RIGHT);
    let y = Scale::new(0.0, peak.max(f64::MIN_POSITIVE), bottom, top + 20.0);
    let every = (density.len() / 1500).max(1);
    let line: Vec<(f64, f64)> = density
        .iter()
        .step_by(every)
        .map(|&(t, d)| (x.at(t), y.at(d)))
        .collect();
    for bound in [lower, upper] {
        let at = x.at(bound);
        let _ = writeln!(
            svg,
            r##"<line x1="{at:.1}" y1="{:.1}" x2="{at:.1}" y2="{bottom:.1}" stroke="#999" stroke-dasharray="4 3"/>"##,
            top + 20.0
        );
    }
    polyline(svg, &line, COLOURS[0]);
    text(
        svg,
        LEFT - 8.0,
        top + 30.0,
        "end",
        11,
        &tr.t("estimate-plot-posterior"),
    );
    text(
        svg,
        LEFT - 8.0,
        top + 46.0,
        "end",
        11,
        &tr.t("estimate-plot-dashed-interval"),
    );
    axis(svg, x, bottom, &tr.t("estimate-plot-total-axis"));
}

fn panel(svg: &mut String, tr: &Tr, top: f64, stratum: &StratumReport, title: &str) {
    text(svg, 10.0, top + 16.0, "start", 14, title);
    let documented = stratum.documented as f64;
    match &stratum.outcome {
        Outcome::NoEstimate { reason } => {
            text(
                svg,
                10.0,
                top + 50.0,
                "start",
                12,
                &tr.t1("estimate-plot-no-estimate", "reason", reason.as_str()),
            );
        }
        Outcome::Selection(report) => {
            let mut rows: Vec<(String, f64, f64, Option<f64>)> = report
                .selection
                .ranked
                .iter()
                .enumerate()
                .map(|(index, ranked)| {
                    let (lower, upper) = ranked
                        .interval
                        .map_or((ranked.estimate.total, Some(ranked.estimate.total)), |i| {
                            (i.lower, i.upper)
                        });
                    (
                        format!("{}. {}", index + 1, ranked.estimate.name),
                        ranked.estimate.total,
                        lower,
                        upper,
                    )
                })
                .collect();
            if let (Some(BootstrapOutcome::Interval(interval)), Some(best)) =
                (&report.bootstrap, report.selection.ranked.first())
            {
                rows.push((
                    format!("1. {}", tr.t("estimate-plot-bootstrap")),
                    best.estimate.total,
                    interval.lower,
                    interval.upper,
                ));
            }
            if let (
                Some(LcmcrJoin::Joined {
                    lower, upper, lcmcr, ..
                }),
                Some(best),
            ) = (&report.lcmcr_join, report.selection.ranked.first())
            {
                rows.push((
                    tr.t("estimate-plot-lcmcr"),
                    lcmcr.median,
                    lcmcr.interval.lower,
                    Some(lcmcr.interval.upper),
                ));
                rows.push((
                    format!("1. {}", tr.t("estimate-plot-joined-lcmcr")),
                    best.estimate.total,
                    *lower,
                    *upper,
                ));
            }
            let not_joined = match &report.lcmcr_join {
                Some(LcmcrJoin::NotJoined { .. }) => Some("estimate-plot-lcmcr-not-joined"),
                Some(LcmcrJoin::ListsAvoidEachOther { .. }) => Some("estimate-plot-lcmcr-lists-avoid"),
                _ => None,
            };
            if let Some(key) = not_joined {
                text(svg, WIDTH - RIGHT, top + 16.0, "end", 11, &tr.t(key));
            }
            intervals(svg, tr, top + 20.0, documented, &rows);
        }
        Outcome::Model(estimate) => {
            let fit = &estimate.fit;
            let rows = [(
                fit.name.clone(),
                fit.total,
                estimate.interval.lower,
                estimate.interval.upper,
            )];
            intervals(svg, tr, top + 20.0, documented, &rows);
        }
        Outcome::PValue(choice) => {
            let fit = &choice.estimate.fit;
            let interval = &choice.estimate.interval;
            let rows = [(fit.name.clone(), fit.total, interval.lower, interval.upper)];
            intervals(svg, tr, top + 20.0, documented, &rows);
        }
        Outcome::Heterogeneity { models } => {
            // Total ± 1.96 standard errors, as Rcapture reports them.
            let rows: Vec<(String, f64, f64, Option<f64>)> = models
                .iter()
                .map(|m| {
                    (
                        m.name.to_string(),
                        m.total,
                        m.total - 1.96 * m.stderr,
                        Some(m.total + 1.96 * m.stderr),
                    )
                })
                .collect();
            intervals(svg, tr, top + 20.0, documented, &rows);
        }
        Outcome::Classic(estimate) => {
            let rows = [(
                estimate.estimator.to_string(),
                estimate.total,
                estimate.lower,
                Some(estimate.upper),
            )];
            intervals(svg, tr, top + 20.0, documented, &rows);
        }
        Outcome::Dga(estimate) => posterior(
            svg,
            tr,
            top + 20.0,
            &estimate.posterior,
            estimate.interval.lower,
            estimate.interval.upper,
        ),
        Outcome::Lcmcr(estimate) => traces(svg, tr, top + 20.0, &estimate.draws),
        Outcome::NotConverged { draws, .. } => {
            text(
                svg,
                WIDTH - RIGHT,
                top + 16.0,
                "end",
                12,
                &tr.t("estimate-plot-not-converged"),
            );
            traces(svg, tr, top + 20.0, draws);
        }
    }
}

/// The whole picture in the reader's language: one panel per stratum.
pub(super) fn render_svg(report: &Report, tr: &Tr) -> String {
    let height = TOP + PANEL * report.strata.len() as f64;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{}" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">"#,
        tr.lang()
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    text(
        &mut svg,
        10.0,
        24.0,
        "start",
        15,
        &format!(
            "mamar estimate --method {}: {} ({})",
            report.method_name(),
            report.file,
            tr.t1("estimate-plot-lists", "lists", report.lists.len())
        ),
    );
    for (index, stratum) in report.strata.iter().enumerate() {
        let title = super::render::stratum_title(stratum);
        let documented = tr.t1(
            "estimate-plot-documented-count",
            "count",
            thousands(stratum.documented as f64),
        );
        let title = if title.is_empty() {
            documented
        } else {
            format!("{title}: {documented}")
        };
        panel(&mut svg, tr, TOP + PANEL * index as f64, stratum, &title);
    }
    svg.push_str("</svg>\n");
    svg
}
