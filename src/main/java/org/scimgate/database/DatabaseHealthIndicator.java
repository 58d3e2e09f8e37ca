package org.scimgate.database;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code database}: is the database the service records to durable, and is it
 * the one it should be? Any database with fsync or full_page_writes off is reported as WARNING
 * (and logged loudly at start-up): an OS crash or power cut there loses answered decisions. With
 * the embedded PostgreSQL, a server other than the one started on the data directory is DOWN.
 */
@Component("databaseHealthIndicator")
class DatabaseHealthIndicator implements HealthIndicator, InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealthIndicator.class);
    static final Status WARNING = new Status("WARNING", "Decisions may be lost on an OS crash or power cut");

    private final DataSource dataSource;
    private final EmbeddedDatabase embedded;

    DatabaseHealthIndicator(DataSource dataSource, ObjectProvider<EmbeddedDatabase> embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded.getIfAvailable();
    }

    @Override
    public void afterPropertiesSet() {
        try (Connection c = dataSource.getConnection()) {
            for (String setting : new String[] {"fsync", "full_page_writes"}) {
                String value = ServerIdentity.show(c, setting);
                if (!"on".equals(value)) {
                    LOG.warn("\n\n    The database runs with {} = {}: an OS crash or power cut can lose decisions that "
                            + "were already answered, and can corrupt the database.\n    Set {} = on in its "
                            + "postgresql.conf.\n", setting, value, setting);
                }
            }
        } catch (SQLException e) {
            LOG.warn("Could not read the database's fsync setting at start-up ({}); see the database health", e.toString());
        }
    }

    @Override
    public Health health() {
        try (Connection c = dataSource.getConnection()) {
            String fsync = ServerIdentity.show(c, "fsync");
            String fullPageWrites = ServerIdentity.show(c, "full_page_writes");
            Health.Builder health = Health.up().withDetail("fsync", fsync).withDetail("full_page_writes", fullPageWrites);
            if (embedded != null) {
                health.withDetail("embedded", true).withDetail("port", embedded.port());
                if (ServerIdentity.systemIdentifier(c) != embedded.systemIdentifier()) {
                    return health.down().withDetail("problem", "another PostgreSQL answers on port " + embedded.port()
                            + ", not the one started on this instance's data directory").build();
                }
            }
            if (!"on".equals(fsync) || !"on".equals(fullPageWrites)) {
                health.status(WARNING).withDetail("problem",
                        "commits are not flushed to disk safely: an OS crash or power cut can lose answered decisions");
            }
            return health.build();
        } catch (SQLException e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}
