package dev.conversa.session.health;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.session.runtime.LiveSession;
import dev.conversa.session.runtime.SessionRuntime;
import dev.conversa.session.runtime.SessionSignals;
import dev.conversa.session.sessions.SessionLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pings every open session of this instance every {@code interval}: the round trip is recorded on the session
 * ({@code last_health_check_at}), published as {@code conversa.session.health.v1} and measured
 * ({@code conversa.session.ping} timer, {@code conversa.session.ping.failures} counter, by transport). A failed
 * ping counts towards the zombie threshold of the runtime, which restarts a session that keeps not answering.
 * Each instance checks only its own sessions, so the work spreads with the partitions.
 */
@Component
@EnableConfigurationProperties(HealthCheckProperties.class)
public class SessionHealthChecks implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionHealthChecks.class);

    private final SessionRuntime runtime;
    private final SessionLifecycle lifecycle;
    private final SessionSignals signals;
    private final HealthCheckProperties properties;
    private final MeterRegistry meters;
    private final PeriodicRound rounds;

    SessionHealthChecks(SessionRuntime runtime, SessionLifecycle lifecycle, SessionSignals signals,
            HealthCheckProperties properties, MeterRegistry meters) {
        this.runtime = runtime;
        this.lifecycle = lifecycle;
        this.signals = signals;
        this.properties = properties;
        this.meters = meters;
        this.rounds = new PeriodicRound(SessionHealthChecks.class, "Health check round", properties.interval(),
                () -> checkAll().doOnNext(healthy -> log.debug("Health check: {} healthy session(s)", healthy)));
        Gauge.builder("conversa.session.live", runtime, live -> live.liveSessions().size())
                .description("sessions served by this instance")
                .register(meters);
    }

    /** One round over every open session; answers how many were healthy. */
    public Mono<Long> checkAll() {
        return Flux.fromIterable(runtime.liveSessions())
                .filter(session -> session.connection().isOpen())
                .flatMap(this::check, properties.concurrency())
                .filter(Boolean::booleanValue)
                .count();
    }

    private Mono<Boolean> check(LiveSession session) {
        Instant checkedAt = Instant.now();
        String transport = session.transport().value();
        return session.connection().ping()
                .flatMap(latency -> {
                    Timer.builder("conversa.session.ping").tag("transport", transport).register(meters)
                            .record(latency);
                    runtime.pingAnswered(session.sessionId());
                    return record(session, true, latency.toMillis(), checkedAt).thenReturn(true);
                })
                .onErrorResume(error -> {
                    Counter.builder("conversa.session.ping.failures").tag("transport", transport).register(meters)
                            .increment();
                    log.warn("Health ping of session {} failed: {}", session.sessionId(), error.toString());
                    return record(session, false, null, checkedAt)
                            .then(runtime.pingFailed(session.sessionId(), error))
                            .thenReturn(false);
                });
    }

    private Mono<Void> record(LiveSession session, boolean healthy, Long latencyMillis, Instant checkedAt) {
        return lifecycle.recordHealthCheck(session.sessionId(), checkedAt)
                .then(signals.health(session.tenantId(), session.sessionId(),
                        SessionStatus.CONNECTED, healthy, latencyMillis,
                        checkedAt))
                .onErrorResume(error -> {
                    log.warn("Health of session {} not recorded: {}", session.sessionId(), error.toString());
                    return Mono.empty();
                });
    }

    @Override
    public void start() {
        rounds.start();
    }

    @Override
    public void stop() {
        rounds.stop();
    }

    @Override
    public boolean isRunning() {
        return rounds.isRunning();
    }
}
