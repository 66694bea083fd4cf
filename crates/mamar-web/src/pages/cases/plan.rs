//! The exit plan on the case page: its steps, check-ins and tasks as the
//! reader may see them, and the plan's actions (`plan-*` in the case
//! page's `action` field). Every rule is in `mamar_usecases::cases`.

use super::*;

pub struct StepLine {
    pub id: String,
    pub who: String,
    pub place: String,
    pub when: String,
    pub recognition: String,
    pub fallback: String,
}

pub struct DueLine {
    pub id: String,
    pub text: String,
    pub due: String,
    pub done: bool,
    pub late: bool,
}

/// The plan part of the case page.
#[derive(Default)]
pub struct PlanSection {
    pub readable: bool,
    pub writable: bool,
    pub released: bool,
    pub steps: Vec<StepLine>,
    pub check_ins: Vec<DueLine>,
    pub tasks: Vec<DueLine>,
    pub who_options: Vec<(String, String)>,
}

/// Reception's part of the case page: the arrival, the person's choices, the reviews.
#[derive(Default)]
pub struct ReceptionSection {
    pub shown: bool,
    pub arrival: Option<(String, String)>,
    /// (when, what, note), oldest first.
    pub choices: Vec<(String, String, String)>,
    pub reviews: Vec<(String, String)>,
    pub next_review: Option<String>,
    pub review_overdue: bool,
    pub options: Vec<(String, String)>,
}

pub async fn reception(
    state: &AppState,
    ctx: &crate::auth::StaffContext,
    tr: &Tr,
    case: &[u8; 16],
    receives: bool,
) -> ReceptionSection {
    let now = state.clock.now();
    if !receives {
        return ReceptionSection::default();
    }
    let Ok(view) = cases::reception_of(
        state.store.as_ref(),
        state.cases.as_ref(),
        &caller(ctx),
        case,
        now,
    )
    .await
    else {
        return ReceptionSection::default();
    };
    ReceptionSection {
        shown: true,
        arrival: view.arrival.map(|a| (due_text(a.at), a.note)),
        choices: view
            .choices
            .iter()
            .map(|c| {
                let what = tr.t(&format!("reception-choice-{}", c.choice));
                let what = if c.country.is_empty() {
                    what
                } else {
                    format!("{what}: {}", c.country)
                };
                (due_text(c.at), what, c.note.clone())
            })
            .collect(),
        reviews: view
            .reviews
            .iter()
            .map(|r| (due_text(r.at), r.note.clone()))
            .collect(),
        next_review: view.next_review.map(due_text),
        review_overdue: view.review_overdue,
        options: cases::CHOICES
            .iter()
            .map(|c| ((*c).to_owned(), tr.t(&format!("reception-choice-{c}"))))
            .collect(),
    }
}

/// `2027-01-15 08:30 UTC`: a due time, always with the hour, in UTC.
pub(crate) fn due_text(at: i64) -> String {
    format!("{} UTC", crate::pages::audit::utc_minute(at))
}

pub async fn section(
    state: &AppState,
    ctx: &crate::auth::StaffContext,
    tr: &Tr,
    case: &[u8; 16],
) -> PlanSection {
    let now = state.clock.now();
    let Ok(plan) = cases::plan_of(state.store.as_ref(), &caller(ctx), case, now).await else {
        return PlanSection::default();
    };
    let due_line = |id: &[u8; 16], text: &str, due_at: i64, done_at: Option<i64>, late: bool| DueLine {
        id: hex(id),
        text: text.to_owned(),
        due: due_text(due_at),
        done: done_at.is_some(),
        late,
    };
    PlanSection {
        readable: plan.readable,
        writable: plan.writable,
        released: plan.released,
        steps: plan
            .steps
            .iter()
            .map(|(id, s)| {
                let role = if s.who == "partner" {
                    tr.t("plan-who-partner")
                } else {
                    tr.t(&format!("duty-{}", s.who))
                };
                let who = if s.who_detail.is_empty() {
                    role
                } else {
                    format!("{role} — {}", s.who_detail)
                };
                StepLine {
                    id: hex(id),
                    who,
                    place: s.place.clone(),
                    when: s.when.clone(),
                    recognition: s.recognition.clone(),
                    fallback: s.fallback.clone(),
                }
            })
            .collect(),
        check_ins: plan
            .check_ins
            .iter()
            .map(|c| due_line(&c.id, &c.label, c.due_at, c.done_at, c.missed))
            .collect(),
        tasks: plan
            .tasks
            .iter()
            .map(|t| due_line(&t.id, &t.title, t.due_at, t.done_at, t.overdue))
            .collect(),
        who_options: Duty::ALL
            .iter()
            .filter(|d| **d != Duty::Intake)
            .map(|d| (d.code().to_owned(), tr.t(&format!("duty-{}", d.code()))))
            .chain(std::iter::once(("partner".to_owned(), tr.t("plan-who-partner"))))
            .collect(),
    }
}

/// The plan's actions; `None` for an action that is not the plan's.
pub async fn act(
    state: &AppState,
    ctx: &crate::auth::StaffContext,
    case: &[u8; 16],
    pairs: &[(String, String)],
) -> Option<Result<&'static str, CaseError>> {
    let get = |name: &str| field(pairs, name);
    let store = state.store.as_ref();
    let who = caller(ctx);
    let now = state.clock.now();
    Some(match get("action") {
        "plan-step" => {
            let input = cases::StepInput {
                who: get("who"),
                who_detail: get("who_detail"),
                place: get("place"),
                when: get("when"),
                recognition: get("recognition"),
                fallback: get("fallback"),
            };
            cases::add_step(store, &who, case, &input, now)
                .await
                .map(|_| "plan-step")
        }
        "plan-check-in" => match cases::parse_due(get("due")) {
            Ok(due) => {
                let step = unhex16(get("step"));
                cases::add_check_in(store, &who, case, step, get("text"), due, now)
                    .await
                    .map(|_| "plan-check-in")
            }
            Err(error) => Err(error),
        },
        "plan-task" => match cases::parse_due(get("due")) {
            Ok(due) => cases::add_task(store, &who, case, get("text"), due, now)
                .await
                .map(|_| "plan-task"),
            Err(error) => Err(error),
        },
        "plan-done" => match unhex16(get("item")) {
            Some(item) => cases::mark_done(store, &who, case, item, now)
                .await
                .map(|_| "plan-done"),
            None => Err(CaseError::BadText),
        },
        "arrival" => cases::record_arrival(store, &who, case, get("text"), now)
            .await
            .map(|_| "arrival"),
        "choice" => cases::record_choice(store, &who, case, get("choice"), get("country"), get("text"), now)
            .await
            .map(|_| "choice"),
        "review" => cases::record_review(store, &who, case, get("text"), now)
            .await
            .map(|_| "review"),
        "plan-release" => {
            cases::request_plan_release(store, state.cases.as_ref(), &who, case, get("text"), now)
                .await
                .map(|_| "sent-for-approval")
        }
        _ => return None,
    })
}
