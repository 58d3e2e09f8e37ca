package org.scimgate.genesys;

import java.util.Optional;

/**
 * Finds Genesys' own record of a provisioning event, to correlate an audit record with it.
 * Empty means "not found yet"; {@link GenesysUnavailable} means "could not ask".
 */
public interface Correlator {

    Optional<String> correlate(CorrelationQuery query);

    /** Whether correlation is configured at all; when not, records go out without waiting. */
    boolean enabled();
}
