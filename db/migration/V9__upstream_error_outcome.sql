-- Two gateway outcomes that were recorded as MALFORMED, which says the caller sent a bad request:
-- UPSTREAM_ERROR: Genesys answered something the gateway cannot work with (a user that is not a
--   JSON object, or without any version to patch); answered 502, nothing was changed.
-- PRECONDITION_FAILED: a PATCH whose If-Match names a version of the user Genesys no longer holds;
--   answered 412 without forwarding anything (RFC 7644 §3.14).
ALTER TABLE decision_audit DROP CONSTRAINT decision_audit_outcome_check;
ALTER TABLE decision_audit ADD CONSTRAINT decision_audit_outcome_check CHECK (outcome IN
    ('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED', 'IGNORED', 'MALFORMED', 'UNAUTHENTICATED',
     'FORWARDED', 'UNAVAILABLE', 'UPSTREAM_ERROR', 'PRECONDITION_FAILED'));
