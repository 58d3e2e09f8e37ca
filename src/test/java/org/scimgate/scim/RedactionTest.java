package org.scimgate.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Redaction redaction = new Redaction(Set.of("nickName"));

    @Test
    void stripsSecretsAtAnyDepthWhateverTheirCaseAndLeavesTheInputAlone() throws Exception {
        String original = """
                {"userName":"a@acme.com","PassWord":"s3cret","NICKNAME":"Al",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"X","password":"p"},
                 "emails":[{"value":"a@acme.com","nickname":"n"}]}""";
        JsonNode input = JSON.readTree(original);

        JsonNode redacted = redaction.apply(input);

        assertThat(redacted.toString()).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("nickname")
                .contains("\"department\":\"X\"").contains("\"value\":\"a@acme.com\"");
        assertThat(input).isEqualTo(JSON.readTree(original));
    }

    @Test
    void aPayloadWithoutSecretsIsNotCopied() throws Exception {
        JsonNode input = JSON.readTree("{\"userName\":\"a@acme.com\",\"emails\":[{\"value\":\"a@acme.com\"}]}");
        assertThat(redaction.apply(input)).isSameAs(input);
        assertThat(redaction.apply(null)).isNull();
    }
}
