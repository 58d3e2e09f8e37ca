package org.scimgate.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's pages as the server renders them, on the shared service and its real PostgreSQL: what each page
 * shows and leaves out, filters that find what an analyst types and survive a visit to a decision, and bad URL
 * parameters answered with a page. What needs a browser (local times, axe-core, layout) is in ConsoleBrowserTest.
 */
class ConsolePagesTest extends PostgresTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Pattern DECISION_LINK = Pattern.compile("href=\"(/console/decisions/[0-9a-f-]{36}[^\"]*)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    org.scimgate.policy.PolicyEngine engine;

    @Test
    void showsNoSignInNoticeUnlessTheAddressAsksForOne() throws Exception {
        String fresh = mvc.perform(get("/")).andReturn().getResponse().getContentAsString();
        assertThat(fresh).contains("id=\"key\"").doesNotContain("id=\"signed-out\"", "id=\"expired\"", "id=\"refused\"");
        assertThat(body(get("/?signed-out"))).contains("id=\"signed-out\"").doesNotContain("id=\"expired\"");
        assertThat(body(get("/?expired"))).contains("id=\"expired\"").doesNotContain("id=\"signed-out\"");
    }

    @Test
    void findsAUserByAnyPartOfTheNameInAnyCaseOnThePageAndInTheApi() throws Exception {
        String mallory = "Mallory-" + RUN + "@Evil.com";
        send(mallory, "Engineering");
        for (String typed : List.of("mallory-" + RUN, "MALLORY-" + RUN + "@EVIL.COM", RUN + "@evil")) {
            assertThat(page("/console/decisions?user=" + typed)).as(typed).contains(mallory);
        }
        String api = mvc.perform(get("/api/v1/decisions").param("userName", "MALLORY-" + RUN)
                .header("Authorization", TestCredentials.ANALYST)).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(api).path("items").findValuesAsText("userName")).containsExactly(mallory);
    }

    @Test
    void offersTheKnownViolationCodesAsAList() throws Exception {
        String page = page("/console/decisions");
        assertThat(page).contains("<select id=\"code\" name=\"code\">")
                .contains("<option value=\"POLICY_DEPARTMENT_DENIED\">POLICY_DEPARTMENT_DENIED</option>")
                .contains("<option value=\"SCIM_INVALID_EMAIL_DOMAIN\">")
                .doesNotContain("<input id=\"code\"");
    }

    @Test
    void showsTimesToTheSecondInUtcAndLabelsTheTimeFieldsWithTheirFormat() throws Exception {
        String user = "times-" + RUN + "@acme.com";
        send(user, "Engineering");
        String page = page("/console/decisions?user=" + user);
        assertThat(page).containsPattern("<time class=\"utc\" datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\">"
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC</time>");
        assertThat(page).doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d");
        assertThat(page).contains("From (UTC, YYYY-MM-DD HH:MM)", "Before (UTC, YYYY-MM-DD HH:MM)",
                "placeholder=\"YYYY-MM-DD HH:MM\"", "/console/assets/times.js");
        assertThat(page("/console/decisions?user=" + user + "&from=2020-01-01 00:00&to=2099-12-31")).contains(user);
        assertThat(page("/console/decisions?user=" + user + "&from=2099-01-01T08:30:00")).doesNotContain(user + "</td>");
    }

    @Test
    void answersABadParameterWithAPageThatSaysWhatIsWrong() throws Exception {
        assertProblemPage(get("/console/decisions?from=12/01/2026"), 400, "From &#39;12/01/2026&#39; is not a time in UTC written YYYY-MM-DD HH:MM");
        assertProblemPage(get("/console/decisions?to=2026-02-30"), 400, "Before &#39;2026-02-30&#39; is not a time");
        assertProblemPage(get("/console/decisions?cursor=abc"), 400, "The page cursor &#39;abc&#39; is not one this page gave out");
        assertProblemPage(get("/console/decisions?outcome=NOPE"), 400, "There is no outcome &#39;NOPE&#39;");
        assertProblemPage(get("/console/decisions/not-a-uuid"), 400, "&#39;not-a-uuid&#39; is not a decision id");
        UUID none = UUID.randomUUID();
        assertProblemPage(get("/console/decisions/" + none), 404, "There is no decision " + none);
        assertProblemPage(get("/console/decisions.csv?from=yesterday"), 400, "From &#39;yesterday&#39; is not a time");
    }

    @Test
    void wrapsCodesAfterTheirUnderscoresOnly() throws Exception {
        String user = "wrap-" + RUN + "@acme.com";
        send(user, "Marketing");
        assertThat(page("/console/decisions?user=" + user)).contains("POLICY_<wbr>DEPARTMENT_<wbr>DENIED");
        assertThat(page("/console/policy")).contains("POLICY_<wbr>DEPARTMENT_<wbr>DENIED");
        String css = new String(getClass().getResourceAsStream("/static/console/assets/console.css").readAllBytes());
        assertThat(css.lines().filter(l -> l.contains("anywhere") && l.contains("{")).map(l -> l.substring(0, l.indexOf('{')).strip()))
                .as("only what has no words to keep whole (hashes, ids, paths in errors) may break anywhere")
                .allMatch(selector -> List.of(".hash, .id", ".errors code", ".examples pre").contains(selector));
    }

    @Test
    void keepsTheFiltersOnTheWayToADecisionAndBack() throws Exception {
        String user = "back-" + RUN + "@acme.com";
        send(user, "Marketing");
        String list = page("/console/decisions?user=" + user + "&outcome=REJECTED&code=POLICY_DEPARTMENT_DENIED");
        Matcher link = DECISION_LINK.matcher(list);
        assertThat(link.find()).as("a link to the decision").isTrue();
        String href = HtmlUtils.htmlUnescape(link.group(1));
        assertThat(href).endsWith("?user=" + user.replace("@", "%40") + "&outcome=REJECTED&code=POLICY_DEPARTMENT_DENIED");
        String decision = mvc.perform(get(java.net.URI.create(href)).with(analyst())).andReturn().getResponse()
                .getContentAsString();
        assertThat(decision).contains("id=\"back\" href=\"/console/decisions?user=" + user.replace("@", "%40")
                + "&amp;outcome=REJECTED&amp;code=POLICY_DEPARTMENT_DENIED\"", "Back to the filtered decisions");
    }

    @Test
    void showsAnIdInFullAndLeavesOutFactsTheDecisionDoesNotHave() throws Exception {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO decision_audit (decision_id, received_at, source, idempotency_key, user_name, outcome,
                    http_status, response_body)
                VALUES (?, ?, 'webhook', ?, ?, 'MALFORMED', 400, '{}')""")
                .params(id, Timestamp.from(Instant.now()), "console:" + id, "").update();
        String page = page("/console/decisions/" + id);
        assertThat(page).contains(">" + id + "</span>").doesNotContain("Webhook id", ">User<", ">Ruleset<", ">Detail<");
    }

    @Test
    void showsADeliveryByItsAttemptsNeverAsZeroAttempts() throws Exception {
        UUID id = send("delivery-" + RUN + "@acme.com", "Engineering");
        assertThat(delivery(id)).contains("Pending:", "not tried yet").doesNotContain("0 attempt");
        // Settling a delivery is the relay's, not the service's: done here as the owner.
        owner().update("UPDATE siem_outbox SET status = 'DELIVERED', attempts = 0, delivered_at = now() WHERE decision_id = ?", id);
        assertThat(delivery(id)).contains("Delivered", "at the first attempt").doesNotContain("0 attempt");
        owner().update("UPDATE siem_outbox SET status = 'DELIVERED', attempts = 2, last_error = 'HTTP 503' WHERE decision_id = ?", id);
        assertThat(delivery(id)).contains("at attempt 3, after 2 failed ones", "last answer: HTTP 503");
        owner().update("UPDATE siem_outbox SET status = 'DEAD', attempts = 12 WHERE decision_id = ?", id);
        assertThat(delivery(id)).contains("DEAD", "12 attempts failed");
    }

    @Test
    void showsTheReferenceDataTheRulesReadOnThePolicyPage() throws Exception {
        String page = page("/console/policy");
        String reference = page.substring(page.indexOf("id=\"reference-data\""), page.indexOf("id=\"rules-title\""));
        assertThat(reference).contains("allowed-email-domains", "acme.com", "acme-corp.com", "allowed-departments",
                "Engineering", "Finance", "cost-center", "^CC-[0-9]{4}$");
    }

    @Test
    void namesEachSiemSinkAndWhereItsRecordsGo() throws Exception {
        String page = page("/console/outbox");
        String sinks = page.substring(page.indexOf("id=\"sinks\""), page.indexOf("</ul>", page.indexOf("id=\"sinks\"")));
        assertThat(sinks).contains("<strong>file</strong>", "scimgate-test-siem.ndjson");
    }

    @Test
    void showsNoReloadBannerWhileNoEditStandsRefused() throws Exception {
        assertThat(engine.standingRejection()).isNull();
        assertThat(page("/console")).doesNotContain("reload-banner");
    }

    @Test
    void startsAFileFromTheLiveOneAndShowsTheResultAndTheChangeAboveTheFoldedForm() throws Exception {
        send("impact-" + RUN + "@acme.com", "Marketing");
        String live = Files.readString(Path.of("rules/reference-data.yaml"));
        String loaded = body(post("/console/impact").with(analyst()).with(csrf()).param("since", "24h")
                .param("path", "", "reference-data.yaml", "").param("content", "", "", "").param("load", "2"));
        assertThat(loaded).contains("<details id=\"candidate\" class=\"candidate\" open=\"open\">")
                .doesNotContain("id=\"report\"");
        assertThat(HtmlUtils.htmlUnescape(between(loaded, "id=\"content-2\">", "</textarea>"))).isEqualTo(live);
        assertThat(between(loaded, "id=\"content-1\">", "</textarea>")).isEmpty();
        assertThat(body(post("/console/impact").with(analyst()).with(csrf()).param("path", "../../etc/passwd")
                .param("content", "").param("load", "1"))).contains("There is no live file ../../etc/passwd");

        String examples = Files.readString(Path.of("rules/organization/examples.yaml"))
                .replace("jane@acme.com, primary: true}], department: Marketing}", "jane@acme.com, primary: true}], department: Legal}");
        String report = body(post("/console/impact").with(analyst()).with(csrf()).param("since", "24h")
                .param("path", "reference-data.yaml", "organization/examples.yaml", "")
                .param("content", live.replace("    - Finance\n", "    - Finance\n    - Marketing\n"), examples, ""));
        assertThat(report.indexOf("id=\"report\"")).as("the result comes first").isPositive()
                .isLessThan(report.indexOf("id=\"candidate\""));
        assertThat(report).contains("<details id=\"candidate\" class=\"candidate\">");
        String diffs = between(report, "id=\"diffs\"", "<datalist");
        assertThat(diffs).contains("<span class=\"added\">+    - Marketing</span>", "<span class=\"kept\">     - Finance</span>",
                "<span class=\"removed\">-", "<span class=\"added\">+", "department: Legal");
        assertThat(diffs).doesNotContain("allowed-email-domains").as("only the change and its context");
        assertThat(between(report, "id=\"changes\"", "</table>"))
                .containsPattern(">[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</a>");
    }

    private String delivery(UUID id) throws Exception {
        String page = page("/console/decisions/" + id);
        return between(page, "id=\"delivery\"", "</dd>").replaceAll("\\s+", " ");
    }

    private void assertProblemPage(MockHttpServletRequestBuilder request, int status, String message) throws Exception {
        MockHttpServletResponse response = mvc.perform(request.with(analyst())).andReturn().getResponse();
        assertThat(response.getStatus()).as(request.toString()).isEqualTo(status);
        assertThat(response.getContentType()).startsWith("text/html");
        assertThat(response.getContentAsString()).contains("id=\"problem\"", message, "Signed in as analyst");
    }

    private String page(String url) throws Exception {
        MockHttpServletResponse response = mvc.perform(get(url).with(analyst())).andReturn().getResponse();
        assertThat(response.getStatus()).as(url + ": " + response.getContentAsString()).isEqualTo(200);
        return response.getContentAsString();
    }

    private String body(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getContentAsString();
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor analyst() {
        return user("analyst").roles("analyst");
    }

    private static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'%s' in the page", from).isNotNegative();
        int end = text.indexOf(to, start + from.length());
        return text.substring(start + from.length(), end);
    }

    /** Through the real webhook; the decision's id from its answer. */
    private UUID send(String userName, String department) throws Exception {
        String body = """
                {"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z",
                 "data":{"id":"%s","userName":"%s","emails":[{"value":"%s","primary":true}],
                         "department":"%s","costCenter":"CC-1234"}}""".formatted(UUID.randomUUID(), userName, userName,
                department);
        String answer = mvc.perform(post("/webhook/scim-validation").header("Authorization", TestCredentials.WEBHOOK)
                .header("x-genesys-webhook-id", "wh-console-pages-" + UUID.randomUUID())
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(answer).path("decisionId").asText());
    }
}
