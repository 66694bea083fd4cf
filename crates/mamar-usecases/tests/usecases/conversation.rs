//! The requester's conversation, as every channel shows it: their first
//! request, then their own messages (opened from the copies sealed to their
//! codename's key) and the organisation's replies, in order, each with its
//! month and nothing finer; messages from before copies were kept are left
//! out, and that is said; opening a case from the request takes the copies
//! of the messages it took in, and the requester deleting it takes
//! everything.

use mamar_core::Locale;
use mamar_core::case::Duty;
use mamar_core::questionnaire::AnswerValue;
use mamar_crypto::{OrgKeyKind, RequesterKeys, SealPurpose};
use mamar_store::{IntakeMessage, IntakeRequest, IntakeWrite};
use mamar_usecases::cases;
use mamar_usecases::intake::{
    FirstRequest, Intake, Said, message_to_case_team, new_codename, own_copy, read_conversation,
};

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
                Said::FirstRequest(first) => ("first", first_text(&first)),
                Said::Requester(text) => ("requester", text),
                Said::Organisation(reply) => ("organisation", reply.text),
            };
            (entry.month.unwrap_or_default(), who.to_owned(), text)
        })
        .collect();
    (entries, earlier_not_shown)
}

/// What a first request shows: the values typed, one a line, or why nothing is shown.
fn first_text(first: &FirstRequest) -> String {
    match first {
        FirstRequest::Shown(answers) => answers
            .iter()
            .map(|(field, value)| match value {
                AnswerValue::Text(text) => format!("{field}={text}"),
                AnswerValue::Number(n) => format!("{field}={n}"),
                AnswerValue::Choice(_) | AnswerValue::Choices(_) => format!("{field} chosen"),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        FirstRequest::NotKept => "not kept".into(),
        FirstRequest::Unavailable => "unavailable".into(),
    }
}

/// The first request as the same code reads it for every channel: sealed at intake under the
/// codename's own-copy key, in the same row as the request, and read back with that codename.
pub async fn the_requester_reads_their_first_request_again_and_only_with_their_codename(w: &World) {
    let s = w.store.as_ref();
    let intake = Intake::new(w.store.clone());
    let codename = new_codename(Locale::Ar).unwrap();
    let mut pairs: Vec<(String, String)> = ANSWERS.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let long = "نحن ثلاثة، أنا وزوجتي وابني. ".repeat(40);
    pairs.extend([
        ("group_size".into(), "3".into()),
        ("contact".into(), "Signal بعد العاشرة مساءً".into()),
        ("message".into(), format!("أحتاج مساعدة للخروج.\n{long}")),
    ]);
    let answers = w.questionnaire.validate(&pairs).unwrap();
    intake.submit_request(&codename, &answers).await.unwrap();

    // Back with the codename: the first request comes first, with the month it arrived, and holds
    // what was typed (the long text whole), none of the choices.
    let (request, keys) = intake.find_request(&codename).await.unwrap().unwrap();
    let conversation = intake.conversation(&request, &keys).await.unwrap();
    assert_eq!(conversation.entries.len(), 1);
    let first = &conversation.entries[0];
    assert_eq!(first.month.as_deref(), Some(request.received_month.as_str()));
    let Said::FirstRequest(FirstRequest::Shown(typed)) = &first.said else {
        panic!("the first request is not shown");
    };
    assert_eq!(typed.get("group_size"), Some(&AnswerValue::Number(3)));
    assert_eq!(
        typed.get("contact"),
        Some(&AnswerValue::Text("Signal بعد العاشرة مساءً".into()))
    );
    assert_eq!(
        typed.get("message"),
        Some(&AnswerValue::Text(
            format!("أحتاج مساعدة للخروج.\n{long}").trim().to_owned()
        ))
    );
    assert!(typed.get("urgency").is_none() && typed.get("governorate").is_none());
    // Nothing of it is in the clear in the row, and staff read the whole request as before.
    let needle = "أحتاج مساعدة".as_bytes();
    let copy = request.own_copy.clone().unwrap();
    assert!(!copy.windows(needle.len()).any(|w| w == needle));
    let intake_key = w.admin.keyring.org_key(OrgKeyKind::Intake).unwrap();
    let opened = mamar_crypto::open(
        intake_key.intake().unwrap(),
        &SealPurpose::Intake {
            request_id: &request.id,
        },
        &request.sealed,
    )
    .unwrap();
    assert_eq!(
        mamar_core::questionnaire::Answers::from_bytes(opened.expose_secret()).unwrap(),
        answers
    );

    // A later message comes after it.
    intake
        .add_requester_message(&request, "رسالة ثانية", NOW)
        .await
        .unwrap();
    let conversation = intake.conversation(&request, &keys).await.unwrap();
    assert!(matches!(
        conversation.entries[0].said,
        Said::FirstRequest(FirstRequest::Shown(_))
    ));
    assert!(matches!(&conversation.entries[1].said, Said::Requester(text) if text == "رسالة ثانية"));

    // Another codename finds nothing, and its keys open nothing of this request.
    let other = new_codename(Locale::Ar).unwrap();
    assert!(intake.find_request(&other).await.unwrap().is_none());
    let (_, stranger) = w.request("delta echo foxtrot", ANSWERS, "other").await;
    let (entries, _) = read(w, &request, &stranger).await;
    assert_eq!(entries[0].2, "unavailable");
    assert!(entries[1..].is_empty(), "{entries:?}");

    // A request from before copies were kept says so; one whose copy the panic erased too.
    let mut older = request.clone();
    older.own_copy = None;
    let (entries, _) = read(w, &older, &keys).await;
    assert_eq!(
        (entries[0].1.as_str(), entries[0].2.as_str()),
        ("first", "not kept")
    );
    older.own_copy = Some(Vec::new());
    let (entries, _) = read(w, &older, &keys).await;
    assert_eq!(entries[0].2, "unavailable");

    // The requester deletes the request: it is gone, copy and all.
    intake.delete_request(&request).await.unwrap();
    assert!(intake.find_request(&codename).await.unwrap().is_none());
    assert!(s.intake_request(&request.id).await.unwrap().is_none());
    assert!(s.intake_messages(&request.id).await.unwrap().is_empty());
}

pub async fn the_requester_reads_their_own_messages_and_the_replies_by_month(w: &World) {
    let s = w.store.as_ref();
    let (id, keys) = w.request("alpha bravo charlie", ANSWERS, "أحتاج مساعدة").await;
    let request = s.intake_request(&id).await.unwrap().unwrap();
    let month = mamar_usecases::month_of(NOW);
    assert_eq!(month, "2027-01");
    // The form's answers were all chosen, none typed: the first request shows no text.
    let first = ("2026-12".to_owned(), "first".to_owned(), String::new());
    assert_eq!(
        read(w, &request, &keys).await,
        (
            vec![
                first.clone(),
                (month.clone(), "requester".into(), "أحتاج مساعدة".into())
            ],
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
    assert_eq!(entries.len(), 2);
    assert!(earlier_not_shown);

    // Another codename's keys open nothing of it.
    let (_, stranger) = w.request("delta echo foxtrot", ANSWERS, "other").await;
    let (entries, _) = read(w, &request, &stranger).await;
    assert_eq!(
        entries,
        vec![("2026-12".to_owned(), "first".to_owned(), "unavailable".to_owned())]
    );

    // The request becomes a case: what was sent to the intake key, copies included, now lives
    // in the case only; the requester's copy of their first request, which no staff key opens,
    // stays theirs.
    let case = cases::open_from_request(s, &w.questionnaire, &w.intake.caller(), &id, None, NOW)
        .await
        .unwrap()
        .id;
    let left = s.intake_messages(&id).await.unwrap();
    assert!(
        left.iter().all(|message| message.own_copy.is_none()),
        "the copies went with the messages"
    );
    let request = s.intake_request(&id).await.unwrap().unwrap();
    assert!(
        request.sealed.is_empty(),
        "the intake key's copy moved to the case"
    );
    assert_eq!(read(w, &request, &keys).await, (vec![first.clone()], false));

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
                first,
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
    assert!(s.intake_request(&id).await.unwrap().is_none());
}
