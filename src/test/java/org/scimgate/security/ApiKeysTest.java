package org.scimgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named API keys: each key acts as its person; the file is refused when others may read it, and re-read when it changes. */
class ApiKeysTest {

    private static final String ALICE = "alice-key-0123456789abcdef";
    private static final String BOB = "bob-key-0123456789abcdef";
    private static final String OPERATOR = "operator-key-0123456789abcdef";

    @TempDir
    Path dir;

    private Path keysFile(String content) throws IOException {
        Path file = dir.resolve("api-keys");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Credentials credentials(Path keys) {
        return new Credentials(new SecuritySettings(null, null, Duration.ofMinutes(5), null, OPERATOR,
                dir.resolve("credentials"), "roles", keys));
    }

    @Test
    void eachKeyActsAsItsNamedPersonAndTheSingleKeysAsTheirRoles() throws IOException {
        Credentials credentials = credentials(keysFile("""
                # people
                alice analyst %s
                bob   operator %s
                """.formatted(ALICE, BOB)));
        assertThat(SecurityConfiguration.personOf(credentials, ALICE)).extracting("name", "role")
                .containsExactly("alice", "analyst");
        assertThat(SecurityConfiguration.personOf(credentials, BOB)).extracting("name", "role")
                .containsExactly("bob", "operator");
        assertThat(SecurityConfiguration.personOf(credentials, OPERATOR)).extracting("name", "role")
                .containsExactly("operator", "operator");
        assertThatThrownBy(() -> SecurityConfiguration.personOf(credentials, ALICE + "x"))
                .hasMessageContaining("unknown API key");
    }

    @Test
    void refusesAtStartAFileOtherLocalUsersMayRead() throws IOException {
        Path file = keysFile("alice analyst " + ALICE + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> credentials(file)).isInstanceOf(WeakSecret.class)
                .hasMessageContaining("readable by other local users").extracting(e -> ((WeakSecret) e).fix())
                .asString().contains("chmod 600");
    }

    @Test
    void refusesUnknownRolesWeakKeysRepeatedNamesAndSharedKeys() throws IOException {
        assertThatThrownBy(() -> credentials(keysFile("alice admin " + ALICE))).hasMessageContaining("line 1")
                .hasMessageContaining("role 'admin'");
        assertThatThrownBy(() -> credentials(keysFile("alice analyst short"))).hasMessageContaining("a key that");
        assertThatThrownBy(() -> credentials(keysFile("alice analyst " + ALICE + "\nalice operator " + BOB)))
                .hasMessageContaining("line 2").hasMessageContaining("second time");
        assertThatThrownBy(() -> credentials(keysFile("alice analyst " + ALICE + "\nbob operator " + ALICE)))
                .hasMessageContaining("another person's key");
        assertThatThrownBy(() -> credentials(keysFile("alice analyst " + OPERATOR)))
                .hasMessageContaining("same as the webhook token or a single role key");
        assertThatThrownBy(() -> credentials(keysFile("alice analyst")))
                .hasMessageContaining("is not 'name role key'");
    }

    @Test
    void readsTheFileAgainWhenItChangesAndDropsItsKeysOnceOthersMayReadIt() throws IOException {
        Path file = keysFile("alice analyst " + ALICE + "\n");
        Credentials credentials = credentials(file);
        assertThat(SecurityConfiguration.personOf(credentials, ALICE).name()).isEqualTo("alice");

        Files.writeString(file, "bob analyst " + BOB + "\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        assertThat(SecurityConfiguration.personOf(credentials, BOB).name()).isEqualTo("bob");
        assertThatThrownBy(() -> SecurityConfiguration.personOf(credentials, ALICE)).hasMessageContaining("unknown");

        Files.writeString(file, "bob analyst " + BOB + "\nbroken line\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 4000));
        assertThat(SecurityConfiguration.personOf(credentials, BOB).name()).as("a broken edit keeps the keys read before")
                .isEqualTo("bob");

        Files.writeString(file, "bob analyst " + BOB + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 6000));
        assertThatThrownBy(() -> SecurityConfiguration.personOf(credentials, BOB))
                .as("a file others may read is refused: its keys are no longer secret").hasMessageContaining("unknown");
    }
}
