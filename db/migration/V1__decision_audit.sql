-- One row per decision the service answered, written before the answer. Append-only: the
-- triggers below refuse UPDATE, DELETE and TRUNCATE for every role, the owner included.
CREATE TABLE decision_audit (
    seq              bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    decision_id      uuid        PRIMARY KEY,
    received_at      timestamptz NOT NULL,
    source           text        NOT NULL CHECK (source IN ('webhook', 'gateway')),
    event_type       text,
    event_timestamp  text,                      -- as the sender wrote it
    delivery_id      text,                      -- x-genesys-webhook-id, when sent
    idempotency_key  text        NOT NULL UNIQUE,
    scim_user_id     text,
    user_name        text,
    outcome          text        NOT NULL CHECK (outcome IN
                        ('ACCEPTED', 'ACCEPTED_WITH_WARNINGS', 'REJECTED', 'IGNORED', 'MALFORMED', 'UNAUTHENTICATED')),
    http_status      integer     NOT NULL,
    violations       jsonb       NOT NULL DEFAULT '[]',   -- [{field, code, message, severity, mode, rule}]
    fired_rules      jsonb       NOT NULL DEFAULT '[]',   -- [{rule, code}]
    ruleset_version  text,
    request_id       text,
    detail           text,                      -- why a request was MALFORMED
    payload          jsonb,                     -- the request body with secrets removed
    response_body    text        NOT NULL       -- the exact answer, replayed to a retried delivery
);

COMMENT ON TABLE decision_audit IS 'Every provisioning decision, append-only. Query the views decisions and decision_violations.';
COMMENT ON COLUMN decision_audit.idempotency_key IS 'delivery:<x-genesys-webhook-id>, or body:<sha-256 of the body> without the header';

CREATE INDEX decision_audit_received_at ON decision_audit (received_at);
CREATE INDEX decision_audit_user_name ON decision_audit (user_name, received_at);
CREATE INDEX decision_audit_outcome ON decision_audit (outcome, received_at);
CREATE INDEX decision_audit_violations ON decision_audit USING gin (violations jsonb_path_ops);

CREATE FUNCTION decision_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'decision_audit is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Decisions are never changed or removed; retention detaches whole partitions.';
END
$$;

CREATE TRIGGER decision_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON decision_audit
    FOR EACH ROW EXECUTE FUNCTION decision_audit_refuse_change();

CREATE TRIGGER decision_audit_no_truncate
    BEFORE TRUNCATE ON decision_audit
    FOR EACH STATEMENT EXECUTE FUNCTION decision_audit_refuse_change();

-- The SIEM export's work queue. Delivery state lives here, never in decision_audit.
CREATE TABLE siem_outbox (
    decision_id      uuid        PRIMARY KEY REFERENCES decision_audit (decision_id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    status           text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    locked_by        text,
    locked_until     timestamptz,
    last_error       text,
    delivered_at     timestamptz
);

CREATE INDEX siem_outbox_due ON siem_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX siem_outbox_dead ON siem_outbox (created_at) WHERE status = 'DEAD';

-- For analysts: one row per decision, without the stored payload and response.
CREATE VIEW decisions AS
SELECT decision_id, received_at, source, event_type, event_timestamp, delivery_id,
       scim_user_id, user_name, outcome, http_status,
       jsonb_array_length(violations) AS violation_count,
       (SELECT array_agg(DISTINCT v ->> 'code') FROM jsonb_array_elements(violations) v) AS violation_codes,
       ruleset_version, request_id, detail
FROM decision_audit;

-- For analysts: one row per violation.
CREATE VIEW decision_violations AS
SELECT a.decision_id, a.received_at, a.user_name, a.outcome, a.ruleset_version,
       v ->> 'code' AS code, v ->> 'field' AS field, v ->> 'message' AS message,
       v ->> 'severity' AS severity, v ->> 'mode' AS mode, v ->> 'rule' AS rule
FROM decision_audit a
CROSS JOIN LATERAL jsonb_array_elements(a.violations) v;
