package org.scimgate.impact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.scimgate.genesys.GenesysUsers;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.RulesCommand;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUser;
import org.scimgate.scim.ScimUserReader;

/** Judges every user already in Genesys by a ruleset, as the gateway would judge them created today. */
final class OrgScan {

    private OrgScan() {
    }

    /** Told of each user the rules find fault with: the resource Genesys returned and the verdict on it. */
    interface Findings {
        void violating(JsonNode resource, Evaluation evaluation);
    }

    static ScanReport run(GenesysUsers users, Ruleset ruleset) {
        return run(users, ruleset::evaluateOrRefuse, ruleset.version(), (resource, evaluation) -> {
        });
    }

    /**
     * Judges every user with {@code judge} (for the service, the live engine: a reload during the
     * scan is picked up and never closes a ruleset under it); {@code version} is named in the report.
     */
    static ScanReport run(GenesysUsers users, Function<ScimUser, Evaluation> judge, String version, Findings findings) {
        List<ScanReport.User> violating = new ArrayList<>();
        List<ScanReport.Unreadable> unreadable = new ArrayList<>();
        long[] counts = new long[2]; // scanned, rejected
        users.forEach(resource -> {
            counts[0]++;
            String id = text(resource, "id");
            String userName = text(resource, "userName");
            Evaluation evaluation;
            try {
                evaluation = judge.apply(ScimUserReader.read(resource, "user"));
            } catch (MalformedPayload e) {
                unreadable.add(new ScanReport.Unreadable(id, userName, e.detail()));
                return;
            }
            if (!evaluation.violations().isEmpty()) {
                String outcome = evaluation.verdict().name();
                if ("REJECTED".equals(outcome)) {
                    counts[1]++;
                }
                violating.add(new ScanReport.User(id, userName, outcome, evaluation.violations().stream()
                        .map(v -> new ScanReport.Finding(v.code(), v.field(), v.message(), v.mode().label())).toList()));
                findings.violating(resource, evaluation);
            }
        });
        return new ScanReport(counts[0], violating.size(), counts[1], version, violating, unreadable);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }
}
