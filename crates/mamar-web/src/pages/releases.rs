//! The public pages of the registry's releases: the list, one release with
//! its tables and charts beside the estimates people quote, and the signed
//! CSV and JSON files that `mamar verify --release` checks. Public: anyone
//! may read what the organisation published.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use mamar_core::Locale;
use mamar_core::facets::{Facet, UNKNOWN};
use mamar_registry::publish::entries;
use mamar_registry::reference;
use mamar_registry::{Release, ReleasedTable};

use super::charts::{Bar, bar_chart};
use super::{LangLink, render, switch_links};
use crate::error::{Failure, PageError};
use crate::i18n::Tr;
use crate::state::AppState;

fn locale(lang: &str) -> Result<Locale, PageError> {
    lang.parse()
        .map_err(|_| PageError::new(Locale::default(), Failure::NotFound))
}

struct ReleaseLine {
    number: u32,
    href: String,
    date: String,
    period: String,
    epsilon: String,
}

#[derive(Template)]
#[template(path = "releases.html")]
struct ReleasesPage {
    tr: Tr,
    switch: Vec<LangLink>,
    releases: Vec<ReleaseLine>,
}

/// ε in millionths as a decimal (`0.5`, `1.000001`).
fn epsilon_text(micro: u64) -> String {
    let text = format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub async fn list(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let stored = match mamar_usecases::registry::releases(state.store.as_ref()).await {
        Ok(stored) => stored,
        Err(error) => return PageError::internal(locale, &error).into_response(),
    };
    let releases = stored
        .iter()
        .map(|r| ReleaseLine {
            number: r.number,
            href: format!("/{}/releases/{}", locale.code(), r.number),
            date: r.published_on.clone(),
            period: r.period.clone(),
            epsilon: epsilon_text(r.epsilon_micro),
        })
        .collect();
    render(
        &ReleasesPage {
            tr: Tr::new(locale),
            switch: switch_links(locale, "/releases"),
            releases,
        },
        locale,
    )
}

struct CellView {
    text: String,
    withheld: bool,
}

struct RowView {
    label: String,
    cells: Vec<CellView>,
}

struct TableView {
    title: String,
    headers: Vec<String>,
    rows: Vec<RowView>,
    method: String,
    chart: String,
}

struct EstimateView {
    group: String,
    estimate: String,
    share: String,
    documented: String,
}

#[derive(Template)]
#[template(path = "release.html")]
struct ReleasePage {
    tr: Tr,
    switch: Vec<LangLink>,
    number: u32,
    organisation: String,
    date: String,
    period: String,
    epsilon: String,
    tables: Vec<TableView>,
    estimates: Vec<EstimateView>,
    csv_href: String,
    json_href: String,
    fingerprint: String,
}

/// A facet's value as a reader reads it: the questionnaire's label, else
/// the value itself (months, outcomes).
pub(crate) fn value_label(state: &AppState, tr: &Tr, facet: Facet, value: &str) -> String {
    if value == UNKNOWN {
        return tr.t("registry-unknown");
    }
    if value == "total" {
        return tr.t("registry-total");
    }
    // Outcomes and destinations are the cases' codes, named where the case pages name them.
    match facet {
        Facet::Outcome if value.parse::<mamar_core::case::ClosingOutcome>().is_ok() => {
            return tr.t(&format!("outcome-{value}"));
        }
        Facet::Destination if matches!(value, "stay" | "relocate" | "other") => {
            return tr.t(&format!("reception-choice-{value}"));
        }
        _ => {}
    }
    state
        .questionnaire
        .field(facet.code())
        .and_then(|field| field.option_label(value, tr.locale))
        .map_or_else(|| value.to_owned(), str::to_owned)
}

pub(crate) fn facet_name(tr: &Tr, facet: Facet) -> String {
    tr.t(&format!("registry-facet-{}", facet.code().replace('_', "-")))
}

fn cell(tr: &Tr, value: Option<u64>) -> CellView {
    match value {
        Some(v) => CellView {
            text: v.to_string(),
            withheld: false,
        },
        None => CellView {
            text: tr.t("registry-withheld"),
            withheld: true,
        },
    }
}

fn table_view(state: &AppState, tr: &Tr, t: &ReleasedTable) -> TableView {
    let title = match t.cols {
        Some(cols) => tr.t2(
            "registry-table-by-two",
            ("rows", facet_name(tr, t.rows).into()),
            ("cols", facet_name(tr, cols).into()),
        ),
        None => tr.t1("registry-table-by", "facet", facet_name(tr, t.rows)),
    };
    let mut headers = vec![facet_name(tr, t.rows)];
    let mut rows: Vec<RowView> = t
        .row_labels
        .iter()
        .zip(&t.cells)
        .map(|(label, cells)| RowView {
            label: value_label(state, tr, t.rows, label),
            cells: cells.iter().map(|&v| cell(tr, v)).collect(),
        })
        .collect();
    if let Some(cols) = t.cols {
        headers.extend(t.col_labels.iter().map(|l| value_label(state, tr, cols, l)));
        headers.push(tr.t("registry-total"));
        for (row, &total) in rows.iter_mut().zip(&t.row_totals) {
            row.cells.push(cell(tr, total));
        }
        let mut last: Vec<CellView> = t.col_totals.iter().map(|&v| cell(tr, v)).collect();
        last.push(cell(tr, t.total));
        rows.push(RowView {
            label: tr.t("registry-total"),
            cells: last,
        });
    } else {
        headers.push(tr.t("registry-count"));
        rows.push(RowView {
            label: tr.t("registry-total"),
            cells: vec![cell(tr, t.total)],
        });
    }
    // A chart of the cells of a list, or of the row totals of a two-way table.
    let bars: Vec<Bar> = entries(t)
        .into_iter()
        .filter(|(row, col, _)| row != "total" && if t.cols.is_some() { col == "total" } else { true })
        .map(|(row, _, value)| Bar {
            label: value_label(state, tr, t.rows, &row),
            value,
        })
        .collect();
    let chart = bar_chart(&title, &bars, &tr.t("registry-withheld"), tr.locale == Locale::Ar);
    let method = tr.t2(
        "registry-method",
        ("threshold", t.method.threshold.to_string().into()),
        (
            "epsilon",
            epsilon_text(mamar_registry::noise::micro(t.method.epsilon)).into(),
        ),
    );
    TableView {
        title,
        headers,
        rows,
        method,
        chart,
    }
}

fn estimate_views(tr: &Tr, release: &Release) -> Vec<EstimateView> {
    reference::estimates()
        .iter()
        .map(|e| {
            let range = if e.low == e.high {
                e.low.to_string()
            } else {
                format!("{}–{}", e.low, e.high)
            };
            let share = match e.share {
                Some((a, b)) if (a - b).abs() < f64::EPSILON => format!("{:.0}%", a * 100.0),
                Some((a, b)) => format!("{:.0}–{:.0}%", a * 100.0, b * 100.0),
                None => "—".to_owned(),
            };
            EstimateView {
                group: tr.t2(
                    "registry-reference-group",
                    (
                        "institution",
                        tr.t(&format!("registry-ref-{}", e.institution.replace('_', "-")))
                            .into(),
                    ),
                    (
                        "rank",
                        tr.t(&format!("registry-ref-{}", e.rank_class.replace('_', "-")))
                            .into(),
                    ),
                ) + &format!(
                    " · {}",
                    tr.t(&format!("registry-ref-{}", e.outcome.replace('_', "-")))
                ),
                estimate: range,
                share,
                documented: reference::documented(release, e)
                    .map_or_else(|| "—".to_owned(), |n| n.to_string()),
            }
        })
        .collect()
}

pub async fn show(State(state): State<AppState>, Path((lang, number)): Path<(String, String)>) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let Some(read) = read(&state, locale, &number).await else {
        return PageError::new(locale, Failure::NotFound).into_response();
    };
    let read = match read {
        Ok(read) => read,
        Err(error) => return error.into_response(),
    };
    let tr = Tr::new(locale);
    let p = &read.published;
    let fingerprint = state
        .intake
        .signing_key()
        .await
        .map(|k| k.fingerprint().to_string())
        .unwrap_or_default();
    let base = format!("/{}/releases/{}", locale.code(), p.number);
    let page = ReleasePage {
        switch: switch_links(locale, &format!("/releases/{}", p.number)),
        number: p.number,
        organisation: match locale {
            Locale::Ar => p.organisation_ar.clone(),
            _ => p.organisation_en.clone(),
        },
        date: p.date.clone(),
        period: p.release.period.clone(),
        epsilon: epsilon_text(p.release.epsilon_micro),
        tables: p
            .release
            .tables
            .iter()
            .map(|t| table_view(&state, &tr, t))
            .collect(),
        estimates: estimate_views(&tr, &p.release),
        csv_href: format!("{base}/csv"),
        json_href: format!("{base}/json"),
        fingerprint,
        tr,
    };
    render(&page, locale)
}

