package org.scimgate.impact;

import java.util.List;

/**
 * The users already in Genesys that the rules refuse or warn about. {@code violating} counts users
 * with at least one violation of any mode; {@code wouldBeRejected} those an enforced rule refuses;
 * {@code unreadable} users Genesys returned that are not a readable SCIM user.
 */
record ScanReport(long scanned, long violating, long wouldBeRejected, String rulesetVersion, List<User> users,
                  List<Unreadable> unreadable) {

    record User(String id, String userName, String outcome, List<Finding> violations) {
    }

    record Finding(String code, String field, String message, String mode) {
    }

    record Unreadable(String id, String userName, String detail) {
    }
}
