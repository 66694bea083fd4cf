//! Cases as the store keeps them: the few values the rules must check
//! without anyone's keys (stage, frozen flag, owner, who is on the case with
//! which duty, waiting approvals' kinds), and ciphertext for everything
//! else. A separate trait from [`crate::Store`] (which requires it), like
//! [`crate::AccountStore`]. Every change to a case is one transaction that
//! checks the case's version, so two people acting at once cannot both win.

use mamar_core::StaffId;

use crate::model::NewCaseRecord;
use crate::{IntakeRequest, StoreError};

/// A waiting decision. `sealed` (the decision itself) is under the case key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseApproval {
    pub id: [u8; 16],
    pub case_id: [u8; 16],
    pub kind: String,
    pub requested_by: StaffId,
    pub expires_at: i64,
    pub sealed: Vec<u8>,
}

/// A case's visible state and team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub id: [u8; 16],
    pub reference: Option<String>,
    pub stage: String,
    pub frozen: bool,
    pub owner: Option<StaffId>,
    pub source: String,
    pub request_id: Option<[u8; 16]>,
    pub opened_on: String,
    /// Days since the Unix epoch of the last change: coarse on purpose.
    pub active_day: i64,
    pub version: i64,
    /// (staff, duty code)
    pub team: Vec<(StaffId, String)>,
    pub approvals: Vec<CaseApproval>,
}

/// A case being opened, with everything it starts with.
#[derive(Debug, Clone)]
pub struct NewCaseFile {
    pub id: [u8; 16],
    pub reference: String,
    pub stage: String,
    pub owner: StaffId,
    pub source: String,
    /// The request it was opened from: its sealed answers and the
    /// requester's messages are removed from the intake tables in the same
    /// transaction (they now live, re-encrypted, in the case), and the
    /// requester's later messages are sealed to `forward_key`.
    pub request_id: Option<[u8; 16]>,
    pub forward_key: Option<Vec<u8>>,
    pub opened_on: String,
    pub active_day: i64,
    pub team: Vec<(StaffId, String)>,
    pub grants: Vec<(StaffId, Vec<u8>)>,
    /// The case key wrapped to the break-glass escrow key, once break-glass is set up.
    pub escrow: Option<Vec<u8>>,
    pub records: Vec<NewCaseRecord>,
    /// (field, blind-index tag)
    pub index: Vec<(String, Vec<u8>)>,
    /// The case's facets (their row id is kept only inside the case's records).
    pub facets: Option<crate::SealedFacets>,
}

/// One change to a case, all or nothing.
#[derive(Debug, Clone, Default)]
pub struct CaseChange {
    /// The version read before deciding; the change fails with
    /// [`StoreError::Conflict`] if the case moved on since.
    pub expected_version: i64,
    pub stage: String,
    pub frozen: bool,
    pub owner: Option<StaffId>,
    pub active_day: i64,
    /// The whole team after the change.
    pub team: Vec<(StaffId, String)>,
    /// Case keys wrapped to people joining the case.
    pub add_grants: Vec<(StaffId, Vec<u8>)>,
    pub add_approvals: Vec<CaseApproval>,
    pub remove_approvals: Vec<[u8; 16]>,
    pub add_records: Vec<NewCaseRecord>,
    pub add_index: Vec<(String, Vec<u8>)>,
    /// Uploads of this case that the change's records describe: readable from now on. The
    /// change fails with [`StoreError::UploadGone`] if one is not an unfinished upload of
    /// this case.
    pub complete_attachments: Vec<[u8; 16]>,
    /// A new case key: every grant replaced, every record and approval re-encrypted.
    pub rekey: Option<Rekey>,
    /// The case's facets sealed afresh (written or replaced).
    pub facets: Option<crate::SealedFacets>,
}

#[derive(Debug, Clone, Default)]
pub struct Rekey {
    pub grants: Vec<(StaffId, Vec<u8>)>,
    pub records: Vec<([u8; 16], Vec<u8>)>,
    pub approvals: Vec<([u8; 16], Vec<u8>)>,
    /// The case's new inbox key for the requester's messages.
    pub forward_key: Option<Vec<u8>>,
    /// The new key wrapped to the break-glass escrow key (the old wrap is deleted either way).
    pub escrow: Option<Vec<u8>>,
}

/// One case of a person's list: the visible state, their own wrapped case
/// key and the case's summary record, so a list needs no further reads.
#[derive(Debug, Clone)]
pub struct CaseListEntry {
    pub file: CaseFile,
    pub wrapped_key: Vec<u8>,
    pub summary: Option<NewCaseRecord>,
    /// A message from the requester waits for an answer.
    pub awaiting_reply: bool,
}

