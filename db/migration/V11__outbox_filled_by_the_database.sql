-- Every decision gets its SIEM outbox entry from the database, in the inserting transaction, the way
-- V7 queues it for sealing: the service no longer inserts outbox rows, and the application role
-- loses INSERT on siem_outbox, so not even a compromised service can record a decision and keep it
-- from the SIEM. (It can still claim entries through the relay's functions; see the README.)
CREATE FUNCTION decision_audit_enqueue_outbox() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    INSERT INTO siem_outbox (decision_id) SELECT decision_id FROM inserted;
    RETURN NULL;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION decision_audit_enqueue_outbox() SET search_path = %I, pg_temp', current_schema());
END
$$;

-- Only the trigger below may run it; a role could otherwise hang it on a table of its own (see V10).
REVOKE ALL ON FUNCTION decision_audit_enqueue_outbox() FROM PUBLIC;

CREATE TRIGGER decision_audit_enqueue_outbox
    AFTER INSERT ON decision_audit
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION decision_audit_enqueue_outbox();

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        REVOKE INSERT ON siem_outbox FROM ${app_role};
        REVOKE INSERT (decision_id) ON siem_outbox FROM ${app_role};
    END IF;
END
$$;
