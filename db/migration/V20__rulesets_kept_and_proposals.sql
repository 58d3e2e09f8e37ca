-- Every ruleset that goes live (live or shadow) is kept: its files in a content-addressed store
-- (each distinct content once, keyed by its SHA-256), and one row per time it went live, naming
-- its version, its files, what made it live and when, chained by hash so that a stored file or row
-- changed afterwards, even by the owner, is reported by `audit verify`. A row's end of life is the
-- next row of its kind. Both tables are append-only for every role, like the audit.
CREATE TABLE kept_ruleset_file (
    sha256     bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
    content    bytea NOT NULL,
    stored_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE kept_ruleset (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('live', 'shadow')),
    cause       text NOT NULL CHECK (cause IN ('start-up', 'files', 'proposal')),
    author      text,
    approver    text,
    proposal_id uuid,
    live_from   timestamptz NOT NULL,
    -- [{"path": "...", "sha256": "<hex>"}, ...] sorted by path
    files       jsonb NOT NULL,
    prev_hash   bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    row_hash    bytea NOT NULL CHECK (octet_length(row_hash) = 32)
);
CREATE INDEX kept_ruleset_by_version ON kept_ruleset (version, seq);

CREATE TRIGGER kept_ruleset_file_no_update_delete
    BEFORE UPDATE OR DELETE ON kept_ruleset_file
    FOR EACH ROW EXECUTE FUNCTION decision_audit_refuse_change();
CREATE TRIGGER kept_ruleset_file_no_truncate
    BEFORE TRUNCATE ON kept_ruleset_file
    FOR EACH STATEMENT EXECUTE FUNCTION decision_audit_refuse_change();
CREATE TRIGGER kept_ruleset_no_update_delete
    BEFORE UPDATE OR DELETE ON kept_ruleset
    FOR EACH ROW EXECUTE FUNCTION decision_audit_refuse_change();
CREATE TRIGGER kept_ruleset_no_truncate
    BEFORE TRUNCATE ON kept_ruleset
    FOR EACH STATEMENT EXECUTE FUNCTION decision_audit_refuse_change();

-- Four-eyes policy changes: a proposal (changed files laid over the live ruleset it was based on)
-- and everything that happened to it, one append-only row per event.
CREATE TABLE policy_proposal (
    proposal_id       uuid PRIMARY KEY,
    author            text NOT NULL,
    note              text NOT NULL,
    base_version      text NOT NULL,
    candidate_version text NOT NULL,
    -- {"<relative path>": "<content>", ...}: the files laid over the base
    files             jsonb NOT NULL,
    impact            jsonb,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policy_proposal_event (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id uuid NOT NULL REFERENCES policy_proposal (proposal_id),
    event       text NOT NULL CHECK (event IN ('proposed', 'approved', 'rejected', 'withdrawn', 'live')),
    actor       text NOT NULL,
    reason      text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX policy_proposal_event_by_proposal ON policy_proposal_event (proposal_id, seq);

-- The steps the SIEM has received (the export retries the others).
CREATE TABLE policy_proposal_exported (
    seq         bigint PRIMARY KEY REFERENCES policy_proposal_event (seq),
    exported_at timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_role}') THEN
        GRANT SELECT, INSERT ON kept_ruleset_file, kept_ruleset, policy_proposal, policy_proposal_event,
              policy_proposal_exported TO ${app_role};
    END IF;
END
$$;
