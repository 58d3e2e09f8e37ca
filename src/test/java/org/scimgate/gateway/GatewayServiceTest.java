package org.scimgate.gateway;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the gateway's tests over HTTP: they share one service (one Spring context per test JVM,
 * on a database of its own) in front of one {@link StubGenesys}. Before each test the stub answers
 * as it was built to and forgets what reached it, so a test sees only the Genesys requests it
 * caused; in the database a test looks only at its own users and operations.
 */
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
abstract class GatewayServiceTest {

    static final StubGenesys GENESYS = new StubGenesys();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void genesys(DynamicPropertyRegistry registry) {
        GENESYS.register(registry);
    }

    @BeforeEach
    void genesysAsBuilt() {
        GENESYS.reset();
    }
}
