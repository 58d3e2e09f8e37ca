package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.WholeServiceTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The governance pages in a real headless Chromium: the Rulesets page and a kept version's files,
 * a proposal made from a pasted file with its impact, refused to its author's own approval and
 * rejected by another person, and a decision explained under its own ruleset. Each page passes
 * axe-core at desktop and phone width. Nothing here approves, so the shared rules stay as shipped.
 */
@WholeServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernancePagesBrowserTest extends PostgresTest {

    @LocalServerPort
    int port;

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

    @org.junit.jupiter.api.BeforeEach
    void signedOut() {
        browser.get(base() + "/");
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void noScriptErrorsAndNothingFromAnotherHost() {
        assertThat(Browser.severeConsoleEntries(browser)).as("browser console errors").isEmpty();
        assertThat(Browser.resourcesFetched(browser)).as("requests").allMatch(url -> url.startsWith(base() + "/"));
    }

    @Test
    void showsTheKeptRulesetsAndAVersionsFiles() {
        Browser.signIn(browser, base(), TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/rulesets");
        assertThat(browser.findElement(By.id("rulesets")).getText()).contains("live").contains("start-up");
        Browser.checkPage(browser, "rulesets");
        Browser.submit(browser, "compare");
        assertThat(browser.findElement(By.id("diff-summary")).getText()).isEqualTo("The two versions have the same files.");
        browser.findElement(By.cssSelector("#rulesets tbody tr a")).click();
        assertThat(browser.findElement(By.id("made-live-by")).getText()).isNotBlank();
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("identity/identity.drl")
                .contains("rule \"userName is required\"");
        Browser.checkPage(browser, "ruleset");
    }

    @Test
    void proposesFromAPastedFileRefusesTheAuthorsOwnApprovalAndLetsAnotherPersonReject() throws Exception {
        Browser.signIn(browser, base(), TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/proposals");
        Browser.checkPage(browser, "proposals");
        fill("path", "identity/identity.drl");
        fill("content", Files.readString(Path.of("rules/identity/identity.drl")) + "\n// proposed in the browser\n");
        fill("note", "A comment, to show the workflow");
        fill("since", "1d");
        Browser.submit(browser, "propose");
        assertThat(browser.findElement(By.id("proposal-status")).getText()).isEqualTo("open");
        assertThat(browser.findElement(By.id("impact")).getText()).contains("past decisions replayed");
        Browser.checkPage(browser, "proposal");

        Browser.submit(browser, "approve");
        assertThat(browser.findElement(By.id("problem")).getText()).contains("another person must approve it");
        assertThat(browser.findElement(By.id("proposal-status")).getText()).isEqualTo("open");

        String proposal = browser.getCurrentUrl();
        browser.findElement(By.id("sign-out")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(10))
                .until(b -> b.getCurrentUrl().endsWith("?signed-out"));
        Browser.signIn(browser, base(), TestCredentials.OPERATOR_KEY);
        browser.get(proposal);
        fill("reason", "only a demonstration");
        Browser.submit(browser, "reject");
        assertThat(browser.findElement(By.id("proposal-status")).getText()).isEqualTo("rejected");
        assertThat(browser.findElement(By.id("events")).getText()).contains("rejected by operator: only a demonstration");
    }

    @Test
    void explainsADecisionUnderItsOwnRuleset() throws Exception {
        HttpResponse<String> decided = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .header("x-genesys-webhook-id", "wh-explain-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"eventType":"user.created","data":{"userName":"eve@evil.example",
                         "emails":[{"value":"eve@evil.example","primary":true}]}}""")).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = decided.body().replaceAll(".*\"decisionId\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        Browser.signIn(browser, base(), TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions/" + id);
        Browser.submit(browser, "explain");
        assertThat(browser.findElement(By.id("explain-same")).getText()).contains("gets the recorded verdict: same");
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("rule \"Primary email domain must be provisioned\"");
        Browser.checkPage(browser, "explain");
    }

    private void fill(String id, String value) {
        browser.executeScript("arguments[0].value = arguments[1];", browser.findElement(By.id(id)), value);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
