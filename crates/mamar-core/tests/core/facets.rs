//! The facets a case has when it opens, taken from the requester's answers.

use mamar_core::facets::{Facet, Facets, UNKNOWN, YearMonth};
use mamar_core::questionnaire::Questionnaire;

fn answers(pairs: &[(&str, &str)]) -> mamar_core::questionnaire::Answers {
    let form: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Questionnaire::default_shipped().validate(&form).unwrap()
}

#[test]
fn an_opened_case_counts_its_institution_rank_service_and_governorate() {
    let answers = answers(&[
        ("urgency", "weeks"),
        ("governorate", "sy-hl"),
        ("institution", "army"),
        ("service_type", "compulsory"),
        ("rank_class", "soldier"),
        ("destination", "abroad"),
        ("message", "اسمي أحمد"),
    ]);
    let facets = Facets::from_answers(&answers, YearMonth::new(2026, 4));
    assert_eq!(facets.value(Facet::Institution), "army");
    assert_eq!(facets.value(Facet::ServiceType), "compulsory");
    assert_eq!(facets.value(Facet::RankClass), "soldier");
    assert_eq!(facets.value(Facet::Governorate), "sy-hl");
    assert_eq!(facets.value(Facet::MonthOfContact), "2026-04");
    // The wish stated at intake is not where the person went: the
    // destination, the outcome and the arrival wait for the case's end.
    assert_eq!(facets.value(Facet::Destination), UNKNOWN);
    assert_eq!(facets.value(Facet::Outcome), UNKNOWN);
    assert_eq!(facets.value(Facet::MonthOfArrival), UNKNOWN);
}

#[test]
fn prefer_not_to_say_and_unanswered_fields_stay_unknown() {
    let answers = answers(&[
        ("urgency", "planning"),
        ("governorate", "prefer_not_to_say"),
        ("institution", "other"),
        ("destination", "undecided"),
    ]);
    let facets = Facets::from_answers(&answers, None);
    assert_eq!(facets.governorate, None);
    assert_eq!(facets.rank_class, None);
    assert_eq!(facets.institution.as_deref(), Some("other"));
    assert_eq!(facets.value(Facet::MonthOfContact), UNKNOWN);
}
