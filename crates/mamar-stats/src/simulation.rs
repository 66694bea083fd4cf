//! Populations of known size, for checking estimators: people in latent groups with their own
//! capture probabilities (heterogeneity), and lists that refer people to one another
//! (dependence). The caller supplies the random generator, so a seed fixes the population.

use rand::Rng;

use crate::{CaptureTable, TableError};

/// A group of people who share capture probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's share of the population (shares are normalised).
    pub share: f64,
    /// The probability of being on each list, for members of the group.
    pub capture: Vec<f64>,
}

/// Being on list `from` multiplies the odds of being on the later list `to` by `odds_ratio`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dependence {
    pub from: usize,
    pub to: usize,
    pub odds_ratio: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub population: u64,
    pub groups: Vec<Group>,
    pub dependences: Vec<Dependence>,
}

impl Scenario {
    pub fn list_count(&self) -> usize {
        self.groups.first().map_or(0, |group| group.capture.len())
    }

    /// True when the lists are independent within each group: the LCMCR model's assumption.
    pub fn conditionally_independent(&self) -> bool {
        self.dependences
            .iter()
            .all(|dependence| dependence.odds_ratio == 1.0)
    }

    /// Draws who is on which list and returns the capture table of the people seen.
    pub fn draw(&self, rng: &mut impl Rng) -> Result<CaptureTable, TableError> {
        let lists = self.list_count();
        let mut counts = vec![0u64; 1 << lists.min(crate::MAX_LISTS)];
        let total_share: f64 = self.groups.iter().map(|g| g.share).sum();
        for _ in 0..self.population {
            let mut u = rng.random::<f64>() * total_share;
            let group = self
                .groups
                .iter()
                .find(|group| {
                    u -= group.share;
                    u < 0.0
                })
                .or(self.groups.last());
            let Some(group) = group else { break };
            let mut mask = 0usize;
            for (j, &base) in group.capture.iter().enumerate() {
                let mut odds = base / (1.0 - base);
                for dependence in &self.dependences {
                    if dependence.to == j && mask & (1 << dependence.from) != 0 {
                        odds *= dependence.odds_ratio;
                    }
                }
                if rng.random::<f64>() < odds / (1.0 + odds) {
                    mask |= 1 << j;
                }
            }
            if let Some(cell) = counts.get_mut(mask) {
                *cell += 1;
            }
        }
        let names: Vec<String> = (1..=lists).map(|j| format!("L{j}")).collect();
        let cells: Vec<(u32, u64)> = counts
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, count)| **count > 0)
            .map(|(mask, &count)| (mask as u32, count))
            .collect();
        CaptureTable::from_masks(names, &cells)
    }
}
