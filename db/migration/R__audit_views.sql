-- The analysts' views over decision_audit, without the stored payload and response.
--
-- Repeatable: Flyway runs this after the versioned migrations and again whenever it changes.
-- CREATE OR REPLACE VIEW keeps the view's grants (V4's, and any an operator gave an analysts'
-- role), but may only append columns: renaming, retyping or removing one needs a versioned
-- migration that drops the view (and whatever depends on it), after which this file creates it
-- again and that migration's grants must be applied here.

-- One row per decision, with the shadow ruleset's verdict beside the live one.
CREATE OR REPLACE VIEW decisions AS
SELECT decision_id, received_at, source, event_type, event_timestamp, delivery_id,
       scim_user_id, user_name, outcome, http_status,
       jsonb_array_length(violations) AS violation_count,
       (SELECT array_agg(DISTINCT v ->> 'code') FROM jsonb_array_elements(violations) v) AS violation_codes,
       ruleset_version, request_id, detail, operation, upstream_status,
       shadow_outcome, shadow_ruleset_version,
       (SELECT array_agg(c ORDER BY c) FROM jsonb_array_elements_text(shadow_codes) c) AS shadow_codes
FROM decision_audit;

-- One row per violation.
CREATE OR REPLACE VIEW decision_violations AS
SELECT a.decision_id, a.received_at, a.user_name, a.outcome, a.ruleset_version,
       v ->> 'code' AS code, v ->> 'field' AS field, v ->> 'message' AS message,
       v ->> 'severity' AS severity, v ->> 'mode' AS mode, v ->> 'rule' AS rule
FROM decision_audit a
CROSS JOIN LATERAL jsonb_array_elements(a.violations) v;
