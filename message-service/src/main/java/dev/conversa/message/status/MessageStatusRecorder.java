package dev.conversa.message.status;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.message.inbox.InboxEvents;
import dev.conversa.message.inbox.MessageMetrics;
import dev.conversa.message.inbox.MessageRow;
import dev.conversa.message.status.EarlyStatuses.Early;
import dev.conversa.message.status.EarlyStatuses.SessionLock;
import dev.conversa.message.status.StatusWriter.Applied;
import reactor.core.publisher.Mono;

/**
 * Applies a batch of delivery statuses ({@code wa.message.status}) in one transaction: each status finds its
 * outbound message by the command's idempotency key within its session (or by WhatsApp's id when it has no key), the
 * message's status moves only forward (several statuses of one message in a batch count as if applied in order),
 * WhatsApp's id is recorded, and statuses whose message is not stored yet are parked in
 * {@code message.early_statuses}. Then {@code conversa.message.stored.v1} announces every message whose status
 * changed (or already was the one a redelivered status brings, with the same event id as the first time).
 */
@Component
class MessageStatusRecorder {

    static final Set<String> TYPES = Set.of(EventTypes.MESSAGE_ACCEPTED, EventTypes.MESSAGE_SENT,
            EventTypes.MESSAGE_DELIVERED, EventTypes.MESSAGE_READ, EventTypes.MESSAGE_FAILED);

    private static final Logger log = LoggerFactory.getLogger(MessageStatusRecorder.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final StatusWriter writer;
    private final EarlyStatuses early;
    private final InboxEvents events;
    private final MessageMetrics metrics;

    MessageStatusRecorder(DatabaseClient db, TransactionalOperator transaction, StatusWriter writer,
            EarlyStatuses early, InboxEvents events, MessageMetrics metrics) {
        this.metrics = metrics;
        this.db = db;
        this.transaction = transaction;
        this.writer = writer;
        this.early = early;
        this.events = events;
    }

    Mono<Void> record(List<EventEnvelope<MessageStatusChanged>> batch) {
        List<MessageStatusChanged> statuses = batch.stream()
                .filter(event -> TYPES.contains(event.type()))
                .map(EventEnvelope::payload)
                .filter(status -> status.idempotencyKey() != null || status.waMessageId() != null)
                .toList();
        if (statuses.isEmpty()) {
            return Mono.empty();
        }
        return store(statuses)
                .doOnNext(metrics::moved)
                .flatMap(rows -> events.publish(List.of(), rows, List.of()));
    }

    /** One transaction; answers the messages to announce, as stored now. */
    Mono<List<MessageRow>> store(List<MessageStatusChanged> statuses) {
        List<SessionLock> locks = statuses.stream()
                .map(status -> new SessionLock(status.sessionId(),
                        EarlyStatuses.lockName(status.idempotencyKey(), status.waMessageId())))
                .toList();
        return early.lock(locks)
                .then(match(statuses))
                .flatMap(matched -> {
                    List<StatusUpdate> updates = new ArrayList<>();
                    List<Early> parked = new ArrayList<>();
                    for (int i = 0; i < statuses.size(); i++) {
                        MessageStatusChanged status = statuses.get(i);
                        UUID messageId = matched.get(i);
                        if (messageId != null) {
                            updates.add(new StatusUpdate(messageId, status.status(), status.waMessageId(),
                                    status.errorCode(), status.errorTitle(), status.retryable()));
                        }
                        else {
                            parked.add(new Early(status.tenantId(), status.sessionId(), status.idempotencyKey(),
                                    status.waMessageId(), status.status(), status.errorCode(), status.errorTitle(),
                                    status.retryable(), status.occurredAt().atOffset(ZoneOffset.UTC)));
                        }
                    }
                    return writer.apply(EarlyStatuses.fold(updates))
                            .flatMap(applied -> applied.waIdsSet().isEmpty() ? Mono.just(applied)
                                    : early.applyTo(applied.waIdsSet()).map(applied::plus))
                            .flatMap(applied -> early.park(parked).thenReturn(applied))
                            .doOnNext(applied -> log.info("Applied {} statuses: {} messages moved, {} parked early",
                                    statuses.size(), applied.moved().size(), parked.size()));
                })
                .flatMap(this::load)
                .as(transaction::transactional);
    }

    /** The stored outbound message of each status, by index (absent: not stored yet). */
    private Mono<Map<Integer, UUID>> match(List<MessageStatusChanged> statuses) {
        int n = statuses.size();
        Integer[] order = new Integer[n];
        String[] tenants = new String[n];
        UUID[] sessions = new UUID[n];
        String[] keys = new String[n];
        String[] waIds = new String[n];
        for (int i = 0; i < n; i++) {
            MessageStatusChanged status = statuses.get(i);
            order[i] = i;
            tenants[i] = status.tenantId();
            sessions[i] = status.sessionId();
            keys[i] = status.idempotencyKey();
            waIds[i] = status.waMessageId();
        }
        return db.sql("""
                WITH u AS (
                    SELECT * FROM unnest(:order::int[], :tenants::text[], :sessions::uuid[], :keys::text[],
                                         :waIds::text[])
                           AS u(ord, tenant_id, session_id, idempotency_key, wa_message_id))
                SELECT u.ord, m.id FROM u
                  JOIN message.messages m
                    ON m.session_id = u.session_id AND m.idempotency_key = u.idempotency_key
                   AND m.tenant_id = u.tenant_id AND m.direction = 'outbound'
                 WHERE u.idempotency_key IS NOT NULL
                UNION ALL
                SELECT u.ord, m.id FROM u
                  JOIN message.messages m
                    ON m.session_id = u.session_id AND m.wa_message_id = u.wa_message_id
                   AND m.tenant_id = u.tenant_id AND m.direction = 'outbound'
                 WHERE u.idempotency_key IS NULL""")
                .bind("order", order)
                .bind("tenants", tenants)
                .bind("sessions", sessions)
                .bind("keys", keys)
                .bind("waIds", waIds)
                .map(row -> Map.entry(row.get("ord", Integer.class), row.get("id", UUID.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
    }

    private Mono<List<MessageRow>> load(Applied applied) {
        Set<UUID> ids = new HashSet<>(applied.moved());
        ids.addAll(applied.unchanged());
        if (ids.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.sql(MessageRow.SELECT + " WHERE m.id = ANY(:ids::uuid[]) ORDER BY m.conversation_id, m.created_at")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(MessageRow::from)
                .all()
                .collectList();
    }
}
