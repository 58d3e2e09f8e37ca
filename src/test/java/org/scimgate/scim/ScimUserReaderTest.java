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
    void keepsOnlyKnownAttributesSpelledCanonicallyWhereRfc7643PutsThem() throws Exception {
        NormalisedUser read = NormalisedUser.read(json("""
                {"USERNAME":"a","Emails":[{"VALUE":"a@acme.com","Primary":true,"custom":1}],"x-Other":{"Department":"y"},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"DEPARTMENT":"Sales","Manager":{"VALUE":"m"}},
                 "urn:ietf:params:scim:schemas:core:2.0:User":{"displayName":"A"},"costCenter":"CC-1000",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"7","nickName":null}"""), "user");
        assertThat(read.document()).isEqualTo(json("""
                {"userName":"a","emails":[{"value":"a@acme.com","primary":true}],"displayName":"A",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m"},
                  "employeeNumber":"7","costCenter":"CC-1000"}}"""));
        assertThat(NormalisedUser.read(read.document(), "user")).as("normalising twice changes nothing").isEqualTo(read);
        assertThat(read.user().costCenter()).isEqualTo("CC-1000");
        assertThat(read.user().employeeNumber()).isEqualTo("7");
    }

    @Test
    void refusesAnAttributeSetTwiceThroughItsSchemaUrn() {
        assertThatThrownBy(() -> ScimUserReader.read(json("""
                {"userName":"a@acme.com","urn:ietf:params:scim:schemas:core:2.0:User":{"userName":"m@evil.com"}}"""), "data"))
                .isInstanceOf(DuplicateAttribute.class).hasMessageContaining("data names userName twice");
        assertThatThrownBy(() -> ScimUserReader.read(json("""
                {"urn:ietf:params:scim:schemas:core:2.0:User:USERNAME":"a@acme.com","userName":"m@evil.com"}"""), "data"))
                .isInstanceOf(DuplicateAttribute.class);
        assertThatThrownBy(() -> ScimUserReader.read(json("""
                {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"a"}},
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value":"b"}"""), "data"))
                .isInstanceOf(DuplicateAttribute.class);
    }

    @Test
    void refusesAValueOfTheWrongTypeForItsAttributeNamingWhere() {
        assertThatThrownBy(() -> ScimUserReader.read(json("{\"name\":\"x\"}"), "data"))
                .isInstanceOf(MalformedPayload.class).hasMessage("data.name must be an object, not a string");
        assertThatThrownBy(() -> ScimUserReader.read(json("{\"phoneNumbers\":[{\"value\":5}]}"), "data"))
                .isInstanceOf(MalformedPayload.class).hasMessage("data.phoneNumbers[0].value must be a string, not a number");
        assertThatThrownBy(() -> ScimUserReader.read(json(
                "{\"urn:ietf:params:scim:schemas:core:2.0:User\":{\"active\":\"yes\"}}"), "data"))
                .isInstanceOf(MalformedPayload.class).hasMessageContaining("active must be true or false");
    }
}
