package org.scimgate.audit;

import java.io.PrintStream;

/**
 * {@code java -jar scimgate.jar audit verify}: recomputes the hash chain against the configured
 * database and exits non-zero when a link is broken.
 */
public final class AuditCommand {

    private AuditCommand() {
    }

    public static int verify(AuditChain chain, PrintStream out, PrintStream err) {
        AuditChain.Verification v = chain.verify();
        if (v.unsealedOlderThanAMinute() > 0) {
            err.println("WARNING: " + v.unsealedOlderThanAMinute()
                    + " decisions older than a minute are not sealed yet; is a scimgate instance running?");
        }
        if (v.intact()) {
            out.println("Audit chain intact: " + v.checked() + " decisions verified; head at position "
                    + v.head().position() + ", hash " + v.head().hash());
            out.println("Compare the head with the audit-chain-head records your SIEM received.");
            return 0;
        }
        err.println("Audit chain BROKEN at position " + v.brokenAt() + " (decision " + v.brokenDecisionId() + "): "
                + v.problem() + ". " + v.checked() + " links before it verified.");
        return 1;
    }
}
