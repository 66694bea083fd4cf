//! Closure and retention: a closed case past its retention period is crypto-shredded — not one
//! byte of its content, keys, blind indexes or request is left in the database, its WAL or a
//! backup taken afterwards — while its facets are still counted; a case not yet past the
//! period keeps everything; deleting a case needs a second person and shreds it at once.

use mamar_core::case::{CaseRuleError, ClosingOutcome, Duty, Stage, VettingDecision};
use mamar_store::Store;
use mamar_usecases::cases::{self, StepInput};
use mamar_usecases::{CaseError, Identity};

use crate::walk::ANSWERS;
use crate::world::{NOW, World};

const DAY: i64 = 86_400;

/// Plain-text canaries planted in every field a case has.
const CANARIES: &[&str] = &[
    "CANARYMSG7731",
    "CANARYNAME4410",
    "+963 900 773 100",
    "CANARYNOTE5520",
    "CANARYFINDING6631",
    "CANARYREPLY1180",
    "CANARYRATIONALE2291",
    "CANARYPLACE3302",
    "CANARYSIGN4413",
    "CANARYCHECKIN5524",
    "CANARYTASK6635",
    "CANARYARRIVAL7746",
    "CANARYCOUNTRY8857",
    "CANARYREVIEW9968",
    "CANARYCLOSE1079",
    "CANARYFILE2180",
    "CANARYOWNCOPY3391",
];

fn pdf(marker: &str) -> Vec<u8> {
    let mut file = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    while file.len() < 150_000 {
        file.extend_from_slice(marker.as_bytes());
        file.extend_from_slice(&(file.len() as u32).to_le_bytes());
    }
    file
}

/// A case carried from a request to closure (granted by a second person) at `closed_at`,
/// with a canary in every field, an attachment among them; `person` tells the people apart
/// (the same name and phone would have the same blind-index tags). Returns the case and its
/// request.
async fn closed_case(w: &World, codename: &str, person: u16, closed_at: i64) -> ([u8; 16], [u8; 16]) {
    let s = w.store.as_ref();
    let (request, _) = w.request(codename, ANSWERS, CANARIES[0]).await;
    let opened = cases::open_from_request(
        s,
        &w.questionnaire,
        &w.intake.caller(),
        &request,
        Some(Identity {
            name: format!(
                "{}{}",
                CANARIES[1],
                ["", "alpha", "bravo", "charlie"][usize::from(person)]
            ),
            birth_year: Some(1970 + person),
            phone: format!("{}{person}", CANARIES[2]),
        }),
        NOW,
    )
    .await
    .unwrap();
    let case = opened.id;
    let (intake, coordinator, vetter) = (w.intake.caller(), w.coordinator.caller(), w.vetter.caller());
    cases::assign(s, &intake, &case, w.vetter.record.id, Duty::Vetting, NOW)
        .await
        .unwrap();
    cases::assign(s, &intake, &case, w.coordinator.record.id, Duty::Coordinator, NOW)
        .await
        .unwrap();
    cases::assign(s, &coordinator, &case, w.receiver.record.id, Duty::Reception, NOW)
        .await
        .unwrap();
    cases::add_note(s, &w.config, &coordinator, &case, CANARIES[3], None, NOW)
        .await
        .unwrap();
    let item = w.config.checklist[0].id.clone();
    cases::add_note(s, &w.config, &vetter, &case, CANARIES[4], Some(&item), NOW)
        .await
        .unwrap();
    cases::message_requester(s, &w.config, &coordinator, &case, CANARIES[5], NOW)
        .await
        .unwrap();
    // The requester answers the team, keeping their own copy.
    let stored = s.intake_request(&request).await.unwrap().unwrap();
    let own = mamar_usecases::intake::own_copy(&stored, CANARIES[16], NOW).unwrap();
    assert!(
        mamar_usecases::intake::message_to_case_team(s, &request, CANARIES[16], Some(&own), NOW)
            .await
            .unwrap()
    );
    let mut upload = cases::begin_upload(s, &w.config, &coordinator, &case, NOW)
        .await
        .unwrap();
    for piece in pdf(CANARIES[15]).chunks(9_000) {
        upload.push(s, piece).await.unwrap();
    }
    upload
        .finish(s, &w.config, &coordinator, CANARIES[15], NOW)
        .await
        .unwrap();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::propose_vetting(
        s,
        &w.config,
        &vetter,
        &case,
        VettingDecision::Cleared,
        CANARIES[6],
        NOW,
    )
    .await
    .unwrap();
    let approval = cases::view(s, &w.config, &coordinator, &case, NOW)
        .await
        .unwrap()
        .pending[0]
        .id;
    cases::decide(s, &coordinator, &case, approval, true, NOW)
        .await
        .unwrap();
    let step = StepInput {
        who: "reception",
        who_detail: "",
        place: CANARIES[7],
        when: "Thursday",
        recognition: CANARIES[8],
        fallback: "wait",
    };
    cases::add_step(s, &coordinator, &case, &step, NOW).await.unwrap();
    cases::add_check_in(s, &coordinator, &case, None, CANARIES[9], NOW + DAY, NOW)
        .await
        .unwrap();
    cases::add_task(s, &coordinator, &case, CANARIES[10], NOW + DAY, NOW)
        .await
        .unwrap();
    cases::advance(s, &coordinator, &case, NOW).await.unwrap();
    cases::record_arrival(s, &w.receiver.caller(), &case, CANARIES[11], NOW)
        .await
        .unwrap();
    cases::record_choice(
        s,
        &w.receiver.caller(),
        &case,
        "relocate",
        CANARIES[12],
        CANARIES[12],
        NOW,
    )
    .await
    .unwrap();
    cases::record_review(s, &w.receiver.caller(), &case, CANARIES[13], NOW)
        .await
        .unwrap();
    cases::request_close(
        s,
        &w.config,
        &coordinator,
        &case,
        ClosingOutcome::SafeAndRelocated,
        CANARIES[14],
        closed_at,
    )
    .await
    .unwrap();
    let approval = cases::view(s, &w.config, &vetter, &case, closed_at)
        .await
        .unwrap()
        .pending[0]
        .id;
    cases::decide(s, &vetter, &case, approval, true, closed_at)
        .await
        .unwrap();
    (case, request)
}

