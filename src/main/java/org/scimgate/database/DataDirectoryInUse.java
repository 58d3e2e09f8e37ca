package org.scimgate.database;

import java.nio.file.Path;

/** Another process holds the data directory: two services must not share one embedded PostgreSQL. */
public class DataDirectoryInUse extends RuntimeException {

    public DataDirectoryInUse(Path dataDir) {
        super("The data directory " + dataDir + " is in use by another scimgate instance.");
    }
}
