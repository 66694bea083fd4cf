//! Reception and the person's choice. A reception officer (or a
//! coordinator) records the arrival, which moves the case from in transit
//! to arrived; they read reception's own steps of the plan (where, when,
//! how to recognise each other), never the route. The person's choice —
//! stay in a safe area, relocate (to a country), other — is recorded and
//! may change: every choice is kept, the newest counts. Follow-up reviews
//! come due on the organisation's schedule (`review_days` after the
//! arrival); each review recorded moves the next one due.

use mamar_core::case::machine::{Command, Effect};
use mamar_core::case::plan::{Due, may_receive};
use mamar_core::case::{CaseRuleError, Stage};
use mamar_crypto::CaseKey;
use mamar_store::{NewCaseRecord, Store};
use serde::{Deserialize, Serialize};

use super::act::checked_text;
use super::plan::add_record;
use super::{duties_of, load};
use crate::config::CaseConfig;
use crate::records::{self, staff_text};
use crate::{Caller, CaseError};

pub const ARRIVAL: &str = "case.arrival";
pub const CHOICE: &str = "case.choice";
pub const REVIEW: &str = "case.review";

/// When and how the person arrived, as reception recorded it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Arrival {
    pub by: String,
    pub at: i64,
    pub note: String,
}

/// What the person wants now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Choice {
    pub by: String,
    pub at: i64,
    /// "stay", "relocate" or "other".
    pub choice: String,
    /// The country, for "relocate".
    pub country: String,
    pub note: String,
}

/// A follow-up review.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Review {
    pub by: String,
    pub at: i64,
    pub note: String,
}

pub const CHOICES: [&str; 3] = ["stay", "relocate", "other"];

/// The arrival, the choices and the reviews of one case.
#[derive(Debug, Clone, Default)]
pub struct ReceptionView {
    pub arrival: Option<Arrival>,
    /// Oldest first; the last is the person's choice now.
    pub choices: Vec<Choice>,
    pub reviews: Vec<Review>,
    /// When the next review is due (none before the arrival or after the last one).
    pub next_review: Option<i64>,
    pub review_overdue: bool,
}

/// When the next review is due: `review_days[n]` after the arrival, `n` reviews done.
pub(super) fn next_review(config: &CaseConfig, arrival_at: i64, reviews_done: usize) -> Option<i64> {
    config
        .review_days
        .get(reviews_done)
        .map(|days| arrival_at + days * 86_400)
}

fn require_receiver(loaded: &super::Loaded, caller: &Caller<'_>) -> Result<(), CaseError> {
    if may_receive(&duties_of(&loaded.state, caller.staff.id)) {
        Ok(())
    } else {
        Err(CaseRuleError::WrongDuty.into())
    }
}

/// The person has arrived: recorded by reception or a coordinator, with a
/// note; the case moves from in transit to arrived.
pub async fn record_arrival(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    note: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let note = checked_text(note, false)?;
    let arrival = Arrival {
        by: staff_text(caller.staff.id),
        at: now,
        note,
    };
    // The state machine checks the duty and the stage.
    add_record(
        store,
        caller,
        case,
        Command::RecordArrival,
        now,
        ARRIVAL,
        "arrived",
        |_| Ok(arrival),
    )
    .await
}

/// Records the person's choice (it may change later; every choice is kept).
pub async fn record_choice(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    choice: &str,
    country: &str,
    note: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    if !CHOICES.contains(&choice) {
        return Err(CaseError::BadText);
    }
    let country = checked_text(country, choice == "relocate")?;
    let note = checked_text(note, choice == "other")?;
    let record = Choice {
        by: staff_text(caller.staff.id),
        at: now,
        choice: choice.to_owned(),
        country,
        note,
    };
    add_record(
        store,
        caller,
        case,
        Command::AddContent,
        now,
        CHOICE,
        "choice",
        |loaded| {
            require_receiver(loaded, caller)?;
            if !matches!(loaded.state.stage, Stage::Arrived | Stage::FollowUp) {
                return Err(CaseRuleError::WrongStage(loaded.state.stage).into());
            }
            Ok(record)
        },
    )
    .await
}

/// Records a follow-up review (after the arrival); the next one comes due.
pub async fn record_review(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    note: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let note = checked_text(note, true)?;
    let arrived = store.case_records(case).await?.iter().any(|r| r.kind == ARRIVAL);
    let review = Review {
        by: staff_text(caller.staff.id),
        at: now,
        note,
    };
    add_record(
        store,
        caller,
        case,
        Command::AddContent,
        now,
        REVIEW,
        "review",
        |loaded| {
            require_receiver(loaded, caller)?;
            if !arrived {
                return Err(CaseRuleError::WrongStage(loaded.state.stage).into());
            }
            Ok(review)
        },
    )
    .await
}

/// What reception recorded, for the people on the case who may receive.
#[derive(Default)]
pub(super) struct Opened {
    pub arrival: Option<Arrival>,
    pub choices: Vec<Choice>,
    pub reviews: Vec<Review>,
}

impl Opened {
    pub(super) fn add(&mut self, key: &CaseKey, record: &NewCaseRecord) -> Result<(), CaseError> {
        match record.kind.as_str() {
            ARRIVAL => self.arrival = Some(records::decrypt(key, record)?),
            CHOICE => self.choices.push(records::decrypt(key, record)?),
            REVIEW => self.reviews.push(records::decrypt(key, record)?),
            _ => {}
        }
        Ok(())
    }

    /// The next review and whether it is overdue at `now`.
    pub(super) fn review_due(&self, config: &CaseConfig, now: i64) -> Option<(i64, bool)> {
        let arrival = self.arrival.as_ref()?;
        let due_at = next_review(config, arrival.at, self.reviews.len())?;
        Some((
            due_at,
            Due {
                due_at,
                done_at: None,
            }
            .is_missed(now),
        ))
    }
}

/// The arrival, the choices and the reviews of one case, for reception and
/// the coordinators (others on the case get an empty view). Read with the
/// case page, after [`super::view`] has recorded the reading.
pub async fn reception_of(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<ReceptionView, CaseError> {
    let loaded = load(store, caller, case).await?;
    if !may_receive(&duties_of(&loaded.state, caller.staff.id)) {
        return Ok(ReceptionView::default());
    }
    let mut opened = Opened::default();
    for record in store.case_records(case).await? {
        opened.add(&loaded.key, &record)?;
    }
    let due = opened.review_due(config, now);
    Ok(ReceptionView {
        next_review: due.map(|d| d.0),
        review_overdue: due.is_some_and(|d| d.1),
        arrival: opened.arrival,
        choices: opened.choices,
        reviews: opened.reviews,
    })
}
