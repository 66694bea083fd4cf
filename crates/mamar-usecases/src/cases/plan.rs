//! Exit plans, check-ins and tasks. A plan is a list of steps (who, where,
//! when, how the people recognise each other, the fallback), read only by
//! the case's coordinators until a second person approves releasing it to
//! the team. A step may carry check-ins with a due time; a check-in not
//! confirmed by its time is missed, and the whole team sees the alert at
//! once (a dead man's switch). Tasks with due dates are the team's; the
//! overdue ones are listed with the most endangered person first.
//!
//! Every part is a record under the case key (so re-keying, backups and
//! retention treat it like any other record); the alerts are worked out at
//! read time against the clock the caller passes in, so nothing at rest
//! says when anything is due.

use mamar_core::case::machine::{Command, Effect};
use mamar_core::case::plan::{Due, Risk, may_read_plan, may_read_step, may_write_plan, order_overdue};
use mamar_core::case::{CaseReference, CaseRuleError, Duty, Stage};
use mamar_crypto::CaseKey;
use mamar_store::{NewCaseRecord, Store};
use serde::{Deserialize, Serialize};

use super::act::{Ask, Extra, act, ask_second_person, checked_text, event};
use super::read::CaseListItem;
use super::{duties_of, load, random_id};
use crate::config::CaseConfig;
use crate::records::{self, staff_text};
use crate::{Caller, CaseError};

pub const PLAN_STEP: &str = "case.plan-step";
pub const CHECK_IN: &str = "case.check-in";
pub const TASK: &str = "case.task";
/// A check-in confirmed or a task finished.
pub const DONE: &str = "case.done";
/// The plan released to the team, written when a second person grants it.
pub const PLAN_RELEASE: &str = "case.plan-release";

/// The longest single field of a step, in characters.
const MAX_FIELD_CHARS: usize = 1_000;

/// One step of an exit plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PlanStep {
    pub author: String,
    pub at: i64,
    /// A duty code (who on the team) or "partner".
    pub who: String,
    /// The partner's name, or who exactly on the team.
    pub who_detail: String,
    pub place: String,
    pub when: String,
    pub recognition: String,
    pub fallback: String,
}

/// A step as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct StepInput<'a> {
    pub who: &'a str,
    pub who_detail: &'a str,
    pub place: &'a str,
    pub when: &'a str,
    pub recognition: &'a str,
    pub fallback: &'a str,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct CheckIn {
    author: String,
    at: i64,
    /// The step's record id (hex), if it belongs to one.
    step: Option<String>,
    label: String,
    due_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Task {
    author: String,
    at: i64,
    title: String,
    due_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct DoneMark {
    /// The check-in's or task's record id (hex).
    of: String,
    by: String,
    at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Release {
    by: String,
    at: i64,
}

/// A check-in as the case page shows it.
#[derive(Debug, Clone)]
pub struct CheckInView {
    pub id: [u8; 16],
    pub step: Option<[u8; 16]>,
    pub label: String,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub missed: bool,
}

/// A task as the case page shows it.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub id: [u8; 16],
    pub title: String,
    pub due_at: i64,
    pub done_at: Option<i64>,
    pub overdue: bool,
}

/// The plan part of a case, as the caller may read it.
#[derive(Debug, Clone, Default)]
pub struct PlanView {
    pub released: bool,
    /// The caller may read the steps and check-ins.
    pub readable: bool,
    /// The caller may draft the plan and ask for its release.
    pub writable: bool,
    pub steps: Vec<([u8; 16], PlanStep)>,
    pub check_ins: Vec<CheckInView>,
    pub tasks: Vec<TaskView>,
}

/// A missed check-in or an overdue task on one of the caller's cases.
#[derive(Debug, Clone)]
pub struct Alert {
    pub case_id: [u8; 16],
    pub reference: Option<CaseReference>,
    pub risk: Risk,
    pub due_at: i64,
    /// What it is called; `None` when the caller may not read the plan it belongs to.
    pub label: Option<String>,
}

/// What needs the caller now across their cases.
#[derive(Debug, Clone, Default)]
pub struct Alerts {
    pub missed_check_ins: Vec<Alert>,
    pub overdue_tasks: Vec<Alert>,
    /// Follow-up reviews past their day (for reception and the coordinators).
    pub reviews_due: Vec<Alert>,
}

fn field(text: &str) -> Result<String, CaseError> {
    let text = text.trim();
    if text.chars().count() > MAX_FIELD_CHARS {
        return Err(CaseError::BadText);
    }
    Ok(text.to_owned())
}

fn hex_id(text: &str) -> Option<[u8; 16]> {
    hex::decode(text).ok()?.try_into().ok()
}

/// The record that says the plan is released (written with the second person's grant).
pub(super) fn release_record(
    key: &CaseKey,
    caller: &Caller<'_>,
    now: i64,
) -> Result<NewCaseRecord, CaseError> {
    let release = Release {
        by: staff_text(caller.staff.id),
        at: now,
    };
    records::encrypt(key, random_id()?, PLAN_RELEASE, &release)
}

fn require_writer(duties: &[Duty]) -> Result<(), CaseError> {
    if may_write_plan(duties) {
        Ok(())
    } else {
        Err(CaseRuleError::WrongDuty.into())
    }
}

/// Adds one record of `kind` holding what `make` returns once its checks
/// pass (it sees the loaded case), with a timeline event `what`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn add_record<T: Serialize>(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    command: Command,
    now: i64,
    kind: &'static str,
    what: &'static str,
    make: impl FnOnce(&super::Loaded) -> Result<T, CaseError>,
) -> Result<Effect, CaseError> {
    act(store, caller, case, command, now, |loaded, _| {
        let value = make(loaded)?;
        Ok(Extra {
            records: vec![records::encrypt(&loaded.key, random_id()?, kind, &value)?],
            event: Some(event(caller, now, what, None, None)),
            ..Extra::default()
        })
    })
    .await
}

