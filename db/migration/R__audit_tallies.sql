-- Folds up to max_positions chain positions after the last folded one into the tallies
-- (decision_tally, violation_tally, fired_rule_tally) and returns how many it folded. One folder
-- at a time; a second caller returns 0 at once.
--
-- Repeatable: Flyway runs this after the versioned migrations and again whenever it changes.
-- CREATE OR REPLACE keeps the function's owner and grants (V13) but resets its search_path, pinned
-- again below.
CREATE OR REPLACE FUNCTION decision_tally_fold(max_positions integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
DECLARE
    done  bigint;
    upto  bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(96560255) THEN
        RETURN 0;
    END IF;
    SELECT folded_to INTO done FROM tally_folded;
    SELECT max(p.position) INTO upto
    FROM (SELECT c.position FROM audit_chain c WHERE c.position > done ORDER BY c.position LIMIT max_positions) p;
    IF upto IS NULL THEN
        RETURN 0;
    END IF;

    -- One statement: the positions are read once, and each tally gets its rows from them.
    WITH folding AS MATERIALIZED (
        SELECT date_trunc('hour', a.received_at, 'UTC') AS hour, a.outcome, a.violations, a.fired_rules
        FROM audit_chain c JOIN decision_audit a ON a.decision_id = c.decision_id
        WHERE c.position > done AND c.position <= upto
    ), by_outcome AS (
        INSERT INTO decision_tally AS t (hour, outcome, decisions)
        SELECT f.hour, f.outcome, count(*) FROM folding f GROUP BY 1, 2
        ON CONFLICT (hour, outcome) DO UPDATE SET decisions = t.decisions + excluded.decisions
        RETURNING 1
    ), by_code AS (
        INSERT INTO violation_tally AS t (hour, code, violations)
        SELECT f.hour, v ->> 'code', count(*)
        FROM folding f CROSS JOIN LATERAL jsonb_array_elements(
            CASE jsonb_typeof(f.violations) WHEN 'array' THEN f.violations ELSE '[]' END) v
        WHERE v ->> 'code' IS NOT NULL
        GROUP BY 1, 2
        ON CONFLICT (hour, code) DO UPDATE SET violations = t.violations + excluded.violations
        RETURNING 1
    )
    INSERT INTO fired_rule_tally AS t (hour, rule, fired)
    SELECT f.hour, r.rule, count(*)
    FROM folding f CROSS JOIN LATERAL jsonb_array_elements(
        CASE jsonb_typeof(f.fired_rules) WHEN 'array' THEN f.fired_rules ELSE '[]' END) e
    CROSS JOIN LATERAL (SELECT CASE jsonb_typeof(e) WHEN 'string' THEN e #>> '{}' ELSE e ->> 'rule' END AS rule) r
    WHERE r.rule IS NOT NULL
    GROUP BY 1, 2
    ON CONFLICT (hour, rule) DO UPDATE SET fired = t.fired + excluded.fired;

    UPDATE tally_folded SET folded_to = upto;
    RETURN upto - done;
END
$$;

DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION decision_tally_fold(integer) SET search_path = %I, pg_temp', current_schema());
END
$$;
