//! The organisation's case configuration (TOML, both languages, like the
//! questionnaire): which sections of a case each duty may read, how long an
//! approval waits, and the vetting checklist. Checked on load.

use std::collections::BTreeMap;

use mamar_core::Locale;
use mamar_core::case::Duty;
use serde::Deserialize;

/// A part of a case that a duty may or may not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Answers,
    Identity,
    Vetting,
    Notes,
    Messages,
    Timeline,
    Attachments,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Answers,
        Section::Identity,
        Section::Vetting,
        Section::Notes,
        Section::Messages,
        Section::Timeline,
        Section::Attachments,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Answers => "answers",
            Section::Identity => "identity",
            Section::Vetting => "vetting",
            Section::Notes => "notes",
            Section::Messages => "messages",
            Section::Timeline => "timeline",
            Section::Attachments => "attachments",
        }
    }
}

/// One question of the vetting checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub id: String,
    ar: String,
    en: String,
}

impl ChecklistItem {
    pub fn label(&self, locale: Locale) -> &str {
        match locale {
            Locale::Ar => &self.ar,
            Locale::En => &self.en,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseConfig {
    sections: BTreeMap<Duty, Vec<Section>>,
    pub approval_secs: i64,
    pub checklist: Vec<ChecklistItem>,
    /// The largest attachment accepted, in bytes.
    pub attachment_max_bytes: u64,
    /// Days after the arrival at which follow-up reviews come due, ascending.
    pub review_days: Vec<i64>,
    /// Days a closed case keeps its identifying data before it is crypto-shredded.
    pub retention_days: i64,
    /// The longest a break-glass grant lasts (and a break-glass request waits), in seconds.
    pub break_glass_max_secs: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseConfigError {
    #[error("the case configuration is not valid TOML: {0}")]
    Toml(String),
    #[error("unknown duty {0:?} under [sections]")]
    UnknownDuty(String),
    #[error("unknown section {0:?}")]
    UnknownSection(String),
    #[error("approval_hours must be between 1 and 720")]
    ApprovalHours,
    #[error("vetting checklist item {0:?} needs an id and text in Arabic and English")]
    ChecklistItem(String),
    #[error("vetting checklist item id {0:?} is used twice")]
    DuplicateItem(String),
    #[error("attachment_max_mb must be between 1 and 100")]
    AttachmentSize,
    #[error("the vetting checklist is empty")]
    EmptyChecklist,
    #[error("review_days must be whole days between 1 and 3650, ascending")]
    ReviewDays,
    #[error("retention_days must be between 0 and 3650")]
    RetentionDays,
    #[error("break_glass_max_hours must be between 1 and 168")]
    BreakGlassHours,
}

/// Follow-up reviews after the arrival when the file names none: a month, three months, six months.
const DEFAULT_REVIEW_DAYS: [i64; 3] = [30, 90, 180];

/// How long a closed case keeps its identifying data when the file does not say.
pub const DEFAULT_RETENTION_DAYS: i64 = 90;

/// How long a break-glass grant may last when the file does not say: a day.
pub const DEFAULT_BREAK_GLASS_MAX_HOURS: i64 = 24;

fn default_break_glass_max_hours() -> i64 {
    DEFAULT_BREAK_GLASS_MAX_HOURS
}

fn default_retention_days() -> i64 {
    DEFAULT_RETENTION_DAYS
}

fn default_review_days() -> Vec<i64> {
    DEFAULT_REVIEW_DAYS.to_vec()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    approval_hours: i64,
    #[serde(default = "default_attachment_mb")]
    attachment_max_mb: u64,
    #[serde(default = "default_review_days")]
    review_days: Vec<i64>,
    #[serde(default = "default_retention_days")]
    retention_days: i64,
    #[serde(default = "default_break_glass_max_hours")]
    break_glass_max_hours: i64,
    sections: BTreeMap<String, Vec<String>>,
    vetting: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: String,
    ar: String,
    en: String,
}

fn default_attachment_mb() -> u64 {
    10
}

const SHIPPED: &str = include_str!("../config/cases.toml");

impl CaseConfig {
    pub fn shipped() -> Self {
        // The shipped file is checked by a test; falling back keeps library code panic-free.
        Self::from_toml(SHIPPED).unwrap_or_else(|_| CaseConfig {
            sections: BTreeMap::new(),
            approval_secs: 72 * 3600,
            checklist: Vec::new(),
            attachment_max_bytes: default_attachment_mb() << 20,
            review_days: default_review_days(),
            retention_days: DEFAULT_RETENTION_DAYS,
            break_glass_max_secs: DEFAULT_BREAK_GLASS_MAX_HOURS * 3600,
        })
    }

    pub fn from_toml(source: &str) -> Result<Self, CaseConfigError> {
        let raw: RawConfig =
            toml::from_str(source).map_err(|e| CaseConfigError::Toml(e.message().to_owned()))?;
        if !(1..=720).contains(&raw.approval_hours) {
            return Err(CaseConfigError::ApprovalHours);
        }
        if !(1..=100).contains(&raw.attachment_max_mb) {
            return Err(CaseConfigError::AttachmentSize);
        }
        if raw.review_days.iter().any(|d| !(1..=3650).contains(d))
            || raw.review_days.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(CaseConfigError::ReviewDays);
        }
        if !(0..=3650).contains(&raw.retention_days) {
            return Err(CaseConfigError::RetentionDays);
        }
        if !(1..=168).contains(&raw.break_glass_max_hours) {
            return Err(CaseConfigError::BreakGlassHours);
        }
        let mut sections = BTreeMap::new();
        for (duty, list) in raw.sections {
            let duty: Duty = duty
                .parse()
                .map_err(|_| CaseConfigError::UnknownDuty(duty.clone()))?;
            let list = list
                .iter()
                .map(|code| {
                    Section::ALL
                        .into_iter()
                        .find(|s| s.code() == code)
                        .ok_or_else(|| CaseConfigError::UnknownSection(code.clone()))
                })
                .collect::<Result<Vec<_>, _>>()?;
            sections.insert(duty, list);
        }
        if raw.vetting.is_empty() {
            return Err(CaseConfigError::EmptyChecklist);
        }
        let mut checklist: Vec<ChecklistItem> = Vec::new();
        for item in raw.vetting {
            if item.id.trim().is_empty() || item.ar.trim().is_empty() || item.en.trim().is_empty() {
                return Err(CaseConfigError::ChecklistItem(item.id));
            }
            if checklist.iter().any(|c| c.id == item.id) {
                return Err(CaseConfigError::DuplicateItem(item.id));
            }
            checklist.push(ChecklistItem {
                id: item.id,
                ar: item.ar,
                en: item.en,
            });
        }
        Ok(CaseConfig {
            sections,
            approval_secs: raw.approval_hours * 3600,
            checklist,
            attachment_max_bytes: raw.attachment_max_mb << 20,
            review_days: raw.review_days,
            retention_days: raw.retention_days,
            break_glass_max_secs: raw.break_glass_max_hours * 3600,
        })
    }

    /// What someone holding `duties` on a case may read.
    pub fn readable(&self, duties: &[Duty]) -> Vec<Section> {
        let mut out: Vec<Section> = duties
            .iter()
            .flat_map(|duty| self.sections.get(&duty.reads_as()).cloned().unwrap_or_default())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_configuration_loads_and_keeps_vetting_from_reception() {
        let config = CaseConfig::from_toml(SHIPPED).unwrap();
        assert_eq!(config.approval_secs, 72 * 3600);
        assert_eq!(config.checklist.len(), 5);
        assert_eq!(config.review_days, [30, 90, 180]);
        assert_eq!(config.retention_days, 90);
        assert!(config.readable(&[Duty::Vetting]).contains(&Section::Vetting));
        assert!(!config.readable(&[Duty::Reception]).contains(&Section::Vetting));
        assert!(!config.readable(&[Duty::Reception]).contains(&Section::Answers));
        assert_eq!(config.readable(&[Duty::PartnerLiaison]), [Section::Timeline]);
    }

    #[test]
    fn mistakes_in_the_configuration_are_named() {
        let bad = SHIPPED.replace("reception = [", "receptionist = [");
        assert_eq!(
            CaseConfig::from_toml(&bad).unwrap_err(),
            CaseConfigError::UnknownDuty("receptionist".into())
        );
        let bad = SHIPPED.replace("\"timeline\"]\n\n[[vetting]]", "\"troops\"]\n\n[[vetting]]");
        assert!(matches!(
            CaseConfig::from_toml(&bad),
            Err(CaseConfigError::UnknownSection(_))
        ));
        let bad = SHIPPED.replace("review_days = [30, 90, 180]", "review_days = [90, 30]");
        assert_eq!(
            CaseConfig::from_toml(&bad).unwrap_err(),
            CaseConfigError::ReviewDays
        );
        let bad = SHIPPED.replace("approval_hours = 72", "approval_hours = 0");
        assert_eq!(
            CaseConfig::from_toml(&bad).unwrap_err(),
            CaseConfigError::ApprovalHours
        );
    }
}
