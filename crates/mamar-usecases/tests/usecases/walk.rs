use mamar_core::case::{CaseReference, CaseRuleError, ClosingOutcome, Duty, Stage, VettingDecision};
use mamar_crypto::{CaseKey, SealPurpose};
use mamar_usecases::cases;
use mamar_usecases::{CaseError, Identity, Section};

use crate::world::{NOW, World};

pub const ANSWERS: &[(&str, &str)] = &[
    ("urgency", "immediate"),
    ("governorate", "sy-hl"),
    ("institution", "army"),
    ("service_type", "compulsory"),
    ("rank_class", "soldier"),
    ("companions", "alone"),
    ("destination", "undecided"),
];

/// The answers an operator takes down on a call (the same as the web request's).
pub(crate) fn call_answers(w: &World) -> mamar_core::questionnaire::Answers {
    let pairs: Vec<(String, String)> = ANSWERS.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    w.questionnaire.validate(&pairs).unwrap()
}

pub(crate) fn identity(name: &str, phone: &str) -> Option<Identity> {
    Some(Identity {
        name: name.into(),
        birth_year: Some(1999),
        phone: phone.into(),
    })
}

/// Opens a case from a new request and puts a vetting officer and a coordinator on it.
pub async fn staffed_case(w: &World) -> ([u8; 16], mamar_crypto::RequesterKeys, [u8; 16]) {
    let (request, keys) = w
        .request("one two three four five six seven", ANSWERS, "أحتاج مساعدة")
        .await;
    let opened = cases::open_from_request(
        w.store.as_ref(),
        &w.questionnaire,
        &w.intake.caller(),
        &request,
        identity("أحمد محمد العلي", "+963 944 123 456"),
        NOW,
    )
    .await
    .unwrap();
    let case = opened.id;
    let s = w.store.as_ref();
    cases::assign(
        s,
        &w.intake.caller(),
        &case,
        w.vetter.record.id,
        Duty::Vetting,
        NOW,
    )
    .await
    .unwrap();
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
    (case, keys, request)
}

pub async fn a_request_becomes_a_case_that_reaches_planning_with_a_second_person(w: &World) {
    let s = w.store.as_ref();
    let (case, keys, request) = staffed_case(w).await;
    // The request left the intake tables: its answers and the requester's message are in the case only.
    let stored = s.intake_request(&request).await.unwrap().unwrap();
    assert!(stored.sealed.is_empty());
    assert!(s.intake_messages(&request).await.unwrap().is_empty());
    assert_eq!(s.open_request_count().await.unwrap(), 0);
    let view = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    assert_eq!(view.state.stage, Stage::New);
    assert_eq!(
        view.state.owner,
        Some(w.coordinator.record.id),
        "the coordinator owns it"
    );
    assert_eq!(view.messages.len(), 1);
    assert_eq!(view.messages[0].text, "أحتاج مساعدة");
    assert!(view.answers.is_some());
    assert_eq!(view.identity.as_ref().unwrap().name, "أحمد محمد العلي");

    cases::advance(s, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    cases::advance(s, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    cases::add_note(
        s,
        &w.config,
        &w.vetter.caller(),
        &case,
        "A trusted contact in his village vouches for him.",
        Some("vouched"),
        NOW,
    )
    .await
    .unwrap();
    cases::propose_vetting(
        s,
        &w.config,
        &w.vetter.caller(),
        &case,
        VettingDecision::Cleared,
        "Story holds.",
        NOW,
    )
    .await
    .unwrap();
    let waiting = cases::waiting_approvals(s, &w.coordinator.caller(), NOW)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].value.as_deref(), Some("cleared"));
    assert!(
        cases::waiting_approvals(s, &w.vetter.caller(), NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let approval = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap()
        .pending[0]
        .id;
    cases::decide(s, &w.coordinator.caller(), &case, approval, true, NOW)
        .await
        .unwrap();

    // The coordinator answers; the requester reads it with the codename; their answer reaches the team.
    cases::message_requester(
        s,
        &w.config,
        &w.coordinator.caller(),
        &case,
        "نحن معك. اكتب لنا متى تستطيع.",
        NOW,
    )
    .await
    .unwrap();
    let replies = s.intake_messages(&request).await.unwrap();
    let reply = replies.iter().find(|m| !m.from_requester).unwrap();
    let opened = mamar_crypto::open(
        keys.encryption(),
        &SealPurpose::Reply { request_id: &request },
        &reply.sealed,
    )
    .unwrap();
    assert!(String::from_utf8_lossy(opened.expose_secret()).contains("نحن معك"));
    assert!(
        mamar_usecases::intake::message_to_case_team(s, &request, "شكرا، غدا مساء", None, NOW + 60)
            .await
            .unwrap()
    );
    let view = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW + 61)
        .await
        .unwrap();
    assert_eq!(view.state.stage, Stage::Planning);
    let texts: Vec<&str> = view.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        ["أحتاج مساعدة", "نحن معك. اكتب لنا متى تستطيع.", "شكرا، غدا مساء"]
    );
    let list = cases::list_mine(s, &w.config, &w.coordinator.caller())
        .await
        .unwrap();
    assert!(
        list[0].awaiting_reply,
        "the requester's message waits for an answer"
    );
    assert_eq!(list[0].urgency.as_deref(), Some("immediate"));
    // The vetting officer sees the finding; the timeline tells the story.
    let vetting = cases::view(s, &w.config, &w.vetter.caller(), &case, NOW)
        .await
        .unwrap();
    assert_eq!(vetting.findings.len(), 1);
    let story: Vec<&str> = vetting.timeline.iter().map(|e| e.what.as_str()).collect();
    assert_eq!(
        story,
        [
            "opened",
            "assigned",
            "assigned",
            "stage",
            "stage",
            "requested",
            "granted"
        ]
    );
}

