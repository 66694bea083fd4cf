-- Anonymous requests. Nothing here identifies a requester or says when exactly they wrote:
-- the answers are sealed to the organisation's intake key, the lookup tag is derived from the
-- codename, the month is coarse, and seq only orders requests.
CREATE TABLE intake_request (
    seq               BIGSERIAL PRIMARY KEY,
    id                BYTEA NOT NULL UNIQUE CHECK (length(id) = 16),
    lookup_tag        BYTEA NOT NULL UNIQUE,
    requester_key     BYTEA NOT NULL,
    sealed            BYTEA NOT NULL,
    intake_generation BIGINT NOT NULL,
    received_month    TEXT NOT NULL
);

-- Later messages: from the requester (sealed to the intake key) or replies from staff (sealed to
-- the requester's codename-derived key, signed by the organisation, with a copy sealed to the
-- intake key so staff can read what was answered).
CREATE TABLE intake_message (
    seq            BIGSERIAL PRIMARY KEY,
    id             BYTEA NOT NULL UNIQUE CHECK (length(id) = 16),
    request_id     BYTEA NOT NULL REFERENCES intake_request (id) ON DELETE CASCADE,
    from_requester BOOLEAN NOT NULL,
    sealed         BYTEA NOT NULL,
    key_generation BIGINT NOT NULL,
    signature      BYTEA,
    staff_copy     BYTEA
);
CREATE INDEX intake_message_by_request ON intake_message (request_id);

-- Public settings of the organisation: the salt codenames are derived with, the signed contact card.
CREATE TABLE org_setting (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);
