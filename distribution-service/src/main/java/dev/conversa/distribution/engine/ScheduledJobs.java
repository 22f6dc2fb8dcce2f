package dev.conversa.distribution.engine;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The two timed jobs. Bot timeout ({@code conversa.distribution.bot-timeout-cron}): conversations the bot has handled
 * for longer than {@code bot-timeout} are escalated to the queue (reason {@code bot-timeout}) and distributed; every
 * instance schedules it, a transaction-scoped PostgreSQL advisory lock lets one run at a time. Waiting alerts (every
 * {@code alert-interval}): a conversation waiting longer than {@code wait-alert} is logged at WARN once (phone masked)
 * and counted ({@code distribution.queue.wait.alerts}); gauges {@code distribution.queue.waiting} and
 * {@code distribution.queue.oldest.wait.seconds} follow the queue.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class ScheduledJobs {

    static final String BOT_TIMEOUT_REASON = "bot-timeout";
    private static final long BOT_TIMEOUT_LOCK = 0x6469737462L; // "distb"
    private static final int BOT_TIMEOUT_BATCH = 2000;
    private static final Logger log = LoggerFactory.getLogger(ScheduledJobs.class);

    private final DatabaseClient db;
    private final AssignmentEngine engine;
    private final Announcements announcements;
    private final TransactionalOperator transaction;
    private final DistributionProperties properties;
    private final Counter alerts;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong oldestWaitSeconds = new AtomicLong();

    ScheduledJobs(DatabaseClient db, AssignmentEngine engine, Announcements announcements,
            TransactionalOperator transaction, DistributionProperties properties, MeterRegistry registry) {
        this.db = db;
        this.engine = engine;
        this.announcements = announcements;
        this.transaction = transaction;
        this.properties = properties;
        this.alerts = Counter.builder("distribution.queue.wait.alerts")
                .description("Conversations that waited longer than conversa.distribution.wait-alert")
                .register(registry);
        Gauge.builder("distribution.queue.waiting", waiting, AtomicLong::get)
                .description("Conversations waiting for an agent (all tenants)").register(registry);
        Gauge.builder("distribution.queue.oldest.wait.seconds", oldestWaitSeconds, AtomicLong::get)
                .description("How long the oldest waiting conversation has waited").register(registry);
    }

    /** Spring subscribes to the returned Mono; the next run starts after it completed. */
    @Scheduled(fixedDelayString = "${conversa.distribution.alert-interval:30s}",
            initialDelayString = "${conversa.distribution.alert-interval:30s}")
    Mono<Void> scheduledWaitingCheck() {
        return checkWaiting().then();
    }

    @Scheduled(cron = "${conversa.distribution.bot-timeout-cron:0 * * * * *}")
    Mono<Void> scheduledBotTimeouts() {
        return escalateBotTimeouts()
                .onErrorResume(error -> {
                    log.warn("Bot timeout run failed: {}", error.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** Reports conversations waiting too long (each once) and refreshes the gauges; answers how many it reported. */
    public Mono<Long> checkWaiting() {
        Mono<Long> reported = db.sql("""
                UPDATE distribution.conversations SET wait_alerted = true
                 WHERE state = 'waiting' AND NOT wait_alerted AND waiting_since < now() - make_interval(secs => :secs)
                RETURNING tenant_id, conversation_id, contact_phone, waiting_since""")
                .bind("secs", (double) properties.waitAlert().toSeconds())
                .map(row -> {
                    log.warn("Conversation {} of tenant {} (contact {}) has waited for an agent since {}",
                            row.get("conversation_id", UUID.class), row.get("tenant_id", String.class),
                            Pii.phone(row.get("contact_phone", String.class)),
                            row.get("waiting_since", OffsetDateTime.class));
                    alerts.increment();
                    return 1L;
                })
                .all()
                .count();
        Mono<Void> gauges = db.sql("""
                SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(waiting_since)), 0)::bigint AS oldest
                  FROM distribution.conversations WHERE state = 'waiting'""")
                .map(row -> {
                    waiting.set(row.get("n", Long.class));
                    oldestWaitSeconds.set(row.get("oldest", Long.class));
                    return true;
                })
                .one()
                .then();
        return reported.flatMap(n -> gauges.thenReturn(n))
                .onErrorResume(error -> {
                    log.warn("Waiting check failed: {}", error.toString());
                    return Mono.just(0L);
                });
    }

    /** Escalates conversations the bot has handled too long; answers how many. One instance at a time. */
    public Mono<Integer> escalateBotTimeouts() {
        return Mono.defer(() -> {
            Announcements.Collector out = new Announcements.Collector();
            List<Integer> count = new ArrayList<>(List.of(0));
            return db.sql("SELECT pg_try_advisory_xact_lock(:key) AS locked")
                    .bind("key", BOT_TIMEOUT_LOCK)
                    .map(row -> row.get("locked", Boolean.class))
                    .one()
                    .filter(Boolean::booleanValue)
                    .flatMap(locked -> db.sql("""
                                    SELECT tenant_id, conversation_id FROM distribution.conversations
                                     WHERE state = 'bot' AND bot_since < now() - make_interval(secs => :secs)
                                     ORDER BY bot_since LIMIT :limit""")
                            .bind("secs", (double) properties.botTimeout().toSeconds())
                            .bind("limit", BOT_TIMEOUT_BATCH)
                            .map(row -> Map.entry(row.get("tenant_id", String.class),
                                    row.get("conversation_id", UUID.class)))
                            .all()
                            .collect(LinkedHashMap<String, List<UUID>>::new, (map, e) -> map
                                    .computeIfAbsent(e.getKey(), t -> new ArrayList<>()).add(e.getValue())))
                    .filter(byTenant -> !byTenant.isEmpty())
                    .flatMap(byTenant -> engine.lockTenants(byTenant.keySet())
                            .thenMany(Flux.fromIterable(byTenant.entrySet()))
                            .concatMap(e -> engine.move(e.getKey(), e.getValue().toArray(UUID[]::new), null,
                                    Set.of(AssignmentEngine.BOT), AssignmentEngine.WAITING, Announcements.ESCALATED,
                                    BOT_TIMEOUT_REASON))
                            .doOnNext(rows -> {
                                rows.forEach(out::add);
                                count.set(0, count.get(0) + rows.size());
                            })
                            .then(engine.distributeAll(byTenant.keySet(), out)))
                    .as(transaction::transactional)
                    .then(Mono.defer(() -> announcements.publish(out)))
                    .then(Mono.fromSupplier(() -> {
                        if (count.get(0) > 0) {
                            log.info("{} conversations escalated after {} with the bot", count.get(0),
                                    properties.botTimeout());
                        }
                        return count.get(0);
                    }));
        });
    }
}
