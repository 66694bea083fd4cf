//! Tables of counts by one or two facets, from the facets of many cases.

use std::collections::BTreeMap;

use mamar_core::facets::{Facet, Facets, UNKNOWN, YearMonth};

/// Counts of cases by one facet (`cols` is `None`: one column) or two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountTable {
    pub rows: Facet,
    pub cols: Option<Facet>,
    pub row_labels: Vec<String>,
    /// Empty for a table by one facet.
    pub col_labels: Vec<String>,
    /// `counts[row][col]`; one column for a table by one facet.
    pub counts: Vec<Vec<u64>>,
}

impl CountTable {
    pub fn row_totals(&self) -> Vec<u64> {
        self.counts.iter().map(|row| row.iter().sum()).collect()
    }

    pub fn col_totals(&self) -> Vec<u64> {
        let width = self.counts.first().map_or(0, Vec::len);
        (0..width)
            .map(|j| self.counts.iter().map(|row| row[j]).sum())
            .collect()
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }
}

/// The categories of `facet` among `facets`, in order; for a month, every
/// month from the first to the last (a month without a case counts 0), then
/// "unknown" if any case has no month.
pub fn categories(facets: &[Facets], facet: Facet) -> Vec<String> {
    let values: std::collections::BTreeSet<String> = facets.iter().map(|f| f.value(facet)).collect();
    let has_unknown = values.contains(UNKNOWN);
    let mut out: Vec<String> = if facet.is_month() {
        let months: Vec<YearMonth> = values.iter().filter_map(|v| v.parse().ok()).collect();
        let mut filled = Vec::new();
        if let (Some(first), Some(last)) = (months.first(), months.last()) {
            let mut m = *first;
            while m <= *last {
                filled.push(m.to_string());
                m = m.next();
            }
        }
        filled
    } else {
        values.into_iter().filter(|v| v != UNKNOWN).collect()
    };
    if has_unknown {
        out.push(UNKNOWN.to_owned());
    }
    out
}

/// Counts of `facets` by `rows` (and `cols`).
pub fn tabulate(facets: &[Facets], rows: Facet, cols: Option<Facet>) -> CountTable {
    let row_labels = categories(facets, rows);
    let col_labels = cols.map(|c| categories(facets, c)).unwrap_or_default();
    let row_index: BTreeMap<&str, usize> = row_labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let col_index: BTreeMap<&str, usize> = col_labels
        .iter()
        .enumerate()
        .map(|(j, l)| (l.as_str(), j))
        .collect();
    let width = if cols.is_some() { col_labels.len() } else { 1 };
    let mut counts = vec![vec![0u64; width]; row_labels.len()];
    for f in facets {
        let r = row_index.get(f.value(rows).as_str()).copied();
        let c = match cols {
            Some(c) => col_index.get(f.value(c).as_str()).copied(),
            None => Some(0),
        };
        if let (Some(r), Some(c)) = (r, c) {
            counts[r][c] += 1;
        }
    }
    CountTable {
        rows,
        cols,
        row_labels,
        col_labels,
        counts,
    }
}
