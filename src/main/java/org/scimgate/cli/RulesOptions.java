package org.scimgate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.scimgate.policy.RulesCommand;
import org.scimgate.policy.RulesetCompiler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The {@code --allow} option of the commands that compile rules, on the {@code rules} group and on each command. */
final class RulesOptions {

    @Option(names = "--allow", paramLabel = "<entry>",
            description = "Let rules use this too, beside the built-in allow-list and SCIMGATE_POLICY_ALLOWED_TYPES: "
                    + "a type, com.acme.*, com.acme.** or com.acme.Util#parse. Repeatable, or comma-separated.")
    List<String> allow = new ArrayList<>();

    /** The compiler of the service's settings with these entries (and {@code more}) allowed; a bad entry is a usage error. */
    RulesetCompiler compiler(CommandSpec spec, List<String> more) {
        List<String> entries = new ArrayList<>(more);
        entries.addAll(allow);
        try {
            return RulesCommand.compiler(entries);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code dir} when given, else {@code $SCIMGATE_RULES_DIR}, else {@code ./rules}. */
    static Path rulesDir(Path dir, Function<String, String> env) {
        if (dir != null) {
            return dir;
        }
        String configured = env.apply("SCIMGATE_RULES_DIR");
        return Path.of(configured == null || configured.isBlank() ? "./rules" : configured);
    }
}
