-- audit_enqueue_unsealed() runs as the schema owner. PostgreSQL lets every role EXECUTE a new
-- function, and a trigger needs only EXECUTE on its function: any role with TEMP on the database
-- could attach it to a temporary table of its own and fill audit_unsealed with seqs that decisions
-- have yet to take, so that every later decision insert fails. The trigger on decision_audit keeps
-- firing for every role: EXECUTE is checked when a trigger is created, not when it fires.
REVOKE ALL ON FUNCTION audit_enqueue_unsealed() FROM PUBLIC;
