//! The rest of a case's journey as the store keeps it: the exit plan's
//! records across a person's cases (for the alerts of missed check-ins and
//! overdue tasks, evaluated at read time by the use cases). A separate
//! trait from [`crate::CaseStore`] (which [`crate::Store`] also requires),
//! so the case store stays as it is. Everything returned is ciphertext
//! under the case key, with the caller's own wrapped key beside it.

use mamar_core::StaffId;

use crate::StoreError;
use crate::model::NewCaseRecord;

/// A record of one of a person's cases, with their wrapped key to it.
#[derive(Debug, Clone)]
pub struct StaffCaseRecord {
    pub case_id: [u8; 16],
    pub wrapped_key: Vec<u8>,
    pub record: NewCaseRecord,
}

#[async_trait::async_trait]
pub trait JourneyStore: Send + Sync {
    /// The records of the given kinds on every case `staff` holds a key to,
    /// by case and then in the order they were added.
    async fn staff_case_records(
        &self,
        staff: StaffId,
        kinds: &[&str],
    ) -> Result<Vec<StaffCaseRecord>, StoreError>;
}

/// `impl JourneyStore for $store`, expanded by each backend with its own `q`.
macro_rules! journey_impl {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::journey::JourneyStore for $store {
            async fn staff_case_records(
                &self,
                staff: StaffId,
                kinds: &[&str],
            ) -> Result<Vec<$crate::journey::StaffCaseRecord>, StoreError> {
                if kinds.is_empty() {
                    return Ok(Vec::new());
                }
                let marks = vec!["?"; kinds.len()].join(", ");
                let sql = format!(
                    "SELECT r.case_id, g.wrapped, r.id, r.kind, r.schema_version, r.ciphertext \
                     FROM case_key_grant g JOIN case_record r ON r.case_id = g.case_id \
                     WHERE g.staff_id = ? AND r.kind IN ({marks}) ORDER BY r.case_id, r.seq, r.id"
                );
                let sql = q(&sql);
                let mut query = sqlx::query(&sql).bind(staff.as_bytes().to_vec());
                for kind in kinds {
                    query = query.bind((*kind).to_owned());
                }
                let rows = query.fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|row| {
                        Ok($crate::journey::StaffCaseRecord {
                            case_id: id16(row.try_get::<&[u8], _>(0)?, "case")?,
                            wrapped_key: row.try_get(1)?,
                            record: NewCaseRecord {
                                id: id16(row.try_get::<&[u8], _>(2)?, "record")?,
                                kind: row.try_get(3)?,
                                schema_version: row.try_get(4)?,
                                ciphertext: row.try_get(5)?,
                            },
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use journey_impl;
