//! Publishing a release of the registry from the workspace: a holder of the
//! signing key (an administrator) chooses the tables, the period and its
//! privacy budget; the counts come from the cases' facets (opened by the
//! server's `FacetSource` with the analytics key the session holds), pass
//! through `mamar-registry`'s disclosure control, are signed and recorded by
//! `mamar_usecases::registry::publish_release`, and the public page of the
//! new release follows.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mamar_core::facets::Facet;
use mamar_crypto::OrgKeyKind;
use mamar_registry::{Policy, TableRequest};
use mamar_usecases::registry::{ReleaseError, ReleaseRequest, publish_release};

use super::releases::facet_name;
use super::{LangLink, render, switch_links};
use crate::auth::Ctx;
use crate::i18n::Tr;
use crate::state::AppState;

/// The tables offered: one by each facet the questionnaire always asks or closure fills (the
/// bands of age and service are the organisation's choice), and one two-way table.
fn one_way() -> impl Iterator<Item = Facet> {
    Facet::ALL
        .into_iter()
        .filter(|f| !matches!(f, Facet::AgeBand | Facet::ServiceYearsBand))
}
const TWO_WAY: (Facet, Facet) = (Facet::Institution, Facet::RankClass);

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "staff_publish.html")]
struct PublishPage {
    tr: Tr,
    switch: Vec<LangLink>,
    nav: super::staff::Nav,
    csrf: String,
    choices: Vec<Choice>,
    period: String,
    limit: String,
    threshold: String,
    epsilon: String,
    problem: Option<String>,
    can_publish: bool,
}

/// The quarter of a day `YYYY-MM-DD`: `2026-Q4`.
fn quarter_of(date: &str) -> String {
    let year = date.get(0..4).unwrap_or("2026");
    let month: u8 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{year}-Q{}", (month.saturating_sub(1)) / 3 + 1)
}

fn today(state: &AppState) -> String {
    super::audit::utc_minute(state.clock.now())
        .get(0..10)
        .unwrap_or_default()
        .to_owned()
}

struct Fields {
    tables: Vec<String>,
    period: String,
    limit: String,
    threshold: String,
    epsilon: String,
}

impl Fields {
    fn defaults(state: &AppState) -> Fields {
        let policy = Policy::default();
        Fields {
            tables: vec![
                "institution-rank_class".into(),
                "governorate".into(),
                "month_of_contact".into(),
            ],
            period: quarter_of(&today(state)),
            limit: "2".into(),
            threshold: policy.threshold.to_string(),
            epsilon: policy.epsilon_per_table.to_string(),
        }
    }
}

async fn page(state: &AppState, ctx: &Ctx, fields: Fields, problem: Option<String>) -> PublishPage {
    let tr = Tr::new(ctx.locale);
    let keyring = &ctx.session.keyring;
    let mut choices = vec![Choice {
        value: format!("{}-{}", TWO_WAY.0.code(), TWO_WAY.1.code()),
        label: tr.t2(
            "registry-table-by-two",
            ("rows", facet_name(&tr, TWO_WAY.0).into()),
            ("cols", facet_name(&tr, TWO_WAY.1).into()),
        ),
        checked: false,
    }];
    choices.extend(one_way().map(|f| Choice {
        value: f.code().to_owned(),
        label: tr.t1("registry-table-by", "facet", facet_name(&tr, f)),
        checked: false,
    }));
    for choice in &mut choices {
        choice.checked = fields.tables.contains(&choice.value);
    }
    PublishPage {
        switch: switch_links(ctx.locale, "/staff/registry/publish"),
        nav: super::staff::nav(state, ctx).await,
        csrf: ctx.csrf(),
        choices,
        period: fields.period,
        limit: fields.limit,
        threshold: fields.threshold,
        epsilon: fields.epsilon,
        problem,
        can_publish: keyring.org_key(OrgKeyKind::Signing).is_some()
            && keyring.org_key(OrgKeyKind::Analytics).is_some()
            && state.facets.is_some(),
        tr,
    }
}

/// `GET /{lang}/staff/registry/publish`: the form.
pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let fields = Fields::defaults(&state);
    let page = page(&state, &ctx, fields, None).await;
    render(&page, ctx.locale)
}

