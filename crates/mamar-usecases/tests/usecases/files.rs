//! Attachments and possible duplicates.

use mamar_core::case::{CaseReference, Duty};
use mamar_usecases::cases::{self, CHUNK_BYTES, MatchReason, UploadRefusal};
use mamar_usecases::{CaseError, Identity};

use crate::walk::{call_answers, identity, staffed_case};
use crate::world::{NOW, World};

/// A PDF-looking file of `len` bytes whose body repeats `marker`.
fn pdf(len: usize, marker: &str) -> Vec<u8> {
    let mut file = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    while file.len() < len {
        file.extend_from_slice(marker.as_bytes());
        file.extend_from_slice(&(file.len() as u32).to_le_bytes());
    }
    file.truncate(len);
    file
}

async fn upload(w: &World, who: &crate::world::Person, case: &[u8; 16], file: &[u8], name: &str) {
    let s = w.store.as_ref();
    let mut upload = cases::begin_upload(s, &w.config, &who.caller(), case, NOW)
        .await
        .unwrap();
    // Pieces of uneven sizes, as a network delivers them.
    for piece in file.chunks(7_777) {
        upload.push(s, piece).await.unwrap();
    }
    upload
        .finish(s, &w.config, &who.caller(), name, NOW)
        .await
        .unwrap();
}

async fn download(
    w: &World,
    who: &crate::world::Person,
    case: &[u8; 16],
    id: &[u8; 16],
) -> Result<Vec<u8>, CaseError> {
    let s = w.store.as_ref();
    let opened = cases::open_attachment(s, &w.config, &who.caller(), case, id).await?;
    let mut out = Vec::new();
    for index in 0..opened.chunk_count() {
        out.extend_from_slice(opened.chunk(s, index).await?.expose_secret());
    }
    Ok(out)
}

pub async fn attachments_stream_in_encrypted_and_come_back_whole_to_the_team_only(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let file = pdf(3 * CHUNK_BYTES + 1_234, "وثيقة-سرية");
    upload(w, &w.coordinator, &case, &file, "../scans/هوية\u{202E}.pdf").await;
    let view = cases::view(s, &w.config, &w.vetter.caller(), &case, NOW)
        .await
        .unwrap();
    let [listed] = view.attachments.as_slice() else {
        panic!("one attachment expected, got {:?}", view.attachments);
    };
    assert_eq!(listed.name, "هوية.pdf");
    assert_eq!(listed.content_type, "application/pdf");
    assert_eq!(listed.bytes, file.len() as u64);
    assert!(view.timeline.iter().any(|e| e.what == "attached"));
    // The team gets back exactly the file; what is stored is not it.
    assert_eq!(download(w, &w.vetter, &case, &listed.id).await.unwrap(), file);
    for index in 0..4 {
        let stored = s
            .attachment_chunk(&case, &listed.id, index)
            .await
            .unwrap()
            .unwrap();
        let marker = "وثيقة-سرية".as_bytes();
        assert!(file.windows(marker.len()).any(|w| w == marker));
        assert!(
            !stored.windows(marker.len()).any(|w| w == marker),
            "chunk {index} holds plaintext"
        );
    }
    assert!(s.attachment_chunk(&case, &listed.id, 4).await.unwrap().is_none());
    // People not on the case, and a duty without attachments, get nothing.
    for outsider in [&w.admin, &w.other_vetter, &w.analyst, &w.receiver] {
        assert!(matches!(
            download(w, outsider, &case, &listed.id).await,
            Err(CaseError::NotFound)
        ));
        assert!(matches!(
            cases::begin_upload(s, &w.config, &outsider.caller(), &case, NOW).await,
            Err(CaseError::NotFound)
        ));
    }
    cases::assign(
        s,
        &w.coordinator.caller(),
        &case,
        w.receiver.record.id,
        Duty::Reception,
        NOW,
    )
    .await
    .unwrap();
    assert!(matches!(
        download(w, &w.receiver, &case, &listed.id).await,
        Err(CaseError::NotFound)
    ));
    let receiver_view = cases::view(s, &w.config, &w.receiver.caller(), &case, NOW)
        .await
        .unwrap();
    assert!(receiver_view.attachments.is_empty());
    // After the vetting officer leaves (the case is re-keyed), the team still reads it; they do not.
    cases::unassign(s, &w.coordinator.caller(), &case, w.vetter.record.id, NOW)
        .await
        .unwrap();
    assert_eq!(
        download(w, &w.coordinator, &case, &listed.id).await.unwrap(),
        file
    );
    assert!(matches!(
        download(w, &w.vetter, &case, &listed.id).await,
        Err(CaseError::NotFound)
    ));
}

