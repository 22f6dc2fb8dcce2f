package dev.conversa.campaign.dispatch;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import reactor.core.publisher.Mono;

/**
 * Publishes again the commands of recipients that stayed queued, unacknowledged (no status from session-service),
 * for longer than {@code republish-after}: the dispatcher may have died between its commit and its publish, or the
 * publish failed. The command is rebuilt from the row, with the same idempotency key and message id, so
 * session-service sends it at most once; the attempt does not change. Recipients of cancelled campaigns are left
 * alone. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so concurrent sweepers share the work.
 */
@Component
public class CommandSweeper {

    private static final Logger log = LoggerFactory.getLogger(CommandSweeper.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final SendCommands commands;
    private final DispatchProperties properties;
    private final Clock clock;

    public CommandSweeper(DatabaseClient db, TransactionalOperator transaction, SendCommands commands,
            DispatchProperties properties, Clock clock) {
        this.db = db;
        this.transaction = transaction;
        this.commands = commands;
        this.properties = properties;
        this.clock = clock;
    }

    /** One sweep; answers how many commands were published again. */
    public Mono<Integer> sweep() {
        Instant now = clock.instant();
        return db.sql("""
                WITH due AS (
                    SELECT r.id FROM campaign.recipients r
                     WHERE r.status = 'queued' AND r.accepted_at IS NULL
                       AND coalesce(r.last_published_at, r.queued_at) < :cutoff
                     ORDER BY r.queued_at
                     LIMIT :limit
                       FOR UPDATE SKIP LOCKED)
                UPDATE campaign.recipients r SET last_published_at = :now
                  FROM due, campaign.campaigns c
                 WHERE r.id = due.id AND c.id = r.campaign_id AND c.status <> 'cancelled'
                RETURNING r.id, r.campaign_id, r.tenant_id, r.session_id, r.phone, r.name,
                          r.attributes::text AS attributes, c.message::text AS message, r.idempotency_key,
                          r.message_id, r.queued_at""")
                .bind("cutoff", now.minus(properties.republishAfter()))
                .bind("limit", properties.sweepBatch())
                .bind("now", now)
                .map(Dispatcher::queued)
                .all()
                .collectList()
                .as(transaction::transactional)
                .flatMap(queued -> {
                    if (queued.isEmpty()) {
                        return Mono.just(0);
                    }
                    log.info("Publishing again {} unacknowledged campaign commands", queued.size());
                    return commands.publish(queued).thenReturn(queued.size());
                })
                .defaultIfEmpty(0);
    }
}
