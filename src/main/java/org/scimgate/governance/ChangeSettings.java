package org.scimgate.governance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How policy changes go live.
 *
 * @param changes {@code files}: an edit of the rules directory goes live once it compiles and its
 *                examples pass, kept as a change on disk; {@code proposals}: only a ruleset that an
 *                approved proposal wrote goes live, any other edit on disk is refused and reported
 *                and the last approved ruleset stays (env {@code SCIMGATE_POLICY_CHANGES})
 */
@ConfigurationProperties("scimgate.policy")
record ChangeSettings(@DefaultValue("files") String changes) {

    ChangeSettings {
        if (!"files".equals(changes) && !"proposals".equals(changes)) {
            throw new IllegalArgumentException("scimgate.policy.changes must be 'files' or 'proposals', not '" + changes + "'");
        }
    }

    boolean proposalsOnly() {
        return "proposals".equals(changes);
    }
}
