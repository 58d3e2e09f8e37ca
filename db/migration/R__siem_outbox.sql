-- The SIEM outbox's functions. Every decision gets its outbox entries from the database, in the
-- inserting transaction (decision_audit_enqueue_outbox, the trigger of V11): one for each active
-- sink (V21), each a delivery state of its own. Every later change to
-- an entry goes through a function that runs as its owner and names the claiming relay AND its
-- lease token, so a relay whose lease lapsed can no longer mark anything (V8); the relay's own
-- role alone may call them, the request path's role only re-drives DEAD entries (V14).
--
-- Repeatable: Flyway runs this after the versioned migrations and again whenever it changes.
-- CREATE OR REPLACE keeps each function's owner and grants, but resets its search_path: the block
-- at the end pins it again. A new function here needs its REVOKE/GRANT here too.

CREATE OR REPLACE FUNCTION decision_audit_enqueue_outbox() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    INSERT INTO siem_outbox (decision_id, sink)
    SELECT i.decision_id, s.name FROM inserted i CROSS JOIN siem_sink s WHERE s.active;
    RETURN NULL;
END
$$;

-- Claims one sink's due entries. A Genesys correlation another sink's relay already stored for the
-- same decision comes with the entry, so Genesys is asked once per decision, not once per sink.
CREATE OR REPLACE FUNCTION siem_outbox_claim(p_owner text, p_sink text, p_limit integer, p_lease_seconds double precision,
                                  p_not_before_seconds double precision)
    RETURNS TABLE (decision_id uuid, lease_token uuid, attempts integer, correlation_id text)
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
#variable_conflict use_column
DECLARE
    v_token uuid := gen_random_uuid();
    v_ids uuid[];
BEGIN
    -- Dynamic, so that it is planned with the real limit: the index on the due order, not a sort of every row.
    EXECUTE 'SELECT array_agg(due.decision_id) FROM (
                 SELECT o.decision_id FROM siem_outbox o
                 WHERE o.sink = $3 AND o.status = ''PENDING'' AND o.next_attempt_at <= now()
                   AND (o.locked_until IS NULL OR o.locked_until < now())
                   AND o.created_at <= now() - make_interval(secs => $2)
                 ORDER BY o.next_attempt_at, o.created_at
                 LIMIT $1
                 FOR UPDATE SKIP LOCKED) due'
        INTO v_ids USING p_limit, p_not_before_seconds, p_sink;
    RETURN QUERY
        UPDATE siem_outbox o SET locked_by = p_owner, lease_token = v_token,
                                 locked_until = now() + make_interval(secs => p_lease_seconds)
        WHERE o.decision_id = ANY (v_ids) AND o.sink = p_sink
        RETURNING o.decision_id, o.lease_token, o.attempts,
                  coalesce(o.correlation_id, (SELECT x.correlation_id FROM siem_outbox x
                                              WHERE x.decision_id = o.decision_id AND x.correlation_id IS NOT NULL
                                              LIMIT 1));
END
$$;

-- Which sinks get new decisions: the relay names the ones it is configured with at start-up. A sink
-- it no longer names stops getting entries; its own stay as they are, for the operator to see. A
-- sink named again gets new decisions again and resumes its waiting entries. Returns the names of
-- the sinks this call added or made active again.
CREATE OR REPLACE FUNCTION siem_outbox_sinks_configure(p_sinks text[])
    RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    IF coalesce(cardinality(p_sinks), 0) = 0 THEN
        RAISE EXCEPTION 'at least one SIEM sink must be configured' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE siem_sink SET active = false, changed_at = now() WHERE active AND NOT (name = ANY (p_sinks));
    RETURN QUERY
        INSERT INTO siem_sink AS s (name) SELECT DISTINCT unnest(p_sinks)
        ON CONFLICT (name) DO UPDATE SET active = true, changed_at = now() WHERE NOT s.active
        RETURNING s.name;
END
$$;

CREATE OR REPLACE FUNCTION siem_outbox_renew(p_owner text, p_token uuid, p_ids uuid[], p_lease_seconds double precision)
    RETURNS SETOF uuid
    LANGUAGE sql SECURITY DEFINER AS
$$
    UPDATE siem_outbox SET locked_until = now() + make_interval(secs => p_lease_seconds)
    WHERE decision_id = ANY (p_ids) AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
    RETURNING decision_id
$$;

CREATE OR REPLACE FUNCTION siem_outbox_correlate(p_owner text, p_token uuid, p_id uuid, p_correlation text)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH stored AS (
        UPDATE siem_outbox SET correlation_id = p_correlation
        WHERE decision_id = p_id AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
        RETURNING 1)
    SELECT count(*) = 1 FROM stored
$$;

