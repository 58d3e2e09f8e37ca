package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DatabaseFailureAnalyzerTest {

    private final DatabaseFailureAnalyzer analyzer = new DatabaseFailureAnalyzer();

    @Test
    void saysWhatToChangeWhenTheServerIsAnotherInstances() {
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("embeddedDatabase",
                new WrongDatabaseServer("The PostgreSQL answering on localhost:5432 serves /other", "Stop the other one")));
        assertThat(analysis.getDescription()).isEqualTo("The PostgreSQL answering on localhost:5432 serves /other");
        assertThat(analysis.getAction()).isEqualTo("Stop the other one");
    }

    @Test
    void saysWhatToChangeWhenTheEmbeddedServerIsNotDurable() {
        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("embeddedDatabase",
                new DatabaseNotDurable("fsync", "off")));
        assertThat(analysis.getDescription()).contains("fsync = off").contains("power cut");
        assertThat(analysis.getAction()).contains("postgresql.auto.conf");
    }

    @Test
    void leavesOtherFailuresToOtherAnalyzers() {
        assertThat(analyzer.analyze(new BeanCreationException("x", new IllegalStateException("y")))).isNull();
    }
}
