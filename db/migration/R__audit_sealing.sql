-- The audit's own functions: the append-only guard, the check on every inserted decision, the
-- sealing queue, the sealer and the record of exported chain heads. `audit verify` compares these
-- definitions (and the triggers of the versioned migrations) with the database's.
--
-- Repeatable: Flyway runs this after the versioned migrations and again whenever it changes.
-- CREATE OR REPLACE keeps each function's owner and grants (V7, V10, V14), but resets its SET
-- options: the block at the end pins the search_path of those that run as their owner again.

-- Refuses UPDATE, DELETE and TRUNCATE on decision_audit, audit_chain and audit_checkpoint, for
-- every role, the owner included.
CREATE OR REPLACE FUNCTION decision_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; retention detaches whole partitions.';
END
$$;

-- The application role may insert decisions but not choose where one lands in the history: its seq
-- must be the one the database just allocated for it, and its received_at must lie within the
-- database's clock (see V14). Binds every role but the owner of decision_audit and superusers.
CREATE OR REPLACE FUNCTION decision_audit_check_insert() RETURNS trigger
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

-- Queues every inserted decision for sealing (the trigger decision_audit_enqueue_unsealed, V7).
CREATE OR REPLACE FUNCTION audit_enqueue_unsealed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    INSERT INTO audit_unsealed (seq, decision_id) SELECT seq, decision_id FROM inserted;
    RETURN NULL;
END
$$;

-- Links up to max_rows queued rows to the chain, in seq order, and returns how many. One sealer
-- at a time (the advisory lock earlier versions took, so they never interleave with this one).
CREATE OR REPLACE FUNCTION audit_seal(max_rows integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
DECLARE
    head_position bigint;
    head_hash     bytea;
    queued        record;
    link          bytea;
    positions     bigint[] := '{}';
    ids           uuid[] := '{}';
    seqs          bigint[] := '{}';
    prevs         bytea[] := '{}';
    hashes        bytea[] := '{}';
    done          bigint[] := '{}';
BEGIN
    IF NOT pg_try_advisory_xact_lock(96560254) THEN
        RETURN 0;
    END IF;
    SELECT c.position, c.row_hash INTO head_position, head_hash FROM audit_chain c ORDER BY c.position DESC LIMIT 1;
    IF NOT FOUND THEN
        head_position := 0;
        head_hash := decode(repeat('00', 32), 'hex');
    END IF;
    -- The oldest queued rows, each joined by primary key (the LIMITed lateral subqueries keep it a
    -- nested loop): the cost is the rows sealed, never the size of the audit.
    FOR queued IN
        SELECT u.seq, u.decision_id, d.canonical,
               EXISTS (SELECT 1 FROM audit_chain c WHERE c.decision_id = u.decision_id) AS already_sealed
        FROM (SELECT q.seq, q.decision_id FROM audit_unsealed q ORDER BY q.seq LIMIT max_rows) u
        LEFT JOIN LATERAL (SELECT audit_canonical(a) AS canonical FROM decision_audit a
                           WHERE a.decision_id = u.decision_id LIMIT 1) d ON true
        ORDER BY u.seq
    LOOP
        -- A row an earlier version sealed meanwhile, or one that is gone, only leaves the queue.
        IF queued.canonical IS NOT NULL AND NOT queued.already_sealed THEN
            link := sha256(head_hash || queued.canonical);
            head_position := head_position + 1;
            positions := array_append(positions, head_position);
            ids := array_append(ids, queued.decision_id);
            seqs := array_append(seqs, queued.seq);
            prevs := array_append(prevs, head_hash);
            hashes := array_append(hashes, link);
            head_hash := link;
        END IF;
        done := array_append(done, queued.seq);
    END LOOP;
    INSERT INTO audit_chain (position, decision_id, audit_seq, prev_hash, row_hash)
    SELECT * FROM unnest(positions, ids, seqs, prevs, hashes);
    DELETE FROM audit_unsealed WHERE seq = ANY (done);
    RETURN cardinality(positions);
END
$$;

-- Records that the head at at_position was exported; refuses a head the chain does not hold.
CREATE OR REPLACE FUNCTION audit_checkpoint_exported(at_position bigint, hash bytea) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.position = at_position AND c.row_hash = hash) THEN
        RAISE EXCEPTION 'audit_chain holds no link % with that hash', at_position
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO audit_checkpoint (position, row_hash) VALUES (at_position, hash);
END
$$;

-- Functions that run as the owner resolve names in this schema only, never in pg_temp first.
DO $$
DECLARE
    fn text;
BEGIN
    FOREACH fn IN ARRAY ARRAY['audit_enqueue_unsealed()', 'audit_seal(integer)',
                              'audit_checkpoint_exported(bigint, bytea)'] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', fn, current_schema());
    END LOOP;
END
$$;
