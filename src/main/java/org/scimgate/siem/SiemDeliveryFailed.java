package org.scimgate.siem;

/** The SIEM did not accept a batch; every record in it is retried. */
class SiemDeliveryFailed extends Exception {

    SiemDeliveryFailed(String message) {
        super(message);
    }

    SiemDeliveryFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
