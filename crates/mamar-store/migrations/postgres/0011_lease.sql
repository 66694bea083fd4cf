-- Singletons among several servers on one database (the Telegram poller): a named lease held by
-- one server's random id until a time, renewed while it works, and a number the holder keeps for
-- its successor (the Telegram update offset). Nothing about requesters.
CREATE TABLE singleton_lease (
    name       TEXT PRIMARY KEY,
    holder     BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    value      BIGINT NOT NULL DEFAULT 0
);
