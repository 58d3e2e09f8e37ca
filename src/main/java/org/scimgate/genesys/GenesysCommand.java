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
 * {@code java -jar scimgate.jar genesys topics|create-trigger}: connects Genesys Cloud to the
 * webhook the real way — a Process Automation trigger that starts an Architect workflow, whose web
 * services data action posts the event to scimgate. Replaces the tutorial's {@code GET
 * /register-webhook}, a GET with side effects against an API that does not exist.
 */
public final class GenesysCommand {

    private static final String HELP = """
            Usage: java -jar scimgate.jar genesys <command>
              topics                                   list the topics a trigger can listen to
              create-trigger --workflow-id <id> --topic <topic> [--name <name>] [--match <jsonPath>=<value>]... [--ttl <seconds>]
                                                       create a Process Automation trigger that starts the workflow
              scan [--rules DIR] [--format text|json]  judge every user already in the org by the rules
            Credentials and region from GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET, GENESYS_REGION
            (GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL override the hosts). The OAuth client
            needs the processautomation:trigger:add and :view permissions.""";

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    public GenesysCommand(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public int run(List<String> args) {
        if (args.isEmpty()) {
            err.println(HELP);
            return 64;
        }
        GenesysSettings settings;
        try {
            settings = GenesysSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (!settings.enabled()) {
            err.println("Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET (an OAuth client-credentials client of your org).");
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        GenesysHttp api = new GenesysHttp(http, new GenesysToken(http, json, settings, Clock.systemUTC()), settings,
                CircuitBreaker.ofDefaults("genesys-cli"), Retry.of("genesys-cli", GenesysConfiguration.retryConfig()),
                RateLimiter.ofDefaults("genesys-cli"));
        try {
            return switch (args.get(0)) {
                case "topics" -> topics(api);
                case "create-trigger" -> createTrigger(api, args.subList(1, args.size()));
                default -> {
                    err.println(HELP);
                    yield 64;
                }
            };
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

    private int createTrigger(GenesysHttp api, List<String> args) throws IOException {
        String workflow = null;
        String topic = null;
        String name = "scimgate provisioning policy";
        int ttl = 300;
        ObjectNode body = json.createObjectNode();
        ArrayNode match = json.createArrayNode();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                err.println("Missing a value after " + option + "\n" + HELP);
                return 64;
            }
            String value = args.get(++i);
            switch (option) {
                case "--workflow-id" -> workflow = value;
                case "--topic" -> topic = value;
                case "--name" -> name = value;
                case "--ttl" -> ttl = Integer.parseInt(value);
                case "--match" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        err.println("--match takes <jsonPath>=<value>, not " + value);
                        return 64;
                    }
                    match.addObject().put("jsonPath", value.substring(0, eq)).put("operator", "Equal")
                            .put("value", value.substring(eq + 1));
                }
                default -> {
                    err.println("Unknown option " + option + "\n" + HELP);
                    return 64;
                }
            }
        }
        if (workflow == null || topic == null) {
            err.println("create-trigger needs --workflow-id and --topic\n" + HELP);
            return 64;
        }
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
