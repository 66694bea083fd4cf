-- The tamper-evident audit log. Each row holds ids and kinds of action only, never personal data;
-- `hash` chains it to the row before (see mamar-audit). Rows are only ever appended: the triggers
-- below refuse to change or delete one, and refuse a new row that is not the next in sequence
-- (which also stops INSERT OR REPLACE from overwriting one). Someone who can edit the file can
-- drop the triggers; the hash chain and the signed checkpoints kept elsewhere show what they did.
CREATE TABLE audit_entry (
    seq     INTEGER PRIMARY KEY CHECK (seq >= 1),
    at      INTEGER NOT NULL,
    actor   BLOB CHECK (actor IS NULL OR length(actor) = 16),
    action  TEXT NOT NULL,
    object  BLOB CHECK (object IS NULL OR length(object) = 16),
    outcome TEXT NOT NULL,
    hash    BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TRIGGER audit_entry_append_only_insert BEFORE INSERT ON audit_entry
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_entry)
BEGIN
    SELECT RAISE(ABORT, 'audit entries are appended in sequence only');
END;

CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;

CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be deleted');
END;

-- Signed checkpoints {seq, head hash, time}: the organisation's signature over the log's head.
-- Copies kept away from the server are what proves the past; these are a convenience.
CREATE TABLE audit_checkpoint (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    at          INTEGER NOT NULL,
    head        BLOB NOT NULL CHECK (length(head) = 32),
    signing_key BLOB NOT NULL CHECK (length(signing_key) = 32),
    signature   BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints cannot be changed');
END;

CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints cannot be deleted');
END;
