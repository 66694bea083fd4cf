-- Checkpoints `mamar serve` makes on a schedule are signed by a checkpoint key that lives only in
-- the server's memory; the organisation's signing key certified it while an administrator was
-- logged in. `certificate` holds that certificate (certified-from, the organisation's key and its
-- signature: see mamar-audit); NULL for a checkpoint an administrator signed directly.
ALTER TABLE audit_checkpoint ADD COLUMN certificate BYTEA;

-- When a checkpoint was copied off the server (downloaded from the audit page): the page warns when
-- none has been for a configurable time. Who copied it is in the audit log. Append-only.
CREATE TABLE audit_checkpoint_copy (
    seq BIGINT NOT NULL CHECK (seq >= 1),
    at  BIGINT NOT NULL
);

CREATE TRIGGER audit_checkpoint_copy_no_change BEFORE UPDATE OR DELETE ON audit_checkpoint_copy
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_copy_no_truncate BEFORE TRUNCATE ON audit_checkpoint_copy
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
