//! The privacy budget of one release period.
//!
//! Each period (a month, a quarter: the organisation chooses its name) has a
//! limit on the total privacy loss ε of everything released in it. Amounts
//! are kept in millionths of ε as integers, charges rounded up, so a sum of
//! charges is never below what was really spent. The store keeps the budget
//! and the release log and writes a release and its charge in one
//! transaction that refuses a charge beyond the limit.

use serde::{Deserialize, Serialize};

use crate::RegistryError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub period: String,
    /// The period's limit, in millionths of ε.
    pub limit_micro: u64,
    /// What releases of the period have spent, in millionths of ε.
    pub spent_micro: u64,
}

impl Budget {
    pub fn new(period: impl Into<String>, limit_micro: u64) -> Budget {
        Budget {
            period: period.into(),
            limit_micro,
            spent_micro: 0,
        }
    }

    pub fn remaining_micro(&self) -> u64 {
        self.limit_micro.saturating_sub(self.spent_micro)
    }

    /// Spends `micro`, or refuses (and spends nothing) when it would take
    /// the period past its limit.
    pub fn charge(&mut self, micro: u64) -> Result<(), RegistryError> {
        match self.spent_micro.checked_add(micro) {
            Some(after) if after <= self.limit_micro => {
                self.spent_micro = after;
                Ok(())
            }
            _ => Err(RegistryError::BudgetExhausted {
                period: self.period.clone(),
                needed_micro: micro,
                remaining_micro: self.remaining_micro(),
            }),
        }
    }
}
