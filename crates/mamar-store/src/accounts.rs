//! Staff accounts beyond their keys: login protection (failed attempts,
//! lockout), second factors, duress keys, invitations, role changes,
//! disabling, and alerts for administrators. A separate trait from
//! [`crate::Store`] (which requires it) so that the account methods read as
//! one unit.

use mamar_core::{Role, StaffId, Username};

use crate::model::NewOrgKeyGrant;
use crate::{NewStaff, StaffRecord, StoreError};

/// What the login path needs besides the wrapped keys. The blobs are
/// ciphertext; `Debug` still leaves them out.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LoginState {
    pub failed_logins: i64,
    /// Unix seconds; no login before then.
    pub locked_until: i64,
    /// The TOTP secret sealed to the staff member's own key.
    pub totp_sealed: Option<Vec<u8>>,
    /// The last TOTP step accepted, so no code is used twice.
    pub totp_last_step: Option<i64>,
    /// A throwaway key pair wrapped under the duress password.
    pub duress_keys: Option<Vec<u8>>,
}

impl std::fmt::Debug for LoginState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginState")
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .field("has_totp", &self.totp_sealed.is_some())
            .field("has_duress", &self.duress_keys.is_some())
            .finish()
    }
}

/// An invitation to open an account. Only a hash of its one-time token is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub token_hash: [u8; 32],
    pub username: Username,
    pub roles: Vec<Role>,
    pub invited_by: StaffId,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Something administrators must see (a duress login). Ids and kinds only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAlert {
    pub id: [u8; 16],
    pub kind: String,
    pub staff_id: StaffId,
    pub at: i64,
}

