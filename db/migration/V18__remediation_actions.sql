-- Corrective enforcement. A decision about an account Genesys already holds (a webhook's
-- user.created with the account's id, a finding of the org scan) that carries an enforced violation
-- of a rule with a remedy (@remedy("deactivate")) gets an action row from the database, in the
-- decision's own transaction, exactly as it gets its SIEM outbox entry (V11): no decision can be
-- recorded and its action lost, and a delivery recorded once makes one action. The remediation relay
-- works the rows (leases, retries with backoff, DEAD, an hourly cap counted here across instances);
-- every change goes through the functions of R__remediation.sql.
CREATE TABLE remediation_action (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    decision_id     uuid        NOT NULL REFERENCES decision_audit (decision_id),
    action          text        NOT NULL CHECK (action IN ('deactivate')),
    target_id       text        NOT NULL,          -- the Genesys user id
    user_name       text,
    codes           jsonb       NOT NULL DEFAULT '[]',   -- the codes of the enforced violations that call for it
    created_at      timestamptz NOT NULL DEFAULT now(),
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN
                        ('PENDING', 'HELD', 'DONE', 'DRYRUN', 'SKIPPED', 'FAILED', 'DEAD', 'CANCELLED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_by       text,
    locked_until    timestamptz,
    lease_token     uuid,
    started_at      timestamptz,                   -- when the hourly cap counted it; null until then
    released_at     timestamptz,                   -- when an operator released or retried it (past the cap)
    last_status     integer,                       -- Genesys' HTTP status of the last call
    last_answer     text,                          -- Genesys' answer, or why nothing was called
    updated_at      timestamptz NOT NULL DEFAULT now(),
    settled_at      timestamptz,
    outcome_seq     integer     NOT NULL DEFAULT 0, -- counts the outcomes to export to the SIEM
    exported_seq    integer     NOT NULL DEFAULT 0, -- the last outcome the SIEM accepted
    UNIQUE (decision_id, action)
);

COMMENT ON TABLE remediation_action IS 'What scimgate does to an existing account about a decision; one row per decision and action';

CREATE INDEX remediation_action_due ON remediation_action (next_attempt_at, created_at) WHERE status = 'PENDING';
CREATE INDEX remediation_action_status ON remediation_action (status, created_at);
CREATE INDEX remediation_action_started ON remediation_action (started_at) WHERE started_at IS NOT NULL;
CREATE INDEX remediation_action_unexported ON remediation_action (updated_at) WHERE outcome_seq > exported_seq;
CREATE INDEX remediation_action_target ON remediation_action (target_id, action) WHERE status IN ('PENDING', 'HELD');

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        -- Reads only: every change goes through the functions, which run as the owner.
        EXECUTE format('GRANT SELECT ON remediation_action TO %I', '${app_role}');
    END IF;
END
$$;

-- Defined in R__remediation.sql; created here first so that the trigger can name it.
CREATE FUNCTION remediation_enqueue() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS
$$
BEGIN
    RETURN NULL;
END
$$;

-- Only the trigger below may run it (see V10).
REVOKE ALL ON FUNCTION remediation_enqueue() FROM PUBLIC;

CREATE TRIGGER remediation_enqueue
    AFTER INSERT ON decision_audit
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION remediation_enqueue();
