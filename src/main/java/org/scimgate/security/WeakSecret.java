package org.scimgate.security;

/** A configured or stored secret that cannot be trusted: start-up stops and says which and how to fix it. */
class WeakSecret extends RuntimeException {

    private final String fix;

    WeakSecret(String which, String weakness, String fix) {
        super(which + " " + weakness);
        this.fix = fix;
    }

    String fix() {
        return fix;
    }
}
