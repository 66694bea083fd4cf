-- The registry's published releases and the privacy budget of each release period (issue 21).
-- Everything here is public by design: a release is published, signed, as it is stored. What a
-- period has spent is kept in one row that one UPDATE charges only while the limit allows (the
-- row lock makes a second release at once wait and re-check), so two releases cannot overspend
-- it; the CHECK is the second guard.
CREATE TABLE registry_budget (
    period      TEXT PRIMARY KEY,
    limit_micro BIGINT NOT NULL CHECK (limit_micro >= 0),
    spent_micro BIGINT NOT NULL DEFAULT 0 CHECK (spent_micro >= 0 AND spent_micro <= limit_micro)
);

CREATE TABLE registry_release (
    number        BIGINT PRIMARY KEY CHECK (number > 0),
    period        TEXT NOT NULL REFERENCES registry_budget (period),
    published_on  TEXT NOT NULL,
    epsilon_micro BIGINT NOT NULL CHECK (epsilon_micro >= 0),
    signed_csv    TEXT NOT NULL,
    signed_json   TEXT NOT NULL
);