/// A coordinator adds a step to the plan.
pub async fn add_step(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    input: &StepInput<'_>,
    now: i64,
) -> Result<Effect, CaseError> {
    let who = input.who.trim();
    if who != "partner" && who.parse::<Duty>().is_err() {
        return Err(CaseError::BadText);
    }
    let step = PlanStep {
        author: staff_text(caller.staff.id),
        at: now,
        who: who.to_owned(),
        who_detail: field(input.who_detail)?,
        place: field(input.place)?,
        when: field(input.when)?,
        recognition: field(input.recognition)?,
        fallback: field(input.fallback)?,
    };
    if step.place.is_empty() && step.when.is_empty() {
        return Err(CaseError::BadText);
    }
    add_record(
        store,
        caller,
        case,
        Command::AddContent,
        now,
        PLAN_STEP,
        "plan-step",
        |loaded| {
            require_writer(&duties_of(&loaded.state, caller.staff.id))?;
            Ok(step)
        },
    )
    .await
}

/// A coordinator adds a check-in, due at `due_at`, to a step (or to the plan as a whole).
pub async fn add_check_in(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    step: Option<[u8; 16]>,
    label: &str,
    due_at: i64,
    now: i64,
) -> Result<Effect, CaseError> {
    let label = checked_text(label, true)?;
    if let Some(step) = step {
        let exists = store
            .case_records(case)
            .await?
            .iter()
            .any(|r| r.id == step && r.kind == PLAN_STEP);
        if !exists {
            return Err(CaseError::BadText);
        }
    }
    let check_in = CheckIn {
        author: staff_text(caller.staff.id),
        at: now,
        step: step.map(hex::encode),
        label,
        due_at,
    };
    add_record(
        store,
        caller,
        case,
        Command::AddContent,
        now,
        CHECK_IN,
        "check-in-set",
        |loaded| {
            require_writer(&duties_of(&loaded.state, caller.staff.id))?;
            Ok(check_in)
        },
    )
    .await
}

/// Anyone on the case adds a task with a due date.
pub async fn add_task(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    title: &str,
    due_at: i64,
    now: i64,
) -> Result<Effect, CaseError> {
    let title = checked_text(title, true)?;
    let task = Task {
        author: staff_text(caller.staff.id),
        at: now,
        title,
        due_at,
    };
    add_record(
        store,
        caller,
        case,
        Command::AddContent,
        now,
        TASK,
        "task-set",
        |_| Ok(task),
    )
    .await
}

