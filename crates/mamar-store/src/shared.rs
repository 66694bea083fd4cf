//! The store methods whose only difference between SQLite and PostgreSQL
//! is the placeholder syntax. Each backend expands these macros inside its
//! own impl blocks, with its own `q` (which rewrites `?` placeholders as the
//! backend needs), pool, connection and row types.

/// Helper functions: `$conn` is the backend's connection type, `$row` its row type.
macro_rules! shared_helpers {
    ($conn:ty, $row:ty) => {
        /// The rows `initialise` writes; the caller has made sure no other `init` runs at once.
        async fn insert_setup_rows(conn: &mut $conn, setup: &InitialSetup) -> Result<(), StoreError> {
            let exists = sqlx::query("SELECT 1 FROM organisation")
                .fetch_optional(&mut *conn)
                .await?;
            if exists.is_some() {
                return Err(StoreError::AlreadyInitialised);
            }
            let org = &setup.organisation;
            sqlx::query(&q(
                "INSERT INTO organisation (id, name_ar, name_en, default_locale) VALUES (1, ?, ?, ?)",
            ))
            .bind(org.name_ar())
            .bind(org.name_en())
            .bind(org.default_locale().code())
            .execute(&mut *conn)
            .await?;
            for key in &setup.org_keys {
                sqlx::query(&q(sql::INSERT_ORG_KEY))
                    .bind(&key.kind)
                    .bind(key.generation)
                    .bind(&key.public_part)
                    .execute(&mut *conn)
                    .await?;
            }
            Self::insert_staff(conn, &setup.admin, &setup.admin_grants()).await
        }

        async fn insert_staff(
            conn: &mut $conn,
            staff: &NewStaff,
            grants: &[NewOrgKeyGrant],
        ) -> Result<(), StoreError> {
            sqlx::query(&q(sql::INSERT_STAFF))
                .bind(staff.id.as_bytes().as_slice())
                .bind(staff.username.as_str())
                .bind(roles_to_text(&staff.roles))
                .bind(&staff.public_keys)
                .bind(&staff.wrapped_secret_keys)
                .execute(&mut *conn)
                .await
                .map_err(|e| StoreError::from_unique_violation(e, StoreError::UsernameTaken))?;
            for grant in grants {
                sqlx::query(&q(sql::INSERT_GRANT))
                    .bind(&grant.kind)
                    .bind(grant.generation)
                    .bind(staff.id.as_bytes().as_slice())
                    .bind(&grant.wrapped)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }

        fn intake_request_from_row(row: &$row) -> Result<IntakeRequest, StoreError> {
            Ok(IntakeRequest {
                id: id16(row.try_get::<&[u8], _>(0)?, "request")?,
                lookup_tag: row.try_get(1)?,
                requester_key: row.try_get(2)?,
                sealed: row.try_get(3)?,
                intake_generation: row.try_get(4)?,
                received_month: row.try_get(5)?,
                own_copy: row.try_get(6)?,
            })
        }

        fn staff_from_row(row: &$row) -> Result<StaffRecord, StoreError> {
            Ok(StaffRecord {
                id: staff_id_from_bytes(row.try_get::<&[u8], _>("id")?)?,
                username: username_from_text(row.try_get("username")?)?,
                roles: roles_from_text(row.try_get("roles")?)?,
                public_keys: row.try_get("public_keys")?,
                wrapped_secret_keys: row.try_get("wrapped_secret_keys")?,
                disabled: row.try_get("disabled")?,
            })
        }
    };
}

/// `impl Store for $store`: the backend's own methods, then the shared ones.
/// One macro for the whole impl, so that `async_trait` sees every method.
macro_rules! store_impl {
    ($store:ty, { $($own:tt)* }) => {
        #[async_trait::async_trait]
        impl Store for $store {
            $($own)*
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query(&q("SELECT 1")).execute(&self.pool).await?;
        Ok(())
    }

    async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
        let row = sqlx::query(&q("SELECT name_ar, name_en, default_locale FROM organisation WHERE id = 1"))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| organisation_from_row(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
            .transpose()
    }

    async fn staff_by_username(&self, username: &Username) -> Result<Option<StaffRecord>, StoreError> {
        let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE username = ?");
        let row = sqlx::query(&q(&sql))
            .bind(username.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::staff_from_row).transpose()
    }

    async fn staff_by_id(&self, id: StaffId) -> Result<Option<StaffRecord>, StoreError> {
        let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?");
        let row = sqlx::query(&q(&sql))
            .bind(id.as_bytes().as_slice())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::staff_from_row).transpose()
    }

    async fn org_public_key(&self, kind: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(&q(sql::SELECT_ORG_PUBLIC_KEY))
            .bind(kind)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    async fn org_key_grants(&self, staff: StaffId) -> Result<Vec<OrgKeyGrant>, StoreError> {
        let rows = sqlx::query(&q(
            "SELECT g.kind, g.generation, k.public_part, g.wrapped FROM org_key_grant g \
             JOIN org_key k ON k.kind = g.kind AND k.generation = g.generation \
             WHERE g.staff_id = ? ORDER BY g.kind, g.generation DESC",
        ))
        .bind(staff.as_bytes().as_slice())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(OrgKeyGrant {
                    kind: row.try_get("kind")?,
                    generation: row.try_get("generation")?,
                    public_part: row.try_get("public_part")?,
                    wrapped: row.try_get("wrapped")?,
                })
            })
            .collect()
    }

    async fn add_staff(&self, staff: &NewStaff, grants: &[NewOrgKeyGrant]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        Self::insert_staff(&mut tx, staff, grants).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        sqlx::query(&q(sql::INSERT_SESSION))
            .bind(session.id.as_slice())
            .bind(session.staff_id.as_bytes().as_slice())
            .bind(&session.keyring)
            .bind(&session.csrf_token)
            .bind(session.created_at)
            .bind(session.last_seen)
            .bind(session.stage.code())
            .bind(session.decoy)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, id: &[u8; 16]) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(&q(sql::SELECT_SESSION))
            .bind(id.as_slice())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(SessionRecord {
                id: id16(row.try_get::<&[u8], _>("id")?, "session")?,
                staff_id: staff_id_from_bytes(row.try_get::<&[u8], _>("staff_id")?)?,
                keyring: row.try_get("keyring")?,
                csrf_token: row.try_get("csrf_token")?,
                created_at: row.try_get("created_at")?,
                last_seen: row.try_get("last_seen")?,
                stage: SessionStage::from_code(row.try_get("stage")?)?,
                decoy: row.try_get("decoy")?,
            })
        })
        .transpose()
    }

    async fn touch_session(&self, id: &[u8; 16], now: i64) -> Result<(), StoreError> {
        sqlx::query(&q(sql::TOUCH_SESSION))
            .bind(now)
            .bind(id.as_slice())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_session(&self, id: &[u8; 16]) -> Result<bool, StoreError> {
        let done = sqlx::query(&q(sql::DELETE_SESSION))
            .bind(id.as_slice())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_expired_sessions(
        &self,
        idle_before: i64,
        created_before: i64,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(&q(sql::DELETE_EXPIRED_SESSIONS))
            .bind(idle_before)
            .bind(created_before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn save_recovery_bundle(&self, sealed: &[u8]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&q(sql::DELETE_RECOVERY)).execute(&mut *tx).await?;
        sqlx::query(&q(sql::INSERT_RECOVERY))
            .bind(sealed)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn recovery_bundle(&self) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(&q(sql::SELECT_RECOVERY))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    async fn insert_cases(&self, cases: &[NewCase]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for case in cases {
            sqlx::query(&q(sql::INSERT_CASE))
                .bind(case.id.as_slice())
                .bind(&case.stage)
                .bind(&case.opened_on)
                .execute(&mut *tx)
                .await?;
            for (staff, wrapped) in &case.grants {
                sqlx::query(&q(sql::INSERT_CASE_GRANT))
                    .bind(case.id.as_slice())
                    .bind(staff.as_bytes().as_slice())
                    .bind(wrapped)
                    .execute(&mut *tx)
                    .await?;
            }
            for record in &case.records {
                sqlx::query(&q(sql::INSERT_CASE_RECORD))
                    .bind(record.id.as_slice())
                    .bind(case.id.as_slice())
                    .bind(&record.kind)
                    .bind(record.schema_version)
                    .bind(&record.ciphertext)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn case_count(&self) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query(&q(sql::COUNT_CASES))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn update_staff_secret_keys(&self, staff: StaffId, wrapped: &[u8]) -> Result<(), StoreError> {
        sqlx::query(&q(sql::UPDATE_STAFF_KEYS))
            .bind(wrapped)
            .bind(staff.as_bytes().as_slice())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn case_grants(&self, case: &[u8; 16]) -> Result<Vec<(StaffId, Vec<u8>)>, StoreError> {
        let rows = sqlx::query(&q(sql::SELECT_CASE_GRANTS))
            .bind(case.as_slice())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((staff_id_from_bytes(row.try_get::<&[u8], _>(0)?)?, row.try_get(1)?)))
            .collect()
    }

    async fn case_records(&self, case: &[u8; 16]) -> Result<Vec<NewCaseRecord>, StoreError> {
        let rows = sqlx::query(&q(sql::SELECT_CASE_RECORDS))
            .bind(case.as_slice())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(NewCaseRecord {
                    id: id16(row.try_get::<&[u8], _>(0)?, "record")?,
                    kind: row.try_get(1)?,
                    schema_version: row.try_get(2)?,
                    ciphertext: row.try_get(3)?,
                })
            })
            .collect()
    }

    async fn rekey_case(
        &self,
        case: &[u8; 16],
        grants: &[(StaffId, Vec<u8>)],
        records: &[([u8; 16], Vec<u8>)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&q(sql::DELETE_CASE_GRANTS))
            .bind(case.as_slice())
            .execute(&mut *tx)
            .await?;
        for statement in crate::breakglass::DROP_ESCROW {
            sqlx::query(&q(statement)).bind(case.as_slice()).execute(&mut *tx).await?;
        }
        for (staff, wrapped) in grants {
            sqlx::query(&q(sql::INSERT_CASE_GRANT))
                .bind(case.as_slice())
                .bind(staff.as_bytes().as_slice())
                .bind(wrapped)
                .execute(&mut *tx)
                .await?;
        }
        for (id, ciphertext) in records {
            let done = sqlx::query(&q(sql::UPDATE_CASE_RECORD))
                .bind(ciphertext)
                .bind(id.as_slice())
                .bind(case.as_slice())
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Corrupt(
                    "a record of the case being re-keyed is missing".into(),
                ));
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn org_key_holders(&self, kind: &str) -> Result<Vec<(StaffId, Vec<u8>)>, StoreError> {
        let rows = sqlx::query(&q(sql::SELECT_ORG_KEY_HOLDERS))
            .bind(kind)
            .bind(DISABLED_FALSE)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((staff_id_from_bytes(row.try_get::<&[u8], _>(0)?)?, row.try_get(1)?)))
            .collect()
    }

    async fn add_org_key_generation(
        &self,
        kind: &str,
        generation: i64,
        public_part: Option<&[u8]>,
        grants: &[(StaffId, Vec<u8>)],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&q(sql::INSERT_ORG_KEY))
            .bind(kind)
            .bind(generation)
            .bind(public_part)
            .execute(&mut *tx)
            .await?;
        for (staff, wrapped) in grants {
            sqlx::query(&q(sql::INSERT_GRANT))
                .bind(kind)
                .bind(generation)
                .bind(staff.as_bytes().as_slice())
                .bind(wrapped)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn apply_intake(&self, writes: &[IntakeWrite]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut rest = writes;
        while let Some(write) = rest.first() {
            // A run of new requests (the usual batch) goes in one statement: one round trip.
            let requests: Vec<&IntakeRequest> = rest
                .iter()
                .take(sql::INTAKE_REQUESTS_PER_INSERT)
                .map_while(|write| match write {
                    IntakeWrite::Request(request) => Some(request),
                    _ => None,
                })
                .collect();
            if !requests.is_empty() {
                rest = &rest[requests.len()..];
                let statement = sql::insert_intake_requests(requests.len());
                let statement = q(&statement);
                let mut query = sqlx::query(&statement).persistent(requests.len() == 1);
                for request in requests {
                    query = query
                        .bind(request.id.as_slice())
                        .bind(&request.lookup_tag)
                        .bind(&request.requester_key)
                        .bind(&request.sealed)
                        .bind(request.intake_generation)
                        .bind(&request.received_month)
                        .bind(&request.own_copy);
                }
                query.execute(&mut *tx).await?;
                continue;
            }
            rest = &rest[1..];
            match write {
                IntakeWrite::Request(_) => {}
                IntakeWrite::Message(message) => {
                    sqlx::query(&q(sql::INSERT_INTAKE_MESSAGE))
                        .bind(message.id.as_slice())
                        .bind(message.request_id.as_slice())
                        .bind(message.from_requester)
                        .bind(&message.sealed)
                        .bind(message.key_generation)
                        .bind(&message.signature)
                        .bind(&message.staff_copy)
                        .bind(&message.sent_month)
                        .bind(&message.own_copy)
                        .execute(&mut *tx)
                        .await?;
                }
                IntakeWrite::Delete { request_id } => {
                    sqlx::query(&q(sql::DELETE_INTAKE_REQUEST))
                        .bind(request_id.as_slice())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn intake_request_by_tag(&self, lookup_tag: &[u8]) -> Result<Option<IntakeRequest>, StoreError> {
        let sql = format!("{} WHERE lookup_tag = ?", sql::INTAKE_REQUEST_COLUMNS);
        let row = sqlx::query(&q(&sql))
            .bind(lookup_tag)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::intake_request_from_row).transpose()
    }

    async fn intake_request(&self, id: &[u8; 16]) -> Result<Option<IntakeRequest>, StoreError> {
        let sql = format!("{} WHERE id = ?", sql::INTAKE_REQUEST_COLUMNS);
        let row = sqlx::query(&q(&sql))
            .bind(id.as_slice())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(Self::intake_request_from_row).transpose()
    }

    async fn intake_requests(&self, limit: u32) -> Result<Vec<IntakeRequest>, StoreError> {
        let sql = format!("{} ORDER BY seq DESC LIMIT ?", sql::INTAKE_REQUEST_COLUMNS);
        let rows = sqlx::query(&q(&sql))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(Self::intake_request_from_row).collect()
    }

    async fn intake_messages(&self, request: &[u8; 16]) -> Result<Vec<IntakeMessage>, StoreError> {
        let rows = sqlx::query(&q(sql::SELECT_INTAKE_MESSAGES))
            .bind(request.as_slice())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(IntakeMessage {
                    id: id16(row.try_get::<&[u8], _>(0)?, "message")?,
                    request_id: id16(row.try_get::<&[u8], _>(1)?, "request")?,
                    from_requester: row.try_get(2)?,
                    sealed: row.try_get(3)?,
                    key_generation: row.try_get(4)?,
                    signature: row.try_get(5)?,
                    staff_copy: row.try_get(6)?,
                    sent_month: row.try_get(7)?,
                    own_copy: row.try_get(8)?,
                })
            })
            .collect()
    }

    async fn setting(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(&q(sql::SELECT_SETTING))
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| row.try_get(0)).transpose()?)
    }

    async fn setting_or_insert(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        sqlx::query(&q(sql::INSERT_SETTING_IF_ABSENT))
            .bind(name)
            .bind(value)
            .execute(&self.pool)
            .await?;
        self.setting(name)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("setting {name}")))
    }

    async fn set_setting(&self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        sqlx::query(&q(sql::UPSERT_SETTING))
            .bind(name)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

        }
    };
}

pub(crate) use {shared_helpers, store_impl};
