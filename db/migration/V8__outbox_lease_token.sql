-- Fencing for the SIEM relay, and delivery state only the relay's own path can change.
--
-- Every claim gets a lease token of its own. Each later change to a claimed row (renewing the
-- lease, storing the Genesys correlation, marking it delivered, failed, refused or deferred) names
-- the owner AND the token, and changes nothing once another relay has claimed the row again: a
-- relay whose lease lapsed can no longer mark anything.
--
-- The functions run as their owner (the role that runs these migrations), so the application role
-- needs no UPDATE on siem_outbox at all: it may insert a new row's decision_id (every other column
-- takes its default, so a row is born PENDING), read, and call these functions. A direct
-- UPDATE siem_outbox SET status = 'DELIVERED' is refused.
ALTER TABLE siem_outbox ADD COLUMN lease_token uuid;

COMMENT ON COLUMN siem_outbox.lease_token IS 'token of the claim in locked_by; every change by the relay must name it';

-- The claim takes due rows in (next_attempt_at, created_at) order: an index in that order lets it
-- read the first rows instead of sorting every pending row on each claim.
CREATE INDEX siem_outbox_due_order ON siem_outbox (next_attempt_at, created_at) WHERE status = 'PENDING';
DROP INDEX siem_outbox_due;

CREATE FUNCTION siem_outbox_claim(p_owner text, p_limit integer, p_lease_seconds double precision,
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
                 WHERE o.status = ''PENDING'' AND o.next_attempt_at <= now()
                   AND (o.locked_until IS NULL OR o.locked_until < now())
                   AND o.created_at <= now() - make_interval(secs => $2)
                 ORDER BY o.next_attempt_at, o.created_at
                 LIMIT $1
                 FOR UPDATE SKIP LOCKED) due'
        INTO v_ids USING p_limit, p_not_before_seconds;
    RETURN QUERY
        UPDATE siem_outbox o SET locked_by = p_owner, lease_token = v_token,
                                 locked_until = now() + make_interval(secs => p_lease_seconds)
        WHERE o.decision_id = ANY (v_ids)
        RETURNING o.decision_id, o.lease_token, o.attempts, o.correlation_id;
END
$$;

CREATE FUNCTION siem_outbox_renew(p_owner text, p_token uuid, p_ids uuid[], p_lease_seconds double precision)
    RETURNS SETOF uuid
    LANGUAGE sql SECURITY DEFINER AS
$$
    UPDATE siem_outbox SET locked_until = now() + make_interval(secs => p_lease_seconds)
    WHERE decision_id = ANY (p_ids) AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
    RETURNING decision_id
$$;

CREATE FUNCTION siem_outbox_correlate(p_owner text, p_token uuid, p_id uuid, p_correlation text)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH stored AS (
        UPDATE siem_outbox SET correlation_id = p_correlation
        WHERE decision_id = p_id AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
        RETURNING 1)
    SELECT count(*) = 1 FROM stored
$$;

CREATE FUNCTION siem_outbox_deliver(p_owner text, p_token uuid, p_ids uuid[], p_correlations text[])
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
CREATE FUNCTION siem_outbox_fail(p_owner text, p_token uuid, p_ids uuid[], p_error text, p_max_attempts integer,
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
CREATE FUNCTION siem_outbox_refuse(p_owner text, p_token uuid, p_ids uuid[], p_error text)
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
CREATE FUNCTION siem_outbox_defer(p_owner text, p_token uuid, p_ids uuid[], p_until timestamptz, p_reason text)
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
CREATE FUNCTION siem_outbox_release(p_owner text)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH released AS (
        UPDATE siem_outbox SET locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE locked_by = p_owner AND status = 'PENDING'
        RETURNING 1)
    SELECT count(*)::integer FROM released
$$;

-- The operator's re-drive: a DEAD row (or every DEAD row) is sent again from scratch.
CREATE FUNCTION siem_outbox_redrive(p_id uuid)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH redriven AS (
        UPDATE siem_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                               locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE decision_id = p_id AND status = 'DEAD'
        RETURNING 1)
    SELECT count(*) = 1 FROM redriven
$$;

CREATE FUNCTION siem_outbox_redrive_dead()
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH redriven AS (
        UPDATE siem_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                               locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE status = 'DEAD'
        RETURNING 1)
    SELECT count(*)::integer FROM redriven
$$;

-- A SECURITY DEFINER function must not resolve names through a schema its caller can write to:
-- pin each to this schema (pg_temp last). Only the owner and the application role may call them.
DO $$
DECLARE
    f regprocedure;
    app_role_exists boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}');
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'siem\_outbox\_%'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        IF app_role_exists THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, '${app_role}');
        END IF;
    END LOOP;
    IF app_role_exists THEN
        -- Delivery state changes only through the functions above; a new row only names its decision.
        REVOKE UPDATE, INSERT ON siem_outbox FROM ${app_role};
        GRANT INSERT (decision_id) ON siem_outbox TO ${app_role};
    END IF;
END
$$;