/// Confirms a check-in (someone who may read the plan) or finishes a task
/// (anyone on the case). Done once; a second time is refused.
pub async fn mark_done(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    of: [u8; 16],
    now: i64,
) -> Result<Effect, CaseError> {
    let all = store.case_records(case).await?;
    let target = all
        .iter()
        .find(|r| r.id == of && (r.kind == CHECK_IN || r.kind == TASK))
        .ok_or(CaseError::BadText)?;
    let is_check_in = target.kind == CHECK_IN;
    let what = if is_check_in { "check-in-done" } else { "task-done" };
    add_record(
        store,
        caller,
        case,
        Command::AddContent,
        now,
        DONE,
        what,
        |loaded| {
            let mut released = false;
            for record in all.iter().filter(|r| r.kind == DONE || r.kind == PLAN_RELEASE) {
                if record.kind == PLAN_RELEASE {
                    released = true;
                } else {
                    let mark: DoneMark = records::decrypt(&loaded.key, record)?;
                    if mark.of == hex::encode(of) {
                        return Err(CaseError::BadText);
                    }
                }
            }
            if is_check_in && !may_read_plan(&duties_of(&loaded.state, caller.staff.id), released) {
                return Err(CaseRuleError::WrongDuty.into());
            }
            Ok(DoneMark {
                of: hex::encode(of),
                by: staff_text(caller.staff.id),
                at: now,
            })
        },
    )
    .await
}

/// A coordinator asks a second person to release the plan to the team.
pub async fn request_plan_release(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    case: &[u8; 16],
    reason: &str,
    now: i64,
) -> Result<Effect, CaseError> {
    let reason = checked_text(reason, false)?;
    let ask = Ask {
        kind: "release-plan",
        value: None,
        reason: &reason,
    };
    let command = |approval, expires_at| Command::RequestPlanRelease { approval, expires_at };
    ask_second_person(store, config, caller, case, ask, command, now).await
}

/// What the plan records of one case say, opened with its key.
#[derive(Default)]
struct Opened {
    released: bool,
    steps: Vec<([u8; 16], PlanStep)>,
    check_ins: Vec<([u8; 16], CheckIn)>,
    tasks: Vec<([u8; 16], Task)>,
    done: Vec<(String, i64)>,
}

impl Opened {
    fn add(&mut self, key: &CaseKey, record: &NewCaseRecord) -> Result<(), CaseError> {
        match record.kind.as_str() {
            PLAN_STEP => self.steps.push((record.id, records::decrypt(key, record)?)),
            CHECK_IN => self.check_ins.push((record.id, records::decrypt(key, record)?)),
            TASK => self.tasks.push((record.id, records::decrypt(key, record)?)),
            DONE => {
                let mark: DoneMark = records::decrypt(key, record)?;
                self.done.push((mark.of, mark.at));
            }
            PLAN_RELEASE => self.released = true,
            _ => {}
        }
        Ok(())
    }

    fn done_at(&self, id: &[u8; 16]) -> Option<i64> {
        let id = hex::encode(id);
        self.done.iter().find(|(of, _)| *of == id).map(|(_, at)| *at)
    }
}

const PLAN_KINDS: [&str; 5] = [PLAN_STEP, CHECK_IN, TASK, DONE, PLAN_RELEASE];

/// The plan part of one case, as the caller may read it: the steps and
/// check-ins only for coordinators or once released; the tasks for everyone
/// on the case. Read with the case page, after [`super::view`] has recorded
/// the reading in the audit log.
pub async fn plan_of(
    store: &dyn Store,
    caller: &Caller<'_>,
    case: &[u8; 16],
    now: i64,
) -> Result<PlanView, CaseError> {
    let loaded = load(store, caller, case).await?;
    let mut opened = Opened::default();
    for record in store.case_records(case).await? {
        if PLAN_KINDS.contains(&record.kind.as_str()) {
            opened.add(&loaded.key, &record)?;
        }
    }
    let duties = duties_of(&loaded.state, caller.staff.id);
    let readable = may_read_plan(&duties, opened.released);
    let mut view = PlanView {
        released: opened.released,
        readable,
        writable: may_write_plan(&duties),
        ..PlanView::default()
    };
    view.tasks = opened
        .tasks
        .iter()
        .map(|(id, task)| {
            let done_at = opened.done_at(id);
            TaskView {
                id: *id,
                title: task.title.clone(),
                due_at: task.due_at,
                done_at,
                overdue: Due {
                    due_at: task.due_at,
                    done_at,
                }
                .is_missed(now),
            }
        })
        .collect();
    view.tasks.sort_by_key(|t| (t.done_at.is_some(), t.due_at));
    if readable {
        view.check_ins = opened
            .check_ins
            .iter()
            .map(|(id, c)| {
                let done_at = opened.done_at(id);
                CheckInView {
                    id: *id,
                    step: c.step.as_deref().and_then(hex_id),
                    label: c.label.clone(),
                    due_at: c.due_at,
                    done_at,
                    missed: Due {
                        due_at: c.due_at,
                        done_at,
                    }
                    .is_missed(now),
                }
            })
            .collect();
        view.check_ins.sort_by_key(|c| c.due_at);
        view.steps = std::mem::take(&mut opened.steps);
    } else {
        view.steps = opened
            .steps
            .into_iter()
            .filter(|(_, step)| may_read_step(&duties, opened.released, &step.who))
            .collect();
    }
    Ok(view)
}

