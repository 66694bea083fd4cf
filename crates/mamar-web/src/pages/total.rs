//! The total across organisations, for analysts: the partners' files of
//! keyed encodings are uploaded (no name is in them), matched, counted per
//! stratum and estimated by `mamar_registry::across`; the page shows the
//! documented count apart from the estimated total and its interval, with the
//! model and its assumptions. Nothing uploaded is stored: the files are read
//! in memory, the report rendered, and both dropped.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mamar_core::Locale;
use mamar_registry::across::{
    DEFAULT_REPLICATES, DEFAULT_THRESHOLD, EncodedList, ExchangeError, StratumTotal, TotalError,
    TotalOptions, TotalReport, estimate_total, parse_encodings,
};

use super::charts::{Estimated, interval_chart};
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::i18n::Tr;
use crate::state::AppState;

/// The most the uploaded files may weigh together: about 140,000 encodings of
/// 1,024 bits, far more than the lists of several organisations.
pub const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;
/// The most files one estimate takes (the matching's limit).
const MAX_FILES: usize = mamar_registry::across::MAX_LISTS;
/// The seed of the bootstrap: the same files give the same page.
const SEED: u64 = 1;

/// Whether this is the upload of the partners' files (a large body).
pub(crate) fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST
        && (path == "/ar/staff/registry/total" || path == "/en/staff/registry/total")
}

struct ListLine {
    name: String,
    encodings: String,
}

struct ResultLine {
    stratum: String,
    pooled: bool,
    documented: u64,
    estimate: String,
    interval: String,
    model: String,
    problem: Option<String>,
}

struct Outcome {
    lists: Vec<ListLine>,
    matched: String,
    lines: Vec<ResultLine>,
    chart: String,
    method: String,
}

#[derive(Template)]
#[template(path = "staff_total.html")]
struct TotalPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    csrf: String,
    threshold: String,
    strata: String,
    problem: Option<String>,
    outcome: Option<Outcome>,
    interval_header: String,
    assumptions: Vec<String>,
}

const ASSUMPTIONS: [&str; 5] = [
    "total-assumption-closed",
    "total-assumption-matching",
    "total-assumption-dependence",
    "total-assumption-alike",
    "total-assumption-interval",
];

async fn page(
    state: &AppState,
    ctx: &Ctx,
    threshold: String,
    strata: String,
    problem: Option<String>,
    outcome: Option<Outcome>,
) -> TotalPage {
    let tr = Tr::new(ctx.locale);
    TotalPage {
        switch: switch_links(ctx.locale, "/staff/registry/total"),
        nav: super::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        threshold,
        strata,
        problem,
        outcome,
        interval_header: tr.t1("total-col-interval", "level", 95),
        assumptions: ASSUMPTIONS.iter().map(|id| tr.t(id)).collect(),
        tr,
    }
}

/// `GET /{lang}/staff/registry/total`: the upload form.
pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let page = page(
        &state,
        &ctx,
        DEFAULT_THRESHOLD.to_string(),
        String::new(),
        None,
        None,
    )
    .await;
    render(&page, ctx.locale)
}

/// What the form sent.
struct Upload {
    files: Vec<(String, Vec<u8>)>,
    strata: String,
    threshold: String,
}

async fn read_upload(state: &AppState, request: Request) -> Result<Upload, (StatusCode, &'static str)> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| (StatusCode::BAD_REQUEST, "total-problem-no-files"))?;
    let mut upload = Upload {
        files: Vec::new(),
        strata: String::new(),
        threshold: DEFAULT_THRESHOLD.to_string(),
    };
    let broken = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (StatusCode::PAYLOAD_TOO_LARGE, "total-problem-too-large")
        } else {
            (StatusCode::BAD_REQUEST, "total-problem-no-files")
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name().unwrap_or_default() {
            "files" => {
                let name = list_name(field.file_name().unwrap_or_default());
                let bytes = field.bytes().await.map_err(broken)?;
                if !bytes.is_empty() && upload.files.len() < MAX_FILES {
                    upload.files.push((name, bytes.to_vec()));
                }
            }
            "strata" => upload.strata = field.text().await.map_err(broken)?.trim().to_owned(),
            "threshold" => upload.threshold = field.text().await.map_err(broken)?.trim().to_owned(),
            _ => {}
        }
    }
    Ok(upload)
}

