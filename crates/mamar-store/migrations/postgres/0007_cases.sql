-- Cases as the work needs them. Visible at rest by design (what the rules must check without
-- anyone's keys): a random reference number, the stage, the frozen flag, the owner and everyone
-- on the case with their duty, how the case came in, the day of its last activity (coarse), the
-- kinds of decision waiting for a second person, and which request a case came from. Everything
-- a person wrote or decided is ciphertext under the case key.
ALTER TABLE case_file ADD COLUMN reference TEXT;
ALTER TABLE case_file ADD COLUMN frozen BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE case_file ADD COLUMN owner_id BYTEA;
ALTER TABLE case_file ADD COLUMN source TEXT NOT NULL DEFAULT 'request';
ALTER TABLE case_file ADD COLUMN request_id BYTEA;
ALTER TABLE case_file ADD COLUMN active_day BIGINT NOT NULL DEFAULT 0;
-- Bumped by every change: two people acting on one case at once cannot both win.
ALTER TABLE case_file ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX case_file_by_reference ON case_file (reference);
CREATE UNIQUE INDEX case_file_by_request ON case_file (request_id);

-- Who is on a case, with what duty. Their key grant is in case_key_grant.
CREATE TABLE case_assignment (
    case_id  BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    staff_id BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    duty     TEXT NOT NULL,
    PRIMARY KEY (case_id, staff_id, duty)
);
CREATE INDEX case_assignment_by_staff ON case_assignment (staff_id);

-- Decisions waiting for a second person. The decision itself (which outcome, which vetting
-- conclusion, the reason) is in `sealed`, under the case key.
CREATE TABLE case_approval (
    id           BYTEA PRIMARY KEY CHECK (length(id) = 16),
    case_id      BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    requested_by BYTEA NOT NULL,
    expires_at   BIGINT NOT NULL,
    sealed       BYTEA NOT NULL
);
CREATE INDEX case_approval_by_case ON case_approval (case_id);

-- Blind indexes (keyed HMAC under the linkage key) of a case's identifying values, for exact
-- search and possible duplicates without plaintext.
CREATE TABLE case_index (
    case_id BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    field   TEXT NOT NULL,
    tag     BYTEA NOT NULL,
    PRIMARY KEY (field, tag, case_id)
);
CREATE INDEX case_index_by_case ON case_index (case_id);

-- Records in the order they were added, within their case.
ALTER TABLE case_record ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX case_record_by_case_seq ON case_record (case_id, seq);

-- Once a request is a case, the requester's new messages are sealed to the case's own inbox key
-- (its private half is a record under the case key), so they reach the case team and no one else.
ALTER TABLE intake_request ADD COLUMN forward_key BYTEA;
ALTER TABLE intake_message ADD COLUMN to_case BOOLEAN NOT NULL DEFAULT FALSE;