#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
    async fn login_state(&self, staff: StaffId) -> Result<Option<LoginState>, StoreError>;

    /// Records the count of consecutive failed logins and the lockout that follows from it.
    async fn set_login_failures(
        &self,
        staff: StaffId,
        failed_logins: i64,
        locked_until: i64,
    ) -> Result<(), StoreError>;

    /// Counts one more failed login, atomically (parallel attempts are all
    /// counted), and returns the new count.
    async fn count_login_failure(&self, staff: StaffId) -> Result<i64, StoreError>;

    /// Locks the account until `until` (Unix seconds), keeping the count.
    async fn lock_login(&self, staff: StaffId, until: i64) -> Result<(), StoreError>;

    /// Replaces (or with `None` removes) the sealed TOTP secret; the used-step memory starts afresh.
    async fn set_totp(&self, staff: StaffId, sealed: Option<&[u8]>) -> Result<(), StoreError>;

    /// Marks TOTP step `step` used. Returns `false` when it (or a later one)
    /// was used already, atomically, so two requests cannot both use one code.
    async fn claim_totp_step(&self, staff: StaffId, step: i64) -> Result<bool, StoreError>;

    async fn set_duress_keys(&self, staff: StaffId, wrapped: Option<&[u8]>) -> Result<(), StoreError>;

    /// Every account, in user-name order.
    async fn all_staff(&self) -> Result<Vec<StaffRecord>, StoreError>;

    async fn set_staff_roles(&self, staff: StaffId, roles: &[Role]) -> Result<(), StoreError>;

    /// Disables or re-enables an account; disabling ends its sessions at once.
    async fn set_staff_disabled(&self, staff: StaffId, disabled: bool) -> Result<(), StoreError>;

    /// Ends a staff member's sessions, except `keep` if given; returns how many.
    async fn delete_staff_sessions(&self, staff: StaffId, keep: Option<[u8; 16]>) -> Result<u64, StoreError>;

    /// Wraps more organisation keys to a staff member (grants already there are kept).
    async fn add_org_key_grants(&self, staff: StaffId, grants: &[NewOrgKeyGrant]) -> Result<(), StoreError>;

    /// Removes every organisation key wrapped to a staff member.
    async fn delete_org_key_grants(&self, staff: StaffId) -> Result<u64, StoreError>;

    /// The duress response: in one transaction, destroys every key wrapped to
    /// the staff member (organisation keys, case keys, their own password-
    /// wrapped keys, second factor, duress keys), ends their sessions except
    /// `keep`, and disables the account.
    async fn wipe_staff_keys(&self, staff: StaffId, keep: Option<[u8; 16]>) -> Result<(), StoreError>;

    /// Fails with [`StoreError::UsernameTaken`] when an account or another
    /// invitation has the user name.
    async fn create_invitation(&self, invitation: &Invitation) -> Result<(), StoreError>;

    async fn invitation(&self, token_hash: &[u8; 32]) -> Result<Option<Invitation>, StoreError>;

    async fn invitations(&self) -> Result<Vec<Invitation>, StoreError>;

    async fn delete_invitation(&self, token_hash: &[u8; 32]) -> Result<bool, StoreError>;

    /// Turns an unexpired invitation into the account `staff` (whose user name
    /// and roles must be the invitation's), in one transaction: the token can
    /// be used once. Fails with [`StoreError::InvitationInvalid`] otherwise.
    async fn accept_invitation(
        &self,
        token_hash: &[u8; 32],
        now: i64,
        staff: &NewStaff,
    ) -> Result<(), StoreError>;

    async fn add_alert(&self, alert: &StaffAlert) -> Result<(), StoreError>;

    /// The newest alerts first, at most `limit`.
    async fn alerts(&self, limit: u32) -> Result<Vec<StaffAlert>, StoreError>;

    /// Stores a security key or passkey (its serialised public credential).
    /// Fails with [`StoreError::CredentialTaken`] if the credential id is known.
    async fn add_webauthn_credential(
        &self,
        staff: StaffId,
        credential_id: &[u8],
        passkey: &[u8],
        now: i64,
    ) -> Result<(), StoreError>;

    /// A staff member's keys: (credential id, serialised credential), oldest first.
    async fn webauthn_credentials(&self, staff: StaffId) -> Result<Vec<(Vec<u8>, Vec<u8>)>, StoreError>;

    /// Removes every security key of a staff member; returns how many.
    async fn delete_webauthn_credentials(&self, staff: StaffId) -> Result<u64, StoreError>;

    /// A staff member's keys as they are listed to them, oldest first.
    async fn webauthn_key_list(&self, staff: StaffId) -> Result<Vec<crate::model::WebauthnKey>, StoreError>;

    /// Names (or, with `None`, unnames) one of a staff member's keys; false
    /// when they have no such key. The name comes sealed to their own key.
    async fn name_webauthn_key(
        &self,
        staff: StaffId,
        credential_id: &[u8],
        name_sealed: Option<&[u8]>,
    ) -> Result<bool, StoreError>;

    /// Removes one of a staff member's keys; false when they have no such key.
    async fn delete_webauthn_credential(
        &self,
        staff: StaffId,
        credential_id: &[u8],
    ) -> Result<bool, StoreError>;

    /// Replaces a stored credential (its signature counter moved on).
    async fn update_webauthn_credential(
        &self,
        credential_id: &[u8],
        passkey: &[u8],
    ) -> Result<(), StoreError>;

    /// Keeps the state of a WebAuthn ceremony a session has begun (one per kind).
    async fn save_webauthn_challenge(
        &self,
        session: &[u8; 16],
        kind: &str,
        state: &[u8],
        now: i64,
    ) -> Result<(), StoreError>;

    /// Takes (reads and deletes) the state of a ceremony begun at or after `not_before`.
    async fn take_webauthn_challenge(
        &self,
        session: &[u8; 16],
        kind: &str,
        not_before: i64,
    ) -> Result<Option<Vec<u8>>, StoreError>;
}

