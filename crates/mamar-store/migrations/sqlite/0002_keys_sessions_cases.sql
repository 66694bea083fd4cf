-- Staff sessions. The keyring is the session's unlocked keys, encrypted under a key that exists
-- only in the session cookie: without the cookie this row opens nothing.
CREATE TABLE staff_session (
    id         BLOB PRIMARY KEY CHECK (length(id) = 16),
    staff_id   BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    keyring    BLOB NOT NULL,
    csrf_token BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_session_by_staff ON staff_session (staff_id);

-- The organisation keys sealed under the recovery secret, whose shares only trustees hold.
CREATE TABLE recovery_bundle (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    sealed BLOB NOT NULL
) STRICT;

-- A case: its stage is visible at rest by design; everything else is ciphertext under its case key.
CREATE TABLE case_file (
    id        BLOB PRIMARY KEY CHECK (length(id) = 16),
    stage     TEXT NOT NULL,
    opened_on TEXT NOT NULL
) STRICT;

-- The case key wrapped to each staff member assigned to the case.
CREATE TABLE case_key_grant (
    case_id  BLOB NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    staff_id BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    wrapped  BLOB NOT NULL,
    PRIMARY KEY (case_id, staff_id)
) STRICT;
CREATE INDEX case_key_grant_by_staff ON case_key_grant (staff_id);

-- Encrypted content of a case, bound (as associated data) to its id, kind and schema version.
CREATE TABLE case_record (
    id             BLOB PRIMARY KEY CHECK (length(id) = 16),
    case_id        BLOB NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    ciphertext     BLOB NOT NULL
) STRICT;
CREATE INDEX case_record_by_case ON case_record (case_id);
