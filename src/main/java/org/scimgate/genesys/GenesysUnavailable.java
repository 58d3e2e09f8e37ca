package org.scimgate.genesys;

import java.time.Duration;

/** A Genesys Cloud call failed in a way worth retrying later; {@code retryAfter} is what Genesys asked for, if anything. */
public class GenesysUnavailable extends RuntimeException {

    private final transient Duration retryAfter;
    private final int status;

    public GenesysUnavailable(String message, int status, Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
