-- The canonical form of a decision_audit row, which audit_chain's hashes cover:
-- row_hash = sha256(prev_hash || audit_canonical(row)). `audit verify` recomputes it in Java and
-- compares these definitions with the database's.
--
-- Every column of version 1 in a fixed order, each length-prefixed ("<length>:<value>;") so no two
-- rows serialise alike; null as "-"; the columns added later only when set, as
-- "<index>=<length>:<value>;" (19..21 in V7, 22..24 in V12, 25..26 in V15), so rows sealed before a
-- column existed keep their bytes and still verify. A new column is appended the same way, never
-- inserted. jsonb as PostgreSQL prints it; received_at in microseconds since the epoch.
--
-- Repeatable: Flyway runs this after the versioned migrations and again whenever it changes. No
-- function here has a search_path of its own, so that PostgreSQL inlines them into the calling
-- query; inside audit_seal they resolve in audit_seal's search_path.

-- The length the first version counted in Java: UTF-16 code units, so a character outside the
-- Basic Multilingual Plane counts two. ASCII text (almost every column) takes the short way.
-- Null for null. Not STRICT, so that PostgreSQL inlines these helpers into audit_canonical.
CREATE OR REPLACE FUNCTION audit_canonical_length(value text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN octet_length(value) = char_length(value) THEN char_length(value)
            ELSE char_length(value) + char_length(regexp_replace(value, '[^\U00010000-\U0010FFFF]', '', 'g')) END
$$;

-- One field of the canonical row: "<length>:<value>;", or null for a null value.
CREATE OR REPLACE FUNCTION audit_canonical_field(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT audit_canonical_length(value)::text || ':' || value || ';'
$$;

CREATE OR REPLACE FUNCTION audit_canonical(a decision_audit) RETURNS bytea
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
    || coalesce('21=' || audit_canonical_field(a.body_sha256), '')
    || coalesce('22=' || audit_canonical_field(a.shadow_outcome), '')
    || coalesce('23=' || audit_canonical_field(a.shadow_ruleset_version), '')
    || coalesce('24=' || audit_canonical_field(a.shadow_codes::text), '')
    || coalesce('25=' || audit_canonical_field(a.payload_text), '')
    || coalesce('26=' || audit_canonical_field(a.payload_exact::text), ''), 'UTF8')
$$;