/// Pieces of every stored blob of a case (ciphertext, wrapped keys, tags, the request's keys):
/// none may be left anywhere once it is shredded.
async fn stored_traces(s: &dyn Store, case: &[u8; 16], request: &[u8; 16]) -> Vec<Vec<u8>> {
    fn piece(blob: &[u8]) -> Vec<u8> {
        let start = blob.len().saturating_sub(24) / 2;
        blob[start..(start + 24).min(blob.len())].to_vec()
    }
    let mut traces = Vec::new();
    for record in s.case_records(case).await.unwrap() {
        traces.push(piece(&record.ciphertext));
    }
    let file = s.case_file(case).await.unwrap().unwrap();
    for approval in &file.approvals {
        traces.push(piece(&approval.sealed));
    }
    for (staff, _) in &file.team {
        traces.push(piece(&s.case_grant(case, *staff).await.unwrap().unwrap()));
    }
    for field in ["case.phone", "case.name-word", "case.birth-year", "case.encoding"] {
        for (owner, tag) in s.index_entries(field).await.unwrap() {
            if &owner == case {
                traces.push(piece(&tag));
            }
        }
    }
    for message in s.case_inbox(request).await.unwrap() {
        traces.push(piece(&message.sealed));
    }
    // The requester's own copies of what they wrote.
    let copies: Vec<Vec<u8>> = s
        .intake_messages(request)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|message| message.own_copy)
        .collect();
    assert!(!copies.is_empty(), "the requester kept a copy of their answer");
    traces.extend(copies.iter().map(|copy| piece(copy)));
    let stored = s.intake_request(request).await.unwrap().unwrap();
    traces.push(stored.lookup_tag.clone());
    traces.push(stored.requester_key.clone());
    traces.push(file.reference.clone().unwrap().into_bytes());
    traces
}

