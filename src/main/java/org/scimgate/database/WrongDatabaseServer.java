package org.scimgate.database;

/**
 * The PostgreSQL the service would talk to is not the one on its data directory: another server
 * holds the port, or answers with a different data directory or password. Recording decisions
 * there would put them in another instance's audit.
 */
public class WrongDatabaseServer extends RuntimeException {

    private final String action;

    WrongDatabaseServer(String problem, String action) {
        super(problem);
        this.action = action;
    }

    String action() {
        return action;
    }
}
