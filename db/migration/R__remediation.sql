-- The remediation actions' functions (table: V18). An action row is written by the database when a
-- decision that calls for one is inserted (remediation_enqueue); every later change goes through a
-- function here that runs as its owner. The relay's changes name the claiming relay AND its lease
-- token, so a relay whose lease lapsed (or was taken over) changes nothing; the operator's
-- functions only move rows between resting states.
--
-- Statuses: PENDING (due or waiting for its next attempt), HELD (past the hourly cap: an operator
-- releases it), DONE (Genesys deactivated the account, or it is gone: 404), DRYRUN (mode dryrun:
-- recorded, nothing called), SKIPPED (mode off), FAILED (Genesys refused the change), DEAD (the last
-- attempt failed), CANCELLED (by an operator).
--
-- Repeatable: Flyway runs this after the versioned migrations and again whenever it changes.
-- CREATE OR REPLACE keeps each function's owner and grants, but resets its search_path: the block
-- at the end pins it again.

-- Which decisions call for an action: a webhook's user.created it refused, or a scan finding, about
-- an account with a Genesys id, with an enforced violation of a rule whose remedy this service
-- knows. A shadow ruleset's verdict is never read (its codes are not in violations). A scan of an
-- account Genesys already holds inactive, or a target with an action still open, adds nothing.
CREATE OR REPLACE FUNCTION remediation_enqueue() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    INSERT INTO remediation_action (decision_id, action, target_id, user_name, codes)
    SELECT i.decision_id, r.remedy, i.scim_user_id, i.user_name, jsonb_agg(DISTINCT r.code ORDER BY r.code)
    FROM inserted i
    CROSS JOIN LATERAL (SELECT v ->> 'remedy' AS remedy, v ->> 'code' AS code
                        FROM jsonb_array_elements(CASE jsonb_typeof(i.violations) WHEN 'array' THEN i.violations
                                                  ELSE '[]'::jsonb END) v
                        WHERE v ->> 'mode' = 'enforce' AND v ->> 'remedy' IN ('deactivate')) r
    WHERE i.scim_user_id IS NOT NULL AND i.scim_user_id <> ''
      AND ((i.source = 'webhook' AND i.event_type = 'user.created' AND i.outcome = 'REJECTED')
        OR (i.source = 'scan' AND i.outcome = 'NONCOMPLIANT_ACCOUNT'
            AND coalesce(i.payload ->> 'active', 'true') <> 'false'))
      -- One index probe per candidate row, whatever the planner knows of the table: OFFSET 0 keeps
      -- the check a correlated subquery on remediation_action_target (target_id = the row's). As a
      -- join, planned once per connection while the table was still small (the transition table
      -- estimated at one row, no statistics yet), it scanned every open action of every target for
      -- each refused decision, and the writers' cached plan kept doing so as the actions grew.
      AND NOT EXISTS (SELECT 1 FROM remediation_action a
                      WHERE a.target_id = i.scim_user_id AND a.action = r.remedy AND a.status IN ('PENDING', 'HELD')
                      OFFSET 0)
    GROUP BY i.decision_id, r.remedy, i.scim_user_id, i.user_name
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- Leases due rows to p_owner under one new token. Acting (mode on), at most p_cap actions start in
-- any hour across all instances: new rows past the cap become HELD; rows already started (a retry)
-- or released by an operator are not counted again. Claims take a transaction advisory lock, so
-- two instances never count the same room twice.
CREATE OR REPLACE FUNCTION remediation_claim(p_owner text, p_limit integer, p_lease_seconds double precision,
                                             p_acting boolean, p_cap integer)
    RETURNS TABLE (id uuid, decision_id uuid, action text, target_id text, lease_token uuid, attempts integer)
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
#variable_conflict use_column
DECLARE
    v_token uuid := gen_random_uuid();
    v_ids uuid[];
    v_new uuid[];
    v_room integer;
BEGIN
    -- Advisory locks share one key space: the sealer takes 96560254, the tally fold 96560255, the scan 96560256.
    PERFORM pg_advisory_xact_lock(96560257);
    SELECT coalesce(array_agg(c.id), '{}') INTO v_ids FROM (
        SELECT a.id FROM remediation_action a
        WHERE a.status = 'PENDING' AND a.next_attempt_at <= now()
          AND (a.locked_until IS NULL OR a.locked_until < now())
          AND (NOT p_acting OR a.started_at IS NOT NULL OR a.released_at IS NOT NULL)
        ORDER BY a.next_attempt_at, a.created_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED) c;
    IF p_acting THEN
        SELECT greatest(p_cap - count(*), 0)::integer INTO v_room FROM remediation_action a
        WHERE a.started_at > now() - interval '1 hour' AND a.released_at IS NULL;
        SELECT coalesce(array_agg(c.id), '{}') INTO v_new FROM (
            SELECT a.id FROM remediation_action a
            WHERE a.status = 'PENDING' AND a.next_attempt_at <= now() AND a.started_at IS NULL
              AND a.released_at IS NULL AND (a.locked_until IS NULL OR a.locked_until < now())
            ORDER BY a.created_at
            LIMIT least(v_room, p_limit - cardinality(v_ids))
            FOR UPDATE SKIP LOCKED) c;
        IF cardinality(v_new) >= v_room THEN
            -- The cap binds: what else is new and due waits for an operator.
            UPDATE remediation_action a
            SET status = 'HELD', last_answer = format('held: %s actions started in the last hour, the cap is %s',
                                                      p_cap - v_room + cardinality(v_new), p_cap),
                updated_at = now(), outcome_seq = a.outcome_seq + 1
            WHERE a.status = 'PENDING' AND a.next_attempt_at <= now() AND a.started_at IS NULL
              AND a.released_at IS NULL AND (a.locked_until IS NULL OR a.locked_until < now())
              AND NOT (a.id = ANY (v_new));
        END IF;
        UPDATE remediation_action a SET started_at = now() WHERE a.id = ANY (v_new);
        v_ids := v_ids || v_new;
    END IF;
    RETURN QUERY
        UPDATE remediation_action a SET locked_by = p_owner, lease_token = v_token,
                                        locked_until = now() + make_interval(secs => p_lease_seconds)
        WHERE a.id = ANY (v_ids)
        RETURNING a.id, a.decision_id, a.action, a.target_id, a.lease_token, a.attempts;
END
$$;

-- Extends the lease of one row, right before its call; false when the claim no longer holds it.
CREATE OR REPLACE FUNCTION remediation_renew(p_owner text, p_token uuid, p_id uuid, p_lease_seconds double precision)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH renewed AS (
        UPDATE remediation_action SET locked_until = now() + make_interval(secs => p_lease_seconds)
        WHERE id = p_id AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
        RETURNING 1)
    SELECT count(*) = 1 FROM renewed
$$;

-- A final outcome: DONE, FAILED (after a call: p_called), DRYRUN or SKIPPED (nothing called).
CREATE OR REPLACE FUNCTION remediation_settle(p_owner text, p_token uuid, p_id uuid, p_status text, p_called boolean,
                                              p_http integer, p_answer text)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH settled AS (
        UPDATE remediation_action
        SET status = p_status, attempts = attempts + CASE WHEN p_called THEN 1 ELSE 0 END,
            last_status = p_http, last_answer = left(p_answer, 2000), settled_at = now(), updated_at = now(),
            outcome_seq = outcome_seq + 1, locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE id = p_id AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
          AND p_status IN ('DONE', 'FAILED', 'DRYRUN', 'SKIPPED')
        RETURNING 1)
    SELECT count(*) = 1 FROM settled
$$;

-- Not done this time. p_counts: the call failed (Genesys down, 5xx), an attempt is counted and the
-- row backs off exponentially with jitter, DEAD after p_max_attempts. Otherwise (429) it waits
-- without counting. Either way no earlier than p_not_before_seconds (Retry-After). Returns the status.
CREATE OR REPLACE FUNCTION remediation_retry_later(p_owner text, p_token uuid, p_id uuid, p_counts boolean,
                                                   p_http integer, p_answer text, p_max_attempts integer,
                                                   p_backoff_seconds double precision,
                                                   p_max_backoff_seconds double precision,
                                                   p_not_before_seconds double precision)
    RETURNS text
    LANGUAGE sql SECURITY DEFINER AS
$$
    UPDATE remediation_action
    SET attempts = attempts + CASE WHEN p_counts THEN 1 ELSE 0 END,
        status = CASE WHEN p_counts AND attempts + 1 >= p_max_attempts THEN 'DEAD' ELSE 'PENDING' END,
        settled_at = CASE WHEN p_counts AND attempts + 1 >= p_max_attempts THEN now() END,
        outcome_seq = outcome_seq + CASE WHEN p_counts AND attempts + 1 >= p_max_attempts THEN 1 ELSE 0 END,
        next_attempt_at = now() + make_interval(secs => greatest(coalesce(p_not_before_seconds, 0),
            CASE WHEN p_counts THEN least(p_max_backoff_seconds, p_backoff_seconds * power(2, attempts))
                                    * (0.5 + random() / 2) ELSE 0 END)),
        last_status = p_http, last_answer = left(p_answer, 2000), updated_at = now(),
        locked_by = NULL, locked_until = NULL, lease_token = NULL
    WHERE id = p_id AND status = 'PENDING' AND locked_by = p_owner AND lease_token = p_token
    RETURNING status
$$;

-- On shutdown: gives up this instance's leases so another instance can take the rows at once.
CREATE OR REPLACE FUNCTION remediation_release_leases(p_owner text)
    RETURNS integer
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH released AS (
        UPDATE remediation_action SET locked_by = NULL, locked_until = NULL, lease_token = NULL
        WHERE locked_by = p_owner AND status = 'PENDING'
        RETURNING 1)
    SELECT count(*)::integer FROM released
$$;

-- The operator's release of a HELD action: done next, whatever the cap (the operator looked).
CREATE OR REPLACE FUNCTION remediation_release(p_id uuid)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH released AS (
        UPDATE remediation_action SET status = 'PENDING', released_at = now(), next_attempt_at = now(),
                                      updated_at = now()
        WHERE id = p_id AND status = 'HELD'
        RETURNING 1)
    SELECT count(*) = 1 FROM released
$$;

-- The operator's retry of a FAILED or DEAD action: from scratch, whatever the cap.
CREATE OR REPLACE FUNCTION remediation_retry(p_id uuid)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH retried AS (
        UPDATE remediation_action SET status = 'PENDING', attempts = 0, next_attempt_at = now(), settled_at = NULL,
                                      released_at = coalesce(released_at, now()), updated_at = now()
        WHERE id = p_id AND status IN ('FAILED', 'DEAD')
        RETURNING 1)
    SELECT count(*) = 1 FROM retried
$$;

-- The operator's cancel: an action not being carried out right now (a call in flight is not cancelled).
CREATE OR REPLACE FUNCTION remediation_cancel(p_id uuid, p_reason text)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH cancelled AS (
        UPDATE remediation_action SET status = 'CANCELLED', last_answer = left(p_reason, 2000), settled_at = now(),
                                      updated_at = now(), outcome_seq = outcome_seq + 1
        WHERE id = p_id AND status IN ('PENDING', 'HELD', 'FAILED', 'DEAD')
          AND (locked_until IS NULL OR locked_until < now())
        RETURNING 1)
    SELECT count(*) = 1 FROM cancelled
$$;

-- The SIEM accepted outcome p_seq of the action.
CREATE OR REPLACE FUNCTION remediation_exported(p_id uuid, p_seq integer)
    RETURNS boolean
    LANGUAGE sql SECURITY DEFINER AS
$$
    WITH exported AS (
        UPDATE remediation_action SET exported_seq = greatest(exported_seq, p_seq)
        WHERE id = p_id AND exported_seq < p_seq
        RETURNING 1)
    SELECT count(*) = 1 FROM exported
$$;

-- A SECURITY DEFINER function must not resolve names through a schema its caller can write to:
-- pin each to this schema (pg_temp last).
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'remediation\_%'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END
$$;

-- Only the service's role may call them: the trigger function nobody (it runs from its trigger),
-- the rest the application role, whose relay and operator's API use them.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE 'remediation\_%'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        IF f::text <> 'remediation_enqueue()' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, '${app_role}');
        END IF;
    END LOOP;
END
$$;
