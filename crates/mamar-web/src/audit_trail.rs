//! What the web server writes to the audit log: ids and kinds of action
//! only (see `mamar_store::audit` for the rules). Times come from the
//! server's clock, so tests that move the clock see consistent entries.

use mamar_core::StaffId;
use mamar_store::StoreError;
use mamar_store::audit::{Action, AuditDraft, Outcome};

use crate::state::AppState;

pub(crate) async fn record(
    state: &AppState,
    actor: Option<StaffId>,
    action: Action,
    object: Option<[u8; 16]>,
    outcome: Outcome,
) -> Result<(), StoreError> {
    let draft = AuditDraft::new(state.clock.now(), action, outcome)
        .by(actor)
        .on(object);
    state.store.append_audit(&draft).await.map(|_| ())
}
