//! The journey after vetting: the exit plan read only by coordinators until
//! a second person releases it, check-ins whose miss alerts the whole team
//! at once (driven by a test clock), tasks and the overdue list by risk.

use mamar_core::case::{CaseRuleError, Duty, VettingDecision};
use mamar_usecases::CaseError;
use mamar_usecases::cases::{self, StepInput};

use crate::walk::staffed_case;
use crate::world::{NOW, World};

const HOUR: i64 = 3_600;

/// A staffed case cleared by vetting (now in planning), with a receiver on it.
async fn planning_case(w: &World) -> [u8; 16] {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let coordinator = w.coordinator.caller();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::propose_vetting(
        s,
        &w.config,
        &w.vetter.caller(),
        &case,
        VettingDecision::Cleared,
        "Story holds.",
        NOW,
    )
    .await
    .unwrap();
    let approval = cases::view(s, &w.config, &coordinator, &case, NOW)
        .await
        .unwrap()
        .pending[0]
        .id;
    cases::decide(s, &coordinator, &case, approval, true, NOW)
        .await
        .unwrap();
    cases::assign(s, &coordinator, &case, w.receiver.record.id, Duty::Reception, NOW)
        .await
        .unwrap();
    case
}

fn step<'a>() -> StepInput<'a> {
    StepInput {
        who: "partner",
        who_detail: "the crossing team",
        place: "the bakery by the old bus station",
        when: "Thursday after the evening prayer",
        recognition: "a blue scarf; he asks for bread from yesterday",
        fallback: "wait one hour, then go home and write to us",
    }
}

