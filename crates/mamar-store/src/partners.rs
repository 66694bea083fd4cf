//! Partner organisations, their liaisons, consents and referrals (issue
//! 16), as the store keeps them. The rules (who confirms, what consent
//! allows, who answers) are `mamar_core::partner`'s and the use cases';
//! here are rows. A referral's content is ciphertext under its own key,
//! wrapped to each liaison of its partner (`referral_grant`).

use mamar_core::StaffId;

use crate::StoreError;

/// A partner organisation as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRecord {
    pub id: [u8; 16],
    pub name_ar: String,
    pub name_en: String,
    /// The signed contact card, as it was verified.
    pub card: String,
    /// The card's signing-key fingerprint (32 bytes).
    pub fingerprint: Vec<u8>,
    pub registered_by: StaffId,
    pub confirmed_by: Option<StaffId>,
}

/// A consent on record for one case and partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    pub id: [u8; 16],
    pub case_id: [u8; 16],
    pub partner_id: [u8; 16],
    /// Field codes, comma-separated (`mamar_core::partner::fields_to_text`).
    pub fields: String,
    /// `requester` or `call`.
    pub source: String,
    pub recorded_by: Option<StaffId>,
    pub approved_by: Option<StaffId>,
    /// The day (since the epoch) the requester withdrew it.
    pub withdrawn_day: Option<i64>,
}

/// What a case's coordinators have not seen yet about its referrals: a
/// partner's answer, or the requester's withdrawal of a consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralNews {
    pub case_id: [u8; 16],
    pub partner_id: [u8; 16],
    /// `accepted`, `declined` or `withdrawn`.
    pub what: String,
}

/// A referral of a case to a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: [u8; 16],
    pub case_id: [u8; 16],
    pub partner_id: [u8; 16],
    pub fields: String,
    pub handover: bool,
    /// Ciphertext under the referral key; empty once revoked.
    pub sealed: Vec<u8>,
    pub status: String,
    pub offered_by: StaffId,
    pub answered_by: Option<StaffId>,
    /// A liaison has opened it.
    pub seen: bool,
    pub offered_day: i64,
}

#[async_trait::async_trait]
pub trait PartnerStore: Send + Sync {
    /// Adds a partner; a second partner with the same fingerprint is [`StoreError::Conflict`].
    async fn add_partner(&self, partner: &PartnerRecord) -> Result<(), StoreError>;

    /// Every partner, in the order of their English names.
    async fn partners(&self) -> Result<Vec<PartnerRecord>, StoreError>;

    async fn partner(&self, id: &[u8; 16]) -> Result<Option<PartnerRecord>, StoreError>;

    /// Records the second person's confirmation, only if none is recorded yet.
    async fn confirm_partner(&self, id: &[u8; 16], by: StaffId) -> Result<bool, StoreError>;

    /// Replaces a partner's card and names by a newer card of the same key (the use case checks
    /// the fingerprint); its confirmation stands. False when there is no such partner.
    async fn renew_partner_card(
        &self,
        id: &[u8; 16],
        card: &str,
        name_ar: &str,
        name_en: &str,
    ) -> Result<bool, StoreError>;

    /// Makes `staff` a liaison of `partner` (replacing any other partner they had, whose
    /// referrals' wrapped keys to them are deleted in the same transaction).
    async fn set_liaison(&self, staff: StaffId, partner: &[u8; 16]) -> Result<(), StoreError>;

    /// The partner `staff` is a liaison of.
    async fn liaison_partner(&self, staff: StaffId) -> Result<Option<[u8; 16]>, StoreError>;

    /// The liaisons of `partner`.
    async fn liaisons(&self, partner: &[u8; 16]) -> Result<Vec<StaffId>, StoreError>;

    async fn add_consent(&self, consent: &ConsentRecord) -> Result<(), StoreError>;

