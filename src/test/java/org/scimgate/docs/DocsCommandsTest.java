package org.scimgate.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scimgate.docs.DocsLinksTest.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands the README and the docs show name files, commands and options that exist. */
class DocsCommandsTest {

    private static final Path ROOT = Path.of("");
    private final CliSurface cli = new CliSurface();

    @Test
    void everyCommandOfTheReadmeAndTheDocsNamesWhatExists() {
        assertThat(new CommandCheck(ROOT, cli).problems(Markdown.pages(ROOT))).as("commands that cannot run").isEmpty();
    }

    @Test
    void readsTheCommandsOfTheReadme() {
        List<List<String>> commands = CommandCheck.commands(Markdown.read(ROOT.resolve("README.md")));
        assertThat(commands).as("the quick start's commands, read as the shell reads them")
                .contains(List.of("./mvnw", "-DskipTests", "package"),
                        List.of("java", "-jar", "target/scimgate.jar", "rules", "test"),
                        List.of("java", "-jar", "target/scimgate.jar", "rules", "eval", "-"));
    }

    @Test
    void knowsTheCommandsTheJarRuns() {
        assertThat(cli.subcommands(List.of("rules"))).contains("check", "test", "eval", "replay");
        assertThat(cli.subcommands(List.of("genesys"))).contains("topics", "create-trigger", "scan");
        assertThat(cli.options(List.of("rules", "replay"))).containsEntry("--rules", true)
                .containsEntry("--fail-on-change", false).containsEntry("--allow", true);
        assertThat(cli.options(List.of("genesys", "create-trigger"))).containsKeys("--workflow-id", "--topic", "--match");
    }

    @Test
    void reportsAnUnknownCommandOrOption(@TempDir Path root) throws IOException {
        write(root, "README.md", """
                ```sh
                java -jar target/scimgate.jar rules lint
                java -jar target/scimgate.jar rules replay --rules candidate --since-when 3d
                java -jar target/scimgate.jar rules --allow java.util.BitSet check   # fine
                java -jar target/scimgate.jar policy check
                ```

                Or quoted: `java -jar target/scimgate.jar audit verify --all`.

                ```
                $ java -jar target/scimgate.jar genesys scan --format json --dry
                output that looks like a command: java -jar target/scimgate.jar nothing
                ```
                """);
        assertThat(new CommandCheck(root, cli).problems(List.of(root.resolve("README.md"))))
                .extracting(p -> p.substring(0, p.indexOf(" (")))
                .containsExactly("README.md: `rules` has no command lint",
                        "README.md: `rules replay` has no option --since-when",
                        "README.md: the jar has no command policy",
                        "README.md: `genesys scan` has no option --dry",
                        "README.md: `audit verify` has no option --all");
    }

    @Test
    void reportsAFileATestClassOrABenchModeThatDoesNotExist(@TempDir Path root) throws IOException {
        write(root, "bench/run.sh", "case \"$WHAT\" in\n  webhook) webhook ;;\n  all) webhook ;;\nesac\n");
        write(root, "rules/reference-data.yaml", "lists: {}\n");
        write(root, "src/test/java/x/RealTest.java", "");
        write(root, "mvnw", "");
        write(root, "pom.xml", "<profiles><profile>\n<id>bench</id></profile></profiles>");
        write(root, "README.md", """
                ```sh
                bench/run.sh webhook
                bench/run.sh turbo
                cat rules/reference-data.yaml rules/reference.yaml
                ./mvnw -q -Dtest=RealTest,GoneTest test
                ./mvnw -Pbench,fast verify
                .ci/run
                cp -r rules candidate && ls data/postgres.port target/scimgate.jar
                ```
                """);
        assertThat(new CommandCheck(root, cli).problems(List.of(root.resolve("README.md"))))
                .extracting(p -> p.replaceFirst(" in `.*", ""))
                .containsExactly("README.md: bench/run.sh has no mode turbo (it has [webhook, all])",
                        "README.md: rules/reference.yaml does not exist",
                        "README.md: there is no test class GoneTest",
                        "README.md: pom.xml has no profile fast",
                        "README.md: .ci/run does not exist");
    }
}
