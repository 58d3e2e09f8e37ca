package org.scimgate.database;

/** The embedded PostgreSQL does not flush its commits to disk: an answered decision could be lost. */
public class DatabaseNotDurable extends RuntimeException {

    DatabaseNotDurable(String setting, String value) {
        super("The embedded PostgreSQL runs with " + setting + " = " + value
                + ": a power cut or OS crash would lose decisions that were already answered.");
    }
}
