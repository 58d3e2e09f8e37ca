package org.scimgate.siem;

/**
 * The SIEM did not accept a batch. What happens next depends on whose fault it was:
 * {@link Kind#UNAVAILABLE} retries the batch with backoff, {@link Kind#RECORDS_REFUSED} splits it to
 * find the records the SIEM refuses, {@link Kind#SETUP_REFUSED} waits without counting an attempt.
 */
class SiemDeliveryFailed extends Exception {

    enum Kind {
        /** Down, overloaded (5xx, 429, 408), unreachable, too slow, or the circuit is open: retry the batch later. */
        UNAVAILABLE,
        /** The SIEM refused the content (400, 413, 422): some record in the batch is at fault. */
        RECORDS_REFUSED,
        /** The SIEM refused our token, endpoint or format (401, 403, 404, …): no record is at fault. */
        SETUP_REFUSED
    }

    private final Kind kind;

    SiemDeliveryFailed(String message) {
        this(Kind.UNAVAILABLE, message, null);
    }

    SiemDeliveryFailed(String message, Throwable cause) {
        this(Kind.UNAVAILABLE, message, cause);
    }

    SiemDeliveryFailed(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