/// Every wrapped key of the case, tried with `keys`: none opens.
pub(crate) async fn no_grant_opens(w: &World, case: &[u8; 16], keys: &mamar_crypto::StaffKeyPair) {
    for (_, wrapped) in w.store.case_grants(case).await.unwrap() {
        assert!(CaseKey::unwrap(&wrapped, case, keys).is_err());
    }
}

pub async fn only_the_people_on_a_case_can_open_it(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    for outsider in [&w.admin, &w.other_vetter, &w.analyst, &w.receiver] {
        assert!(matches!(
            cases::view(s, &w.config, &outsider.caller(), &case, NOW).await,
            Err(CaseError::NotFound)
        ));
        assert!(matches!(
            cases::add_note(s, &w.config, &outsider.caller(), &case, "x", None, NOW).await,
            Err(CaseError::NotFound)
        ));
        assert!(
            cases::list_mine(s, &w.config, &outsider.caller())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            cases::search(s, &outsider.caller(), "944123456")
                .await
                .map(|f| f.is_empty())
                .unwrap_or(true)
        );
        no_grant_opens(w, &case, outsider.keyring.staff()).await;
    }
    // The people on it can, and each reads only the sections of their duty.
    let reception = cases::assign(
        s,
        &w.coordinator.caller(),
        &case,
        w.receiver.record.id,
        Duty::Reception,
        NOW,
    )
    .await;
    assert!(reception.is_ok());
    let view = cases::view(s, &w.config, &w.receiver.caller(), &case, NOW)
        .await
        .unwrap();
    assert!(!view.sections.contains(&Section::Vetting));
    assert!(view.answers.is_none() && view.messages.is_empty() && view.findings.is_empty());
    assert!(view.identity.is_some());
}

pub async fn a_removed_assignee_opens_nothing_new(w: &World) {
    let s = w.store.as_ref();
    let (case, _, request) = staffed_case(w).await;
    let old_grant = s.case_grant(&case, w.vetter.record.id).await.unwrap().unwrap();
    let old_key = CaseKey::unwrap(&old_grant, &case, w.vetter.keyring.staff()).unwrap();
    cases::unassign(s, &w.coordinator.caller(), &case, w.vetter.record.id, NOW)
        .await
        .unwrap();
    assert!(matches!(
        cases::view(s, &w.config, &w.vetter.caller(), &case, NOW).await,
        Err(CaseError::NotFound)
    ));
    // What they kept of the old key opens none of the records, old or new.
    cases::add_note(
        s,
        &w.config,
        &w.coordinator.caller(),
        &case,
        "after the change",
        None,
        NOW,
    )
    .await
    .unwrap();
    assert!(
        mamar_usecases::intake::message_to_case_team(s, &request, "later", None, NOW)
            .await
            .unwrap()
    );
    for record in s.case_records(&case).await.unwrap() {
        let context = mamar_crypto::RecordContext {
            record_id: &record.id,
            kind: &record.kind,
            schema_version: u32::try_from(record.schema_version).unwrap(),
        };
        assert!(
            old_key.decrypt(&record.ciphertext, &context).is_err(),
            "{}",
            record.kind
        );
    }
    no_grant_opens(w, &case, w.vetter.keyring.staff()).await;
    // The others still read everything, the requester's new message included.
    let view = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    assert!(view.messages.iter().any(|m| m.text == "later"));
    assert_eq!(view.notes.len(), 1);
}

pub async fn nobody_approves_their_own_request(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    cases::request_close(
        s,
        &w.config,
        &w.coordinator.caller(),
        &case,
        ClosingOutcome::Withdrew,
        "He changed his mind.",
        NOW,
    )
    .await
    .unwrap();
    let pending = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap()
        .pending;
    assert!(!pending[0].can_decide);
    let own = cases::decide(s, &w.coordinator.caller(), &case, pending[0].id, true, NOW).await;
    assert!(matches!(own, Err(CaseError::Rule(CaseRuleError::OwnRequest))));
    let outsider = cases::decide(s, &w.admin.caller(), &case, pending[0].id, true, NOW).await;
    assert!(matches!(outsider, Err(CaseError::NotFound)));
    let late = cases::decide(
        s,
        &w.intake.caller(),
        &case,
        pending[0].id,
        true,
        NOW + w.config.approval_secs + 1,
    )
    .await;
    assert!(matches!(late, Err(CaseError::Rule(CaseRuleError::Expired))));
    cases::decide(s, &w.intake.caller(), &case, pending[0].id, true, NOW)
        .await
        .unwrap();
    let view = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap();
    assert_eq!(view.state.stage, Stage::Closed);
    let closed = cases::add_note(s, &w.config, &w.coordinator.caller(), &case, "x", None, NOW).await;
    assert!(matches!(closed, Err(CaseError::Rule(CaseRuleError::Closed))));
}

