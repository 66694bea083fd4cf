//! Exporting a case: asked with a reason by someone leading it, granted by
//! a second person who did not ask, downloaded once by the asker alone
//! before the grant expires, as a file that opens only with the passphrase
//! typed then and holds what the asker's duties read, never more.

use mamar_core::Locale;
use mamar_core::case::{CaseRuleError, ClosingOutcome, Duty};
use mamar_usecases::cases::{self, ExportSettings};
use mamar_usecases::{CaseError, Identity};

use crate::walk::ANSWERS;
use crate::world::{NOW, World};

const NAME: &str = "EXPORTNAME5173";
const PHONE: &str = "+963 900 517 300";
const NOTE: &str = "EXPORTNOTE2291";
const FINDING: &str = "EXPORTFINDING3382";
const REPLY: &str = "EXPORTREPLY4473";
const FIRST_MESSAGE: &str = "EXPORTMESSAGE6604";
const PASSPHRASE: &str = "seven green doors under the bridge";

fn settings(w: &World) -> ExportSettings<'_> {
    ExportSettings {
        readme: "README: an export of one case.",
        questionnaire: &w.questionnaire,
        locale: Locale::En,
        // A small scrypt work factor keeps the test fast; the format is the same.
        work_factor: 10,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn audit_count(w: &World, code: &str) -> usize {
    w.store
        .audit_entries(0, 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action.code() == code)
        .count()
}

pub async fn an_export_needs_a_second_person_and_opens_only_with_its_passphrase(w: &World) {
    let s = w.store.as_ref();
    let (request, _) = w
        .request("nine eight seven six five four three", ANSWERS, FIRST_MESSAGE)
        .await;
    let case = cases::open_from_request(
        s,
        &w.questionnaire,
        &w.intake.caller(),
        &request,
        Some(Identity {
            name: NAME.into(),
            birth_year: Some(1990),
            phone: PHONE.into(),
        }),
        NOW,
    )
    .await
    .unwrap()
    .id;
    let (intake, coordinator, vetter) = (w.intake.caller(), w.coordinator.caller(), w.vetter.caller());
    cases::assign(s, &intake, &case, w.vetter.record.id, Duty::Vetting, NOW)
        .await
        .unwrap();
    cases::assign(s, &intake, &case, w.coordinator.record.id, Duty::Coordinator, NOW)
        .await
        .unwrap();
    cases::add_note(s, &w.config, &coordinator, &case, NOTE, None, NOW)
        .await
        .unwrap();
    let item = w.config.checklist[0].id.clone();
    cases::add_note(s, &w.config, &vetter, &case, FINDING, Some(&item), NOW)
        .await
        .unwrap();
    cases::message_requester(s, &w.config, &coordinator, &case, REPLY, NOW)
        .await
        .unwrap();

    // A reason is needed, someone leading the case asks, and a stranger finds no case.
    assert!(matches!(
        cases::request_export(s, &w.config, &intake, &case, " ", NOW).await,
        Err(CaseError::Rule(CaseRuleError::ReasonNeeded))
    ));
    assert!(matches!(
        cases::request_export(s, &w.config, &vetter, &case, "a copy for the person", NOW).await,
        Err(CaseError::Rule(CaseRuleError::WrongDuty))
    ));
    assert!(matches!(
        cases::request_export(
            s,
            &w.config,
            &w.other_vetter.caller(),
            &case,
            "a copy for the person",
            NOW
        )
        .await,
        Err(CaseError::NotFound)
    ));
    // The intake officer asks: nothing downloads before a second person grants it.
    cases::request_export(s, &w.config, &intake, &case, "a copy for the person", NOW)
        .await
        .unwrap();
    assert!(matches!(
        cases::download_export(s, &w.config, &intake, &case, PASSPHRASE, &settings(w), NOW).await,
        Err(CaseError::NoExport)
    ));
    let approval = cases::view(s, &w.config, &intake, &case, NOW)
        .await
        .unwrap()
        .pending
        .iter()
        .find(|p| p.kind == "export")
        .unwrap()
        .id;
    // The asker cannot grant their own request.
    assert!(matches!(
        cases::decide(s, &intake, &case, approval, true, NOW).await,
        Err(CaseError::Rule(CaseRuleError::OwnRequest))
    ));
    cases::decide(s, &coordinator, &case, approval, true, NOW)
        .await
        .unwrap();

    // Only the asker downloads: the one who granted it cannot, strangers find no case.
    assert!(matches!(
        cases::download_export(s, &w.config, &coordinator, &case, PASSPHRASE, &settings(w), NOW).await,
        Err(CaseError::Rule(CaseRuleError::NotTheAsker))
    ));
    for stranger in [&w.other_vetter, &w.admin, &w.analyst] {
        assert!(matches!(
            cases::download_export(
                s,
                &w.config,
                &stranger.caller(),
                &case,
                PASSPHRASE,
                &settings(w),
                NOW
            )
            .await,
            Err(CaseError::NotFound)
        ));
    }
    assert!(matches!(
        cases::download_export(s, &w.config, &intake, &case, "too short", &settings(w), NOW).await,
        Err(CaseError::WeakPassphrase)
    ));
    // An expired grant downloads nothing.
    let expiry = NOW + w.config.approval_secs;
    assert!(matches!(
        cases::download_export(s, &w.config, &intake, &case, PASSPHRASE, &settings(w), expiry).await,
        Err(CaseError::Rule(CaseRuleError::Expired))
    ));
    assert!(
        cases::export_offer(s, &intake, &case, expiry)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        cases::export_offer(s, &coordinator, &case, NOW + 60)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        cases::export_offer(s, &intake, &case, NOW + 60)
            .await
            .unwrap()
            .unwrap()
            .expires_at,
        expiry
    );

    let file = cases::download_export(s, &w.config, &intake, &case, PASSPHRASE, &settings(w), NOW + 60)
        .await
        .unwrap();
    assert!(file.file_name.ends_with(".age"), "{}", file.file_name);
    for canary in [NAME, PHONE, NOTE, FINDING, REPLY, FIRST_MESSAGE] {
        assert!(
            !find(&file.bytes, canary.as_bytes()),
            "{canary} in the file's bytes"
        );
    }
    // It opens with the passphrase, not with another.
    assert!(cases::open_export(&file.bytes, "seven green doors under the bridgE").is_none());
    let text = cases::open_export(&file.bytes, PASSPHRASE).unwrap();
    assert!(text.starts_with("README: an export of one case."));
    let (_, json) = text.split_once(cases::JSON_MARKER).unwrap();
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(json["format"], cases::EXPORT_FORMAT);
    // What the intake officer reads is in it; the vetting findings, which their duty does not
    // read, are not.
    for canary in [NAME, PHONE, NOTE, REPLY, FIRST_MESSAGE] {
        assert!(text.contains(canary), "{canary} missing from the export");
    }
    assert!(
        !text.contains(FINDING),
        "the export holds more than the asker reads"
    );
    assert!(!json["sections"].as_array().unwrap().contains(&"vetting".into()));
    assert!(json["answers"].as_array().unwrap().len() >= ANSWERS.len());
    assert!(
        json["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["what"] == "granted" && e["detail"] == "export")
    );

    // Only once.
    assert!(matches!(
        cases::download_export(s, &w.config, &intake, &case, PASSPHRASE, &settings(w), NOW + 120).await,
        Err(CaseError::Rule(CaseRuleError::AlreadyDownloaded))
    ));
    assert!(
        cases::export_offer(s, &intake, &case, NOW + 120)
            .await
            .unwrap()
            .is_none()
    );
    let timeline = cases::view(s, &w.config, &coordinator, &case, NOW + 120)
        .await
        .unwrap()
        .timeline;
    assert_eq!(timeline.iter().filter(|e| e.what == "exported").count(), 1);

    // A closed case can still be exported (a read), with a second person again; the
    // coordinator reads the vetting findings, so their export holds them.
    cases::request_close(
        s,
        &w.config,
        &coordinator,
        &case,
        ClosingOutcome::Withdrew,
        "",
        NOW + 200,
    )
    .await
    .unwrap();
    let close = cases::view(s, &w.config, &vetter, &case, NOW + 200)
        .await
        .unwrap()
        .pending[0]
        .id;
    cases::decide(s, &vetter, &case, close, true, NOW + 200)
        .await
        .unwrap();
    cases::request_export(
        s,
        &w.config,
        &coordinator,
        &case,
        "the file for the archive",
        NOW + 300,
    )
    .await
    .unwrap();
    let again = cases::view(s, &w.config, &intake, &case, NOW + 300)
        .await
        .unwrap()
        .pending[0]
        .id;
    cases::decide(s, &intake, &case, again, true, NOW + 300)
        .await
        .unwrap();
    let file = cases::download_export(
        s,
        &w.config,
        &coordinator,
        &case,
        PASSPHRASE,
        &settings(w),
        NOW + 360,
    )
    .await
    .unwrap();
    let text = cases::open_export(&file.bytes, PASSPHRASE).unwrap();
    assert!(text.contains(FINDING));
    assert!(text.contains("\"stage\": \"closed\""));

    // Asked, granted and downloaded, twice each, in the audit log (ids only).
    assert_eq!(audit_count(w, "export_requested").await, 2);
    assert_eq!(audit_count(w, "export_granted").await, 2);
    assert_eq!(audit_count(w, "export_downloaded").await, 2);
}
