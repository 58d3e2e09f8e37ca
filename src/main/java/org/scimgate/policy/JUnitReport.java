package org.scimgate.policy;

import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The examples' outcome as JUnit XML, which every CI reads: one {@code testsuite} for the ruleset,
 * one {@code testcase} per example (class name: its file and rule; name: its kind and name), a
 * {@code failure} for each that failed, and one failed {@code testcase} per problem that is no
 * example's (a rule without examples, a file that is not YAML).
 */
final class JUnitReport {

    private JUnitReport() {
    }

    static void write(String version, ExampleReport report, OutputStream out) {
        try {
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = xml.createElement("testsuites");
            xml.appendChild(suites);
            Element suite = xml.createElement("testsuite");
            suites.appendChild(suite);
            List<ExampleReport.Result> results = report.results();
            int failures = report.failures().size() + report.problems().size();
            suite.setAttribute("name", "rules " + version);
            suite.setAttribute("tests", Integer.toString(results.size() + report.problems().size()));
            suite.setAttribute("failures", Integer.toString(failures));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", "0");
            suites.setAttribute("tests", suite.getAttribute("tests"));
            suites.setAttribute("failures", suite.getAttribute("failures"));
            for (ExampleReport.Result result : results) {
                Element testcase = testcase(xml, suite, result.file() + ": " + result.rule(),
                        result.kind() + ": " + result.name());
                if (!result.passed()) {
                    failure(xml, testcase, result.difference());
                }
            }
            for (RuleProblem problem : report.problems()) {
                failure(xml, testcase(xml, suite, problem.file() == null ? "ruleset" : problem.file(), "ruleset problem"),
                        problem.toString());
            }
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(xml), new StreamResult(out));
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
    }

    private static Element testcase(Document xml, Element suite, String classname, String name) {
        Element testcase = xml.createElement("testcase");
        testcase.setAttribute("classname", classname);
        testcase.setAttribute("name", name);
        suite.appendChild(testcase);
        return testcase;
    }

    private static void failure(Document xml, Element testcase, String message) {
        Element failure = xml.createElement("failure");
        failure.setAttribute("message", message);
        failure.setAttribute("type", "example".toLowerCase(Locale.ROOT));
        failure.setTextContent(message);
        testcase.appendChild(failure);
    }
}
