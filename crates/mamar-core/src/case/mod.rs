//! A case: the work an organisation does for one person, from the request
//! that arrived to the closure. This module holds the rules of that work
//! and nothing else: the stages and the transitions between them
//! ([`machine`]), who may act on a case and the two-person rule
//! ([`rules`]), and the short reference number staff say on the phone
//! ([`reference`]). Pure: no I/O, no clock (times come in as Unix seconds),
//! no randomness (ids come in from the caller).

pub mod breakglass;
pub mod export;
pub mod machine;
pub mod plan;
pub mod reference;
pub mod rules;

pub use export::ExportGrant;
pub use machine::{CaseState, Command, Effect};
pub use reference::{CaseReference, ReferenceError};
pub use rules::{Actor, CaseRuleError};

use std::fmt;
use std::str::FromStr;

/// Where a case stands. The order is the order of the work; a case moves
/// forward one stage at a time, or to `Closed` from anywhere (with a second
/// person), and back to `Triage` only by reopening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    New,
    Triage,
    Vetting,
    Planning,
    InTransit,
    Arrived,
    FollowUp,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::New,
        Stage::Triage,
        Stage::Vetting,
        Stage::Planning,
        Stage::InTransit,
        Stage::Arrived,
        Stage::FollowUp,
        Stage::Closed,
    ];

    /// The stable code stored in the database and used in translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Triage => "triage",
            Stage::Vetting => "vetting",
            Stage::Planning => "planning",
            Stage::InTransit => "in-transit",
            Stage::Arrived => "arrived",
            Stage::FollowUp => "follow-up",
            Stage::Closed => "closed",
        }
    }

    /// The stage the ordinary work leads to next, if the coordinator may
    /// simply move there. Vetting is left only through an accepted
    /// decision, and a case is closed only with a second person.
    pub fn plain_next(self) -> Option<Stage> {
        match self {
            Stage::New => Some(Stage::Triage),
            Stage::Triage => Some(Stage::Vetting),
            Stage::Planning => Some(Stage::InTransit),
            Stage::InTransit => Some(Stage::Arrived),
            Stage::Arrived => Some(Stage::FollowUp),
            Stage::Vetting | Stage::FollowUp | Stage::Closed => None,
        }
    }

    /// Still being worked on (not closed).
    pub fn is_open(self) -> bool {
        self != Stage::Closed
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A code that names nothing this version knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {code:?}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

fn parse_code<T: Copy>(
    all: &[T],
    code_of: fn(T) -> &'static str,
    what: &'static str,
    s: &str,
) -> Result<T, UnknownCode> {
    all.iter()
        .copied()
        .find(|item| code_of(*item) == s)
        .ok_or_else(|| UnknownCode {
            what,
            code: s.chars().take(32).collect(),
        })
}

impl FromStr for Stage {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(&Stage::ALL, Stage::code, "stage", s)
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClosingOutcome {
    SafeAndStaying,
    SafeAndRelocated,
    LostContact,
    Withdrew,
    SuspectedInfiltration,
    Arrested,
    Killed,
}

impl ClosingOutcome {
    pub const ALL: [ClosingOutcome; 7] = [
        ClosingOutcome::SafeAndStaying,
        ClosingOutcome::SafeAndRelocated,
        ClosingOutcome::LostContact,
        ClosingOutcome::Withdrew,
        ClosingOutcome::SuspectedInfiltration,
        ClosingOutcome::Arrested,
        ClosingOutcome::Killed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClosingOutcome::SafeAndStaying => "safe-staying",
            ClosingOutcome::SafeAndRelocated => "safe-relocated",
            ClosingOutcome::LostContact => "lost-contact",
            ClosingOutcome::Withdrew => "withdrew",
            ClosingOutcome::SuspectedInfiltration => "suspected-infiltration",
            ClosingOutcome::Arrested => "arrested",
            ClosingOutcome::Killed => "killed",
        }
    }
}

impl FromStr for ClosingOutcome {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(&ClosingOutcome::ALL, ClosingOutcome::code, "closing outcome", s)
    }
}

/// What vetting concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VettingDecision {
    /// The person is who they say and their story holds: planning may begin.
    Cleared,
    /// Not enough to go on: the case stays in vetting.
    NotCleared,
    /// An infiltrator posing as a defector is suspected: the case freezes,
    /// and the requester sees nothing different.
    SuspectedInfiltration,
}

impl VettingDecision {
    pub const ALL: [VettingDecision; 3] = [
        VettingDecision::Cleared,
        VettingDecision::NotCleared,
        VettingDecision::SuspectedInfiltration,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VettingDecision::Cleared => "cleared",
            VettingDecision::NotCleared => "not-cleared",
            VettingDecision::SuspectedInfiltration => "suspected-infiltration",
        }
    }
}

