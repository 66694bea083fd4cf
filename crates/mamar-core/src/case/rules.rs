//! Who may act on a case, and why an action is refused.

use crate::{Role, StaffId};

use super::{Duty, Stage};

/// The person acting: their id and their staff roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: StaffId,
    pub roles: Vec<Role>,
}

impl Actor {
    pub fn new(id: StaffId, roles: Vec<Role>) -> Self {
        Actor { id, roles }
    }

    pub fn is_administrator(&self) -> bool {
        self.roles.contains(&Role::Administrator)
    }
}

/// Why the rules of the work refuse an action. Every refusal names a rule
/// a person can understand; the web and the command line translate it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseRuleError {
    #[error("only people assigned to this case may do that")]
    NotAssigned,
    #[error("your duty on this case does not include that")]
    WrongDuty,
    #[error("your roles do not allow that duty")]
    DutyNotAllowed,
    #[error("the case is closed: it can only be read, or reopened with a second person")]
    Closed,
    #[error("the case is frozen: only an administrator's unfreeze, approved by a second person, is accepted")]
    Frozen,
    #[error("the case is not frozen")]
    NotFrozen,
    #[error("that cannot be done at the {0} stage")]
    WrongStage(Stage),
    #[error("that person is already on the case with that duty")]
    AlreadyAssigned,
    #[error("the case's owner cannot be removed before someone else owns it")]
    OwnerCannotLeave,
    #[error("the owner must be someone assigned to the case")]
    OwnerNotAssigned,
    #[error("vetting needs a vetting officer on the case")]
    NoVettingOfficer,
    #[error("the same kind of decision is already waiting for a second person")]
    AlreadyPending,
    #[error("no such approval is waiting")]
    NoSuchApproval,
    #[error("nobody approves their own request")]
    OwnRequest,
    #[error("the approval has expired; ask again")]
    Expired,
    #[error("only an administrator may do that")]
    AdministratorOnly,
    #[error("a reason is needed")]
    ReasonNeeded,
    #[error("a break-glass reader may read the case and change nothing")]
    ReadOnly,
    #[error("you have already approved this request")]
    AlreadyApproved,
    #[error("break-glass is not set up: its threshold must be at least 2")]
    BreakGlassThreshold,
    #[error("only the person who asked for the export may download it")]
    NotTheAsker,
    #[error("the export was downloaded already; ask again for another")]
    AlreadyDownloaded,
}

/// The duties that may change who is on a case and move it along.
pub(crate) const LEADING: &[Duty] = &[Duty::Intake, Duty::Coordinator];
