//! Exit plans: who reads them, the release with a second person, missed
//! check-ins and the order of the overdue list.

use mamar_core::case::machine::{Command, Effect};
use mamar_core::case::plan::{Due, Risk, may_read_plan, may_write_plan, order_overdue};
use mamar_core::case::{Actor, ApprovalKind, CaseRuleError, CaseState, Duty, Stage};
use mamar_core::{Role, StaffId};

const NOW: i64 = 2_000_000;

fn person(n: u8, role: Role) -> Actor {
    Actor::new(StaffId::from_bytes([n; 16]), vec![role])
}

fn planning_case(intake: &Actor, vetter: &Actor, coordinator: &Actor) -> CaseState {
    let mut case = CaseState::opened_by(intake.id);
    for (who, duty) in [(vetter, Duty::Vetting), (coordinator, Duty::Coordinator)] {
        case.apply(
            intake,
            &Command::Assign {
                staff: who.id,
                roles: who.roles.clone(),
                duty,
            },
            NOW,
        )
        .unwrap();
    }
    case.stage = Stage::Planning;
    case
}

#[test]
fn only_coordinators_read_a_plan_until_it_is_released() {
    assert!(may_read_plan(&[Duty::Coordinator], false));
    assert!(!may_read_plan(&[Duty::Vetting], false));
    assert!(!may_read_plan(&[Duty::Reception, Duty::Intake], false));
    assert!(may_read_plan(&[Duty::Reception], true));
    assert!(!may_read_plan(&[], true), "nobody off the case reads it");
    assert!(may_write_plan(&[Duty::Coordinator]));
    assert!(!may_write_plan(&[Duty::Reception, Duty::Vetting]));
}

#[test]
fn releasing_the_plan_needs_a_coordinator_and_a_second_person() {
    let intake = person(1, Role::IntakeOperator);
    let vetter = person(2, Role::VettingOfficer);
    let coordinator = person(3, Role::ExitCoordinator);
    let mut case = planning_case(&intake, &vetter, &coordinator);
    let ask = Command::RequestPlanRelease {
        approval: [7; 16],
        expires_at: NOW + 3_600,
    };
    assert_eq!(case.apply(&vetter, &ask, NOW), Err(CaseRuleError::WrongDuty));
    assert_eq!(
        case.apply(&coordinator, &ask, NOW),
        Ok(Effect::ApprovalRequested {
            kind: ApprovalKind::ReleasePlan,
            froze: false
        })
    );
    let decide = Command::Decide {
        approval: [7; 16],
        grant: true,
    };
    assert_eq!(
        case.apply(&coordinator, &decide, NOW),
        Err(CaseRuleError::OwnRequest)
    );
    assert_eq!(
        case.apply(&vetter, &decide, NOW),
        Ok(Effect::Granted {
            kind: ApprovalKind::ReleasePlan
        })
    );
    assert_eq!(case.stage, Stage::Planning, "a release moves nothing else");
}

#[test]
fn a_plan_is_released_only_while_it_is_being_carried_out() {
    let intake = person(1, Role::IntakeOperator);
    let vetter = person(2, Role::VettingOfficer);
    let coordinator = person(3, Role::ExitCoordinator);
    let mut case = planning_case(&intake, &vetter, &coordinator);
    case.stage = Stage::Triage;
    let ask = Command::RequestPlanRelease {
        approval: [7; 16],
        expires_at: NOW + 3_600,
    };
    assert_eq!(
        case.apply(&coordinator, &ask, NOW),
        Err(CaseRuleError::WrongStage(Stage::Triage))
    );
}

#[test]
fn a_check_in_is_missed_the_moment_its_time_passes_unconfirmed() {
    let due = Due {
        due_at: NOW,
        done_at: None,
    };
    assert!(!due.is_missed(NOW - 1));
    assert!(due.is_missed(NOW));
    let confirmed = Due {
        done_at: Some(NOW - 10),
        ..due
    };
    assert!(!confirmed.is_missed(NOW + 86_400));
}

#[test]
fn the_overdue_list_puts_the_most_endangered_first_then_the_oldest() {
    let mut items = vec![
        (Risk::from_urgency(Some("planning")), 10, "planning"),
        (Risk::from_urgency(None), 1, "unknown"),
        (Risk::from_urgency(Some("immediate")), 30, "immediate-newer"),
        (Risk::from_urgency(Some("weeks")), 5, "weeks"),
        (Risk::from_urgency(Some("immediate")), 20, "immediate-older"),
    ];
    order_overdue(&mut items);
    let order: Vec<&str> = items.iter().map(|i| i.2).collect();
    assert_eq!(
        order,
        [
            "immediate-older",
            "immediate-newer",
            "weeks",
            "planning",
            "unknown"
        ]
    );
}

#[test]
fn reception_reads_its_own_steps_and_records_the_arrival_in_transit() {
    use mamar_core::case::plan::{may_read_step, may_receive};
    assert!(may_read_step(&[Duty::Reception], false, "reception"));
    assert!(
        !may_read_step(&[Duty::Reception], false, "partner"),
        "not the route"
    );
    assert!(!may_read_step(&[Duty::Vetting], false, "reception"));
    assert!(may_receive(&[Duty::Coordinator]) && !may_receive(&[Duty::Vetting]));
    let intake = person(1, Role::IntakeOperator);
    let vetter = person(2, Role::VettingOfficer);
    let coordinator = person(3, Role::ExitCoordinator);
    let mut case = planning_case(&intake, &vetter, &coordinator);
    assert_eq!(
        case.apply(&coordinator, &Command::RecordArrival, NOW),
        Err(CaseRuleError::WrongStage(Stage::Planning))
    );
    case.stage = Stage::InTransit;
    assert_eq!(
        case.apply(&vetter, &Command::RecordArrival, NOW),
        Err(CaseRuleError::WrongDuty)
    );
    assert_eq!(
        case.apply(&coordinator, &Command::RecordArrival, NOW),
        Ok(Effect::StageChanged {
            from: Stage::InTransit,
            to: Stage::Arrived
        })
    );
}
