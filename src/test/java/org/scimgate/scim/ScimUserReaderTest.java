package org.scimgate.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ScimUserReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void readsAttributeNamesAndTheEnterpriseUrnInAnyCase() throws Exception {
        ScimUser user = ScimUserReader.read(json("""
                {"USERNAME":"jane@acme.com","DisplayName":"Jane","Active":false,
                 "EMAILS":[{"Value":"jane@acme.com","TYPE":"work","Primary":true}],
                 "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER":{"Department":"Marketing","costcenter":"CC-1"}}"""),
                "user");
        assertThat(user.userName()).isEqualTo("jane@acme.com");
        assertThat(user.displayName()).isEqualTo("Jane");
        assertThat(user.active()).isFalse();
        assertThat(user.emails()).singleElement().satisfies(e -> {
            assertThat(e.value()).isEqualTo("jane@acme.com");
            assertThat(e.type()).isEqualTo("work");
            assertThat(e.primary()).isTrue();
        });
        assertThat(user.department()).isEqualTo("Marketing");
        assertThat(user.costCenter()).isEqualTo("CC-1");
    }

    @Test
    void refusesAnAttributeNamedTwiceInAnotherCaseAtAnyDepth() {
        assertThatThrownBy(() -> ScimUserReader.read(json("{\"userName\":\"a\",\"USERNAME\":\"b\"}"), "data"))
                .isInstanceOf(MalformedPayload.class).hasMessageContaining("data has the attribute USERNAME twice");
        assertThatThrownBy(() -> ScimUserReader.read(json("{\"userName\":\"a\",\"emails\":[{\"value\":\"a\",\"VALUE\":\"b\"}]}"),
                "data")).isInstanceOf(DuplicateAttribute.class).hasMessageContaining("data.emails[0]");
        assertThatThrownBy(() -> ScimUserReader.read(json("{\"userName\":\"a\",\"" + ScimSchema.ENTERPRISE + "\":{},\""
                + ScimSchema.ENTERPRISE.toUpperCase() + "\":{\"department\":\"Marketing\"}}"), "data"))
                .isInstanceOf(DuplicateAttribute.class);
    }

    @Test
    void spellsKnownNamesCanonicallyAndKeepsOthers() throws Exception {
        ObjectNode canonical = ScimSchema.canonicalNames((ObjectNode) json("""
                {"USERNAME":"a","Emails":[{"VALUE":"a@acme.com","Primary":true,"custom":1}],"x-Other":{"Department":"y"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"DEPARTMENT":"Sales","Manager":{"VALUE":"m"}}}"""));
        assertThat(canonical).isEqualTo(json("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":true,"custom":1}],"x-Other":{"Department":"y"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m"}}}"""));
    }
}
