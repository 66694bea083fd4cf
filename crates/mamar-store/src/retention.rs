//! Closure and retention (issue 16): the statistical facets that outlive a
//! case, and the crypto-shredding of a case's identifying data. A separate
//! trait from [`crate::Store`] (which requires it).
//!
//! Facets live in `case_facets` under a random id that is not the case's id:
//! only the case's own encrypted content says which row is its. The registry
//! reads every row with [`RetentionStore::all_sealed_facets`] and opens them
//! with the analytics key (`mamar_usecases::facets::open_all`).
//!
//! Shredding a case ([`RetentionStore::shred_case`]) deletes, in one
//! transaction, its key grants and escrow wrap (the case key exists nowhere
//! else), its break-glass requests and grants, every
//! content row (records, approvals, blind indexes and sealed encodings,
//! attachments and their chunks, the team) and the request it came from with
//! every message on it; [`RetentionStore::reclaim_space`] then makes sure no
//! copy is left in the database file, its write-ahead log or free pages.

use crate::StoreError;

/// One case's facets, sealed to the analytics key's public half of
/// `generation`. `id` is random and is not the case's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedFacets {
    pub id: [u8; 16],
    pub generation: i64,
    pub sealed: Vec<u8>,
}

/// What shredding removed (counts only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShredReport {
    /// The cases that existed and are gone.
    pub shredded: Vec<[u8; 16]>,
    /// Rows deleted, over every table.
    pub rows: u64,
}

#[async_trait::async_trait]
pub trait RetentionStore: Send + Sync {
    /// Writes (or replaces) one facet row.
    async fn put_facets(&self, facets: &SealedFacets) -> Result<(), StoreError>;

    /// Every facet row, in the order of their random ids: what the registry counts.
    async fn all_sealed_facets(&self) -> Result<Vec<SealedFacets>, StoreError>;

    /// Up to `limit` cases closed on day `day` or earlier (days since the Unix epoch) and
    /// still closed.
    async fn cases_closed_by(&self, day: i64, limit: u32) -> Result<Vec<[u8; 16]>, StoreError>;

    /// Deletes every row of each of `cases` and of the requests they came from, all in one
    /// transaction. Facet rows are not touched (nothing here knows which is a case's).
    async fn shred_cases(&self, cases: &[[u8; 16]]) -> Result<ShredReport, StoreError>;

    /// After shredding: overwrites what the deletions freed. SQLite (with `secure_delete` on):
    /// checkpoints and truncates the write-ahead log, `VACUUM`s the file (its free pages go),
    /// and truncates the log again. PostgreSQL: `VACUUM FULL` of the small tables that held
    /// keys, blind indexes and the requester's key (rewritten without the dead rows), plain
    /// `VACUUM` of the large ciphertext tables (whose keys are gone).
    async fn reclaim_space(&self) -> Result<(), StoreError>;
}

/// The statements of [`RetentionStore::shred_case`], in order; each binds the case id once,
/// but the two on the request, which bind the request id.
pub(crate) const SHRED_CASE: &[&str] = &[
    "DELETE FROM case_attachment_chunk WHERE attachment_id IN (SELECT id FROM case_attachment WHERE case_id = ?)",
    "DELETE FROM case_attachment WHERE case_id = ?",
    "DELETE FROM case_index WHERE case_id = ?",
    "DELETE FROM case_approval WHERE case_id = ?",
    "DELETE FROM referral_grant WHERE referral_id IN (SELECT id FROM referral WHERE case_id = ?)",
    "DELETE FROM referral WHERE case_id = ?",
    "DELETE FROM referral_consent WHERE case_id = ?",
    "DELETE FROM case_record WHERE case_id = ?",
    "DELETE FROM case_key_grant WHERE case_id = ?",
    "DELETE FROM case_escrow WHERE case_id = ?",
    "DELETE FROM case_rekey_due WHERE case_id = ?",
    "DELETE FROM break_glass_approval WHERE request_id IN (SELECT id FROM break_glass_request WHERE case_id = ?)",
    "DELETE FROM break_glass_reason WHERE request_id IN (SELECT id FROM break_glass_request WHERE case_id = ?)",
    "DELETE FROM break_glass_request WHERE case_id = ?",
    "DELETE FROM case_assignment WHERE case_id = ?",
    "DELETE FROM case_file WHERE id = ?",
];

pub(crate) const SHRED_REQUEST: &[&str] = &[
    "DELETE FROM intake_message WHERE request_id = ?",
    "DELETE FROM intake_request WHERE id = ?",
];

/// `impl RetentionStore for $store`, expanded by each backend with its own `q` and pool;
/// the backend supplies `reclaim_freed(&self)`.
macro_rules! retention_impl {
    ($store:ty, $conn:ty) => {
        #[async_trait::async_trait]
        impl $crate::retention::RetentionStore for $store {
            async fn put_facets(&self, facets: &$crate::retention::SealedFacets) -> Result<(), StoreError> {
                let mut conn = self.pool.acquire().await?;
                Self::upsert_facets(&mut *conn, facets).await
            }

            async fn all_sealed_facets(&self) -> Result<Vec<$crate::retention::SealedFacets>, StoreError> {
                let rows = sqlx::query(&q("SELECT id, generation, sealed FROM case_facets ORDER BY id"))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok($crate::retention::SealedFacets {
                            id: id16(row.try_get::<&[u8], _>(0)?, "facets")?,
                            generation: row.try_get(1)?,
                            sealed: row.try_get(2)?,
                        })
                    })
                    .collect()
            }

            async fn cases_closed_by(&self, day: i64, limit: u32) -> Result<Vec<[u8; 16]>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT id FROM case_file WHERE closed_day IS NOT NULL AND closed_day <= ? AND stage = ? \
                     ORDER BY closed_day, id LIMIT ?",
                ))
                .bind(day)
                .bind("closed")
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(|row| id16(row.try_get::<&[u8], _>(0)?, "case")).collect()
            }

            async fn shred_cases(&self, cases: &[[u8; 16]]) -> Result<$crate::retention::ShredReport, StoreError> {
                let mut tx = self.pool.begin().await?;
                let mut report = $crate::retention::ShredReport::default();
                for case in cases {
                    let row = sqlx::query(&q("SELECT request_id FROM case_file WHERE id = ?"))
                        .bind(case.as_slice())
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some(row) = row else { continue };
                    let request: Option<Vec<u8>> = row.try_get(0)?;
                    for statement in $crate::retention::SHRED_CASE {
                        report.rows += sqlx::query(&q(statement))
                            .bind(case.as_slice())
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    }
                    if let Some(request) = request {
                        for statement in $crate::retention::SHRED_REQUEST {
                            report.rows += sqlx::query(&q(statement))
                                .bind(request.as_slice())
                                .execute(&mut *tx)
                                .await?
                                .rows_affected();
                        }
                    }
                    report.shredded.push(*case);
                }
                tx.commit().await?;
                Ok(report)
            }

            async fn reclaim_space(&self) -> Result<(), StoreError> {
                self.reclaim_freed().await
            }
        }

        impl $store {
            pub(crate) async fn upsert_facets(
                conn: &mut $conn,
                facets: &$crate::retention::SealedFacets,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO case_facets (id, generation, sealed) VALUES (?, ?, ?) \
                     ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, sealed = excluded.sealed",
                ))
                .bind(facets.id.as_slice())
                .bind(facets.generation)
                .bind(&facets.sealed)
                .execute(conn)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use retention_impl;
