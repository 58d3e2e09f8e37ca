package org.scimgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server itself: durable, password-protected, and sure it is the one on its data directory. */
class EmbeddedPostgresServerTest {

    @TempDir
    static Path dir;
    static EmbeddedPostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgresServer.start(dir.resolve("postgres"), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void flushesEveryCommitToDisk() throws Exception {
        try (Connection c = server.connect("postgres")) {
            assertThat(ServerIdentity.show(c, "fsync")).isEqualTo("on");
            assertThat(ServerIdentity.show(c, "full_page_writes")).isEqualTo("on");
            assertThat(ServerIdentity.show(c, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void refusesAConnectionWithoutThePassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "wrong"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("invalid_password").isEqualTo("28P01"));
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl("postgres") + "?user=postgres"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
    }

    @Test
    void keepsTheGeneratedPasswordInAFileOnlyItsOwnerCanRead() throws Exception {
        Path file = EmbeddedPostgresServer.passwordFile(dir.resolve("postgres"));
        assertThat(Files.readString(file).trim()).isEqualTo(server.password()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("postgres").resolve("pg_hba.conf")))
                .doesNotContainPattern("(?m)^[^#]*\\btrust\\b");
    }

    @Test
    void refusesAServerThatServesAnotherDataDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        try (Connection c = server.connect("postgres")) {
            assertThatThrownBy(() -> ServerIdentity.requireDataDirectory(c, elsewhere, server.port()))
                    .isInstanceOf(WrongDatabaseServer.class)
                    .hasMessageContaining("serves the data directory " + dir.resolve("postgres").toRealPath())
                    .hasMessageContaining("not this instance's " + elsewhere.toRealPath());
            ServerIdentity.requireDataDirectory(c, dir.resolve("postgres"), server.port());
        }
    }

    @Test
    void refusesToStartOnAPortAnotherServerHolds() {
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(dir.resolve("second"), server.port()))
                .isInstanceOf(WrongDatabaseServer.class)
                .hasMessageContaining("Port " + server.port() + " on localhost is already in use");
    }
}
