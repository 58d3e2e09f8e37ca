package org.scimgate.remediation;

import java.time.Duration;

/**
 * One kind of corrective action, named as a rule's {@code @remedy} names it. A new kind is a new
 * implementation (a bean) plus its name in the table's check and in {@code remediation_enqueue}.
 * {@link #carryOut} makes one call under the Genesys client's deadline and says what came of it;
 * it never retries by itself: the action's row is what retries.
 */
interface ActionType {

    /** The {@code @remedy} value, e.g. {@code deactivate}. */
    String name();

    /** What would be done, for a dry run and the logs. */
    String describe(String targetId);

    Outcome carryOut(String targetId);

    /** What came of one call. */
    sealed interface Outcome {
    }

    /** Done: the account is as the action wants it (or gone). */
    record Done(int http, String answer) implements Outcome {
    }

    /** Genesys refused the change itself: retrying the same call cannot help; an operator looks. */
    record Refused(int http, String answer) implements Outcome {
    }

    /**
     * Try again later. {@code counts}: a failed attempt (unreachable, 5xx), towards DEAD; otherwise a
     * wait Genesys asked for (429). {@code retryAfter}: Genesys' Retry-After, null if none.
     */
    record Later(boolean counts, Integer http, String answer, Duration retryAfter) implements Outcome {
    }
}
