//! The analyst's dashboard: counts of cases by each facet, by quarter and by
//! month, from the facets alone (never a name, a message or a case). Pure
//! functions over `&[Facets]`; whoever calls them opens the facets with the
//! analytics key. The dashboard stays inside the organisation: its counts are
//! exact; what is published passes through [`crate::release`] instead.

use std::collections::BTreeMap;

use mamar_core::facets::{Facet, Facets, UNKNOWN, YearMonth};

use crate::table::tabulate;

/// The facets the dashboard counts by, in the order it shows them.
pub const FACETS: [Facet; 6] = [
    Facet::Institution,
    Facet::ServiceType,
    Facet::RankClass,
    Facet::Governorate,
    Facet::Outcome,
    Facet::Destination,
];

/// The months of first contact a dashboard covers (both ends included; an open
/// end is unbounded). Cases without a month of contact are counted only when
/// both ends are open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<YearMonth>,
    pub to: Option<YearMonth>,
}

impl Period {
    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    pub fn contains(&self, month: Option<YearMonth>) -> bool {
        match month {
            None => self.is_open(),
            Some(m) => self.from.is_none_or(|from| m >= from) && self.to.is_none_or(|to| m <= to),
        }
    }
}

/// The counts of one facet: each value and its number of cases, the largest
/// first ("unknown" last).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetCounts {
    pub facet: Facet,
    pub counts: Vec<(String, u64)>,
}

/// Everything the dashboard shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dashboard {
    /// Cases counted (those of the period).
    pub cases: u64,
    pub by_facet: Vec<FacetCounts>,
    /// First contacts by quarter (`2026-Q1`), in order.
    pub by_quarter: Vec<(String, u64)>,
    /// First contacts by month, every month from the first to the last.
    pub contacts_by_month: Vec<(YearMonth, u64)>,
    /// Arrivals in safety by month, every month from the first to the last.
    pub arrivals_by_month: Vec<(YearMonth, u64)>,
}

/// The dashboard of the cases whose first contact falls in `period`.
pub fn dashboard(facets: &[Facets], period: &Period) -> Dashboard {
    let chosen: Vec<Facets> = facets
        .iter()
        .filter(|f| period.contains(f.month_of_contact))
        .cloned()
        .collect();
    let by_facet = FACETS
        .iter()
        .map(|&facet| {
            let table = tabulate(&chosen, facet, None);
            let mut counts: Vec<(String, u64)> = table
                .row_labels
                .into_iter()
                .zip(table.counts.iter().map(|row| row.iter().sum::<u64>()))
                .collect();
            counts.sort_by(|a, b| {
                (a.0 == UNKNOWN)
                    .cmp(&(b.0 == UNKNOWN))
                    .then(b.1.cmp(&a.1))
                    .then(a.0.cmp(&b.0))
            });
            FacetCounts { facet, counts }
        })
        .collect();
    let mut by_quarter: BTreeMap<String, u64> = BTreeMap::new();
    for month in chosen.iter().filter_map(|f| f.month_of_contact) {
        let quarter = (month.month() - 1) / 3 + 1;
        *by_quarter
            .entry(format!("{:04}-Q{quarter}", month.year()))
            .or_default() += 1;
    }
    Dashboard {
        cases: chosen.len() as u64,
        by_facet,
        by_quarter: by_quarter.into_iter().collect(),
        contacts_by_month: by_month(chosen.iter().map(|f| f.month_of_contact)),
        arrivals_by_month: by_month(chosen.iter().map(|f| f.month_of_arrival)),
    }
}

/// Counts per month, every month from the first to the last (none: empty).
fn by_month(months: impl Iterator<Item = Option<YearMonth>>) -> Vec<(YearMonth, u64)> {
    let mut counts: BTreeMap<YearMonth, u64> = BTreeMap::new();
    for month in months.flatten() {
        *counts.entry(month).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut month = first;
    while month <= last {
        out.push((month, counts.get(&month).copied().unwrap_or(0)));
        month = month.next();
    }
    out
}
