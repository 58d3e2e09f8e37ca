package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.UUID;
import org.scimgate.audit.AuditChain;
import org.scimgate.audit.AuditSettings;
import org.scimgate.genesys.Correlator;
import org.scimgate.genesys.GenesysSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SiemConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SiemConfiguration.class);
    static final Status WARNING = new Status("WARNING", "the oldest undelivered audit record is older than scimgate.siem.stale-after");
    static final Status SETUP_REFUSED = new Status("WARNING", "the SIEM refuses the relay's token, endpoint or format");

    @Bean
    SiemSink siemSink(SiemSettings settings, ObjectMapper json, CircuitBreakerRegistry circuitBreakers,
                      MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        SiemMapping mapping = settings.schema().mapping(json);
        SiemSink sink = switch (settings.format()) {
            case FILE -> new FileSink(settings.file(), settings.fileGroup(), json, mapping);
            case JSON -> new JsonSink(http, settings.endpoint(), settings.timeout(), circuitBreakers.circuitBreaker("siem"),
                    json, mapping);
            case SPLUNK_HEC -> new SplunkHecSink(http, settings.endpoint(), settings.timeout(),
                    circuitBreakers.circuitBreaker("siem"), json, settings.token(), mapping,
                    HecAcknowledgements.Wait.of(settings.hecAckTimeout()), meters);
            case SYSLOG -> new SyslogSink(SyslogConnection.of(settings), mapping, json, SyslogSink.DEFAULT_REPLAY,
                    settings.timeout().toMillis());
            case KAFKA -> new KafkaSink(settings, mapping, json);
        };
        LOG.info("SIEM export: {} ({} schema) to {}", sink.name(), settings.schema().label(),
                settings.format() == SiemSettings.Format.FILE ? settings.file().toAbsolutePath().normalize() : settings.endpoint());
        return sink;
    }

    @Bean
    OutboxRelay outboxRelay(Outbox outbox, SiemSink sink, Correlator correlator, SiemSettings settings,
                            GenesysSettings genesys, ObjectMapper json, MeterRegistry meters) {
        return new OutboxRelay(outbox, sink, correlator, settings, genesys, json, Clock.systemUTC(), instanceName(), meters);
    }

    @Bean
    RelaySchedule relaySchedule(OutboxRelay relay, Outbox outbox, SiemSettings settings, MeterRegistry meters,
                                AuditChain chain, SiemSink sink, AuditSettings audit) {
        RelaySchedule schedule = new RelaySchedule(relay, outbox, settings, chain, sink, audit.checkpointInterval());
        Gauge.builder("scimgate.outbox.backlog", schedule, s -> s.stats().pending())
                .description("Audit records not yet delivered to the SIEM").register(meters);
        Gauge.builder("scimgate.outbox.dead", schedule, s -> s.stats().dead())
                .description("Audit records that exhausted their delivery attempts").register(meters);
        Gauge.builder("scimgate.outbox.oldest.pending.age", schedule, s -> s.stats().oldestPendingAge().toMillis() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest undelivered audit record").register(meters);
        return schedule;
    }

    @Bean
    HealthIndicator relayHealthIndicator(RelaySchedule schedule, SiemSettings settings, SiemSink sink, OutboxRelay relay) {
        return () -> {
            Outbox.OutboxStats stats = schedule.stats();
            boolean stale = stats.oldestPendingAge().compareTo(settings.staleAfter()) > 0;
            var refused = relay.setupRefused();
            Health.Builder health = Health.status(refused.isPresent() ? SETUP_REFUSED : stale ? WARNING : Status.UP);
            refused.ifPresent(r -> health.withDetail("siemRefusesSetup", r.answer())
                    .withDetail("siemRefusesSetupSince", r.since().toString()));
            return health
                    .withDetail("sink", sink.name())
                    .withDetail("destination", sink.destination())
                    .withDetail("running", settings.relayEnabled())
                    .withDetail("pending", stats.pending())
                    .withDetail("dead", stats.dead())
                    .withDetail("oldestPendingSeconds", stats.oldestPendingAge().toSeconds())
                    .build();
        };
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
