package org.scimgate.gateway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.scimgate.genesys.GenesysSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Serialises changes of membership per user, across every instance on the database: a write that
 * adds users holds a PostgreSQL transaction-scoped advisory lock per (Genesys org, user id) from
 * before the users' groups are read until Genesys has answered the forwarded write, so a second
 * write adding the same user is judged on the groups the first one left. The locks live in a
 * transaction of their own, on a connection held for that window; they end when it ends, or when
 * the connection dies with its instance. A lock not granted within
 * {@code scimgate.gateway.membership-lock-wait} refuses the write ({@value #BUSY}).
 */
@Component
class MembershipLocks {

    /** The code of a membership refused because another change of the same user's groups held it too long. */
    static final String BUSY = "ACCESS_MEMBERSHIPS_BUSY";
    /** The first key of every membership lock: its own space, apart from the single-key locks elsewhere. */
    static final int SPACE = 0x5C1D;

    private static final Logger LOG = LoggerFactory.getLogger(MembershipLocks.class);

    private final DataSource dataSource;
    private final GatewaySettings settings;
    private final String org;

    MembershipLocks(DataSource dataSource, GatewaySettings settings, GenesysSettings genesys) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.org = org(genesys);
    }

    /** The Genesys org a user id belongs to: the API the gateway forwards to and the client it signs in as. */
    static String org(GenesysSettings genesys) {
        return genesys.api() + " " + genesys.clientId();
    }

    /** The second key of {@code userId}'s lock, as the database computes it: {@code hashtext(org || ' ' || id)}. */
    String key(String userId) {
        return org + " " + userId;
    }

    /**
     * Locks every user in {@code userIds}, in a fixed order (so two writes adding the same users
     * never wait on each other in a circle).
     *
     * @throws Busy when a lock was not granted within the wait, or no connection was free for it
     */
    Held lock(Collection<String> userIds) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement wait = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                wait.setString(1, Math.max(1, settings.membershipLockWait().toMillis()) + "ms");
                wait.execute();
            }
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                for (String id : new TreeSet<>(userIds)) {
                    lock.setInt(1, SPACE);
                    lock.setString(2, key(id));
                    lock.execute();
                }
            }
            return new Held(connection);
        } catch (SQLException e) {
            release(connection);
            String state = e.getSQLState();
            String why = "55P03".equals(state) ? "another change of the groups of " + String.join(", ", userIds)
                    + " did not finish within " + settings.membershipLockWait().toMillis() + " ms"
                    : "40P01".equals(state) ? "another change of the groups of " + String.join(", ", userIds)
                    + " waited on this one" : "the lock on the groups of " + String.join(", ", userIds)
                    + " could not be taken (" + e.getMessage() + ")";
            throw new Busy(why);
        }
    }

    private static void release(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback(); // ends the transaction: its advisory locks go with it
        } catch (SQLException e) {
            LOG.warn("Releasing membership locks: {}", e.toString());
        }
        try {
            connection.setAutoCommit(true);
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Returning the membership lock connection: {}", e.toString());
        }
    }

    /** The locks of one write, released by {@link #close()}. */
    static final class Held implements AutoCloseable {

        private Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            release(connection);
            connection = null;
        }
    }

    /** The locks were not granted: the write is refused, recorded, and may be retried. */
    static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }
}
