-- The tamper-evident audit log. Each row holds ids and kinds of action only, never personal data;
-- `hash` chains it to the row before (see mamar-audit). Rows are only ever appended: the triggers
-- below refuse to change, delete or truncate, and refuse a new row that is not the next in
-- sequence. The table's owner or a superuser can drop the triggers; the hash chain and the signed
-- checkpoints kept elsewhere show what they did.
CREATE TABLE audit_entry (
    seq     BIGINT PRIMARY KEY CHECK (seq >= 1),
    at      BIGINT NOT NULL,
    actor   BYTEA CHECK (actor IS NULL OR length(actor) = 16),
    action  TEXT NOT NULL,
    object  BYTEA CHECK (object IS NULL OR length(object) = 16),
    outcome TEXT NOT NULL,
    hash    BYTEA NOT NULL CHECK (length(hash) = 32)
);

-- Signed checkpoints {seq, head hash, time}: the organisation's signature over the log's head.
-- Copies kept away from the server are what proves the past; these are a convenience.
CREATE TABLE audit_checkpoint (
    seq         BIGINT PRIMARY KEY CHECK (seq >= 1),
    at          BIGINT NOT NULL,
    head        BYTEA NOT NULL CHECK (length(head) = 32),
    signing_key BYTEA NOT NULL CHECK (length(signing_key) = 32),
    signature   BYTEA NOT NULL
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END
$$;

CREATE FUNCTION audit_entry_in_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_entry) THEN
        RAISE EXCEPTION 'audit entries are appended in sequence only';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_entry_append_only_insert BEFORE INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_in_sequence();
CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_no_change BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
