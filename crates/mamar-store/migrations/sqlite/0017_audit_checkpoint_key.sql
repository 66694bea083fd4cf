-- Checkpoints `mamar serve` makes on a schedule are signed by a checkpoint key that lives only in
-- the server's memory; the organisation's signing key certified it while an administrator was
-- logged in. `certificate` holds that certificate (certified-from, the organisation's key and its
-- signature: see mamar-audit); NULL for a checkpoint an administrator signed directly.
ALTER TABLE audit_checkpoint ADD COLUMN certificate BLOB;

-- When a checkpoint was copied off the server (downloaded from the audit page): the page warns when
-- none has been for a configurable time. Who copied it is in the audit log. Append-only.
CREATE TABLE audit_checkpoint_copy (
    seq INTEGER NOT NULL CHECK (seq >= 1),
    at  INTEGER NOT NULL
) STRICT;

CREATE TRIGGER audit_checkpoint_copy_no_update BEFORE UPDATE ON audit_checkpoint_copy
BEGIN
    SELECT RAISE(ABORT, 'checkpoint copies cannot be changed');
END;

CREATE TRIGGER audit_checkpoint_copy_no_delete BEFORE DELETE ON audit_checkpoint_copy
BEGIN
    SELECT RAISE(ABORT, 'checkpoint copies cannot be deleted');
END;