/// A list's name from its file name: the name without its folder and extension.
fn list_name(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let name: String = stem.chars().filter(|c| !c.is_control()).take(60).collect();
    if name.is_empty() { "list".to_owned() } else { name }
}

/// `POST /{lang}/staff/registry/total?csrf=…`: the partners' files, matched and
/// estimated; the report in the reader's language.
pub async fn estimate(State(state): State<AppState>, ctx: Ctx, request: Request) -> Response {
    let tr = Tr::new(ctx.locale);
    let upload = match read_upload(&state, request).await {
        Ok(upload) => upload,
        Err((status, problem)) => {
            let text = tr.t1("total-problem-too-large", "mb", MAX_UPLOAD_BYTES / (1024 * 1024));
            let text = if problem == "total-problem-too-large" {
                text
            } else {
                tr.t(problem)
            };
            let page = page(
                &state,
                &ctx,
                DEFAULT_THRESHOLD.to_string(),
                String::new(),
                Some(text),
                None,
            )
            .await;
            return (status, render(&page, ctx.locale)).into_response();
        }
    };
    let refuse = |problem: String| (upload.threshold.clone(), upload.strata.clone(), problem);
    let outcome = async {
        let threshold: f64 = upload
            .threshold
            .replace(',', ".")
            .parse()
            .ok()
            .filter(|t: &f64| *t > 0.0 && *t < 1.0)
            .ok_or_else(|| refuse(tr.t("total-problem-threshold")))?;
        if upload.files.len() < 2 {
            return Err(refuse(tr.t("total-problem-no-files")));
        }
        let mut lists = Vec::new();
        for (name, bytes) in &upload.files {
            lists.push(parse_encodings(name, bytes).map_err(|e| refuse(exchange_problem(&tr, name, &e)))?);
        }
        let options = TotalOptions {
            threshold,
            strata: upload
                .strata
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            replicates: DEFAULT_REPLICATES,
            seed: SEED,
            threads: std::thread::available_parallelism().map_or(1, usize::from).min(2),
            ..TotalOptions::default()
        };
        let report = run(lists, options.clone())
            .await
            .map_err(|e| refuse(total_problem(&tr, &e)))?;
        Ok(outcome_view(&tr, &report, &options))
    }
    .await;
    match outcome {
        Ok(outcome) => {
            let page = page(
                &state,
                &ctx,
                upload.threshold.clone(),
                upload.strata.clone(),
                None,
                Some(outcome),
            )
            .await;
            render(&page, ctx.locale)
        }
        Err((threshold, strata, problem)) => {
            let page = page(&state, &ctx, threshold, strata, Some(problem), None).await;
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page, ctx.locale)).into_response()
        }
    }
}

/// The matching and the bootstrap take seconds: off the async executor.
async fn run(lists: Vec<EncodedList>, options: TotalOptions) -> Result<TotalReport, TotalError> {
    match tokio::task::spawn_blocking(move || estimate_total(&lists, &options)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(TotalError::TooFewLists(0)),
    }
}

fn exchange_problem(tr: &Tr, file: &str, error: &ExchangeError) -> String {
    match error {
        ExchangeError::NotEncodings => tr.t1("total-problem-not-encodings", "file", file),
        ExchangeError::Empty => tr.t1("total-problem-empty", "file", file),
        ExchangeError::Csv(_) | ExchangeError::TooMany => tr.t1("total-problem-file", "file", file),
        ExchangeError::MixedSchemes { line, .. }
        | ExchangeError::NotBase64 { line, .. }
        | ExchangeError::BadLength { line, .. }
        | ExchangeError::MixedLengths { line, .. } => tr.t2(
            "total-problem-line",
            ("file", file.into()),
            ("line", (*line).into()),
        ),
    }
}

