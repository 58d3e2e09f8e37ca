package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.WholeServiceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The Remediation page in a real Chromium: an action held past the cap is listed with its account
 * and why; an analyst's Release is refused; an operator's is done, and the decision page shows it.
 */
@WholeServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRemediationBrowserTest extends PostgresTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private ChromeDriver browser;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void nothingFromAnotherHost() {
        assertThat(Browser.resourcesFetched(browser)).as("requests").allMatch(url -> url.startsWith(base() + "/"));
    }

    @Test
    void anOperatorReleasesAHeldActionThatAnAnalystMayOnlyRead() throws Exception {
        String genesysId = "g-console-" + RUN;
        UUID decision = refused(genesysId, "mallory-" + RUN + "@evil.com");
        // As a relay leaves it when the hourly cap is spent (a cap of 0).
        jdbc.sql("SELECT count(*) FROM remediation_claim('console-test', 1000, 60, true, 0)").query(Long.class).single();
        UUID action = jdbc.sql("SELECT id FROM remediation_action WHERE decision_id = ?").param(decision)
                .query(UUID.class).single();
        assertThat(status(action)).isEqualTo("HELD");

        Browser.signIn(browser, base(), TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/remediation");
        assertThat(browser.findElement(By.id("held")).getText()).contains(genesysId, "mallory-" + RUN, "the cap is 0");
        click(button("Release", action));
        assertThat(browser.findElement(By.id("denied")).getText()).contains("operator role");
        assertThat(Browser.severeConsoleEntries(browser)).as("the refusal, and nothing else")
                .singleElement().asString().contains("/release", "403");
        assertThat(status(action)).isEqualTo("HELD");

        signOut();
        Browser.signIn(browser, base(), TestCredentials.OPERATOR_KEY);
        browser.get(base() + "/console/remediation");
        Browser.checkPage(browser, "remediation");
        click(button("Release", action));
        assertThat(browser.findElement(By.id("message")).getText()).contains("Released " + action);
        assertThat(status(action)).isEqualTo("PENDING");
        assertThat(Browser.severeConsoleEntries(browser)).isEmpty();

        browser.get(base() + "/console/decisions/" + decision);
        assertThat(browser.findElement(By.id("remediation-status")).getText()).isEqualTo("PENDING");
        assertThat(browser.findElement(By.id("remediation")).getText()).contains("deactivate", genesysId);
        Browser.checkPage(browser, "decision-remediation");
    }

    private WebElement button(String label, UUID action) {
        return browser.findElement(By.cssSelector("button[aria-label='" + label + " " + action + "']"));
    }

    private void click(WebElement element) {
        WebElement page = browser.findElement(By.tagName("html"));
        element.click();
        Browser.awaitNextPage(browser, page);
    }

    private void signOut() {
        browser.findElement(By.id("sign-out")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.getCurrentUrl().endsWith("?signed-out"));
    }

    private String status(UUID action) {
        return jdbc.sql("SELECT status FROM remediation_action WHERE id = ?").param(action).query(String.class).single();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** Genesys tells the webhook it created an account on a domain the company does not own. */
    private UUID refused(String genesysId, String userName) throws Exception {
        String body = """
                {"eventType":"user.created","eventTimestamp":"2026-12-07T01:00:00Z",
                 "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"Engineering","costCenter":"CC-1234"}}""".formatted(genesysId, userName, userName);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return UUID.fromString(response.body().replaceAll(".*\"decisionId\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1"));
    }
}
