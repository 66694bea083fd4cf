//! The audit log: only administrators and auditors read it (and their
//! reading is itself recorded), verified whole; the newest signed
//! checkpoint is theirs to take away, and taking it is noted.

use mamar_audit::Action;
use mamar_core::Role;
use mamar_crypto::OrgKeyKind;
use mamar_usecases::audit_checkpoints::{CheckpointSchedule, Checkpointer, CopyStatus};
use mamar_usecases::audit_view::{self, AuditViewError};

use crate::world::{NOW, World, add_person};

pub async fn only_administrators_and_auditors_read_the_verified_log_and_take_a_checkpoint(w: &World) {
    let s = w.store.as_ref();
    let schedule = CheckpointSchedule::default();
    let before = s.audit_head().await.unwrap().map_or(0, |entry| entry.seq);
    for person in [&w.intake, &w.vetter, &w.coordinator, &w.analyst, &w.receiver] {
        assert!(matches!(
            audit_view::audit_view(s, &person.caller(), NOW, schedule).await,
            Err(AuditViewError::NotAllowed)
        ));
        assert!(matches!(
            audit_view::copy_newest_checkpoint(s, &person.caller(), NOW).await,
            Err(AuditViewError::NotAllowed)
        ));
    }
    assert_eq!(
        s.audit_head().await.unwrap().map_or(0, |entry| entry.seq),
        before,
        "a refused reading leaves no entry"
    );

    let auditor = add_person(s, &w.admin, "auditor", Role::Auditor).await;
    let view = audit_view::audit_view(s, &auditor.caller(), NOW, schedule)
        .await
        .unwrap();
    let verified = view.verdict.unwrap();
    let newest = view.entries.last().unwrap();
    assert_eq!(verified.entries, newest.seq, "every entry verified");
    assert_eq!(newest.action, Action::AuditRead, "the reading is recorded first");
    assert_eq!(newest.actor, Some(auditor.record.id));
    assert_eq!(view.names[&auditor.record.id], "auditor");
    assert!(view.newest.is_none());
    assert_eq!(view.copy_status, CopyStatus::NotYetDue);
    assert!(
        audit_view::copy_newest_checkpoint(s, &auditor.caller(), NOW)
            .await
            .unwrap()
            .is_none(),
        "nothing signed yet"
    );

    // The server signs a checkpoint once an administrator's login certifies its key.
    let checkpointer = Checkpointer::new(w.store.clone());
    let org = w.admin.keyring.org_key(OrgKeyKind::Signing).unwrap();
    checkpointer
        .certify(org.signing().unwrap(), w.admin.record.id, NOW)
        .await
        .unwrap();
    let signed = checkpointer.run_due(NOW, schedule).await.unwrap().unwrap();
    let view = audit_view::audit_view(s, &w.admin.caller(), NOW + 1, schedule)
        .await
        .unwrap();
    assert!(view.verdict.is_ok());
    assert_eq!(view.newest.unwrap().checkpoint.seq, signed.checkpoint.seq);
    let taken = audit_view::copy_newest_checkpoint(s, &w.admin.caller(), NOW + 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.checkpoint.seq, signed.checkpoint.seq);
    assert_eq!(
        s.audit_head().await.unwrap().unwrap().action,
        Action::AuditCheckpointCopied
    );
    let view = audit_view::audit_view(s, &auditor.caller(), NOW + 3, schedule)
        .await
        .unwrap();
    assert_eq!(view.copy_status, CopyStatus::Recent { at: NOW + 2 });
}
