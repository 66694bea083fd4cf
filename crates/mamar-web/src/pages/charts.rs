//! Charts drawn on the server as SVG: no script, no outside font or image.
//! A horizontal bar chart reads on a 390 px phone (one bar per line, the
//! label above it) and prints in black and grey. In Arabic the bars grow from
//! the right and the labels are laid out right to left.

use std::fmt::Write;

/// One bar: its label and its count, `None` where the count is withheld.
pub struct Bar {
    pub label: String,
    pub value: Option<u64>,
}

const WIDTH: u32 = 360;
const PAD: u32 = 6;
const LINE: u32 = 40;
const BAR_HEIGHT: u32 = 14;
const VALUE_ROOM: u32 = 64;

/// A horizontal bar chart of `bars`, with `title` for screen readers and
/// `withheld` written where a count is not published.
pub fn bar_chart(title: &str, bars: &[Bar], withheld: &str, rtl: bool) -> String {
    let height = PAD * 2 + LINE * u32::try_from(bars.len()).unwrap_or(u32::MAX / LINE).min(200);
    let max = bars.iter().filter_map(|b| b.value).max().unwrap_or(0).max(1);
    let span = WIDTH - 2 * PAD - VALUE_ROOM;
    let (direction, anchor_x) = if rtl { ("rtl", WIDTH - PAD) } else { ("ltr", PAD) };
    let mut svg = open_svg(title, height, direction);
    for (k, bar) in bars.iter().take(200).enumerate() {
        let top = PAD + LINE * u32::try_from(k).unwrap_or(0);
        let _ = write!(
            svg,
            r##"<text x="{anchor_x}" y="{}" text-anchor="start" fill="#000">{}</text>"##,
            top + 13,
            escape(&bar.label)
        );
        let bar_top = top + 18;
        match bar.value {
            Some(value) => {
                let length = u32::try_from(u64::from(span) * value / max)
                    .unwrap_or(span)
                    .max(2);
                let x = if rtl { WIDTH - PAD - length } else { PAD };
                let _ = write!(
                    svg,
                    r##"<rect x="{x}" y="{bar_top}" width="{length}" height="{BAR_HEIGHT}" fill="#3d5a4c"/>"##
                );
                let value_x = if rtl { x.saturating_sub(4) } else { x + length + 4 };
                // The number sits beyond the bar's end: left of it in Arabic.
                let value_anchor = if rtl { "end" } else { "start" };
                let _ = write!(
                    svg,
                    r##"<text x="{value_x}" y="{}" text-anchor="{value_anchor}" fill="#000" direction="ltr">{value}</text>"##,
                    bar_top + 12,
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r##"<text x="{anchor_x}" y="{}" text-anchor="start" fill="#555" font-style="italic">{}</text>"##,
                    bar_top + 12,
                    escape(withheld)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One line of an interval chart: a counted number drawn as a bar, and an
/// estimate with its interval drawn as a line with a mark, on the same scale.
pub struct Estimated {
    pub label: String,
    pub documented: u64,
    /// The estimate and its interval (`None` as the upper limit: none).
    pub estimate: Option<(f64, f64, Option<f64>)>,
}

/// A chart of documented counts (bars) beside estimated totals with their
/// intervals (a line from the lower to the upper limit, a diamond at the
/// estimate). In Arabic everything grows from the right.
pub fn interval_chart(title: &str, lines: &[Estimated], legend: (&str, &str), rtl: bool) -> String {
    const ROW: u32 = 52;
    let rows = u32::try_from(lines.len()).unwrap_or(u32::MAX / ROW).min(100);
    let height = PAD * 2 + ROW * rows + 24;
    let max = lines
        .iter()
        .map(|l| {
            let (estimate, upper) = l.estimate.map_or((0.0, 0.0), |(e, _, u)| (e, u.unwrap_or(e)));
            (l.documented as f64).max(estimate).max(upper)
        })
        .fold(1.0_f64, f64::max);
    let span = f64::from(WIDTH - 2 * PAD - VALUE_ROOM);
    let at = |value: f64| -> f64 {
        let offset = (value.max(0.0) / max * span).min(span);
        if rtl {
            f64::from(WIDTH - PAD) - offset
        } else {
            f64::from(PAD) + offset
        }
    };
    let (direction, anchor_x) = if rtl { ("rtl", WIDTH - PAD) } else { ("ltr", PAD) };
    let mut svg = open_svg(title, height, direction);
    for (k, line) in lines.iter().take(100).enumerate() {
        let top = PAD + ROW * u32::try_from(k).unwrap_or(0);
        let _ = write!(
            svg,
            r##"<text x="{anchor_x}" y="{}" text-anchor="start" fill="#000">{}</text>"##,
            top + 13,
            escape(&line.label)
        );
        let bar_top = top + 18;
        let (start, end) = (at(0.0), at(line.documented as f64));
        let (x, length) = (start.min(end), (end - start).abs().max(2.0));
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{bar_top}" width="{length:.1}" height="{BAR_HEIGHT}" fill="#3d5a4c"/>"##
        );
        let value_x = if rtl { x - 4.0 } else { x + length + 4.0 };
        let value_anchor = if rtl { "end" } else { "start" };
        let _ = write!(
            svg,
            r##"<text x="{value_x:.1}" y="{}" text-anchor="{value_anchor}" fill="#000" direction="ltr">{}</text>"##,
            bar_top + 12,
            line.documented
        );
        if let Some((estimate, lower, upper)) = line.estimate {
            let y = bar_top + BAR_HEIGHT + 10;
            let (from, to) = (at(lower), at(upper.unwrap_or(max)));
            let dash = if upper.is_none() {
                r#" stroke-dasharray="4 3""#
            } else {
                ""
            };
            let _ = write!(
                svg,
                r##"<line x1="{from:.1}" y1="{y}" x2="{to:.1}" y2="{y}" stroke="#8a5a00" stroke-width="2"{dash}/>"##
            );
            for end in [Some(from), upper.map(|_| to)].into_iter().flatten() {
                let _ = write!(
                    svg,
                    r##"<line x1="{end:.1}" y1="{}" x2="{end:.1}" y2="{}" stroke="#8a5a00" stroke-width="2"/>"##,
                    y - 5,
                    y + 5
                );
            }
            let cx = at(estimate);
            let _ = write!(
                svg,
                r##"<path d="M{cx:.1} {} l5 5 l-5 5 l-5 -5 z" fill="#8a5a00"/>"##,
                y - 5
            );
        }
    }
    // The legend: a bar for the counted, a line for the estimated.
    let y = PAD + ROW * rows + 14;
    let (bar_x, line_from, line_to, text_1, text_2, anchor) = if rtl {
        (WIDTH - PAD - 14, 170.0, 150.0, WIDTH - PAD - 20, 144, "start")
    } else {
        (PAD, 180.0, 200.0, PAD + 20, 206, "start")
    };
    let _ = write!(
        svg,
        r##"<rect x="{bar_x}" y="{}" width="14" height="10" fill="#3d5a4c"/><text x="{text_1}" y="{y}" text-anchor="{anchor}" fill="#000">{}</text><line x1="{line_from}" y1="{}" x2="{line_to}" y2="{}" stroke="#8a5a00" stroke-width="2"/><text x="{text_2}" y="{y}" text-anchor="{anchor}" fill="#000">{}</text>"##,
        y - 9,
        escape(legend.0),
        y - 4,
        y - 4,
        escape(legend.1)
    );
    svg.push_str("</svg>");
    svg
}

/// The opening of a chart: its size, direction, font and title for screen readers.
fn open_svg(title: &str, height: u32, direction: &str) -> String {
    format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{title}" direction="{direction}" font-family="Noto Sans Arabic, sans-serif" font-size="13"><title>{title}</title>"#,
        title = escape(title)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_withheld_counts_say_so_and_labels_are_escaped() {
        let bars = [
            Bar {
                label: "الجيش <army>".into(),
                value: Some(120),
            },
            Bar {
                label: "interior".into(),
                value: Some(60),
            },
            Bar {
                label: "navy".into(),
                value: None,
            },
        ];
        let svg = bar_chart("by institution", &bars, "withheld", true);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("الجيش &lt;army&gt;"));
        assert!(svg.contains(r#"direction="rtl""#));
        assert!(
            svg.contains(r#"<rect x="70""#),
            "in Arabic the bars end at the right edge: {svg}"
        );
        assert!(
            svg.contains(r#"width="284""#),
            "the largest bar spans the chart: {svg}"
        );
        assert!(
            svg.contains(r#"width="142""#),
            "half the count, half the bar: {svg}"
        );
        assert!(svg.contains(">withheld<"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn an_interval_chart_draws_the_count_as_a_bar_and_the_estimate_as_a_line() {
        let lines = [
            Estimated {
                label: "officers".into(),
                documented: 100,
                estimate: Some((150.0, 120.0, Some(200.0))),
            },
            Estimated {
                label: "soldiers".into(),
                documented: 50,
                estimate: None,
            },
        ];
        let svg = interval_chart("t", &lines, ("documented", "estimate"), false);
        // The widest value (200) spans the chart: 284 px from x = 6.
        assert!(svg.contains(r#"x2="290.0""#), "{svg}");
        // The count of 100 is half of it.
        assert!(svg.contains(r#"width="142.0""#), "{svg}");
        assert!(svg.contains(">documented<") && svg.contains(">estimate<"));
        let rtl = interval_chart("t", &lines, ("documented", "estimate"), true);
        assert!(rtl.contains(r#"direction="rtl""#));
        // In Arabic the bar ends at the right edge.
        assert!(rtl.contains(r#"<rect x="212.0""#), "{rtl}");
    }
}
