package org.scimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

/** With no SCIM token configured the gateway answers 503 and never touches the request body. */
class GatewayOffTest {

    /** A body that fails the test if anything reads it. */
    private static final class UnreadableBody extends ServletInputStream {
        @Override
        public int read() {
            throw new AssertionError("the body was read");
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
        }
    }

    @Test
    void answersWithoutReadingTheBodyWhenTheGatewayIsOff() {
        GatewaySettings off = new GatewaySettings(null, Duration.ofSeconds(30), 25, DataSize.ofMegabytes(1),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
        ScimGatewayController gateway = new ScimGatewayController(off, null, null,
                new GatewayAnswers(off, null, null, new ObjectMapper(), null), new GenesysPassThrough(off), null);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/scim/v2/Users") {
            @Override
            public ServletInputStream getInputStream() {
                return new UnreadableBody();
            }
        };
        request.addHeader("Authorization", "Bearer anything");
        request.addHeader("Content-Length", "104857600");
        ResponseEntity<String> answer = gateway.create(request);
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getBody()).contains("SCIMGATE_SCIM_TOKEN");
    }
}
