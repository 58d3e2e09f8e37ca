-- Where the database has a separate application role (the compose set-up and production), give
-- it exactly what the service needs: INSERT and SELECT on the audit and its chain, UPDATE on the
-- outbox's delivery state. No UPDATE, DELETE or TRUNCATE on decision_audit, ever. The owner that
-- runs these migrations keeps everything else.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        EXECUTE 'GRANT USAGE ON SCHEMA ' || quote_ident(current_schema()) || ' TO ${app_role}';
        GRANT SELECT, INSERT ON decision_audit, audit_chain TO ${app_role};
        GRANT SELECT, INSERT, UPDATE ON siem_outbox TO ${app_role};
        GRANT SELECT ON decisions, decision_violations TO ${app_role};
        REVOKE UPDATE, DELETE, TRUNCATE ON decision_audit, audit_chain FROM ${app_role};
    END IF;
END
$$;

-- Which relay instance delivered a record: for operators watching several instances share the work.
ALTER TABLE siem_outbox ADD COLUMN delivered_by text;
