//! A release: tables that passed disclosure control, with the method and its
//! parameters printed beside every one.

use mamar_core::facets::{Facet, Facets};
use serde::{Deserialize, Serialize};

use crate::RegistryError;
use crate::budget::Budget;
use crate::noise::{self, MECHANISM};
use crate::suppress::{Pattern, suppress_grid, suppress_line};
use crate::table::tabulate;

/// The organisation's disclosure-control settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Counts below this are withheld (default 10).
    pub threshold: u64,
    /// The privacy loss ε each table spends.
    pub epsilon_per_table: f64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            threshold: 10,
            epsilon_per_table: 0.5,
        }
    }
}

/// One table asked for: counts by `rows`, or by `rows` × `cols`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRequest {
    pub rows: Facet,
    pub cols: Option<Facet>,
}

impl TableRequest {
    /// The same table in one canonical orientation (a two-way table by the
    /// facets in their fixed order; a facet crossed with itself is a list), so
    /// that a table and its transpose withhold the same cells.
    fn canonical(self) -> TableRequest {
        match self.cols {
            Some(c) if c == self.rows => TableRequest {
                rows: self.rows,
                cols: None,
            },
            Some(c) if c < self.rows => TableRequest {
                rows: c,
                cols: Some(self.rows),
            },
            _ => self,
        }
    }

    /// How much the table's published entries (cells and margins) change in
    /// total when one person is added or removed: a cell and the total for
    /// a list; a cell, its row total, its column total and the total for a
    /// two-way table.
    pub fn sensitivity(self) -> u32 {
        if self.canonical().cols.is_some() { 4 } else { 2 }
    }
}

/// How a table was protected, printed with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub threshold: u64,
    pub mechanism: String,
    pub sensitivity: u32,
    pub scale: f64,
    /// The privacy loss of this table, as OpenDP's privacy map gives it.
    pub epsilon: f64,
}

/// A published table. An entry is `None` where it is withheld; a published
/// entry carries noise and is never shown below the threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReleasedTable {
    pub rows: Facet,
    pub cols: Option<Facet>,
    pub row_labels: Vec<String>,
    pub col_labels: Vec<String>,
    /// `cells[row][col]`; one column for a table by one facet.
    pub cells: Vec<Vec<Option<u64>>>,
    /// Empty for a table by one facet (the cells are the row totals).
    pub row_totals: Vec<Option<u64>>,
    /// Empty for a table by one facet.
    pub col_totals: Vec<Option<u64>>,
    pub total: Option<u64>,
    pub method: Method,
}

/// What one release holds: its period, its tables and the privacy loss it
/// spent (millionths of ε).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Release {
    pub period: String,
    pub tables: Vec<ReleasedTable>,
    pub epsilon_micro: u64,
}

/// Makes a release of the tables asked for from the facets of the cases:
/// spends its privacy loss from `budget` first (nothing is released, and
/// nothing spent, when the period has not enough left), then tabulates,
/// withholds and adds noise.
pub fn release(
    facets: &[Facets],
    requests: &[TableRequest],
    policy: &Policy,
    budget: &mut Budget,
) -> Result<Release, RegistryError> {
    if requests.is_empty() {
        return Err(RegistryError::NoTables);
    }
    let measured = requests
        .iter()
        .map(|r| noise::measure(r.sensitivity(), policy.epsilon_per_table))
        .collect::<Result<Vec<_>, _>>()?;
    let epsilon_micro = measured
        .iter()
        .map(|m| noise::micro(m.epsilon))
        .fold(0u64, u64::saturating_add);
    budget.charge(epsilon_micro)?;
    let tables = requests
        .iter()
        .zip(&measured)
        .map(|(r, m)| protect(facets, r.canonical(), policy.threshold, m))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Release {
        period: budget.period.clone(),
        tables,
        epsilon_micro,
    })
}

fn protect(
    facets: &[Facets],
    request: TableRequest,
    threshold: u64,
    measured: &noise::Measured,
) -> Result<ReleasedTable, RegistryError> {
    let table = tabulate(facets, request.rows, request.cols);
    let two_way = request.cols.is_some();
    let pattern = if two_way {
        suppress_grid(&table.counts, threshold)
    } else {
        let column: Vec<u64> = table.counts.iter().map(|r| r[0]).collect();
        let (cells, total) = suppress_line(&column, threshold);
        Pattern {
            cells: cells.into_iter().map(|w| vec![w]).collect(),
            row_totals: Vec::new(),
            col_totals: Vec::new(),
            total,
        }
    };
    // Every entry in one vector, noised together: cells, row totals, column
    // totals, total.
    let mut entries: Vec<u64> = table.counts.iter().flatten().copied().collect();
    let mut withheld: Vec<bool> = pattern.cells.iter().flatten().copied().collect();
    if two_way {
        entries.extend(table.row_totals());
        entries.extend(table.col_totals());
        withheld.extend(&pattern.row_totals);
        withheld.extend(&pattern.col_totals);
    }
    entries.push(table.total());
    withheld.push(pattern.total);
    let noisy = measured.apply(&entries)?;
    let mut shown = noisy.iter().zip(&withheld).map(|(&v, &w)| {
        // Post-processing: a published count never reads below the threshold.
        (!w).then(|| u64::try_from(v).unwrap_or(0).max(threshold))
    });
    let width = table.counts.first().map_or(0, Vec::len);
    let mut take = |n: usize| (0..n).map(|_| shown.next().flatten()).collect::<Vec<_>>();
    let cells = (0..table.counts.len()).map(|_| take(width)).collect();
    let (row_totals, col_totals) = if two_way {
        (take(table.counts.len()), take(width))
    } else {
        (Vec::new(), Vec::new())
    };
    let total = take(1).into_iter().next().flatten();
    Ok(ReleasedTable {
        rows: table.rows,
        cols: table.cols,
        row_labels: table.row_labels,
        col_labels: table.col_labels,
        cells,
        row_totals,
        col_totals,
        total,
        method: Method {
            threshold,
            mechanism: MECHANISM.to_owned(),
            sensitivity: request.sensitivity(),
            scale: measured.scale,
            epsilon: measured.epsilon,
        },
    })
}
