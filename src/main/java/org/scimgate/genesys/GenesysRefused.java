package org.scimgate.genesys;

/** Genesys refused a call in a way retrying will not change (400, 403, 404): a configuration or permission problem. */
public class GenesysRefused extends RuntimeException {

    private final int status;

    public GenesysRefused(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
