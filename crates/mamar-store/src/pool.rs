//! What a pooled connection must satisfy to be used again.
//!
//! A COMMIT that fails (a full disk, an I/O error) leaves sqlx's count of
//! open transactions on the connection at one, and when the database has
//! already rolled the transaction back, the ROLLBACK sqlx sends on drop
//! fails too and the count stays. Returned to the pool, such a connection
//! turns the next `BEGIN` into a `SAVEPOINT` and the next "commit" into the
//! release of a savepoint inside a transaction that never ends: the writer
//! would acknowledge requests that are never written, while holding the
//! write lock against everyone else. A connection goes back to the pool
//! only outside any transaction; otherwise it is closed and the pool opens
//! a fresh one.

use sqlx::Connection;

/// Whether `conn`, just released, may serve another caller.
pub(crate) async fn fit_for_reuse<C: Connection>(conn: &mut C) -> Result<bool, sqlx::Error> {
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    // The rollback of a dropped transaction may still be queued on the
    // connection: one round trip lets it run before the count is read again.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a database connection was left inside a transaction; closing it");
        return Ok(false);
    }
    Ok(true)
}
