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
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-label="{}" direction="{direction}" font-family="Noto Sans Arabic, sans-serif" font-size="13">"#,
        escape(title)
    );
    let _ = write!(svg, "<title>{}</title>", escape(title));
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
}
