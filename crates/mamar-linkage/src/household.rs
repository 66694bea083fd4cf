//! Brothers: the non-match that looks most like a match.
//!
//! Two brothers share the father, the grandfather, the family name, the mother, the place and
//! often the home phone; they differ in the given name and the birth year (twins only in the
//! given name). Fellegi–Sunter weighs each field's agreement against a *random* pair of
//! people, among whom agreeing on all of these at once is nearly impossible, so the shared
//! household outweighs a different given name and brothers come out as one person.
//!
//! A non-match can be a stranger or a brother. The model has three kinds of pair, not two:
//! matches (m), strangers (u), and brothers, who agree on the household's fields as matches
//! do (m), and on the given name and the birth year in their own way. Each EM session
//! estimates the brothers' years beside m, and, where it leaves the given name free, their
//! given names' levels (a session blocked on the phone, or on the family name, the mother and
//! the year, holds many brothers; counted as matches they would teach the model that a
//! match's given names often differ). The given names start as strangers' (u) and are
//! learnt from the lists: parents do not give two sons one name, so on lists like the
//! generator's the model finds that brothers' given names agree less often than strangers',
//! and a household pair that agrees on the given name is a match even when the year is
//! missing or one off, which says little between a man and his brother. The number of
//! brother pairs is found like
//! the number of matches, as a fixed point over the candidate pairs. A pair's weight is then
//! the log-odds of a match against both other kinds: log2(o_match / (1 + o_brothers)), each
//! o being odds against strangers. Where the household agrees, o_brothers is large and only
//! the given name and the year speak, as they should; elsewhere it is negligible and the
//! weight is the Fellegi–Sunter weight. Nothing is set by hand: the brothers' years and
//! number come from the lists.
//!
//! Clustering keeps apart the records of pairs that brothers explain better than a match and
//! that score below the review threshold: no chain of links joins them (see
//! [`crate::cluster::Apart`]).

use crate::compare::{Comparison, Field, Level};
use crate::model::Parameters;

const LEVELS: usize = Level::AGREEMENT_LEVELS;

/// The brothers' part of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdFit {
    /// The prior probability that two records picked at random are of brothers.
    pub lambda: f64,
    /// The expected number of brother pairs among the candidate pairs.
    pub brothers: f64,
    /// The birth year's levels between brothers' records.
    pub year: [f64; LEVELS],
    /// The given name's levels between brothers' records (brothers are not given one name:
    /// learnt, not assumed; strangers' levels where no session could learn them).
    pub given: [f64; LEVELS],
}

/// Whether a pair's household agrees: the father's and the family name exact or close.
#[inline]
pub fn household_agrees(comparison: Comparison) -> bool {
    comparison.level(Field::Father as usize) <= Level::Close
        && comparison.level(Field::Family as usize) <= Level::Close
}

impl HouseholdFit {
    /// log2 of the brothers' prior odds against strangers.
    pub fn prior_weight(&self, parameters: &Parameters) -> f64 {
        (self.lambda / (1.0 - self.lambda - parameters.lambda).max(1e-12)).log2()
    }

    /// log2(brothers' share / strangers' share) of a birth-year level (0 for missing).
    pub fn year_weight(&self, parameters: &Parameters, level: Level) -> f64 {
        let l = level as usize;
        match (
            self.year.get(l),
            parameters.u.get(Field::BirthYear as usize).and_then(|u| u.get(l)),
        ) {
            (Some(b), Some(u)) if level != Level::Missing => (b.max(1e-6) / u).log2(),
            _ => 0.0,
        }
    }

    /// log2(brothers' share / matches' share) of a given-name level (0 for missing): what
    /// brothers' weight of the given name differs from a match's by.
    pub fn given_shift(&self, parameters: &Parameters, level: Level) -> f64 {
        let l = level as usize;
        match (
            self.given.get(l),
            parameters.m.get(Field::Given as usize).and_then(|m| m.get(l)),
        ) {
            (Some(b), Some(m)) if level != Level::Missing => (b.max(1e-6) / m.max(1e-6)).log2(),
            _ => 0.0,
        }
    }

    /// The log-odds of brothers against strangers for a comparison (without term-frequency
    /// adjustment).
    pub fn brothers_weight(&self, parameters: &Parameters, comparison: Comparison) -> f64 {
        self.prior_weight(parameters) + self.fields_weight(parameters, comparison)
    }

    /// [`HouseholdFit::brothers_weight`] without the prior (which changes as the number of
    /// matches and brothers is found; the fields' part does not).
    pub fn fields_weight(&self, parameters: &Parameters, comparison: Comparison) -> f64 {
        let mut weight = 0.0;
        for field in 0..Field::COUNT {
            let level = comparison.level(field);
            if field == Field::BirthYear as usize {
                weight += self.year_weight(parameters, level);
            } else if field == Field::Given as usize {
                if level != Level::Missing {
                    weight += parameters.weight(field, level) + self.given_shift(parameters, level);
                }
            } else {
                weight += parameters.weight(field, level);
            }
        }
        weight
    }
}