    /// Records the approval of a consent taken from a call, only if none is recorded yet.
    async fn approve_consent(&self, id: &[u8; 16], by: StaffId) -> Result<bool, StoreError>;

    async fn consents(&self, case: &[u8; 16]) -> Result<Vec<ConsentRecord>, StoreError>;

    /// Adds a referral with its key wrapped to each liaison, in one transaction.
    async fn add_referral(
        &self,
        referral: &ReferralRecord,
        grants: &[(StaffId, Vec<u8>)],
    ) -> Result<(), StoreError>;

    async fn referral(&self, id: &[u8; 16]) -> Result<Option<ReferralRecord>, StoreError>;

    async fn case_referrals(&self, case: &[u8; 16]) -> Result<Vec<ReferralRecord>, StoreError>;

    /// The referrals `staff` holds a key to, with the wrapped key, newest first.
    async fn staff_referrals(&self, staff: StaffId) -> Result<Vec<(ReferralRecord, Vec<u8>)>, StoreError>;

    /// Sets the status of an offered referral to `status`, answered by `by`.
    /// False when it was no longer offered.
    async fn answer_referral(&self, id: &[u8; 16], status: &str, by: StaffId) -> Result<bool, StoreError>;

    /// Marks a referral as opened by a liaison.
    async fn mark_referral_seen(&self, id: &[u8; 16]) -> Result<(), StoreError>;

    /// Revokes a live referral in one transaction: its grants deleted, its
    /// content erased, its status `revoked`. False when it was not live.
    async fn revoke_referral(&self, id: &[u8; 16]) -> Result<bool, StoreError>;

    /// Records that a referral file (or acknowledgement) with this id was imported on `day`.
    /// False when the id was seen before: a replayed file.
    async fn claim_referral_file(&self, id: &[u8; 16], kind: &str, day: i64) -> Result<bool, StoreError>;

    /// Forgets a claim whose import then failed, so that the same file may be imported again.
    async fn release_referral_file(&self, id: &[u8; 16]) -> Result<(), StoreError>;

    /// Forgets the ids of files imported before `day` (their files are by then too old to be
    /// imported again); returns how many were forgotten.
    async fn forget_referral_files_seen_before(&self, day: i64) -> Result<u64, StoreError>;

    /// The requester withdraws every consent of `case` to `partner`, and
    /// every referral of that case to that partner that the partner still
    /// holds (offered, accepted, or declined but kept) is revoked as
    /// [`PartnerStore::revoke_referral`] revokes one, all in one
    /// transaction. Returns the referrals revoked (`None`, and nothing
    /// changed, when no consent was in place to withdraw).
    async fn withdraw_consents(
        &self,
        case: &[u8; 16],
        partner: &[u8; 16],
        day: i64,
    ) -> Result<Option<Vec<ReferralRecord>>, StoreError>;

    /// What the coordinators of `staff`'s cases (where `staff` is a
    /// coordinator) have not seen: answers and withdrawals.
    async fn referral_news(&self, staff: StaffId) -> Result<Vec<ReferralNews>, StoreError>;

    /// A coordinator has seen the case's answers and withdrawals.
    async fn mark_referral_news_seen(&self, case: &[u8; 16]) -> Result<(), StoreError>;
}

pub(crate) fn opt_staff(bytes: Option<Vec<u8>>) -> Result<Option<StaffId>, StoreError> {
    bytes
        .as_deref()
        .map(crate::model::staff_id_from_bytes)
        .transpose()
}

