-- The organisation running this instance. Its names are public (they appear on the call page).
CREATE TABLE organisation (
    id             SMALLINT PRIMARY KEY CHECK (id = 1),
    name_ar        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    default_locale TEXT NOT NULL
);

-- Staff accounts. Usernames are pseudonyms chosen by the organisation and stay visible at rest;
-- every key is stored wrapped (public_keys is public by nature).
CREATE TABLE staff (
    id                  BYTEA PRIMARY KEY CHECK (length(id) = 16),
    username            TEXT NOT NULL UNIQUE,
    roles               TEXT NOT NULL,
    public_keys         BYTEA NOT NULL,
    wrapped_secret_keys BYTEA NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT FALSE
);

-- Organisation keys: one row per kind and generation, with the public half where the kind has one.
CREATE TABLE org_key (
    kind        TEXT NOT NULL,
    generation  BIGINT NOT NULL,
    public_part BYTEA,
    PRIMARY KEY (kind, generation)
);

-- An organisation key wrapped to one staff member's public key.
CREATE TABLE org_key_grant (
    kind       TEXT NOT NULL,
    generation BIGINT NOT NULL,
    staff_id   BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    wrapped    BYTEA NOT NULL,
    PRIMARY KEY (kind, generation, staff_id),
    FOREIGN KEY (kind, generation) REFERENCES org_key (kind, generation) ON DELETE CASCADE
);
