//! The inbox: only someone whose session holds the intake key reads the
//! requests that wait, each reading recorded before the content leaves; a
//! reply is signed, sealed to the requester and recorded.

use mamar_audit::Action;
use mamar_core::Role;
use mamar_usecases::Caller;
use mamar_usecases::intake::{self, InboxError, Intake};

use crate::walk::ANSWERS;
use crate::world::{NOW, World, add_person_with};

pub async fn only_holders_of_the_intake_key_read_and_answer_the_inbox(w: &World) {
    let s = w.store.as_ref();
    let (id, _) = w
        .request("one two three four five six seven", ANSWERS, "أحتاج مساعدة")
        .await;
    let service = Intake::new(w.store.clone());
    let before = s.audit_head().await.unwrap().map_or(0, |entry| entry.seq);
    for person in [&w.coordinator, &w.vetter, &w.analyst] {
        assert!(matches!(
            intake::inbox_page(s, &person.caller(), 0, 10, NOW).await,
            Err(InboxError::NotAllowed)
        ));
        assert!(matches!(
            intake::inbox_request(s, &person.caller(), &id, NOW).await,
            Err(InboxError::NotAllowed)
        ));
        assert!(matches!(
            intake::reply_to_request(s, service.writer(), &person.caller(), &id, "x", NOW).await,
            Err(InboxError::NotAllowed)
        ));
    }
    // An administrator whose organisation keys have not been given yet waits for them.
    let newcomer = add_person_with(s, &w.admin, "newadmin", &[]).await;
    let mut record = newcomer.record.clone();
    record.roles = vec![Role::Administrator];
    let waiting = Caller {
        staff: &record,
        keyring: &newcomer.keyring,
    };
    assert!(matches!(
        intake::inbox_page(s, &waiting, 0, 10, NOW).await,
        Err(InboxError::NoIntakeKey)
    ));
    assert_eq!(
        s.audit_head().await.unwrap().map_or(0, |entry| entry.seq),
        before,
        "a refused reading or reply records nothing"
    );

    let page = intake::inbox_page(s, &w.intake.caller(), 0, 10, NOW)
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.requests.len(), 1);
    assert_eq!(page.requests[0].request.id, id);
    assert_eq!(page.requests[0].messages.len(), 1);
    let head = s.audit_head().await.unwrap().unwrap();
    assert_eq!(
        (head.action, head.object, head.actor),
        (Action::CaseRead, Some(id), Some(w.intake.record.id))
    );
    assert!(matches!(
        intake::inbox_request(s, &w.intake.caller(), &[0; 16], NOW).await,
        Err(InboxError::NotFound)
    ));
    let one = intake::inbox_request(s, &w.admin.caller(), &id, NOW)
        .await
        .unwrap();
    assert_eq!(one.request.id, id);

    intake::reply_to_request(s, service.writer(), &w.intake.caller(), &id, "نحن معك", NOW)
        .await
        .unwrap();
    let messages = s.intake_messages(&id).await.unwrap();
    assert_eq!(messages.len(), 2);
    assert!(
        messages
            .iter()
            .any(|m| !m.from_requester && m.staff_copy.is_some())
    );
    assert_eq!(s.audit_head().await.unwrap().unwrap().action, Action::ReplySent);
    assert!(matches!(
        intake::reply_to_request(s, service.writer(), &w.intake.caller(), &[0; 16], "x", NOW).await,
        Err(InboxError::NotFound)
    ));
}
