package org.scimgate.siem;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog (Debian's {@code rsyslog} and {@code rsyslog-gnutls}, installed by {@code .ci/run})
 * receiving syslog over TLS on a loopback port: {@code imtcp} with the {@code gtls} driver, requiring
 * a client certificate signed by the test's CA ({@code x509/certvalid}), writing what it receives
 * from scimgate to a file, one line a message: {@code PRI|APP-NAME|MSGID|MSG}. Started as a child
 * process of the test, stopped and started again on the same port by tests that need an outage.
 */
final class Rsyslog implements AutoCloseable {

    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    final Path dir;
    final int port;
    final Path received;
    private Process process;

    Rsyslog(Path dir) throws Exception {
        if (!Files.isExecutable(RSYSLOGD)) {
            throw new IllegalStateException("rsyslogd is missing: apt-get install rsyslog rsyslog-gnutls (.ci/run does)");
        }
        this.dir = dir;
        this.received = dir.resolve("received.log");
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = free.getLocalPort();
        }
        TestCertificates certificates = new TestCertificates("scimgate test CA");
        certificates.writeCa(dir.resolve("ca.pem"));
        certificates.writeLeaf("rsyslog", dir.resolve("server.pem"), dir.resolve("server.key"));
        certificates.writeLeaf("scimgate relay", dir.resolve("client.pem"), dir.resolve("client.key"));
        Files.writeString(dir.resolve("rsyslog.conf"), """
                global(workDirectory="%1$s" maxMessageSize="64k"
                       DefaultNetstreamDriverCAFile="%1$s/ca.pem"
                       DefaultNetstreamDriverCertFile="%1$s/server.pem"
                       DefaultNetstreamDriverKeyFile="%1$s/server.key")
                module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="x509/certvalid")
                input(type="imtcp" port="%2$d" address="127.0.0.1")
                template(name="fields" type="string" string="%%pri%%|%%app-name%%|%%msgid%%|%%msg%%\\n")
                if $app-name == "scimgate" then {
                    action(type="omfile" file="%1$s/received.log" template="fields")
                } else {
                    action(type="omfile" file="%1$s/rsyslog-own.log")
                }
                """.formatted(dir, port));
        start();
    }

    void start() throws IOException {
        process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(),
                "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(this::listening);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("rsyslogd did not listen on " + port + ": " + output(), e);
        }
    }

    /** Stops it as an operator or a package upgrade would (SIGTERM), and waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Freezes it (SIGSTOP): the kernel still accepts what is sent, up to the socket buffers, but
     * rsyslog reads and writes nothing: a receiver that hangs, or the moment before a crash.
     */
    void freeze() throws Exception {
        signal("STOP");
    }

    /** Kills it (SIGKILL), as a crash would: what it had not read or written yet is gone. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** What rsyslog wrote so far, one received message a line. */
    List<String> lines() throws IOException {
        return Files.exists(received) ? Files.readAllLines(received, StandardCharsets.UTF_8) : List.of();
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new IllegalStateException("rsyslogd exited: " + output());
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String output() {
        try {
            return Files.readString(dir.resolve("rsyslogd.out"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
