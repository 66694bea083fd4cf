//! The case's state machine. [`CaseState::apply`] checks a [`Command`]
//! against every rule and, only if all hold, changes the state and says
//! what happened ([`Effect`]). A refused command leaves the state as it was.
//!
//! Invariants, checked by property tests over random sequences of commands:
//! - after the `new` stage a case always has an owner, who is on the case;
//! - a frozen case accepts nothing but an administrator's request to
//!   unfreeze and another person's decision on it (and a second person's
//!   word on the suspicion that froze it, which changes nothing else);
//! - a closed case accepts nothing but a request to reopen, delete or
//!   export it, another person's decision on it, and the download of a
//!   granted export (a read);
//! - an export is downloaded only by the person who asked for it, once,
//!   before its grant expires, and never from a frozen case;
//! - nobody decides on an approval they asked for, and an expired approval
//!   cannot be granted.

use crate::StaffId;

use super::export::ExportGrant;
use super::rules::{Actor, CaseRuleError, LEADING};
use super::{ApprovalKind, Duty, Stage, VettingDecision};

/// Someone on a case, with their duty. One person may hold several duties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub staff: StaffId,
    pub duty: Duty,
}

/// A decision waiting for a second person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub id: [u8; 16],
    pub kind: ApprovalKind,
    pub requested_by: StaffId,
    /// Unix seconds after which it can no longer be granted.
    pub expires_at: i64,
}

/// Everything the rules need to know about a case. The store keeps it
/// visible at rest (the stage, the frozen flag, who is on the case and
/// which kinds of decision wait); the content of decisions is ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    pub stage: Stage,
    pub frozen: bool,
    pub owner: Option<StaffId>,
    pub team: Vec<Assignment>,
    pub pending: Vec<Pending>,
}

/// An action on a case. Ids of new approvals come from the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Put someone on the case. `roles` are that person's staff roles.
    Assign {
        staff: StaffId,
        roles: Vec<crate::Role>,
        duty: Duty,
    },
    /// Take someone off the case (every duty they hold).
    Unassign { staff: StaffId },
    /// Hand the case to another person on it.
    SetOwner { staff: StaffId },
    /// Move along the ordinary path ([`Stage::plain_next`]).
    Advance,
    /// A vetting officer proposes a decision; "suspected infiltration"
    /// freezes the case at once (making things safer needs nobody else).
    ProposeVetting {
        approval: [u8; 16],
        decision: VettingDecision,
        expires_at: i64,
    },
    /// Ask for the case to be closed with an outcome.
    RequestClose {
        approval: [u8; 16],
        outcome: super::ClosingOutcome,
        expires_at: i64,
    },
    /// Ask for a closed case to be reopened.
    RequestReopen {
        approval: [u8; 16],
        reason_given: bool,
        expires_at: i64,
    },
    /// A coordinator asks for the exit plan to be released to the team.
    RequestPlanRelease { approval: [u8; 16], expires_at: i64 },
    /// The person has arrived: a reception officer or a coordinator records it.
    RecordArrival,
    /// An administrator asks for a frozen case to be unfrozen.
    RequestUnfreeze { approval: [u8; 16], expires_at: i64 },
    /// Someone leading the case asks for it to be deleted now, with a
    /// reason; a second person decides, and the use case then shreds it.
    RequestDelete {
        approval: [u8; 16],
        reason_given: bool,
        expires_at: i64,
    },
    /// Someone leading the case asks to export its records to a file, with
    /// a reason; a second person who did not ask decides.
    RequestExport {
        approval: [u8; 16],
        reason_given: bool,
        expires_at: i64,
    },
    /// The person who asked downloads a granted export (the grant the use
    /// case keeps under the case key).
    DownloadExport { grant: ExportGrant },
    /// A second person grants or refuses a waiting approval.
    Decide { approval: [u8; 16], grant: bool },
    /// Adding content: a note, a vetting finding, a message, an attachment.
    AddContent,
    /// A partner's liaison (the actor, not on the case) accepts the whole
    /// case offered to their partner: they join it as its partner liaison
    /// and own it. Whether such an offer was made to them is checked by
    /// the use case, which holds it (`mamar_usecases::partners`).
    AcceptHandover,
}

