//! The requester's conversation, as every channel shows it: their own
//! messages (opened from the copies sealed to their codename's key) and the
//! organisation's replies, in order, each with its month and nothing finer;
//! messages from before copies were kept are left out, and that is said;
//! opening a case from the request, and the requester deleting it, take the
//! copies with the rest.

use mamar_core::case::Duty;
use mamar_crypto::RequesterKeys;
use mamar_store::{IntakeMessage, IntakeRequest, IntakeWrite};
use mamar_usecases::cases;
use mamar_usecases::intake::{Said, message_to_case_team, own_copy, read_conversation};

use crate::walk::ANSWERS;
use crate::world::{NOW, World};

const DAY: i64 = 86_400;

/// (month, who, text) of each message the codename's keys open.
async fn read(
    w: &World,
    request: &IntakeRequest,
    keys: &RequesterKeys,
) -> (Vec<(String, String, String)>, bool) {
    let messages = w.store.intake_messages(&request.id).await.unwrap();
    let (entries, earlier_not_shown) = read_conversation(keys, request, &messages, "");
    let entries = entries
        .into_iter()
        .map(|entry| {
            let (who, text) = match entry.said {
                Said::Requester(text) => ("requester", text),
                Said::Organisation(reply) => ("organisation", reply.text),
            };
            (entry.month.unwrap_or_default(), who.to_owned(), text)
        })
        .collect();
    (entries, earlier_not_shown)
}

pub async fn the_requester_reads_their_own_messages_and_the_replies_by_month(w: &World) {
    let s = w.store.as_ref();
    let (id, keys) = w.request("alpha bravo charlie", ANSWERS, "أحتاج مساعدة").await;
    let request = s.intake_request(&id).await.unwrap().unwrap();
    let month = mamar_usecases::month_of(NOW);
    assert_eq!(month, "2027-01");
    assert_eq!(
        read(w, &request, &keys).await,
        (
            vec![(month.clone(), "requester".into(), "أحتاج مساعدة".into())],
            false
        )
    );

    // A message from before copies were kept: not shown, and said so.
    let older = IntakeMessage {
        id: [9; 16],
        request_id: id,
        from_requester: true,
        sealed: vec![7; 64],
        key_generation: 1,
        signature: None,
        staff_copy: None,
        sent_month: None,
        own_copy: None,
    };
    s.apply_intake(&[IntakeWrite::Message(older)]).await.unwrap();
    let (entries, earlier_not_shown) = read(w, &request, &keys).await;
    assert_eq!(entries.len(), 1);
    assert!(earlier_not_shown);

    // Another codename's keys open nothing of it.
    let (_, stranger) = w.request("delta echo foxtrot", ANSWERS, "other").await;
    let (entries, _) = read(w, &request, &stranger).await;
    assert!(entries.is_empty(), "{entries:?}");

    // The request becomes a case: what was sent to the intake key, copies included, now lives
    // in the case only.
    let case = cases::open_from_request(s, &w.questionnaire, &w.intake.caller(), &id, None, NOW)
        .await
        .unwrap()
        .id;
    let left = s.intake_messages(&id).await.unwrap();
    assert!(
        left.iter().all(|message| message.own_copy.is_none()),
        "the copies went with the messages"
    );
    assert_eq!(read(w, &request, &keys).await, (vec![], false));

    // A reply a month later, and the requester's answer to the case team.
    cases::assign(
        s,
        &w.intake.caller(),
        &case,
        w.coordinator.record.id,
        Duty::Coordinator,
        NOW,
    )
    .await
    .unwrap();
    let later = NOW + 40 * DAY;
    cases::message_requester(s, &w.config, &w.coordinator.caller(), &case, "نحن معك.", later)
        .await
        .unwrap();
    let own = own_copy(&request, "شكراً، مساء الغد.", later + DAY).unwrap();
    assert!(
        message_to_case_team(s, &id, "شكراً، مساء الغد.", Some(&own), later + DAY)
            .await
            .unwrap()
    );
    assert_eq!(
        read(w, &request, &keys).await,
        (
            vec![
                ("2027-02".into(), "organisation".into(), "نحن معك.".into()),
                ("2027-02".into(), "requester".into(), "شكراً، مساء الغد.".into()),
            ],
            false
        )
    );

    // The requester deletes the request: every message and copy goes.
    s.apply_intake(&[IntakeWrite::Delete { request_id: id }])
        .await
        .unwrap();
    assert!(s.intake_messages(&id).await.unwrap().is_empty());
}
