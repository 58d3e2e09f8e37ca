package org.scimgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestRules;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The compilation a start begins early is handed to the policy engine only for the files it was
 * compiled from. The preloads are kept per directory for the whole JVM: a service whose settings
 * name a directory it then does not load (a test adding its own settings after the environment is
 * prepared, a start that fails first) leaves one behind, and the next load of that directory must
 * not take a ruleset of files that have changed since.
 */
class RulesetPreloaderTest {

    @TempDir
    Path rules;

    @Test
    void aPreloadOfFilesThatChangedSinceIsNotHandedOut() throws Exception {
        TestRules.copy(Path.of("rules"), rules);
        preload(rules);
        // The analyst's edit (or the next test's) lands after the compilation read the files.
        edit("reference-data.yaml", "    - Finance\n", "    - Finance\n    - Research\n");

        try (PolicyEngine engine = PolicyEngine.load(rules, Clock.systemUTC(), compiler())) {
            assertThat(engine.ruleset().version()).as("the version of the files in the directory now")
                    .isEqualTo(RulesetSource.read(rules.toAbsolutePath().normalize()).version());
            assertThat(engine.ruleset().referenceLists().get("allowed-departments")).contains("Research");
        }
    }

    @Test
    void aPreloadOfUnchangedFilesIsTaken() throws Exception {
        TestRules.copy(Path.of("rules"), rules);
        preload(rules);
        assertThat(RulesetPreloader.take(rules, compiler())).as("the same files, the same limits").isNotNull()
                .satisfies(ruleset -> ruleset.join().close());
        assertThat(RulesetPreloader.take(rules, compiler())).as("handed out once").isNull();
    }

    @Test
    void anEditedExamplesFileIsAChangeToo() throws Exception {
        TestRules.copy(Path.of("rules"), rules);
        preload(rules);
        edit("identity/examples.yaml", "no userName at all", "no userName whatsoever");
        assertThat(RulesetPreloader.take(rules, compiler())).isNull();
    }

    private static RulesetCompiler compiler() {
        return new RulesetCompiler(Clock.systemUTC(), RuleCapabilities.of(List.of()), Duration.ofSeconds(10));
    }

    /** What a service's start does first: the preloader compiles the directory its settings name. */
    private static void preload(Path dir) throws InterruptedException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "scimgate.policy.rules-dir", dir.toString(),
                "scimgate.policy.evaluation-timeout", "10s",
                "scimgate.policy.compiled-cache", "")));
        new RulesetPreloader().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
                new SpringApplication(), new String[0], environment));
        // Until the compilation has read the files and finished: what changes later changes files it compiled.
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("ruleset-preload")) {
                thread.join();
            }
        }
    }

    private void edit(String file, String from, String to) throws IOException {
        Path path = rules.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
