//! The analyst's dashboard, fed facets directly: counts by facet, by quarter
//! and by month, for a period.

use mamar_core::facets::{Facet, Facets, YearMonth};
use mamar_registry::dashboard::{Period, dashboard};

fn month(text: &str) -> Option<YearMonth> {
    Some(text.parse().unwrap())
}

fn case(
    institution: &str,
    rank: Option<&str>,
    contact: Option<YearMonth>,
    arrival: Option<YearMonth>,
) -> Facets {
    Facets {
        institution: Some(institution.into()),
        rank_class: rank.map(Into::into),
        month_of_contact: contact,
        month_of_arrival: arrival,
        outcome: arrival.map(|_| "arrived_safely".into()),
        ..Facets::default()
    }
}

fn cases() -> Vec<Facets> {
    vec![
        case("army", Some("soldier"), month("2026-01"), month("2026-03")),
        case("army", Some("soldier"), month("2026-01"), None),
        case("army", None, month("2026-04"), month("2026-05")),
        case("interior", Some("officer"), month("2026-03"), None),
        case("interior", Some("soldier"), None, None),
    ]
}

#[test]
fn counts_by_facet_put_the_largest_first_and_the_unknown_last() {
    let d = dashboard(&cases(), &Period::default());
    assert_eq!(d.cases, 5);
    let by = |facet: Facet| {
        d.by_facet
            .iter()
            .find(|c| c.facet == facet)
            .unwrap()
            .counts
            .clone()
    };
    assert_eq!(
        by(Facet::Institution),
        [("army".into(), 3), ("interior".into(), 2)]
    );
    assert_eq!(
        by(Facet::RankClass),
        [
            ("soldier".into(), 3),
            ("officer".into(), 1),
            ("unknown".into(), 1)
        ]
    );
    assert_eq!(
        by(Facet::Outcome),
        [("arrived_safely".into(), 2), ("unknown".into(), 3)]
    );
}

#[test]
fn trends_by_month_have_no_holes_and_quarters_add_up() {
    let d = dashboard(&cases(), &Period::default());
    let contacts: Vec<(String, u64)> = d
        .contacts_by_month
        .iter()
        .map(|(m, n)| (m.to_string(), *n))
        .collect();
    assert_eq!(
        contacts,
        [
            ("2026-01".to_string(), 2),
            ("2026-02".into(), 0),
            ("2026-03".into(), 1),
            ("2026-04".into(), 1)
        ]
    );
    assert_eq!(d.by_quarter, [("2026-Q1".to_string(), 3), ("2026-Q2".into(), 1)]);
    let arrivals: Vec<u64> = d.arrivals_by_month.iter().map(|(_, n)| *n).collect();
    assert_eq!(arrivals, [1, 0, 1]);
}

#[test]
fn a_period_counts_only_the_cases_first_seen_in_it() {
    let period = Period {
        from: month("2026-02"),
        to: month("2026-04"),
    };
    let d = dashboard(&cases(), &period);
    // March and April; not January, not the case without a month of contact.
    assert_eq!(d.cases, 2);
    assert_eq!(d.contacts_by_month.len(), 2);
    let empty = dashboard(&[], &Period::default());
    assert_eq!(empty.cases, 0);
    assert!(empty.contacts_by_month.is_empty());
}
