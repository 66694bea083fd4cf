//! Argon2id: from a password (or a codename) to a 256-bit key.
//!
//! The parameters are stored with every blob they protect, so raising them
//! later leaves old blobs readable: a blob is re-wrapped under the new
//! parameters at its owner's next password change (or login, if the caller
//! chooses to).
//!
//! This module reads no clock. [`calibrate`] takes a closure that times one
//! derivation; the caller (the binary) owns the clock.

use std::time::Duration;

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::encoding::Reader;
use crate::error::{CryptoError, ParseProblem};
use crate::secret::SecretKey;

/// Minimum salt length accepted, in bytes.
pub const MIN_SALT_LEN: usize = 16;

/// Argon2 version 1.3 (0x13), the only one RFC 9106 specifies.
pub const ARGON2_VERSION_13: u8 = 0x13;

/// Largest memory cost accepted from a stored blob: 2 GiB. A forged or
/// damaged blob must not make the server allocate without bound.
pub const MAX_M_COST_KIB: u32 = 2 * 1024 * 1024;

/// Largest number of passes accepted from a stored blob.
pub const MAX_T_COST: u32 = 64;

/// Largest degree of parallelism accepted from a stored blob.
pub const MAX_P_COST: u32 = 64;

/// Argon2id cost parameters, stored (versioned) with every password-wrapped
/// blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_cost: u32,
    /// Number of passes over the memory.
    pub t_cost: u32,
    /// Degree of parallelism (lanes).
    pub p_cost: u32,
    /// Argon2 version; only [`ARGON2_VERSION_13`] is accepted.
    pub version: u8,
}

impl KdfParams {
    /// Encoded length in bytes.
    pub const ENCODED_LEN: usize = 13;

    /// The production default: RFC 9106's second recommended option
    /// (§4, "if much less memory is available"): Argon2id, 64 MiB, 3 passes,
    /// 4 lanes. It is also stronger than OWASP's minimum (19 MiB, 2 passes).
    /// [`calibrate`] never returns anything weaker.
    pub const fn production() -> Self {
        KdfParams {
            m_cost: 64 * 1024,
            t_cost: 3,
            p_cost: 4,
            version: ARGON2_VERSION_13,
        }
    }

    /// **For tests only.** 8 KiB, one pass, one lane: derivation takes
    /// microseconds and gives no protection against guessing. Never use it
    /// for a real password; the binary must not offer it outside tests.
    pub const fn test_profile() -> Self {
        KdfParams {
            m_cost: 8,
            t_cost: 1,
            p_cost: 1,
            version: ARGON2_VERSION_13,
        }
    }

    /// Checks the parameters are within what this crate accepts.
    pub fn validate(&self) -> Result<(), CryptoError> {
        if self.version != ARGON2_VERSION_13 {
            return Err(CryptoError::KdfParams(format!(
                "Argon2 version {:#x} (only 0x13 is supported)",
                self.version
            )));
        }
        if self.p_cost == 0 || self.p_cost > MAX_P_COST {
            return Err(CryptoError::KdfParams(format!(
                "parallelism {} (must be 1 to {MAX_P_COST})",
                self.p_cost
            )));
        }
        if self.t_cost == 0 || self.t_cost > MAX_T_COST {
            return Err(CryptoError::KdfParams(format!(
                "{} passes (must be 1 to {MAX_T_COST})",
                self.t_cost
            )));
        }
        let minimum_memory = self.p_cost.saturating_mul(8);
        if self.m_cost < minimum_memory || self.m_cost > MAX_M_COST_KIB {
            return Err(CryptoError::KdfParams(format!(
                "memory {} KiB (must be {minimum_memory} to {MAX_M_COST_KIB} KiB)",
                self.m_cost
            )));
        }
        Ok(())
    }

