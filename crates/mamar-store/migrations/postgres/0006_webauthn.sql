-- Security keys and passkeys (WebAuthn) of staff: public keys and signature counters, which
-- open nothing.
CREATE TABLE staff_webauthn (
    credential_id BYTEA PRIMARY KEY,
    staff_id      BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    passkey       BYTEA NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX staff_webauthn_by_staff ON staff_webauthn (staff_id);

-- A WebAuthn ceremony in progress: its challenge state, bound to the session that began it, for
-- a few minutes.
CREATE TABLE webauthn_challenge (
    session_id BYTEA NOT NULL REFERENCES staff_session (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    state      BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, kind)
);
