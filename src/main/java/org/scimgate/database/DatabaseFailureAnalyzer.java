package org.scimgate.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUse> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUse cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Stop the other instance, or give this one its own SCIMGATE_DATA_DIR. To run several instances "
                        + "on one database, point them all at an external PostgreSQL with SPRING_DATASOURCE_URL.",
                cause);
    }
}
