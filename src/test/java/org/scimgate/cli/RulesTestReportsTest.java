package org.scimgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.CliRun;
import org.scimgate.support.TestRules;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@code rules test --format junit} writes JUnit XML a CI reads; {@code rules test --coverage} lists what examples miss. */
class RulesTestReportsTest {

    @TempDir
    Path dir;

    /** The examples run under the evaluation timeout; a build machine shared with other builds needs more than 2 s. */
    @org.junit.jupiter.api.BeforeAll
    static void patientTimeout() {
        System.setProperty("scimgate.policy.evaluation-timeout", "30s");
    }

    @org.junit.jupiter.api.AfterAll
    static void defaultTimeout() {
        System.clearProperty("scimgate.policy.evaluation-timeout");
    }

    private static Document valid(String xml) throws Exception {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(RulesTestReportsTest.class.getResource("/junit/junit.xsd")).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static int examplesIn(Path rules) throws IOException {
        int count = 0;
        try (var files = Files.walk(rules)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("examples.yaml")).toList()) {
                count += (int) Files.readAllLines(p).stream().filter(l -> l.strip().startsWith("- name:")).count();
            }
        }
        return count;
    }

    @Test
    void writesValidJUnitXmlWithOneTestCasePerExample() throws Exception {
        CliRun run = CliRun.of(Map.of(), "rules", "test", "--format", "junit", "rules");
        assertThat(run.exit()).as(run.err()).isZero();
        Document xml = valid(run.out());
        NodeList cases = xml.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(examplesIn(Path.of("rules"))).isPositive();
        assertThat(xml.getElementsByTagName("failure").getLength()).isZero();
        Element first = (Element) cases.item(0);
        assertThat(first.getAttribute("classname")).contains("examples.yaml: ");
        assertThat(first.getAttribute("name")).matches("(allowed|disallowed): .+");
    }

    @Test
    void reportsAFailedExampleAsAFailureAndExitsNonZero() throws Exception {
        Path rules = dir.resolve("rules");
        TestRules.copy(Path.of("rules"), rules);
        Path examples = rules.resolve("identity/examples.yaml");
        Files.writeString(examples, Files.readString(examples).replaceFirst("expect: \\[SCIM_MISSING_USERNAME]",
                "expect: [SCIM_SOMETHING_ELSE]"));
        CliRun run = CliRun.of(Map.of(), "rules", "test", "--format", "junit", rules.toString());
        assertThat(run.exit()).isEqualTo(1);
        Document xml = valid(run.out());
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(examplesIn(Path.of("rules")));
        NodeList failures = xml.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        assertThat(((Element) failures.item(0).getParentNode()).getAttribute("name")).isEqualTo("disallowed: no userName at all");
        assertThat(((Element) xml.getElementsByTagName("testsuite").item(0)).getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void refusesAnUnknownFormat() {
        CliRun run = CliRun.of(Map.of(), "rules", "test", "--format", "tap", "rules");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--format must be text or junit");
    }

    @Test
    void coverageListsEveryRuleWithItsExamplesOfEachKind() {
        CliRun run = CliRun.of(Map.of(), "rules", "test", "--coverage", "rules");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("COVERED \"userName is required\" (SCIM_MISSING_USERNAME): 1 allowed, 2 disallowed")
                .contains("every rule has both kinds of example");
    }
}
