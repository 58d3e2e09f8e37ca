package org.scimgate.impact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
import org.scimgate.genesys.GenesysRefused;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.genesys.GenesysUsers;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.RulesetCompiler;
import org.scimgate.policy.RulesetRejected;

/**
 * {@code scimgate genesys scan}: which accounts already in Genesys the rules refuse — made outside
 * the gate, or before a policy was tightened. Needs Genesys credentials, no database.
 */
public final class ScanCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    public ScanCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Judges every user of the org by the rules in {@code dir}; prints JSON when {@code json}, else text. */
    public int run(Path dir, boolean json, RulesetCompiler compiler) {
        GenesysUsers users;
        try {
            users = GenesysUsers.connect(GenesysSettings.fromEnvironment(env), new ObjectMapper());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ReplayCommand.REFUSED;
        }
        try (PolicyEngine engine = PolicyEngine.load(dir, Clock.systemUTC(), compiler)) {
            ScanReport report = OrgScan.run(users, engine.ruleset());
            out.print(json ? json(report) : text(report));
            return ReplayCommand.OK;
        } catch (RulesetRejected e) {
            e.problems().forEach(err::println);
            err.println("The rules in " + dir + " were refused: " + e.problems().size() + " error(s).");
            return ReplayCommand.REFUSED;
        } catch (GenesysUnavailable | GenesysRefused e) {
            err.println("Cannot list the users of the org: " + e.getMessage());
            return ReplayCommand.FAILED;
        }
    }

    private static String json(ScanReport report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ScanReport r) {
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT,
                "Scanned %,d users against ruleset %s: %,d violate it, %,d would be refused today%n",
                r.scanned(), r.rulesetVersion(), r.violating(), r.wouldBeRejected()));
        for (ScanReport.User user : r.users()) {
            out.append("  ").append(user.userName()).append(" (").append(user.id()).append(") ").append(user.outcome())
                    .append('\n');
            user.violations().forEach(v -> out.append("    ").append(v.code()).append(" [").append(v.mode())
                    .append("] ").append(v.field()).append(": ").append(v.message()).append('\n'));
        }
        r.unreadable().forEach(u -> out.append("  unreadable: ").append(u.userName()).append(" (").append(u.id())
                .append("): ").append(u.detail()).append('\n'));
        return out.toString();
    }
}
