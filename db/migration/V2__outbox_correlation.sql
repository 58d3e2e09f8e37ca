-- The Genesys correlation found for a decision, kept with its delivery state so that a SIEM
-- retry does not ask Genesys again.
ALTER TABLE siem_outbox ADD COLUMN correlation_id text;

COMMENT ON COLUMN siem_outbox.correlation_id IS 'Genesys audit entry id, or UNKNOWN_EVENT when none was found in time';
COMMENT ON COLUMN siem_outbox.locked_until IS 'lease of the relay instance in locked_by; an expired lease is claimable again';
