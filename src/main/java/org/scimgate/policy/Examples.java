package org.scimgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.scimgate.scim.MalformedPayload;
import org.scimgate.scim.ScimUserReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Runs the examples that travel with the rules, as {@code opa test} and {@code kyverno test} do.
 * An {@code examples.yaml} beside the rules maps each rule name to users it allows and refuses:
 *
 * <pre>
 * "Department must be on the approved list":
 *   allowed:
 *     - name: an approved department
 *       user: {userName: jane@acme.com, department: Sales, emails: [{value: jane@acme.com, primary: true}]}
 *   disallowed:
 *     - name: a department that is not on the list
 *       user: {userName: jane@acme.com, department: Marketing, emails: [{value: jane@acme.com, primary: true}]}
 *       expect: [POLICY_DEPARTMENT_DENIED]
 * </pre>
 *
 * An allowed example passes when its rule does not fire; a disallowed one when its rule fires and,
 * if {@code expect} is given, the codes of the violations raised by the rules of the examples' own
 * folder are exactly those (rules of other folders are judged by their own examples). Every rule needs at
 * least one of each. An access rule's example adds the change of group membership it judges:
 * {@code membership: {group: Finance Approvers, change: added, groups: [Finance Payables, Finance Approvers]}}
 * ({@link Membership#ofExample}); the user and that change are then judged as the gateway judges a
 * membership, by the rules that match the membership.
 */
final class Examples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Examples() {
    }

    public static ExampleReport run(Ruleset ruleset) {
        List<ExampleReport.Result> results = new ArrayList<>();
        List<RuleProblem> problems = new ArrayList<>();
        Map<String, int[]> coverage = new HashMap<>();
        try {
            ruleset.examples().forEach((file, bytes) ->
                    runFile(ruleset, file, new String(bytes, StandardCharsets.UTF_8), results, problems, coverage));
        } catch (ExampleTimedOut e) {
            // One looping rule would make every later example wait for the timeout too.
            problems.add(new RuleProblem(e.file, e.at[0], e.at[1], e.rule, e.kind + " example \"" + e.name
                    + "\" did not finish within " + e.getCause().timeout().toMillis() + " ms (a rule takes too long);"
                    + " the remaining examples were not run", null));
            return new ExampleReport(results, problems);
        }
        for (PolicyRule rule : ruleset.rules()) {
            int[] counts = coverage.getOrDefault(rule.name(), new int[2]);
            if (counts[0] == 0 || counts[1] == 0) {
                String kind = counts[0] == 0 ? "allowed" : "disallowed";
                problems.add(new RuleProblem(rule.file(), rule.line(), rule.line() > 0 ? 1 : 0, rule.name(),
                        "the rule needs at least one " + kind + " example in an examples.yaml; the service refuses "
                                + "a ruleset with a rule that has none.", "add one under \"" + rule.name() + "\": "
                                + kind + ": in " + folderPrefix(rule.file()) + "examples.yaml."));
            }
        }
        return new ExampleReport(results, problems);
    }

    private static void runFile(Ruleset ruleset, String file, String text, List<ExampleReport.Result> results,
                                List<RuleProblem> problems, Map<String, int[]> coverage) {
        Object root;
        ExampleLines lines = ExampleLines.of(text);
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            problems.add(new RuleProblem(file, lines.broken()[0], lines.broken()[1], "not valid YAML: " + e.getProblem()));
            return;
        } catch (YAMLException e) {
            problems.add(new RuleProblem(file, 0, 0, "not valid YAML: " + e.getMessage()));
            return;
        }
        if (root == null) {
            return;
        }
        if (!(root instanceof Map<?, ?> byRule)) {
            problems.add(new RuleProblem(file, 1, 1, "must map rule names to their allowed and disallowed examples"));
            return;
        }
        byRule.forEach((name, value) -> {
            String ruleName = String.valueOf(name);
            int[] at = lines.of(ruleName, null, 0);
            if (ruleset.rule(ruleName) == null) {
                String near = Hints.nearest(ruleName, ruleset.rules().stream().map(PolicyRule::name).toList());
                problems.add(new RuleProblem(file, at[0], at[1], null, "examples for \"" + ruleName
                        + "\", but no rule has that name", near == null ? null : "did you mean \"" + near + "\"?"));
                return;
            }
            if (!(value instanceof Map<?, ?> kinds)) {
                problems.add(new RuleProblem(file, at[0], at[1], ruleName, "must have 'allowed' and 'disallowed' lists", null));
                return;
            }
            int[] counts = coverage.computeIfAbsent(ruleName, k -> new int[2]);
            counts[0] += runKind(ruleset, file, lines, ruleName, "allowed", kinds.get("allowed"), results, problems);
            counts[1] += runKind(ruleset, file, lines, ruleName, "disallowed", kinds.get("disallowed"), results, problems);
        });
    }

    private static int runKind(Ruleset ruleset, String file, ExampleLines lines, String rule, String kind, Object examples,
                               List<ExampleReport.Result> results, List<RuleProblem> problems) {
        if (examples == null) {
            return 0;
        }
        if (!(examples instanceof List<?> list)) {
            int[] at = lines.of(rule, kind, 0);
            problems.add(new RuleProblem(file, at[0], at[1], rule, kind + " must be a list of examples", null));
            return 0;
        }
        int index = 0;
        for (Object example : list) {
            index++;
            int[] at = lines.of(rule, kind, index);
            if (!(example instanceof Map<?, ?> fields) || !(fields.get("user") instanceof Map<?, ?>)) {
                problems.add(new RuleProblem(file, at[0], at[1], rule, kind + " example " + index
                        + " needs a name and a user", null));
                continue;
            }
            String name = fields.get("name") == null ? kind + " #" + index : String.valueOf(fields.get("name"));
            String difference;
            try {
                Membership membership;
                try {
                    membership = fields.get("membership") == null ? null : Membership.ofExample(fields.get("membership"));
                } catch (IllegalArgumentException e) {
                    problems.add(new RuleProblem(file, 0, 0, "\"" + rule + "\" " + kind + " example " + index + ": "
                            + e.getMessage()));
                    continue;
                }
                difference = difference(ruleset, file, rule, kind, JSON.valueToTree(fields.get("user")), membership,
                        fields.get("expect"));
            } catch (EvaluationTimedOut e) {
                throw new ExampleTimedOut(file, at, rule, kind, name, e);
            }
            PolicyRule written = ruleset.rule(rule);
            String ruleAt = written == null ? null : written.file() + (written.line() > 0 ? ":" + written.line() : "");
            results.add(new ExampleReport.Result(file, at[0], at[1], rule, ruleAt, kind, name, difference));
        }
        return index;
    }

    private static String difference(Ruleset ruleset, String file, String rule, String kind, JsonNode user,
                                     Membership membership, Object expect) {
        Evaluation evaluation;
        try {
            evaluation = membership == null ? ruleset.evaluate(ScimUserReader.read(user, "user"))
                    : ruleset.evaluate(ScimUserReader.read(user, "user"), membership);
        } catch (MalformedPayload e) {
            return "the user is not a readable SCIM user: " + e.detail();
        } catch (RulesFailed e) {
            // A candidate whose example throws is refused like one whose example fails, never an error
            // of the caller: the live path would refuse every such user.
            return (e.code().equals(RulesFailed.FIRING_LIMIT) ? "the rules fired more than " + Ruleset.MAX_FIRINGS
                    + " times" : "the rules failed on it (" + rootCause(e).getClass().getName() + ")")
                    + ", so the live path would refuse such a user with " + e.code();
        }
        boolean fired = evaluation.firedRules().contains(rule);
        Set<String> codes = new TreeSet<>(evaluation.violations().stream().map(PolicyViolation::code).toList());
        if ("allowed".equals(kind)) {
            return fired ? "the rule fired, with violations " + codes : null;
        }
        if (!fired) {
            return "the rule did not fire" + (codes.isEmpty() ? "" : " (other violations: " + codes + ")");
        }
        if (expect instanceof List<?> expected) {
            Set<String> wanted = new TreeSet<>(expected.stream().map(String::valueOf).toList());
            Set<String> folderCodes = codesOfFolder(ruleset, evaluation, folderOf(file));
            if (!wanted.equals(folderCodes)) {
                return "expected codes " + wanted + " but got " + folderCodes;
            }
        }
        return null;
    }

    /** What a rule threw first, under Drools' wrappers. */
    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; cause.getCause() != null && cause.getCause() != cause && depth < 16; depth++) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The codes of the violations raised by rules written in that folder: a folder's examples speak
     * for its own rules, so a rule added in another folder cannot break them.
     */
    private static Set<String> codesOfFolder(Ruleset ruleset, Evaluation evaluation, String folder) {
        Set<String> codes = new TreeSet<>();
        for (PolicyViolation violation : evaluation.violations()) {
            PolicyRule rule = violation.rule() == null ? null : ruleset.rule(violation.rule());
            if (rule != null && folderOf(rule.file()).equals(folder)) {
                codes.add(violation.code());
            }
        }
        return codes;
    }

    private static String folderPrefix(String file) {
        String folder = folderOf(file);
        return folder.isEmpty() ? "" : folder + "/";
    }

    /** The folder of a file named relative to the rules directory, "" at the top. */
    static String folderOf(String file) {
        int slash = file == null ? -1 : file.lastIndexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    /** An example cut off by the evaluation timeout: stops the run. */
    private static final class ExampleTimedOut extends RuntimeException {

        private final String file;
        private final int[] at;
        private final String rule;
        private final String kind;
        private final String name;

        ExampleTimedOut(String file, int[] at, String rule, String kind, String name, EvaluationTimedOut cause) {
            super(cause.getMessage(), cause, false, false);
            this.file = file;
            this.at = at;
            this.rule = rule;
            this.kind = kind;
            this.name = name;
        }

        @Override
        public synchronized EvaluationTimedOut getCause() {
            return (EvaluationTimedOut) super.getCause();
        }
    }
}
