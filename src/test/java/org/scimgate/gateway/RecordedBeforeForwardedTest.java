package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Recorded before forwarded, for every write the gateway makes: when the database refuses the
 * decision's row (a trigger that raises on insert for this one user), the identity provider gets
 * no success and Genesys sees nothing. A gateway that called Genesys first and recorded afterwards
 * would have made the change with nothing on file, and fails here.
 */
class RecordedBeforeForwardedTest extends GatewayServiceTest {

    private static final String USER = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%1$s",
             "emails":[{"value":"%1$s","type":"work","primary":true}],"active":true,
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}""";
    private static final String PATCH = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","path":"displayName","value":"Jane D."}]}""";

    @Autowired
    JdbcTemplate jdbc;

    /** The database refuses every row about user {@code u-refused} or named {@code refused@acme.com}. */
    @BeforeEach
    void refuseTheRowsOfOneUser() {
        GENESYS.owner().execute("""
                CREATE OR REPLACE FUNCTION refuse_one_user() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.operation LIKE '%/Users/u-refused' OR NEW.user_name = 'refused@acme.com' THEN
                    RAISE EXCEPTION 'this database refuses the decision of %', NEW.operation;
                  END IF;
                  RETURN NEW;
                END $$""");
        GENESYS.owner().execute("CREATE TRIGGER refuse_one_user BEFORE INSERT ON decision_audit "
                + "FOR EACH ROW EXECUTE FUNCTION refuse_one_user()");
    }

    @AfterEach
    void acceptRowsAgain() {
        GENESYS.owner().execute("DROP TRIGGER IF EXISTS refuse_one_user ON decision_audit");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /Users, user",
            "PUT, /Users/u-refused, user",
            "PATCH, /Users/u-refused, patch",
            "DELETE, /Users/u-refused, none"})
    void aWriteWhoseDecisionCannotBeRecordedNeverReachesGenesys(String method, String path, String body) throws Exception {
        int before = GENESYS.writes().size();
        String payload = switch (body) {
            case "user" -> USER.formatted("refused@acme.com");
            case "patch" -> PATCH;
            default -> "";
        };
        HttpResponse<String> answer = GENESYS.send(port, method, path, payload);

        assertThat(answer.statusCode()).as("no success without the decision on file: %s", answer.body())
                .isGreaterThanOrEqualTo(400);
        assertThat(GENESYS.writes()).as("nothing reached Genesys").hasSize(before);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /Users, user",
            "PUT, /Users/u-1, user",
            "PATCH, /Users/u-1, patch",
            "DELETE, /Users/u-1, none"})
    void theSameWriteOfAnotherUserIsRecordedAndForwarded(String method, String path, String body) throws Exception {
        int before = GENESYS.writes().size();
        String payload = switch (body) {
            case "user" -> USER.formatted("jane.doe@acme.com");
            case "patch" -> PATCH;
            default -> "";
        };
        HttpResponse<String> answer = GENESYS.send(port, method, path, payload);

        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
        assertThat(GENESYS.writes()).as("forwarded once").hasSize(before + 1);
        assertThat(jdbc.queryForList("SELECT outcome FROM decision_audit WHERE operation = ? ORDER BY seq", String.class,
                method + " " + path)).as("the decision, then Genesys' answer").endsWith("FORWARDED").hasSizeGreaterThan(1);
    }
}
