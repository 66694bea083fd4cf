//! Whether intake takes new requests right now, on every channel. Three
//! things close it: the panic action destroyed the keys; the disk under the
//! database has less free space than the configured floor, so intake stops
//! before the database reaches the wall; or more new requests arrived in
//! the last minute than the configured ceiling (the web form and the bot
//! together), so a flood cannot fill the disk. None of it records who asked.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use mamar_crypto::OrgKeyKind;

use super::Intake;

/// The free space and the panic state are read again after this long.
const RECHECK: Duration = Duration::from_millis(500);
/// Length of the window the ceiling counts new requests in.
const WINDOW: Duration = Duration::from_secs(60);

/// The limits an operator sets (`intake_min_free_mb`, `intake_per_minute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeLimits {
    /// Below this many free bytes under the database, intake is closed.
    pub min_free_bytes: u64,
    /// New requests accepted per minute; 0 means no ceiling.
    pub per_minute: u32,
}

impl IntakeLimits {
    /// No floor and no ceiling (tests and benchmarks).
    pub const NONE: IntakeLimits = IntakeLimits {
        min_free_bytes: 0,
        per_minute: 0,
    };
}

pub struct Admission {
    limits: IntakeLimits,
    /// (start of the current window, requests counted in it, in the previous window)
    window: Mutex<(Instant, u32, u32)>,
    /// (when read, keys destroyed, free bytes)
    checked: Mutex<Option<(Instant, bool, Option<u64>)>>,
}

impl Admission {
    pub fn new(limits: IntakeLimits) -> Self {
        Admission {
            limits,
            window: Mutex::new((Instant::now(), 0, 0)),
            checked: Mutex::new(None),
        }
    }

    pub fn limits(&self) -> IntakeLimits {
        self.limits
    }

    /// Counts one new request against the ceiling; false when it is reached.
    /// The count slides: the previous minute weighs by how much of it still
    /// falls within the last sixty seconds.
    pub fn admit_new_request(&self) -> bool {
        if self.limits.per_minute == 0 {
            return true;
        }
        let Ok(mut window) = self.window.lock() else {
            return false;
        };
        let now = Instant::now();
        let mut elapsed = now.duration_since(window.0);
        if elapsed >= WINDOW {
            let previous = if elapsed >= 2 * WINDOW { 0 } else { window.1 };
            *window = (now, 0, previous);
            elapsed = Duration::ZERO;
        }
        let overlap = 1.0 - elapsed.as_secs_f64() / WINDOW.as_secs_f64();
        let recent = f64::from(window.1) + f64::from(window.2) * overlap;
        if recent >= f64::from(self.limits.per_minute) {
            return false;
        }
        window.1 += 1;
        true
    }

    /// Reads the state of the keys and the free space again on the next request.
    pub fn forget(&self) {
        if let Ok(mut checked) = self.checked.lock() {
            *checked = None;
        }
    }

    fn cached(&self) -> Option<(bool, Option<u64>)> {
        let checked = (*self.checked.lock().ok()?)?;
        (checked.0.elapsed() < RECHECK).then_some((checked.1, checked.2))
    }
}

impl Intake {
    /// Whether the panic action has destroyed the organisation's keys (the
    /// organisation exists but its intake key does not), and the free space
    /// under the database; both read at most every half second.
    async fn intake_state(&self) -> (bool, Option<u64>) {
        if let Some(found) = self.admission.cached() {
            return found;
        }
        let destroyed = match self.store.organisation().await {
            Ok(Some(_)) => matches!(
                self.store.org_public_key(OrgKeyKind::Intake.code()).await,
                Ok(None)
            ),
            _ => false,
        };
        let free = match self.store.free_space().await {
            Ok(free) => free,
            Err(error) => {
                tracing::warn!(%error, "cannot read the free space under the database");
                None
            }
        };
        if let Ok(mut checked) = self.admission.checked.lock() {
            *checked = Some((Instant::now(), destroyed, free));
        }
        (destroyed, free)
    }

    /// Whether the panic action has destroyed the organisation's keys.
    pub async fn keys_destroyed(&self) -> bool {
        self.intake_state().await.0
    }

    /// Whether the free space under the database is below the floor.
    pub async fn low_on_space(&self) -> bool {
        let floor = self.admission.limits.min_free_bytes;
        floor > 0 && self.intake_state().await.1.is_some_and(|free| free < floor)
    }

    /// Counts one new request against the ceiling shared by every channel.
    pub fn admit_new_request(&self) -> bool {
        self.admission.admit_new_request()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ceiling_counts_new_requests_per_minute() {
        let admission = Admission::new(IntakeLimits {
            min_free_bytes: 0,
            per_minute: 5,
        });
        for _ in 0..5 {
            assert!(admission.admit_new_request());
        }
        assert!(!admission.admit_new_request(), "the sixth in a minute is refused");
        let open = Admission::new(IntakeLimits::NONE);
        for _ in 0..1000 {
            assert!(open.admit_new_request(), "0 means no ceiling");
        }
    }
}
