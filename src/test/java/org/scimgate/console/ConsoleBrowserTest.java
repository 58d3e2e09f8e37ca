package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.scimgate.support.WholeServiceTest;

/**
 * The console in a real headless Chromium against the whole service on a real PostgreSQL; every
 * decision it shows was made by the webhook. After each test the browser must have logged no
 * script error or refused resource, and fetched nothing from another host.
 */
@WholeServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends PostgresTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** 27 accepted and 3 rejected decisions for one user: more than a page of 25. */
    private static final String PAGED_USER = "pager-" + RUN + "@acme.com";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.scimgate.policy.PolicyEngine engine;
    @Autowired
    org.scimgate.audit.AuditChain chain;

    private ChromeDriver browser;

    @BeforeAll
    void startBrowserAndRecordDecisions() throws Exception {
        browser = Browser.start();
        for (int i = 0; i < 30; i++) {
            send(i < 27 ? user(PAGED_USER, "Engineering") : user(PAGED_USER, "Marketing"));
        }
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
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
    void showsNoNoticeOnAFreshSignInPage() {
        browser.get(base() + "/");
        assertThat(browser.findElements(By.id("key"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector(".notice, .problem, #signed-out, #expired, #refused")))
                .as("notices on a sign-in page nobody was sent to").isEmpty();
    }

    @Test
    void signsInWithAKeyIntoAnHttpOnlyStrictSessionAndSignsOut() {
        signIn(TestCredentials.ANALYST_KEY);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
        Cookie session = browser.manage().getCookieNamed("JSESSIONID");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(browser.findElement(By.className("role")).getText()).contains("analyst");

        signOut();
        assertThat(browser.findElement(By.id("signed-out")).getText()).contains("signed out");
        assertThat(browser.findElements(By.id("expired"))).as("only the notice that applies").isEmpty();
        browser.get(base() + "/console/decisions");
        assertThat(browser.getCurrentUrl()).isEqualTo(base() + "/");
        assertThat(browser.findElements(By.id("key"))).hasSize(1);
        checkPage("sign-in");
    }

    @Test
    void refusesAKeyThatIsNoApiKey() {
        signIn(TestCredentials.WEBHOOK_TOKEN);
        assertThat(browser.findElement(By.id("refused")).getText()).contains("not an analyst or operator key");
        browser.get(base() + "/console");
        assertThat(browser.findElements(By.id("key"))).as("still signed out").hasSize(1);
    }

    @Test
    void drawsTheOverviewChartFromRecordedDecisions() {
        signIn(TestCredentials.ANALYST_KEY);
        WebElement canvas = browser.findElement(By.id("chart-day"));
        assertThat(canvas.getSize().getHeight()).isPositive();
        Number drawn = (Number) new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> browser.executeScript("""
                var chart = Chart.getChart(document.getElementById('chart-day'));
                return chart ? chart.data.datasets.reduce(function (sum, d) {
                    return sum + d.data.reduce(function (a, b) { return a + b; }, 0); }, 0) : null;"""));
        assertThat(drawn.longValue()).as("decisions in the 24-hour chart").isGreaterThanOrEqualTo(30);
        assertThat(browser.findElement(By.id("top-violations")).getText()).contains("POLICY_DEPARTMENT_DENIED");
        assertThat(browser.findElement(By.id("ruleset-version")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("shadow-ruleset")).getText()).contains("None configured");
        checkPage("overview");
    }

    @Test
    void filtersDecisionsAndPagesThemNewestFirst() {
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions");
        browser.findElement(By.id("user")).sendKeys(PAGED_USER);
        submit("apply");
        assertThat(rows()).hasSize(25);
        assertThat(browser.findElements(By.cssSelector("#decisions .shadow"))).as("no shadow, no shadow column").isEmpty();
        checkPage("decisions");
        submit("older");
        assertThat(rows()).hasSize(5);
        assertThat(browser.findElements(By.id("older"))).as("no page after the last").isEmpty();

        browser.get(base() + "/console/decisions");
        browser.findElement(By.id("user")).sendKeys(PAGED_USER);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("outcome"))).selectByValue("REJECTED");
        submit("apply");
        assertThat(rows()).hasSize(3).allMatch(row -> row.getText().contains("REJECTED"));

        browser.get(base() + "/console/decisions");
        browser.findElement(By.id("user")).sendKeys("PAGER-" + RUN.toUpperCase());
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("code"))).selectByValue("POLICY_DEPARTMENT_DENIED");
        submit("apply");
        assertThat(rows()).as("part of the name, in other case, and a code from the list").hasSize(3);

        click(rows().get(1).findElement(By.tagName("a")));
        assertThat(browser.findElement(By.id("decision-outcome")).getText()).isEqualTo("REJECTED");
        click(browser.findElement(By.id("back")));
        assertThat(rows()).as("back to the same filtered list").hasSize(3);
        assertThat(browser.findElement(By.id("user")).getAttribute("value")).isEqualTo("PAGER-" + RUN.toUpperCase());
    }

    @Test
    void showsEachTimeToTheSecondInUtcWithTheReadersLocalTimeBeside() {
        signIn(TestCredentials.ANALYST_KEY);
        browser.executeCdpCommand("Emulation.setTimezoneOverride", java.util.Map.of("timezoneId", "Asia/Kolkata"));
        try {
            browser.get(base() + "/console/decisions?user=" + PAGED_USER);
            WebElement time = rows().get(0).findElement(By.cssSelector("time.utc"));
            java.time.Instant at = java.time.Instant.parse(time.getAttribute("datetime"));
            assertThat(time.getText()).isEqualTo(at.toString().replace('T', ' ').replace("Z", " UTC"));
            String local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                    .format(at.atOffset(java.time.ZoneOffset.ofHoursMinutes(5, 30)));
            assertThat(rows().get(0).findElement(By.cssSelector("time.utc + .local")).getText())
                    .isEqualTo(local + " local (UTC+05:30)");
            assertThat(browser.findElement(By.cssSelector("label[for=from]")).getText()).contains("YYYY-MM-DD HH:MM");
        } finally {
            browser.executeCdpCommand("Emulation.setTimezoneOverride", java.util.Map.of("timezoneId", ""));
        }
    }

    @Test
    void answersABadParameterWithAPageThatSaysWhatIsWrong() {
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions?from=12/01/2026");
        assertThat(browser.findElement(By.id("problem")).getText()).contains("'12/01/2026' is not a time", "YYYY-MM-DD HH:MM");
        assertThat(Browser.severeConsoleEntries(browser)).as("the 400, and nothing else")
                .singleElement().asString().contains("400");
        checkPage("bad-parameter");
    }

    @Test
    void showsADecisionWithItsViolationsFiredRulesAndRedactedPayload() {
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions?outcome=REJECTED&user=" + PAGED_USER);
        click(rows().get(0).findElement(By.tagName("a")));
        assertThat(browser.findElement(By.id("decision-outcome")).getText()).isEqualTo("REJECTED");
        assertThat(browser.findElement(By.id("violations")).getText()).contains("POLICY_DEPARTMENT_DENIED");
        assertThat(browser.findElement(By.id("fired-rules")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("payload")).getText()).contains(PAGED_USER);
        assertThat(browser.findElement(By.id("shadow-verdict")).getText()).isEqualTo("none: no shadow ruleset was configured");
        checkPage("decision");
    }

    @Test
    void showsWhereADecisionSitsInTheChainAndItsDeliveryToTheSiem() {
        while (chain.seal(1000) > 0) {
            // every decision so far sealed: the page must show a position
        }
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions?outcome=REJECTED&user=" + PAGED_USER);
        click(rows().get(0).findElement(By.tagName("a")));
        String url = browser.getCurrentUrl().replaceFirst("\\?.*", "");
        UUID id = UUID.fromString(url.substring(url.lastIndexOf('/') + 1));
        long position = jdbc.sql("SELECT position FROM audit_chain WHERE decision_id = ?").param(id)
                .query(Long.class).single();
        String status = jdbc.sql("SELECT status FROM siem_outbox WHERE decision_id = ?").param(id)
                .query(String.class).single();
        assertThat(browser.findElement(By.xpath("//dt[text()='Chain position']/following-sibling::dd[1]")).getText())
                .isEqualTo(Long.toString(position));
        assertThat(browser.findElement(By.id("delivery")).getText())
                .startsWith(status.equals("DEAD") ? "DEAD" : status.charAt(0) + status.substring(1).toLowerCase())
                .doesNotContain("0 attempt");
    }

    @Test
    void triesAPastedUserAgainstTheLiveRulesetWithoutRecordingIt() {
        long before = decisions();
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/policy");
        assertThat(browser.findElement(By.id("rules")).getText()).contains("POLICY_DEPARTMENT_DENIED");
        browser.findElement(By.id("payload")).sendKeys("""
                {"userName":"try@evil.com","emails":[{"value":"try@evil.com","primary":true}],"department":"Marketing"}""");
        submit("try");
        assertThat(browser.findElement(By.id("verdict-decision")).getText()).isEqualTo("REJECTED");
        assertThat(browser.findElement(By.id("verdict-violations")).getText())
                .contains("SCIM_INVALID_EMAIL_DOMAIN", "POLICY_DEPARTMENT_DENIED");
        assertThat(browser.findElements(By.id("shadow-verdict"))).as("no shadow ruleset is configured").isEmpty();
        checkPage("policy");
        assertThat(decisions()).as("rows in the audit").isEqualTo(before);
    }

    @Test
    void refusesAnAnalystTheRedriveAndLetsAnOperatorRedriveADeadRecord() throws Exception {
        UUID dead = send(user("dead-" + RUN + "@acme.com", "Engineering"));
        // As the relay leaves a record whose retries ran out (settling is the relay's: done as the owner).
        owner().update("UPDATE siem_outbox SET status = 'DEAD', attempts = 12, last_error = 'HTTP 400: index unknown' "
                + "WHERE decision_id = ?", dead);

        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/outbox");
        click(redriveButton(dead));
        assertThat(browser.findElement(By.id("denied")).getText()).contains("operator role");
        assertThat(Browser.severeConsoleEntries(browser)).as("the refusal, and nothing else")
                .singleElement().asString().contains("/redrive", "403");
        assertThat(status(dead)).isEqualTo("DEAD");

        signOut();
        signIn(TestCredentials.OPERATOR_KEY);
        browser.get(base() + "/console/outbox");
        assertThat(browser.findElement(By.id("dead")).getText()).contains("HTTP 400: index unknown");
        checkPage("outbox");
        click(redriveButton(dead));
        assertThat(browser.findElement(By.id("message")).getText()).contains("Re-driven " + dead);
        assertThat(status(dead)).isEqualTo("PENDING");
    }

    @Test
    void replaysACandidateAndShowsTheDecisionsItWouldChange() throws Exception {
        String referenceData = java.nio.file.Files.readString(java.nio.file.Path.of("rules/reference-data.yaml"))
                .replace("    - Finance\n", "    - Finance\n    - Marketing\n");
        String examples = java.nio.file.Files.readString(java.nio.file.Path.of("rules/organization/examples.yaml"))
                .replace("jane@acme.com, primary: true}], department: Marketing}", "jane@acme.com, primary: true}], department: Legal}");
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/impact");
        fill("path-1", "reference-data.yaml");
        fill("content-1", referenceData);
        submit("replay");
        assertThat(browser.findElement(By.id("impact-problem")).getText())
                .as("an example still expects Marketing to be denied").contains("refused", "examples.yaml");

        fill("path-2", "organization/examples.yaml");
        fill("content-2", examples);
        submit("replay");
        assertThat(Long.parseLong(browser.findElement(By.id("changed")).getText())).isGreaterThanOrEqualTo(3);
        assertThat(browser.findElement(By.id("changes")).getText()).contains(PAGED_USER, "REJECTED", "ACCEPTED");
        assertThat(browser.findElement(By.id("by-rule")).getText()).contains("POLICY_DEPARTMENT_DENIED");
        assertThat(browser.findElement(By.id("report")).getLocation().getY()).as("the result first")
                .isLessThan(browser.findElement(By.id("candidate")).getLocation().getY());
        assertThat(browser.findElement(By.id("candidate")).getAttribute("open")).as("the form folded").isNull();
        assertThat(browser.findElement(By.id("diffs")).getText()).contains("+    - Marketing", "department: Legal");
        assertThat(browser.findElement(By.id("changes")).getText())
                .containsPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        checkPage("impact");
    }

    @Test
    void exportsTheFilteredDecisionsAsCsvWithFormulasDefused() throws Exception {
        String hostile = "=cmd|' /C calc'!A0-" + RUN;
        send(user(hostile, "Marketing"));
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions");
        browser.findElement(By.id("user")).sendKeys(PAGED_USER);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("outcome"))).selectByValue("REJECTED");
        submit("apply");
        String href = browser.findElement(By.id("export")).getAttribute("href");
        assertThat(href).contains("/console/decisions.csv?", "outcome=REJECTED");

        HttpResponse<String> csv = getWithSession(href);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;")
                .contains(".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("decision_id,received_at,user_name,outcome");
        assertThat(lines).hasSize(1 + 3);
        assertThat(lines.subList(1, lines.size())).allMatch(line -> line.contains("," + PAGED_USER + ",REJECTED,400,POLICY_DEPARTMENT_DENIED"));

        HttpResponse<String> defused = getWithSession(base() + "/console/decisions.csv?user="
                + java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(defused.body().lines().skip(1).toList()).singleElement().asString()
                .contains(",'" + hostile + ",");

        browser.manage().deleteAllCookies();
        HttpResponse<String> signedOut = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedOut.statusCode()).as("no export without a session").isEqualTo(302);
    }

    @Test
    void showsEachRulesExamplesAndTriesOne() {
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/policy");
        WebElement rule = browser.findElements(By.cssSelector("#rules tr.rule")).stream()
                .filter(r -> r.getText().contains("Department must be on the approved list")).findFirst().orElseThrow();
        click(rule.findElement(By.tagName("summary")), false);
        assertThat(rule.findElement(By.className("examples")).getText())
                .contains("a department that is not on the list", "POLICY_DEPARTMENT_DENIED", "Marketing");
        assertThat(Long.parseLong(rule.findElement(By.className("fired")).getText()))
                .as("the rule fired for the three Marketing decisions").isGreaterThanOrEqualTo(3);
        click(rule.findElement(By.cssSelector("button[aria-label='Try the example a department that is not on the list']")));
        assertThat(browser.findElement(By.id("verdict-decision")).getText()).isEqualTo("REJECTED");
    }

    @Test
    void replaysAnUploadedCandidateAndRefusesAnOversizedUpload() throws Exception {
        Path dir = Files.createTempDirectory("console-upload");
        Path referenceData = dir.resolve("reference-data.yaml");
        Files.writeString(referenceData, Files.readString(Path.of("rules/reference-data.yaml"))
                .replace("    - Finance\n", "    - Finance\n    - Marketing\n"));
        Path examples = dir.resolve("examples.yaml");
        Files.writeString(examples, Files.readString(Path.of("rules/organization/examples.yaml"))
                .replace("jane@acme.com, primary: true}], department: Marketing}", "jane@acme.com, primary: true}], department: Legal}"));
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/impact");
        browser.findElement(By.id("upload-file-1")).sendKeys(referenceData.toString());
        browser.findElement(By.id("upload-path-2")).sendKeys("organization/examples.yaml");
        browser.findElement(By.id("upload-file-2")).sendKeys(examples.toString());
        submit("upload-replay");
        assertThat(Long.parseLong(browser.findElement(By.id("changed")).getText())).isGreaterThanOrEqualTo(3);
        assertThat(browser.findElement(By.id("changes")).getText()).contains(PAGED_USER);

        Path large = dir.resolve("reference-data.yaml.big");
        Files.writeString(large, "# " + "x".repeat(300 * 1024));
        browser.get(base() + "/console/impact");
        browser.findElement(By.id("upload-path-1")).sendKeys("reference-data.yaml");
        browser.findElement(By.id("upload-file-1")).sendKeys(large.toString());
        submit("upload-replay");
        assertThat(browser.findElement(By.id("impact-problem")).getText()).contains("too large", "256 KB");
        assertThat(Browser.severeConsoleEntries(browser)).as("the 413, and nothing else")
                .singleElement().asString().contains("413");
        checkPage("impact-upload-too-large");
    }

    @Test
    void skipsToTheContentFromTheKeyboard() {
        signIn(TestCredentials.ANALYST_KEY);
        browser.get(base() + "/console/decisions");
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        WebElement first = browser.switchTo().activeElement();
        assertThat(first.getText()).isEqualTo("Skip to the content");
        assertThat(first.getCssValue("outline-style")).as("focus is visible").isEqualTo("solid");
        first.sendKeys(org.openqa.selenium.Keys.ENTER);
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("main");
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("then the first filter").isEqualTo("user");
    }

    private void checkPage(String name) {
        Browser.checkPage(browser, name);
    }

    private HttpResponse<String> getWithSession(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Cookie", "JSESSIONID=" + browser.manage().getCookieNamed("JSESSIONID").getValue()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void fill(String id, String value) {
        browser.executeScript("arguments[0].value = arguments[1];", browser.findElement(By.id(id)), value);
    }

    private WebElement redriveButton(UUID decisionId) {
        return browser.findElement(By.cssSelector("button[aria-label='Re-drive " + decisionId + "']"));
    }

    /** Clicks and waits for the next page: a click does not wait for the navigation it starts. */
    private void submit(String id) {
        click(browser.findElement(By.id(id)));
    }

    private void click(WebElement element) {
        click(element, true);
    }

    private void click(WebElement element, boolean navigates) {
        WebElement page = browser.findElement(By.tagName("html"));
        element.click();
        if (navigates) {
            Browser.awaitNextPage(browser, page);
        }
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#decisions tbody tr"));
    }

    private void signIn(String key) {
        Browser.signIn(browser, base(), key);
    }

    private void signOut() {
        browser.findElement(By.id("sign-out")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.getCurrentUrl().endsWith("?signed-out"));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private long decisions() {
        return jdbc.sql("SELECT count(*) FROM decision_audit").query(Long.class).single();
    }

    private String status(UUID decisionId) {
        return jdbc.sql("SELECT status FROM siem_outbox WHERE decision_id = ?").param(decisionId)
                .query(String.class).single();
    }

    private static String user(String userName, String department) {
        return """
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"%s","costCenter":"CC-1234"}}""".formatted(UUID.randomUUID(), userName, userName,
                department);
    }

    /** Through the real webhook; the decision's id from its answer. */
    private UUID send(String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/webhook/scim-validation"))
                .header("Authorization", TestCredentials.WEBHOOK).header("Content-Type", "application/json")
                .header("x-genesys-webhook-id", "wh-console-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 400);
        String id = response.body().replaceAll(".*\"decisionId\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1");
        return UUID.fromString(id);
    }
}
