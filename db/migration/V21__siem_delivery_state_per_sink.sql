-- Several SIEM sinks at once, each with a delivery state of its own.
--
-- siem_sink names the sinks the relay delivers to. The outbox gets a row per decision AND sink:
-- the trigger of V11 (restated in R__siem_outbox.sql) gives every new decision one entry for each
-- active sink, so one sink's backoff, DEAD records and re-drives never hold back another's.
--
-- A database of an earlier version had one sink: its entries become the entries of the sink named
-- 'default', which is what a service configured with the single-sink settings (SIEM_FORMAT,
-- SIEM_ENDPOINT, …) delivers to. Nothing is rewritten but the primary key and two indexes.
CREATE TABLE siem_sink (
    name       text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]{0,39}$'),
    active     boolean     NOT NULL DEFAULT true,
    added_at   timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE siem_sink IS 'the SIEM sinks; every new decision gets an outbox entry for each active one';
COMMENT ON COLUMN siem_sink.active IS 'false once no relay is configured with it: its entries wait, reported, and new decisions get none';

INSERT INTO siem_sink (name) VALUES ('default');

ALTER TABLE siem_outbox ADD COLUMN sink text NOT NULL DEFAULT 'default' REFERENCES siem_sink (name);

COMMENT ON COLUMN siem_outbox.sink IS 'the sink this entry is the delivery state for';

ALTER TABLE siem_outbox DROP CONSTRAINT siem_outbox_pkey;
ALTER TABLE siem_outbox ADD PRIMARY KEY (decision_id, sink);

-- A claim reads one sink's due entries in (next_attempt_at, created_at) order.
DROP INDEX siem_outbox_due_order;
CREATE INDEX siem_outbox_due_order ON siem_outbox (sink, next_attempt_at, created_at) WHERE status = 'PENDING';
DROP INDEX siem_outbox_dead;
CREATE INDEX siem_outbox_dead ON siem_outbox (sink, created_at) WHERE status = 'DEAD';

-- A claim without a sink would take every sink's entries, and the re-drives now name the sink they
-- re-drive (or none, for every sink): R__siem_outbox.sql defines them anew with their grants.
DROP FUNCTION siem_outbox_claim(text, integer, double precision, double precision);
DROP FUNCTION siem_outbox_redrive(uuid);
DROP FUNCTION siem_outbox_redrive_dead();

DO $$
DECLARE
    app_role text := '${app_role}';
    relay_role text := regexp_replace('${app_role}', '_app$', '') || '_relay';
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
        EXECUTE format('GRANT SELECT ON siem_sink TO %I', app_role);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = relay_role) THEN
        EXECUTE format('GRANT SELECT ON siem_sink TO %I', relay_role);
    END IF;
END
$$;
