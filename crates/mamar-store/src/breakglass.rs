//! Break-glass (issue 16): the escrow key's public half and the
//! administrators' sealed shares, each case key's escrow wrap, the requests
//! and their approvals (shares sealed to the asker), and the time-limited
//! grants. A separate trait from [`crate::Store`] (which requires it). The
//! store sees only public keys and sealed or wrapped bytes.

use mamar_core::StaffId;

use crate::StoreError;

/// The organisation's break-glass set-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassSetup {
    pub setup_id: [u8; 16],
    pub threshold: i64,
    /// The escrow key pair's X25519 public key.
    pub public_key: Vec<u8>,
    pub created_at: i64,
}

/// A case's escrow wrap re-made for a new escrow key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscrowRewrap {
    pub case_id: [u8; 16],
    /// The wrap it replaces: if the case's wrap is no longer this one, it is dropped instead.
    pub old: Vec<u8>,
    pub new: Vec<u8>,
}

/// What a re-share with a new escrow key changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReshareOutcome {
    /// Requests that were waiting for approvals, cancelled.
    pub cancelled_requests: u64,
    /// Escrow wraps replaced by their re-wrap.
    pub rewrapped: u64,
    /// Escrow wraps deleted: changed meanwhile, or without a re-wrap (the case is escrowed again
    /// under the new key the next time a holder of its key acts on it).
    pub dropped: u64,
}

/// A break-glass request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakGlassRequestRecord {
    pub id: [u8; 16],
    pub case_id: [u8; 16],
    pub asked_by: StaffId,
    pub threshold: i64,
    /// Seconds the grant lasts once opened.
    pub duration: i64,
    pub asked_at: i64,
    /// Approvals are taken until then.
    pub expires_at: i64,
    /// Set once the asker opened the escrow: the grant ends then.
    pub grant_until: Option<i64>,
    /// Who approved (their shares wait, sealed to the asker, until opened).
    pub approvers: Vec<StaffId>,
}

#[async_trait::async_trait]
pub trait BreakGlassStore: Send + Sync {
    /// Stores the set-up and every administrator's sealed share, all or nothing. Fails with
    /// [`StoreError::BreakGlassAlreadySetUp`] the second time.
    async fn set_up_break_glass(
        &self,
        setup: &BreakGlassSetup,
        shares: &[(StaffId, Vec<u8>)],
    ) -> Result<(), StoreError>;

    async fn break_glass_setup(&self) -> Result<Option<BreakGlassSetup>, StoreError>;

    /// Re-shares the set-up `old_setup_id` under a new escrow key: in one transaction the set-up
    /// takes `new`'s id, threshold and public key, every share is replaced by `shares`, the
    /// requests still waiting for approvals are cancelled (an approval holds a share of the old
    /// split), and every case's escrow wrap is replaced by its re-wrap in `rewrapped` when it is
    /// still the wrap the re-wrap was made from; any other wrap is deleted, so that nothing
    /// stored opens with the old escrow key. `None`, and nothing changed, when the set-up is no
    /// longer `old_setup_id`.
    async fn reshare_break_glass(
        &self,
        old_setup_id: &[u8; 16],
        new: &BreakGlassSetup,
        shares: &[(StaffId, Vec<u8>)],
        rewrapped: &[EscrowRewrap],
    ) -> Result<Option<ReshareOutcome>, StoreError>;

    /// Every case's escrow wrap.
    async fn case_escrows(&self) -> Result<Vec<([u8; 16], Vec<u8>)>, StoreError>;

    /// Deletes `case`'s escrow wrap if it is still `wrapped`. Whether it did.
    async fn drop_case_escrow_if(&self, case: &[u8; 16], wrapped: &[u8]) -> Result<bool, StoreError>;

    /// The staff who hold a share of the current set-up.
    async fn break_glass_share_holders(&self) -> Result<Vec<StaffId>, StoreError>;

    /// `staff`'s share, sealed to their staff key.
    async fn break_glass_share(&self, staff: StaffId) -> Result<Option<Vec<u8>>, StoreError>;

