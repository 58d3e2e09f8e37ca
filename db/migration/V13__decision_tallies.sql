-- The console's counts without reading the audit: decisions per UTC hour and outcome, violations
-- per hour and code, rule firings per hour and rule. With a million decisions the overview's
-- 30-day chart and its 7-day top codes would otherwise read (and unpack the JSON of) every row.
--
-- The tallies are folded from the hash chain, not kept by a trigger on decision_audit: the decision
-- writers pay nothing, and two writers never wait for each other on a hot tally row. The chain is
-- the right source because its positions become visible in order (audit_seal() holds its lock
-- until it commits, and the next run starts from that head), so "every position up to N" is a
-- prefix that never gains a row later. A reader adds the few positions not folded yet and the
-- rows still waiting to be sealed, and so counts every decision exactly once in one snapshot.
CREATE TABLE decision_tally (
    hour       timestamptz NOT NULL,
    outcome    text        NOT NULL,
    decisions  bigint      NOT NULL,
    PRIMARY KEY (hour, outcome)
);

CREATE TABLE violation_tally (
    hour        timestamptz NOT NULL,
    code        text        NOT NULL,
    violations  bigint      NOT NULL,
    PRIMARY KEY (hour, code)
);

CREATE TABLE fired_rule_tally (
    hour   timestamptz NOT NULL,
    rule   text        NOT NULL,
    fired  bigint      NOT NULL,
    PRIMARY KEY (hour, rule)
);

-- How far the tallies have folded the chain: one row.
CREATE TABLE tally_folded (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    folded_to  bigint  NOT NULL
);

INSERT INTO tally_folded (folded_to) VALUES (0);

COMMENT ON TABLE decision_tally IS 'Decisions per UTC hour and outcome, folded from audit_chain up to tally_folded.folded_to by decision_tally_fold()';

-- Folds up to max_positions chain positions after the last folded one into the tallies and returns
-- how many it folded. One folder at a time; a second caller returns 0 at once.
CREATE FUNCTION decision_tally_fold(max_positions integer) RETURNS integer
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

REVOKE ALL ON FUNCTION decision_tally_fold(integer) FROM PUBLIC;

-- The application role reads the tallies and folds through the function; it never writes a tally.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        GRANT SELECT ON decision_tally, violation_tally, fired_rule_tally, tally_folded TO ${app_role};
        GRANT EXECUTE ON FUNCTION decision_tally_fold(integer) TO ${app_role};
    END IF;
END
$$;
