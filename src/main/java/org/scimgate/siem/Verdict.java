package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What every schema needs to know about a decision, read once from the record: whether the
 * service let the change through, what kind of change it was, and why. The schemas differ only in
 * where they write it.
 */
record Verdict(boolean allowed, Change change, List<String> codes, List<String> rules, String reason) {

    /** The account change a decision judged: a webhook's {@code user.created}, or the gateway's SCIM method. */
    enum Change { CREATE, UPDATE, DELETE, OTHER }

    static Verdict of(SiemRecord record) {
        String outcome = record.outcome() == null ? "" : record.outcome();
        boolean allowed = switch (outcome) {
            case "ACCEPTED", "ACCEPTED_WITH_WARNINGS", "FORWARDED", "IGNORED" -> true;
            default -> false;
        };
        Set<String> codes = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        List<String> messages = new ArrayList<>();
        JsonNode violations = record.violations();
        if (violations != null) {
            for (JsonNode v : violations) {
                if (v.hasNonNull("code")) {
                    codes.add(v.get("code").asText());
                }
                if (v.hasNonNull("rule")) {
                    rules.add(v.get("rule").asText());
                }
                if (v.hasNonNull("message")) {
                    messages.add(v.get("message").asText());
                }
            }
        }
        String reason = messages.isEmpty() ? outcome : String.join("; ", messages);
        return new Verdict(allowed, change(record.eventType()), List.copyOf(codes), List.copyOf(rules), reason);
    }

    private static Change change(String eventType) {
        if (eventType == null) {
            return Change.OTHER;
        }
        return switch (eventType) {
            case "user.created", "scim.POST" -> Change.CREATE;
            case "scim.PUT", "scim.PATCH" -> Change.UPDATE;
            case "scim.DELETE" -> Change.DELETE;
            default -> Change.OTHER;
        };
    }
}