/// A staffed case brought to vetting, where the vetter suspects infiltration: frozen.
pub async fn frozen_case(w: &World) -> [u8; 16] {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    for _ in 0..2 {
        cases::advance(s, &w.coordinator.caller(), &case, NOW)
            .await
            .unwrap();
    }
    cases::propose_vetting(
        s,
        &w.config,
        &w.vetter.caller(),
        &case,
        VettingDecision::SuspectedInfiltration,
        "He asked where our team meets.",
        NOW,
    )
    .await
    .unwrap();
    case
}

pub async fn suspected_infiltration_freezes_the_case(w: &World) {
    let s = w.store.as_ref();
    let case = frozen_case(w).await;
    for refused in [
        cases::add_note(s, &w.config, &w.coordinator.caller(), &case, "x", None, NOW).await,
        cases::message_requester(s, &w.config, &w.coordinator.caller(), &case, "x", NOW).await,
        cases::advance(s, &w.coordinator.caller(), &case, NOW).await,
    ] {
        assert!(
            matches!(refused, Err(CaseError::Rule(CaseRuleError::Frozen))),
            "{refused:?}"
        );
    }
    // The administrator is not on the case, cannot read it, and still asks to unfreeze; the
    // coordinator agrees.
    cases::request_unfreeze(s, &w.config, &w.admin.caller(), &case, NOW)
        .await
        .unwrap();
    let pending = cases::view(s, &w.config, &w.coordinator.caller(), &case, NOW)
        .await
        .unwrap()
        .pending;
    let unfreeze = pending.iter().find(|p| p.kind == "unfreeze").unwrap().id;
    cases::decide(s, &w.coordinator.caller(), &case, unfreeze, true, NOW)
        .await
        .unwrap();
    cases::add_note(
        s,
        &w.config,
        &w.coordinator.caller(),
        &case,
        "unfrozen",
        None,
        NOW,
    )
    .await
    .unwrap();
}

pub async fn cases_are_found_by_reference_name_and_phone_and_duplicates_are_flagged(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let reference = s.case_file(&case).await.unwrap().unwrap().reference.unwrap();
    let shown = CaseReference::parse(&reference).unwrap().to_string();
    for query in [shown.as_str(), "أحمد العلي", "احمد", "0944 123 456"] {
        let found = cases::search(s, &w.intake.caller(), query).await.unwrap();
        assert_eq!(found, [case], "{query}");
    }
    assert!(
        cases::search(s, &w.intake.caller(), "خالد")
            .await
            .unwrap()
            .is_empty()
    );
    // The same phone on a new call: the operator is warned.
    let answers = call_answers(w);
    let again = cases::open_from_call(
        s,
        &w.questionnaire,
        &w.intake.caller(),
        &answers,
        identity("Ahmad", "00963944123456"),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(again.possible_duplicates, 1);
    let fresh = cases::open_from_call(
        s,
        &w.questionnaire,
        &w.intake.caller(),
        &answers,
        identity("Khaled", "+963 933 000 111"),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(fresh.possible_duplicates, 0);
    assert_ne!(fresh.reference, again.reference);
}

/// The analyst reads facets only (issue 21): their session holds the
/// analytics and linkage keys and nothing else; their own keys unwrap no
/// case key; and neither organisation key they hold opens one record of a
/// case, nor a request's sealed answers.
pub async fn the_analysts_keys_open_no_case_content(w: &World) {
    use mamar_crypto::{OrgKeyKind, RecordContext};
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let mut kinds: Vec<OrgKeyKind> = w.analyst.keyring.org_keys().iter().map(|k| k.kind()).collect();
    kinds.sort_by_key(|k| k.code());
    assert_eq!(kinds, [OrgKeyKind::Analytics, OrgKeyKind::Linkage]);
    no_grant_opens(w, &case, w.analyst.keyring.staff()).await;
    let analytics = w
        .analyst
        .keyring
        .org_key(OrgKeyKind::Analytics)
        .and_then(|k| k.analytics())
        .unwrap();
    let records = s.case_records(&case).await.unwrap();
    assert!(!records.is_empty());
    for record in &records {
        let context = RecordContext {
            record_id: &record.id,
            kind: &record.kind,
            schema_version: u32::try_from(record.schema_version).unwrap(),
        };
        assert!(
            analytics.decrypt(&record.ciphertext, &context).is_err(),
            "the analytics key opened a {} record",
            record.kind
        );
    }
    // A request still waiting holds the requester's answers under the intake key, which the
    // analyst does not hold at all.
    assert!(w.analyst.keyring.org_key(OrgKeyKind::Intake).is_none());
}
