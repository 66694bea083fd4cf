//! One Gibbs chain of the LCMCR model.
//!
//! The model (Manrique-Vallier 2016): each of the N people belongs to one of K latent classes;
//! in class k, list j records a person with probability `lambda[k][j]`, independently of the
//! other lists. Class weights follow a truncated stick-breaking (Dirichlet-process) prior with
//! concentration `alpha ~ Gamma(a, b)`; `lambda ~ Beta(1, 1)`; `p(N) ∝ 1/N`.
//!
//! People with the same capture pattern are exchangeable, so class memberships are drawn per
//! pattern as multinomial counts rather than person by person: the chain is the same, the cost
//! depends on the number of patterns, not on N.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Binomial, Distribution, Gamma, Poisson};

use super::{LcmcrError, LcmcrOptions};

/// Beyond this many unseen people the posterior of N is running away: the lists do not bound
/// the total under this model.
const MAX_UNSEEN: f64 = 1e12;
/// Probabilities are kept this far from 0 and 1 so that logarithms stay finite.
const PROBABILITY_FLOOR: f64 = 1e-12;

pub(super) struct Chain<'a> {
    /// Observed patterns with at least one person: (mask, count).
    patterns: &'a [(u32, u64)],
    observed: u64,
    lists: usize,
    classes: usize,
    alpha_prior: (f64, f64),
    /// `lambda[k * lists + j]`.
    lambda: Vec<f64>,
    weights: Vec<f64>,
    alpha: f64,
    unseen: u64,
    // Work space, reused every iteration.
    class_size: Vec<u64>,
    class_ones: Vec<u64>,
    log_probability: Vec<f64>,
    probability: Vec<f64>,
    allocation: Vec<u64>,
    rng: ChaCha8Rng,
}

fn beta(a: f64, b: f64, rng: &mut ChaCha8Rng) -> Result<f64, LcmcrError> {
    let distribution = Beta::new(a, b).map_err(|e| LcmcrError::Numerical(e.to_string()))?;
    Ok(distribution
        .sample(rng)
        .clamp(PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR))
}

impl<'a> Chain<'a> {
    pub(super) fn new(
        patterns: &'a [(u32, u64)],
        observed: u64,
        lists: usize,
        options: &LcmcrOptions,
        mut rng: ChaCha8Rng,
    ) -> Result<Self, LcmcrError> {
        let classes = options.classes;
        let alpha = 1.0;
        let lambda = (0..classes * lists)
            .map(|_| beta(1.0, 1.0, &mut rng))
            .collect::<Result<Vec<_>, _>>()?;
        let mut chain = Chain {
            patterns,
            observed,
            lists,
            classes,
            alpha_prior: options.alpha_prior,
            lambda,
            weights: vec![1.0 / classes as f64; classes],
            alpha,
            unseen: observed,
            class_size: vec![0; classes],
            class_ones: vec![0; classes * lists],
            log_probability: vec![0.0; classes],
            probability: vec![0.0; classes],
            allocation: vec![0; classes],
            rng,
        };
        chain.update_weights_from_prior()?;
        chain.update_unseen()?;
        Ok(chain)
    }

    /// The current total N.
    pub(super) fn total(&self) -> u64 {
        self.observed.saturating_add(self.unseen)
    }

    /// One full Gibbs sweep.
    pub(super) fn step(&mut self) -> Result<(), LcmcrError> {
        self.allocate()?;
        self.update_lambda()?;
        self.update_weights()?;
        self.update_alpha()?;
        self.update_unseen()
    }

    /// Draws each person's class, pattern by pattern, and tallies class sizes and, per class,
    /// how many are on each list.
    fn allocate(&mut self) -> Result<(), LcmcrError> {
        self.class_size.fill(0);
        self.class_ones.fill(0);
        let patterns = self.patterns;
        for &(mask, count) in patterns {
            self.allocate_pattern(mask, count)?;
        }
        self.allocate_pattern(0, self.unseen)
    }

    fn allocate_pattern(&mut self, mask: u32, count: u64) -> Result<(), LcmcrError> {
        if count == 0 {
            return Ok(());
        }
        let (lists, classes) = (self.lists, self.classes);
        for k in 0..classes {
            let mut log_p = self.weights[k].ln();
            for j in 0..lists {
                let lambda = self.lambda[k * lists + j];
                log_p += if mask & (1 << j) != 0 {
                    lambda.ln()
                } else {
                    (1.0 - lambda).ln()
                };
            }
            self.log_probability[k] = log_p;
        }
        let largest = self
            .log_probability
            .iter()
            .fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let mut sum = 0.0;
        for k in 0..classes {
            let p = (self.log_probability[k] - largest).exp();
            self.probability[k] = p;
            sum += p;
        }
        for p in &mut self.probability {
            *p /= sum;
        }
        self.multinomial(count)?;
        for k in 0..classes {
            let members = self.allocation[k];
            if members == 0 {
                continue;
            }
            self.class_size[k] += members;
            for j in 0..lists {
                if mask & (1 << j) != 0 {
                    self.class_ones[k * lists + j] += members;
                }
            }
        }
        Ok(())
    }