async fn read(
    state: &AppState,
    locale: Locale,
    number: &str,
) -> Option<Result<mamar_usecases::registry::ReadRelease, PageError>> {
    let number: u32 = number.parse().ok()?;
    match mamar_usecases::registry::release(state.store.as_ref(), number).await {
        Ok(Some(read)) => Some(Ok(read)),
        Ok(None) => None,
        Err(error) => Some(Err(PageError::internal(locale, &error))),
    }
}

async fn download(state: AppState, lang: String, number: String, json: bool) -> Response {
    let locale = match locale(&lang) {
        Ok(locale) => locale,
        Err(error) => return error.into_response(),
    };
    let read = match read(&state, locale, &number).await {
        None => return PageError::new(locale, Failure::NotFound).into_response(),
        Some(Err(error)) => return error.into_response(),
        Some(Ok(read)) => read,
    };
    let n = read.stored.number;
    let (body, kind, name) = if json {
        (
            read.stored.signed_json,
            "application/json",
            format!("release-{n}.json"),
        )
    } else {
        (
            read.stored.signed_csv,
            "text/csv; charset=utf-8",
            format!("release-{n}.csv"),
        )
    };
    (
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn csv(State(state): State<AppState>, Path((lang, number)): Path<(String, String)>) -> Response {
    download(state, lang, number, false).await
}

pub async fn json(State(state): State<AppState>, Path((lang, number)): Path<(String, String)>) -> Response {
    download(state, lang, number, true).await
}