async fn attachment_traces(w: &World, case: &[u8; 16]) -> Vec<Vec<u8>> {
    let s = w.store.as_ref();
    let view = cases::view(s, &w.config, &w.coordinator.caller(), case, NOW)
        .await
        .unwrap();
    assert_eq!(view.attachments.len(), 1);
    let id = view.attachments[0].id;
    let mut traces = Vec::new();
    for seq in 0..3 {
        let chunk = s.attachment_chunk(case, &id, seq).await.unwrap().unwrap();
        traces.push(chunk[chunk.len() / 2..chunk.len() / 2 + 24].to_vec());
    }
    traces
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub async fn a_closed_case_is_shredded_after_its_retention_period_and_its_facets_stay(w: &World) {
    let s = w.store.as_ref();
    let (old, old_request) = closed_case(w, "one two three four five six seven", 1, NOW).await;
    // Closed sixty days later: still within its period when the first one is shredded.
    let (recent, recent_request) =
        closed_case(w, "two three four five six seven eight", 2, NOW + 60 * DAY).await;
    let mut traces = stored_traces(s, &old, &old_request).await;
    traces.extend(attachment_traces(w, &old).await);
    let facets_before = mamar_usecases::open_all(s, &w.analyst.keyring).await.unwrap();
    assert_eq!(facets_before.len(), 2);
    // Facets are sealed by the case workers, who do not hold the analytics key.
    assert!(mamar_usecases::open_all(s, &w.coordinator.keyring).await.is_err());
    // The dashboard's way: rows opened once are reused while unchanged, never for a keyring that
    // could not open them.
    let opened = mamar_usecases::OpenedFacets::default();
    let reusing = |keyring| mamar_usecases::open_all_reusing(s, keyring, &opened);
    assert_eq!(reusing(&w.analyst.keyring).await.unwrap(), facets_before);
    assert!(reusing(&w.coordinator.keyring).await.is_err());
    assert_eq!(reusing(&w.analyst.keyring).await.unwrap(), facets_before);
    // A row sealed again with other facets is opened again.
    let mut stored = s.all_sealed_facets().await.unwrap();
    let changed_row = stored.remove(0);
    let mut changed = mamar_usecases::open_facets(&w.analyst.keyring, &changed_row).unwrap();
    changed.destination = Some("other".into());
    let public = mamar_usecases::facets::analytics_public_key(s)
        .await
        .unwrap()
        .unwrap();
    s.put_facets(&mamar_usecases::seal_facets(&changed, &public, changed_row.id).unwrap())
        .await
        .unwrap();
    let after_change = reusing(&w.analyst.keyring).await.unwrap();
    assert!(after_change.contains(&changed), "{after_change:?}");
    assert_eq!(
        after_change,
        mamar_usecases::open_all(s, &w.analyst.keyring).await.unwrap()
    );
    let restored = mamar_usecases::open_facets(&w.analyst.keyring, &changed_row).unwrap();
    s.put_facets(&mamar_usecases::seal_facets(&restored, &public, changed_row.id).unwrap())
        .await
        .unwrap();
    assert_eq!(reusing(&w.analyst.keyring).await.unwrap(), facets_before);
    let closed = facets_before
        .iter()
        .find(|f| f.outcome.as_deref() == Some("safe-relocated"))
        .expect("the outcome is a facet");
    assert_eq!(closed.destination.as_deref(), Some("relocate"));
    assert!(closed.month_of_arrival.is_some());

    // A day before the period ends nothing goes.
    let early = cases::run_retention(s, &w.config, None, NOW + 89 * DAY)
        .await
        .unwrap();
    assert_eq!(early.cases, 0);
    assert!(s.case_file(&old).await.unwrap().is_some());

    let run = cases::run_retention(s, &w.config, None, NOW + 91 * DAY)
        .await
        .unwrap();
    assert_eq!(run.cases, 1);
    assert!(run.rows > 30, "{run:?}");
    // The team opens nothing: the case, its key and its request are gone.
    assert!(matches!(
        cases::view(s, &w.config, &w.coordinator.caller(), &old, NOW).await,
        Err(CaseError::NotFound)
    ));
    assert!(s.case_file(&old).await.unwrap().is_none());
    assert!(s.case_records(&old).await.unwrap().is_empty());
    assert!(
        s.case_grant(&old, w.coordinator.record.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(s.intake_request(&old_request).await.unwrap().is_none());
    assert!(s.case_inbox(&old_request).await.unwrap().is_empty());
    for field in ["case.phone", "case.name-word", "case.encoding"] {
        assert!(
            s.index_entries(field)
                .await
                .unwrap()
                .iter()
                .all(|(c, _)| c != &old)
        );
    }
    // The case closed more recently keeps everything.
    let kept = cases::view(s, &w.config, &w.coordinator.caller(), &recent, NOW + 91 * DAY)
        .await
        .unwrap();
    assert_eq!(kept.state.stage, Stage::Closed);
    assert_eq!(kept.attachments.len(), 1);
    assert!(s.intake_request(&recent_request).await.unwrap().is_some());
    // The facets are still counted, the shredded case's among them.
    let facets_after = mamar_usecases::open_all(s, &w.analyst.keyring).await.unwrap();
    assert_eq!(facets_after.len(), 2);
    assert_eq!(
        facets_after
            .iter()
            .filter(|f| f.outcome.as_deref() == Some("safe-relocated"))
            .count(),
        2
    );
    // Not a byte of it in the database file, its WAL, or a backup taken afterwards.
    let backup = s.snapshot().await.unwrap().encode();
    let mut places: Vec<(String, Vec<u8>)> = vec![("backup".into(), backup)];
    for path in w.sqlite_files() {
        places.push((path.display().to_string(), std::fs::read(&path).unwrap()));
    }
    for (place, bytes) in &places {
        for canary in CANARIES {
            assert!(!find(bytes, canary.as_bytes()), "{canary} in {place}");
        }
        for (n, trace) in traces.iter().enumerate() {
            assert!(
                !find(bytes, trace),
                "trace {n} of {} ({trace:?}) of the shredded case in {place}",
                traces.len()
            );
        }
    }
    // The recent case's traces are where they were (the search finds what is there).
    let recent_traces = stored_traces(s, &recent, &recent_request).await;
    let backup = &places[0].1;
    assert!(recent_traces.iter().all(|t| find(backup, t)));
    // Both the run and the shredding are in the audit log, by id only.
    let entries = s.audit_entries(0, 10_000).await.unwrap();
    let codes: Vec<&str> = entries.iter().map(|e| e.action.code()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "case_shredded").count(), 1);
    assert_eq!(codes.iter().filter(|c| **c == "retention_run").count(), 2);
    // Appended in bulk, the entries still form one unbroken chain.
    mamar_audit::verify(&entries, &[], &[]).unwrap();
}

pub async fn deleting_a_case_needs_a_second_person_and_shreds_it_at_once(w: &World) {
    let s = w.store.as_ref();
    let (case, request) = closed_case(w, "three four five six seven eight nine", 3, NOW).await;
    let coordinator = w.coordinator.caller();
    // A reason is needed; nobody approves their own request.
    assert!(matches!(
        cases::request_delete(s, &w.config, &coordinator, &case, "  ", NOW).await,
        Err(CaseError::Rule(CaseRuleError::ReasonNeeded))
    ));
    // Only someone leading the case asks.
    assert!(matches!(
        cases::request_delete(
            s,
            &w.config,
            &w.vetter.caller(),
            &case,
            "asked by the person",
            NOW
        )
        .await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    cases::request_delete(s, &w.config, &coordinator, &case, "asked by the person", NOW)
        .await
        .unwrap();
    let approval = cases::view(s, &w.config, &coordinator, &case, NOW)
        .await
        .unwrap()
        .pending[0]
        .id;
    assert!(matches!(
        cases::decide(s, &coordinator, &case, approval, true, NOW).await,
        Err(CaseError::Rule(CaseRuleError::OwnRequest))
    ));
    assert!(s.case_file(&case).await.unwrap().is_some());
    let traces = stored_traces(s, &case, &request).await;
    cases::decide(s, &w.vetter.caller(), &case, approval, true, NOW)
        .await
        .unwrap();
    assert!(s.case_file(&case).await.unwrap().is_none());
    assert!(s.intake_request(&request).await.unwrap().is_none());
    // Its facets stay.
    assert_eq!(
        mamar_usecases::open_all(s, &w.analyst.keyring)
            .await
            .unwrap()
            .len(),
        1
    );
    let backup = s.snapshot().await.unwrap().encode();
    for trace in &traces {
        assert!(!find(&backup, trace));
    }
    for path in w.sqlite_files() {
        let bytes = std::fs::read(&path).unwrap();
        for trace in &traces {
            assert!(!find(&bytes, trace), "a trace in {}", path.display());
        }
    }
}
