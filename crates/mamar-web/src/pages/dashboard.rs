//! The analyst's dashboard: counts of cases by institution, service type,
//! rank class, governorate, outcome and destination, by quarter and by month,
//! for a period of first contact; charts drawn on the server. Built from the
//! facets alone (`mamar_registry::dashboard`): no name, message or case
//! reaches this page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use mamar_core::Locale;
use mamar_core::facets::{Facet, YearMonth};
use mamar_registry::dashboard::{Period, dashboard as count};

use super::charts::{Bar, bar_chart};
use super::releases::{facet_name, value_label};
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::i18n::Tr;
use crate::state::AppState;

#[derive(serde::Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct Row {
    label: String,
    count: u64,
}

struct Section {
    id: String,
    title: String,
    chart: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "staff_dashboard.html")]
struct DashboardPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    from: String,
    to: String,
    problem: Option<String>,
    unavailable: bool,
    summary: String,
    sections: Vec<Section>,
}

fn section(tr: &Tr, id: &str, title: String, rows: Vec<Row>) -> Section {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.label.clone(),
            value: Some(r.count),
        })
        .collect();
    Section {
        id: id.to_owned(),
        chart: bar_chart(&title, &bars, "", tr.locale == Locale::Ar),
        title,
        rows,
    }
}

/// A month of the query: empty is an open end; anything else must read as `YYYY-MM`.
fn month(text: &str) -> Result<Option<YearMonth>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| ())
}

/// `GET /{lang}/staff/registry`: the dashboard, for `?from=YYYY-MM&to=YYYY-MM`.
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let tr = Tr::new(ctx.locale);
    let (period, problem) = match (month(&query.from), month(&query.to)) {
        (Ok(from), Ok(to)) => (Period { from, to }, None),
        _ => (Period::default(), Some(tr.t("dashboard-problem-month"))),
    };
    let facets = match (&state.facets, ctx.is_decoy()) {
        // A decoy workspace shows what an empty one shows.
        (_, true) => Some(Vec::new()),
        (Some(source), false) => source.facets(&ctx).await.ok(),
        (None, false) => None,
    };
    let unavailable = facets.is_none();
    let d = count(&facets.unwrap_or_default(), &period);
    let by = |facet: Facet| tr.t1("registry-table-by", "facet", facet_name(&tr, facet));
    let mut sections = Vec::new();
    if d.cases > 0 {
        for counts in &d.by_facet {
            let rows = counts
                .counts
                .iter()
                .map(|(value, n)| Row {
                    label: value_label(&state, &tr, counts.facet, value),
                    count: *n,
                })
                .collect();
            let title = by(counts.facet);
            sections.push(section(&tr, counts.facet.code(), title, rows));
        }
        let months = |list: &[(YearMonth, u64)]| -> Vec<Row> {
            list.iter()
                .map(|(m, n)| Row {
                    label: m.to_string(),
                    count: *n,
                })
                .collect()
        };
        sections.push(section(
            &tr,
            "quarter",
            tr.t("dashboard-by-quarter"),
            d.by_quarter
                .iter()
                .map(|(q, n)| Row {
                    label: q.clone(),
                    count: *n,
                })
                .collect(),
        ));
        sections.push(section(
            &tr,
            "contacts-by-month",
            by(Facet::MonthOfContact),
            months(&d.contacts_by_month),
        ));
        if !d.arrivals_by_month.is_empty() {
            sections.push(section(
                &tr,
                "arrivals-by-month",
                by(Facet::MonthOfArrival),
                months(&d.arrivals_by_month),
            ));
        }
    }
    let page = DashboardPage {
        switch: switch_links(ctx.locale, "/staff/registry"),
        nav: super::staff::nav(&state, &ctx).await,
        from: period.from.map(|m| m.to_string()).unwrap_or_default(),
        to: period.to.map(|m| m.to_string()).unwrap_or_default(),
        problem,
        unavailable,
        summary: tr.t1("dashboard-cases", "count", d.cases),
        sections,
        tr,
    };
    render(&page, ctx.locale)
}
