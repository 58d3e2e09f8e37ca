package org.scimgate.impact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.scimgate.genesys.GenesysRefused;
import org.scimgate.genesys.GenesysSettings;
import org.scimgate.genesys.GenesysUnavailable;
import org.scimgate.genesys.GenesysUsers;
import org.scimgate.policy.PolicyEngine;
import org.scimgate.policy.RulesCommand;
import org.scimgate.policy.RulesetCompiler;
import org.scimgate.policy.RulesetRejected;

/**
 * {@code java -jar scimgate.jar genesys scan}: which accounts already in Genesys the rules refuse —
 * made outside the gate, or before a policy was tightened. Needs Genesys credentials, no database.
 */
public final class ScanCommand {

    private static final String HELP = """
            Usage: java -jar scimgate.jar genesys scan [--rules DIR] [--format text|json] [--allow E]...
              Lists the org's users through Genesys' SCIM API and judges each by the rules in DIR
              (default $SCIMGATE_RULES_DIR, else ./rules). Credentials and region from GENESYS_CLIENT_ID,
              GENESYS_CLIENT_SECRET, GENESYS_REGION (GENESYS_API_BASE_URL/GENESYS_LOGIN_BASE_URL override the hosts).
            Exit codes: 0 done, 1 Genesys could not be read, 2 the rules were refused, 64 usage.""";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    public ScanCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public int run(List<String> arguments) {
        List<String> args = new java.util.ArrayList<>(arguments);
        RulesetCompiler compiler;
        try {
            compiler = RulesCommand.compiler(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + HELP);
            return ReplayCommand.USAGE;
        }
        String rules = env.apply("SCIMGATE_RULES_DIR");
        boolean json = false;
        for (int i = 0; i < args.size(); i += 2) {
            if (i + 1 >= args.size() || !(args.get(i).equals("--rules") || args.get(i).equals("--format"))) {
                err.println(HELP);
                return ReplayCommand.USAGE;
            }
            if (args.get(i).equals("--rules")) {
                rules = args.get(i + 1);
            } else if (args.get(i + 1).equals("json") || args.get(i + 1).equals("text")) {
                json = args.get(i + 1).equals("json");
            } else {
                err.println("--format must be text or json\n" + HELP);
                return ReplayCommand.USAGE;
            }
        }
        Path dir = Path.of(rules == null || rules.isBlank() ? "./rules" : rules);
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
