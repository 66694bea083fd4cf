-- Security keys and passkeys (WebAuthn) of staff: public keys and signature counters, which
-- open nothing. The name is the staff member's own label for the key.
CREATE TABLE staff_webauthn (
    credential_id BLOB PRIMARY KEY,
    staff_id      BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    passkey       BLOB NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX staff_webauthn_by_staff ON staff_webauthn (staff_id);

-- A WebAuthn ceremony in progress: its challenge state, bound to the session that began it, for
-- a few minutes.
CREATE TABLE webauthn_challenge (
    session_id BLOB NOT NULL REFERENCES staff_session (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    state      BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, kind)
) STRICT;
