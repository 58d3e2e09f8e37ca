package org.scimgate.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * {@code scimgate genesys topics|create-trigger}: connects Genesys Cloud to the webhook the real
 * way — a Process Automation trigger that starts an Architect workflow, whose web services data
 * action posts the event to scimgate. Replaces the tutorial's {@code GET /register-webhook}, a GET
 * with side effects against an API that does not exist. The command line's parsing and help are
 * {@code org.scimgate.cli}'s.
 */
public final class GenesysCommand {

    /** Genesys is not configured: credentials missing or a setting malformed. */
    public static final int NOT_CONFIGURED = 2;

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    public GenesysCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** The trigger to create; {@code match} holds {@code jsonPath=value} criteria. */
    public record Trigger(String workflowId, String topic, String name, int ttlSeconds, List<Match> match) {

        public Trigger {
            match = List.copyOf(match);
        }
    }

    /** One match criterion of a trigger: the event's {@code jsonPath} equals {@code value}. */
    public record Match(String jsonPath, String value) {

        /** Reads {@code <jsonPath>=<value>}. */
        public static Match parse(String text) {
            int eq = text.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--match takes <jsonPath>=<value>, not " + text);
            }
            return new Match(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    /** Lists the topics a trigger can listen to. */
    public int topics() {
        return withGenesys(this::topics);
    }

    /** Creates a Process Automation trigger that starts the workflow, and prints it. */
    public int createTrigger(Trigger trigger) {
        return withGenesys(api -> createTrigger(api, trigger));
    }

    private interface Call {
        int on(GenesysHttp api) throws IOException;
    }

    private int withGenesys(Call call) {
        GenesysSettings settings;
        try {
            settings = GenesysSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return NOT_CONFIGURED;
        }
        if (!settings.enabled()) {
            err.println("Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (an OAuth client-credentials client of your org).");
            return NOT_CONFIGURED;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        GenesysHttp api = new GenesysHttp(http, new GenesysToken(http, json, settings, Clock.systemUTC()), settings,
                CircuitBreaker.ofDefaults("genesys-cli"), Retry.of("genesys-cli", GenesysConfiguration.retryConfig()),
                RateLimiter.ofDefaults("genesys-cli"));
        try {
            return call.on(api);
        } catch (GenesysRefused | GenesysUnavailable e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("Genesys answered with something that is not JSON: " + e.getMessage());
            return 1;
        }
    }

    private int topics(GenesysHttp api) throws IOException {
        JsonNode topics = json.readTree(api.call("GET", "/api/v2/processautomation/triggers/topics", null));
        for (JsonNode topic : topics.path("entities")) {
            out.println(topic.path("topicName").asText() + "  " + topic.path("description").asText(""));
        }
        return 0;
    }

    private int createTrigger(GenesysHttp api, Trigger trigger) throws IOException {
        ObjectNode body = json.createObjectNode();
        ArrayNode match = json.createArrayNode();
        trigger.match().forEach(m -> match.addObject().put("jsonPath", m.jsonPath()).put("operator", "Equal")
                .put("value", m.value()));
        String name = trigger.name();
        String topic = trigger.topic();
        String workflow = trigger.workflowId();
        int ttl = trigger.ttlSeconds();
        body.put("name", name);
        body.put("topicName", topic);
        body.put("enabled", true);
        body.putObject("target").put("type", "Workflow").put("id", workflow);
        body.set("matchCriteria", match);
        body.put("eventTTLSeconds", ttl);
        body.put("description", "Starts the workflow that posts provisioning events to scimgate for a policy decision.");
        JsonNode created = json.readTree(api.call("POST", "/api/v2/processautomation/triggers", body.toString()));
        out.println("Created trigger " + created.path("id").asText() + " (\"" + created.path("name").asText(name)
                + "\") on topic " + created.path("topicName").asText(topic) + " starting workflow " + workflow + ":");
        out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(created));
        return 0;
    }
}
