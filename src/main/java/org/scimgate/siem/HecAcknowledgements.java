package org.scimgate.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Splunk HEC indexer acknowledgement, on one channel. When the token has acknowledgement on, HEC
 * answers a batch with {@code {"text":"Success","code":0,"ackId":N}}, which only means "looks
 * valid"; the batch is indexed once {@code POST /services/collector/ack?channel=<channel>} with
 * {@code {"acks":[N]}} answers {@code {"acks":{"N":true}}}. HEC forgets an ackId once it said true,
 * and says false both for "not yet" and for "lost", so only a true within the wait counts.
 * <p>
 * {@link #confirm} asks after a pause that doubles from {@link Wait#firstPoll} up to
 * {@link Wait#maxPoll}, until HEC says true or {@link Wait#timeout} has passed (the last question
 * included). A failed question (5xx, 429, a dropped connection, an unreadable answer) is asked
 * again within the wait; a refusal of the relay's set-up (401, 403, 404, 400 code 10 or 11: the
 * channel, code 14: acknowledgement disabled) ends the wait at once. Either way the batch is not
 * delivered and is sent again: at least once, a duplicate carrying the same decision id.
 */
final class HecAcknowledgements {

    static final String PATH = "/services/collector/ack";
    static final String CHANNEL_HEADER = "X-Splunk-Request-Channel";
    static final String METER = "scimgate.siem.hec.acknowledgements";

    /** How long to wait for an acknowledgement, and how often to ask. */
    record Wait(Duration timeout, Duration firstPoll, Duration maxPoll) {

        Wait {
            if (timeout.isNegative() || timeout.isZero() || firstPoll.isNegative() || firstPoll.isZero()
                    || maxPoll.compareTo(firstPoll) < 0) {
                throw new IllegalArgumentException("an acknowledgement wait needs a positive timeout and "
                        + "0 < firstPoll <= maxPoll, not " + timeout + ", " + firstPoll + ", " + maxPoll);
            }
        }

        /** Asks after half a second, then after pauses doubling up to five seconds. */
        static Wait of(Duration timeout) {
            return new Wait(timeout, Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }

    private static final Duration LAST_LOOK = Duration.ofSeconds(1);

    private final HttpClient http;
    private final URI ack;
    private final String token;
    private final UUID channel;
    private final Duration requestTimeout;
    private final Wait wait;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    HecAcknowledgements(HttpClient http, URI base, String token, UUID channel, Duration requestTimeout, Wait wait,
                        ObjectMapper json, MeterRegistry meters) {
        this.http = http;
        this.ack = URI.create(base.toString().replaceAll("/+$", "") + PATH + "?channel=" + channel);
        this.token = token;
        this.channel = channel;
        this.requestTimeout = requestTimeout;
        this.wait = wait;
        this.json = json;
        this.meters = meters;
    }

    /** Returns once HEC says {@code ackId} is indexed; throws when it does not say so within the wait. */
    void confirm(long ackId) throws SiemDeliveryFailed {
        long deadline = System.nanoTime() + wait.timeout().toNanos();
        long lastLook = Math.min(Math.min(LAST_LOOK.toNanos(), requestTimeout.toNanos()), wait.timeout().toNanos() / 2);
        long pause = wait.firstPoll().toNanos();
        String last = "HEC said false";
        while (true) {
            long untilLastLook = deadline - System.nanoTime() - lastLook;
            boolean lastQuestion = untilLastLook <= pause;
            if (untilLastLook > 0) {
                sleep(Math.min(pause, untilLastLook), ackId);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                if (asked(ackId, Duration.ofNanos(Math.min(left, requestTimeout.toNanos())))) {
                    meters.counter(METER, "outcome", "confirmed").increment();
                    return;
                }
                last = "HEC said false";
            } catch (IOException e) {
                last = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SiemDeliveryFailed("interrupted while waiting for Splunk HEC to acknowledge ackId " + ackId, e);
            }
            if (lastQuestion) {
                break;
            }
            pause = Math.min(pause * 2, wait.maxPoll().toNanos());
        }
        meters.counter(METER, "outcome", "timed_out").increment();
        throw new SiemDeliveryFailed("Splunk HEC did not acknowledge ackId " + ackId + " on channel " + channel + " within "
                + wait.timeout().toMillis() + " ms (last: " + last + "); the batch will be sent again");
    }

    /** Whether HEC says the ackId is indexed; IOException for an answer to ask again, SiemDeliveryFailed for a refusal. */
    private boolean asked(long ackId, Duration deadline) throws IOException, InterruptedException, SiemDeliveryFailed {
        HttpRequest request = HttpRequest.newBuilder(ack).timeout(deadline)
                .header("Authorization", "Splunk " + token)
                .header(CHANNEL_HEADER, channel.toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"acks\":[" + ackId + "]}")).build();
        HttpResponse<String> response = HttpSink.exchange(http, request, deadline);
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new IOException(HttpSink.answer(response));
        }
        if (status / 100 != 2) {
            meters.counter(METER, "outcome", "refused").increment();
            throw new SiemDeliveryFailed(SiemDeliveryFailed.Kind.SETUP_REFUSED, "Splunk HEC refused the acknowledgement "
                    + "query for ackId " + ackId + " on channel " + channel + ": " + HttpSink.answer(response), null);
        }
        JsonNode said;
        try {
            said = json.readTree(response.body()).path("acks").path(Long.toString(ackId));
        } catch (IOException | RuntimeException unreadable) {
            throw new IOException("an unreadable acknowledgement answer: " + HttpSink.answer(response));
        }
        return said.isBoolean() && said.booleanValue();
    }

    private static void sleep(long nanos, long ackId) throws SiemDeliveryFailed {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiemDeliveryFailed("interrupted while waiting for Splunk HEC to acknowledge ackId " + ackId, e);
        }
    }
}