fn total_problem(tr: &Tr, error: &TotalError) -> String {
    match error {
        TotalError::TooFewLists(_) | TotalError::Matching(_) => tr.t("total-problem-no-files"),
        TotalError::MixedSchemes { list, first, .. } => tr.t2(
            "total-problem-scheme",
            ("file", list.as_str().into()),
            ("first", first.as_str().into()),
        ),
        TotalError::MissingColumn { list, column, .. } => tr.t2(
            "total-problem-column",
            ("file", list.as_str().into()),
            ("column", column.as_str().into()),
        ),
        TotalError::DuplicateName(name) => tr.t1("total-problem-same-name", "file", name.as_str()),
        TotalError::TooManyStrata(_) => {
            tr.t1("total-problem-strata", "max", mamar_registry::across::MAX_STRATA)
        }
    }
}

fn stratum_label(tr: &Tr, report: &TotalReport, line: &StratumTotal) -> String {
    if line.pooled {
        return tr.t("total-pooled");
    }
    if report.strata_columns.is_empty() {
        return tr.t("total-all");
    }
    line.stratum
        .iter()
        .map(|v| {
            if v.is_empty() {
                tr.t("total-not-recorded")
            } else {
                v.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn whole(value: f64) -> String {
    format!("{value:.0}")
}

fn outcome_view(tr: &Tr, report: &TotalReport, options: &TotalOptions) -> Outcome {
    let lists = report
        .lists
        .iter()
        .zip(&report.sizes)
        .map(|(name, size)| ListLine {
            name: name.clone(),
            encodings: tr.t1("total-encodings", "count", *size),
        })
        .collect();
    let mut lines = Vec::new();
    let mut chart = Vec::new();
    for line in &report.strata {
        let stratum = stratum_label(tr, report, line);
        let view = match &line.estimate {
            Ok(estimate) => {
                let (lower, upper) = estimate.interval();
                chart.push(Estimated {
                    label: stratum.clone(),
                    documented: line.documented,
                    estimate: Some((estimate.total, lower, upper)),
                });
                ResultLine {
                    stratum,
                    pooled: line.pooled,
                    documented: line.documented,
                    estimate: whole(estimate.total),
                    interval: format!(
                        "{} – {}",
                        whole(lower),
                        upper.map_or_else(|| tr.t("total-no-upper"), whole)
                    ),
                    model: if estimate.model == "independence" {
                        tr.t("total-independence")
                    } else {
                        tr.t1("total-interactions", "pairs", estimate.model.as_str())
                    },
                    problem: None,
                }
            }
            Err(_) => {
                chart.push(Estimated {
                    label: stratum.clone(),
                    documented: line.documented,
                    estimate: None,
                });
                ResultLine {
                    stratum,
                    pooled: line.pooled,
                    documented: line.documented,
                    estimate: "—".to_owned(),
                    interval: "—".to_owned(),
                    model: String::new(),
                    problem: Some(tr.t("total-no-estimate")),
                }
            }
        };
        lines.push(view);
    }
    let rtl = tr.locale == Locale::Ar;
    Outcome {
        lists,
        matched: tr.t2(
            "total-matched",
            ("pairs", report.matched_pairs.into()),
            ("threshold", report.threshold.to_string().into()),
        ),
        chart: interval_chart(
            &tr.t("total-chart-title"),
            &chart,
            (&tr.t("total-chart-documented"), &tr.t("total-chart-estimate")),
            rtl,
        ),
        method: tr.t2(
            "total-method",
            ("replicates", options.replicates.into()),
            ("seed", options.seed.into()),
        ),
        lines,
    }
}
