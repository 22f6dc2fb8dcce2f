package dev.conversa.session.sessions;

import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * The scheduled cleanup ({@code conversa.session.cleanup.cron}, default daily): sessions of every tenant that are
 * not connected and idle for {@code conversa.session.cleanup.inactive-days} become {@code inactive}, and expired
 * idempotency keys are forgotten.
 *
 * <p>Every instance schedules it; only one runs it at a time. The run holds a PostgreSQL transaction-level advisory
 * lock ({@code pg_try_advisory_xact_lock}) on a connection of its own for as long as it works; an instance that does
 * not get the lock skips the round. The work itself commits session by session through the lifecycle (each change
 * durable before its event), and the lock goes when the lock transaction ends, even if the instance dies. All of it
 * is R2DBC: the trigger only subscribes, no thread waits.
 */
@Component
class InactiveSessionCleanup implements SchedulingConfigurer {

    /** The advisory lock's key: any constant unique within the database; {@code 'sess' 'clea'} in ASCII. */
    static final long LOCK_KEY = 0x7365_7373_636c_6561L;
    private static final Logger log = LoggerFactory.getLogger(InactiveSessionCleanup.class);

    private final ConnectionFactory connections;
    private final SessionService service;
    private final IdempotencyKeys idempotencyKeys;
    private final CleanupProperties properties;
    private final IdempotencyProperties idempotency;

    InactiveSessionCleanup(ConnectionFactory connections, SessionService service, IdempotencyKeys idempotencyKeys,
            CleanupProperties properties, IdempotencyProperties idempotency) {
        this.connections = connections;
        this.service = service;
        this.idempotencyKeys = idempotencyKeys;
        this.properties = properties;
        this.idempotency = idempotency;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (ScheduledTaskRegistrar.CRON_DISABLED.equals(properties.cron())) {
            log.info("Scheduled cleanup of inactive sessions is off (conversa.session.cleanup.cron=-)");
            return;
        }
        CronExpression.parse(properties.cron());
        registrar.addCronTask(() -> runExclusively().subscribe(
                outcome -> { },
                error -> log.error("Cleanup of inactive sessions failed", error)), properties.cron());
    }

    /**
     * One round if no other instance is running one: how many sessions became inactive, or empty when another
     * instance holds the lock.
     */
    Mono<Optional<Long>> runExclusively() {
        return Mono.usingWhen(Mono.from(connections.create()),
                connection -> Mono.from(connection.beginTransaction())
                        .then(tryLock(connection))
                        .flatMap(locked -> locked ? round().map(Optional::of) : skipped()),
                connection -> Mono.from(connection.commitTransaction()).then(Mono.from(connection.close())),
                (connection, error) -> Mono.from(connection.rollbackTransaction())
                        .onErrorResume(ignored -> Mono.empty())
                        .then(Mono.from(connection.close())),
                connection -> Mono.from(connection.rollbackTransaction())
                        .onErrorResume(ignored -> Mono.empty())
                        .then(Mono.from(connection.close())));
    }

    private Mono<Long> round() {
        int days = properties.inactiveDays();
        return service.markIdleInactive(null, days)
                .flatMap(marked -> idempotencyKeys.deleteExpired(Instant.now().minus(idempotency.keyTtl()))
                        .doOnNext(forgotten -> log.info(
                                "Cleanup: {} session(s) idle for {} days marked inactive, {} idempotency key(s) "
                                        + "forgotten", marked, days, forgotten))
                        .thenReturn(marked));
    }

    private static Mono<Optional<Long>> skipped() {
        log.info("Cleanup of inactive sessions skipped: another instance is running it");
        return Mono.just(Optional.empty());
    }

    private static Mono<Boolean> tryLock(Connection connection) {
        return Mono.from(connection.createStatement("SELECT pg_try_advisory_xact_lock($1) AS locked")
                        .bind("$1", LOCK_KEY)
                        .execute())
                .flatMap(result -> Mono.from(result.map((row, metadata) -> row.get("locked", Boolean.class))));
    }
}
