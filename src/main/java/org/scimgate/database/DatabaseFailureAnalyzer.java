package org.scimgate.database;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/** Says what to change when the embedded PostgreSQL cannot be used safely. */
class DatabaseFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            FailureAnalysis analysis = analyzeOne(cause);
            if (analysis != null) {
                return analysis;
            }
        }
        return null;
    }

    private static FailureAnalysis analyzeOne(Throwable cause) {
        if (cause instanceof DataDirectoryInUse) {
            return new FailureAnalysis(cause.getMessage(),
                    "Stop the other instance, or give this one its own SCIMGATE_DATA_DIR. To run several instances "
                            + "on one database, point them all at an external PostgreSQL with SPRING_DATASOURCE_URL.",
                    cause);
        }
        if (cause instanceof WrongDatabaseServer wrong) {
            return new FailureAnalysis(cause.getMessage(), wrong.action(), cause);
        }
        if (cause instanceof DatabaseNotDurable) {
            return new FailureAnalysis(cause.getMessage(),
                    "Remove any fsync or full_page_writes setting from postgresql.conf and postgresql.auto.conf in "
                            + "the embedded PostgreSQL's data directory.", cause);
        }
        return null;
    }
}