/// What a command did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Assigned,
    Unassigned,
    OwnerChanged,
    StageChanged {
        from: Stage,
        to: Stage,
    },
    /// A decision now waits for a second person (and, for suspected
    /// infiltration, the case froze at once).
    ApprovalRequested {
        kind: ApprovalKind,
        froze: bool,
    },
    Granted {
        kind: ApprovalKind,
    },
    Refused {
        kind: ApprovalKind,
    },
    ContentAdded,
    /// A granted export was downloaded.
    Exported,
}

impl CaseState {
    /// A case just opened by `opener` (who owns it, with the intake duty).
    pub fn opened_by(opener: StaffId) -> Self {
        CaseState {
            stage: Stage::New,
            frozen: false,
            owner: Some(opener),
            team: vec![Assignment {
                staff: opener,
                duty: Duty::Intake,
            }],
            pending: Vec::new(),
        }
    }

    pub fn is_assigned(&self, staff: StaffId) -> bool {
        self.team.iter().any(|a| a.staff == staff)
    }

    /// On the case with a duty that acts (not only as a break-glass reader).
    pub fn acts_on(&self, staff: StaffId) -> bool {
        self.team
            .iter()
            .any(|a| a.staff == staff && a.duty != Duty::BreakGlass)
    }

    /// Lets `staff` read the case by break-glass (the use case has opened the
    /// escrowed key with k administrators' shares). Changes nothing else.
    pub fn admit_break_glass(&mut self, staff: StaffId) {
        if !self.has_duty(staff, Duty::BreakGlass) {
            self.team.push(Assignment {
                staff,
                duty: Duty::BreakGlass,
            });
        }
    }

    /// Ends a break-glass reading: `staff` leaves the case's team.
    pub fn end_break_glass(&mut self, staff: StaffId) {
        self.team
            .retain(|a| !(a.staff == staff && a.duty == Duty::BreakGlass));
    }

    pub fn has_duty(&self, staff: StaffId, duty: Duty) -> bool {
        self.team.iter().any(|a| a.staff == staff && a.duty == duty)
    }

    /// Each person on the case once, in the order they joined.
    pub fn members(&self) -> Vec<StaffId> {
        let mut seen = Vec::new();
        for assignment in &self.team {
            if !seen.contains(&assignment.staff) {
                seen.push(assignment.staff);
            }
        }
        seen
    }

    fn leads(&self, staff: StaffId) -> bool {
        self.owner == Some(staff) || LEADING.iter().any(|duty| self.has_duty(staff, *duty))
    }

    /// Approvals `staff` could decide now (on the case, not the one who asked).
    pub fn waiting_for(&self, staff: StaffId, now: i64) -> Vec<Pending> {
        if !self.acts_on(staff) {
            return Vec::new();
        }
        self.pending
            .iter()
            .filter(|p| p.requested_by != staff && p.expires_at > now)
            .copied()
            .collect()
    }

    /// Checks `command` by `actor` at `now` and applies it. On error the
    /// state is unchanged.
    pub fn apply(&mut self, actor: &Actor, command: &Command, now: i64) -> Result<Effect, CaseRuleError> {
        let mut next = self.clone();
        let effect = next.apply_checked(actor, command, now)?;
        *self = next;
        Ok(effect)
    }

