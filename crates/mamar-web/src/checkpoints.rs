//! The server's own audit checkpoints (see
//! `mamar_usecases::audit_checkpoints`): the key is certified when a holder
//! of the organisation's signing key finishes logging in, and a task made
//! by [`spawn_audit_checkpoints`] signs a checkpoint when one is due by the
//! server's clock.

use std::time::Duration;

use mamar_core::StaffId;
use mamar_crypto::{Keyring, OrgKeyKind};

use crate::state::AppState;

/// Certifies the server's checkpoint key with the signing key in `keyring`,
/// if it holds one and the server has no key certified by it. A failure is
/// logged and never stops the login.
pub(crate) async fn certify_at_login(state: &AppState, staff: StaffId, keyring: &Keyring) {
    let Some(org) = keyring.org_key(OrgKeyKind::Signing).and_then(|key| key.signing()) else {
        return;
    };
    match state.checkpoints.certify(org, staff, state.clock.now()).await {
        Ok(true) => tracing::info!("audit checkpoints: the server's checkpoint key was certified"),
        Ok(false) => {}
        Err(error) => tracing::error!(%error, "audit checkpoints: the checkpoint key could not be certified"),
    }
}

/// Looks every `tick` whether a checkpoint is due (by the state's clock and
/// checkpoint schedule) and makes it. Runs until aborted.
pub fn spawn_audit_checkpoints(state: &AppState, tick: Duration) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut waiting_logged = false;
        loop {
            interval.tick().await;
            if !state.checkpoints.is_certified() {
                if !waiting_logged {
                    tracing::warn!(
                        "audit checkpoints wait until an administrator who holds the signing key logs in"
                    );
                    waiting_logged = true;
                }
                continue;
            }
            waiting_logged = false;
            match state
                .checkpoints
                .run_due(state.clock.now(), state.checkpoint_schedule)
                .await
            {
                Ok(Some(signed)) => tracing::info!(entry = signed.checkpoint.seq, "audit checkpoint signed"),
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "audit checkpoint failed"),
            }
        }
    })
}