    async fn case_escrow(&self, case: &[u8; 16]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores (or replaces) a case's escrow wrap.
    async fn put_case_escrow(&self, case: &[u8; 16], wrapped: &[u8]) -> Result<(), StoreError>;

    /// How many cases have no escrow wrap.
    async fn cases_without_escrow(&self) -> Result<u64, StoreError>;

    /// Whether a break-glass reader held the case's key since it was last re-keyed.
    async fn case_rekey_due(&self, case: &[u8; 16]) -> Result<bool, StoreError>;

    /// Stores a request with its reason sealed to each administrator.
    async fn add_break_glass_request(
        &self,
        request: &BreakGlassRequestRecord,
        reasons: &[(StaffId, Vec<u8>)],
    ) -> Result<(), StoreError>;

    async fn break_glass_request(&self, id: &[u8; 16])
    -> Result<Option<BreakGlassRequestRecord>, StoreError>;

    /// Every stored request (waiting, approved or granted), oldest first.
    async fn break_glass_requests(&self) -> Result<Vec<BreakGlassRequestRecord>, StoreError>;

    /// The request's reason sealed to `staff`.
    async fn break_glass_reason(
        &self,
        request: &[u8; 16],
        staff: StaffId,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// An approver's share, sealed to the asker.
    async fn add_break_glass_approval(
        &self,
        request: &[u8; 16],
        approver: StaffId,
        sealed: &[u8],
    ) -> Result<(), StoreError>;

    /// The shares approvers sealed to the asker.
    async fn break_glass_approvals(&self, request: &[u8; 16]) -> Result<Vec<(StaffId, Vec<u8>)>, StoreError>;

    /// The asker opened the escrow: in one transaction their grant of the case key (`wrapped`)
    /// and their read-only place on the team are stored, the request keeps `grant_until`, the
    /// approvers' shares are deleted and the case's version moves on.
    async fn open_break_glass(
        &self,
        request: &[u8; 16],
        wrapped: &[u8],
        grant_until: i64,
    ) -> Result<(), StoreError>;

    /// Ends every grant whose time is over at `now` (the grant and the place on the team
    /// deleted, the case due a new key) and forgets requests that lapsed unopened. Returns the
    /// grants ended.
    async fn expire_break_glass(&self, now: i64) -> Result<Vec<BreakGlassRequestRecord>, StoreError>;
}

/// Deleting a case's escrow wrap and re-key mark: part of every re-key (the old wrap opens only
/// the old key) and of shredding.
pub(crate) const DROP_ESCROW: &[&str] = &[
    "DELETE FROM case_escrow WHERE case_id = ?",
    "DELETE FROM case_rekey_due WHERE case_id = ?",
];

/// `impl BreakGlassStore for $store`, expanded by each backend with its own `q`.
macro_rules! breakglass_impl {
    ($store:ty, $row:ty) => {
        const BREAK_GLASS_REQUEST_COLUMNS: &str =
            "id, case_id, asked_by, threshold, duration, asked_at, expires_at, grant_until";

        impl $store {
            fn break_glass_request_from_row(
                row: &$row,
            ) -> Result<$crate::breakglass::BreakGlassRequestRecord, StoreError> {
                Ok($crate::breakglass::BreakGlassRequestRecord {
                    id: id16(row.try_get::<&[u8], _>(0)?, "break-glass request")?,
                    case_id: id16(row.try_get::<&[u8], _>(1)?, "case")?,
                    asked_by: staff_id_from_bytes(row.try_get::<&[u8], _>(2)?)?,
                    threshold: row.try_get(3)?,
                    duration: row.try_get(4)?,
                    asked_at: row.try_get(5)?,
                    expires_at: row.try_get(6)?,
                    grant_until: row.try_get(7)?,
                    approvers: Vec::new(),
                })
            }

            /// Stores each administrator's sealed share (in the set-up's or re-share's transaction).
            async fn insert_break_glass_shares(
                tx: &mut sqlx::Transaction<'_, <$row as sqlx::Row>::Database>,
                shares: &[(StaffId, Vec<u8>)],
            ) -> Result<(), StoreError> {
                for (staff, sealed) in shares {
                    sqlx::query(&q("INSERT INTO break_glass_share (staff_id, sealed) VALUES (?, ?)"))
                        .bind(staff.as_bytes().as_slice())
                        .bind(sealed)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            async fn break_glass_approvers(&self, request: &[u8; 16]) -> Result<Vec<StaffId>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT staff_id FROM break_glass_approval WHERE request_id = ? ORDER BY staff_id",
                ))
                .bind(request.as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| staff_id_from_bytes(row.try_get::<&[u8], _>(0)?))
                    .collect()
            }
        }

        #[async_trait::async_trait]
        impl $crate::breakglass::BreakGlassStore for $store {
            async fn set_up_break_glass(
                &self,
                setup: &$crate::breakglass::BreakGlassSetup,
                shares: &[(StaffId, Vec<u8>)],
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let exists = sqlx::query("SELECT 1 FROM break_glass_key")
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() {
                    return Err(StoreError::BreakGlassAlreadySetUp);
                }
                sqlx::query(&q(
                    "INSERT INTO break_glass_key (id, setup_id, threshold, public_key, created_at) \
                     VALUES (1, ?, ?, ?, ?)",
                ))
                .bind(setup.setup_id.as_slice())
                .bind(setup.threshold)
                .bind(&setup.public_key)
                .bind(setup.created_at)
                .execute(&mut *tx)
                .await?;
                Self::insert_break_glass_shares(&mut tx, shares).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn reshare_break_glass(
                &self,
                old_setup_id: &[u8; 16],
                new: &$crate::breakglass::BreakGlassSetup,
                shares: &[(StaffId, Vec<u8>)],
                rewrapped: &[$crate::breakglass::EscrowRewrap],
            ) -> Result<Option<$crate::breakglass::ReshareOutcome>, StoreError> {
                let mut tx = self.pool.begin().await?;
                let moved = sqlx::query(&q(
                    "UPDATE break_glass_key SET setup_id = ?, threshold = ?, public_key = ? WHERE setup_id = ?",
                ))
                .bind(new.setup_id.as_slice())
                .bind(new.threshold)
                .bind(&new.public_key)
                .bind(old_setup_id.as_slice())
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Ok(None);
                }
                sqlx::query("DELETE FROM break_glass_share").execute(&mut *tx).await?;
                Self::insert_break_glass_shares(&mut tx, shares).await?;
                const WAITING: &str = "SELECT id FROM break_glass_request WHERE grant_until IS NULL";
                for table in ["break_glass_approval", "break_glass_reason"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE request_id IN ({WAITING})"))
                        .execute(&mut *tx)
                        .await?;
                }
                let cancelled = sqlx::query("DELETE FROM break_glass_request WHERE grant_until IS NULL")
                    .execute(&mut *tx)
                    .await?;
                let mut outcome = $crate::breakglass::ReshareOutcome {
                    cancelled_requests: cancelled.rows_affected(),
                    ..Default::default()
                };
                let mut kept = std::collections::HashSet::with_capacity(rewrapped.len());
                for rewrap in rewrapped {
                    let replaced = sqlx::query(&q(
                        "UPDATE case_escrow SET wrapped = ? WHERE case_id = ? AND wrapped = ?",
                    ))
                    .bind(&rewrap.new)
                    .bind(rewrap.case_id.as_slice())
                    .bind(&rewrap.old)
                    .execute(&mut *tx)
                    .await?;
                    if replaced.rows_affected() == 1 {
                        kept.insert(rewrap.case_id);
                    }
                }
                outcome.rewrapped = kept.len() as u64;
                // Whatever was not re-wrapped (written meanwhile, or not opened by the old key)
                // goes: it could open only with the old escrow key.
                let rows = sqlx::query("SELECT case_id FROM case_escrow").fetch_all(&mut *tx).await?;
                for row in rows {
                    let case = id16(row.try_get::<&[u8], _>(0)?, "case")?;
                    if !kept.contains(&case) {
                        sqlx::query(&q("DELETE FROM case_escrow WHERE case_id = ?"))
                            .bind(case.as_slice())
                            .execute(&mut *tx)
                            .await?;
                        outcome.dropped += 1;
                    }
                }
                tx.commit().await?;
                Ok(Some(outcome))
            }

            async fn case_escrows(&self) -> Result<Vec<([u8; 16], Vec<u8>)>, StoreError> {
                let rows = sqlx::query("SELECT case_id, wrapped FROM case_escrow")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| Ok((id16(row.try_get::<&[u8], _>(0)?, "case")?, row.try_get(1)?)))
                    .collect()
            }

            async fn drop_case_escrow_if(&self, case: &[u8; 16], wrapped: &[u8]) -> Result<bool, StoreError> {
                let dropped = sqlx::query(&q("DELETE FROM case_escrow WHERE case_id = ? AND wrapped = ?"))
                    .bind(case.as_slice())
                    .bind(wrapped)
                    .execute(&self.pool)
                    .await?;
                Ok(dropped.rows_affected() == 1)
            }

            async fn break_glass_share_holders(&self) -> Result<Vec<StaffId>, StoreError> {
                let rows = sqlx::query("SELECT staff_id FROM break_glass_share")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| Ok(StaffId::from_bytes(id16(row.try_get::<&[u8], _>(0)?, "staff")?)))
                    .collect()
            }

            async fn break_glass_setup(&self) -> Result<Option<$crate::breakglass::BreakGlassSetup>, StoreError> {
                let row = sqlx::query(
                    "SELECT setup_id, threshold, public_key, created_at FROM break_glass_key",
                )
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| -> Result<$crate::breakglass::BreakGlassSetup, StoreError> {
                    Ok($crate::breakglass::BreakGlassSetup {
                        setup_id: id16(row.try_get::<&[u8], _>(0)?, "break-glass set-up")?,
                        threshold: row.try_get(1)?,
                        public_key: row.try_get(2)?,
                        created_at: row.try_get(3)?,
                    })
                })
                .transpose()
            }

