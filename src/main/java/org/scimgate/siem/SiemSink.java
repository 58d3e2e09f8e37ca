package org.scimgate.siem;

import java.util.List;

/** Where audit records go. A call returns only once the whole batch is accepted (2xx, or fsync done). */
interface SiemSink {

    void deliver(List<? extends SiemEvent> records) throws SiemDeliveryFailed;

    String name();
}
