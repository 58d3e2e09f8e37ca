package org.scimgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A test class that no include of surefire or failsafe names never runs, and its guarantee goes
 * unchecked without anyone noticing (as happened to the property tests). The includes are read
 * from the pom, so a new naming pattern needs a line there, not here. A {@code @WholeServiceTest}
 * must match failsafe's includes (surefire leaves it out), any other test class surefire's.
 */
class EveryTestRunsTest {

    private static final Path TESTS = Path.of("src/test/java");
    private static final Pattern TEST_METHOD = Pattern.compile(
            "^\\s*@(Test|Property|Example|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b", Pattern.MULTILINE);

    private static final Pattern WHOLE_SERVICE = Pattern.compile("^@WholeServiceTest\\b", Pattern.MULTILINE);
    private static final List<String> SUREFIRE_DEFAULTS = List.of("**/Test*.java", "**/*Test.java", "**/*Tests.java",
            "**/*TestCase.java");
    private static final List<String> FAILSAFE_DEFAULTS = List.of("**/IT*.java", "**/*IT.java", "**/*ITCase.java");

    @Test
    void everyClassWithTestsMatchesAnIncludeOfSurefireOrFailsafe() throws Exception {
        List<PathMatcher> surefire = includes("maven-surefire-plugin", SUREFIRE_DEFAULTS);
        List<PathMatcher> failsafe = includes("maven-failsafe-plugin", FAILSAFE_DEFAULTS);

        List<String> unrun = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = TESTS.relativize(file);
                String source = Files.readString(file);
                if (!TEST_METHOD.matcher(source).find()) {
                    continue;
                }
                // surefire leaves the whole-service tests to failsafe, which runs only those
                List<PathMatcher> runner = WHOLE_SERVICE.matcher(source).find() ? failsafe : surefire;
                if (runner.stream().noneMatch(m -> m.matches(relative))) {
                    unrun.add(relative.toString());
                }
            }
        }
        assertThat(unrun).as("test classes that no include in pom.xml names, so no build runs them").isEmpty();
    }

    @Test
    void theIncludesNameThePropertyTests() throws Exception {
        assertThat(includes("maven-surefire-plugin", SUREFIRE_DEFAULTS))
                .anyMatch(m -> m.matches(Path.of("org/scimgate/security/FuzzedInputProperties.java")));
    }

    /**
     * The plugin's {@code <include>} patterns in pom.xml, as Ant-style globs relative to the test
     * sources; the plugin's defaults when the pom names none.
     */
    private static List<PathMatcher> includes(String plugin, List<String> defaults) throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        NodeList artifacts = pom.getElementsByTagName("artifactId");
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < artifacts.getLength(); i++) {
            if (!artifacts.item(i).getTextContent().trim().equals(plugin)) {
                continue;
            }
            Element pluginElement = (Element) artifacts.item(i).getParentNode();
            NodeList include = pluginElement.getElementsByTagName("include");
            for (int j = 0; j < include.getLength(); j++) {
                patterns.add(include.item(j).getTextContent().trim());
            }
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String pattern : patterns.isEmpty() ? defaults : patterns) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            if (pattern.startsWith("**/")) { // Ant's **/ also matches no directory at all
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
        }
        return matchers;
    }
}
