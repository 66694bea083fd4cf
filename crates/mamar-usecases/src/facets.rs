//! The statistical facets a case keeps after its identifying data is
//! destroyed: what the registry counts, and nothing that names anyone. The
//! struct is `mamar_core::facets::Facets` (the registry counts it); this
//! module fills it from everything the case key opens — answers, the
//! arrival, the outcome, the person's choice, bands of age and service —
//! and keeps it encrypted under the organisation's analytics key (record kind
//! [`FACETS_KIND`], the case id as the record id), so only an analyst's
//! session opens it. Serde with every field optional: fields are only ever
//! added.

pub use mamar_core::facets::Facets;
use mamar_core::facets::YearMonth;
use mamar_core::questionnaire::{AnswerValue, Answers};
use mamar_crypto::{AnalyticsKey, RecordContext};

use crate::CaseError;

/// The record kind of facets under the analytics key.
pub const FACETS_KIND: &str = "case.facets";
/// The current facet format.
pub const FACETS_VERSION: u32 = 1;

/// What a case's facets are made from (all of it opened with the case key).
#[derive(Debug, Clone, Default)]
pub struct FacetSource<'a> {
    pub answers: Option<&'a Answers>,
    pub birth_year: Option<u16>,
    pub service_years: Option<u16>,
    /// `YYYY-MM-DD` or `YYYY-MM`, as the case file keeps it.
    pub opened_on: &'a str,
    pub arrival_at: Option<i64>,
    pub outcome: Option<&'a str>,
    /// The newest choice: (code, country).
    pub choice: Option<(&'a str, &'a str)>,
}

fn choice_answer(answers: Option<&Answers>, field: &str) -> Option<String> {
    match answers?.get(field)? {
        AnswerValue::Choice(value) if value != "prefer_not_to_say" => Some(value.clone()),
        _ => None,
    }
}

/// `under-18` … `55+` for an age in years.
pub fn age_band(age: i64) -> &'static str {
    match age {
        ..18 => "under-18",
        18..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        _ => "55+",
    }
}

/// `0-1` … `20+` for years in service.
pub fn service_years_band(years: u16) -> &'static str {
    match years {
        0..=1 => "0-1",
        2..=4 => "2-4",
        5..=9 => "5-9",
        10..=19 => "10-19",
        _ => "20+",
    }
}

/// The facets of a case, from what its key opens. The country of a relocation is not kept: at the
/// counts of one organisation it could point at a person.
pub fn facets_of(source: &FacetSource<'_>) -> Facets {
    let contact_month = source
        .opened_on
        .get(..7)
        .and_then(|m| m.parse::<YearMonth>().ok());
    let contact_year = source.opened_on.get(..4).and_then(|y| y.parse::<i64>().ok());
    let destination = match source.choice {
        Some((code, _country)) => Some(code.to_owned()),
        None => match choice_answer(source.answers, "destination").as_deref() {
            Some("stay_safe_area") => Some("stay".to_owned()),
            Some("abroad") => Some("relocate".to_owned()),
            _ => None,
        },
    };
    Facets {
        institution: choice_answer(source.answers, "institution"),
        service_type: choice_answer(source.answers, "service_type"),
        rank_class: choice_answer(source.answers, "rank_class"),
        governorate: choice_answer(source.answers, "governorate"),
        month_of_contact: contact_month,
        month_of_arrival: source
            .arrival_at
            .and_then(|at| crate::month_of(at).parse::<YearMonth>().ok()),
        outcome: source.outcome.map(str::to_owned),
        destination,
        age_band: match (contact_year, source.birth_year) {
            (Some(year), Some(born)) => Some(age_band(year - i64::from(born)).to_owned()),
            _ => None,
        },
        service_years_band: source.service_years.map(|y| service_years_band(y).to_owned()),
    }
}

fn context(case: &[u8; 16]) -> RecordContext<'_> {
    RecordContext {
        record_id: case,
        kind: FACETS_KIND,
        schema_version: FACETS_VERSION,
    }
}

/// The facets of case `case`, encrypted under the analytics key.
pub fn seal_facets(facets: &Facets, key: &AnalyticsKey, case: &[u8; 16]) -> Result<Vec<u8>, CaseError> {
    let bytes = serde_json::to_vec(facets).map_err(|_| CaseError::Corrupt)?;
    Ok(key.encrypt(&bytes, &context(case))?)
}

/// Opens facets sealed by [`seal_facets`] for the same case.
pub fn open_facets(key: &AnalyticsKey, case: &[u8; 16], sealed: &[u8]) -> Result<Facets, CaseError> {
    let plain = key.decrypt(sealed, &context(case))?;
    serde_json::from_slice(plain.expose_secret()).map_err(|_| CaseError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_have_no_gaps() {
        assert_eq!(age_band(17), "under-18");
        assert_eq!(age_band(18), "18-24");
        assert_eq!(age_band(34), "25-34");
        assert_eq!(age_band(55), "55+");
        assert_eq!(service_years_band(1), "0-1");
        assert_eq!(service_years_band(2), "2-4");
        assert_eq!(service_years_band(19), "10-19");
        assert_eq!(service_years_band(20), "20+");
    }
}
