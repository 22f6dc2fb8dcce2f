package dev.conversa.message.archive;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * Moves messages older than {@code conversa.message.archive.after-days} from {@code message.messages} to
 * {@code message.messages_archive}, on {@code conversa.message.archive.cron} (default daily at 03:00), off unless
 * after-days is set.
 *
 * <p>Each batch is one statement — a CTE deletes up to {@code batch-size} of the oldest such messages and inserts
 * exactly the deleted rows into the archive — so a message is in one table or the other, never both or neither, and
 * every batch commits on its own. Rows another transaction holds (a status update in flight) are skipped and caught
 * by the next run. Every instance schedules the job; only one runs it: the run holds a PostgreSQL transaction-level
 * advisory lock on a connection of its own, and an instance that does not get it skips the round.
 */
@Component
class MessageArchiver implements SchedulingConfigurer {

    /** The advisory lock's key: any constant unique within the database; {@code 'msga' 'rchv'} in ASCII. */
    static final long LOCK_KEY = 0x6d73_6761_7263_6876L;
    private static final Logger log = LoggerFactory.getLogger(MessageArchiver.class);

    /** Every column of a message except the generated {@code search}; the archive has the same ones. */
    static final String COLUMNS = """
            id, tenant_id, conversation_id, session_id, direction, type, text, media, wa_message_id, status, \
            error_code, idempotency_key, correlation_id, wa_timestamp, created_at, updated_at, error_title, \
            retryable, content, reply_to_wa_message_id, sent_by""";

    private final ConnectionFactory connections;
    private final DatabaseClient db;
    private final ArchiveProperties properties;

    MessageArchiver(ConnectionFactory connections, DatabaseClient db, ArchiveProperties properties) {
        this.connections = connections;
        this.db = db;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (properties.afterDays() == 0) {
            log.info("Message archival is off (conversa.message.archive.after-days=0)");
            return;
        }
        if (ScheduledTaskRegistrar.CRON_DISABLED.equals(properties.cron())) {
            log.info("Scheduled message archival is off (conversa.message.archive.cron=-)");
            return;
        }
        CronExpression.parse(properties.cron());
        registrar.addCronTask(() -> runExclusively().subscribe(
                outcome -> { },
                error -> log.error("Message archival failed", error)), properties.cron());
    }

    /**
     * One run if no other instance is running one: what moved, or empty when another instance holds the lock (or
     * archival is off).
     */
    Mono<Optional<ArchiveResult>> runExclusively() {
        if (properties.afterDays() == 0) {
            return Mono.just(Optional.empty());
        }
        return Mono.usingWhen(Mono.from(connections.create()),
                connection -> Mono.from(connection.beginTransaction())
                        .then(tryLock(connection))
                        .flatMap(locked -> locked ? run().map(Optional::of) : skipped()),
                connection -> Mono.from(connection.commitTransaction()).then(Mono.from(connection.close())),
                (connection, error) -> release(connection),
                MessageArchiver::release);
    }

    /** Moves batches until one comes back short. */
    private Mono<ArchiveResult> run() {
        Instant cutoff = Instant.now().minus(Duration.ofDays(properties.afterDays()));
        int batchSize = properties.batchSize();
        return moveBatch(cutoff, batchSize)
                .expand(moved -> moved == batchSize ? moveBatch(cutoff, batchSize) : Mono.empty())
                .filter(moved -> moved > 0)
                .reduce(new ArchiveResult(0, 0),
                        (total, moved) -> new ArchiveResult(total.moved() + moved, total.batches() + 1))
                .doOnNext(result -> log.info("Archived {} message(s) older than {} days in {} batch(es)",
                        result.moved(), properties.afterDays(), result.batches()));
    }

    private Mono<Long> moveBatch(Instant cutoff, int batchSize) {
        return db.sql("""
                        WITH moved AS (
                            DELETE FROM message.messages
                             WHERE id IN (SELECT id FROM message.messages
                                           WHERE created_at < :cutoff
                                           ORDER BY created_at
                                           LIMIT :batchSize
                                           FOR UPDATE SKIP LOCKED)
                            RETURNING\s""" + COLUMNS + """
                        )
                        INSERT INTO message.messages_archive (""" + COLUMNS + """
                        )
                        SELECT\s""" + COLUMNS + " FROM moved")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .bind("batchSize", batchSize)
                .fetch().rowsUpdated();
    }

    private static Mono<Optional<ArchiveResult>> skipped() {
        log.info("Message archival skipped: another instance is running it");
        return Mono.just(Optional.empty());
    }

    private static Mono<Boolean> tryLock(Connection connection) {
        return Mono.from(connection.createStatement("SELECT pg_try_advisory_xact_lock($1) AS locked")
                        .bind("$1", LOCK_KEY)
                        .execute())
                .flatMap(result -> Mono.from(result.map((row, metadata) -> row.get("locked", Boolean.class))));
    }

    private static Mono<Void> release(Connection connection) {
        return Mono.from(connection.rollbackTransaction())
                .onErrorResume(ignored -> Mono.empty())
                .then(Mono.from(connection.close()));
    }
}
