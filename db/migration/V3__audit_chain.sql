-- Tamper evidence, as SQL Server ledger tables do it: every decision is chained, in the order it
-- was sealed, with row_hash = sha256(prev_hash || canonical row). Changing, removing or inserting
-- a row anywhere breaks every later link; `audit verify` recomputes the chain, and the head hash
-- is exported to the SIEM so that even the database owner cannot rewrite history unseen.
CREATE OR REPLACE FUNCTION decision_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit rows are never changed or removed; retention detaches whole partitions.';
END
$$;

CREATE TABLE audit_chain (
    position     bigint      PRIMARY KEY,
    decision_id  uuid        NOT NULL UNIQUE REFERENCES decision_audit (decision_id),
    audit_seq    bigint      NOT NULL,
    prev_hash    bytea       NOT NULL,
    row_hash     bytea       NOT NULL,
    sealed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_chain_audit_seq ON audit_chain (audit_seq);

COMMENT ON TABLE audit_chain IS 'Hash chain over decision_audit in sealing order; see audit verify.';

CREATE TRIGGER audit_chain_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION decision_audit_refuse_change();

CREATE TRIGGER audit_chain_no_truncate
    BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION decision_audit_refuse_change();
