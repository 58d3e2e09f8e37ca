package org.scimgate.siem;

/** Anything sent to the SIEM: an id a receiver deduplicates on, and when it happened. */
interface SiemEvent {

    String eventId();

    String eventTime();
}
