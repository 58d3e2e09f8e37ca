package org.scimgate.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How decisions wait to be recorded.
 *
 * @param queueCapacity decisions that may wait for a writer; beyond it a caller is answered 503 at once
 * @param answerWithin  how long a caller waits for its decision to be committed before it is withdrawn (503)
 * @param writeTimeout  statement timeout of one group's transaction; the connection's network timeout
 *                      is this plus five seconds, so a database that stops answering cannot hang a writer
 */
@ConfigurationProperties("scimgate.audit.log")
record DecisionLogSettings(@DefaultValue("2000") int queueCapacity, @DefaultValue("30s") Duration answerWithin,
                           @DefaultValue("10s") Duration writeTimeout) {

    DecisionLogSettings {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("scimgate.audit.log.queue-capacity must be at least 1");
        }
        if (writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("scimgate.audit.log.write-timeout must be positive");
        }
    }

    Duration networkTimeout() {
        return writeTimeout.plusSeconds(5);
    }
}
