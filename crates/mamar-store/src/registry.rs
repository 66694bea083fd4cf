//! The registry's release log and the privacy budget of each release
//! period (issue 21). A separate trait from [`crate::Store`] (which
//! requires it). Releases are public: stored as they are published, signed.

use crate::StoreError;

/// A release to record, signed, with the privacy loss it spends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelease {
    /// The next number ([`RegistryStore::next_release_number`]), which is in
    /// the signed files.
    pub number: u32,
    pub period: String,
    /// The period's limit, in millionths of ε; set by the period's first
    /// release and kept.
    pub limit_micro: u64,
    pub published_on: String,
    pub epsilon_micro: u64,
    pub signed_csv: String,
    pub signed_json: String,
}

/// A recorded release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRelease {
    pub number: u32,
    pub period: String,
    pub published_on: String,
    pub epsilon_micro: u64,
    pub signed_csv: String,
    pub signed_json: String,
}

/// What a period may spend and has spent, in millionths of ε.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodBudget {
    pub limit_micro: u64,
    pub spent_micro: u64,
}

#[async_trait::async_trait]
pub trait RegistryStore: Send + Sync {
    /// The number the next release will carry.
    async fn next_release_number(&self) -> Result<u32, StoreError>;

    /// Records a release and charges its period, in one transaction.
    /// `Ok(false)`, and nothing recorded or charged, when the charge would
    /// take the period past its limit; [`StoreError::Conflict`] when another
    /// release took the number meanwhile.
    async fn add_release(&self, release: &NewRelease) -> Result<bool, StoreError>;

    /// Every release, newest first.
    async fn releases(&self) -> Result<Vec<StoredRelease>, StoreError>;

    async fn release(&self, number: u32) -> Result<Option<StoredRelease>, StoreError>;

    /// A period's budget, once it has had a release.
    async fn period_budget(&self, period: &str) -> Result<Option<PeriodBudget>, StoreError>;
}

pub(crate) fn to_db(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value)
        .map_err(|_| StoreError::Corrupt("a privacy amount beyond the database's range".into()))
}

pub(crate) fn from_db(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt("a negative privacy amount".into()))
}

pub(crate) fn number_from_db(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt("a release number".into()))
}

/// `impl RegistryStore for $store`, expanded by each backend with its own
/// `q`, pool and row type.
macro_rules! registry_impl {
    ($store:ty, $row:ty) => {
        impl $store {
            fn release_from_row(row: &$row) -> Result<$crate::registry::StoredRelease, StoreError> {
                Ok($crate::registry::StoredRelease {
                    number: $crate::registry::number_from_db(row.try_get(0)?)?,
                    period: row.try_get(1)?,
                    published_on: row.try_get(2)?,
                    epsilon_micro: $crate::registry::from_db(row.try_get(3)?)?,
                    signed_csv: row.try_get(4)?,
                    signed_json: row.try_get(5)?,
                })
            }
        }

        #[async_trait::async_trait]
        impl $crate::registry::RegistryStore for $store {
            async fn next_release_number(&self) -> Result<u32, StoreError> {
                let row = sqlx::query(&q(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM registry_release",
                ))
                .fetch_one(&self.pool)
                .await?;
                $crate::registry::number_from_db(row.try_get(0)?)
            }

            async fn add_release(&self, release: &$crate::registry::NewRelease) -> Result<bool, StoreError> {
                use $crate::registry::to_db;
                let mut tx = self.pool.begin().await?;
                sqlx::query(&q(
                    "INSERT INTO registry_budget (period, limit_micro, spent_micro) VALUES (?, ?, 0) \
                     ON CONFLICT (period) DO NOTHING",
                ))
                .bind(&release.period)
                .bind(to_db(release.limit_micro)?)
                .execute(&mut *tx)
                .await?;
                let charged = sqlx::query(&q(
                    "UPDATE registry_budget SET spent_micro = spent_micro + ? \
                     WHERE period = ? AND spent_micro + ? <= limit_micro",
                ))
                .bind(to_db(release.epsilon_micro)?)
                .bind(&release.period)
                .bind(to_db(release.epsilon_micro)?)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if charged != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let inserted = sqlx::query(&q("INSERT INTO registry_release \
                     (number, period, published_on, epsilon_micro, signed_csv, signed_json) \
                     VALUES (?, ?, ?, ?, ?, ?)"))
                .bind(i64::from(release.number))
                .bind(&release.period)
                .bind(&release.published_on)
                .bind(to_db(release.epsilon_micro)?)
                .bind(&release.signed_csv)
                .bind(&release.signed_json)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(_) => {}
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        return Err(StoreError::Conflict);
                    }
                    Err(e) => return Err(e.into()),
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn releases(&self) -> Result<Vec<$crate::registry::StoredRelease>, StoreError> {
                sqlx::query(&q(
                    "SELECT number, period, published_on, epsilon_micro, signed_csv, signed_json \
                     FROM registry_release ORDER BY number DESC",
                ))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(Self::release_from_row)
                .collect()
            }

            async fn release(
                &self,
                number: u32,
            ) -> Result<Option<$crate::registry::StoredRelease>, StoreError> {
                sqlx::query(&q(
                    "SELECT number, period, published_on, epsilon_micro, signed_csv, signed_json \
                     FROM registry_release WHERE number = ?",
                ))
                .bind(i64::from(number))
                .fetch_optional(&self.pool)
                .await?
                .as_ref()
                .map(Self::release_from_row)
                .transpose()
            }

            async fn period_budget(
                &self,
                period: &str,
            ) -> Result<Option<$crate::registry::PeriodBudget>, StoreError> {
                sqlx::query(&q(
                    "SELECT limit_micro, spent_micro FROM registry_budget WHERE period = ?",
                ))
                .bind(period)
                .fetch_optional(&self.pool)
                .await?
                .map(|row| {
                    Ok($crate::registry::PeriodBudget {
                        limit_micro: $crate::registry::from_db(row.try_get(0)?)?,
                        spent_micro: $crate::registry::from_db(row.try_get(1)?)?,
                    })
                })
                .transpose()
            }
        }
    };
}

pub(crate) use registry_impl;
