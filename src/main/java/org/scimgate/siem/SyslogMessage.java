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
 * facility is 13, log audit; the severity 4 (warning) for a denied change or a failed remediation,
 * else 6 (informational). MSGID says what the record is: {@code decision}, {@code remediation},
 * {@code policy-change}, {@code audit-chain-head}, or a notice's type.
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
        boolean denied = event instanceof SiemRecord record && !Verdict.of(record).allowed()
                || RemediationOutcome.is(event) && RemediationOutcome.of((SiemNotice) event).failed();
        String msgId = msgId(event);
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

    private static String msgId(SiemEvent event) {
        if (event instanceof SiemRecord) {
            return "decision";
        }
        if (event instanceof PolicyChange change) {
            return change.type();
        }
        if (event instanceof SiemNotice notice) {
            return printable(notice.type(), 32);
        }
        return event instanceof ChainCheckpoint checkpoint ? checkpoint.type() : "-";
    }

    /** RFC 5424's HOSTNAME: printable US-ASCII, at most 255 characters, or the nil value. */
    private static String hostname() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
        return printable(name, 255);
    }

    /** Printable US-ASCII only, at most {@code max} characters, or the nil value: what HOSTNAME and MSGID allow. */
    private static String printable(String value, int max) {
        StringBuilder printable = new StringBuilder();
        value.chars().filter(c -> c >= 33 && c <= 126).limit(max).forEach(c -> printable.append((char) c));
        return printable.isEmpty() ? "-" : printable.toString();
    }
}
