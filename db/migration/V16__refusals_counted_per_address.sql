-- Requests refused before authentication (the webhook's, the gateway's and the API's 401s and
-- 429s) are no longer recorded one row each: the service counts them per client address and
-- minute and records one row for each, source 'edge', outcome UNAUTHENTICATED, its counts, first
-- and last times and a bounded sample in payload. The row is sealed and exported as any other.
ALTER TABLE decision_audit DROP CONSTRAINT decision_audit_source_check;
ALTER TABLE decision_audit ADD CONSTRAINT decision_audit_source_check
    CHECK (source IN ('webhook', 'gateway', 'scan', 'edge'));
