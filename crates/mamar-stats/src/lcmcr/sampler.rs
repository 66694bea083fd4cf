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
//!
//! The Gibbs sweep of Manrique-Vallier (2016) mixes slowly when many people are unseen: a
//! small capture probability makes a large unseen count, which makes the probability small
//! again. Each sweep therefore adds one Metropolis move per capture probability on the
//! posterior with the unseen people summed out (with p(N) ∝ 1/N that sum is (1 − p0)^−n, p0
//! the probability of being on no list), followed at once by a fresh draw of the unseen count
//! and their classes — a partially collapsed Gibbs step that leaves the same posterior
//! invariant. Its step sizes adapt during burn-in only.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Binomial, Distribution, Gamma, Poisson, StandardNormal};

use super::{LcmcrError, LcmcrOptions};

/// Beyond this many unseen people the posterior of N is running away: the lists do not bound
/// the total under this model.
const MAX_UNSEEN: f64 = 1e12;
/// Probabilities are kept this far from 0 and 1 so that logarithms stay finite.
const PROBABILITY_FLOOR: f64 = 1e-12;
/// The Metropolis moves' step sizes are tuned in batches of this many sweeps towards this
/// acceptance rate, the optimum for one-dimensional random walks (Roberts & Rosenthal 2009).
const ADAPTATION_BATCH: u32 = 50;
const TARGET_ACCEPTANCE: f64 = 0.44;
const INITIAL_LOG_STEP: f64 = -0.7;

pub(super) struct Chain<'a> {
    /// Observed patterns with at least one person: (mask, count).
    patterns: &'a [(u32, u64)],
    observed: u64,
    lists: usize,
    classes: usize,
    alpha_prior: (f64, f64),
    /// `lambda[k * lists + j]`.
    lambda: Vec<f64>,
    /// The class weights and their logarithms. The logarithms are the ones kept: the weights of
    /// unused classes fall far below the smallest float, and their logarithms drive alpha.
    weights: Vec<f64>,
    log_weights: Vec<f64>,
    /// The stick-breaking fractions V_k behind the weights, as logit(V_k): log V_k and
    /// log(1 − V_k) stay exact when V_k is within 1e-300 of 0 or 1 (the last is unused, V_K = 1).
    stick_logits: Vec<f64>,
    alpha: f64,
    unseen: u64,
    collapsed_moves: bool,
    /// Sweeps during which the step sizes adapt (the burn-in), and sweeps done.
    adapt_for: usize,
    sweeps: usize,
    /// Log of each capture probability's random-walk step on the logit scale, and the moves
    /// accepted in the current adaptation batch.
    log_step: Vec<f64>,
    accepted: Vec<u32>,
    // Work space, reused every iteration.
    /// Class sizes among the people seen; `class_size` adds the unseen.
    seen_class_size: Vec<u64>,
    class_size: Vec<u64>,
    /// Per class, the probability of being on no list, kept in step with `lambda` by the moves.
    missed: Vec<f64>,
    lambda_backup: Vec<f64>,
    class_ones: Vec<u64>,
    /// The logarithms of `lambda` and of `1 − lambda`, taken once per allocation rather than
    /// once per pattern: most of a sweep's cost otherwise.
    log_on: Vec<f64>,
    log_off: Vec<f64>,
    log_probability: Vec<f64>,
    probability: Vec<f64>,
    allocation: Vec<u64>,
    rng: ChaCha8Rng,
}

/// The probability `p` moved by `shift` on the logit scale.
fn shifted(p: f64, shift: f64) -> f64 {
    let logit = (p / (1.0 - p)).ln() + shift;
    (1.0 / (1.0 + (-logit).exp())).clamp(PROBABILITY_FLOOR, 1.0 - PROBABILITY_FLOOR)
}

/// log(1 − p0), with p0 kept below 1 as the unseen draw keeps it.
fn log_not_missed(p0: f64) -> f64 {
    (1.0 - p0.clamp(0.0, 1.0 - PROBABILITY_FLOOR)).ln()
}

