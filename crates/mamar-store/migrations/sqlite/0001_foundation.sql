-- The organisation running this instance. Its names are public (they appear on the call page).
CREATE TABLE organisation (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name_ar        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    default_locale TEXT NOT NULL
) STRICT;

-- Staff accounts. Usernames are pseudonyms chosen by the organisation and stay visible at rest;
-- every key is stored wrapped (public_keys is public by nature).
CREATE TABLE staff (
    id                  BLOB PRIMARY KEY CHECK (length(id) = 16),
    username            TEXT NOT NULL UNIQUE,
    roles               TEXT NOT NULL,
    public_keys         BLOB NOT NULL,
    wrapped_secret_keys BLOB NOT NULL,
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

-- Organisation keys: one row per kind and generation, with the public half where the kind has one.
CREATE TABLE org_key (
    kind        TEXT NOT NULL,
    generation  INTEGER NOT NULL,
    public_part BLOB,
    PRIMARY KEY (kind, generation)
) STRICT;

-- An organisation key wrapped to one staff member's public key.
CREATE TABLE org_key_grant (
    kind       TEXT NOT NULL,
    generation INTEGER NOT NULL,
    staff_id   BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    wrapped    BLOB NOT NULL,
    PRIMARY KEY (kind, generation, staff_id),
    FOREIGN KEY (kind, generation) REFERENCES org_key (kind, generation) ON DELETE CASCADE
) STRICT;
