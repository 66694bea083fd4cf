-- Staff sessions. The keyring is the session's unlocked keys, encrypted under a key that exists
-- only in the session cookie: without the cookie this row opens nothing.
CREATE TABLE staff_session (
    id         BYTEA PRIMARY KEY CHECK (length(id) = 16),
    staff_id   BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    keyring    BYTEA NOT NULL,
    csrf_token BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
CREATE INDEX staff_session_by_staff ON staff_session (staff_id);

-- The organisation keys sealed under the recovery secret, whose shares only trustees hold.
CREATE TABLE recovery_bundle (
    id     SMALLINT PRIMARY KEY CHECK (id = 1),
    sealed BYTEA NOT NULL
);

-- A case: its stage is visible at rest by design; everything else is ciphertext under its case key.
CREATE TABLE case_file (
    id        BYTEA PRIMARY KEY CHECK (length(id) = 16),
    stage     TEXT NOT NULL,
    opened_on TEXT NOT NULL
);

-- The case key wrapped to each staff member assigned to the case.
CREATE TABLE case_key_grant (
    case_id  BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    staff_id BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    wrapped  BYTEA NOT NULL,
    PRIMARY KEY (case_id, staff_id)
);
CREATE INDEX case_key_grant_by_staff ON case_key_grant (staff_id);

-- Encrypted content of a case, bound (as associated data) to its id, kind and schema version.
CREATE TABLE case_record (
    id             BYTEA PRIMARY KEY CHECK (length(id) = 16),
    case_id        BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    schema_version BIGINT NOT NULL,
    ciphertext     BYTEA NOT NULL
);
CREATE INDEX case_record_by_case ON case_record (case_id);
