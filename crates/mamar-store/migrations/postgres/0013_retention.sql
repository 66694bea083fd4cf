-- Closure and retention (issue 16). The day a case was closed (days since the Unix epoch,
-- NULL while open): a closed case keeps its identifying data for the organisation's retention
-- period from that day, then it is crypto-shredded.
ALTER TABLE case_file ADD COLUMN closed_day BIGINT;
CREATE INDEX case_file_by_closed_day ON case_file (closed_day) WHERE closed_day IS NOT NULL;

-- The statistical facets of cases, sealed to the analytics key's public half. The id is random
-- and is NOT the case's id: only the case's own encrypted content knows which row is its, so
-- once the case is shredded nothing links a facet row back to it. `generation` is the
-- analytics key generation the row is sealed to.
CREATE TABLE case_facets (
    id         BYTEA PRIMARY KEY CHECK (length(id) = 16),
    generation BIGINT NOT NULL,
    sealed     BYTEA NOT NULL
);
