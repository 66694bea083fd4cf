//! The estimates people quote today, to show the organisation's own counts
//! beside (`data/reference-estimates.csv`, copied from the project's shared
//! data with its source noted in the file).
//!
//! A documented count and an estimate are different things: the count is
//! the people this organisation helped and recorded, a lower bound of the
//! total; the estimate is someone's figure for everyone.

use crate::release::Release;
use mamar_core::facets::Facet;

const CSV: &str = include_str!("../data/reference-estimates.csv");

/// One published estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// The reference's institution code (`army`, `interior_ministry`).
    pub institution: String,
    /// `officer`, `nco`, `enlisted`, `nco_and_enlisted`.
    pub rank_class: String,
    /// `defected`, `killed_after_defection`.
    pub outcome: String,
    pub low: u64,
    pub high: u64,
    /// The share of the force's strength, where the source gives one.
    pub share: Option<(f64, f64)>,
    pub note: String,
}

/// The shipped estimates. A line that does not parse is left out (the file
/// is ours and checked by a test).
pub fn estimates() -> Vec<Estimate> {
    CSV.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(parse_line)
        .collect()
}

fn parse_line(line: &str) -> Option<Estimate> {
    let fields = split_csv(line);
    let [
        institution,
        rank_class,
        outcome,
        low,
        high,
        share_low,
        share_high,
        note,
    ] = fields.as_slice()
    else {
        return None;
    };
    let share = match (share_low.parse::<f64>(), share_high.parse::<f64>()) {
        (Ok(a), Ok(b)) => Some((a, b)),
        _ => None,
    };
    Some(Estimate {
        institution: institution.clone(),
        rank_class: rank_class.clone(),
        outcome: outcome.clone(),
        low: low.parse().ok()?,
        high: high.parse().ok()?,
        share,
        note: note.clone(),
    })
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match (c, quoted) {
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The questionnaire's institution code for a reference's.
fn our_institution(reference: &str) -> &str {
    match reference {
        "interior_ministry" => "interior",
        other => other,
    }
}

/// The questionnaire's rank class for a reference's, where one matches.
fn our_rank(reference: &str) -> Option<&'static str> {
    match reference {
        "officer" => Some("officer"),
        "nco" => Some("nco"),
        "enlisted" => Some("soldier"),
        _ => None,
    }
}

/// What a release documents for an estimate's group: the published count of
/// defectors of that institution and rank class, from a table by institution
/// × rank class (or, for a reference covering several ranks, nothing: the
/// withheld and noisy cells do not add up to a defensible sum). `None` where
/// the release has no such count (not asked for, withheld, or an outcome
/// the registry does not count yet).
pub fn documented(release: &Release, estimate: &Estimate) -> Option<u64> {
    if estimate.outcome != "defected" {
        return None;
    }
    let institution = our_institution(&estimate.institution);
    let rank = our_rank(&estimate.rank_class)?;
    release.tables.iter().find_map(|t| {
        let (row_label, col_label) = match (t.rows, t.cols) {
            (Facet::Institution, Some(Facet::RankClass)) => (institution, rank),
            (Facet::RankClass, Some(Facet::Institution)) => (rank, institution),
            _ => return None,
        };
        let i = t.row_labels.iter().position(|l| l == row_label)?;
        let j = t.col_labels.iter().position(|l| l == col_label)?;
        t.cells.get(i)?.get(j).copied().flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_estimates_all_parse() {
        let all = estimates();
        let lines = CSV.lines().filter(|l| !l.starts_with('#')).count() - 1;
        assert_eq!(all.len(), lines);
        let army_officers = all
            .iter()
            .find(|e| e.institution == "army" && e.rank_class == "officer" && e.outcome == "defected")
            .unwrap();
        assert_eq!((army_officers.low, army_officers.high), (4500, 5000));
        assert_eq!(army_officers.share, Some((0.10, 0.10)));
    }
}