pub async fn only_coordinators_read_the_plan_until_a_second_person_releases_it(w: &World) {
    let s = w.store.as_ref();
    let case = planning_case(w).await;
    let coordinator = w.coordinator.caller();
    cases::add_step(s, &coordinator, &case, &step(), NOW)
        .await
        .unwrap();
    // Nobody else drafts the plan.
    assert!(matches!(
        cases::add_step(s, &w.receiver.caller(), &case, &step(), NOW).await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    let mine = cases::plan_of(s, &coordinator, &case, NOW).await.unwrap();
    assert!(mine.readable && mine.writable && !mine.released);
    assert_eq!(mine.steps.len(), 1);
    assert_eq!(mine.steps[0].1.recognition, step().recognition);
    for other in [&w.receiver, &w.vetter, &w.intake] {
        let theirs = cases::plan_of(s, &other.caller(), &case, NOW).await.unwrap();
        assert!(!theirs.readable);
        assert!(theirs.steps.is_empty() && theirs.check_ins.is_empty());
    }
    // Only a coordinator asks; the one who asked cannot approve.
    assert!(matches!(
        cases::request_plan_release(s, &w.config, &w.vetter.caller(), &case, "", NOW).await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    cases::request_plan_release(s, &w.config, &coordinator, &case, "the crossing is set", NOW)
        .await
        .unwrap();
    let pending = cases::view(s, &w.config, &coordinator, &case, NOW)
        .await
        .unwrap()
        .pending;
    assert_eq!(pending[0].kind, "release-plan");
    assert!(matches!(
        cases::decide(s, &coordinator, &case, pending[0].id, true, NOW).await,
        Err(CaseError::Rule(CaseRuleError::OwnRequest))
    ));
    assert!(
        !cases::plan_of(s, &w.receiver.caller(), &case, NOW)
            .await
            .unwrap()
            .readable
    );
    cases::decide(s, &w.vetter.caller(), &case, pending[0].id, true, NOW)
        .await
        .unwrap();
    let theirs = cases::plan_of(s, &w.receiver.caller(), &case, NOW).await.unwrap();
    assert!(theirs.released && theirs.readable && !theirs.writable);
    assert_eq!(theirs.steps[0].1.place, step().place);
    // An administrator who is not on the case reads nothing at all.
    assert!(matches!(
        cases::plan_of(s, &w.admin.caller(), &case, NOW).await,
        Err(CaseError::NotFound)
    ));
}

pub async fn a_missed_check_in_alerts_the_whole_team_at_once(w: &World) {
    let s = w.store.as_ref();
    let case = planning_case(w).await;
    let coordinator = w.coordinator.caller();
    cases::add_step(s, &coordinator, &case, &step(), NOW)
        .await
        .unwrap();
    let step_id = cases::plan_of(s, &coordinator, &case, NOW).await.unwrap().steps[0].0;
    cases::add_check_in(
        s,
        &coordinator,
        &case,
        Some(step_id),
        "message from the driver",
        NOW + 2 * HOUR,
        NOW,
    )
    .await
    .unwrap();
    cases::add_check_in(
        s,
        &coordinator,
        &case,
        None,
        "arrived at the safe house",
        NOW + 5 * HOUR,
        NOW,
    )
    .await
    .unwrap();
    // A check-in for a step of another case's plan (or none) is refused.
    assert!(
        cases::add_check_in(s, &coordinator, &case, Some([9; 16]), "x", NOW + HOUR, NOW)
            .await
            .is_err()
    );
    let alerts_of = |who: &'static str, at: i64| {
        let person = match who {
            "coordinator" => &w.coordinator,
            "receiver" => &w.receiver,
            "vetter" => &w.vetter,
            _ => &w.analyst,
        };
        async move {
            let items = cases::list_mine(s, &w.config, &person.caller()).await.unwrap();
            cases::alerts(s, &w.config, &person.caller(), &items, at)
                .await
                .unwrap()
        }
    };
    // Before the time, nothing; one second after, everyone on the case sees it.
    assert!(
        alerts_of("coordinator", NOW + 2 * HOUR - 1)
            .await
            .missed_check_ins
            .is_empty()
    );
    let late = NOW + 2 * HOUR + 1;
    let coordinator_alerts = alerts_of("coordinator", late).await;
    assert_eq!(coordinator_alerts.missed_check_ins.len(), 1);
    assert_eq!(
        coordinator_alerts.missed_check_ins[0].label.as_deref(),
        Some("message from the driver")
    );
    let receiver_alerts = alerts_of("receiver", late).await;
    assert_eq!(receiver_alerts.missed_check_ins.len(), 1);
    assert_eq!(
        receiver_alerts.missed_check_ins[0].label, None,
        "the plan is not released: the receiver learns that a check-in was missed, not what it was"
    );
    assert!(
        alerts_of("analyst", late).await.missed_check_ins.is_empty(),
        "not on the case"
    );
    // The workspace counts it.
    let counts = cases::home_counts(s, &w.config, &w.vetter.caller(), late)
        .await
        .unwrap();
    assert_eq!(counts.alerts.missed_check_ins.len(), 1);
    // Confirming it clears the alert; confirming twice is refused.
    let check_in = cases::plan_of(s, &coordinator, &case, late)
        .await
        .unwrap()
        .check_ins[0]
        .clone();
    assert!(check_in.missed);
    // The receiver cannot confirm a check-in of a plan they may not read.
    assert!(
        cases::mark_done(s, &w.receiver.caller(), &case, check_in.id, late)
            .await
            .is_err()
    );
    cases::mark_done(s, &coordinator, &case, check_in.id, late)
        .await
        .unwrap();
    assert!(
        cases::mark_done(s, &coordinator, &case, check_in.id, late)
            .await
            .is_err()
    );
    assert!(alerts_of("receiver", late).await.missed_check_ins.is_empty());
    assert_eq!(
        alerts_of("receiver", NOW + 6 * HOUR).await.missed_check_ins.len(),
        1
    );
}

pub async fn overdue_tasks_are_listed_most_endangered_first(w: &World) {
    let s = w.store.as_ref();
    let urgent = planning_case(w).await;
    // A second case, from a request that is not urgent.
    let (request, _) = w
        .request(
            "eight nine ten eleven twelve thirteen fourteen",
            &[
                ("urgency", "planning"),
                ("governorate", "sy-di"),
                ("institution", "army"),
                ("service_type", "compulsory"),
                ("rank_class", "soldier"),
                ("companions", "alone"),
                ("destination", "undecided"),
            ],
            "later",
        )
        .await;
    let calm = cases::open_from_request(s, &w.questionnaire, &w.intake.caller(), &request, None, NOW)
        .await
        .unwrap()
        .id;
    cases::assign(
        s,
        &w.intake.caller(),
        &calm,
        w.coordinator.record.id,
        Duty::Coordinator,
        NOW,
    )
    .await
    .unwrap();
    let coordinator = w.coordinator.caller();
    cases::add_task(s, &coordinator, &calm, "find a lawyer", NOW + HOUR, NOW)
        .await
        .unwrap();
    cases::add_task(s, &coordinator, &urgent, "buy a phone", NOW + 3 * HOUR, NOW)
        .await
        .unwrap();
    cases::add_task(s, &coordinator, &urgent, "book the room", NOW + 30 * HOUR, NOW)
        .await
        .unwrap();
    let items = cases::list_mine(s, &w.config, &coordinator).await.unwrap();
    let alerts = cases::alerts(s, &w.config, &coordinator, &items, NOW + 4 * HOUR)
        .await
        .unwrap();
    let titles: Vec<_> = alerts
        .overdue_tasks
        .iter()
        .map(|a| a.label.clone().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["buy a phone", "find a lawyer"],
        "the person in immediate danger first"
    );
    let task = cases::plan_of(s, &w.receiver.caller(), &urgent, NOW)
        .await
        .unwrap()
        .tasks[0]
        .clone();
    cases::mark_done(s, &w.receiver.caller(), &urgent, task.id, NOW + 4 * HOUR)
        .await
        .unwrap();
    let alerts = cases::alerts(s, &w.config, &coordinator, &items, NOW + 4 * HOUR)
        .await
        .unwrap();
    assert_eq!(alerts.overdue_tasks.len(), 1);
}

pub async fn plan_records_are_re_encrypted_when_someone_leaves(w: &World) {
    let s = w.store.as_ref();
    let case = planning_case(w).await;
    let coordinator = w.coordinator.caller();
    cases::add_step(s, &coordinator, &case, &step(), NOW)
        .await
        .unwrap();
    cases::add_task(s, &coordinator, &case, "buy a phone", NOW + HOUR, NOW)
        .await
        .unwrap();
    cases::unassign(s, &coordinator, &case, w.receiver.record.id, NOW)
        .await
        .unwrap();
    let plan = cases::plan_of(s, &coordinator, &case, NOW).await.unwrap();
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.tasks.len(), 1);
    assert!(matches!(
        cases::plan_of(s, &w.receiver.caller(), &case, NOW).await,
        Err(CaseError::NotFound)
    ));
}

#[test]
fn due_times_parse_as_utc() {
    assert_eq!(cases::parse_due("2000-01-02T00:00").unwrap(), 946_771_200);
    assert_eq!(cases::parse_due("2027-03-01 08:30").unwrap(), 1_803_889_800);
    assert_eq!(cases::parse_due("2028-02-29").unwrap() % 86_400, 0);
    for bad in [
        "",
        "2027-02-29T10:00",
        "2027-13-01T00:00",
        "2027-01-01T24:00",
        "tomorrow",
    ] {
        assert!(cases::parse_due(bad).is_err(), "{bad}");
    }
}

const DAY: i64 = 86_400;

pub async fn reception_records_the_arrival_and_the_persons_choice_without_reading_the_route(w: &World) {
    let s = w.store.as_ref();
    let case = planning_case(w).await;
    let coordinator = w.coordinator.caller();
    let receiver = w.receiver.caller();
    cases::add_step(s, &coordinator, &case, &step(), NOW)
        .await
        .unwrap();
    let meeting = StepInput {
        who: "reception",
        who_detail: "",
        place: "the clinic's back door",
        when: "Friday morning",
        recognition: "he carries a green bag",
        fallback: "the clinic's phone",
    };
    cases::add_step(s, &coordinator, &case, &meeting, NOW)
        .await
        .unwrap();
    // Reception reads its own step (where they meet, how they recognise him), not the route.
    let theirs = cases::plan_of(s, &receiver, &case, NOW).await.unwrap();
    assert!(!theirs.readable);
    assert_eq!(theirs.steps.len(), 1);
    assert_eq!(theirs.steps[0].1.recognition, "he carries a green bag");
    assert!(theirs.steps.iter().all(|(_, st)| st.place != step().place));
    // Nothing to choose before the arrival, and no arrival before the case is in transit.
    assert!(matches!(
        cases::record_arrival(s, &receiver, &case, "", NOW).await,
        Err(CaseError::Rule(CaseRuleError::WrongStage(_)))
    ));
    cases::advance(s, &coordinator, &case, NOW).await.unwrap(); // in transit
    assert!(
        cases::record_choice(s, &receiver, &case, "stay", "", "", NOW)
            .await
            .is_err()
    );
    // The vetting officer does not receive.
    assert!(matches!(
        cases::record_arrival(s, &w.vetter.caller(), &case, "", NOW).await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    cases::record_arrival(s, &receiver, &case, "tired, unhurt", NOW)
        .await
        .unwrap();
    let view = cases::view(s, &w.config, &receiver, &case, NOW).await.unwrap();
    assert_eq!(view.state.stage, mamar_core::case::Stage::Arrived);
    // Relocating needs a country; "other" needs words.
    assert!(
        cases::record_choice(s, &receiver, &case, "relocate", " ", "", NOW)
            .await
            .is_err()
    );
    assert!(
        cases::record_choice(s, &receiver, &case, "other", "", "", NOW)
            .await
            .is_err()
    );
    assert!(
        cases::record_choice(s, &receiver, &case, "fly", "", "", NOW)
            .await
            .is_err()
    );
    cases::record_choice(s, &receiver, &case, "stay", "", "", NOW)
        .await
        .unwrap();
    cases::record_choice(
        s,
        &coordinator,
        &case,
        "relocate",
        "Germany",
        "his brother is there",
        NOW + DAY,
    )
    .await
    .unwrap();
    let reception = cases::reception_of(s, &w.config, &receiver, &case, NOW + DAY)
        .await
        .unwrap();
    assert_eq!(reception.arrival.as_ref().unwrap().note, "tired, unhurt");
    assert_eq!(reception.choices.len(), 2, "every choice is kept");
    let now_wants = reception.choices.last().unwrap();
    assert_eq!(
        (now_wants.choice.as_str(), now_wants.country.as_str()),
        ("relocate", "Germany")
    );
    // The vetting officer sees none of it.
    let vetter = cases::reception_of(s, &w.config, &w.vetter.caller(), &case, NOW + DAY)
        .await
        .unwrap();
    assert!(vetter.arrival.is_none() && vetter.choices.is_empty());
}

pub async fn follow_up_reviews_come_due_on_the_organisations_schedule(w: &World) {
    let s = w.store.as_ref();
    let case = planning_case(w).await;
    let coordinator = w.coordinator.caller();
    let receiver = w.receiver.caller();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::record_arrival(s, &receiver, &case, "", NOW).await.unwrap();
    let due_of = |at: i64| async move {
        let items = cases::list_mine(s, &w.config, &w.receiver.caller())
            .await
            .unwrap();
        cases::alerts(s, &w.config, &w.receiver.caller(), &items, at)
            .await
            .unwrap()
            .reviews_due
    };
    // The shipped schedule: 30, 90 and 180 days after the arrival.
    assert!(due_of(NOW + 30 * DAY - 1).await.is_empty());
    assert_eq!(due_of(NOW + 30 * DAY).await.len(), 1);
    let reception = cases::reception_of(s, &w.config, &receiver, &case, NOW + 31 * DAY)
        .await
        .unwrap();
    assert_eq!(reception.next_review, Some(NOW + 30 * DAY));
    assert!(reception.review_overdue);
    cases::record_review(s, &receiver, &case, "settled, looking for work", NOW + 31 * DAY)
        .await
        .unwrap();
    assert!(due_of(NOW + 89 * DAY).await.is_empty());
    assert_eq!(due_of(NOW + 90 * DAY).await.len(), 1);
    let reception = cases::reception_of(s, &w.config, &receiver, &case, NOW + 31 * DAY)
        .await
        .unwrap();
    assert_eq!(reception.next_review, Some(NOW + 90 * DAY));
    // Not the vetting officer's to see.
    let items = cases::list_mine(s, &w.config, &w.vetter.caller()).await.unwrap();
    let theirs = cases::alerts(s, &w.config, &w.vetter.caller(), &items, NOW + 200 * DAY)
        .await
        .unwrap();
    assert!(theirs.reviews_due.is_empty());
}

/// Canaries typed into every field of the plan and of reception appear
/// nowhere in the database's files: each is a record under the case key.
/// (The web's canary test plants the plan's fields through the pages too.)
#[tokio::test]
async fn canaries_in_every_plan_and_reception_field_are_nowhere_in_the_database_files() {
    let w = World::sqlite().await;
    let s = w.store.as_ref();
    let case = planning_case(&w).await;
    let coordinator = w.coordinator.caller();
    let receiver = w.receiver.caller();
    let canaries = [
        "canary-step-who-0a1b",
        "canary-step-place-2c3d",
        "canary-step-when-4e5f",
        "canary-step-recognition-6a7b",
        "canary-step-fallback-8c9d",
        "canary-check-in-1e2f",
        "canary-task-3a4b",
        "canary-release-reason-5c6d",
        "canary-arrival-7e8f",
        "canary-country-9a0b",
        "canary-choice-note-1c2d",
        "canary-review-3e4f",
    ];
    let input = StepInput {
        who: "reception",
        who_detail: canaries[0],
        place: canaries[1],
        when: canaries[2],
        recognition: canaries[3],
        fallback: canaries[4],
    };
    cases::add_step(s, &coordinator, &case, &input, NOW)
        .await
        .unwrap();
    cases::add_check_in(s, &coordinator, &case, None, canaries[5], NOW + HOUR, NOW)
        .await
        .unwrap();
    cases::add_task(s, &coordinator, &case, canaries[6], NOW + HOUR, NOW)
        .await
        .unwrap();
    cases::request_plan_release(s, &w.config, &coordinator, &case, canaries[7], NOW)
        .await
        .unwrap();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::record_arrival(s, &receiver, &case, canaries[8], NOW)
        .await
        .unwrap();
    cases::record_choice(s, &receiver, &case, "relocate", canaries[9], canaries[10], NOW)
        .await
        .unwrap();
    cases::record_review(s, &receiver, &case, canaries[11], NOW)
        .await
        .unwrap();
    // Everything went in: the team reads it back.
    let reception = cases::reception_of(s, &w.config, &receiver, &case, NOW)
        .await
        .unwrap();
    assert_eq!(reception.choices[0].country, canaries[9]);
    let files = w.sqlite_files();
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for canary in canaries {
            assert!(
                !bytes.windows(canary.len()).any(|w| w == canary.as_bytes()),
                "{canary} in {}",
                file.display()
            );
        }
    }
}

/// The facets the registry counts: derived from the request's answers, the
/// person's birth year, the months of contact and arrival, the outcome and
/// the newest choice; codes only; opened by the analytics key and no other.
#[test]
fn facets_keep_codes_and_bands_and_open_only_with_the_analytics_key() {
    use mamar_crypto::{Keyring, OrgKey, OrgKeyKind, StaffKeyPair};
    use mamar_usecases::{FacetSource, facets_of, open_facets, seal_facets};
    let questionnaire = mamar_core::questionnaire::Questionnaire::default_shipped();
    let pairs: Vec<(String, String)> = crate::walk::ANSWERS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let answers = questionnaire.validate(&pairs).unwrap();
    let facets = facets_of(&FacetSource {
        answers: Some(&answers),
        birth_year: Some(1999),
        service_years: Some(3),
        opened_on: "2026-12-05",
        arrival_at: Some(NOW),
        outcome: Some("safe-relocated"),
        choice: Some(("relocate", "Germany")),
    });
    assert_eq!(facets.institution.as_deref(), Some("army"));
    assert_eq!(facets.service_type.as_deref(), Some("compulsory"));
    assert_eq!(facets.rank_class.as_deref(), Some("soldier"));
    assert_eq!(facets.governorate.as_deref(), Some("sy-hl"));
    assert_eq!(
        facets.month_of_contact.map(|m| m.to_string()).as_deref(),
        Some("2026-12")
    );
    assert_eq!(
        facets.month_of_arrival.map(|m| m.to_string()).as_deref(),
        Some("2027-01")
    );
    assert_eq!(facets.outcome.as_deref(), Some("safe-relocated"));
    assert_eq!(facets.destination.as_deref(), Some("relocate"));
    // The country is not a facet: at one organisation's counts it could point at a person.
    assert!(!serde_json::to_string(&facets).unwrap().contains("Germany"));
    assert_eq!(facets.age_band.as_deref(), Some("25-34"));
    assert_eq!(facets.service_years_band.as_deref(), Some("2-4"));
    // Before any choice, the request's answer ("undecided") says nothing.
    let early = facets_of(&FacetSource {
        answers: Some(&answers),
        opened_on: "2026-12-05",
        ..FacetSource::default()
    });
    assert_eq!(early.destination, None);
    assert_eq!(early.age_band, None);

    let key = OrgKey::generate(OrgKeyKind::Analytics, 1).unwrap();
    // Anyone may seal to the public half; only the analytics key opens.
    let public = key.public_key().unwrap();
    let mut sealed = seal_facets(&facets, &public, [4; 16]).unwrap();
    assert!(!sealed.sealed.windows(6).any(|w| w == b"sy-hl\""));
    let analyst = Keyring::new(StaffKeyPair::generate().unwrap(), vec![key]);
    assert_eq!(open_facets(&analyst, &sealed).unwrap(), facets);
    let other = Keyring::new(
        StaffKeyPair::generate().unwrap(),
        vec![OrgKey::generate(OrgKeyKind::Analytics, 1).unwrap()],
    );
    assert!(open_facets(&other, &sealed).is_err());
    sealed.id = [5; 16];
    assert!(open_facets(&analyst, &sealed).is_err(), "bound to its facet id");
}
