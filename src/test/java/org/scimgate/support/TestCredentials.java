package org.scimgate.support;

import org.springframework.test.context.DynamicPropertyRegistry;

/** The credentials test services run with, and the headers that present them. */
public final class TestCredentials {

    public static final String WEBHOOK_TOKEN = "test-webhook-token";
    public static final String ANALYST_KEY = "test-analyst-key";
    public static final String OPERATOR_KEY = "test-operator-key";

    public static final String WEBHOOK = "Bearer " + WEBHOOK_TOKEN;
    public static final String ANALYST = "Bearer " + ANALYST_KEY;
    public static final String OPERATOR = "Bearer " + OPERATOR_KEY;

    private TestCredentials() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("scimgate.security.webhook-token", () -> WEBHOOK_TOKEN);
        registry.add("scimgate.security.analyst-key", () -> ANALYST_KEY);
        registry.add("scimgate.security.operator-key", () -> OPERATOR_KEY);
    }
}
