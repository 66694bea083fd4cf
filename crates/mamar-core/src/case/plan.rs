//! Exit plans and what falls due on a case: who may read a plan, when a
//! check-in counts as missed (the dead man's switch), and the order of the
//! overdue list (the case's risk first, then the oldest due). Pure: times
//! come in as Unix seconds from the caller's clock, so a test clock drives
//! every alert.

use super::Duty;

/// Whether someone with `duties` on a case may read its exit plan. The
/// coordinators always may; the rest of the team only once a second
/// person has approved releasing the plan to them.
pub fn may_read_plan(duties: &[Duty], released: bool) -> bool {
    duties.contains(&Duty::Coordinator) || (released && !duties.is_empty())
}

/// Whether someone with `duties` may read one step, done by `step_who` (a
/// duty code or "partner"). Besides whoever may read the plan, a reception
/// officer reads the steps that are reception's own: where and when the
/// person arrives and how they recognise each other, never the route.
pub fn may_read_step(duties: &[Duty], released: bool, step_who: &str) -> bool {
    may_read_plan(duties, released)
        || (duties.contains(&Duty::Reception) && step_who == Duty::Reception.code())
}

/// Whether someone with `duties` records the arrival and the person's choice.
pub fn may_receive(duties: &[Duty]) -> bool {
    duties.contains(&Duty::Reception) || duties.contains(&Duty::Coordinator)
}

/// Whether someone with `duties` may draft or change the plan.
pub fn may_write_plan(duties: &[Duty]) -> bool {
    duties.contains(&Duty::Coordinator)
}

/// Something that falls due: a check-in or a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// Unix seconds.
    pub due_at: i64,
    /// When it was done (a check-in confirmed, a task finished).
    pub done_at: Option<i64>,
}

impl Due {
    /// Not done, and its time has come. A check-in that is missed raises an
    /// alert at once: there is no grace period beyond the due time itself.
    pub fn is_missed(&self, now: i64) -> bool {
        self.done_at.is_none() && self.due_at <= now
    }
}

/// How much danger the person is in, from the urgency the request gave.
/// Orders the overdue list: the most endangered first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Immediate,
    Weeks,
    Planning,
    Unknown,
}

impl Risk {
    /// From the questionnaire's `urgency` answer (unknown for anything else).
    pub fn from_urgency(urgency: Option<&str>) -> Risk {
        match urgency {
            Some("immediate") => Risk::Immediate,
            Some("weeks") => Risk::Weeks,
            Some("planning") => Risk::Planning,
            _ => Risk::Unknown,
        }
    }
}

/// Sorts overdue items, given as `(risk, due_at, item)`: the highest risk
/// first, and within one risk the longest overdue first.
pub fn order_overdue<T>(items: &mut [(Risk, i64, T)]) {
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
}
