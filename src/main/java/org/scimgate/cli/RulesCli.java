package org.scimgate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scimgate.policy.RulesCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code scimgate rules}: the analysts' commands. They need no database and no server, except {@code replay}. */
@Command(name = "rules",
        description = "Check, test and try the rules in a directory; replay a candidate on past decisions.",
        subcommands = {RulesCli.Check.class, RulesCli.Test.class, RulesCli.Eval.class, RulesReplay.class},
        footer = {"", "DIR defaults to $SCIMGATE_RULES_DIR, else ./rules. A PAYLOAD of - is read from standard input.",
                "Rules may use only the built-in allow-list and the service's extra entries, read as the service reads "
                        + "them: $SCIMGATE_POLICY_ALLOWED_TYPES or -Dscimgate.policy.allowed-types (comma-separated), "
                        + "plus any --allow entry. One evaluation may run for $SCIMGATE_POLICY_EVALUATION_TIMEOUT "
                        + "(default 2s).",
                "Exit codes: 0 done, 1 the rules were refused, an example failed or the payload could not be read, "
                        + "2 usage error, 3 eval --fail-on-refusal judged the user REJECTED; "
                        + "'scimgate rules replay --help' lists replay's."})
final class RulesCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RulesOptions options;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command: check, test, eval or replay");
    }

    /** The compiler for a subcommand: the entries given to {@code rules} and those given to the subcommand. */
    org.scimgate.policy.RulesetCompiler compiler(CommandSpec subcommand, RulesOptions own) {
        return own.compiler(subcommand, options.allow);
    }

    /** What {@code check}, {@code test} and {@code eval} share: the terminal and the compiler their options make. */
    abstract static class OnTheRules implements Callable<Integer> {

        final Terminal terminal;

        @Spec
        CommandSpec spec;

        @ParentCommand
        RulesCli rules;

        @Mixin
        RulesOptions options;

        OnTheRules(Terminal terminal) {
            this.terminal = terminal;
        }

        RulesCommand command() {
            return new RulesCommand(terminal.out(), terminal.err(), rules.compiler(spec, options));
        }
    }

    @Command(name = "check",
            description = "Check the rules as the service loads them (they compile, stay within the allow-list, "
                    + "every rule has examples and they pass) and list them; errors as file:line:column message. "
                    + "OK means the service would take them.",
            footer = {"", "Exit codes: 0 the service would load the rules, 1 it would refuse them, 2 usage error."})
    static final class Check extends OnTheRules {

        @Parameters(arity = "0..1", paramLabel = "DIR", description = "The rules directory.")
        Path dir;

        Check(Terminal terminal) {
            super(terminal);
        }

        @Override
        public Integer call() {
            return command()
                    .check(RulesOptions.rulesDir(dir, terminal.env()));
        }
    }

    @Command(name = "test",
            description = "Run every rule's examples; PASS or FAIL per example, or JUnit XML for CI.",
            footer = {"", "Exit codes: 0 every example passed (with --coverage: every rule has both kinds of "
                    + "example), 1 an example failed, the rules were refused or a rule has a gap, 2 usage error."})
    static final class Test extends OnTheRules {

        @Parameters(arity = "0..1", paramLabel = "DIR", description = "The rules directory.")
        Path dir;

        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
                description = "text (default) or junit: JUnit XML on standard output, one test case per example.")
        String format;

        @Option(names = "--coverage",
                description = "List rules whose examples miss an allowed or a disallowed case instead of running them.")
        boolean coverage;

        Test(Terminal terminal) {
            super(terminal);
        }

        @Override
        public Integer call() {
            Path rulesDir = RulesOptions.rulesDir(dir, terminal.env());
            if (coverage) {
                return command().coverage(rulesDir, null);
            }
            return switch (format) {
                case "text" -> command().test(rulesDir);
                case "junit" -> command().testAsJUnit(rulesDir);
                default -> throw new ParameterException(spec.commandLine(),
                        "--format must be text or junit, not '" + format + "'");
            };
        }
    }

    @Command(name = "eval",
            description = "The decision for a SCIM user or webhook envelope, and the rules that fired.",
            footer = {"", "Exit codes: 0 decided, 1 the rules were refused or the payload could not be read (the "
                    + "message says why), 2 usage error, 3 REJECTED and --fail-on-refusal was given."})
    static final class Eval extends OnTheRules {

        @Parameters(index = "0", paramLabel = "PAYLOAD",
                description = "A JSON file with a SCIM user or a webhook envelope; - reads standard input.")
        String payload;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "The rules directory.")
        Path dir;

        @Option(names = "--fail-on-refusal", description = "Exit 3 when the decision is REJECTED, so CI can gate on it.")
        boolean failOnRefusal;

        Eval(Terminal terminal) {
            super(terminal);
        }

        @Override
        public Integer call() {
            return command()
                    .eval(payload, RulesOptions.rulesDir(dir, terminal.env()), failOnRefusal, terminal.in());
        }
    }
}
