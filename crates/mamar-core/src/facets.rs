//! A case's statistical facets: the coarse, non-identifying facts the
//! registry counts (institution, service type, rank class, governorate, the
//! months of contact and arrival, outcome, destination, age band and
//! years-of-service band).
//!
//! Facets are what an analyst works with: they are stored encrypted under the
//! organisation's analytics key, apart from the case's content, so that the
//! analyst's keys open the facets and nothing else. Every value is an option
//! value of the questionnaire (`army`, `officer`, `sy-hl`, …) or a month; a
//! facet that is not known (yet) is `None` and is counted as "unknown".
//!
//! When a case opens, [`Facets::from_answers`] takes what the requester's
//! answers say. Arrival, outcome and destination are filled in later, when
//! the case reaches them (closure), by whoever keeps the facets up to date.
//!
//! The serde form is the stored form (JSON, sealed under the analytics key):
//! field names never change; new fields are added as `Option` with a default.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::questionnaire::{AnswerValue, Answers};

/// A calendar month (`2026-03`), the finest time a facet holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: u16,
    month: u8,
}

/// Why a text is not a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a month of the form YYYY-MM")]
pub struct YearMonthError;

impl YearMonth {
    /// A month; `None` unless `1 <= month <= 12` and the year has four digits.
    pub fn new(year: u16, month: u8) -> Option<YearMonth> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(YearMonth { year, month })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// The month after this one.
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = YearMonthError;

    fn from_str(s: &str) -> Result<YearMonth, YearMonthError> {
        let (y, m) = s.split_once('-').ok_or(YearMonthError)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(YearMonthError);
        }
        let year = y.parse().map_err(|_| YearMonthError)?;
        let month = m.parse().map_err(|_| YearMonthError)?;
        YearMonth::new(year, month).ok_or(YearMonthError)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<YearMonth, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One facet the registry can count by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Institution,
    ServiceType,
    RankClass,
    Governorate,
    MonthOfContact,
    MonthOfArrival,
    Outcome,
    Destination,
    AgeBand,
    ServiceYearsBand,
}

impl Facet {
    /// Every facet, in the order pages list them.
    pub const ALL: [Facet; 10] = [
        Facet::Institution,
        Facet::ServiceType,
        Facet::RankClass,
        Facet::Governorate,
        Facet::MonthOfContact,
        Facet::MonthOfArrival,
        Facet::Outcome,
        Facet::Destination,
        Facet::AgeBand,
        Facet::ServiceYearsBand,
    ];

    /// The stable code used in URLs, files and releases.
    pub fn code(self) -> &'static str {
        match self {
            Facet::Institution => "institution",
            Facet::ServiceType => "service_type",
            Facet::RankClass => "rank_class",
            Facet::Governorate => "governorate",
            Facet::MonthOfContact => "month_of_contact",
            Facet::MonthOfArrival => "month_of_arrival",
            Facet::Outcome => "outcome",
            Facet::Destination => "destination",
            Facet::AgeBand => "age_band",
            Facet::ServiceYearsBand => "service_years_band",
        }
    }

    pub fn from_code(code: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Whether the facet is a month (counted as a trend, in time order).
    pub fn is_month(self) -> bool {
        matches!(self, Facet::MonthOfContact | Facet::MonthOfArrival)
    }
}

/// The value counted for a facet that is not known.
pub const UNKNOWN: &str = "unknown";

/// The statistical facets of one case. No field identifies a person: each is
/// a category of a few values or a month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facets {
    /// The questionnaire's `institution` option (`army`, `interior`, …).
    pub institution: Option<String>,
    /// `compulsory`, `reserve`, `volunteer`, `not_applicable`.
    pub service_type: Option<String>,
    /// `officer`, `nco`, `soldier`, `civilian`.
    pub rank_class: Option<String>,
    /// The governorate option (`sy-hl`, `outside_syria`, …).
    pub governorate: Option<String>,
    /// The month the person first reached the organisation.
    pub month_of_contact: Option<YearMonth>,
    /// The month the person arrived in safety (filled at closure).
    pub month_of_arrival: Option<YearMonth>,
    /// How the case ended (filled at closure).
    pub outcome: Option<String>,
    /// Where the person went (filled at closure).
    pub destination: Option<String>,
    /// A band of age (`18-24`, …), when the organisation asks for it.
    pub age_band: Option<String>,
    /// A band of years in service (`0-2`, …), when the organisation asks for it.
    pub service_years_band: Option<String>,
}

/// Answers that say nothing are not facets.
const NOT_A_VALUE: &str = "prefer_not_to_say";

impl Facets {
    /// The facets a case has when it opens: what the requester's answers say
    /// about institution, service type, rank class and governorate, and the
    /// month of contact. A choice of "prefer not to say" stays unknown.
    pub fn from_answers(answers: &Answers, month_of_contact: Option<YearMonth>) -> Facets {
        let choice = |field: &str| match answers.get(field) {
            Some(AnswerValue::Choice(value)) if value != NOT_A_VALUE => Some(value.clone()),
            _ => None,
        };
        Facets {
            institution: choice("institution"),
            service_type: choice("service_type"),
            rank_class: choice("rank_class"),
            governorate: choice("governorate"),
            month_of_contact,
            ..Facets::default()
        }
    }

    /// The value counted for `facet` (`"unknown"` when not known).
    pub fn value(&self, facet: Facet) -> String {
        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| UNKNOWN.to_owned());
        let month = |v: &Option<YearMonth>| v.map_or_else(|| UNKNOWN.to_owned(), |m| m.to_string());
        match facet {
            Facet::Institution => text(&self.institution),
            Facet::ServiceType => text(&self.service_type),
            Facet::RankClass => text(&self.rank_class),
            Facet::Governorate => text(&self.governorate),
            Facet::MonthOfContact => month(&self.month_of_contact),
            Facet::MonthOfArrival => month(&self.month_of_arrival),
            Facet::Outcome => text(&self.outcome),
            Facet::Destination => text(&self.destination),
            Facet::AgeBand => text(&self.age_band),
            Facet::ServiceYearsBand => text(&self.service_years_band),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_back_and_order() {
        let m: YearMonth = "2026-03".parse().unwrap();
        assert_eq!(m.to_string(), "2026-03");
        assert!(m < "2026-11".parse().unwrap());
        assert_eq!(m.next().to_string(), "2026-04");
        assert_eq!(
            "2026-12".parse::<YearMonth>().unwrap().next().to_string(),
            "2027-01"
        );
        for bad in ["2026-13", "2026-00", "26-03", "2026-3", "march"] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn facets_survive_their_stored_form_and_unknowns_read_as_unknown() {
        let facets = Facets {
            institution: Some("army".into()),
            month_of_contact: YearMonth::new(2026, 5),
            ..Facets::default()
        };
        let stored: Facets =
            toml::from_str("institution = \"army\"\nmonth_of_contact = \"2026-05\"\n").unwrap();
        assert_eq!(stored, facets);
        assert_eq!(facets.value(Facet::Institution), "army");
        assert_eq!(facets.value(Facet::RankClass), UNKNOWN);
        assert_eq!(facets.value(Facet::MonthOfContact), "2026-05");
        for facet in Facet::ALL {
            assert_eq!(Facet::from_code(facet.code()), Some(facet));
        }
    }
}