/// `impl PartnerStore for $store`, expanded by each backend with its own `q`.
macro_rules! partners_impl {
    ($store:ty, $row:ty) => {
        const PARTNER_COLUMNS: &str =
            "id, name_ar, name_en, card, fingerprint, registered_by, confirmed_by";
        const CONSENT_COLUMNS: &str =
            "id, case_id, partner_id, fields, source, recorded_by, approved_by, withdrawn_day";
        const REFERRAL_COLUMNS: &str = "r.id, r.case_id, r.partner_id, r.fields, r.handover, r.sealed, \
             r.status, r.offered_by, r.answered_by, r.seen, r.offered_day";

        impl $store {
            fn partner_from_row(row: &$row) -> Result<$crate::partners::PartnerRecord, StoreError> {
                Ok($crate::partners::PartnerRecord {
                    id: id16(row.try_get::<&[u8], _>(0)?, "partner")?,
                    name_ar: row.try_get(1)?,
                    name_en: row.try_get(2)?,
                    card: row.try_get(3)?,
                    fingerprint: row.try_get(4)?,
                    registered_by: staff_id_from_bytes(row.try_get::<&[u8], _>(5)?)?,
                    confirmed_by: $crate::partners::opt_staff(row.try_get(6)?)?,
                })
            }

            fn consent_from_row(row: &$row) -> Result<$crate::partners::ConsentRecord, StoreError> {
                Ok($crate::partners::ConsentRecord {
                    id: id16(row.try_get::<&[u8], _>(0)?, "consent")?,
                    case_id: id16(row.try_get::<&[u8], _>(1)?, "case")?,
                    partner_id: id16(row.try_get::<&[u8], _>(2)?, "partner")?,
                    fields: row.try_get(3)?,
                    source: row.try_get(4)?,
                    recorded_by: $crate::partners::opt_staff(row.try_get(5)?)?,
                    approved_by: $crate::partners::opt_staff(row.try_get(6)?)?,
                    withdrawn_day: row.try_get(7)?,
                })
            }

            fn referral_from_row(row: &$row) -> Result<$crate::partners::ReferralRecord, StoreError> {
                Ok($crate::partners::ReferralRecord {
                    id: id16(row.try_get::<&[u8], _>(0)?, "referral")?,
                    case_id: id16(row.try_get::<&[u8], _>(1)?, "case")?,
                    partner_id: id16(row.try_get::<&[u8], _>(2)?, "partner")?,
                    fields: row.try_get(3)?,
                    handover: row.try_get::<i64, _>(4)? != 0,
                    sealed: row.try_get(5)?,
                    status: row.try_get(6)?,
                    offered_by: staff_id_from_bytes(row.try_get::<&[u8], _>(7)?)?,
                    answered_by: $crate::partners::opt_staff(row.try_get(8)?)?,
                    seen: row.try_get::<i64, _>(9)? != 0,
                    offered_day: row.try_get(10)?,
                })
            }

            /// Revokes a live referral (with `declined_too`, a declined one as well) inside
            /// `tx`: its content erased, its status `revoked`, every wrapped key to it deleted.
            /// False when it was in no such state.
            async fn revoke_in(
                tx: &mut sqlx::Transaction<'_, <$row as sqlx::Row>::Database>,
                id: &[u8; 16],
                declined_too: bool,
            ) -> Result<bool, StoreError> {
                let statuses = if declined_too {
                    "('offered', 'accepted', 'declined')"
                } else {
                    "('offered', 'accepted')"
                };
                let done = sqlx::query(&q(&format!(
                    "UPDATE referral SET status = 'revoked', sealed = ? WHERE id = ? AND status IN {statuses}"
                )))
                .bind(Vec::<u8>::new())
                .bind(id.to_vec())
                .execute(&mut **tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                sqlx::query(&q("DELETE FROM referral_grant WHERE referral_id = ?"))
                    .bind(id.to_vec())
                    .execute(&mut **tx)
                    .await?;
                Ok(true)
            }
        }

        #[async_trait::async_trait]
        impl $crate::partners::PartnerStore for $store {
            async fn add_partner(&self, p: &$crate::partners::PartnerRecord) -> Result<(), StoreError> {
                let done = sqlx::query(&q(&format!(
                    "INSERT INTO partner ({PARTNER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
                )))
                .bind(p.id.to_vec())
                .bind(&p.name_ar)
                .bind(&p.name_en)
                .bind(&p.card)
                .bind(&p.fingerprint)
                .bind(p.registered_by.as_bytes().to_vec())
                .bind(p.confirmed_by.map(|s| s.as_bytes().to_vec()))
                .execute(&self.pool)
                .await;
                match done {
                    Ok(_) => Ok(()),
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict),
                    Err(e) => Err(e.into()),
                }
            }

            async fn partners(&self) -> Result<Vec<$crate::partners::PartnerRecord>, StoreError> {
                sqlx::query(&q(&format!("SELECT {PARTNER_COLUMNS} FROM partner ORDER BY name_en, id")))
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(Self::partner_from_row)
                    .collect()
            }

            async fn partner(&self, id: &[u8; 16]) -> Result<Option<$crate::partners::PartnerRecord>, StoreError> {
                sqlx::query(&q(&format!("SELECT {PARTNER_COLUMNS} FROM partner WHERE id = ?")))
                    .bind(id.to_vec())
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(Self::partner_from_row)
                    .transpose()
            }

            async fn confirm_partner(&self, id: &[u8; 16], by: StaffId) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "UPDATE partner SET confirmed_by = ? WHERE id = ? AND confirmed_by IS NULL \
                     AND registered_by <> ?",
                ))
                .bind(by.as_bytes().to_vec())
                .bind(id.to_vec())
                .bind(by.as_bytes().to_vec())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn renew_partner_card(
                &self,
                id: &[u8; 16],
                card: &str,
                name_ar: &str,
                name_en: &str,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query(&q("UPDATE partner SET card = ?, name_ar = ?, name_en = ? WHERE id = ?"))
                    .bind(card)
                    .bind(name_ar)
                    .bind(name_en)
                    .bind(id.to_vec())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_liaison(&self, staff: StaffId, partner: &[u8; 16]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(&q(
                    "INSERT INTO partner_liaison (staff_id, partner_id) VALUES (?, ?) \
                     ON CONFLICT (staff_id) DO UPDATE SET partner_id = excluded.partner_id",
                ))
                .bind(staff.as_bytes().to_vec())
                .bind(partner.to_vec())
                .execute(&mut *tx)
                .await?;
                // One partner per liaison: what another partner was sent is no longer theirs.
                sqlx::query(&q(
                    "DELETE FROM referral_grant WHERE staff_id = ? AND referral_id IN \
                     (SELECT id FROM referral WHERE partner_id <> ?)",
                ))
                .bind(staff.as_bytes().to_vec())
                .bind(partner.to_vec())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn liaison_partner(&self, staff: StaffId) -> Result<Option<[u8; 16]>, StoreError> {
                sqlx::query(&q("SELECT partner_id FROM partner_liaison WHERE staff_id = ?"))
                    .bind(staff.as_bytes().to_vec())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(|row| id16(row.try_get::<&[u8], _>(0)?, "partner"))
                    .transpose()
            }

            async fn liaisons(&self, partner: &[u8; 16]) -> Result<Vec<StaffId>, StoreError> {
                sqlx::query(&q(
                    "SELECT staff_id FROM partner_liaison WHERE partner_id = ? ORDER BY staff_id",
                ))
                .bind(partner.to_vec())
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|row| staff_id_from_bytes(row.try_get::<&[u8], _>(0)?))
                .collect()
            }

            async fn add_consent(&self, c: &$crate::partners::ConsentRecord) -> Result<(), StoreError> {
                sqlx::query(&q(&format!(
                    "INSERT INTO referral_consent ({CONSENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                )))
                .bind(c.id.to_vec())
                .bind(c.case_id.to_vec())
                .bind(c.partner_id.to_vec())
                .bind(&c.fields)
                .bind(&c.source)
                .bind(c.recorded_by.map(|s| s.as_bytes().to_vec()))
                .bind(c.approved_by.map(|s| s.as_bytes().to_vec()))
                .bind(c.withdrawn_day)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn approve_consent(&self, id: &[u8; 16], by: StaffId) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "UPDATE referral_consent SET approved_by = ? WHERE id = ? AND source = 'call' \
                     AND approved_by IS NULL AND recorded_by <> ?",
                ))
                .bind(by.as_bytes().to_vec())
                .bind(id.to_vec())
                .bind(by.as_bytes().to_vec())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn consents(&self, case: &[u8; 16]) -> Result<Vec<$crate::partners::ConsentRecord>, StoreError> {
                sqlx::query(&q(&format!(
                    "SELECT {CONSENT_COLUMNS} FROM referral_consent WHERE case_id = ? ORDER BY id"
                )))
                .bind(case.to_vec())
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(Self::consent_from_row)
                .collect()
            }

            async fn add_referral(
                &self,
                r: &$crate::partners::ReferralRecord,
                grants: &[(StaffId, Vec<u8>)],
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(&q(
                    "INSERT INTO referral (id, case_id, partner_id, fields, handover, sealed, status, \
                     offered_by, answered_by, seen, offered_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ))
                .bind(r.id.to_vec())
                .bind(r.case_id.to_vec())
                .bind(r.partner_id.to_vec())
                .bind(&r.fields)
                .bind(i64::from(r.handover))
                .bind(&r.sealed)
                .bind(&r.status)
                .bind(r.offered_by.as_bytes().to_vec())
                .bind(r.answered_by.map(|s| s.as_bytes().to_vec()))
                .bind(i64::from(r.seen))
                .bind(r.offered_day)
                .execute(&mut *tx)
                .await?;
                for (staff, wrapped) in grants {
                    sqlx::query(&q(
                        "INSERT INTO referral_grant (referral_id, staff_id, wrapped) VALUES (?, ?, ?)",
                    ))
                    .bind(r.id.to_vec())
                    .bind(staff.as_bytes().to_vec())
                    .bind(wrapped)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn referral(&self, id: &[u8; 16]) -> Result<Option<$crate::partners::ReferralRecord>, StoreError> {
                sqlx::query(&q(&format!("SELECT {REFERRAL_COLUMNS} FROM referral r WHERE r.id = ?")))
                    .bind(id.to_vec())
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(Self::referral_from_row)
                    .transpose()
            }

            async fn case_referrals(
                &self,
                case: &[u8; 16],
            ) -> Result<Vec<$crate::partners::ReferralRecord>, StoreError> {
                sqlx::query(&q(&format!(
                    "SELECT {REFERRAL_COLUMNS} FROM referral r WHERE r.case_id = ? \
                     ORDER BY r.offered_day, r.id"
                )))
                .bind(case.to_vec())
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(Self::referral_from_row)
                .collect()
            }

            async fn staff_referrals(
                &self,
                staff: StaffId,
            ) -> Result<Vec<($crate::partners::ReferralRecord, Vec<u8>)>, StoreError> {
                let rows = sqlx::query(&q(&format!(
                    "SELECT {REFERRAL_COLUMNS}, g.wrapped FROM referral r \
                     JOIN referral_grant g ON g.referral_id = r.id \
                     WHERE g.staff_id = ? ORDER BY r.offered_day DESC, r.id"
                )))
                .bind(staff.as_bytes().to_vec())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| Ok((Self::referral_from_row(row)?, row.try_get(11)?)))
                    .collect()
            }

            async fn answer_referral(&self, id: &[u8; 16], status: &str, by: StaffId) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "UPDATE referral SET status = ?, answered_by = ?, answer_seen = 0 \
                     WHERE id = ? AND status = 'offered'",
                ))
                .bind(status)
                .bind(by.as_bytes().to_vec())
                .bind(id.to_vec())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn mark_referral_seen(&self, id: &[u8; 16]) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE referral SET seen = 1 WHERE id = ? AND seen = 0"))
                    .bind(id.to_vec())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn revoke_referral(&self, id: &[u8; 16]) -> Result<bool, StoreError> {
                let mut tx = self.pool.begin().await?;
                if !Self::revoke_in(&mut tx, id, false).await? {
                    tx.rollback().await?;
                    return Ok(false);
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn claim_referral_file(&self, id: &[u8; 16], kind: &str, day: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "INSERT INTO referral_file_seen (file_id, kind, seen_day) VALUES (?, ?, ?) \
                     ON CONFLICT (file_id) DO NOTHING",
                ))
                .bind(id.to_vec())
                .bind(kind)
                .bind(day)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_referral_file(&self, id: &[u8; 16]) -> Result<(), StoreError> {
                sqlx::query(&q("DELETE FROM referral_file_seen WHERE file_id = ?"))
                    .bind(id.to_vec())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn forget_referral_files_seen_before(&self, day: i64) -> Result<u64, StoreError> {
                let done = sqlx::query(&q("DELETE FROM referral_file_seen WHERE seen_day < ?"))
                    .bind(day)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn withdraw_consents(
                &self,
                case: &[u8; 16],
                partner: &[u8; 16],
                day: i64,
            ) -> Result<Option<Vec<$crate::partners::ReferralRecord>>, StoreError> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query(&q(
                    "UPDATE referral_consent SET withdrawn_day = ?, withdrawal_seen = 0 \
                     WHERE case_id = ? AND partner_id = ? AND withdrawn_day IS NULL",
                ))
                .bind(day)
                .bind(case.to_vec())
                .bind(partner.to_vec())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(None);
                }
                let live = sqlx::query(&q(&format!(
                    "SELECT {REFERRAL_COLUMNS} FROM referral r WHERE r.case_id = ? AND r.partner_id = ? \
                     AND r.status IN ('offered', 'accepted', 'declined') ORDER BY r.offered_day, r.id"
                )))
                .bind(case.to_vec())
                .bind(partner.to_vec())
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(Self::referral_from_row)
                .collect::<Result<Vec<_>, StoreError>>()?;
                for referral in &live {
                    Self::revoke_in(&mut tx, &referral.id, true).await?;
                }
                tx.commit().await?;
                Ok(Some(live))
            }

            async fn referral_news(
                &self,
                staff: StaffId,
            ) -> Result<Vec<$crate::partners::ReferralNews>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT r.case_id, r.partner_id, r.status FROM referral r \
                     JOIN case_assignment a ON a.case_id = r.case_id \
                     WHERE a.staff_id = ? AND a.duty = 'coordinator' AND r.answer_seen = 0 \
                     AND r.status IN ('accepted', 'declined') \
                     UNION \
                     SELECT c.case_id, c.partner_id, 'withdrawn' FROM referral_consent c \
                     JOIN case_assignment a ON a.case_id = c.case_id \
                     WHERE a.staff_id = ? AND a.duty = 'coordinator' AND c.withdrawal_seen = 0",
                ))
                .bind(staff.as_bytes().to_vec())
                .bind(staff.as_bytes().to_vec())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok($crate::partners::ReferralNews {
                            case_id: id16(row.try_get::<&[u8], _>(0)?, "case")?,
                            partner_id: id16(row.try_get::<&[u8], _>(1)?, "partner")?,
                            what: row.try_get(2)?,
                        })
                    })
                    .collect()
            }

            async fn mark_referral_news_seen(&self, case: &[u8; 16]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(&q("UPDATE referral SET answer_seen = 1 WHERE case_id = ? AND answer_seen = 0"))
                    .bind(case.to_vec())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&q(
                    "UPDATE referral_consent SET withdrawal_seen = 1 WHERE case_id = ? AND withdrawal_seen = 0",
                ))
                .bind(case.to_vec())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use partners_impl;
