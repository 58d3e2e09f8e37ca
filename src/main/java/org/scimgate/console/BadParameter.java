package org.scimgate.console;

/** A console URL parameter the page cannot use; the message says which and what it takes. */
class BadParameter extends IllegalArgumentException {

    BadParameter(String message) {
        super(message);
    }
}
