//! Break-glass: an administrator who is not on a case asks to read it,
//! with a written reason, for a limited time, when the people on it cannot
//! be reached. The case key is escrowed to a key whose secret is split
//! k-of-n among the administrators, so the rule below is also built into
//! the keys: the asker holds one share, and each approving administrator
//! hands over one more; with k shares the asker's session opens the escrow.
//!
//! Rules (checked here, pure; property-tested with the two-person rule):
//! - only an administrator asks, with a reason, and not for a case they
//!   already act on; a threshold below 2 is refused;
//! - only another administrator approves, once, before the request expires;
//! - the request is complete when the asker and `threshold - 1` distinct
//!   approvers have given their shares, never before.
//!
//! Reading by break-glass changes nothing in the case (the
//! [`super::Duty::BreakGlass`] duty is read-only), so it is allowed on a
//! frozen or closed case too: the freeze stops the case from moving, and a
//! suspected infiltration may be exactly what the emergency is about.

use crate::StaffId;

use super::machine::Effect;
use super::rules::{Actor, CaseRuleError};
use super::{ApprovalKind, CaseState};

/// A break-glass request on one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassRequest {
    pub asked_by: StaffId,
    /// Shares needed to open the escrow (the asker's own counts as one).
    pub threshold: u8,
    /// Administrators who approved, in order.
    pub approvers: Vec<StaffId>,
    /// Unix seconds after which it can no longer be approved.
    pub expires_at: i64,
}

impl BreakGlassRequest {
    /// `actor` asks to read `case` by break-glass.
    pub fn ask(
        actor: &Actor,
        case: &CaseState,
        reason_given: bool,
        threshold: u8,
        expires_at: i64,
    ) -> Result<(Self, Effect), CaseRuleError> {
        if !actor.is_administrator() {
            return Err(CaseRuleError::AdministratorOnly);
        }
        if threshold < 2 {
            return Err(CaseRuleError::BreakGlassThreshold);
        }
        if case.is_assigned(actor.id) {
            return Err(CaseRuleError::AlreadyAssigned);
        }
        if !reason_given {
            return Err(CaseRuleError::ReasonNeeded);
        }
        Ok((
            BreakGlassRequest {
                asked_by: actor.id,
                threshold,
                approvers: Vec::new(),
                expires_at,
            },
            Effect::ApprovalRequested {
                kind: ApprovalKind::BreakGlass,
                froze: false,
            },
        ))
    }

    /// How many shares the asker holds now (their own and the approvers').
    pub fn shares(&self) -> usize {
        1 + self.approvers.len()
    }

    /// Whether the asker holds enough shares to open the escrow.
    pub fn is_complete(&self) -> bool {
        self.shares() >= usize::from(self.threshold)
    }

    /// `actor` approves at `now`. `Effect::Granted` once the request is
    /// complete, `Effect::ApprovalRequested` while more approvals are needed.
    /// On error nothing changes.
    pub fn approve(&mut self, actor: &Actor, now: i64) -> Result<Effect, CaseRuleError> {
        if !actor.is_administrator() {
            return Err(CaseRuleError::AdministratorOnly);
        }
        if actor.id == self.asked_by {
            return Err(CaseRuleError::OwnRequest);
        }
        if self.approvers.contains(&actor.id) {
            return Err(CaseRuleError::AlreadyApproved);
        }
        if self.is_complete() {
            return Err(CaseRuleError::NoSuchApproval);
        }
        if self.expires_at <= now {
            return Err(CaseRuleError::Expired);
        }
        self.approvers.push(actor.id);
        Ok(if self.is_complete() {
            Effect::Granted {
                kind: ApprovalKind::BreakGlass,
            }
        } else {
            Effect::ApprovalRequested {
                kind: ApprovalKind::BreakGlass,
                froze: false,
            }
        })
    }
}
