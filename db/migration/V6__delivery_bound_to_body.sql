-- A delivery id stands for one body only: the SHA-256 of the raw request body is kept beside the
-- idempotency key, so the same id with another body is refused (409 DELIVERY_ID_REUSED) instead
-- of being answered with the first decision.
ALTER TABLE decision_audit ADD COLUMN body_sha256 text;

COMMENT ON COLUMN decision_audit.body_sha256 IS 'SHA-256 (hex) of the raw request body the decision was made on';
COMMENT ON COLUMN decision_audit.idempotency_key IS
    'delivery:<x-genesys-webhook-id> (at most 256 characters), or body:<sha-256 of the body> without the header';

-- Every value within the documented input limits must be storable. A btree entry holds at most
-- 2,704 bytes, and a userName of 2,048 characters can be three times that in UTF-8: a hash index
-- has no such limit and serves the equality lookups the decisions API makes.
DROP INDEX decision_audit_user_name;
CREATE INDEX decision_audit_user_name ON decision_audit USING hash (user_name);
