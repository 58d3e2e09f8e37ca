-- The hash chain is computed by the database, from a queue of unsealed rows, so that
--  * every committed row is sealed whenever it commits: an AFTER INSERT trigger queues it in the
--    inserting transaction, so it becomes visible to the sealer exactly when it commits, however
--    far behind the newest sealed row its seq is (seq is allocated at insert, not at commit);
--  * a sealing run costs O(rows sealed): it reads the queue by its primary key, never the audit;
--  * the service can append but never forge: audit_seal() and audit_checkpoint_exported() run as
--    the schema owner (SECURITY DEFINER), and the application role loses INSERT on audit_chain;
--  * there is one definition of the canonical row, audit_canonical(), used to seal and to verify.
-- Chains sealed by earlier versions keep verifying: the canonical form is the same
-- "decision_audit/v1" bytes, and sealing continues from the existing head.

-- Rows waiting to be sealed. Not part of the audit: a row leaves it when it is sealed.
CREATE TABLE audit_unsealed (
    seq          bigint PRIMARY KEY,
    decision_id  uuid   NOT NULL
);

COMMENT ON TABLE audit_unsealed IS 'decision_audit rows not sealed into audit_chain yet; filled by a trigger, emptied by audit_seal()';

-- Rows earlier versions never sealed (the blind spot behind their 100,000-row window) are queued too.
INSERT INTO audit_unsealed (seq, decision_id)
SELECT a.seq, a.decision_id FROM decision_audit a
WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.decision_id = a.decision_id);

CREATE FUNCTION audit_enqueue_unsealed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    INSERT INTO audit_unsealed (seq, decision_id) SELECT seq, decision_id FROM inserted;
    RETURN NULL;
END
$$;

CREATE TRIGGER decision_audit_enqueue_unsealed
    AFTER INSERT ON decision_audit
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION audit_enqueue_unsealed();

-- The length the first version counted in Java: UTF-16 code units, so a character outside the
-- Basic Multilingual Plane counts two. ASCII text (almost every column) takes the short way.
-- Null for null. Not STRICT, so that PostgreSQL inlines these helpers into audit_canonical.
CREATE FUNCTION audit_canonical_length(value text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN octet_length(value) = char_length(value) THEN char_length(value)
            ELSE char_length(value) + char_length(regexp_replace(value, '[^\U00010000-\U0010FFFF]', '', 'g')) END
$$;

-- One field of the canonical row: "<length>:<value>;", or null for a null value.
CREATE FUNCTION audit_canonical_field(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT audit_canonical_length(value)::text || ':' || value || ';'
$$;

-- The canonical form of a decision_audit row that the chain covers: every column of version 1 in
-- a fixed order, each length-prefixed so no two rows serialise alike; null as "-"; the columns
-- added later (operation, upstream_status, body_sha256) only when set, as "<index>=<length>:<value>;", so rows
-- sealed before they existed still verify; jsonb as PostgreSQL prints it; received_at in
-- microseconds since the epoch. row_hash = sha256(prev_hash || audit_canonical(row)).
CREATE FUNCTION audit_canonical(a decision_audit) RETURNS bytea
    LANGUAGE sql STABLE PARALLEL SAFE AS
$$
SELECT convert_to('decision_audit/v1;'
    || coalesce(audit_canonical_field(a.decision_id::text), '-;')
    || coalesce(audit_canonical_field(a.seq::text), '-;')
    || coalesce(audit_canonical_field((extract(epoch FROM a.received_at) * 1000000)::bigint::text), '-;')
    || coalesce(audit_canonical_field(a.source), '-;')
    || coalesce(audit_canonical_field(a.event_type), '-;')
    || coalesce(audit_canonical_field(a.event_timestamp), '-;')
    || coalesce(audit_canonical_field(a.delivery_id), '-;')
    || coalesce(audit_canonical_field(a.idempotency_key), '-;')
    || coalesce(audit_canonical_field(a.scim_user_id), '-;')
    || coalesce(audit_canonical_field(a.user_name), '-;')
    || coalesce(audit_canonical_field(a.outcome), '-;')
    || coalesce(audit_canonical_field(a.http_status::text), '-;')
    || coalesce(audit_canonical_field(a.violations::text), '-;')
    || coalesce(audit_canonical_field(a.fired_rules::text), '-;')
    || coalesce(audit_canonical_field(a.ruleset_version), '-;')
    || coalesce(audit_canonical_field(a.request_id), '-;')
    || coalesce(audit_canonical_field(a.detail), '-;')
    || coalesce(audit_canonical_field(a.payload::text), '-;')
    || coalesce(audit_canonical_field(a.response_body), '-;')
    || coalesce('19=' || audit_canonical_field(a.operation), '')
    || coalesce('20=' || audit_canonical_field(a.upstream_status::text), '')
    || coalesce('21=' || audit_canonical_field(a.body_sha256), ''), 'UTF8')
$$;

-- Links up to max_rows queued rows to the chain, in seq order, and returns how many. One sealer
-- at a time (the advisory lock earlier versions took, so they never interleave with this one).
CREATE FUNCTION audit_seal(max_rows integer) RETURNS integer
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

-- The chain heads sent to the SIEM, so verify can tell how far the chain has moved since, and
-- whether links the SIEM already vouched for were removed or changed.
CREATE TABLE audit_checkpoint (
    position     bigint      NOT NULL,
    row_hash     bytea       NOT NULL,
    exported_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_checkpoint_position ON audit_checkpoint (position);

COMMENT ON TABLE audit_checkpoint IS 'audit_chain heads exported to the SIEM; written only by audit_checkpoint_exported()';

CREATE TRIGGER audit_checkpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION decision_audit_refuse_change();

CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION decision_audit_refuse_change();

-- Records that the head at at_position was exported; refuses a head the chain does not hold.
CREATE FUNCTION audit_checkpoint_exported(at_position bigint, hash bytea) RETURNS void
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
-- (audit_canonical and its helpers have no search_path of their own, so that PostgreSQL inlines
-- them into the calling query; inside audit_seal they resolve in audit_seal's search_path.)
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

REVOKE ALL ON FUNCTION audit_seal(integer), audit_checkpoint_exported(bigint, bytea) FROM PUBLIC;

-- The application role seals and records exports through the functions only.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain FROM ${app_role};
        GRANT SELECT ON audit_chain, audit_unsealed, audit_checkpoint TO ${app_role};
        GRANT EXECUTE ON FUNCTION audit_seal(integer), audit_checkpoint_exported(bigint, bytea) TO ${app_role};
    END IF;
END
$$;