/// log(1 / (1 + e^−x)) without overflow or loss of precision at either end.
fn log_sigmoid(x: f64) -> f64 {
    if x > 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// The logarithm of a Gamma(shape, 1) draw. Below shape 1 it uses Gamma(shape) = Gamma(shape
/// + 1) · U^(1/shape), whose logarithm stays finite where the draw itself underflows to 0.
fn log_gamma_draw(shape: f64, rng: &mut ChaCha8Rng) -> Result<f64, LcmcrError> {
    let draw = |shape: f64, rng: &mut ChaCha8Rng| {
        Gamma::new(shape, 1.0)
            .map(|gamma| gamma.sample(rng))
            .map_err(|e| LcmcrError::Numerical(e.to_string()))
    };
    if shape >= 1.0 {
        return Ok(draw(shape, rng)?.ln());
    }
    let uniform = 1.0 - rng.random::<f64>();
    Ok(draw(shape + 1.0, rng)?.ln() + uniform.ln() / shape)
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
            log_weights: vec![-(classes as f64).ln(); classes],
            stick_logits: vec![0.0; classes],
            alpha,
            unseen: observed,
            collapsed_moves: options.collapsed_moves,
            adapt_for: options.burn_in,
            sweeps: 0,
            // One step per capture probability, then one per stick-breaking fraction.
            log_step: vec![INITIAL_LOG_STEP; classes * lists + 2 * classes],
            accepted: vec![0; classes * lists + 2 * classes],
            missed: vec![0.0; classes],
            lambda_backup: vec![0.0; lists],
            seen_class_size: vec![0; classes],
            class_size: vec![0; classes],
            class_ones: vec![0; classes * lists],
            log_on: vec![0.0; classes * lists],
            log_off: vec![0.0; classes * lists],
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

    /// One full sweep.
    pub(super) fn step(&mut self) -> Result<(), LcmcrError> {
        self.allocate()?;
        self.update_lambda()?;
        if self.collapsed_moves {
            self.move_lambda_unseen_summed_out();
            self.shift_classes_unseen_summed_out();
            self.move_weights_unseen_summed_out();
            self.adapt_steps();
            self.update_unseen()?;
            self.reallocate_unseen()?;
        }
        self.update_weights()?;
        self.update_alpha()?;
        self.update_unseen()?;
        self.sweeps += 1;
        Ok(())
    }

    /// Draws each person's class, pattern by pattern, and tallies class sizes and, per class,
    /// how many are on each list.
    fn allocate(&mut self) -> Result<(), LcmcrError> {
        self.take_logarithms();
        self.class_size.fill(0);
        self.class_ones.fill(0);
        let patterns = self.patterns;
        for &(mask, count) in patterns {
            self.allocate_pattern(mask, count)?;
        }
        self.seen_class_size.copy_from_slice(&self.class_size);
        self.allocate_pattern(0, self.unseen)
    }

    /// Draws the classes of the unseen again, keeping those of the people seen.
    fn reallocate_unseen(&mut self) -> Result<(), LcmcrError> {
        self.take_logarithms();
        self.class_size.copy_from_slice(&self.seen_class_size);
        self.allocate_pattern(0, self.unseen)
    }

    /// The probability that a member of class `k` is on no list.
    fn missed_by_all(&self, k: usize) -> f64 {
        (0..self.lists)
            .map(|j| 1.0 - self.lambda[k * self.lists + j])
            .product()
    }

    /// Fills `missed` from the capture probabilities and returns p0, the probability of being
    /// on no list. The moves below keep `missed` up to date as they change the probabilities.
    fn refresh_missed(&mut self) -> f64 {
        for k in 0..self.classes {
            self.missed[k] = self.missed_by_all(k);
        }
        self.p0_from_missed()
    }

    fn p0_from_missed(&self) -> f64 {
        (0..self.classes).map(|k| self.weights[k] * self.missed[k]).sum()
    }

    /// One random-walk Metropolis move per capture probability, on the logit scale, targeting
    /// p(lambda | classes of the people seen, weights) ∝ ∏ Bernoulli terms of the people seen
    /// × (1 − p0)^−n. The caller then draws the unseen anew from their conditional.
    fn move_lambda_unseen_summed_out(&mut self) {
        let seen = self.observed as f64;
        let (lists, classes) = (self.lists, self.classes);
        let mut p0 = self.refresh_missed();
        for k in 0..classes {
            for j in 0..lists {
                let index = k * lists + j;
                let old = self.lambda[index];
                let step = self.log_step[index].exp();
                let noise: f64 = self.rng.sample(StandardNormal);
                let new = shifted(old, step * noise);
                self.lambda[index] = new;
                let missed_after = self.missed_by_all(k);
                let new_p0 = p0 + self.weights[k] * (missed_after - self.missed[k]);
                let ones = self.class_ones[index] as f64;
                let zeros = self.seen_class_size[k] as f64 - ones;
                // Beta(1, 1) prior; the logit transform adds lambda(1 − lambda), hence the + 1s.
                let log_ratio = (ones + 1.0) * (new / old).ln()
                    + (zeros + 1.0) * ((1.0 - new) / (1.0 - old)).ln()
                    - seen * (log_not_missed(new_p0) - log_not_missed(p0));
                let u: f64 = self.rng.random();
                if log_ratio.is_finite() && u.ln() < log_ratio {
                    p0 = new_p0;
                    self.missed[k] = missed_after;
                    if self.sweeps < self.adapt_for {
                        self.accepted[index] += 1;
                    }
                } else {
                    self.lambda[index] = old;
                }
            }
        }
    }

    /// One move per class that shifts all its capture probabilities together on the logit
    /// scale: the direction in which a class can be caught less often and be larger, which
    /// one probability at a time crosses slowly.
    fn shift_classes_unseen_summed_out(&mut self) {
        let seen = self.observed as f64;
        let (lists, classes) = (self.lists, self.classes);
        let first_step = classes * lists + classes;
        let mut p0 = self.p0_from_missed();
        for k in 0..classes {
            let class = k * lists..(k + 1) * lists;
            self.lambda_backup.copy_from_slice(&self.lambda[class.clone()]);
            let step = self.log_step[first_step + k].exp();
            let noise: f64 = self.rng.sample(StandardNormal);
            let shift = step * noise;
            let mut log_ratio = 0.0;
            for index in class.clone() {
                let before = self.lambda[index];
                let after = shifted(before, shift);
                self.lambda[index] = after;
                let ones = self.class_ones[index] as f64;
                let zeros = self.seen_class_size[k] as f64 - ones;
                log_ratio += (ones + 1.0) * (after / before).ln()
                    + (zeros + 1.0) * ((1.0 - after) / (1.0 - before)).ln();
            }
            let missed_after = self.missed_by_all(k);
            let new_p0 = p0 + self.weights[k] * (missed_after - self.missed[k]);
            log_ratio -= seen * (log_not_missed(new_p0) - log_not_missed(p0));
            let u: f64 = self.rng.random();
            if log_ratio.is_finite() && u.ln() < log_ratio {
                p0 = new_p0;
                self.missed[k] = missed_after;
                if self.sweeps < self.adapt_for {
                    self.accepted[first_step + k] += 1;
                }
            } else {
                self.lambda[class].copy_from_slice(&self.lambda_backup);
            }
        }
    }

    /// log p(sticks | classes of the people seen, lambda, alpha) with the unseen summed out, on
    /// the logit scale of the sticks: ∏ pi_k^(seen in k) × ∏ Beta(V_k; 1, alpha) × (1 − p0)^−n
    /// × the Jacobian ∏ V_k (1 − V_k).
    fn sticks_log_target(&self) -> f64 {
        let mut value = 0.0;
        let mut p0 = 0.0;
        for k in 0..self.classes {
            value += self.seen_class_size[k] as f64 * self.log_weights[k];
            p0 += self.weights[k] * self.missed[k];
            if k + 1 < self.classes {
                let x = self.stick_logits[k];
                value += self.alpha * log_sigmoid(-x) + log_sigmoid(x);
            }
        }
        value - self.observed as f64 * log_not_missed(p0)
    }

    /// One random-walk Metropolis move per stick-breaking fraction, on the logit scale, with
    /// the unseen summed out as for the capture probabilities.
    fn move_weights_unseen_summed_out(&mut self) {
        let mut current = self.sticks_log_target();
        let first_step = self.classes * self.lists;
        for k in 0..self.classes.saturating_sub(1) {
            let old = self.stick_logits[k];
            let step = self.log_step[first_step + k].exp();
            let noise: f64 = self.rng.sample(StandardNormal);
            self.stick_logits[k] = old + step * noise;
            self.weights_from_sticks();
            let proposed = self.sticks_log_target();
            let u: f64 = self.rng.random();
            if proposed.is_finite() && u.ln() < proposed - current {
                current = proposed;
                if self.sweeps < self.adapt_for {
                    self.accepted[first_step + k] += 1;
                }
            } else {
                self.stick_logits[k] = old;
                self.weights_from_sticks();
            }
        }
    }

    fn weights_from_sticks(&mut self) {
        // log pi_k = log V_k + sum over l < k of log(1 − V_l); the last class takes the rest.
        let mut log_rest = 0.0;
        for k in 0..self.classes {
            let log_weight = if k + 1 == self.classes {
                log_rest
            } else {
                let x = self.stick_logits[k];
                let log_weight = log_sigmoid(x) + log_rest;
                log_rest += log_sigmoid(-x);
                log_weight
            };
            self.log_weights[k] = log_weight;
            self.weights[k] = log_weight.exp();
        }
    }

    fn adapt_steps(&mut self) {
        let done = self.sweeps + 1;
        if done > self.adapt_for || !done.is_multiple_of(ADAPTATION_BATCH as usize) {
            return;
        }
        let batch = done / ADAPTATION_BATCH as usize;
        let change = (1.0 / (batch as f64).sqrt()).min(0.5);
        for (log_step, accepted) in self.log_step.iter_mut().zip(self.accepted.iter_mut()) {
            let rate = f64::from(*accepted) / f64::from(ADAPTATION_BATCH);
            *log_step += if rate > TARGET_ACCEPTANCE { change } else { -change };
            *accepted = 0;
        }
    }

    fn take_logarithms(&mut self) {
        for ((on, off), lambda) in self.log_on.iter_mut().zip(&mut self.log_off).zip(&self.lambda) {
            *on = lambda.ln();
            *off = (1.0 - lambda).ln();
        }
    }

    /// Draws the classes of the `count` people with capture pattern `mask`; needs
    /// [`Self::take_logarithms`] since the last change of the capture probabilities.
    fn allocate_pattern(&mut self, mask: u32, count: u64) -> Result<(), LcmcrError> {
        if count == 0 {
            return Ok(());
        }
        let (lists, classes) = (self.lists, self.classes);
        for k in 0..classes {
            let mut log_p = self.log_weights[k];
            for j in 0..lists {
                log_p += if mask & (1 << j) != 0 {
                    self.log_on[k * lists + j]
                } else {
                    self.log_off[k * lists + j]
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

    /// Stick-breaking weights given the class sizes: V_k ~ Beta(1 + n_k, alpha + sum of n_l
    /// over l > k), drawn as the logit G1 / G2 of two Gamma draws, in logarithms.
    fn update_weights(&mut self) -> Result<(), LcmcrError> {
        let mut later: u64 = self.class_size.iter().sum();
        for k in 0..self.classes.saturating_sub(1) {
            later -= self.class_size[k].min(later);
            let on = log_gamma_draw(1.0 + self.class_size[k] as f64, &mut self.rng)?;
            let off = log_gamma_draw(self.alpha + later as f64, &mut self.rng)?;
            self.stick_logits[k] = on - off;
        }
        self.weights_from_sticks();
        Ok(())
    }

    fn update_weights_from_prior(&mut self) -> Result<(), LcmcrError> {
        self.class_size.fill(0);
        self.update_weights()
    }

    /// alpha | V ~ Gamma(a + K - 1, b - sum log(1 - V_k)), and sum log(1 - V_k) = log(pi_K).
    fn update_alpha(&mut self) -> Result<(), LcmcrError> {
        let (a, b) = self.alpha_prior;
        let log_last = self.log_weights.last().copied().unwrap_or(0.0);
        let rate = b - log_last;
        let shape = a + (self.classes as f64) - 1.0;
        let draw = Gamma::new(shape, 1.0 / rate)
            .map_err(|e| LcmcrError::Numerical(e.to_string()))?
            .sample(&mut self.rng);
        // Alpha = 0 would make the stick-breaking Beta(1, alpha) improper; the smallest positive
        // float keeps it proper without cutting off any of alpha's posterior that a float holds.
        self.alpha = draw.max(f64::MIN_POSITIVE);
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

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::{Chain, log_not_missed};
    use crate::lcmcr::LcmcrOptions;

    /// The stick-breaking move alone, with two classes, targets a density of one variable that
    /// can be integrated on a grid: p(V) ∝ V^m1 (1 − V)^(m2 + alpha − 1) (1 − p0(V))^−n, with
    /// p0(V) = V q1 + (1 − V) q2 and q_k the chance of a class-k member being on no list.
    #[test]
    fn the_weight_move_samples_its_target_exactly() {
        let patterns: Vec<(u32, u64)> = vec![(0b01, 2), (0b10, 1), (0b11, 3)];
        let options = LcmcrOptions {
            classes: 2,
            burn_in: 0,
            ..LcmcrOptions::default()
        };
        let mut chain = Chain::new(&patterns, 6, 2, &options, ChaCha8Rng::seed_from_u64(3)).unwrap();
        chain.lambda.copy_from_slice(&[0.3, 0.4, 0.8, 0.7]);
        chain.seen_class_size.copy_from_slice(&[2, 4]);
        chain.alpha = 0.7;
        chain.refresh_missed();
        let (q1, q2) = (0.7 * 0.6, 0.2 * 0.3);
        let log_density = |v: f64| {
            2.0 * v.ln() + (4.0 + 0.7 - 1.0) * (1.0 - v).ln() - 6.0 * log_not_missed(v * q1 + (1.0 - v) * q2)
        };
        let grid = 100_000;
        let (mut weight, mut first_moment) = (0.0, 0.0);
        for i in 0..grid {
            let v = (i as f64 + 0.5) / grid as f64;
            let density = log_density(v).exp();
            weight += density;
            first_moment += v * density;
        }
        let exact = first_moment / weight;

        let draws = 200_000;
        let mut sum = 0.0;
        for _ in 0..draws {
            chain.move_weights_unseen_summed_out();
            sum += 1.0 / (1.0 + (-chain.stick_logits[0]).exp());
        }
        let sampled = sum / draws as f64;
        assert!(
            (sampled - exact).abs() < 0.004,
            "exact mean {exact}, sampled {sampled}"
        );
    }

    /// With nobody on any list, the sticks and alpha drawn in turn from their conditionals must
    /// leave alpha's prior, Gamma(0.25, rate 0.25), unchanged: about 37% of its mass lies
    /// below 0.05, where the last class's weight is far below any floating-point floor (a floor
    /// on the weights cut that mass off and pushed alpha, and with it the total, upwards).
    #[test]
    fn with_no_data_alpha_keeps_its_prior() {
        use statrs::distribution::{ContinuousCDF, Gamma};
        let patterns: Vec<(u32, u64)> = vec![(0b1, 1)];
        let options = LcmcrOptions {
            classes: 10,
            burn_in: 0,
            ..LcmcrOptions::default()
        };
        let (a, b) = options.alpha_prior;
        let prior = Gamma::new(a, b).unwrap();
        for collapsed_moves in [false, true] {
            let mut chain = Chain::new(&patterns, 1, 1, &options, ChaCha8Rng::seed_from_u64(5)).unwrap();
            chain.seen_class_size.fill(0);
            chain.missed.fill(0.0);
            chain.observed = 0;
            let draws = 200_000;
            let thresholds = [0.01, 0.05, 0.5, 2.0];
            let mut below = [0usize; 4];
            for _ in 0..draws {
                chain.update_weights_from_prior().unwrap();
                if collapsed_moves {
                    chain.move_weights_unseen_summed_out();
                }
                chain.update_alpha().unwrap();
                for (count, threshold) in below.iter_mut().zip(thresholds) {
                    *count += usize::from(chain.alpha < threshold);
                }
            }
            for (count, threshold) in below.iter().zip(thresholds) {
                let sampled = *count as f64 / draws as f64;
                let exact = prior.cdf(threshold);
                assert!(
                    (sampled - exact).abs() < 0.02,
                    "P(alpha < {threshold}): exact {exact:.3}, sampled {sampled:.3} (moves: {collapsed_moves})"
                );
            }
        }
    }

    /// The capture-probability moves (one at a time, then the class shift) with one class and
    /// two lists target p(l1, l2) ∝ ∏ l_j^a_j (1 − l_j)^(n − a_j) × (1 − (1 − l1)(1 − l2))^−n,
    /// integrated here on a grid. Few people, so that the prior and the Jacobian matter.
    #[test]
    fn the_capture_probability_moves_sample_their_target_exactly() {
        let patterns: Vec<(u32, u64)> = vec![(0b01, 2), (0b10, 1), (0b11, 1)];
        let options = LcmcrOptions {
            classes: 1,
            burn_in: 0,
            ..LcmcrOptions::default()
        };
        let mut chain = Chain::new(&patterns, 4, 2, &options, ChaCha8Rng::seed_from_u64(8)).unwrap();
        chain.seen_class_size.copy_from_slice(&[4]);
        chain.class_ones.copy_from_slice(&[3, 2]);
        let log_density = |l1: f64, l2: f64| {
            3.0 * l1.ln() + (1.0 - l1).ln() + 2.0 * l2.ln() + 2.0 * (1.0 - l2).ln()
                - 4.0 * log_not_missed((1.0 - l1) * (1.0 - l2))
        };
        let grid = 1_000;
        let (mut weight, mut first_moment) = (0.0, [0.0, 0.0]);
        for i in 0..grid {
            let l1 = (i as f64 + 0.5) / grid as f64;
            for k in 0..grid {
                let l2 = (k as f64 + 0.5) / grid as f64;
                let density = log_density(l1, l2).exp();
                weight += density;
                first_moment[0] += l1 * density;
                first_moment[1] += l2 * density;
            }
        }
        let exact = first_moment.map(|moment| moment / weight);

        let draws = 200_000;
        let mut sum = [0.0, 0.0];
        for _ in 0..draws {
            chain.move_lambda_unseen_summed_out();
            chain.shift_classes_unseen_summed_out();
            sum[0] += chain.lambda[0];
            sum[1] += chain.lambda[1];
        }
        let sampled = sum.map(|total| total / draws as f64);
        for j in 0..2 {
            assert!(
                (sampled[j] - exact[j]).abs() < 0.004,
                "list {j}: exact mean {}, sampled {}",
                exact[j],
                sampled[j]
            );
        }
    }
}
