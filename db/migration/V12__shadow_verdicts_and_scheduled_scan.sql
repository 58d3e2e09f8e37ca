-- Two kinds of evidence the audit did not hold yet.
--
-- The shadow ruleset's verdict (scimgate.policy.shadow-rules-dir): a candidate evaluated on every
-- webhook and gateway decision and never enforced. Each row keeps what the shadow would have
-- decided, next to what the live rules did decide. Null where no shadow was configured or the
-- request was never evaluated.
ALTER TABLE decision_audit ADD COLUMN shadow_outcome text
    CHECK (shadow_outcome IN ('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED'));
ALTER TABLE decision_audit ADD COLUMN shadow_ruleset_version text;
ALTER TABLE decision_audit ADD COLUMN shadow_codes jsonb;   -- ["CODE", …]: the codes of the shadow's violations

COMMENT ON COLUMN decision_audit.shadow_outcome IS
    'what the shadow ruleset would have decided (never enforced); null without a shadow';

-- The scheduled scan of the accounts already in Genesys (scimgate.scan.schedule) records each
-- account the rules find fault with: source scan, outcome NONCOMPLIANT_ACCOUNT.
ALTER TABLE decision_audit DROP CONSTRAINT decision_audit_source_check;
ALTER TABLE decision_audit ADD CONSTRAINT decision_audit_source_check CHECK (source IN ('webhook', 'gateway', 'scan'));
ALTER TABLE decision_audit DROP CONSTRAINT decision_audit_outcome_check;
ALTER TABLE decision_audit ADD CONSTRAINT decision_audit_outcome_check CHECK (outcome IN
    ('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED', 'IGNORED', 'MALFORMED', 'UNAUTHENTICATED',
     'FORWARDED', 'UNAVAILABLE', 'UPSTREAM_ERROR', 'PRECONDITION_FAILED', 'NONCOMPLIANT_ACCOUNT'));

-- The shadow's verdict is evidence, so the chain seals it: the canonical row gains the three
-- columns as optional fields 22, 23 and 24, written only when set, exactly as V7 added 19..21.
-- Every row sealed before (all of them with the three null) has the same bytes as before, so
-- existing chains keep verifying.
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
    || coalesce('24=' || audit_canonical_field(a.shadow_codes::text), ''), 'UTF8')
$$;

-- The analysts' view shows the shadow's verdict beside the live one (new columns go last, so the
-- view keeps its grants).
CREATE OR REPLACE VIEW decisions AS
SELECT decision_id, received_at, source, event_type, event_timestamp, delivery_id,
       scim_user_id, user_name, outcome, http_status,
       jsonb_array_length(violations) AS violation_count,
       (SELECT array_agg(DISTINCT v ->> 'code') FROM jsonb_array_elements(violations) v) AS violation_codes,
       ruleset_version, request_id, detail, operation, upstream_status,
       shadow_outcome, shadow_ruleset_version,
       (SELECT array_agg(c ORDER BY c) FROM jsonb_array_elements_text(shadow_codes) c) AS shadow_codes
FROM decision_audit;
