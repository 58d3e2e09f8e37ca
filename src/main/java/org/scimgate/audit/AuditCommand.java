package org.scimgate.audit;

import java.io.PrintStream;

/**
 * {@code java -jar scimgate.jar audit verify}: recomputes the hash chain against the configured
 * database, prints every finding, and exits non-zero unless the chain is intact and complete and the
 * database's sealing functions and triggers are those its migrations define. It prints what
 * {@code GET /api/v1/audit/verify} answers. The hashes are computed here, never by the database.
 */
public final class AuditCommand {

    private AuditCommand() {
    }

    public static int verify(AuditChain chain, PrintStream out, PrintStream err) {
        AuditChain.Verification v = chain.verify();
        for (AuditChain.Break b : v.breaks()) {
            err.println("BROKEN at position " + b.position() + (b.decisionId() == null ? "" : " (decision " + b.decisionId() + ")")
                    + ": " + b.problem());
        }
        if (v.breakCount() > v.breaks().size()) {
            err.println("… and " + (v.breakCount() - v.breaks().size()) + " more breaks");
        }
        if (v.unsealedOlderThanAMinute() > 0) {
            err.println("UNSEALED: " + v.unsealedOlderThanAMinute() + " decisions older than a minute are in no link "
                    + "(is an instance sealing? scimgate.audit.sealing), the first: " + v.unsealedDecisionIds());
        }
        for (String changed : v.sealingChanged()) {
            err.println("SEALING CHANGED: " + changed);
        }
        for (String changed : v.rulesets().problems()) {
            err.println("RULESET CHANGED: " + changed);
        }
        String rulesets = "Kept rulesets: " + v.rulesets().versionsChecked() + " versions and "
                + v.rulesets().filesChecked() + " stored files verified"
                + (v.rulesets().problems().isEmpty() ? "." : ", " + v.rulesets().problems().size() + " changed.");
        String checkpoint = v.lastCheckpoint() == null
                ? "No head was exported to the SIEM yet."
                : "Last head exported to the SIEM: position " + v.lastCheckpoint().position() + ", hash "
                + v.lastCheckpoint().hash() + ", at " + v.lastCheckpoint().exportedAt() + "; "
                + v.linksSinceCheckpoint() + " links sealed since.";
        if (v.intact()) {
            out.println("Audit chain intact: " + v.checked() + " decisions verified; head at position "
                    + v.head().position() + ", hash " + v.head().hash());
            out.println(rulesets);
            out.println(checkpoint);
            out.println("Compare the heads with the audit-chain-head records your SIEM received.");
            return 0;
        }
        err.println("Audit chain " + (v.breakCount() > 0 ? "BROKEN" : v.unsealedOlderThanAMinute() > 0 ? "INCOMPLETE" : "UNTRUSTED")
                + ": " + v.breakCount() + " breaks, " + v.unsealedOlderThanAMinute()
                + " unsealed decisions older than a minute, " + v.sealingChanged().size()
                + " differences from the migrations' sealing code, " + v.rulesets().problems().size()
                + " changes to kept rulesets; " + v.checked() + " links read, head at position "
                + v.head().position() + ", hash " + v.head().hash());
        err.println(rulesets);
        err.println(checkpoint);
        return 1;
    }
}