    /// Splits `count` people among the classes with the current `probability`.
    fn multinomial(&mut self, count: u64) -> Result<(), LcmcrError> {
        self.allocation.fill(0);
        let classes = self.classes;
        if count <= 2 * classes as u64 {
            // Few people: one categorical draw each is cheaper than K binomials.
            for _ in 0..count {
                let u: f64 = self.rng.random();
                let mut cumulative = 0.0;
                let mut chosen = classes - 1;
                for (k, p) in self.probability.iter().enumerate() {
                    cumulative += p;
                    if u < cumulative {
                        chosen = k;
                        break;
                    }
                }
                self.allocation[chosen] += 1;
            }
            return Ok(());
        }
        let mut remaining = count;
        let mut mass_left = 1.0;
        for k in 0..classes {
            if remaining == 0 {
                break;
            }
            if k + 1 == classes {
                self.allocation[k] = remaining;
                break;
            }
            let p = self.probability[k];
            let share = if mass_left > 0.0 {
                (p / mass_left).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let drawn = Binomial::new(remaining, share)
                .map_err(|e| LcmcrError::Numerical(e.to_string()))?
                .sample(&mut self.rng);
            self.allocation[k] = drawn;
            remaining -= drawn.min(remaining);
            mass_left -= p;
        }
        Ok(())
    }

    fn update_lambda(&mut self) -> Result<(), LcmcrError> {
        for k in 0..self.classes {
            for j in 0..self.lists {
                let ones = self.class_ones[k * self.lists + j] as f64;
                let zeros = (self.class_size[k] as f64) - ones;
                self.lambda[k * self.lists + j] = beta(1.0 + ones, 1.0 + zeros, &mut self.rng)?;
            }
        }
        Ok(())
    }

    /// Stick-breaking weights given the class sizes.
    fn update_weights(&mut self) -> Result<(), LcmcrError> {
        let mut later: u64 = self.class_size.iter().sum();
        let mut stick: f64 = 1.0;
        for k in 0..self.classes {
            later -= self.class_size[k].min(later);
            if k + 1 == self.classes {
                self.weights[k] = stick.max(PROBABILITY_FLOOR);
                break;
            }
            let v = beta(
                1.0 + self.class_size[k] as f64,
                self.alpha + later as f64,
                &mut self.rng,
            )?;
            self.weights[k] = (stick * v).max(PROBABILITY_FLOOR);
            stick *= 1.0 - v;
        }
        Ok(())
    }

    fn update_weights_from_prior(&mut self) -> Result<(), LcmcrError> {
        self.class_size.fill(0);
        self.update_weights()
    }

    /// alpha | V ~ Gamma(a + K - 1, b - sum log(1 - V_k)), and sum log(1 - V_k) = log(pi_K).
    fn update_alpha(&mut self) -> Result<(), LcmcrError> {
        let (a, b) = self.alpha_prior;
        let last = self.weights.last().copied().unwrap_or(1.0);
        let rate = b - last.ln();
        let shape = a + (self.classes as f64) - 1.0;
        let draw = Gamma::new(shape, 1.0 / rate)
            .map_err(|e| LcmcrError::Numerical(e.to_string()))?
            .sample(&mut self.rng);
        // A vanishing alpha would make the stick-breaking Beta(1, alpha) improper.
        self.alpha = draw.max(1e-6);
        Ok(())
    }

    /// N - n | rest ~ NegativeBinomial(n, 1 - p0), drawn as a Gamma–Poisson mixture, where p0
    /// is the probability of being on no list.
    fn update_unseen(&mut self) -> Result<(), LcmcrError> {
        let mut unseen_probability = 0.0;
        for k in 0..self.classes {
            let mut missed = self.weights[k];
            for j in 0..self.lists {
                missed *= 1.0 - self.lambda[k * self.lists + j];
            }
            unseen_probability += missed;
        }
        let p0 = unseen_probability.clamp(0.0, 1.0 - PROBABILITY_FLOOR);
        let odds = p0 / (1.0 - p0);
        let rate = Gamma::new(self.observed as f64, odds)
            .map_err(|e| LcmcrError::Numerical(e.to_string()))?
            .sample(&mut self.rng);
        if !rate.is_finite() || rate > MAX_UNSEEN {
            return Err(LcmcrError::RunsAway);
        }
        self.unseen = if rate <= 0.0 {
            0
        } else {
            let draw: f64 = Poisson::new(rate)
                .map_err(|e| LcmcrError::Numerical(e.to_string()))?
                .sample(&mut self.rng);
            draw as u64
        };
        Ok(())
    }
}
