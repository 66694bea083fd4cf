//! The case state machine: the walk of an ordinary case, and property tests
//! that drive random sequences of commands by random people and check the
//! invariants after every step.

use mamar_core::case::machine::{Command, Effect};
use mamar_core::case::{
    Actor, ApprovalKind, CaseRuleError, CaseState, ClosingOutcome, Duty, ExportGrant, Stage, VettingDecision,
};
use mamar_core::{Role, StaffId};
use proptest::prelude::*;

fn person(n: u8, roles: &[Role]) -> Actor {
    Actor::new(StaffId::from_bytes([n; 16]), roles.to_vec())
}

fn admin() -> Actor {
    person(1, &[Role::Administrator])
}
fn intake() -> Actor {
    person(2, &[Role::IntakeOperator])
}
fn vetter() -> Actor {
    person(3, &[Role::VettingOfficer])
}
fn coordinator() -> Actor {
    person(4, &[Role::ExitCoordinator])
}
fn outsider() -> Actor {
    person(5, &[Role::VettingOfficer, Role::ExitCoordinator])
}

const NOW: i64 = 1_000_000;
const LATER: i64 = NOW + 86_400;

fn assign(actor: &Actor, duty: Duty) -> Command {
    Command::Assign {
        staff: actor.id,
        roles: actor.roles.clone(),
        duty,
    }
}

#[test]
fn an_ordinary_case_walks_from_new_to_planning_with_a_second_person() {
    let (intake, vetter, coordinator) = (intake(), vetter(), coordinator());
    let mut case = CaseState::opened_by(intake.id);
    assert_eq!(case.owner, Some(intake.id));
    case.apply(&intake, &assign(&vetter, Duty::Vetting), NOW).unwrap();
    case.apply(&intake, &assign(&coordinator, Duty::Coordinator), NOW)
        .unwrap();
    assert_eq!(
        case.owner,
        Some(coordinator.id),
        "the coordinator takes the case over"
    );
    assert_eq!(
        case.apply(&coordinator, &Command::Advance, NOW),
        Ok(Effect::StageChanged {
            from: Stage::New,
            to: Stage::Triage
        })
    );
    case.apply(&coordinator, &Command::Advance, NOW).unwrap();
    assert_eq!(case.stage, Stage::Vetting);
    // The vetting officer cannot move the case along by themselves.
    assert_eq!(
        case.apply(&vetter, &Command::Advance, NOW),
        Err(CaseRuleError::WrongDuty)
    );
    let proposal = Command::ProposeVetting {
        approval: [9; 16],
        decision: VettingDecision::Cleared,
        expires_at: LATER,
    };
    case.apply(&vetter, &proposal, NOW).unwrap();
    assert_eq!(case.waiting_for(coordinator.id, NOW).len(), 1);
    assert!(case.waiting_for(vetter.id, NOW).is_empty(), "not their own");
    let own = Command::Decide {
        approval: [9; 16],
        grant: true,
    };
    assert_eq!(case.apply(&vetter, &own, NOW), Err(CaseRuleError::OwnRequest));
    assert_eq!(
        case.apply(&coordinator, &own, NOW),
        Ok(Effect::Granted {
            kind: ApprovalKind::Vetting(VettingDecision::Cleared)
        })
    );
    assert_eq!(case.stage, Stage::Planning);
}

