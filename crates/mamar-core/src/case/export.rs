//! Exporting a case's records to a file (threat model A3: exporting data
//! needs a second authorised person who did not ask). Someone leading the
//! case asks with a reason ([`super::Command::RequestExport`]); a second
//! person on the case grants it; then the person who asked, and only they,
//! may download it once, before the grant expires
//! ([`super::Command::DownloadExport`]). A frozen case exports nothing; a
//! closed one may be exported (a read).

use crate::StaffId;

use super::rules::CaseRuleError;

/// A granted export, as the use case keeps it under the case key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportGrant {
    /// The person who asked (the only one who may download it).
    pub asked_by: StaffId,
    /// Unix seconds after which it downloads nothing.
    pub expires_at: i64,
    /// It was downloaded already.
    pub used: bool,
}

impl ExportGrant {
    /// Whether `actor` may download this export at `now`.
    pub fn check(&self, actor: StaffId, now: i64) -> Result<(), CaseRuleError> {
        if actor != self.asked_by {
            return Err(CaseRuleError::NotTheAsker);
        }
        if self.used {
            return Err(CaseRuleError::AlreadyDownloaded);
        }
        if self.expires_at <= now {
            return Err(CaseRuleError::Expired);
        }
        Ok(())
    }
}
