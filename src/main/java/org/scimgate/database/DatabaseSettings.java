package org.scimgate.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL the service starts when no {@code SPRING_DATASOURCE_URL} is set.
 *
 * @param dataDir      the service's data directory; PostgreSQL keeps its files in {@code <dataDir>/postgres}
 *                     (env {@code SCIMGATE_DATA_DIR})
 * @param embeddedPort the port the embedded PostgreSQL listens on, on localhost; 0 (the default) picks
 *                     a free one. Either way it is written to {@code <dataDir>/postgres.port}
 *                     (env {@code SCIMGATE_EMBEDDED_DB_PORT})
 */
@ConfigurationProperties("scimgate.database")
public record DatabaseSettings(@DefaultValue("./data") Path dataDir, @DefaultValue("0") int embeddedPort) {

    public static final String DATABASE_NAME = "scimgate";
}
