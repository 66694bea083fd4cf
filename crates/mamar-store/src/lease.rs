//! Leases for singletons: work that only one of several servers on one
//! database may do at a time (the Telegram poller). A lease is a named row
//! held by one server's random id until a time; the holder renews it while
//! it works and may keep a number in it for whoever holds it next (the
//! Telegram update offset, so a successor neither repeats nor skips
//! updates). A server that stops without releasing loses the lease when it
//! expires. A separate trait from [`crate::Store`] (which requires it).

use crate::StoreError;

#[async_trait::async_trait]
pub trait LeaseStore: Send + Sync {
    /// Takes the lease `name` for `holder` until `until` (Unix seconds) if
    /// nobody else holds it at `now`, or renews it if `holder` does.
    /// Returns the number kept in it, or `None` when another holds it.
    async fn take_lease(
        &self,
        name: &str,
        holder: &[u8; 16],
        now: i64,
        until: i64,
    ) -> Result<Option<i64>, StoreError>;

    /// Renews the lease until `until` and keeps `value` in it. `false` when
    /// `holder` no longer holds it (it expired and another took it).
    async fn renew_lease(
        &self,
        name: &str,
        holder: &[u8; 16],
        until: i64,
        value: i64,
    ) -> Result<bool, StoreError>;

    /// Gives the lease up at once (its value stays for the next holder).
    async fn release_lease(&self, name: &str, holder: &[u8; 16]) -> Result<(), StoreError>;
}

/// `impl LeaseStore for $store`, shared by both backends (each expands it
/// with its own `q`).
macro_rules! lease_impl {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::lease::LeaseStore for $store {
            async fn take_lease(
                &self,
                name: &str,
                holder: &[u8; 16],
                now: i64,
                until: i64,
            ) -> Result<Option<i64>, $crate::StoreError> {
                use sqlx::Row;
                let row = sqlx::query(&q(
                    "INSERT INTO singleton_lease (name, holder, expires_at, value) VALUES (?, ?, ?, 0) \
                     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
                     WHERE singleton_lease.holder = excluded.holder OR singleton_lease.expires_at <= ? \
                     RETURNING value",
                ))
                .bind(name)
                .bind(holder.as_slice())
                .bind(until)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                Ok(match row {
                    Some(row) => Some(row.try_get::<i64, _>(0)?),
                    None => None,
                })
            }

            async fn renew_lease(
                &self,
                name: &str,
                holder: &[u8; 16],
                until: i64,
                value: i64,
            ) -> Result<bool, $crate::StoreError> {
                let done = sqlx::query(&q(
                    "UPDATE singleton_lease SET expires_at = ?, value = ? WHERE name = ? AND holder = ?",
                ))
                .bind(until)
                .bind(value)
                .bind(name)
                .bind(holder.as_slice())
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_lease(&self, name: &str, holder: &[u8; 16]) -> Result<(), $crate::StoreError> {
                sqlx::query(&q(
                    "UPDATE singleton_lease SET expires_at = 0 WHERE name = ? AND holder = ?",
                ))
                .bind(name)
                .bind(holder.as_slice())
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use lease_impl;