    fn apply_checked(&mut self, actor: &Actor, command: &Command, now: i64) -> Result<Effect, CaseRuleError> {
        // The two gates every command passes first.
        if self.frozen {
            match command {
                Command::RequestUnfreeze { .. } => {}
                // Confirming (or not) the suspicion that froze it changes nothing else.
                Command::Decide { approval, .. }
                    if matches!(
                        self.pending_kind(approval),
                        Some(
                            ApprovalKind::Unfreeze
                                | ApprovalKind::Vetting(VettingDecision::SuspectedInfiltration)
                        )
                    ) => {}
                _ => return Err(CaseRuleError::Frozen),
            }
        } else if self.stage == Stage::Closed {
            match command {
                Command::RequestReopen { .. }
                | Command::RequestDelete { .. }
                | Command::RequestExport { .. }
                | Command::DownloadExport { .. } => {}
                Command::Decide { approval, .. }
                    if matches!(
                        self.pending_kind(approval),
                        Some(ApprovalKind::Reopen | ApprovalKind::Delete | ApprovalKind::Export)
                    ) => {}
                _ => return Err(CaseRuleError::Closed),
            }
        }
        match command {
            Command::RequestUnfreeze { approval, expires_at } => {
                if !actor.is_administrator() {
                    return Err(CaseRuleError::AdministratorOnly);
                }
                if !self.frozen {
                    return Err(CaseRuleError::NotFrozen);
                }
                self.request(*approval, ApprovalKind::Unfreeze, actor.id, *expires_at)
            }
            Command::Decide { approval, grant } => self.decide(actor, *approval, *grant, now),
            Command::AcceptHandover => {
                if !Duty::PartnerLiaison.allowed_for(&actor.roles) {
                    return Err(CaseRuleError::DutyNotAllowed);
                }
                if self.has_duty(actor.id, Duty::PartnerLiaison) {
                    return Err(CaseRuleError::AlreadyAssigned);
                }
                self.team.push(Assignment {
                    staff: actor.id,
                    duty: Duty::PartnerLiaison,
                });
                self.owner = Some(actor.id);
                Ok(Effect::Assigned)
            }
            _ if self.is_assigned(actor.id) && !self.acts_on(actor.id) => Err(CaseRuleError::ReadOnly),
            _ if !self.is_assigned(actor.id) => Err(CaseRuleError::NotAssigned),
            Command::Assign { staff, roles, duty } => {
                self.require_lead(actor)?;
                if *duty == Duty::BreakGlass || !duty.allowed_for(roles) {
                    return Err(CaseRuleError::DutyNotAllowed);
                }
                if self.has_duty(*staff, *duty) {
                    return Err(CaseRuleError::AlreadyAssigned);
                }
                self.team.push(Assignment {
                    staff: *staff,
                    duty: *duty,
                });
                // A coordinator takes over ownership from the intake officer.
                if *duty == Duty::Coordinator
                    && self.owner.is_none_or(|owner| {
                        self.has_duty(owner, Duty::Intake) && !self.has_duty(owner, Duty::Coordinator)
                    })
                {
                    self.owner = Some(*staff);
                }
                Ok(Effect::Assigned)
            }
            Command::Unassign { staff } => {
                self.require_lead(actor)?;
                if !self.is_assigned(*staff) {
                    return Err(CaseRuleError::NotAssigned);
                }
                if self.owner == Some(*staff) {
                    return Err(CaseRuleError::OwnerCannotLeave);
                }
                self.team.retain(|a| a.staff != *staff);
                self.pending.retain(|p| p.requested_by != *staff);
                Ok(Effect::Unassigned)
            }
            Command::SetOwner { staff } => {
                self.require_lead(actor)?;
                if !self.acts_on(*staff) {
                    return Err(CaseRuleError::OwnerNotAssigned);
                }
                self.owner = Some(*staff);
                Ok(Effect::OwnerChanged)
            }
            Command::Advance => {
                self.require_lead(actor)?;
                let to = self
                    .stage
                    .plain_next()
                    .ok_or(CaseRuleError::WrongStage(self.stage))?;
                if to == Stage::Vetting && !self.team.iter().any(|a| a.duty == Duty::Vetting) {
                    return Err(CaseRuleError::NoVettingOfficer);
                }
                let from = self.stage;
                self.stage = to;
                Ok(Effect::StageChanged { from, to })
            }
            Command::ProposeVetting {
                approval,
                decision,
                expires_at,
            } => {
                if self.stage != Stage::Vetting {
                    return Err(CaseRuleError::WrongStage(self.stage));
                }
                if !self.has_duty(actor.id, Duty::Vetting) {
                    return Err(CaseRuleError::WrongDuty);
                }
                let effect =
                    self.request(*approval, ApprovalKind::Vetting(*decision), actor.id, *expires_at)?;
                if *decision == VettingDecision::SuspectedInfiltration {
                    self.frozen = true;
                    return Ok(Effect::ApprovalRequested {
                        kind: ApprovalKind::Vetting(*decision),
                        froze: true,
                    });
                }
                Ok(effect)
            }
            Command::RequestClose {
                approval,
                outcome,
                expires_at,
            } => {
                self.require_lead(actor)?;
                self.request(*approval, ApprovalKind::Close(*outcome), actor.id, *expires_at)
            }
            Command::RequestReopen {
                approval,
                reason_given,
                expires_at,
            } => {
                if self.stage != Stage::Closed {
                    return Err(CaseRuleError::WrongStage(self.stage));
                }
                if !reason_given {
                    return Err(CaseRuleError::ReasonNeeded);
                }
                self.request(*approval, ApprovalKind::Reopen, actor.id, *expires_at)
            }
            Command::RequestPlanRelease { approval, expires_at } => {
                if !matches!(self.stage, Stage::Planning | Stage::InTransit) {
                    return Err(CaseRuleError::WrongStage(self.stage));
                }
                if !self.has_duty(actor.id, Duty::Coordinator) {
                    return Err(CaseRuleError::WrongDuty);
                }
                self.request(*approval, ApprovalKind::ReleasePlan, actor.id, *expires_at)
            }
            Command::RequestDelete {
                approval,
                reason_given,
                expires_at,
            } => {
                self.require_lead(actor)?;
                if !reason_given {
                    return Err(CaseRuleError::ReasonNeeded);
                }
                self.request(*approval, ApprovalKind::Delete, actor.id, *expires_at)
            }
            Command::RequestExport {
                approval,
                reason_given,
                expires_at,
            } => {
                self.require_lead(actor)?;
                if !reason_given {
                    return Err(CaseRuleError::ReasonNeeded);
                }
                self.request(*approval, ApprovalKind::Export, actor.id, *expires_at)
            }
            Command::DownloadExport { grant } => {
                grant.check(actor.id, now)?;
                Ok(Effect::Exported)
            }
            Command::RecordArrival => {
                if self.stage != Stage::InTransit {
                    return Err(CaseRuleError::WrongStage(self.stage));
                }
                if !self.has_duty(actor.id, Duty::Reception) && !self.has_duty(actor.id, Duty::Coordinator) {
                    return Err(CaseRuleError::WrongDuty);
                }
                self.stage = Stage::Arrived;
                Ok(Effect::StageChanged {
                    from: Stage::InTransit,
                    to: Stage::Arrived,
                })
            }
            Command::AddContent => Ok(Effect::ContentAdded),
        }
    }

