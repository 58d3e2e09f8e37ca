package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.scimgate.support.TestService;
import org.scimgate.support.TestCredentials;
import org.scimgate.support.TestPostgres;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The service does not start on a secret that is no secret, and its start-up report says which and how to fix it. */
@ExtendWith(OutputCaptureExtension.class)
class WeakSecretStartupTest {

    @TempDir
    Path data;

    private void start(String... settings) {
        TestPostgres.Database database = TestPostgres.newDatabase();
        String[] args = new String[settings.length + 2];
        args[0] = "--scimgate.security.credentials-dir=" + data.resolve("credentials");
        args[1] = "--scimgate.siem.relay-enabled=false";
        System.arraycopy(settings, 0, args, 2, settings.length);
        // Not the test profile: what is tested is the credentials the service finds on its own.
        TestService.startAsConfigured(database, args).close();
    }

    @Test
    void refusesToStartWithAnEmptyCredentialsFileOrAPlaceholderToken(CapturedOutput output) throws Exception {
        Files.createDirectories(data.resolve("credentials"));
        Path empty = Files.writeString(data.resolve("credentials/webhook-token"), "");
        assertThatThrownBy(() -> start("--scimgate.security.operator-key=" + TestCredentials.OPERATOR_KEY))
                .hasRootCauseInstanceOf(WeakSecret.class);
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("The webhook-token kept in " + empty + " is empty.")
                .contains("Delete " + empty + " to have a new one generated on the next start, or set SCIMGATE_WEBHOOK_TOKEN.");

        assertThatThrownBy(() -> start("--scimgate.security.webhook-token=change-me-webhook-token",
                "--scimgate.security.operator-key=" + TestCredentials.OPERATOR_KEY))
                .hasRootCauseInstanceOf(WeakSecret.class);
        assertThat(output.getOut()).contains("SCIMGATE_WEBHOOK_TOKEN is a placeholder, not a secret.");
    }
}