CREATE OR REPLACE FUNCTION siem_outbox_deliver(p_owner text, p_token uuid, p_ids uuid[], p_correlations text[])
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH done AS (
        UPDATE siem_outbox o SET status = 'DELIVERED', delivered_at = now(), delivered_by = p_owner,
                                 locked_by = NULL, locked_until = NULL, lease_token = NULL, last_error = NULL,
                                 correlation_id = coalesce(d.correlation_id, o.correlation_id)
        FROM unnest(p_ids, p_correlations) AS d(decision_id, correlation_id)
        WHERE o.decision_id = d.decision_id AND o.status = 'PENDING'
          AND o.locked_by = p_owner AND o.lease_token = p_token
        RETURNING 1)
    SELECT count(*)::integer FROM done
$$;

-- A failed attempt: back off exponentially with jitter, or DEAD after the limit.
CREATE OR REPLACE FUNCTION siem_outbox_fail(p_owner text, p_token uuid, p_ids uuid[], p_error text, p_max_attempts integer,
                                 p_backoff_seconds double precision, p_max_backoff_seconds double precision)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH failed AS (
        UPDATE siem_outbox SET attempts = attempts + 1,
               status = CASE WHEN attempts + 1 >= p_max_attempts THEN 'DEAD' ELSE 'PENDING' END,
               next_attempt_at = now() + make_interval(secs =>
                   least(p_max_backoff_seconds, p_backoff_seconds * power(2, attempts)) * (0.5 + random() / 2)),
               last_error = left(p_error, 2000), locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE decision_id = ANY (p_ids) AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
        RETURNING 1)
    SELECT count(*)::integer FROM failed
$$;

-- The SIEM refused these very records (a 4xx for a batch of one): DEAD at once, with its answer.
CREATE OR REPLACE FUNCTION siem_outbox_refuse(p_owner text, p_token uuid, p_ids uuid[], p_error text)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH refused AS (
        UPDATE siem_outbox SET attempts = attempts + 1, status = 'DEAD', last_error = left(p_error, 2000),
                               locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE decision_id = ANY (p_ids) AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
        RETURNING 1)
    SELECT count(*)::integer FROM refused
$$;

-- Puts rows back without counting an attempt: waiting for Genesys, or for the SIEM to accept our credentials.
CREATE OR REPLACE FUNCTION siem_outbox_defer(p_owner text, p_token uuid, p_ids uuid[], p_until timestamptz, p_reason text)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH deferred AS (
        UPDATE siem_outbox SET next_attempt_at = p_until, last_error = left(p_reason, 2000),
                               locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE decision_id = ANY (p_ids) AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
        RETURNING 1)
    SELECT count(*)::integer FROM deferred
$$;

-- On shutdown: gives up this instance's leases so another instance can take the rows at once.
CREATE OR REPLACE FUNCTION siem_outbox_release(p_owner text)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH released AS (
        UPDATE siem_outbox SET locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE locked_by = p_owner AND status = 'PENDING'
        RETURNING 1)
    SELECT count(*)::integer FROM released
$$;

-- The operator's re-drive: a DEAD entry (or every DEAD entry) is sent again from scratch, for one
-- sink, or for every sink when p_sink is null.
CREATE OR REPLACE FUNCTION siem_outbox_redrive(p_id uuid, p_sink text DEFAULT NULL)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH redriven AS (
        UPDATE siem_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                               locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE decision_id = p_id AND (p_sink IS NULL OR sink = p_sink) AND status = 'DEAD'
        RETURNING 1)
    SELECT count(*) > 0 FROM redriven
$$;

CREATE OR REPLACE FUNCTION siem_outbox_redrive_dead(p_sink text DEFAULT NULL)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH redriven AS (
        UPDATE siem_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                               locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE status = 'DEAD' AND (p_sink IS NULL OR sink = p_sink)
        RETURNING 1)
    SELECT count(*)::integer FROM redriven
$$;

-- A SECURITY DEFINER function must not resolve names through a schema its caller can write to:
-- pin each to this schema (pg_temp last).
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace
               AND (p.proname LIKE 'siem\_outbox\_%' OR p.proname = 'decision_audit_enqueue_outbox')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END
$$;

-- The functions V21 defines anew: claiming and naming the sinks are the relay role's alone (V14),
-- the re-drives the operator's, through the application role.
DO $$
DECLARE
    app_role text := '${app_role}';
    relay_role text := regexp_replace('${app_role}', '_app$', '') || '_relay';
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['siem_outbox_claim(text, text, integer, double precision, double precision)',
                             'siem_outbox_sinks_configure(text[])',
                             'siem_outbox_redrive(uuid, text)', 'siem_outbox_redrive_dead(text)'] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = relay_role) THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION siem_outbox_claim(text, text, integer, double precision, double precision), '
                       'siem_outbox_sinks_configure(text[]) TO %I', relay_role);
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION siem_outbox_redrive(uuid, text), siem_outbox_redrive_dead(text) TO %I',
                       app_role);
    END IF;
END
$$;
