//! A release as the files the organisation publishes: JSON (everything, for
//! programs) and CSV (one line per entry, for spreadsheets). Both carry the
//! method and its parameters on every table. Signing is done by
//! `mamar-keys`, over exactly these bytes.

use serde::{Deserialize, Serialize};

use crate::release::{Release, ReleasedTable};

/// A release as published: who, which, when, and the tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// Always `mamar-release v1`.
    pub format: String,
    pub organisation_ar: String,
    pub organisation_en: String,
    /// The organisation's running number of its releases (1, 2, …).
    pub number: u32,
    /// The day of publication, `YYYY-MM-DD`.
    pub date: String,
    /// What every count means, in plain words.
    pub note: String,
    #[serde(flatten)]
    pub release: Release,
}

pub const FORMAT: &str = "mamar-release v1";

/// The plain-words note printed with every release.
pub const NOTE: &str = "Counts of people this organisation documented, not estimates of all who defected: \
each is a lower bound. Counts below the threshold are withheld (empty), and so are others that would give them \
away; every published count has random noise added (discrete Laplace) and is never shown below the threshold.";

/// Why a published file is not a release.
#[derive(Debug, thiserror::Error)]
#[error("not a mamar release: {0}")]
pub struct NotARelease(String);

impl Published {
    pub fn new(
        organisation_ar: impl Into<String>,
        organisation_en: impl Into<String>,
        number: u32,
        date: impl Into<String>,
        release: Release,
    ) -> Published {
        Published {
            format: FORMAT.to_owned(),
            organisation_ar: organisation_ar.into(),
            organisation_en: organisation_en.into(),
            number,
            date: date.into(),
            note: NOTE.to_owned(),
            release,
        }
    }

    /// The JSON file's body.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Published, NotARelease> {
        let published: Published = serde_json::from_str(text).map_err(|e| NotARelease(e.to_string()))?;
        if published.format != FORMAT {
            return Err(NotARelease(format!("format {:?}", published.format)));
        }
        Ok(published)
    }

    /// The CSV file's body: a header line, then one line per entry
    /// (`count` empty where withheld), RFC 4180 quoting.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "organisation,release,date,period,table,rows,row,cols,col,count,status,threshold,mechanism,sensitivity,scale,epsilon\n",
        );
        for (k, table) in self.release.tables.iter().enumerate() {
            for (row, col, value) in entries(table) {
                let fields = [
                    self.organisation_en.clone(),
                    self.number.to_string(),
                    self.date.clone(),
                    self.release.period.clone(),
                    (k + 1).to_string(),
                    table.rows.code().to_owned(),
                    row,
                    table.cols.map(|c| c.code().to_owned()).unwrap_or_default(),
                    col,
                    value.map(|v| v.to_string()).unwrap_or_default(),
                    if value.is_some() { "published" } else { "withheld" }.to_owned(),
                    table.method.threshold.to_string(),
                    table.method.mechanism.clone(),
                    table.method.sensitivity.to_string(),
                    format!("{:.6}", table.method.scale),
                    format!("{:.6}", table.method.epsilon),
                ];
                let line: Vec<String> = fields.iter().map(|f| quote(f)).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
        }
        out
    }
}

/// Every entry of a table as (row label, column label, value): cells, then
/// row totals, column totals and the total (`total` as the label of a margin).
pub fn entries(t: &ReleasedTable) -> Vec<(String, String, Option<u64>)> {
    const TOTAL: &str = "total";
    let mut out = Vec::new();
    for (i, row) in t.cells.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let col = t.col_labels.get(j).cloned().unwrap_or_default();
            out.push((t.row_labels[i].clone(), col, v));
        }
    }
    for (i, &v) in t.row_totals.iter().enumerate() {
        out.push((t.row_labels[i].clone(), TOTAL.to_owned(), v));
    }
    for (j, &v) in t.col_totals.iter().enumerate() {
        out.push((TOTAL.to_owned(), t.col_labels[j].clone(), v));
    }
    let last_col = if t.cols.is_some() { TOTAL } else { "" };
    out.push((TOTAL.to_owned(), last_col.to_owned(), t.total));
    out
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