#[test]
fn suspected_infiltration_freezes_the_case_until_an_administrator_and_another_person_unfreeze_it() {
    let (admin, intake, vetter) = (admin(), intake(), vetter());
    let mut case = CaseState::opened_by(intake.id);
    case.apply(&intake, &assign(&vetter, Duty::Vetting), NOW).unwrap();
    case.apply(&intake, &Command::Advance, NOW).unwrap();
    case.apply(&intake, &Command::Advance, NOW).unwrap();
    let froze = case.apply(
        &vetter,
        &Command::ProposeVetting {
            approval: [1; 16],
            decision: VettingDecision::SuspectedInfiltration,
            expires_at: LATER,
        },
        NOW,
    );
    assert!(matches!(froze, Ok(Effect::ApprovalRequested { froze: true, .. })));
    assert_eq!(
        case.apply(&intake, &Command::AddContent, NOW),
        Err(CaseRuleError::Frozen)
    );
    // The administrator is not on the case, and still may ask; nobody else may.
    let unfreeze = Command::RequestUnfreeze {
        approval: [2; 16],
        expires_at: LATER,
    };
    assert_eq!(
        case.apply(&intake, &unfreeze, NOW),
        Err(CaseRuleError::AdministratorOnly)
    );
    case.apply(&admin, &unfreeze, NOW).unwrap();
    let decide = Command::Decide {
        approval: [2; 16],
        grant: true,
    };
    assert_eq!(case.apply(&admin, &decide, NOW), Err(CaseRuleError::OwnRequest));
    assert_eq!(
        case.apply(&vetter, &decide, LATER + 1),
        Err(CaseRuleError::Expired)
    );
    case.apply(&vetter, &decide, NOW).unwrap();
    assert!(!case.frozen);
}

