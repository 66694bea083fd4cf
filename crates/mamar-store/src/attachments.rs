//! Attachments of a case as the store keeps them: encrypted chunks written
//! one by one as an upload streams in, so no whole file is ever held in
//! memory or written in plaintext anywhere. An attachment is readable only
//! once the case change that records it has committed (see
//! [`crate::CaseChange::complete_attachments`]); an upload that never
//! finished is swept away.

/// `impl AttachmentStore for $store`, expanded by each backend.
#[async_trait::async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Starts an upload to `case`. Nothing can read it until it completes.
    async fn begin_attachment(
        &self,
        id: &[u8; 16],
        case: &[u8; 16],
        day: i64,
    ) -> Result<(), crate::StoreError>;

    /// Appends chunk `seq` (0, 1, 2, … in order) of an unfinished upload.
    async fn add_attachment_chunk(
        &self,
        id: &[u8; 16],
        seq: u32,
        ciphertext: &[u8],
    ) -> Result<(), crate::StoreError>;

    /// How many chunks a completed attachment of `case` has; `None` when there is no such
    /// completed attachment.
    async fn attachment_chunks(
        &self,
        case: &[u8; 16],
        id: &[u8; 16],
    ) -> Result<Option<u32>, crate::StoreError>;

    /// Chunk `seq` of a completed attachment of `case`.
    async fn attachment_chunk(
        &self,
        case: &[u8; 16],
        id: &[u8; 16],
        seq: u32,
    ) -> Result<Option<Vec<u8>>, crate::StoreError>;

    /// Removes an unfinished upload and its chunks (a refused or broken upload).
    async fn discard_attachment(&self, id: &[u8; 16]) -> Result<(), crate::StoreError>;

    /// Removes every upload still unfinished that began before `day`; how many.
    async fn sweep_unfinished_attachments(&self, before_day: i64) -> Result<u64, crate::StoreError>;
}

macro_rules! attachments_impl {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::attachments::AttachmentStore for $store {
            async fn begin_attachment(&self, id: &[u8; 16], case: &[u8; 16], day: i64) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO case_attachment (id, case_id, started_day, chunks, complete) VALUES (?, ?, ?, 0, ?)",
                ))
                .bind(id.as_slice())
                .bind(case.as_slice())
                .bind(day)
                .bind(false)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn add_attachment_chunk(&self, id: &[u8; 16], seq: u32, ciphertext: &[u8]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let updated = sqlx::query(&q(
                    "UPDATE case_attachment SET chunks = chunks + 1 WHERE id = ? AND complete = ? AND chunks = ?",
                ))
                .bind(id.as_slice())
                .bind(false)
                .bind(i64::from(seq))
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::UploadGone);
                }
                sqlx::query(&q(
                    "INSERT INTO case_attachment_chunk (attachment_id, seq, ciphertext) VALUES (?, ?, ?)",
                ))
                .bind(id.as_slice())
                .bind(i64::from(seq))
                .bind(ciphertext)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn attachment_chunks(&self, case: &[u8; 16], id: &[u8; 16]) -> Result<Option<u32>, StoreError> {
                let row = sqlx::query(&q(
                    "SELECT chunks FROM case_attachment WHERE id = ? AND case_id = ? AND complete = ?",
                ))
                .bind(id.as_slice())
                .bind(case.as_slice())
                .bind(true)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    let chunks: i64 = row.try_get(0)?;
                    u32::try_from(chunks).map_err(|_| StoreError::Corrupt("attachment chunk count".into()))
                })
                .transpose()
            }

            async fn attachment_chunk(
                &self,
                case: &[u8; 16],
                id: &[u8; 16],
                seq: u32,
            ) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q(
                    "SELECT k.ciphertext FROM case_attachment_chunk k JOIN case_attachment a ON a.id = k.attachment_id \
                     WHERE a.id = ? AND a.case_id = ? AND a.complete = ? AND k.seq = ?",
                ))
                .bind(id.as_slice())
                .bind(case.as_slice())
                .bind(true)
                .bind(i64::from(seq))
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|row| row.try_get(0)).transpose()?)
            }

            async fn discard_attachment(&self, id: &[u8; 16]) -> Result<(), StoreError> {
                sqlx::query(&q("DELETE FROM case_attachment WHERE id = ? AND complete = ?"))
                    .bind(id.as_slice())
                    .bind(false)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn sweep_unfinished_attachments(&self, before_day: i64) -> Result<u64, StoreError> {
                let done = sqlx::query(&q("DELETE FROM case_attachment WHERE complete = ? AND started_day < ?"))
                    .bind(false)
                    .bind(before_day)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use attachments_impl;
