package org.scimgate.impact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.scimgate.genesys.GenesysUsers;
import org.scimgate.policy.Evaluation;
import org.scimgate.policy.RulesCommand;
import org.scimgate.policy.Ruleset;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUserReader;

/** Judges every user already in Genesys by a ruleset, as the gateway would judge them created today. */
final class OrgScan {

    private OrgScan() {
    }

    static ScanReport run(GenesysUsers users, Ruleset ruleset) {
        List<ScanReport.User> violating = new ArrayList<>();
        List<ScanReport.Unreadable> unreadable = new ArrayList<>();
        long[] counts = new long[2]; // scanned, rejected
        users.forEach(resource -> {
            counts[0]++;
            String id = text(resource, "id");
            String userName = text(resource, "userName");
            Evaluation evaluation;
            try {
                evaluation = ruleset.evaluateOrRefuse(ScimUserReader.read(resource, "user"));
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
            }
        });
        return new ScanReport(counts[0], violating.size(), counts[1], ruleset.version(), violating, unreadable);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }
}
