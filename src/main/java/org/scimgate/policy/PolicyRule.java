package org.scimgate.policy;

import java.util.Map;
import java.util.Objects;

/**
 * A rule of the loaded ruleset with the metadata analysts gave it in the DRL; {@code file} is
 * relative to the rules directory, {@code line} is where the rule is written there (its header in
 * a DRL file, its row in a decision table), 0 when unknown.
 */
public record PolicyRule(String name, String file, int line, String code, Severity severity, Mode mode,
                         String description, Map<String, String> metadata) {

    public PolicyRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(mode, "mode");
        metadata = Map.copyOf(metadata);
    }

    /** The rule's {@code @remedy}: what to do to an existing account that breaks it ({@link Remedy#NONE} without one). */
    public Remedy remedy() {
        String remedy = metadata.get("remedy");
        return remedy == null ? Remedy.NONE : Remedy.parse(remedy);
    }
}
