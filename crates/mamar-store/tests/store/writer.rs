//! The group-commit writer: every acknowledged write is committed, many
//! share one transaction, and a full queue is refused at once.

use std::sync::Arc;

use mamar_store::{IntakeRequest, IntakeWrite, IntakeWriter, WriteError};

pub fn request(n: u32) -> IntakeWrite {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&n.to_le_bytes());
    IntakeWrite::Request(IntakeRequest {
        id,
        lookup_tag: id.to_vec(),
        requester_key: vec![1; 32],
        sealed: vec![2; 200],
        intake_generation: 1,
        received_month: "2026-11".into(),
        own_copy: Some(vec![3; 120]),
    })
}

async fn check(db: crate::TestDb) {
    let writer = IntakeWriter::spawn(db.store.clone(), 1024, 64);
    let tasks: Vec<_> = (0..500)
        .map(|n| {
            let writer = writer.clone();
            tokio::spawn(async move { writer.submit(request(n)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    // Acknowledged means stored.
    let stored = db.store.intake_requests(1000).await.unwrap();
    assert_eq!(stored.len(), 500);
    // With the requester's own copy, written in the same statement as the request.
    assert!(
        stored
            .iter()
            .all(|r| r.own_copy.as_deref() == Some(&[3; 120][..]))
    );

    // A duplicate fails alone; the writes batched with it still commit.
    let duplicate = writer.submit(request(7));
    let fresh = writer.submit(request(9_999));
    let (duplicate, fresh) = tokio::join!(duplicate, fresh);
    assert!(matches!(duplicate, Err(WriteError::Failed(_))), "{duplicate:?}");
    fresh.unwrap();
    db.store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_commits_every_acknowledged_write() {
    check(crate::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_commits_every_acknowledged_write() {
    check(crate::postgres().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_is_refused_at_once_and_loses_nothing_accepted() {
    let db = crate::sqlite().await;
    // A queue of one and batches of one, flooded by 300 writers at once.
    let writer = IntakeWriter::spawn(Arc::clone(&db.store), 1, 1);
    let tasks: Vec<_> = (0..300)
        .map(|n| {
            let writer = writer.clone();
            tokio::spawn(async move { (n, writer.submit(request(n)).await) })
        })
        .collect();
    let (mut accepted, mut busy) = (Vec::new(), 0);
    for task in tasks {
        match task.await.unwrap() {
            (n, Ok(())) => accepted.push(n),
            (_, Err(WriteError::Busy)) => busy += 1,
            (_, Err(other)) => panic!("{other:?}"),
        }
    }
    assert!(busy > 0, "a bounded queue must refuse when full");
    let stored = db.store.intake_requests(1000).await.unwrap();
    assert_eq!(
        stored.len(),
        accepted.len(),
        "every accepted write is stored, nothing else"
    );
}
