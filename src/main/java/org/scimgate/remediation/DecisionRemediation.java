package org.scimgate.remediation;

import java.util.List;
import java.util.UUID;
import org.scimgate.audit.DecisionAnnex;
import org.springframework.stereotype.Component;

/** A decision's view shows its remediation: the action about it, if the decision called for one. */
@Component
class DecisionRemediation implements DecisionAnnex {

    private final Remediations remediations;

    DecisionRemediation(Remediations remediations) {
        this.remediations = remediations;
    }

    @Override
    public String name() {
        return "remediation";
    }

    @Override
    public Object about(UUID decisionId) {
        List<RemediationAction> actions = remediations.forDecision(decisionId);
        return actions.isEmpty() ? null : actions.get(0);
    }
}
