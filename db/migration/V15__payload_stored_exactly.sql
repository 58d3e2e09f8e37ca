-- The payload exactly as the service judged it. jsonb refuses some valid JSON: the escape \u0000
-- (NUL) and a lone surrogate such as \ud800. Such a payload used to be stored with NUL replaced by
-- U+FFFD and a lone surrogate by '?', so a replay judged another user than the live rules had
-- (every candidate "flipped" a userName holding NUL). Now:
--   payload_text   the payload's JSON text, every character outside ASCII printable escaped, when
--                  jsonb cannot hold it exactly; payload then holds the cleaned copy for queries;
--   payload_exact  true when payload_text (or, without it, payload) is exactly what was judged;
--                  false when the service's own copy was not (a number beyond what its reader holds,
--                  such as 1e999999999, read as infinity); null for rows recorded before this version.
-- Replay and impact analysis replay only exact payloads and count the others as not faithful.
ALTER TABLE decision_audit ADD COLUMN payload_text text;
ALTER TABLE decision_audit ADD COLUMN payload_exact boolean;

COMMENT ON COLUMN decision_audit.payload_text IS
    'the payload as JSON text, escaped, when jsonb cannot hold it exactly (NUL, lone surrogates); null otherwise';
COMMENT ON COLUMN decision_audit.payload_exact IS
    'whether the stored payload is exactly what was judged; null before V15';

-- Both are evidence, sealed as optional fields 25 and 26, written only when set, as V12 added 22..24:
-- every row sealed before has the same bytes as before.
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