/// Missed check-ins and overdue tasks on the caller's open cases (`cases`,
/// as [`super::list_mine`] gave them), the most endangered person first.
/// Every member of a case's team sees its missed check-ins at once; only
/// those who may read the plan see what the check-in was called.
pub async fn alerts(
    store: &dyn Store,
    config: &CaseConfig,
    caller: &Caller<'_>,
    cases: &[CaseListItem],
    now: i64,
) -> Result<Alerts, CaseError> {
    use super::reception::{ARRIVAL, REVIEW};
    let kinds = [CHECK_IN, TASK, DONE, PLAN_RELEASE, ARRIVAL, REVIEW];
    let rows = store.staff_case_records(caller.staff.id, &kinds).await?;
    let mut missed = Vec::new();
    let mut overdue = Vec::new();
    let mut reviews = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let case_id = rows[start].case_id;
        let end = rows[start..]
            .iter()
            .position(|r| r.case_id != case_id)
            .map_or(rows.len(), |n| start + n);
        let group = &rows[start..end];
        start = end;
        let Some(item) = cases.iter().find(|c| c.id == case_id) else {
            continue;
        };
        if item.stage == Stage::Closed {
            continue;
        }
        let Ok(key) = CaseKey::unwrap(&group[0].wrapped_key, &case_id, caller.keyring.staff()) else {
            continue;
        };
        let mut opened = Opened::default();
        let mut reception = super::reception::Opened::default();
        for row in group {
            opened.add(&key, &row.record)?;
            reception.add(&key, &row.record)?;
        }
        let duties: Vec<Duty> = item
            .team
            .iter()
            .filter(|(s, _)| *s == caller.staff.id)
            .map(|(_, d)| *d)
            .collect();
        let readable = may_read_plan(&duties, opened.released);
        let risk = Risk::from_urgency(item.urgency.as_deref());
        let alert = |due_at: i64, label: Option<String>| Alert {
            case_id,
            reference: item.reference,
            risk,
            due_at,
            label,
        };
        for (id, c) in &opened.check_ins {
            let due = Due {
                due_at: c.due_at,
                done_at: opened.done_at(id),
            };
            if due.is_missed(now) {
                missed.push((risk, c.due_at, alert(c.due_at, readable.then(|| c.label.clone()))));
            }
        }
        if mamar_core::case::plan::may_receive(&duties)
            && let Some((due_at, true)) = reception.review_due(config, now)
        {
            reviews.push((risk, due_at, alert(due_at, None)));
        }
        for (id, t) in &opened.tasks {
            let due = Due {
                due_at: t.due_at,
                done_at: opened.done_at(id),
            };
            if due.is_missed(now) {
                overdue.push((risk, t.due_at, alert(t.due_at, Some(t.title.clone()))));
            }
        }
    }
    order_overdue(&mut missed);
    order_overdue(&mut overdue);
    order_overdue(&mut reviews);
    Ok(Alerts {
        reviews_due: reviews.into_iter().map(|(_, _, a)| a).collect(),
        missed_check_ins: missed.into_iter().map(|(_, _, a)| a).collect(),
        overdue_tasks: overdue.into_iter().map(|(_, _, a)| a).collect(),
    })
}

/// Unix seconds of a time typed as `YYYY-MM-DDTHH:MM` (what a browser's
/// date-and-time field sends) or `YYYY-MM-DD` (midnight), in UTC.
pub fn parse_due(text: &str) -> Result<i64, CaseError> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' ']).unwrap_or((text, "00:00"));
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(day))) = (d.next(), d.next(), d.next()) else {
        return Err(CaseError::BadTime);
    };
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (Some(Some(hour)), Some(Some(minute))) = (t.next(), t.next()) else {
        return Err(CaseError::BadTime);
    };
    if !(2000..=2200).contains(&y)
        || !(1..=12).contains(&m)
        || !(0..24).contains(&hour)
        || !(0..60).contains(&minute)
    {
        return Err(CaseError::BadTime);
    }
    let days_in_month = match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days_in_month).contains(&day) {
        return Err(CaseError::BadTime);
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400 + hour * 3_600 + minute * 60)
}