fn table_request(value: &str) -> Option<TableRequest> {
    match value.split_once('-') {
        Some((rows, cols)) => Some(TableRequest {
            rows: Facet::from_code(rows)?,
            cols: Some(Facet::from_code(cols)?),
        }),
        None => Some(TableRequest {
            rows: Facet::from_code(value)?,
            cols: None,
        }),
    }
}

/// A period: `2026`, `2026-Q4` or `2026-12`.
fn is_period(text: &str) -> bool {
    let bytes = text.as_bytes();
    let year = bytes.len() >= 4 && bytes.iter().take(4).all(u8::is_ascii_digit);
    let rest = text.get(4..).unwrap_or_default();
    year && (rest.is_empty()
        || matches!(rest, "-Q1" | "-Q2" | "-Q3" | "-Q4")
        || (rest.len() == 3
            && rest.starts_with('-')
            && rest
                .get(1..)
                .and_then(|m| m.parse::<u8>().ok())
                .is_some_and(|m| (1..=12).contains(&m))))
}

/// `POST /{lang}/staff/registry/publish`: makes, signs and records the release,
/// then shows its public page.
pub async fn publish(State(state): State<AppState>, ctx: Ctx, body: Bytes) -> Response {
    let tr = Tr::new(ctx.locale);
    let pairs = super::public::form_pairs(&body).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let fields = Fields {
        tables: pairs
            .iter()
            .filter(|(k, _)| k == "table")
            .map(|(_, v)| v.clone())
            .collect(),
        period: get("period"),
        limit: get("limit"),
        threshold: get("threshold"),
        epsilon: get("epsilon"),
    };
    let refuse = |problem: &str| problem.to_owned();
    let made = async {
        if ctx.is_decoy() {
            return Err(refuse("publish-problem-facets"));
        }
        let tables: Vec<TableRequest> = fields.tables.iter().filter_map(|v| table_request(v)).collect();
        if tables.is_empty() {
            return Err(refuse("publish-problem-tables"));
        }
        let number = |text: &str| text.replace(',', ".").parse::<f64>().ok().filter(|v| *v > 0.0);
        let (Some(limit), Some(epsilon), Ok(threshold)) = (
            number(&fields.limit),
            number(&fields.epsilon),
            fields.threshold.parse::<u64>(),
        ) else {
            return Err(refuse("publish-problem-numbers"));
        };
        if !is_period(&fields.period) {
            return Err(refuse("publish-problem-period"));
        }
        let Some(signing) = ctx.session.keyring.org_key(OrgKeyKind::Signing) else {
            return Err(refuse("publish-problem-signing"));
        };
        let Some(source) = &state.facets else {
            return Err(refuse("publish-problem-facets"));
        };
        let facets = source
            .facets(&ctx)
            .await
            .map_err(|_| refuse("publish-problem-facets"))?;
        let organisation = state
            .organisation()
            .await
            .map_err(|_| refuse("publish-problem-facets"))?
            .ok_or_else(|| refuse("publish-problem-facets"))?;
        let request = ReleaseRequest {
            facets: &facets,
            tables,
            policy: Policy {
                threshold,
                epsilon_per_table: epsilon,
            },
            period: fields.period.clone(),
            limit_micro: mamar_registry::noise::micro(limit),
            date: today(&state),
        };
        publish_release(
            state.store.as_ref(),
            Some(ctx.staff.id),
            &organisation,
            signing,
            request,
        )
        .await
        .map_err(|error| match error {
            ReleaseError::BudgetExhausted { .. } => "publish-problem-budget".to_owned(),
            ReleaseError::NotASigner => "publish-problem-signing".to_owned(),
            ReleaseError::Registry(_) => "publish-problem-numbers".to_owned(),
            ReleaseError::Store(_) => "publish-problem-store".to_owned(),
        })
    }
    .await;
    match made {
        Ok(number) => Redirect::to(&format!("/{}/releases/{number}", ctx.locale.code())).into_response(),
        Err(problem) => {
            let text = tr.t(&problem);
            let page = page(&state, &ctx, fields, Some(text)).await;
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page, ctx.locale)).into_response()
        }
    }
}
