package org.scimgate.siem;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An RFC 5424 message, framed by octet counting (RFC 5425, RFC 6587 section 3.4.1):
 * {@code MSG-LEN SP <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG}, with no trailing newline,
 * so nothing in the message (which the schemas keep on one line anyway) can end it early. The
 * facility is 13, log audit; the severity 4 (warning) for a denied change, else 6 (informational).
 * The timestamp is the event's, to the microsecond, as RFC 5424 allows no more.
 */
final class SyslogMessage {

    static final String APP_NAME = "scimgate";
    private static final int LOG_AUDIT = 13;
    private static final String HOSTNAME = hostname();
    private static final String PROCID = Long.toString(ProcessHandle.current().pid());

    private SyslogMessage() {
    }

    /** The framed bytes of one event, written in {@code text} by its schema. */
    static byte[] frame(SiemEvent event, String text) {
        boolean denied = event instanceof SiemRecord record && !Verdict.of(record).allowed();
        String msgId = event instanceof SiemRecord ? "decision" : "audit-chain-head";
        Instant time = event.eventTime() == null ? Instant.now() : Instant.parse(event.eventTime());
        String message = "<" + (LOG_AUDIT * 8 + (denied ? 4 : 6)) + ">1 " + time.truncatedTo(ChronoUnit.MICROS) + " "
                + HOSTNAME + " " + APP_NAME + " " + PROCID + " " + msgId + " - " + text;
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] length = (body.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + body.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(body, 0, frame, length.length, body.length);
        return frame;
    }

    /** RFC 5424's HOSTNAME: printable US-ASCII, at most 255 characters, or the nil value. */
    private static String hostname() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
        StringBuilder printable = new StringBuilder();
        name.chars().filter(c -> c >= 33 && c <= 126).limit(255).forEach(c -> printable.append((char) c));
        return printable.isEmpty() ? "-" : printable.toString();
    }
}
