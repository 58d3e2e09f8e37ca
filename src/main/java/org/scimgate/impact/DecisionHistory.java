package org.scimgate.impact;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.scimgate.audit.JudgedHistory;

/**
 * The judged decisions of a window, as the audit streams them ({@link JudgedHistory}): a history of
 * any length is replayed in a bounded amount of memory, and only payloads stored exactly are replayed.
 */
final class DecisionHistory {

    private final JudgedHistory judged;

    DecisionHistory(Connection connection) {
        this.judged = new JudgedHistory(connection);
    }

    /** Every judged webhook and gateway decision received in the window, in no particular order. */
    void forEach(ReplayWindow window, Consumer<PastDecision> action) throws SQLException {
        judged.forEach(window.from(), window.to(), d -> action.accept(new PastDecision(d.decisionId(), d.receivedAt(),
                d.source(), d.userName(), d.outcome(), d.codes(), d.user())));
    }

    /** Judged decisions of the window whose payload was not stored exactly: they are not replayed. */
    long notStoredExactly(ReplayWindow window) throws SQLException {
        return judged.notStoredExactly(window.from(), window.to());
    }

    /** The ruleset that made the newest judged decision: the live one, as far as the history knows. */
    String newestVersion() throws SQLException {
        return judged.newestVersion();
    }
}
