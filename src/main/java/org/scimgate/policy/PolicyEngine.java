package org.scimgate.policy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.scimgate.scim.ScimUser;

/**
 * The live ruleset behind one atomic reference: an evaluation reads it once and finishes on that
 * ruleset even if a newer one is published meanwhile.
 */
public class PolicyEngine implements AutoCloseable {

    private final AtomicReference<Ruleset> live;

    public PolicyEngine(Ruleset initial) {
        this.live = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    public Evaluation evaluate(ScimUser user) {
        return live.get().evaluate(user);
    }

    public Ruleset ruleset() {
        return live.get();
    }

    @Override
    public void close() {
        live.get().close();
    }
}