    fn require_lead(&self, actor: &Actor) -> Result<(), CaseRuleError> {
        if self.leads(actor.id) {
            Ok(())
        } else {
            Err(CaseRuleError::WrongDuty)
        }
    }

    fn pending_kind(&self, id: &[u8; 16]) -> Option<ApprovalKind> {
        self.pending.iter().find(|p| &p.id == id).map(|p| p.kind)
    }

    fn request(
        &mut self,
        id: [u8; 16],
        kind: ApprovalKind,
        by: StaffId,
        expires_at: i64,
    ) -> Result<Effect, CaseRuleError> {
        if self.pending.iter().any(|p| p.kind.code() == kind.code()) {
            return Err(CaseRuleError::AlreadyPending);
        }
        self.pending.push(Pending {
            id,
            kind,
            requested_by: by,
            expires_at,
        });
        Ok(Effect::ApprovalRequested { kind, froze: false })
    }

    fn decide(
        &mut self,
        actor: &Actor,
        id: [u8; 16],
        grant: bool,
        now: i64,
    ) -> Result<Effect, CaseRuleError> {
        let Some(index) = self.pending.iter().position(|p| p.id == id) else {
            return Err(CaseRuleError::NoSuchApproval);
        };
        let pending = self.pending[index];
        if pending.requested_by == actor.id {
            return Err(CaseRuleError::OwnRequest);
        }
        if !self.acts_on(actor.id) {
            return Err(CaseRuleError::NotAssigned);
        }
        if grant && pending.expires_at <= now {
            return Err(CaseRuleError::Expired);
        }
        self.pending.remove(index);
        if !grant {
            return Ok(Effect::Refused { kind: pending.kind });
        }
        match pending.kind {
            ApprovalKind::Vetting(VettingDecision::Cleared) => self.stage = Stage::Planning,
            ApprovalKind::Vetting(_) => {}
            ApprovalKind::Close(_) => {
                self.stage = Stage::Closed;
                self.pending.clear();
            }
            ApprovalKind::Reopen => self.stage = Stage::Triage,
            ApprovalKind::Unfreeze => self.frozen = false,
            // The release itself is a record under the case key, written by the use case.
            ApprovalKind::ReleasePlan => {}
            // The use case shreds the case once this decision is recorded.
            ApprovalKind::Delete => {}
            // Never among a case's waiting approvals (see `breakglass`).
            ApprovalKind::BreakGlass => return Err(CaseRuleError::NoSuchApproval),
            // The use case keeps the grant (who asked, until when) under the case key.
            ApprovalKind::Export => {}
        }
        Ok(Effect::Granted { kind: pending.kind })
    }
}
