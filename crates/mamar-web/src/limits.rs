//! A rate limit on failed codename look-ups that keeps no trace of who
//! asked: one shared bucket for everyone. Failed look-ups spend tokens; when
//! the bucket is empty, every look-up that finds nothing is answered "wait"
//! (429) until the next refill. A look-up that finds its request never
//! consults the bucket, so nobody can spend it to lock out the holder of a
//! codename. Codenames carry more than 90 bits, so this only tells guessers
//! to slow down; it protects neither the codenames (they need no help) nor
//! the processors (a look-up costs about what serving a page does).

use std::sync::Mutex;
use std::time::Instant;

pub struct FailureBudget {
    state: Mutex<(f64, Instant)>,
    capacity: f64,
    per_second: f64,
}

impl FailureBudget {
    pub fn new(capacity: u32, per_second: u32) -> Self {
        FailureBudget {
            state: Mutex::new((f64::from(capacity), Instant::now())),
            capacity: f64::from(capacity),
            per_second: f64::from(per_second),
        }
    }

    fn refill(&self, state: &mut (f64, Instant)) {
        let now = Instant::now();
        let earned = now.duration_since(state.1).as_secs_f64() * self.per_second;
        state.0 = (state.0 + earned).min(self.capacity);
        state.1 = now;
    }

    /// Whether a look-up may run now.
    pub fn allows(&self) -> bool {
        match self.state.lock() {
            Ok(mut state) => {
                self.refill(&mut state);
                state.0 >= 1.0
            }
            Err(_) => false,
        }
    }

    /// Spends one token for a look-up that found nothing.
    pub fn record_failure(&self) {
        if let Ok(mut state) = self.state.lock() {
            self.refill(&mut state);
            state.0 = (state.0 - 1.0).max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FailureBudget;

    #[test]
    fn failures_exhaust_the_budget_and_successes_do_not() {
        let budget = FailureBudget::new(3, 0);
        for _ in 0..3 {
            assert!(budget.allows());
            budget.record_failure();
        }
        assert!(!budget.allows());
        let generous = FailureBudget::new(1, 0);
        for _ in 0..10 {
            assert!(generous.allows(), "look-ups that succeed cost nothing");
        }
    }
}