/// A message on a case's request: from the requester (sealed to the case's
/// inbox key when `to_case`, else to the intake key) or a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInboxMessage {
    pub id: [u8; 16],
    pub from_requester: bool,
    pub to_case: bool,
    pub sealed: Vec<u8>,
}

/// The kind of the record that holds a case's summary for lists.
pub const SUMMARY_KIND: &str = "case.summary";

#[async_trait::async_trait]
pub trait CaseStore: Send + Sync {
    /// Opens a case. Fails with [`StoreError::ReferenceTaken`] when the
    /// reference is in use (draw another), and with
    /// [`StoreError::AlreadyOpened`] when the request is a case already.
    async fn open_case(&self, case: &NewCaseFile) -> Result<(), StoreError>;

    async fn case_file(&self, id: &[u8; 16]) -> Result<Option<CaseFile>, StoreError>;

    async fn case_by_reference(&self, reference: &str) -> Result<Option<[u8; 16]>, StoreError>;

    async fn case_by_request(&self, request: &[u8; 16]) -> Result<Option<[u8; 16]>, StoreError>;

    /// The public key a request's new messages are sealed to, once it is a case.
    async fn forward_key(&self, request: &[u8; 16]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Applies one change (see [`CaseChange`]).
    async fn change_case(&self, case: &[u8; 16], change: &CaseChange) -> Result<(), StoreError>;

    /// Every case `staff` holds a key to, newest activity first, at most `limit`.
    async fn cases_for_staff(&self, staff: StaffId, limit: u32) -> Result<Vec<CaseListEntry>, StoreError>;

    /// `staff`'s wrapped key of one case.
    async fn case_grant(&self, case: &[u8; 16], staff: StaffId) -> Result<Option<Vec<u8>>, StoreError>;

    /// Cases whose blind index `field` holds `tag`.
    async fn cases_by_index(&self, field: &str, tag: &[u8]) -> Result<Vec<[u8; 16]>, StoreError>;

    /// Every (case, tag) of the index `field`: for comparisons an exact look-up cannot make
    /// (the sealed linkage encodings compared for possible duplicates).
    async fn index_entries(&self, field: &str) -> Result<Vec<([u8; 16], Vec<u8>)>, StoreError>;

    /// Approvals on cases `staff` is on, asked by someone else, not expired at `now`.
    async fn approvals_waiting_for(&self, staff: StaffId, now: i64) -> Result<Vec<CaseApproval>, StoreError>;

    /// Requests not yet opened as cases, newest first.
    async fn open_requests(&self, offset: u32, limit: u32) -> Result<Vec<IntakeRequest>, StoreError>;

    async fn open_request_count(&self) -> Result<u64, StoreError>;

    /// The messages on a case's request, in order.
    async fn case_inbox(&self, request: &[u8; 16]) -> Result<Vec<CaseInboxMessage>, StoreError>;

    /// A requester's message to a case's team, sealed to the case's inbox
    /// key, with what the requester keeps of it; durable when this returns.
    async fn add_case_inbox_message(
        &self,
        request: &[u8; 16],
        id: &[u8; 16],
        sealed: &[u8],
        own: Option<&crate::model::OwnCopy>,
    ) -> Result<(), StoreError>;
}

/// `impl CaseStore for $store`, expanded by each backend with its own `q`,
/// pool and row type.
macro_rules! cases_impl {
    ($store:ty, $conn:ty, $row:ty) => {
        impl $store {
            async fn insert_case_record(
                conn: &mut $conn,
                case: &[u8; 16],
                record: &NewCaseRecord,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO case_record (id, case_id, kind, schema_version, ciphertext, seq) VALUES (?, ?, ?, ?, ?, \
                     (SELECT COALESCE(MAX(seq), 0) + 1 FROM case_record WHERE case_id = ?))",
                ))
                .bind(record.id.as_slice())
                .bind(case.as_slice())
                .bind(&record.kind)
                .bind(record.schema_version)
                .bind(&record.ciphertext)
                .bind(case.as_slice())
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            async fn insert_case_grants(
                conn: &mut $conn,
                case: &[u8; 16],
                grants: &[(StaffId, Vec<u8>)],
            ) -> Result<(), StoreError> {
                for (staff, wrapped) in grants {
                    sqlx::query(&q(sql::INSERT_CASE_GRANT))
                        .bind(case.as_slice())
                        .bind(staff.as_bytes().as_slice())
                        .bind(wrapped)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            async fn insert_case_escrow(conn: &mut $conn, case: &[u8; 16], wrapped: &[u8]) -> Result<(), StoreError> {
                sqlx::query(&q("INSERT INTO case_escrow (case_id, wrapped) VALUES (?, ?)"))
                    .bind(case.as_slice())
                    .bind(wrapped)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            async fn insert_team(
                conn: &mut $conn,
                case: &[u8; 16],
                team: &[(StaffId, String)],
            ) -> Result<(), StoreError> {
                for (staff, duty) in team {
                    sqlx::query(&q("INSERT INTO case_assignment (case_id, staff_id, duty) VALUES (?, ?, ?)"))
                        .bind(case.as_slice())
                        .bind(staff.as_bytes().as_slice())
                        .bind(duty)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            async fn insert_case_index(
                conn: &mut $conn,
                case: &[u8; 16],
                field: &str,
                tag: &[u8],
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO case_index (case_id, field, tag) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                ))
                .bind(case.as_slice())
                .bind(field)
                .bind(tag)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            fn case_file_from_row(row: &$row) -> Result<CaseFile, StoreError> {
                let owner: Option<Vec<u8>> = row.try_get("owner_id")?;
                let request: Option<Vec<u8>> = row.try_get("request_id")?;
                Ok(CaseFile {
                    id: id16(row.try_get::<&[u8], _>("id")?, "case")?,
                    reference: row.try_get("reference")?,
                    stage: row.try_get("stage")?,
                    frozen: row.try_get("frozen")?,
                    owner: owner.as_deref().map(staff_id_from_bytes).transpose()?,
                    source: row.try_get("source")?,
                    request_id: request.as_deref().map(|r| id16(r, "request")).transpose()?,
                    opened_on: row.try_get("opened_on")?,
                    active_day: row.try_get("active_day")?,
                    version: row.try_get("version")?,
                    team: Vec::new(),
                    approvals: Vec::new(),
                })
            }

            fn approval_from_row(row: &$row) -> Result<CaseApproval, StoreError> {
                Ok(CaseApproval {
                    id: id16(row.try_get::<&[u8], _>(0)?, "approval")?,
                    case_id: id16(row.try_get::<&[u8], _>(1)?, "case")?,
                    kind: row.try_get(2)?,
                    requested_by: staff_id_from_bytes(row.try_get::<&[u8], _>(3)?)?,
                    expires_at: row.try_get(4)?,
                    sealed: row.try_get(5)?,
                })
            }

            async fn team_of(&self, case: &[u8; 16]) -> Result<Vec<(StaffId, String)>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT staff_id, duty FROM case_assignment WHERE case_id = ? ORDER BY duty, staff_id",
                ))
                .bind(case.as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| Ok((staff_id_from_bytes(row.try_get::<&[u8], _>(0)?)?, row.try_get(1)?)))
                    .collect()
            }
        }

        #[async_trait::async_trait]
        impl CaseStore for $store {
            async fn open_case(&self, case: &NewCaseFile) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                if let Some(request) = &case.request_id {
                    let opened = sqlx::query(&q("SELECT 1 FROM case_file WHERE request_id = ?"))
                        .bind(request.as_slice())
                        .fetch_optional(&mut *tx)
                        .await?;
                    if opened.is_some() {
                        return Err(StoreError::AlreadyOpened);
                    }
                }
                sqlx::query(&q(
                    "INSERT INTO case_file (id, stage, opened_on, reference, frozen, owner_id, source, \
                     request_id, active_day, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                ))
                .bind(case.id.as_slice())
                .bind(&case.stage)
                .bind(&case.opened_on)
                .bind(&case.reference)
                .bind(false)
                .bind(case.owner.as_bytes().as_slice())
                .bind(&case.source)
                .bind(case.request_id.as_ref().map(|r| r.as_slice()))
                .bind(case.active_day)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_unique_violation(e, StoreError::ReferenceTaken))?;
                Self::insert_team(&mut *tx, &case.id, &case.team).await?;
                Self::insert_case_grants(&mut *tx, &case.id, &case.grants).await?;
                if let Some(escrow) = &case.escrow {
                    Self::insert_case_escrow(&mut *tx, &case.id, escrow).await?;
                }
                for record in &case.records {
                    Self::insert_case_record(&mut *tx, &case.id, record).await?;
                }
                for (field, tag) in &case.index {
                    Self::insert_case_index(&mut *tx, &case.id, field, tag).await?;
                }
                if let Some(facets) = &case.facets {
                    Self::upsert_facets(&mut *tx, facets).await?;
                }
                if let Some(request) = &case.request_id {
                    // What the intake key could read of this request now lives in the case only.
                    sqlx::query(&q("UPDATE intake_request SET sealed = ?, forward_key = ? WHERE id = ?"))
                        .bind(Vec::<u8>::new())
                        .bind(&case.forward_key)
                        .bind(request.as_slice())
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(&q(
                        "DELETE FROM intake_message WHERE request_id = ? AND from_requester = ? AND to_case = ?",
                    ))
                    .bind(request.as_slice())
                    .bind(true)
                    .bind(false)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(&q("UPDATE intake_message SET staff_copy = NULL WHERE request_id = ?"))
                        .bind(request.as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn case_file(&self, id: &[u8; 16]) -> Result<Option<CaseFile>, StoreError> {
                let sql = format!("SELECT {CASE_FILE_COLUMNS} FROM case_file WHERE id = ?");
                let row = sqlx::query(&q(&sql)).bind(id.as_slice()).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                let mut file = Self::case_file_from_row(&row)?;
                file.team = self.team_of(id).await?;
                let rows = sqlx::query(&q(
                    "SELECT id, case_id, kind, requested_by, expires_at, sealed FROM case_approval WHERE case_id = ?",
                ))
                .bind(id.as_slice())
                .fetch_all(&self.pool)
                .await?;
                file.approvals = rows.iter().map(Self::approval_from_row).collect::<Result<_, _>>()?;
                Ok(Some(file))
            }

            async fn case_by_reference(&self, reference: &str) -> Result<Option<[u8; 16]>, StoreError> {
                let row = sqlx::query(&q("SELECT id FROM case_file WHERE reference = ?"))
                    .bind(reference)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| id16(row.try_get::<&[u8], _>(0)?, "case")).transpose()
            }

            async fn case_by_request(&self, request: &[u8; 16]) -> Result<Option<[u8; 16]>, StoreError> {
                let row = sqlx::query(&q("SELECT id FROM case_file WHERE request_id = ?"))
                    .bind(request.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| id16(row.try_get::<&[u8], _>(0)?, "case")).transpose()
            }

            async fn forward_key(&self, request: &[u8; 16]) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q("SELECT forward_key FROM intake_request WHERE id = ?"))
                    .bind(request.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get::<Option<Vec<u8>>, _>(0)).transpose()?.flatten())
            }

            async fn change_case(&self, case: &[u8; 16], change: &CaseChange) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let updated = sqlx::query(&q(
                    "UPDATE case_file SET stage = ?, frozen = ?, owner_id = ?, active_day = ?, version = version + 1, \
                     closed_day = CASE WHEN ? THEN COALESCE(closed_day, ?) ELSE NULL END \
                     WHERE id = ? AND version = ?",
                ))
                .bind(&change.stage)
                .bind(change.frozen)
                .bind(change.owner.as_ref().map(|o| o.as_bytes().as_slice()))
                .bind(change.active_day)
                .bind(change.stage == "closed")
                .bind(change.active_day)
                .bind(case.as_slice())
                .bind(change.expected_version)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict);
                }
                sqlx::query(&q("DELETE FROM case_assignment WHERE case_id = ?"))
                    .bind(case.as_slice())
                    .execute(&mut *tx)
                    .await?;
                Self::insert_team(&mut *tx, case, &change.team).await?;
                for id in &change.remove_approvals {
                    sqlx::query(&q("DELETE FROM case_approval WHERE id = ? AND case_id = ?"))
                        .bind(id.as_slice())
                        .bind(case.as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(rekey) = &change.rekey {
                    sqlx::query(&q(sql::DELETE_CASE_GRANTS))
                        .bind(case.as_slice())
                        .execute(&mut *tx)
                        .await?;
                    for statement in $crate::breakglass::DROP_ESCROW {
                        sqlx::query(&q(statement)).bind(case.as_slice()).execute(&mut *tx).await?;
                    }
                    if let Some(escrow) = &rekey.escrow {
                        Self::insert_case_escrow(&mut *tx, case, escrow).await?;
                    }
                    Self::insert_case_grants(&mut *tx, case, &rekey.grants).await?;
                    for (id, ciphertext) in &rekey.records {
                        let done = sqlx::query(&q(sql::UPDATE_CASE_RECORD))
                            .bind(ciphertext)
                            .bind(id.as_slice())
                            .bind(case.as_slice())
                            .execute(&mut *tx)
                            .await?;
                        if done.rows_affected() != 1 {
                            return Err(StoreError::Conflict);
                        }
                    }
                    for (id, sealed) in &rekey.approvals {
                        sqlx::query(&q("UPDATE case_approval SET sealed = ? WHERE id = ? AND case_id = ?"))
                            .bind(sealed)
                            .bind(id.as_slice())
                            .bind(case.as_slice())
                            .execute(&mut *tx)
                            .await?;
                    }
                    if let Some(key) = &rekey.forward_key {
                        sqlx::query(&q(
                            "UPDATE intake_request SET forward_key = ? WHERE id = (SELECT request_id FROM case_file WHERE id = ?)",
                        ))
                        .bind(key)
                        .bind(case.as_slice())
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                Self::insert_case_grants(&mut *tx, case, &change.add_grants).await?;
                for approval in &change.add_approvals {
                    sqlx::query(&q(
                        "INSERT INTO case_approval (id, case_id, kind, requested_by, expires_at, sealed) \
                         VALUES (?, ?, ?, ?, ?, ?)",
                    ))
                    .bind(approval.id.as_slice())
                    .bind(case.as_slice())
                    .bind(&approval.kind)
                    .bind(approval.requested_by.as_bytes().as_slice())
                    .bind(approval.expires_at)
                    .bind(&approval.sealed)
                    .execute(&mut *tx)
                    .await?;
                }
                for record in &change.add_records {
                    Self::insert_case_record(&mut *tx, case, record).await?;
                }
                for (field, tag) in &change.add_index {
                    Self::insert_case_index(&mut *tx, case, field, tag).await?;
                }
                if let Some(facets) = &change.facets {
                    Self::upsert_facets(&mut *tx, facets).await?;
                }
                for attachment in &change.complete_attachments {
                    let done = sqlx::query(&q(
                        "UPDATE case_attachment SET complete = ? WHERE id = ? AND case_id = ? AND complete = ?",
                    ))
                    .bind(true)
                    .bind(attachment.as_slice())
                    .bind(case.as_slice())
                    .bind(false)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        return Err(StoreError::UploadGone);
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn cases_for_staff(&self, staff: StaffId, limit: u32) -> Result<Vec<CaseListEntry>, StoreError> {
                let columns = CASE_FILE_COLUMNS
                    .split(", ")
                    .map(|c| format!("c.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "SELECT {columns}, g.wrapped, s.id AS summary_id, s.schema_version AS summary_version, \
                     s.ciphertext AS summary, \
                     CASE WHEN c.request_id IS NOT NULL AND EXISTS (SELECT 1 FROM intake_message m \
                        WHERE m.request_id = c.request_id AND m.to_case = ? AND m.seq > COALESCE(( \
                        SELECT MAX(r.seq) FROM intake_message r WHERE r.request_id = c.request_id \
                        AND r.from_requester = ?), 0)) THEN 1 ELSE 0 END AS awaiting \
                     FROM case_key_grant g JOIN case_file c ON c.id = g.case_id \
                     LEFT JOIN case_record s ON s.case_id = c.id AND s.kind = '{SUMMARY_KIND}' \
                     WHERE g.staff_id = ? ORDER BY c.active_day DESC, c.id LIMIT ?"
                );
                let rows = sqlx::query(&q(&sql))
                    .bind(true)
                    .bind(false)
                    .bind(staff.as_bytes().as_slice())
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                let teams = sqlx::query(&q(
                    "SELECT a.case_id, a.staff_id, a.duty FROM case_assignment a \
                     JOIN case_key_grant g ON g.case_id = a.case_id WHERE g.staff_id = ?",
                ))
                .bind(staff.as_bytes().as_slice())
                .fetch_all(&self.pool)
                .await?;
                let mut by_case: std::collections::HashMap<[u8; 16], Vec<(StaffId, String)>> =
                    std::collections::HashMap::new();
                for row in &teams {
                    let case = id16(row.try_get::<&[u8], _>(0)?, "case")?;
                    by_case
                        .entry(case)
                        .or_default()
                        .push((staff_id_from_bytes(row.try_get::<&[u8], _>(1)?)?, row.try_get(2)?));
                }
                rows.iter()
                    .map(|row| {
                        let mut file = Self::case_file_from_row(row)?;
                        file.team = by_case.remove(&file.id).unwrap_or_default();
                        let summary_id: Option<Vec<u8>> = row.try_get("summary_id")?;
                        let summary = match summary_id {
                            Some(id) => Some(NewCaseRecord {
                                id: id16(&id, "record")?,
                                kind: SUMMARY_KIND.to_owned(),
                                schema_version: row.try_get("summary_version")?,
                                ciphertext: row.try_get("summary")?,
                            }),
                            None => None,
                        };
                        let awaiting: i64 = row.try_get::<i32, _>("awaiting").map(i64::from)?;
                        Ok(CaseListEntry {
                            file,
                            wrapped_key: row.try_get("wrapped")?,
                            summary,
                            awaiting_reply: awaiting == 1,
                        })
                    })
                    .collect()
            }

            async fn case_grant(&self, case: &[u8; 16], staff: StaffId) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q("SELECT wrapped FROM case_key_grant WHERE case_id = ? AND staff_id = ?"))
                    .bind(case.as_slice())
                    .bind(staff.as_bytes().as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get(0)).transpose()?)
            }

            async fn cases_by_index(&self, field: &str, tag: &[u8]) -> Result<Vec<[u8; 16]>, StoreError> {
                let rows = sqlx::query(&q("SELECT case_id FROM case_index WHERE field = ? AND tag = ?"))
                    .bind(field)
                    .bind(tag)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|row| id16(row.try_get::<&[u8], _>(0)?, "case")).collect()
            }

            async fn index_entries(&self, field: &str) -> Result<Vec<([u8; 16], Vec<u8>)>, StoreError> {
                let rows = sqlx::query(&q("SELECT case_id, tag FROM case_index WHERE field = ?"))
                    .bind(field)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| Ok((id16(row.try_get::<&[u8], _>(0)?, "case")?, row.try_get(1)?)))
                    .collect()
            }

            async fn approvals_waiting_for(&self, staff: StaffId, now: i64) -> Result<Vec<CaseApproval>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT a.id, a.case_id, a.kind, a.requested_by, a.expires_at, a.sealed FROM case_approval a \
                     WHERE a.requested_by <> ? AND a.expires_at > ? AND EXISTS (SELECT 1 FROM case_assignment t \
                     WHERE t.case_id = a.case_id AND t.staff_id = ?) ORDER BY a.expires_at",
                ))
                .bind(staff.as_bytes().as_slice())
                .bind(now)
                .bind(staff.as_bytes().as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(Self::approval_from_row).collect()
            }

            async fn open_requests(&self, offset: u32, limit: u32) -> Result<Vec<IntakeRequest>, StoreError> {
                let sql = format!(
                    "{} WHERE forward_key IS NULL ORDER BY seq DESC LIMIT ? OFFSET ?",
                    sql::INTAKE_REQUEST_COLUMNS
                );
                let rows = sqlx::query(&q(&sql))
                    .bind(i64::from(limit))
                    .bind(i64::from(offset))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(Self::intake_request_from_row).collect()
            }

            async fn open_request_count(&self) -> Result<u64, StoreError> {
                let count: i64 = sqlx::query(&q("SELECT COUNT(*) FROM intake_request WHERE forward_key IS NULL"))
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn case_inbox(&self, request: &[u8; 16]) -> Result<Vec<CaseInboxMessage>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT id, from_requester, to_case, sealed FROM intake_message WHERE request_id = ? ORDER BY seq",
                ))
                .bind(request.as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok(CaseInboxMessage {
                            id: id16(row.try_get::<&[u8], _>(0)?, "message")?,
                            from_requester: row.try_get(1)?,
                            to_case: row.try_get(2)?,
                            sealed: row.try_get(3)?,
                        })
                    })
                    .collect()
            }

            async fn add_case_inbox_message(
                &self,
                request: &[u8; 16],
                id: &[u8; 16],
                sealed: &[u8],
                own: Option<&crate::model::OwnCopy>,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO intake_message (id, request_id, from_requester, sealed, key_generation, to_case, \
                     sent_month, own_copy) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                ))
                .bind(id.as_slice())
                .bind(request.as_slice())
                .bind(true)
                .bind(sealed)
                .bind(true)
                .bind(own.map(|own| own.sent_month.as_str()))
                .bind(own.map(|own| own.sealed.as_slice()))
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use cases_impl;

pub(crate) const CASE_FILE_COLUMNS: &str =
    "id, reference, stage, frozen, owner_id, source, request_id, opened_on, active_day, version";
