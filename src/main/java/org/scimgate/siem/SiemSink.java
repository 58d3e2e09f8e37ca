package org.scimgate.siem;

import java.util.List;

/** Where audit records go. A call returns only once the whole batch is accepted (2xx, or fsync done). */
interface SiemSink {

    void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed;

    String name();

    /** Where the records go, for people to read: a file or an address, never a credential. */
    default String destination() {
        return name();
    }
}
