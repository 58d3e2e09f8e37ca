package org.scimgate.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    SiemSinks siemSinks(SiemSettings settings, SiemSinksSettings named, ObjectMapper json,
                        CircuitBreakerRegistry circuitBreakers, MeterRegistry meters) {
        List<SiemSinks.Named> sinks = new ArrayList<>();
        for (ConfiguredSinks.Definition definition : ConfiguredSinks.of(settings, named)) {
            SiemSettings own = definition.settings();
            // Each sink's own breaker, configured as resilience4j.circuitbreaker.instances.siem: one sink's
            // failures never open another's.
            CircuitBreaker breaker = ConfiguredSinks.DEFAULT.equals(definition.name()) ? circuitBreakers.circuitBreaker("siem")
                    : circuitBreakers.circuitBreaker("siem-" + definition.name(),
                            circuitBreakers.circuitBreaker("siem").getCircuitBreakerConfig());
            SiemSink sink = sink(own, json, breaker, meters);
            LOG.info("SIEM export: sink {} is {} ({} schema) to {}", definition.name(), sink.name(), own.schema().label(),
                    own.format() == SiemSettings.Format.FILE ? own.file().toAbsolutePath().normalize() : own.endpoint());
            sinks.add(new SiemSinks.Named(definition.name(), sink, own));
        }
        return new SiemSinks(sinks);
    }

    static SiemSink sink(SiemSettings settings, ObjectMapper json, CircuitBreaker breaker, MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        SiemMapping mapping = settings.schema().mapping(json);
        return switch (settings.format()) {
            case FILE -> new FileSink(settings.file(), settings.fileGroup(), json, mapping);
            case JSON -> new JsonSink(http, settings.endpoint(), settings.timeout(), breaker, json, mapping);
            case SPLUNK_HEC -> new SplunkHecSink(http, settings.endpoint(), settings.timeout(), breaker, json,
                    settings.token(), mapping, HecAcknowledgements.Wait.of(settings.hecAckTimeout()), meters);
            case SYSLOG -> new SyslogSink(SyslogConnection.of(settings), mapping, json, SyslogSink.DEFAULT_REPLAY,
                    settings.timeout().toMillis());
            case KAFKA -> new KafkaSink(settings, mapping, json);
        };
    }

    @Bean
    OutboxRelays outboxRelays(Outbox outbox, SiemSinks sinks, Correlator correlator, GenesysSettings genesys,
                              ObjectMapper json, MeterRegistry meters) {
        String instance = instanceName();
        List<OutboxRelay> relays = new ArrayList<>();
        for (SiemSinks.Named named : sinks.all()) {
            // One owner per sink: a shutdown releases each sink's claims, and delivered_by names the sink's relay.
            String owner = ConfiguredSinks.DEFAULT.equals(named.name()) ? instance : instance + "/" + named.name();
            relays.add(new OutboxRelay(outbox, named.name(), named.sink(), correlator, named.settings(), genesys, json,
                    Clock.systemUTC(), owner, meters));
        }
        return new OutboxRelays(relays);
    }

    @Bean
    RelaySchedule relaySchedule(OutboxRelays relays, Outbox outbox, SiemSinks sinks, SiemSettings settings,
                                MeterRegistry meters, AuditChain chain, AuditSettings audit) {
        RelaySchedule schedule = new RelaySchedule(relays.all(), outbox, settings, chain, sinks, audit.checkpointInterval());
        for (SiemSinks.Named named : sinks.all()) {
            String sink = named.name();
            Gauge.builder("scimgate.outbox.backlog", schedule, s -> s.sinkStats(sink).pending()).tag("sink", sink)
                    .description("Audit records not yet delivered to a SIEM sink").register(meters);
            Gauge.builder("scimgate.outbox.dead", schedule, s -> s.sinkStats(sink).dead()).tag("sink", sink)
                    .description("Audit records that exhausted their delivery attempts to a SIEM sink").register(meters);
            Gauge.builder("scimgate.outbox.oldest.pending.age", schedule,
                            s -> s.sinkStats(sink).oldestPendingAge().toMillis() / 1000.0).tag("sink", sink)
                    .baseUnit("seconds").description("Age of the oldest audit record not yet delivered to a SIEM sink")
                    .register(meters);
        }
        return schedule;
    }

    /**
     * The relay's health: each sink's state apart, under {@code sinks}. A sink warns from its own
     * figures only: its oldest pending record older than {@code scimgate.siem.stale-after}, or its
     * SIEM refusing the relay's set-up. The component takes the worst of its sinks. A sink no longer
     * configured is listed under {@code unconfiguredSinks} with what it still holds, and warns nothing.
     */
    @Bean
    HealthIndicator relayHealthIndicator(RelaySchedule schedule, SiemSettings settings, SiemSinks sinks) {
        return () -> {
            Outbox.OutboxStats stats = schedule.stats();
            Map<String, Object> bySink = new LinkedHashMap<>();
            boolean anyStale = false;
            Optional<SetupRefusal.Refused> anyRefused = Optional.empty();
            Map<String, OutboxRelay> relays = new LinkedHashMap<>();
            schedule.relays().forEach(r -> relays.put(r.sink(), r));
            for (SiemSinks.Named named : sinks.all()) {
                Outbox.SinkStats own = schedule.sinkStats(named.name());
                Optional<SetupRefusal.Refused> refused = relays.get(named.name()).setupRefused();
                boolean stale = own.oldestPendingAge().compareTo(settings.staleAfter()) > 0;
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("status", (refused.isPresent() ? SETUP_REFUSED : stale ? WARNING : Status.UP).getCode());
                detail.put("format", named.sink().name());
                detail.put("destination", named.sink().destination());
                // false once the relays were configured without this sink (siem_sink.active): it gets no new records
                detail.put("receivesNewRecords", own.active());
                detail.put("pending", own.pending());
                detail.put("dead", own.dead());
                detail.put("oldestPendingSeconds", own.oldestPendingAge().toSeconds());
                if (own.lastError() != null) {
                    detail.put("lastError", own.lastError());
                }
                refused.ifPresent(r -> {
                    detail.put("siemRefusesSetup", r.answer());
                    detail.put("siemRefusesSetupSince", r.since().toString());
                });
                bySink.put(named.name(), detail);
                anyStale |= stale;
                anyRefused = anyRefused.or(() -> refused);
            }
            Map<String, Object> unconfigured = new LinkedHashMap<>();
            schedule.sinkStats().values().stream()
                    .filter(s -> !bySink.containsKey(s.sink()) && (s.pending() > 0 || s.dead() > 0))
                    .forEach(s -> unconfigured.put(s.sink(), Map.of("pending", s.pending(), "dead", s.dead())));
            Health.Builder health = Health.status(anyRefused.isPresent() ? SETUP_REFUSED : anyStale ? WARNING : Status.UP);
            anyRefused.ifPresent(r -> health.withDetail("siemRefusesSetup", r.answer())
                    .withDetail("siemRefusesSetupSince", r.since().toString()));
            if (sinks.all().size() == 1) {
                health.withDetail("destination", sinks.all().get(0).sink().destination());
            }
            health.withDetail("sink", sinks.all().size() == 1 ? sinks.all().get(0).sink().name() : String.join(",", sinks.names()))
                    .withDetail("running", settings.relayEnabled())
                    .withDetail("pending", stats.pending())
                    .withDetail("dead", stats.dead())
                    .withDetail("oldestPendingSeconds", stats.oldestPendingAge().toSeconds())
                    .withDetail("sinks", bySink);
            if (!unconfigured.isEmpty()) {
                health.withDetail("unconfiguredSinks", unconfigured);
            }
            return health.build();
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
