-- Break-glass (issue 16), an organisation's opt-in. At set-up a random break-glass secret is
-- split k-of-n among the administrators: the escrow key pair derived from it has its public
-- half here, each administrator's share is sealed to their own staff key, and the secret itself
-- is stored nowhere. From then on every case key is also wrapped to the escrow public key.
CREATE TABLE break_glass_key (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    setup_id   BYTEA NOT NULL CHECK (length(setup_id) = 16),
    threshold  BIGINT NOT NULL CHECK (threshold >= 2),
    public_key BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- One administrator's share of the break-glass secret, sealed to their staff key.
CREATE TABLE break_glass_share (
    staff_id BYTEA PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,
    sealed   BYTEA NOT NULL
);

-- A case's key wrapped to the escrow public key (none for cases opened before the set-up,
-- until a holder of the key acts on them).
CREATE TABLE case_escrow (
    case_id BYTEA PRIMARY KEY REFERENCES case_file (id) ON DELETE CASCADE,
    wrapped BYTEA NOT NULL
);

-- Cases whose key a break-glass reader held: the next act of a holder gives them a new key.
CREATE TABLE case_rekey_due (
    case_id BYTEA PRIMARY KEY REFERENCES case_file (id) ON DELETE CASCADE
);

-- A request to read a case by break-glass. `expires_at`: approvals are taken until then;
-- `duration`: how long the grant lasts once opened; `grant_until`: set when the asker opened
-- the escrow (the grant is the asker's row in case_key_grant, with the duty 'break-glass').
CREATE TABLE break_glass_request (
    id          BYTEA PRIMARY KEY CHECK (length(id) = 16),
    case_id     BYTEA NOT NULL REFERENCES case_file (id) ON DELETE CASCADE,
    asked_by    BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    threshold   BIGINT NOT NULL,
    duration    BIGINT NOT NULL,
    asked_at    BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    grant_until BIGINT
);
CREATE INDEX break_glass_request_by_case ON break_glass_request (case_id);

-- The written reason, sealed to each administrator's staff key.
CREATE TABLE break_glass_reason (
    request_id BYTEA NOT NULL REFERENCES break_glass_request (id) ON DELETE CASCADE,
    staff_id   BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    sealed     BYTEA NOT NULL,
    PRIMARY KEY (request_id, staff_id)
);

-- An approval: the approver's share, sealed to the asker (deleted once the asker opened it).
CREATE TABLE break_glass_approval (
    request_id BYTEA NOT NULL REFERENCES break_glass_request (id) ON DELETE CASCADE,
    staff_id   BYTEA NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    sealed     BYTEA NOT NULL,
    PRIMARY KEY (request_id, staff_id)
);
