-- Closure and retention (issue 16). The day a case was closed (days since the Unix epoch,
-- NULL while open): a closed case keeps its identifying data for the organisation's retention
-- period from that day, then it is crypto-shredded.
ALTER TABLE case_file ADD COLUMN closed_day INTEGER;
CREATE INDEX case_file_by_closed_day ON case_file (closed_day) WHERE closed_day IS NOT NULL;

-- The statistical facets of cases, sealed to the analytics key's public half. The id is random
-- and is NOT the case's id: only the case's own encrypted content knows which row is its, so
-- once the case is shredded nothing links a facet row back to it. WITHOUT ROWID: the rows are
-- kept in the order of their random ids, not in the order cases were opened. `generation` is
-- the analytics key generation the row is sealed to.
CREATE TABLE case_facets (
    id         BLOB PRIMARY KEY CHECK (length(id) = 16),
    generation INTEGER NOT NULL,
    sealed     BLOB NOT NULL
) STRICT, WITHOUT ROWID;
