package dev.conversa.session.sessions;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionStatus;
import reactor.core.publisher.Mono;

/**
 * {@code conversa.sessions{status}}: the sessions of every tenant per status, one gauge per status (zeros included),
 * counted in PostgreSQL every {@code conversa.session.status-gauges-interval} (30 s) by every instance (they agree:
 * the table is shared).
 */
@Component
class SessionStatusGauges {

    private static final Logger log = LoggerFactory.getLogger(SessionStatusGauges.class);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(10);

    private final SessionRepository sessions;
    private final Map<SessionStatus, AtomicLong> counts = new EnumMap<>(SessionStatus.class);

    SessionStatusGauges(SessionRepository sessions, MeterRegistry registry) {
        this.sessions = sessions;
        for (SessionStatus status : SessionStatus.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(status, count);
            Gauge.builder("conversa.sessions", count, AtomicLong::get)
                    .tag("status", status.value())
                    .description("Sessions of every tenant per status")
                    .register(registry);
        }
    }

    @Scheduled(initialDelayString = "${conversa.session.status-gauges-interval:30s}",
            fixedDelayString = "${conversa.session.status-gauges-interval:30s}")
    Mono<Void> refresh() {
        return sessions.countByStatus()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .timeout(QUERY_TIMEOUT)
                .doOnNext(this::update)
                .onErrorResume(error -> {
                    log.warn("Counting sessions per status failed: {}", error.toString());
                    return Mono.empty();
                })
                .then();
    }

    private void update(Map<SessionStatus, Long> byStatus) {
        counts.forEach((status, count) -> count.set(byStatus.getOrDefault(status, 0L)));
    }
}
