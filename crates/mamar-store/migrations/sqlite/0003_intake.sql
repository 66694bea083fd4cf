-- Anonymous requests. Nothing here identifies a requester or says when exactly they wrote:
-- the answers are sealed to the organisation's intake key, the lookup tag is derived from the
-- codename, the month is coarse, and seq only orders requests.
CREATE TABLE intake_request (
    seq               INTEGER PRIMARY KEY,
    id                BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
    lookup_tag        BLOB NOT NULL UNIQUE,
    requester_key     BLOB NOT NULL,
    sealed            BLOB NOT NULL,
    intake_generation INTEGER NOT NULL,
    received_month    TEXT NOT NULL
) STRICT;

-- Later messages: from the requester (sealed to the intake key) or replies from staff (sealed to
-- the requester's codename-derived key, signed by the organisation, with a copy sealed to the
-- intake key so staff can read what was answered).
CREATE TABLE intake_message (
    seq            INTEGER PRIMARY KEY,
    id             BLOB NOT NULL UNIQUE CHECK (length(id) = 16),
    request_id     BLOB NOT NULL REFERENCES intake_request (id) ON DELETE CASCADE,
    from_requester INTEGER NOT NULL CHECK (from_requester IN (0, 1)),
    sealed         BLOB NOT NULL,
    key_generation INTEGER NOT NULL,
    signature      BLOB,
    staff_copy     BLOB
) STRICT;
CREATE INDEX intake_message_by_request ON intake_message (request_id);

-- Public settings of the organisation: the salt codenames are derived with, the signed contact card.
CREATE TABLE org_setting (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
