-- Attachments of a case. What is visible at rest: which case an attachment belongs to, the day
-- its upload began (to sweep uploads that never finished), and how many chunks it has (its size
-- to within a chunk). Its name, type and content are ciphertext: the chunks under the
-- attachment's own key, which lives in a case record under the case key.
CREATE TABLE case_attachment (
    id          BYTEA PRIMARY KEY CHECK (length(id) = 16),
    case_id     BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    started_day BIGINT NOT NULL,
    chunks      BIGINT NOT NULL DEFAULT 0,
    complete    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX case_attachment_by_case ON case_attachment (case_id);

CREATE TABLE case_attachment_chunk (
    attachment_id BYTEA NOT NULL REFERENCES case_attachment (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    ciphertext    BYTEA NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);