#[test]
fn a_closed_case_is_read_only_until_reopened_with_a_reason_and_a_second_person() {
    let (intake, coordinator) = (intake(), coordinator());
    let mut case = CaseState::opened_by(intake.id);
    case.apply(&intake, &assign(&coordinator, Duty::Coordinator), NOW)
        .unwrap();
    case.apply(
        &coordinator,
        &Command::RequestClose {
            approval: [3; 16],
            outcome: ClosingOutcome::Withdrew,
            expires_at: LATER,
        },
        NOW,
    )
    .unwrap();
    case.apply(
        &intake,
        &Command::Decide {
            approval: [3; 16],
            grant: true,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(case.stage, Stage::Closed);
    for command in [
        Command::AddContent,
        Command::Advance,
        assign(&vetter(), Duty::Vetting),
    ] {
        assert_eq!(
            case.apply(&coordinator, &command, NOW),
            Err(CaseRuleError::Closed)
        );
    }
    let without_reason = Command::RequestReopen {
        approval: [4; 16],
        reason_given: false,
        expires_at: LATER,
    };
    assert_eq!(
        case.apply(&coordinator, &without_reason, NOW),
        Err(CaseRuleError::ReasonNeeded)
    );
    case.apply(
        &coordinator,
        &Command::RequestReopen {
            approval: [4; 16],
            reason_given: true,
            expires_at: LATER,
        },
        NOW,
    )
    .unwrap();
    case.apply(
        &intake,
        &Command::Decide {
            approval: [4; 16],
            grant: true,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(case.stage, Stage::Triage);
}

#[test]
fn deleting_needs_a_reason_someone_leading_and_a_second_person_even_when_closed() {
    let intake = intake();
    let coordinator = coordinator();
    let vetter = vetter();
    let mut case = CaseState::opened_by(intake.id);
    case.apply(&intake, &assign(&coordinator, Duty::Coordinator), NOW)
        .unwrap();
    case.apply(&intake, &assign(&vetter, Duty::Vetting), NOW).unwrap();
    let delete = |approval: u8, reason_given: bool| Command::RequestDelete {
        approval: [approval; 16],
        reason_given,
        expires_at: LATER,
    };
    assert_eq!(
        case.apply(&coordinator, &delete(1, false), NOW),
        Err(CaseRuleError::ReasonNeeded)
    );
    assert_eq!(
        case.apply(&vetter, &delete(1, true), NOW),
        Err(CaseRuleError::WrongDuty)
    );
    case.apply(
        &coordinator,
        &Command::RequestClose {
            approval: [2; 16],
            outcome: ClosingOutcome::Withdrew,
            expires_at: LATER,
        },
        NOW,
    )
    .unwrap();
    let decide = |approval: u8| Command::Decide {
        approval: [approval; 16],
        grant: true,
    };
    case.apply(&intake, &decide(2), NOW).unwrap();
    assert_eq!(case.stage, Stage::Closed);
    // A closed case may still be deleted early, by two people.
    case.apply(&coordinator, &delete(3, true), NOW).unwrap();
    assert_eq!(
        case.apply(&coordinator, &decide(3), NOW),
        Err(CaseRuleError::OwnRequest)
    );
    assert_eq!(
        case.apply(&vetter, &decide(3), NOW),
        Ok(Effect::Granted {
            kind: ApprovalKind::Delete
        })
    );
}

#[test]
fn a_frozen_case_cannot_be_deleted() {
    let intake = intake();
    let vetter = vetter();
    let mut case = CaseState::opened_by(intake.id);
    case.apply(&intake, &assign(&vetter, Duty::Vetting), NOW).unwrap();
    case.apply(&intake, &Command::Advance, NOW).unwrap();
    case.apply(&intake, &Command::Advance, NOW).unwrap();
    case.apply(
        &vetter,
        &Command::ProposeVetting {
            approval: [1; 16],
            decision: VettingDecision::SuspectedInfiltration,
            expires_at: LATER,
        },
        NOW,
    )
    .unwrap();
    assert!(case.frozen);
    assert_eq!(
        case.apply(
            &intake,
            &Command::RequestDelete {
                approval: [2; 16],
                reason_given: true,
                expires_at: LATER,
            },
            NOW
        ),
        Err(CaseRuleError::Frozen)
    );
}

#[test]
fn an_export_needs_a_second_person_and_downloads_once_for_the_asker_before_expiry() {
    let (intake, coordinator, vetter) = (intake(), coordinator(), vetter());
    let mut case = CaseState::opened_by(intake.id);
    case.apply(&intake, &assign(&coordinator, Duty::Coordinator), NOW)
        .unwrap();
    case.apply(&intake, &assign(&vetter, Duty::Vetting), NOW).unwrap();
    let export = |approval: u8, reason_given: bool| Command::RequestExport {
        approval: [approval; 16],
        reason_given,
        expires_at: LATER,
    };
    assert_eq!(
        case.apply(&coordinator, &export(1, false), NOW),
        Err(CaseRuleError::ReasonNeeded)
    );
    assert_eq!(
        case.apply(&vetter, &export(1, true), NOW),
        Err(CaseRuleError::WrongDuty)
    );
    case.apply(&coordinator, &export(1, true), NOW).unwrap();
    let decide = Command::Decide {
        approval: [1; 16],
        grant: true,
    };
    assert_eq!(
        case.apply(&coordinator, &decide, NOW),
        Err(CaseRuleError::OwnRequest)
    );
    assert_eq!(
        case.apply(&vetter, &decide, NOW),
        Ok(Effect::Granted {
            kind: ApprovalKind::Export
        })
    );
    let grant = ExportGrant {
        asked_by: coordinator.id,
        expires_at: LATER,
        used: false,
    };
    let download = |grant: ExportGrant| Command::DownloadExport { grant };
    assert_eq!(
        case.apply(&vetter, &download(grant), NOW),
        Err(CaseRuleError::NotTheAsker)
    );
    assert_eq!(
        case.apply(&coordinator, &download(grant), LATER),
        Err(CaseRuleError::Expired)
    );
    assert_eq!(
        case.apply(&coordinator, &download(ExportGrant { used: true, ..grant }), NOW),
        Err(CaseRuleError::AlreadyDownloaded)
    );
    let before = case.clone();
    assert_eq!(
        case.apply(&coordinator, &download(grant), NOW),
        Ok(Effect::Exported)
    );
    assert_eq!(case, before, "a download changes nothing of the case");
    // A closed case may still be exported (a read), with a second person.
    case.apply(
        &coordinator,
        &Command::RequestClose {
            approval: [2; 16],
            outcome: ClosingOutcome::Withdrew,
            expires_at: LATER,
        },
        NOW,
    )
    .unwrap();
    case.apply(
        &vetter,
        &Command::Decide {
            approval: [2; 16],
            grant: true,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(case.stage, Stage::Closed);
    case.apply(&coordinator, &export(3, true), NOW).unwrap();
    case.apply(
        &intake,
        &Command::Decide {
            approval: [3; 16],
            grant: true,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        case.apply(&coordinator, &download(grant), NOW),
        Ok(Effect::Exported)
    );
}

#[test]
fn a_frozen_case_exports_nothing() {
    let intake = intake();
    let vetter = vetter();
    let mut case = CaseState::opened_by(intake.id);
    case.apply(&intake, &assign(&vetter, Duty::Vetting), NOW).unwrap();
    case.apply(&intake, &Command::Advance, NOW).unwrap();
    case.apply(&intake, &Command::Advance, NOW).unwrap();
    let grant = ExportGrant {
        asked_by: intake.id,
        expires_at: LATER,
        used: false,
    };
    case.apply(
        &vetter,
        &Command::ProposeVetting {
            approval: [1; 16],
            decision: VettingDecision::SuspectedInfiltration,
            expires_at: LATER,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        case.apply(
            &intake,
            &Command::RequestExport {
                approval: [2; 16],
                reason_given: true,
                expires_at: LATER,
            },
            NOW
        ),
        Err(CaseRuleError::Frozen)
    );
    assert_eq!(
        case.apply(&intake, &Command::DownloadExport { grant }, NOW),
        Err(CaseRuleError::Frozen)
    );
}

#[test]
fn the_owner_cannot_leave_and_duties_follow_roles() {
    let (intake, coordinator, vetter) = (intake(), coordinator(), vetter());
    let mut case = CaseState::opened_by(intake.id);
    assert_eq!(
        case.apply(&intake, &Command::Unassign { staff: intake.id }, NOW),
        Err(CaseRuleError::OwnerCannotLeave)
    );
    assert_eq!(
        case.apply(&intake, &assign(&vetter, Duty::Coordinator), NOW),
        Err(CaseRuleError::DutyNotAllowed)
    );
    assert_eq!(
        case.apply(&intake, &Command::Advance, NOW),
        Ok(Effect::StageChanged {
            from: Stage::New,
            to: Stage::Triage
        })
    );
    assert_eq!(
        case.apply(&intake, &Command::Advance, NOW),
        Err(CaseRuleError::NoVettingOfficer)
    );
    assert_eq!(
        case.apply(&coordinator, &Command::AddContent, NOW),
        Err(CaseRuleError::NotAssigned)
    );
}

// ---- properties ----

fn people() -> Vec<Actor> {
    vec![admin(), intake(), vetter(), coordinator(), outsider()]
}

#[derive(Debug, Clone)]
enum Step {
    Assign(usize, usize),
    Unassign(usize),
    SetOwner(usize),
    Advance,
    Vetting(usize, i64),
    Close(usize, i64),
    Reopen(bool, i64),
    Unfreeze(i64),
    Delete(bool, i64),
    Export(bool, i64),
    /// Download the n-th export granted so far (or, with none, one nobody granted).
    Download(usize),
    Decide(u8, bool),
    Content,
    /// Not a command: the use case admits an administrator as a break-glass reader.
    BreakGlass(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..5usize, 0..5usize).prop_map(|(p, d)| Step::Assign(p, d)),
        (0..5usize).prop_map(Step::Unassign),
        (0..5usize).prop_map(Step::SetOwner),
        Just(Step::Advance),
        Just(Step::Advance),
        (0..3usize, -10..100i64).prop_map(|(d, e)| Step::Vetting(d, e)),
        (0..7usize, -10..100i64).prop_map(|(o, e)| Step::Close(o, e)),
        (any::<bool>(), -10..100i64).prop_map(|(r, e)| Step::Reopen(r, e)),
        (-10..100i64).prop_map(Step::Unfreeze),
        (any::<bool>(), -10..100i64).prop_map(|(r, e)| Step::Delete(r, e)),
        (any::<bool>(), -10..100i64).prop_map(|(r, e)| Step::Export(r, e)),
        (0..8usize).prop_map(Step::Download),
        (0..40u8, any::<bool>()).prop_map(|(a, g)| Step::Decide(a, g)),
        Just(Step::Content),
        (0..5usize).prop_map(Step::BreakGlass),
    ]
}

/// How long a granted export may be downloaded, in the property test.
const EXPORT_LIFETIME: i64 = 50;

fn command(step: &Step, people: &[Actor], grants: &[ExportGrant], counter: u8, now: i64) -> Command {
    let id = [counter; 16];
    match step {
        Step::Assign(p, d) => Command::Assign {
            staff: people[*p].id,
            roles: people[*p].roles.clone(),
            duty: Duty::ALL[*d],
        },
        Step::Unassign(p) => Command::Unassign { staff: people[*p].id },
        Step::SetOwner(p) => Command::SetOwner { staff: people[*p].id },
        Step::Advance => Command::Advance,
        Step::Vetting(d, e) => Command::ProposeVetting {
            approval: id,
            decision: VettingDecision::ALL[*d],
            expires_at: now + e,
        },
        Step::Close(o, e) => Command::RequestClose {
            approval: id,
            outcome: ClosingOutcome::ALL[*o],
            expires_at: now + e,
        },
        Step::Reopen(r, e) => Command::RequestReopen {
            approval: id,
            reason_given: *r,
            expires_at: now + e,
        },
        Step::Unfreeze(e) => Command::RequestUnfreeze {
            approval: id,
            expires_at: now + e,
        },
        Step::Delete(r, e) => Command::RequestDelete {
            approval: id,
            reason_given: *r,
            expires_at: now + e,
        },
        Step::Export(r, e) => Command::RequestExport {
            approval: id,
            reason_given: *r,
            expires_at: now + e,
        },
        Step::Download(n) => Command::DownloadExport {
            grant: grants
                .get(n % grants.len().max(1))
                .copied()
                .unwrap_or(ExportGrant {
                    asked_by: people[n % people.len()].id,
                    expires_at: now + EXPORT_LIFETIME,
                    used: false,
                }),
        },
        Step::Decide(a, g) => Command::Decide {
            approval: [*a; 16],
            grant: *g,
        },
        Step::Content | Step::BreakGlass(_) => Command::AddContent,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn every_sequence_of_commands_keeps_the_invariants(
        steps in proptest::collection::vec((0..5usize, step()), 1..60)
    ) {
        let people = people();
        let mut case = CaseState::opened_by(people[1].id);
        let mut now = NOW;
        // Exports granted so far, as the use case would keep them.
        let mut grants: Vec<ExportGrant> = Vec::new();
        for (counter, (who, step)) in steps.iter().enumerate() {
            now += 7;
            let counter = u8::try_from(counter % 40).unwrap_or(0);
            let actor = &people[*who];
            if let Step::BreakGlass(p) = step {
                if people[*p].roles.contains(&Role::Administrator) && !case.is_assigned(people[*p].id) {
                    case.admit_break_glass(people[*p].id);
                }
                continue;
            }
            let command = command(step, &people, &grants, counter, now);
            let before = case.clone();
            let result = case.apply(actor, &command, now);
            match &result {
                Err(_) => prop_assert_eq!(&case, &before, "a refused command changed the case"),
                Ok(_) => {
                    // A break-glass reader reads and changes nothing (an administrator may always
                    // ask for an unfreeze, on the case or not).
                    if before.is_assigned(actor.id) && !before.acts_on(actor.id) {
                        prop_assert!(
                            matches!(command, Command::RequestUnfreeze { .. } | Command::AcceptHandover),
                            "a break-glass reader did {:?}", command
                        );
                    }
                    if before.frozen {
                        let allowed = match &command {
                            Command::RequestUnfreeze { .. } => actor.roles.contains(&Role::Administrator),
                            Command::Decide { approval, .. } => before.pending.iter().any(|p| &p.id == approval
                                && matches!(p.kind, ApprovalKind::Unfreeze
                                    | ApprovalKind::Vetting(VettingDecision::SuspectedInfiltration))),
                            _ => false,
                        };
                        prop_assert!(allowed, "a frozen case accepted {:?}", command);
                        prop_assert_eq!(case.stage, before.stage);
                        prop_assert_eq!(&case.team, &before.team);
                        prop_assert_eq!(case.owner, before.owner);
                    }
                    if before.stage == Stage::Closed {
                        let allowed = match &command {
                            Command::RequestReopen { .. }
                            | Command::RequestDelete { .. }
                            | Command::RequestExport { .. }
                            | Command::DownloadExport { .. } => true,
                            Command::Decide { approval, .. } => before.pending.iter()
                                .any(|p| &p.id == approval
                                    && matches!(p.kind, ApprovalKind::Reopen | ApprovalKind::Delete | ApprovalKind::Export)),
                            _ => false,
                        };
                        prop_assert!(allowed, "a closed case accepted {:?}", command);
                        prop_assert_eq!(&case.team, &before.team);
                    }
                    if let Command::Decide { approval, grant } = &command {
                        let asked = before.pending.iter().find(|p| &p.id == approval);
                        prop_assert!(asked.is_some());
                        if let Some(asked) = asked {
                            prop_assert_ne!(asked.requested_by, actor.id, "approved their own request");
                            prop_assert!(before.acts_on(actor.id), "decided without acting on the case");
                            if *grant {
                                prop_assert!(asked.expires_at > now, "granted an expired approval");
                            }
                        }
                    }
                    if let Command::DownloadExport { grant } = &command {
                        prop_assert_eq!(grant.asked_by, actor.id, "downloaded by someone who did not ask");
                        prop_assert!(!grant.used, "downloaded twice");
                        prop_assert!(grant.expires_at > now, "downloaded after the grant expired");
                        prop_assert!(before.is_assigned(actor.id), "downloaded without being on the case");
                        prop_assert_eq!(&case, &before, "a download changed the case");
                        if let Some(kept) = grants.iter_mut().find(|g| **g == *grant) {
                            kept.used = true;
                        }
                    }
                    if let (Command::Decide { approval, .. }, Ok(Effect::Granted { kind: ApprovalKind::Export })) =
                        (&command, &result)
                        && let Some(asked) = before.pending.iter().find(|p| &p.id == approval)
                    {
                        grants.push(ExportGrant {
                            asked_by: asked.requested_by,
                            expires_at: now + EXPORT_LIFETIME,
                            used: false,
                        });
                    }
                    if case.stage != before.stage {
                        let via_approval = matches!(command, Command::Decide { grant: true, .. });
                        prop_assert!(
                            via_approval || Some(case.stage) == before.stage.plain_next(),
                            "{:?} -> {:?} by {:?}", before.stage, case.stage, command
                        );
                        prop_assert!(case.stage != Stage::Planning || via_approval || before.stage == Stage::Planning);
                    }
                }
            }
            // Always: after `new`, someone on the case owns it.
            if case.stage != Stage::New {
                let owner = case.owner;
                prop_assert!(owner.is_some_and(|o| case.acts_on(o)), "no owner acting on the case: {:?}", case);
            }
            // Every pending approval was asked by someone who could.
            for pending in &case.pending {
                prop_assert!(case.is_assigned(pending.requested_by) || pending.kind == ApprovalKind::Unfreeze);
            }
        }
    }
}

// ---- break-glass: k administrators, the asker's share counting as one ----

fn administrators() -> Vec<Actor> {
    (10..15).map(|n| person(n, &[Role::Administrator])).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn break_glass_opens_only_with_k_distinct_administrators_none_of_them_twice(
        threshold in 2u8..5,
        asker in 0..5usize,
        steps in proptest::collection::vec((0..7usize, -5..30i64), 1..20)
    ) {
        use mamar_core::case::breakglass::BreakGlassRequest;
        let admins = administrators();
        // People who are not administrators: an exit coordinator and a vetting officer.
        let others = [coordinator(), vetter()];
        let case = CaseState::opened_by(intake().id);
        let (mut request, effect) =
            BreakGlassRequest::ask(&admins[asker], &case, true, threshold, NOW + 20).unwrap();
        prop_assert_eq!(effect, Effect::ApprovalRequested { kind: ApprovalKind::BreakGlass, froze: false });
        let mut granted = false;
        for (who, at) in steps {
            let actor = if who < 5 { &admins[who] } else { &others[who - 5] };
            let before = request.clone();
            match request.approve(actor, NOW + at) {
                Err(_) => prop_assert_eq!(&request, &before, "a refused approval changed the request"),
                Ok(effect) => {
                    prop_assert!(!granted, "approved after it was complete");
                    prop_assert!(actor.is_administrator(), "a non-administrator approved");
                    prop_assert_ne!(actor.id, request.asked_by, "the asker approved their own request");
                    prop_assert!(!before.approvers.contains(&actor.id), "approved twice");
                    prop_assert!(NOW + at < request.expires_at, "approved after it expired");
                    let complete = 1 + request.approvers.len() >= usize::from(threshold);
                    prop_assert_eq!(
                        effect == Effect::Granted { kind: ApprovalKind::BreakGlass },
                        complete
                    );
                    granted = complete;
                }
            }
            // Never complete with fewer than k distinct administrators, the asker among them.
            let mut distinct = request.approvers.clone();
            distinct.push(request.asked_by);
            distinct.sort_by_key(|id| *id.as_bytes());
            distinct.dedup();
            prop_assert_eq!(request.is_complete(), distinct.len() >= usize::from(threshold));
        }
    }
}

#[test]
fn break_glass_is_asked_only_by_an_administrator_off_the_case_with_a_reason() {
    use mamar_core::case::breakglass::BreakGlassRequest;
    let (admin, intake) = (admin(), intake());
    let mut case = CaseState::opened_by(intake.id);
    assert_eq!(
        BreakGlassRequest::ask(&intake, &case, true, 2, LATER).unwrap_err(),
        CaseRuleError::AdministratorOnly
    );
    assert_eq!(
        BreakGlassRequest::ask(&admin, &case, false, 2, LATER).unwrap_err(),
        CaseRuleError::ReasonNeeded
    );
    assert_eq!(
        BreakGlassRequest::ask(&admin, &case, true, 1, LATER).unwrap_err(),
        CaseRuleError::BreakGlassThreshold
    );
    assert!(BreakGlassRequest::ask(&admin, &case, true, 2, LATER).is_ok());
    // Once reading, the administrator changes nothing and owns nothing.
    case.admit_break_glass(admin.id);
    assert_eq!(
        case.apply(&admin, &Command::AddContent, NOW),
        Err(CaseRuleError::ReadOnly)
    );
    assert_eq!(
        case.apply(&intake, &Command::SetOwner { staff: admin.id }, NOW),
        Err(CaseRuleError::OwnerNotAssigned)
    );
    assert_eq!(
        case.apply(&intake, &assign(&admin, Duty::BreakGlass), NOW),
        Err(CaseRuleError::DutyNotAllowed)
    );
    case.end_break_glass(admin.id);
    assert!(!case.is_assigned(admin.id));
}