impl FromStr for VettingDecision {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(
            &VettingDecision::ALL,
            VettingDecision::code,
            "vetting decision",
            s,
        )
    }
}

/// What an assignee does on a case. A duty is open only to staff whose
/// roles allow it ([`Duty::allowed_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Duty {
    /// Opened the case from a request or a call; owns it until a coordinator does.
    Intake,
    Coordinator,
    Vetting,
    Reception,
    PartnerLiaison,
    /// An administrator who opened the case by break-glass, with k
    /// administrators' shares, for a limited time: reads what a coordinator
    /// reads and may change nothing ([`breakglass`]). Never assigned; not in
    /// [`Duty::ALL`].
    BreakGlass,
}

impl Duty {
    /// The duties a person can be assigned.
    pub const ALL: [Duty; 5] = [
        Duty::Intake,
        Duty::Coordinator,
        Duty::Vetting,
        Duty::Reception,
        Duty::PartnerLiaison,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Duty::Intake => "intake",
            Duty::Coordinator => "coordinator",
            Duty::Vetting => "vetting",
            Duty::Reception => "reception",
            Duty::PartnerLiaison => "partner-liaison",
            Duty::BreakGlass => "break-glass",
        }
    }

    /// The duty whose sections this one reads: a break-glass reader reads
    /// what the case's coordinator reads.
    pub fn reads_as(self) -> Duty {
        match self {
            Duty::BreakGlass => Duty::Coordinator,
            other => other,
        }
    }

    /// The staff roles that may take this duty. An administrator may take
    /// any duty (small organisations), but is never on a case by role alone.
    pub fn allowed_for(self, roles: &[crate::Role]) -> bool {
        use crate::Role;
        let needed = match self {
            Duty::Intake => Role::IntakeOperator,
            Duty::Coordinator => Role::ExitCoordinator,
            Duty::Vetting => Role::VettingOfficer,
            Duty::Reception => Role::ReceptionOfficer,
            Duty::PartnerLiaison => Role::PartnerLiaison,
            Duty::BreakGlass => Role::Administrator,
        };
        roles
            .iter()
            .any(|role| *role == needed || *role == Role::Administrator)
    }
}

impl FromStr for Duty {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(
            &[
                Duty::Intake,
                Duty::Coordinator,
                Duty::Vetting,
                Duty::Reception,
                Duty::PartnerLiaison,
                Duty::BreakGlass,
            ],
            Duty::code,
            "duty",
            s,
        )
    }
}

/// How a case came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseSource {
    /// A request through the public web form (or, later, another channel).
    Request,
    /// A phone call to a hotline, entered by an operator.
    Hotline,
    /// A referral file from a partner organisation that runs its own mamar.
    Partner,
}

impl CaseSource {
    pub fn code(self) -> &'static str {
        match self {
            CaseSource::Request => "request",
            CaseSource::Hotline => "hotline",
            CaseSource::Partner => "partner",
        }
    }
}

impl FromStr for CaseSource {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(
            &[CaseSource::Request, CaseSource::Hotline, CaseSource::Partner],
            CaseSource::code,
            "source",
            s,
        )
    }
}

/// What a second person is asked to approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalKind {
    Vetting(VettingDecision),
    Close(ClosingOutcome),
    Reopen,
    Unfreeze,
    /// Releasing the exit plan to the rest of the case team.
    ReleasePlan,
    /// Deleting the case now: its identifying data is crypto-shredded at
    /// once (its statistical facets stay).
    Delete,
    /// An administrator off the case asks to open it for a limited time,
    /// with a reason, when its people cannot be reached; k administrators'
    /// shares are needed ([`breakglass`]). Kept apart from the case's own
    /// waiting approvals: the asker holds no key to the case.
    BreakGlass,
    /// Exporting the case's records to a file: once granted, only the person
    /// who asked may download it, once, before the grant expires.
    Export,
}

impl ApprovalKind {
    /// The kind's code without its content (what is visible at rest: the
    /// decision or outcome itself stays encrypted under the case key).
    pub fn code(self) -> &'static str {
        match self {
            ApprovalKind::Vetting(_) => "vetting",
            ApprovalKind::Close(_) => "close",
            ApprovalKind::Reopen => "reopen",
            ApprovalKind::Unfreeze => "unfreeze",
            ApprovalKind::ReleasePlan => "release-plan",
            ApprovalKind::Delete => "delete",
            ApprovalKind::BreakGlass => "break-glass",
            ApprovalKind::Export => "export",
        }
    }
}
