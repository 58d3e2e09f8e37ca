package org.scimgate.console;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.scimgate.support.PostgresTest;
import org.scimgate.support.TestCredentials;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** The console's session chain beside the stateless API: sign-in, CSRF, roles and headers. */
class ConsoleSecurityTest extends PostgresTest {

    @Autowired
    MockMvc mvc;

    @Test
    void signsInWithTheOperatorKeyIntoTheOperatorRole() throws Exception {
        mvc.perform(post("/login").param("key", TestCredentials.OPERATOR_KEY).with(csrf()))
                .andExpect(redirectedUrl("/console"))
                .andExpect(authenticated().withUsername("operator").withRoles("operator"));
    }

    @Test
    void refusesTheWebhookTokenAsASignInKey() throws Exception {
        mvc.perform(post("/login").param("key", TestCredentials.WEBHOOK_TOKEN).with(csrf()))
                .andExpect(redirectedUrl("/?refused")).andExpect(unauthenticated());
    }

    @Test
    void refusesASignInWithoutItsCsrfToken() throws Exception {
        mvc.perform(post("/login").param("key", TestCredentials.OPERATOR_KEY))
                .andExpect(status().isForbidden()).andExpect(unauthenticated());
    }

    @Test
    void refusesAFormThatChangesSomethingWithoutItsCsrfToken() throws Exception {
        mvc.perform(post("/console/outbox/" + UUID.randomUUID() + "/redrive").with(user("operator").roles("operator")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/console/outbox/" + UUID.randomUUID() + "/redrive").with(user("operator").roles("operator"))
                .with(csrf())).andExpect(redirectedUrl("/console/outbox"));
    }

    @Test
    void refusesAnAnalystTheRedrive() throws Exception {
        mvc.perform(post("/console/outbox/" + UUID.randomUUID() + "/redrive").with(user("analyst").roles("analyst"))
                .with(csrf())).andExpect(status().isForbidden()).andExpect(forwardedUrl("/console/denied"));
    }

    @Test
    void sendsASignedOutBrowserToTheSignInForm() throws Exception {
        mvc.perform(get("/console/decisions")).andExpect(status().isFound())
                .andExpect(redirectedUrl("http://localhost/"));
    }

    @Test
    void allowsThePagesNothingButTheirOwnScriptsAndStyles() throws Exception {
        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", Matchers.startsWith("default-src 'self';")))
                .andExpect(header().string("X-Frame-Options", "DENY"));
    }

    @Test
    void keepsTheApiStatelessAndDeafToTheConsolesSession() throws Exception {
        mvc.perform(get("/api/v1/ruleset").header("Authorization", TestCredentials.ANALYST))
                .andExpect(status().isOk()).andExpect(header().doesNotExist("Set-Cookie"));
        // The API has no CSRF protection, so a console session must never authenticate it.
        MockHttpSession session = (MockHttpSession) mvc.perform(post("/login")
                        .param("key", TestCredentials.OPERATOR_KEY).with(csrf()))
                .andExpect(authenticated()).andReturn().getRequest().getSession();
        mvc.perform(get("/console").session(session)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/ruleset").session(session)).andExpect(status().isUnauthorized());
    }
}