/// `impl AccountStore for $store`, shared by both backends like
/// [`crate::shared`]'s macros: each expands it with its own `q`, pool and
/// row types.
macro_rules! accounts_impl {
    ($store:ty, $row:ty) => {
        impl $store {
            fn invitation_from_row(row: &$row) -> Result<Invitation, StoreError> {
                let hash: &[u8] = row.try_get(0)?;
                Ok(Invitation {
                    token_hash: hash
                        .try_into()
                        .map_err(|_| StoreError::Corrupt("invitation token".into()))?,
                    username: username_from_text(row.try_get(1)?)?,
                    roles: roles_from_text(row.try_get(2)?)?,
                    invited_by: staff_id_from_bytes(row.try_get::<&[u8], _>(3)?)?,
                    created_at: row.try_get(4)?,
                    expires_at: row.try_get(5)?,
                })
            }
        }

        #[async_trait::async_trait]
        impl AccountStore for $store {
            async fn login_state(&self, staff: StaffId) -> Result<Option<LoginState>, StoreError> {
                let row = sqlx::query(&q(
                    "SELECT failed_logins, locked_until, totp_sealed, totp_last_step, duress_keys \
                     FROM staff WHERE id = ?",
                ))
                .bind(staff.as_bytes().as_slice())
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| {
                    Ok(LoginState {
                        failed_logins: row.try_get(0)?,
                        locked_until: row.try_get(1)?,
                        totp_sealed: row.try_get(2)?,
                        totp_last_step: row.try_get(3)?,
                        duress_keys: row.try_get(4)?,
                    })
                })
                .transpose()
            }

            async fn set_login_failures(
                &self,
                staff: StaffId,
                failed_logins: i64,
                locked_until: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE staff SET failed_logins = ?, locked_until = ? WHERE id = ?"))
                    .bind(failed_logins)
                    .bind(locked_until)
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn count_login_failure(&self, staff: StaffId) -> Result<i64, StoreError> {
                let row = sqlx::query(&q(
                    "UPDATE staff SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
                ))
                .bind(staff.as_bytes().as_slice())
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|row| row.try_get(0)).transpose()?.unwrap_or(0))
            }

            async fn lock_login(&self, staff: StaffId, until: i64) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE staff SET locked_until = ? WHERE id = ?"))
                    .bind(until)
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_totp(&self, staff: StaffId, sealed: Option<&[u8]>) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE staff SET totp_sealed = ?, totp_last_step = NULL WHERE id = ?"))
                    .bind(sealed)
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn claim_totp_step(&self, staff: StaffId, step: i64) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "UPDATE staff SET totp_last_step = ? \
                     WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
                ))
                .bind(step)
                .bind(staff.as_bytes().as_slice())
                .bind(step)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_duress_keys(&self, staff: StaffId, wrapped: Option<&[u8]>) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE staff SET duress_keys = ? WHERE id = ?"))
                    .bind(wrapped)
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn all_staff(&self) -> Result<Vec<StaffRecord>, StoreError> {
                let sql = format!("SELECT {STAFF_COLUMNS} FROM staff ORDER BY username");
                let rows = sqlx::query(&q(&sql)).fetch_all(&self.pool).await?;
                rows.iter().map(Self::staff_from_row).collect()
            }

            async fn set_staff_roles(&self, staff: StaffId, roles: &[mamar_core::Role]) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE staff SET roles = ? WHERE id = ?"))
                    .bind(roles_to_text(roles))
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_staff_disabled(&self, staff: StaffId, disabled: bool) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(&q("UPDATE staff SET disabled = ? WHERE id = ?"))
                    .bind(disabled)
                    .bind(staff.as_bytes().as_slice())
                    .execute(&mut *tx)
                    .await?;
                if disabled {
                    sqlx::query(&q("DELETE FROM staff_session WHERE staff_id = ?"))
                        .bind(staff.as_bytes().as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn delete_staff_sessions(
                &self,
                staff: StaffId,
                keep: Option<[u8; 16]>,
            ) -> Result<u64, StoreError> {
                let done = sqlx::query(&q("DELETE FROM staff_session WHERE staff_id = ? AND id <> ?"))
                    .bind(staff.as_bytes().as_slice())
                    .bind(keep.unwrap_or_default().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn add_org_key_grants(
                &self,
                staff: StaffId,
                grants: &[NewOrgKeyGrant],
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                for grant in grants {
                    sqlx::query(&q(
                        "INSERT INTO org_key_grant (kind, generation, staff_id, wrapped) VALUES (?, ?, ?, ?) \
                         ON CONFLICT (kind, generation, staff_id) DO NOTHING",
                    ))
                    .bind(&grant.kind)
                    .bind(grant.generation)
                    .bind(staff.as_bytes().as_slice())
                    .bind(&grant.wrapped)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn delete_org_key_grants(&self, staff: StaffId) -> Result<u64, StoreError> {
                let done = sqlx::query(&q("DELETE FROM org_key_grant WHERE staff_id = ?"))
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn wipe_staff_keys(&self, staff: StaffId, keep: Option<[u8; 16]>) -> Result<(), StoreError> {
                let id = staff.as_bytes().as_slice();
                let mut tx = self.pool.begin().await?;
                for statement in [
                    "DELETE FROM org_key_grant WHERE staff_id = ?",
                    "DELETE FROM case_key_grant WHERE staff_id = ?",
                ] {
                    sqlx::query(&q(statement)).bind(id).execute(&mut *tx).await?;
                }
                sqlx::query(&q("DELETE FROM staff_session WHERE staff_id = ? AND id <> ?"))
                    .bind(id)
                    .bind(keep.unwrap_or_default().as_slice())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&q(
                    "UPDATE staff SET wrapped_secret_keys = ?, totp_sealed = NULL, duress_keys = NULL, \
                     disabled = ? WHERE id = ?",
                ))
                .bind(Vec::<u8>::new())
                .bind(true)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_invitation(&self, invitation: &Invitation) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let taken = sqlx::query(&q("SELECT 1 FROM staff WHERE username = ?"))
                    .bind(invitation.username.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::UsernameTaken);
                }
                sqlx::query(&q(
                    "INSERT INTO staff_invitation (token_hash, username, roles, invited_by, created_at, expires_at) \
                     VALUES (?, ?, ?, ?, ?, ?)",
                ))
                .bind(invitation.token_hash.as_slice())
                .bind(invitation.username.as_str())
                .bind(roles_to_text(&invitation.roles))
                .bind(invitation.invited_by.as_bytes().as_slice())
                .bind(invitation.created_at)
                .bind(invitation.expires_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_unique_violation(e, StoreError::UsernameTaken))?;
                tx.commit().await?;
                Ok(())
            }

            async fn invitation(&self, token_hash: &[u8; 32]) -> Result<Option<Invitation>, StoreError> {
                let row = sqlx::query(&q(&format!("{INVITATION_COLUMNS} WHERE token_hash = ?")))
                    .bind(token_hash.as_slice())
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref().map(Self::invitation_from_row).transpose()
            }

            async fn invitations(&self) -> Result<Vec<Invitation>, StoreError> {
                let rows = sqlx::query(&q(&format!("{INVITATION_COLUMNS} ORDER BY username")))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(Self::invitation_from_row).collect()
            }

            async fn delete_invitation(&self, token_hash: &[u8; 32]) -> Result<bool, StoreError> {
                let done = sqlx::query(&q("DELETE FROM staff_invitation WHERE token_hash = ?"))
                    .bind(token_hash.as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn accept_invitation(
                &self,
                token_hash: &[u8; 32],
                now: i64,
                staff: &NewStaff,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                let row = sqlx::query(&q(&format!("{INVITATION_COLUMNS} WHERE token_hash = ?")))
                    .bind(token_hash.as_slice())
                    .fetch_optional(&mut *tx)
                    .await?;
                let invitation = row.as_ref().map(Self::invitation_from_row).transpose()?;
                let Some(invitation) = invitation else {
                    return Err(StoreError::InvitationInvalid);
                };
                if invitation.expires_at <= now
                    || invitation.username != staff.username
                    || invitation.roles != staff.roles
                {
                    return Err(StoreError::InvitationInvalid);
                }
                let done = sqlx::query(&q("DELETE FROM staff_invitation WHERE token_hash = ?"))
                    .bind(token_hash.as_slice())
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::InvitationInvalid);
                }
                Self::insert_staff(&mut tx, staff, &[]).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_alert(&self, alert: &StaffAlert) -> Result<(), StoreError> {
                sqlx::query(&q("INSERT INTO staff_alert (id, kind, staff_id, at) VALUES (?, ?, ?, ?)"))
                    .bind(alert.id.as_slice())
                    .bind(&alert.kind)
                    .bind(alert.staff_id.as_bytes().as_slice())
                    .bind(alert.at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn add_webauthn_credential(
                &self,
                staff: StaffId,
                credential_id: &[u8],
                passkey: &[u8],
                now: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO staff_webauthn (credential_id, staff_id, passkey, created_at) VALUES (?, ?, ?, ?)",
                ))
                .bind(credential_id)
                .bind(staff.as_bytes().as_slice())
                .bind(passkey)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(|e| StoreError::from_unique_violation(e, StoreError::CredentialTaken))?;
                Ok(())
            }

            async fn webauthn_credentials(
                &self,
                staff: StaffId,
            ) -> Result<Vec<(Vec<u8>, Vec<u8>)>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT credential_id, passkey FROM staff_webauthn WHERE staff_id = ? ORDER BY created_at, credential_id",
                ))
                .bind(staff.as_bytes().as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).collect()
            }

            async fn delete_webauthn_credentials(&self, staff: StaffId) -> Result<u64, StoreError> {
                let done = sqlx::query(&q("DELETE FROM staff_webauthn WHERE staff_id = ?"))
                    .bind(staff.as_bytes().as_slice())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn webauthn_key_list(
                &self,
                staff: StaffId,
            ) -> Result<Vec<crate::model::WebauthnKey>, StoreError> {
                let rows = sqlx::query(&q(
                    "SELECT credential_id, created_at, name_sealed FROM staff_webauthn WHERE staff_id = ? \
                     ORDER BY created_at, credential_id",
                ))
                .bind(staff.as_bytes().as_slice())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|row| {
                        Ok(crate::model::WebauthnKey {
                            credential_id: row.try_get(0)?,
                            added: row.try_get(1)?,
                            name_sealed: row.try_get(2)?,
                        })
                    })
                    .collect()
            }

            async fn name_webauthn_key(
                &self,
                staff: StaffId,
                credential_id: &[u8],
                name_sealed: Option<&[u8]>,
            ) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "UPDATE staff_webauthn SET name_sealed = ? WHERE staff_id = ? AND credential_id = ?",
                ))
                .bind(name_sealed)
                .bind(staff.as_bytes().as_slice())
                .bind(credential_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_webauthn_credential(&self, staff: StaffId, credential_id: &[u8]) -> Result<bool, StoreError> {
                let done = sqlx::query(&q(
                    "DELETE FROM staff_webauthn WHERE staff_id = ? AND credential_id = ?",
                ))
                .bind(staff.as_bytes().as_slice())
                .bind(credential_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn update_webauthn_credential(
                &self,
                credential_id: &[u8],
                passkey: &[u8],
            ) -> Result<(), StoreError> {
                sqlx::query(&q("UPDATE staff_webauthn SET passkey = ? WHERE credential_id = ?"))
                    .bind(passkey)
                    .bind(credential_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn save_webauthn_challenge(
                &self,
                session: &[u8; 16],
                kind: &str,
                state: &[u8],
                now: i64,
            ) -> Result<(), StoreError> {
                sqlx::query(&q(
                    "INSERT INTO webauthn_challenge (session_id, kind, state, created_at) VALUES (?, ?, ?, ?) \
                     ON CONFLICT (session_id, kind) DO UPDATE SET state = excluded.state, created_at = excluded.created_at",
                ))
                .bind(session.as_slice())
                .bind(kind)
                .bind(state)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn take_webauthn_challenge(
                &self,
                session: &[u8; 16],
                kind: &str,
                not_before: i64,
            ) -> Result<Option<Vec<u8>>, StoreError> {
                let row = sqlx::query(&q(
                    "DELETE FROM webauthn_challenge WHERE session_id = ? AND kind = ? RETURNING state, created_at",
                ))
                .bind(session.as_slice())
                .bind(kind)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(row) if row.try_get::<i64, _>(1)? >= not_before => Ok(Some(row.try_get(0)?)),
                    _ => Ok(None),
                }
            }

            async fn alerts(&self, limit: u32) -> Result<Vec<StaffAlert>, StoreError> {
                let rows = sqlx::query(&q("SELECT id, kind, staff_id, at FROM staff_alert ORDER BY at DESC LIMIT ?"))
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(StaffAlert {
                            id: id16(row.try_get::<&[u8], _>(0)?, "alert")?,
                            kind: row.try_get(1)?,
                            staff_id: staff_id_from_bytes(row.try_get::<&[u8], _>(2)?)?,
                            at: row.try_get(3)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) const INVITATION_COLUMNS: &str =
    "SELECT token_hash, username, roles, invited_by, created_at, expires_at FROM staff_invitation";

pub(crate) use accounts_impl;
