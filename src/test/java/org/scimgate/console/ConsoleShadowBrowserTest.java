package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.scimgate.policy.ShadowRuleset;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestRules;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.scimgate.support.WholeServiceTest;

/**
 * The console of a service that runs a shadow ruleset (the shipped rules with Research on the
 * approved departments): the shadow's verdict on a recorded decision, its mark on the decisions
 * list, Try it judged by both rulesets, and the overview's shadow card, in a real Chromium.
 */
@WholeServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleShadowBrowserTest extends PostgresTest {

    private static final String RESEARCHER = "researcher-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.com";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ShadowRuleset shadow;

    /** The shadow's directory; one test breaks it for a moment. */
    private static Path candidate;

    private ChromeDriver browser;
    private UUID rejected;

    @DynamicPropertySource
    static void shadowRules(DynamicPropertyRegistry registry) throws IOException {
        candidate = TestRules.copyOfShippedRules("scimgate-console-shadow");
        Path referenceData = candidate.resolve("reference-data.yaml");
        Files.writeString(referenceData, Files.readString(referenceData).replace("    - Finance\n",
                "    - Finance\n    - Research\n"));
        registry.add("scimgate.policy.shadow-rules-dir", candidate::toString);
    }

    @BeforeAll
    void startBrowserAndRecordADecisionTheShadowWouldAccept() throws Exception {
        assertThat(shadow.active()).as("the shadow ruleset loaded").isTrue();
        browser = Browser.start();
        rejected = send(RESEARCHER, "Research");
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signedIn() {
        browser.get(base() + "/");
        browser.manage().deleteAllCookies();
        Browser.signIn(browser, base(), TestCredentials.ANALYST_KEY);
    }

    @AfterEach
    void noScriptErrorsAndNothingFromAnotherHost() {
        assertThat(Browser.severeConsoleEntries(browser)).as("browser console errors").isEmpty();
        assertThat(Browser.resourcesFetched(browser)).as("requests").allMatch(url -> url.startsWith(base() + "/"));
    }

    @Test
    void showsTheShadowVerdictBesideTheEnforcedDecision() {
        browser.get(base() + "/console/decisions/" + rejected);
        assertThat(browser.findElement(By.id("decision-outcome")).getText()).isEqualTo("REJECTED");
        assertThat(browser.findElement(By.id("shadow-outcome")).getText()).isEqualTo("ACCEPTED");
        assertThat(browser.findElement(By.id("shadow-ruleset")).getText()).isEqualTo(shadow.ruleset().version());
        assertThat(browser.findElement(By.id("shadow-codes")).getText()).isEqualTo("no violations");
        assertThat(browser.findElement(By.id("shadow-differs")).getText()).contains("differs", "never enforced");
        Browser.checkPage(browser, "decision-shadow");

        browser.get(base() + "/console/decisions?user=" + RESEARCHER);
        assertThat(browser.findElement(By.cssSelector("#decisions tbody tr .shadow")).getText())
                .isEqualTo("differs: ACCEPTED");
        Browser.checkPage(browser, "decisions-shadow");
    }

    @Test
    void marksNoDivergenceWhereTheShadowAgrees() throws Exception {
        String agreeing = "agreeing-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.com";
        UUID accepted = send(agreeing, "Engineering");
        browser.get(base() + "/console/decisions/" + accepted);
        assertThat(browser.findElement(By.id("shadow-outcome")).getText()).isEqualTo("ACCEPTED");
        assertThat(browser.findElements(By.id("shadow-differs"))).isEmpty();
        assertThat(browser.findElement(By.id("shadow-verdict")).getText()).contains("agrees with the live decision");
        browser.get(base() + "/console/decisions?user=" + agreeing);
        assertThat(browser.findElement(By.cssSelector("#decisions tbody tr .shadow")).getText()).isEmpty();
    }

    @Test
    void triesAPastedUserAgainstTheLiveAndTheShadowRulesetWithoutRecordingIt() {
        long before = decisions();
        browser.get(base() + "/console/policy");
        browser.findElement(By.id("payload")).sendKeys("""
                {"userName":"try-research@acme.com","emails":[{"value":"try-research@acme.com","primary":true}],
                 "department":"Research","costCenter":"CC-1234"}""");
        Browser.submit(browser, "try");
        assertThat(browser.findElement(By.id("verdict-decision")).getText()).isEqualTo("REJECTED");
        assertThat(browser.findElement(By.id("verdict-violations")).getText()).contains("POLICY_DEPARTMENT_DENIED");
        assertThat(browser.findElement(By.id("shadow-verdict-decision")).getText()).isEqualTo("ACCEPTED");
        assertThat(browser.findElement(By.id("shadow-verdict-ruleset")).getText()).isEqualTo(shadow.ruleset().version());
        assertThat(browser.findElement(By.id("shadow-verdict-violations")).getText())
                .doesNotContain("POLICY_DEPARTMENT_DENIED");
        assertThat(browser.findElement(By.id("shadow-fired-rules")).getText()).startsWith("Fired rules:");
        Browser.checkPage(browser, "policy-shadow");
        assertThat(decisions()).as("rows in the audit").isEqualTo(before);
    }

    /** The only test that reloads the shadow: a refused reload is kept until the next one is refused. */
    @Test
    void showsTheShadowRulesetAndItsRefusedReloadOnTheOverview() throws IOException {
        String version = shadow.ruleset().version();
        assertThat(browser.findElement(By.id("shadow-version")).getText()).isEqualTo(version);
        assertThat(browser.findElement(By.id("shadow-rejected")).getText()).isEqualTo("none");

        Path broken = candidate.resolve("organization/broken.drl");
        Files.writeString(broken, "rule \"half a rule\"\nwhen\n    ScimUser( userName == \n");
        try {
            shadow.reload();
        } finally {
            Files.delete(broken);
        }
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("shadow-version")).getText()).as("the shadow stays").isEqualTo(version);
        assertThat(browser.findElement(By.id("shadow-rejected")).getText()).contains("broken.drl");
        browser.get(base() + "/console/decisions");
        assertThat(browser.findElement(By.id("reload-banner")).getText()).as("a banner on every page")
                .contains("shadow rules were refused", "broken.drl");
        browser.get(base() + "/console");
        Browser.checkPage(browser, "overview-shadow");
        shadow.reload();
        assertThat(shadow.ruleset().version()).isEqualTo(version);
        browser.navigate().refresh();
        assertThat(browser.findElements(By.id("reload-banner"))).as("gone once the rules compile again").isEmpty();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private long decisions() {
        return jdbc.sql("SELECT count(*) FROM decision_audit").query(Long.class).single();
    }

    /** Through the real webhook; the decision's id from its answer. */
    private UUID send(String userName, String department) throws Exception {
        String body = """
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"%s","costCenter":"CC-1234"}}""".formatted(UUID.randomUUID(), userName, userName,
                department);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .header("x-genesys-webhook-id", "wh-console-shadow-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 400);
        return UUID.fromString(response.body().replaceAll(".*\"decisionId\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1"));
    }
}
