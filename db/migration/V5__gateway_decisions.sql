-- The inline SCIM gateway's decisions: which SCIM operation was judged, and what Genesys answered
-- when the write was forwarded. FORWARDED rows record Genesys' answer to an accepted write;
-- UNAVAILABLE rows a write that was not made because Genesys could not be reached.
ALTER TABLE decision_audit ADD COLUMN operation text;
ALTER TABLE decision_audit ADD COLUMN upstream_status integer;
ALTER TABLE decision_audit DROP CONSTRAINT decision_audit_outcome_check;
ALTER TABLE decision_audit ADD CONSTRAINT decision_audit_outcome_check CHECK (outcome IN
    ('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED', 'IGNORED', 'MALFORMED', 'UNAUTHENTICATED',
     'FORWARDED', 'UNAVAILABLE'));

CREATE OR REPLACE VIEW decisions AS
SELECT decision_id, received_at, source, event_type, event_timestamp, delivery_id,
       scim_user_id, user_name, outcome, http_status,
       jsonb_array_length(violations) AS violation_count,
       (SELECT array_agg(DISTINCT v ->> 'code') FROM jsonb_array_elements(violations) v) AS violation_codes,
       ruleset_version, request_id, detail, operation, upstream_status
FROM decision_audit;
