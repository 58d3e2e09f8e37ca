package org.scimgate.policy;

/**
 * What an evaluation decides for the user: refused by an enforced rule, accepted with the warnings
 * of warn-mode rules, or accepted. Dry-run violations never change it.
 */
public enum Verdict {
    ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED
}
