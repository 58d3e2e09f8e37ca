package org.scimgate.genesys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scimgate.cli.Scimgate;
import org.scimgate.support.CliRun;
import org.scimgate.support.LoopbackServer;
import org.scimgate.support.LoopbackServer.Response;

/** The command that connects Genesys: a Process Automation trigger, created against a stub Genesys. */
class GenesysCommandTest {

    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();

    /** {@code scimgate genesys ARGS}; what it prints adds up over the runs of a test. */
    private int run(LoopbackServer genesys, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("genesys"));
        command.addAll(List.of(args));
        CliRun run = CliRun.of(env, command.toArray(String[]::new));
        out.append(run.out());
        err.append(run.err());
        return run.exit();
    }

    private static Map<String, String> env(LoopbackServer genesys) {
        return Map.of("GENESYS_CLIENT_ID", "cid", "GENESYS_CLIENT_SECRET", "secret",
                "GENESYS_API_BASE_URL", genesys.uri().toString(), "GENESYS_LOGIN_BASE_URL", genesys.uri().toString());
    }

    @Test
    void createsAProcessAutomationTriggerForTheWorkflowAndPrintsIt() throws Exception {
        try (LoopbackServer genesys = new LoopbackServer()) {
            genesys.respond(request -> request.path().equals("/oauth/token")
                    ? Response.of(200, "{\"access_token\":\"t\",\"expires_in\":86400}")
                    : Response.of(200, "{\"id\":\"trg-42\",\"name\":\"scimgate provisioning policy\",\"topicName\":\"v2.users.{id}\"}"));
            int exit = run(genesys, env(genesys), "create-trigger", "--workflow-id", "wf-7", "--topic", "v2.users.{id}",
                    "--match", "$.eventBody.action=Create");
            assertThat(exit).as(err.toString()).isZero();
            LoopbackServer.Request created = genesys.requests("/api/v2/processautomation/triggers").get(0);
            assertThat(created.method()).isEqualTo("POST");
            assertThat(created.header("Authorization")).isEqualTo("Bearer t");
            JsonNode body = new ObjectMapper().readTree(created.body());
            assertThat(body.get("topicName").asText()).isEqualTo("v2.users.{id}");
            assertThat(body.get("enabled").asBoolean()).isTrue();
            assertThat(body.at("/target/type").asText()).isEqualTo("Workflow");
            assertThat(body.at("/target/id").asText()).isEqualTo("wf-7");
            assertThat(body.at("/matchCriteria/0/jsonPath").asText()).isEqualTo("$.eventBody.action");
            assertThat(body.at("/matchCriteria/0/value").asText()).isEqualTo("Create");
            assertThat(body.get("eventTTLSeconds").asInt()).isEqualTo(300);
            assertThat(out.toString()).contains("Created trigger trg-42").contains("starting workflow wf-7");
        }
    }

    @Test
    void explainsWhatIsMissing() throws Exception {
        try (LoopbackServer genesys = new LoopbackServer()) {
            assertThat(run(genesys, Map.of(), "topics")).isEqualTo(2);
            assertThat(err.toString()).contains("Set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET");
            assertThat(run(genesys, env(genesys), "create-trigger", "--workflow-id", "wf")).isEqualTo(Scimgate.USAGE);
            assertThat(err.toString()).contains("Missing required option: '--topic=<topic>'");
            assertThat(genesys.requests()).isEmpty();
        }
    }
}
