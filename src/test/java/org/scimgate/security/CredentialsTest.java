package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class CredentialsTest {

    private static final String OPERATOR = "operator-key-5e8d21b7c4";

    @TempDir
    Path dir;

    private SecuritySettings settings(String token, String hmac, String analyst, String operator) {
        return new SecuritySettings(token, hmac, Duration.ofMinutes(5), analyst, operator, dir.resolve("credentials"), "roles", null);
    }

    private static FailureAnalysis analysis(Throwable failure) {
        return new WeakSecretFailureAnalyzer().analyze(new IllegalStateException("context failed", failure));
    }

    @Test
    void generatesTheTokenOnceInAFileOnlyItsOwnerCanReadAndLeavesNoTemporaryFile() throws Exception {
        Credentials first = new Credentials(settings(null, null, null, OPERATOR));
        Path file = dir.resolve("credentials/webhook-token");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(file.getParent())).doesNotContain(
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("webhook-token");
        }
        assertThat(first.webhookToken()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(new Credentials(settings(null, null, null, OPERATOR)).webhookToken()).isEqualTo(first.webhookToken());
        assertThat(new Credentials(settings("chosen-webhook-token-7a1c", null, null, OPERATOR)).webhookToken())
                .isEqualTo("chosen-webhook-token-7a1c");
    }

    @Test
    void refusesAnEmptyCredentialsFileAndSaysHowToFixIt() throws Exception {
        Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(dir.resolve("credentials/webhook-token"), "");
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> new Credentials(settings(null, null, null, OPERATOR)));
        assertThat(failure).isInstanceOf(WeakSecret.class);
        FailureAnalysis analysis = analysis(failure);
        assertThat(analysis.getDescription()).isEqualTo("The webhook-token kept in "
                + dir.resolve("credentials/webhook-token") + " is empty.");
        assertThat(analysis.getAction()).contains("Delete " + dir.resolve("credentials/webhook-token"))
                .contains("set SCIMGATE_WEBHOOK_TOKEN");
    }

    @Test
    void refusesShortConfiguredSecrets() {
        assertThatThrownBy(() -> new Credentials(settings("short-token", null, null, OPERATOR)))
                .isInstanceOf(WeakSecret.class)
                .hasMessage("SCIMGATE_WEBHOOK_TOKEN is 11 characters long; a secret needs at least 16");
        assertThatThrownBy(() -> new Credentials(settings("a-long-enough-token", "hmac", null, OPERATOR)))
                .hasMessageStartingWith("SCIMGATE_WEBHOOK_HMAC_SECRET is 4 characters long");
        assertThatThrownBy(() -> new Credentials(settings("a-long-enough-token", null, "analyst", OPERATOR)))
                .hasMessageStartingWith("SCIMGATE_ANALYST_KEY is 7 characters long");
        assertThat(analysis(catchWeak(() -> new Credentials(settings(null, null, null, "1234567890")))).getAction())
                .contains("at least 16 characters").contains("openssl rand -base64 32");
    }

    @Test
    void refusesThePlaceholdersOfTheExampleEnvironmentFile() throws Exception {
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (line.startsWith("SCIMGATE_") && line.contains("=")) {
                String value = line.substring(line.indexOf('=') + 1);
                assertThat(SecretStrength.weakness(value)).as(line).contains("is a placeholder, not a secret");
            }
        }
        assertThatThrownBy(() -> new Credentials(settings(null, null, null, "change-me-operator-key")))
                .isInstanceOf(WeakSecret.class).hasMessage("SCIMGATE_OPERATOR_KEY is a placeholder, not a secret");
        assertThat(SecretStrength.weakness("changemechangemechangeme")).isPresent();
        assertThat(SecretStrength.weakness("aaaaaaaaaaaaaaaaaaaa")).contains("repeats a single character");
        assertThat(SecretStrength.weakness("zV3q-8fLk2_Rw9sTm1")).isEmpty();
    }

    @Test
    void refusesAPlaceholderLeftInAnotherSystemsSecretAndAWeakScimToken() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.password", "change-me-app");
        assertThat(catchWeak(() -> ConfiguredSecrets.check(environment)))
                .hasMessage("SPRING_DATASOURCE_PASSWORD is a placeholder, not a secret");
        MockEnvironment scim = new MockEnvironment().withProperty("scimgate.gateway.scim-token", "okta");
        assertThat(catchWeak(() -> ConfiguredSecrets.check(scim))).hasMessageStartingWith("SCIMGATE_SCIM_TOKEN is 4 characters");
        ConfiguredSecrets.check(new MockEnvironment().withProperty("spring.datasource.password", "app")
                .withProperty("scimgate.genesys.client-secret", "x7Gq2"));
    }

    @Test
    void refusesOneSecretForTwoRoles() {
        assertThatThrownBy(() -> new Credentials(settings(OPERATOR, null, null, OPERATOR)))
                .hasMessage("SCIMGATE_OPERATOR_KEY is the same as the webhook token or the analyst key");
    }

    private static Throwable catchWeak(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(failure).isInstanceOf(WeakSecret.class);
        return failure;
    }

    @Test
    void withoutAWebServerNoCallerIsEverAuthenticated() {
        WebhookAuthenticator none = new WebhookAuthenticator(Credentials.none(), Duration.ofMinutes(5), java.time.Clock.systemUTC());
        assertThat(none.refusal("Bearer anything-at-all-16chars", null, null, new byte[0])).isEqualTo("invalid credentials");
        assertThat(Credentials.none().operatorKey()).isNull();
    }
}
