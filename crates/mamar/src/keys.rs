//! Key ceremonies run by the command line: creating the organisation's keys
//! and its first administrator. The cryptography is `mamar-crypto`'s; this
//! module decides parameters (calibrated on this machine) and turns keys into
//! the store's records.

use std::time::{Duration, Instant};

use anyhow::Context;
use mamar_core::{Organisation, Role, StaffId, Username};
use mamar_crypto::{KdfParams, OrgKey, Password, StaffKeyPair};
use mamar_store::{InitialSetup, NewOrgKey, NewStaff};

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

pub struct Bootstrap {
    pub setup: InitialSetup,
    pub signing_fingerprint: String,
}

/// Generates every organisation key and the first administrator's key
/// pairs, wraps the administrator's private keys under their password and
/// every organisation key to the administrator.
pub fn bootstrap(
    organisation: Organisation,
    username: Username,
    password: &Password,
    profile: KdfProfile,
) -> anyhow::Result<Bootstrap> {
    let staff = StaffKeyPair::generate().context("cannot create the administrator's keys")?;
    let params = profile.params();
    let wrapped_secret_keys = staff
        .wrap_with_password(password, &params)
        .context("cannot protect the administrator's keys")?;
    let public = staff.public_keys();

    let org_keys = OrgKey::generate_all(1).context("cannot create the organisation keys")?;
    let mut records = Vec::with_capacity(org_keys.len());
    let mut signing_fingerprint = String::new();
    for key in &org_keys {
        let public_part = key.public_key();
        if let Some(verifying) = public_part.as_ref().and_then(|p| p.signing()) {
            signing_fingerprint = verifying.fingerprint().to_string();
        }
        records.push(NewOrgKey {
            kind: key.kind().code().to_owned(),
            generation: i64::from(key.generation()),
            public_part: public_part.map(|p| p.to_bytes()),
            wrapped_for_holder: key.wrap_to(&public).context("cannot wrap an organisation key")?,
        });
    }
    let admin = NewStaff {
        id: StaffId::random(),
        username,
        roles: vec![Role::Administrator],
        public_keys: public.to_bytes(),
        wrapped_secret_keys,
    };
    Ok(Bootstrap {
        setup: InitialSetup {
            organisation,
            admin,
            org_keys: records,
        },
        signing_fingerprint,
    })
}
