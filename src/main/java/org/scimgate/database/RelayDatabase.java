package org.scimgate.database;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SIEM relay's connections. The relay claims outbox records and marks them delivered, failed,
 * refused or deferred as a role of its own (migration V14): the role the request path connects as
 * may not call those functions, so nothing that runs SQL on the request path's connections can
 * mark a record delivered that never reached the SIEM. A small pool of its own, except where no
 * relay credentials are configured for an external database: then the relay shares the service's
 * connections, and works only if that role holds the relay's grants.
 */
public final class RelayDatabase implements AutoCloseable {

    private static final int POOL_SIZE = 3;

    private final JdbcClient jdbc;
    private final HikariDataSource ownPool;
    private final String role;

    private RelayDatabase(JdbcClient jdbc, HikariDataSource ownPool, String role) {
        this.jdbc = jdbc;
        this.ownPool = ownPool;
        this.role = role;
    }

    /** Connections of its own, as {@code username}. */
    static RelayDatabase connectingAs(String url, String username, String password) {
        HikariDataSource pool = DataSourceBuilder.create().type(HikariDataSource.class)
                .url(url).username(username).password(password).build();
        pool.setPoolName("relay");
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setMinimumIdle(0);
        pool.setConnectionTimeout(10_000);
        return new RelayDatabase(JdbcClient.create(pool), pool, username);
    }

    /** The service's own connections: for an external database without relay credentials. */
    public static RelayDatabase sharing(DataSource dataSource) {
        return new RelayDatabase(JdbcClient.create(dataSource), null, null);
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    /** The role the relay connects as, or null when it shares the service's connections. */
    public String role() {
        return role;
    }

    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
