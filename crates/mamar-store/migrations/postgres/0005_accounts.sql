-- Login protection and second factors. Nothing here is readable without the staff member's
-- password: the TOTP secret is sealed to their own key, the duress keys are wrapped under the
-- duress password.
ALTER TABLE staff ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN totp_sealed BYTEA;
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;
ALTER TABLE staff ADD COLUMN duress_keys BYTEA;

-- 'second-factor' and 'enrol' sessions have passed the password only and can do nothing but the
-- second factor; 'full' sessions have passed both. A decoy session follows a duress login.
ALTER TABLE staff_session ADD COLUMN stage TEXT NOT NULL DEFAULT 'full'
    CHECK (stage IN ('second-factor', 'enrol', 'full'));
ALTER TABLE staff_session ADD COLUMN decoy BOOLEAN NOT NULL DEFAULT FALSE;

-- An invitation: only a hash of the one-time token is kept, so a copy of the database cannot
-- be used to accept it.
CREATE TABLE staff_invitation (
    token_hash BYTEA PRIMARY KEY CHECK (length(token_hash) = 32),
    username   TEXT NOT NULL UNIQUE,
    roles      TEXT NOT NULL,
    invited_by BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Alerts for administrators (a duress login). Ids and kinds only.
CREATE TABLE staff_alert (
    id       BYTEA PRIMARY KEY CHECK (length(id) = 16),
    kind     TEXT NOT NULL,
    staff_id BYTEA NOT NULL,
    at       BIGINT NOT NULL
);
