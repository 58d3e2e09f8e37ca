package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * How a record is written for the SIEM ({@code SIEM_SCHEMA}). Each schema puts the decision id
 * where it expects the event's own id, so a receiver deduplicates a redelivered record:
 * {@code decisionId} (native), {@code event.id} (ECS), {@code metadata.uid} (OCSF),
 * {@code externalId} (CEF).
 */
enum SiemSchema {
    /** The record as it has always been sent: {@link SiemRecord}. */
    NATIVE,
    /** Elastic Common Schema: a decision is an {@code iam} event. */
    ECS,
    /** OCSF 1.x: a decision is an Account Change (3001) with the {@code security_control} profile. */
    OCSF,
    /** ArcSight Common Event Format: one escaped text line. */
    CEF;

    SiemMapping mapping(ObjectMapper json) {
        return switch (this) {
            case NATIVE -> new NativeMapping(json);
            case ECS -> new EcsMapping(json);
            case OCSF -> new OcsfMapping(json);
            case CEF -> new CefMapping(json);
        };
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
