//! Group commit for the intake path. One task owns all intake writes: it
//! takes whatever is queued (up to a batch), commits it in one transaction
//! (one sync), and only then tells each submitter it is durable. The queue
//! is bounded: when it is full, `submit` says so at once, and the caller
//! answers 503 instead of letting memory grow.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{mpsc, oneshot};

use crate::{IntakeWrite, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the intake queue is full")]
    Busy,
    #[error("the intake writer has stopped")]
    Stopped,
    #[error("the intake write failed: {0}")]
    Failed(String),
}

struct Job {
    write: IntakeWrite,
    done: oneshot::Sender<Result<(), WriteError>>,
}

/// A handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct IntakeWriter {
    queue: mpsc::Sender<Job>,
    /// Set while the newest commit failed for a reason of the storage (a
    /// full disk, an I/O error), cleared by the next commit that succeeds.
    failing: Arc<AtomicBool>,
}

/// Queue length and batch size that keep latency low at thousands of writes per second.
pub const DEFAULT_QUEUE: usize = 4096;
pub const DEFAULT_BATCH: usize = 256;

impl IntakeWriter {
    /// Starts the writer on the current Tokio runtime. It stops when every
    /// handle is dropped, after committing what was queued.
    pub fn spawn(store: Arc<dyn Store>, queue: usize, batch: usize) -> IntakeWriter {
        let (sender, receiver) = mpsc::channel(queue.max(1));
        let failing = Arc::new(AtomicBool::new(false));
        tokio::spawn(run(store, receiver, batch.max(1), failing.clone()));
        IntakeWriter {
            queue: sender,
            failing,
        }
    }

    /// Whether the newest commit failed for a reason of the storage (not of
    /// the data): for `/health`.
    pub fn is_failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// Queues `write` and waits until it is committed. Returns `Busy` at once
    /// when the queue is full.
    pub async fn submit(&self, write: IntakeWrite) -> Result<(), WriteError> {
        let (done, committed) = oneshot::channel();
        self.queue
            .try_send(Job { write, done })
            .map_err(|error| match error {
                mpsc::error::TrySendError::Full(_) => WriteError::Busy,
                mpsc::error::TrySendError::Closed(_) => WriteError::Stopped,
            })?;
        committed.await.map_err(|_| WriteError::Stopped)?
    }
}

/// Whether `error` lies in the data of one write (a duplicate, a message to
/// a request deleted meanwhile) rather than in the storage.
fn is_data_error(error: &StoreError) -> bool {
    match error {
        StoreError::Database(sqlx::Error::Database(db)) => {
            !matches!(db.kind(), sqlx::error::ErrorKind::Other)
        }
        _ => false,
    }
}

async fn run(
    store: Arc<dyn Store>,
    mut receiver: mpsc::Receiver<Job>,
    batch: usize,
    failing: Arc<AtomicBool>,
) {
    let mut jobs = Vec::with_capacity(batch);
    let mut writes = Vec::with_capacity(batch);
    let mut waiting = Vec::with_capacity(batch);
    while receiver.recv_many(&mut jobs, batch).await > 0 {
        for Job { write, done } in jobs.drain(..) {
            writes.push(write);
            waiting.push(done);
        }
        match store.apply_intake(&writes).await {
            Ok(()) => {
                failing.store(false, Ordering::Relaxed);
                for done in waiting.drain(..) {
                    let _ = done.send(Ok(()));
                }
            }
            // The storage failed (a full disk, an I/O error): the transaction
            // is gone and every write in it fails; the pool has closed the
            // connection, and the next batch starts afresh.
            Err(batch_error) if !is_data_error(&batch_error) => {
                failing.store(true, Ordering::Relaxed);
                tracing::error!(error = %batch_error, size = writes.len(), "intake batch failed; none of it is stored");
                let reason = batch_error.to_string();
                for done in waiting.drain(..) {
                    let _ = done.send(Err(WriteError::Failed(reason.clone())));
                }
            }
            // One bad write must not sink the others: retry each alone.
            Err(batch_error) => {
                tracing::warn!(error = %batch_error, size = writes.len(), "intake batch failed; retrying one by one");
                for (write, done) in writes.iter().zip(waiting.drain(..)) {
                    let outcome = store
                        .apply_intake(std::slice::from_ref(write))
                        .await
                        .map_err(|error: StoreError| WriteError::Failed(error.to_string()));
                    let _ = done.send(outcome);
                }
            }
        }
        writes.clear();
    }
}