    fn argon2(&self) -> Result<Argon2<'static>, CryptoError> {
        self.validate()?;
        let params = Params::new(self.m_cost, self.t_cost, self.p_cost, Some(SecretKey::LEN))
            .map_err(|e| CryptoError::KdfParams(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Runs one derivation on a fixed dummy input. The binary times this to
    /// calibrate (see [`calibrate`]) and to report the cost at startup.
    pub fn run_probe(&self) -> Result<(), CryptoError> {
        derive_key(b"mamar calibration probe", &[0u8; MIN_SALT_LEN], self).map(drop)
    }

    pub(crate) fn encode(&self, out: &mut crate::encoding::Writer) {
        out.u32(self.m_cost)
            .u32(self.t_cost)
            .u32(self.p_cost)
            .u8(self.version);
    }

    pub(crate) fn decode(reader: &mut Reader<'_>) -> Result<Self, crate::error::ParseError> {
        let params = KdfParams {
            m_cost: reader.u32()?,
            t_cost: reader.u32()?,
            p_cost: reader.u32()?,
            version: reader.u8()?,
        };
        params
            .validate()
            .map_err(|_| reader.error(ParseProblem::InvalidValue("Argon2id parameters")))?;
        Ok(params)
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams::production()
    }
}

/// Argon2id over `secret` and `salt` with `params`, giving a 256-bit key.
/// The salt must be at least [`MIN_SALT_LEN`] bytes.
pub fn derive_key(secret: &[u8], salt: &[u8], params: &KdfParams) -> Result<SecretKey, CryptoError> {
    if salt.len() < MIN_SALT_LEN {
        return Err(CryptoError::SaltTooShort {
            minimum: MIN_SALT_LEN,
            found: salt.len(),
        });
    }
    let mut output = Zeroizing::new([0u8; SecretKey::LEN]);
    params
        .argon2()?
        .hash_password_into(secret, salt, output.as_mut())
        .map_err(|e| CryptoError::KdfParams(e.to_string()))?;
    Ok(SecretKey::from_bytes(*output))
}

/// Most rounds of timing [`calibrate`] runs.
const MAX_CALIBRATION_ROUNDS: usize = 8;

/// Picks Argon2id parameters that take at least `target` on this machine.
///
/// `memory_kib` is the memory one derivation may use (raised to the
/// production default if lower); calibration then raises the number of
/// passes until `time_one` reports at least `target`. `time_one` runs one
/// derivation with the parameters it is given and returns how long it took,
/// for example `|p| { let start = Instant::now(); p.run_probe()?; start.elapsed() }`
/// (return [`Duration::MAX`] if the run failed).
///
/// The result is never weaker than [`KdfParams::production`], and never
/// exceeds [`MAX_T_COST`] passes or [`MAX_M_COST_KIB`].
pub fn calibrate(
    target: Duration,
    memory_kib: u32,
    mut time_one: impl FnMut(&KdfParams) -> Duration,
) -> KdfParams {
    let floor = KdfParams::production();
    let mut params = KdfParams {
        m_cost: memory_kib.clamp(floor.m_cost, MAX_M_COST_KIB),
        ..floor
    };
    let mut elapsed = time_one(&params);
    for _ in 0..MAX_CALIBRATION_ROUNDS {
        if elapsed >= target || params.t_cost >= MAX_T_COST {
            break;
        }
        let per_pass = elapsed.as_nanos() / u128::from(params.t_cost.max(1));
        let wanted = match target.as_nanos().checked_div(per_pass) {
            // Round up, so that the next measurement lands at or above target.
            Some(passes) => passes.saturating_add(1),
            None => u128::from(params.t_cost).saturating_mul(2),
        };
        let wanted = u32::try_from(wanted).unwrap_or(MAX_T_COST);
        params.t_cost = wanted.clamp(params.t_cost.saturating_add(1), MAX_T_COST);
        elapsed = time_one(&params);
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_default_meets_rfc_9106_second_recommendation() {
        let p = KdfParams::production();
        assert!(p.m_cost >= 64 * 1024 && p.t_cost >= 3);
        p.validate().unwrap();
        KdfParams::test_profile().validate().unwrap();
    }

    #[test]
    fn validation_rejects_out_of_range_parameters() {
        let ok = KdfParams::test_profile();
        for bad in [
            KdfParams { version: 0x10, ..ok },
            KdfParams { p_cost: 0, ..ok },
            KdfParams { t_cost: 0, ..ok },
            KdfParams {
                t_cost: MAX_T_COST + 1,
                ..ok
            },
            KdfParams { m_cost: 7, ..ok },
            KdfParams {
                m_cost: MAX_M_COST_KIB + 1,
                ..ok
            },
            KdfParams {
                p_cost: 2,
                m_cost: 8,
                ..ok
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
            assert!(derive_key(b"pw", &[0; 16], &bad).is_err());
        }
    }

    #[test]
    fn short_salts_are_refused() {
        let err = derive_key(b"pw", &[0; 15], &KdfParams::test_profile()).unwrap_err();
        assert_eq!(
            err,
            CryptoError::SaltTooShort {
                minimum: 16,
                found: 15
            }
        );
    }

    #[test]
    fn derivation_depends_on_password_salt_and_parameters() {
        let params = KdfParams::test_profile();
        let base = derive_key(b"pw", &[1; 16], &params).unwrap();
        assert_eq!(base, derive_key(b"pw", &[1; 16], &params).unwrap());
        assert_ne!(base, derive_key(b"pW", &[1; 16], &params).unwrap());
        assert_ne!(base, derive_key(b"pw", &[2; 16], &params).unwrap());
        let slower = KdfParams { t_cost: 2, ..params };
        assert_ne!(base, derive_key(b"pw", &[1; 16], &slower).unwrap());
    }

    #[test]
    fn calibration_raises_passes_until_the_target_is_met() {
        // A simulated machine where each pass over 64 MiB takes 40 ms.
        let mut runs = Vec::new();
        let params = calibrate(Duration::from_millis(500), 0, |p| {
            runs.push(*p);
            Duration::from_millis(40 * u64::from(p.t_cost))
        });
        assert_eq!(params.m_cost, 64 * 1024, "memory is raised to the floor");
        assert_eq!(params.t_cost, 13, "13 passes x 40 ms >= 500 ms");
        assert!(runs.len() <= 3, "{runs:?}");
    }

    #[test]
    fn calibration_never_goes_below_the_production_default() {
        let params = calibrate(Duration::from_millis(1), 1, |_| Duration::from_secs(1));
        assert_eq!(params, KdfParams::production());
    }

    #[test]
    fn calibration_stops_at_the_pass_limit_on_a_very_fast_clock() {
        let params = calibrate(Duration::from_secs(10), 128 * 1024, |_| Duration::ZERO);
        assert_eq!(params.t_cost, MAX_T_COST);
        assert_eq!(params.m_cost, 128 * 1024);
    }
}
