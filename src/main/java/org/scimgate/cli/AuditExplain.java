package org.scimgate.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.scimgate.audit.DecisionQuery;
import org.scimgate.audit.RulesetArchive;
import org.scimgate.governance.Explanation;
import org.scimgate.policy.RulesCommand;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * {@code audit explain <decisionId>}: the decision's stored payload evaluated again under the kept
 * ruleset that made it, from the database alone (found as {@code audit verify} finds it), with the
 * rules compiled as {@code rules test} compiles them. Not a {@code @Configuration}: the service's
 * own scan must not find it.
 */
@EnableAutoConfiguration
@ComponentScan("org.scimgate.database")
@ConfigurationPropertiesScan("org.scimgate.database")
@Import({DecisionQuery.class, RulesetArchive.class})
final class AuditExplain {

    private AuditExplain() {
    }

    /** {@code args} may override settings as {@code --key=value}, as for {@code audit verify}. */
    static int run(PrintStream out, PrintStream err, Function<String, String> env, UUID decisionId, List<String> allow,
                   String... args) {
        return AuditVerification.onTheHistory(AuditExplain.class, out, err, env, args,
                context -> Explanation.print(context.getBean(DecisionQuery.class), context.getBean(RulesetArchive.class),
                        RulesCommand.compiler(allow), decisionId, out, err));
    }
}
