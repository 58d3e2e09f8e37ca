-- Least privilege for the two things the service does with the database.
--
-- 1. Recording a decision. The application role may insert decisions but not choose where one lands
--    in the history: its seq must be the one the database just allocated for it (an INSERT ...
--    OVERRIDING SYSTEM VALUE, a COPY with a seq of its own, a negative seq are refused), and its
--    received_at must lie within the database's clock: at most two minutes before it (a decision
--    waits at most scimgate.audit.log.answer-within, 30 s, for its writer, after reading its body and
--    asking Genesys) and at most five seconds after it (clock skew). Nobody can backdate a decision
--    into last year, nor slip one in among sealed rows. The check binds every role but the owner of
--    decision_audit (and superusers), who can disable triggers anyway.
--
-- 2. Delivering to the SIEM. The relay works as a role of its own, named after the application role
--    (scimgate_app -> scimgate_relay): it alone may claim outbox records and mark them delivered,
--    failed, refused or deferred. The request path's role keeps reading the outbox and re-driving
--    DEAD records (the operator's API), and can no longer mark a record delivered that never
--    reached the SIEM.
CREATE FUNCTION decision_audit_check_insert() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- Every name is pg_catalog's: the function runs as the inserting role, with that role's search_path.
    IF pg_catalog.pg_has_role(current_user, (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID),
                              'MEMBER') THEN
        RETURN NEW;
    END IF;
    -- currval() is this session's last allocation: the value the identity default just took for this
    -- row. A row inserted with a seq of its own took none: currval is then another row's, or, in a
    -- session that never took one, undefined, and currval() itself refuses the row.
    IF NEW.seq IS DISTINCT FROM pg_catalog.currval(pg_catalog.pg_get_serial_sequence(
            pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'seq')) THEN
        RAISE EXCEPTION 'decision_audit.seq is allocated by the database: % was given', NEW.seq
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Insert without seq and without OVERRIDING SYSTEM VALUE.';
    END IF;
    IF NEW.received_at IS NULL OR NEW.received_at < pg_catalog.clock_timestamp() - interval '2 minutes'
            OR NEW.received_at > pg_catalog.clock_timestamp() + interval '5 seconds' THEN
        RAISE EXCEPTION 'decision_audit.received_at % is not within the database''s clock (%)',
                NEW.received_at, pg_catalog.clock_timestamp()
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'received_at may be at most 2 minutes before and 5 seconds after the database''s clock.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER decision_audit_check_insert
    BEFORE INSERT ON decision_audit
    FOR EACH ROW EXECUTE FUNCTION decision_audit_check_insert();

DO $$
DECLARE
    app_role text := '${app_role}';
    relay_role text := regexp_replace('${app_role}', '_app$', '') || '_relay';
    relay_functions text[] := ARRAY[
        'siem_outbox_claim(text, integer, double precision, double precision)',
        'siem_outbox_renew(text, uuid, uuid[], double precision)',
        'siem_outbox_correlate(text, uuid, uuid, text)',
        'siem_outbox_deliver(text, uuid, uuid[], text[])',
        'siem_outbox_fail(text, uuid, uuid[], text, integer, double precision, double precision)',
        'siem_outbox_refuse(text, uuid, uuid[], text)',
        'siem_outbox_defer(text, uuid, uuid[], timestamp with time zone, text)',
        'siem_outbox_release(text)'];
    f text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
        -- currval() in the trigger above needs it; USAGE (nextval) is not granted.
        EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', pg_get_serial_sequence('decision_audit', 'seq'), app_role);
        FOREACH f IN ARRAY relay_functions LOOP
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM %I', f, app_role);
        END LOOP;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = relay_role) THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), relay_role);
        EXECUTE format('GRANT SELECT ON decision_audit, siem_outbox TO %I', relay_role);
        FOREACH f IN ARRAY relay_functions LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, relay_role);
        END LOOP;
    END IF;
END
$$;
