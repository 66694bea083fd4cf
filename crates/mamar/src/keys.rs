//! How expensive password hashing is, chosen on the command line and
//! calibrated on this machine. The ceremonies themselves are `mamar-keys`'.

use std::time::{Duration, Instant};

use mamar_crypto::KdfParams;

/// How expensive password hashing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KdfProfile {
    /// Calibrated on this machine: about half a second, never below RFC 9106's recommendation.
    Production,
    /// Cheap and insecure, for automated tests only.
    Test,
}

/// How long unlocking a staff member's keys should take on this machine.
const TARGET_UNLOCK_TIME: Duration = Duration::from_millis(500);
const CALIBRATION_MEMORY_KIB: u32 = 64 * 1024;

impl KdfProfile {
    pub fn params(self) -> KdfParams {
        match self {
            KdfProfile::Production => {
                mamar_crypto::calibrate(TARGET_UNLOCK_TIME, CALIBRATION_MEMORY_KIB, |params| {
                    let started = Instant::now();
                    // A failed probe counts as "slow enough": calibration then keeps the floor.
                    match params.run_probe() {
                        Ok(()) => started.elapsed(),
                        Err(_) => TARGET_UNLOCK_TIME,
                    }
                })
            }
            KdfProfile::Test => KdfParams::test_profile(),
        }
    }
}