            async fn break_glass_share(&self, staff: StaffId) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q("SELECT sealed FROM break_glass_share WHERE staff_id = ?"))
                    .bind(staff.as_bytes().as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get(0)).transpose()?)
            }

            async fn case_escrow(&self, case: &[u8; 16]) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q("SELECT wrapped FROM case_escrow WHERE case_id = ?"))
                    .bind(case.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|row| row.try_get(0)).transpose()?)
            }

            async fn put_case_escrow(&self, case: &[u8; 16], wrapped: &[u8]) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO case_escrow (case_id, wrapped) VALUES (?, ?) \
                     ON CONFLICT (case_id) DO UPDATE SET wrapped = excluded.wrapped",
                ))
                .bind(case.as_slice())
                .bind(wrapped)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn cases_without_escrow(&self) -> Result<u64, StoreError> {
                let row = sqlx::query(
                    "SELECT COUNT(*) FROM case_file c WHERE NOT EXISTS \
                     (SELECT 1 FROM case_escrow e WHERE e.case_id = c.id)",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0))
            }

            async fn case_rekey_due(&self, case: &[u8; 16]) -> Result<bool, StoreError> {
                let row = sqlx::query(&q("SELECT 1 FROM case_rekey_due WHERE case_id = ?"))
                    .bind(case.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.is_some())
            }

            async fn add_break_glass_request(
                &self,
                request: &$crate::breakglass::BreakGlassRequestRecord,
                reasons: &[(StaffId, Vec<u8>)],
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(&q(
                    "INSERT INTO break_glass_request (id, case_id, asked_by, threshold, duration, asked_at, \
                     expires_at, grant_until) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                ))
                .bind(request.id.as_slice())
                .bind(request.case_id.as_slice())
                .bind(request.asked_by.as_bytes().as_slice())
                .bind(request.threshold)
                .bind(request.duration)
                .bind(request.asked_at)
                .bind(request.expires_at)
                .execute(&mut *tx)
                .await?;
                for (staff, sealed) in reasons {
                    sqlx::query(&q(
                        "INSERT INTO break_glass_reason (request_id, staff_id, sealed) VALUES (?, ?, ?)",
                    ))
                    .bind(request.id.as_slice())
                    .bind(staff.as_bytes().as_slice())
                    .bind(sealed)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn break_glass_request(
                &self,
                id: &[u8; 16],
            ) -> Result<Option<$crate::breakglass::BreakGlassRequestRecord>, StoreError> {
                let sql = format!("SELECT {BREAK_GLASS_REQUEST_COLUMNS} FROM break_glass_request WHERE id = ?");
                let row = sqlx::query(&q(&sql)).bind(id.as_slice()).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                let mut request = Self::break_glass_request_from_row(&row)?;
                request.approvers = self.break_glass_approvers(id).await?;
                Ok(Some(request))
            }

            async fn break_glass_requests(
                &self,
            ) -> Result<Vec<$crate::breakglass::BreakGlassRequestRecord>, StoreError> {
                let sql =
                    format!("SELECT {BREAK_GLASS_REQUEST_COLUMNS} FROM break_glass_request ORDER BY asked_at, id");
                let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
                let mut out = Vec::with_capacity(rows.len());
                for row in &rows {
                    let mut request = Self::break_glass_request_from_row(row)?;
                    request.approvers = self.break_glass_approvers(&request.id).await?;
                    out.push(request);
                }
                Ok(out)
            }

            async fn break_glass_reason(
                &self,
                request: &[u8; 16],
                staff: StaffId,
            ) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q(
                    "SELECT sealed FROM break_glass_reason WHERE request_id = ? AND staff_id = ?",
                ))
                .bind(request.as_slice())
                .bind(staff.as_bytes().as_slice())
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|row| row.try_get(0)).transpose()?)
            }

            async fn add_break_glass_approval(
                &self,
                request: &[u8; 16],
                approver: StaffId,
                sealed: &[u8],
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO break_glass_approval (request_id, staff_id, sealed) VALUES (?, ?, ?)",
                ))
                .bind(request.as_slice())
                .bind(approver.as_bytes().as_slice())
                .bind(sealed)
                .execute(&self.pool)
                .await
                .map_err(|e| StoreError::from_unique_violation(e, StoreError::Conflict))?;
                Ok(())
            }

            async fn break_glass_approvals(
                &self,
                request: &[u8; 16],
            ) -> Result<Vec<(StaffId, Vec<u8>)>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT staff_id, sealed FROM break_glass_approval WHERE request_id = ? ORDER BY staff_id",
                ))
                .bind(request.as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| Ok((staff_id_from_bytes(row.try_get::<&[u8], _>(0)?)?, row.try_get(1)?)))
                    .collect()
            }

            async fn open_break_glass(
                &self,
                request: &[u8; 16],
                wrapped: &[u8],
                grant_until: i64,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let row = sqlx::query(&q(
                    "SELECT case_id, asked_by FROM break_glass_request WHERE id = ? AND grant_until IS NULL",
                ))
                .bind(request.as_slice())
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Err(StoreError::Conflict);
                };
                let case: Vec<u8> = row.try_get(0)?;
                let asker: Vec<u8> = row.try_get(1)?;
                sqlx::query(&q(
                    "INSERT INTO case_key_grant (case_id, staff_id, wrapped) VALUES (?, ?, ?) \
                     ON CONFLICT (case_id, staff_id) DO UPDATE SET wrapped = excluded.wrapped",
                ))
                .bind(case.as_slice())
                .bind(asker.as_slice())
                .bind(wrapped)
                .execute(&mut *tx)
                .await?;
                sqlx::query(&q(
                    "INSERT INTO case_assignment (case_id, staff_id, duty) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                ))
                .bind(case.as_slice())
                .bind(asker.as_slice())
                .bind("break-glass")
                .execute(&mut *tx)
                .await?;
                sqlx::query(&q("UPDATE case_file SET version = version + 1 WHERE id = ?"))
                    .bind(case.as_slice())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&q("UPDATE break_glass_request SET grant_until = ? WHERE id = ?"))
                    .bind(grant_until)
                    .bind(request.as_slice())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&q("DELETE FROM break_glass_approval WHERE request_id = ?"))
                    .bind(request.as_slice())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn expire_break_glass(
                &self,
                now: i64,
            ) -> Result<Vec<$crate::breakglass::BreakGlassRequestRecord>, StoreError> {
                let mut tx = self.pool.begin().await?;
                let sql = format!(
                    "SELECT {BREAK_GLASS_REQUEST_COLUMNS} FROM break_glass_request \
                     WHERE (grant_until IS NOT NULL AND grant_until <= ?) \
                     OR (grant_until IS NULL AND expires_at <= ?) ORDER BY asked_at, id"
                );
                let rows = sqlx::query(&q(&sql))
                    .bind(now)
                    .bind(now)
                    .fetch_all(&mut *tx)
                    .await?;
                let mut ended = Vec::new();
                for row in &rows {
                    let request = Self::break_glass_request_from_row(row)?;
                    let case = request.case_id.as_slice();
                    let asker = request.asked_by.as_bytes().as_slice();
                    if request.grant_until.is_some() {
                        // Their grant goes unless they have meanwhile joined the case for real.
                        sqlx::query(&q(
                            "DELETE FROM case_key_grant WHERE case_id = ? AND staff_id = ? AND NOT EXISTS \
                             (SELECT 1 FROM case_assignment WHERE case_id = ? AND staff_id = ? AND duty <> ?)",
                        ))
                        .bind(case)
                        .bind(asker)
                        .bind(case)
                        .bind(asker)
                        .bind("break-glass")
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(&q(
                            "DELETE FROM case_assignment WHERE case_id = ? AND staff_id = ? AND duty = ?",
                        ))
                        .bind(case)
                        .bind(asker)
                        .bind("break-glass")
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(&q(
                            "INSERT INTO case_rekey_due (case_id) VALUES (?) ON CONFLICT DO NOTHING",
                        ))
                        .bind(case)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(&q("UPDATE case_file SET version = version + 1 WHERE id = ?"))
                            .bind(case)
                            .execute(&mut *tx)
                            .await?;
                        ended.push(request.clone());
                    }
                    for statement in [
                        "DELETE FROM break_glass_approval WHERE request_id = ?",
                        "DELETE FROM break_glass_reason WHERE request_id = ?",
                        "DELETE FROM break_glass_request WHERE id = ?",
                    ] {
                        sqlx::query(&q(statement))
                            .bind(request.id.as_slice())
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
                Ok(ended)
            }
        }
    };
}

pub(crate) use breakglass_impl;
