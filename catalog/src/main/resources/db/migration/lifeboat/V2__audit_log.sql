-- Who did what: every mutating API call (refused ones too) and every decision.
CREATE TABLE audit_log (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    principal      text        NOT NULL,
    action         text        NOT NULL,
    -- no foreign key: a refused request may name a run that does not exist, and the trail must
    -- outlive any clean-up of runs
    run_id         text,
    -- text, not jsonb: a refused request may carry a body that is not valid JSON
    request        text,
    status         integer     NOT NULL,
    source_address text
);

CREATE INDEX audit_log_run       ON audit_log (run_id, id DESC);
CREATE INDEX audit_log_principal ON audit_log (principal, id DESC);

-- The service connects as the table's owner, and REVOKE does not bind an owner: these triggers
-- are what keeps the trail append-only.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