pub async fn an_upload_that_is_too_large_or_of_the_wrong_kind_leaves_nothing(w: &World) {
    let s = w.store.as_ref();
    let (case, _, _) = staffed_case(w).await;
    let mut small = w.config.clone();
    small.attachment_max_bytes = 2 * CHUNK_BYTES as u64;
    let caller = w.coordinator.caller();
    // Too large: refused as soon as the limit is passed, after two chunks were written.
    let mut upload = cases::begin_upload(s, &small, &caller, &case, NOW).await.unwrap();
    let big = pdf(3 * CHUNK_BYTES, "x");
    let mut refused = None;
    for piece in big.chunks(CHUNK_BYTES / 2) {
        if let Err(error) = upload.push(s, piece).await {
            refused = Some(error);
            break;
        }
    }
    assert!(matches!(
        refused,
        Some(CaseError::Upload(UploadRefusal::TooLarge))
    ));
    upload.abort(s).await.unwrap();
    // A page or a program called .pdf is refused from its first bytes.
    let mut upload = cases::begin_upload(s, &small, &caller, &case, NOW).await.unwrap();
    let page = b"<!doctype html><script>alert(1)</script>".repeat(20);
    assert!(matches!(
        upload.push(s, &page).await,
        Err(CaseError::Upload(UploadRefusal::WrongType))
    ));
    upload.abort(s).await.unwrap();
    // An empty file, and a short one of the wrong kind, are refused at the end.
    let upload = cases::begin_upload(s, &small, &caller, &case, NOW).await.unwrap();
    assert!(matches!(
        upload.finish(s, &small, &caller, "empty.pdf", NOW).await,
        Err(CaseError::Upload(UploadRefusal::Empty))
    ));
    let mut upload = cases::begin_upload(s, &small, &caller, &case, NOW).await.unwrap();
    upload.push(s, b"MZ\x90\x00 a program").await.unwrap();
    assert!(matches!(
        upload.finish(s, &small, &caller, "x.pdf", NOW).await,
        Err(CaseError::Upload(UploadRefusal::WrongType))
    ));
    // An upload left half-way (a closed connection) is swept; nothing of the others is left.
    let mut upload = cases::begin_upload(s, &small, &caller, &case, NOW).await.unwrap();
    upload.push(s, &pdf(CHUNK_BYTES + 10, "y")).await.unwrap();
    drop(upload);
    let day = NOW / 86_400;
    assert_eq!(s.sweep_unfinished_attachments(day).await.unwrap(), 0, "too early");
    let swept = s.sweep_unfinished_attachments(day + 2).await.unwrap();
    // The refused uploads were removed at once; only the abandoned one was left to sweep.
    assert_eq!(swept, 1);
    let view = cases::view(s, &w.config, &caller, &case, NOW).await.unwrap();
    assert!(view.attachments.is_empty());
    assert!(!view.timeline.iter().any(|e| e.what == "attached"));
}

pub async fn close_duplicates_are_found_across_scripts_through_sealed_encodings(w: &World) {
    let s = w.store.as_ref();
    let (first, _, _) = staffed_case(w).await;
    let first_reference =
        CaseReference::parse(&s.case_file(&first).await.unwrap().unwrap().reference.unwrap()).unwrap();
    let answers = call_answers(w);
    // The same man, written in Latin letters by an operator, with another phone: no exact index
    // matches, the keyed encodings do.
    let latin = cases::open_from_call(
        s,
        &w.questionnaire,
        &w.intake.caller(),
        &answers,
        identity("Ahmad Mohammed Al-Ali", "+90 532 000 1111"),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(latin.possible_duplicates, 1);
    let view = cases::view(s, &w.config, &w.intake.caller(), &latin.id, NOW)
        .await
        .unwrap();
    let [(reference, reason)] = view.duplicates.as_slice() else {
        panic!("one possible duplicate expected, got {:?}", view.duplicates);
    };
    assert_eq!(*reference, first_reference);
    assert!(
        matches!(reason, MatchReason::Similar(score) if *score >= 75),
        "{reason:?}"
    );
    // Someone else is not flagged, and nothing was merged: both cases stand.
    let stranger = cases::open_from_call(
        s,
        &w.questionnaire,
        &w.intake.caller(),
        &answers,
        Some(Identity {
            name: "Khaled Hasan Darwish".into(),
            birth_year: Some(1985),
            phone: "+963 933 000 111".into(),
        }),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(stranger.possible_duplicates, 0);
    assert!(s.case_file(&first).await.unwrap().is_some());
    // What is stored is sealed: the encodings are not the same bytes as the encoding of an identity.
    let stored = s.index_entries("case.encoding").await.unwrap();
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().all(|(_, sealed)| sealed.len() > 128 + 24));
}
