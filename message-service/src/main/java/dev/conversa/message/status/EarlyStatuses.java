package dev.conversa.message.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.message.status.StatusWriter.Applied;
import reactor.core.publisher.Mono;

/**
 * Statuses that arrived before their message ({@code message.early_statuses}): commands and statuses travel on
 * different topics, so a status can be read before the command that made its message. Such a status waits here and
 * is applied when its message is written.
 *
 * <p>Exactness: the check "is the message there? else park the status" and the write "insert the message, then
 * apply what is parked" both hold a transaction-scoped advisory lock per (session, idempotency key) — and per
 * (session, WhatsApp id) for statuses that carry no key — so one of them always sees the other's commit: a status is
 * never parked after its message's writer looked, and never applied twice (statuses only move forward anyway).
 *
 * <p>Whoever writes outbound messages (the {@code wa.commands} recorder, the REST send path) calls
 * {@link #applyTo} in the same transaction, after inserting them.
 */
@Component
public class EarlyStatuses {

    private final DatabaseClient db;
    private final StatusWriter writer;

    public EarlyStatuses(DatabaseClient db, StatusWriter writer) {
        this.db = db;
        this.writer = writer;
    }

    /** A parked status, as the status consumer read it. */
    public record Early(String tenantId, UUID sessionId, @Nullable String idempotencyKey,
            @Nullable String waMessageId, DeliveryStatus status, @Nullable Integer errorCode,
            @Nullable String errorTitle, @Nullable Boolean retryable, OffsetDateTime occurredAt) {
    }

    /** The advisory lock name of a message's key: {@code key:<idempotencyKey>}, or {@code wa:<id>} without one. */
    static String lockName(@Nullable String idempotencyKey, @Nullable String waMessageId) {
        return idempotencyKey != null ? "key:" + idempotencyKey : "wa:" + waMessageId;
    }

    /** Takes the transaction-scoped advisory locks of these (session, lock name) pairs, in one order for all. */
    Mono<Void> lock(Collection<SessionLock> locks) {
        if (locks.isEmpty()) {
            return Mono.empty();
        }
        TreeSet<String> names = new TreeSet<>();
        locks.forEach(lock -> names.add(lock.sessionId() + "/" + lock.name()));
        return db.sql("""
                SELECT count(*) AS locked FROM (
                    SELECT pg_advisory_xact_lock(x.k) FROM (
                        SELECT DISTINCT hashtextextended(n, 0) AS k FROM unnest(:names::text[]) AS n ORDER BY 1) x) y""")
                .bind("names", names.toArray(String[]::new))
                .fetch().rowsUpdated()
                .then();
    }

    record SessionLock(UUID sessionId, String name) {
    }

    /** Parks statuses whose message is not stored (yet); the same status of the same message is parked once. */
    Mono<Void> park(List<Early> statuses) {
        if (statuses.isEmpty()) {
            return Mono.empty();
        }
        int n = statuses.size();
        String[] tenants = new String[n];
        UUID[] sessions = new UUID[n];
        String[] keys = new String[n];
        String[] waIds = new String[n];
        String[] values = new String[n];
        Integer[] codes = new Integer[n];
        String[] titles = new String[n];
        Boolean[] retryable = new Boolean[n];
        String[] occurred = new String[n];
        for (int i = 0; i < n; i++) {
            Early early = statuses.get(i);
            tenants[i] = early.tenantId();
            sessions[i] = early.sessionId();
            keys[i] = early.idempotencyKey();
            waIds[i] = early.waMessageId();
            values[i] = early.status().value();
            codes[i] = early.errorCode();
            titles[i] = early.errorTitle();
            retryable[i] = early.retryable();
            occurred[i] = early.occurredAt().toString();
        }
        return db.sql("""
                INSERT INTO message.early_statuses (tenant_id, session_id, idempotency_key, wa_message_id, status,
                                                    error_code, error_title, retryable, occurred_at)
                SELECT u.tenant_id, u.session_id, u.idempotency_key, u.wa_message_id, u.status, u.error_code,
                       u.error_title, u.retryable, u.occurred_at::timestamptz
                  FROM unnest(:tenants::text[], :sessions::uuid[], :keys::text[], :waIds::text[], :statuses::text[],
                              :codes::int[], :titles::text[], :retryable::bool[], :occurred::text[])
                       AS u(tenant_id, session_id, idempotency_key, wa_message_id, status, error_code, error_title,
                            retryable, occurred_at)
                ON CONFLICT DO NOTHING""")
                .bind("tenants", tenants)
                .bind("sessions", sessions)
                .bind("keys", keys)
                .bind("waIds", waIds)
                .bind("statuses", values)
                .bind("codes", codes)
                .bind("titles", titles)
                .bind("retryable", retryable)
                .bind("occurred", occurred)
                .fetch().rowsUpdated()
                .then();
    }

    /**
     * Applies the parked statuses of these just-written outbound messages and deletes them, in the caller's
     * transaction. Call it after inserting the messages (or finding them written). A status that gives a message
     * its WhatsApp id also brings the statuses parked under that id.
     */
    public Mono<Applied> applyTo(Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return Mono.just(Applied.none());
        }
        return applyOnce(messageIds)
                .flatMap(first -> first.waIdsSet().isEmpty() ? Mono.just(first)
                        : applyOnce(first.waIdsSet()).map(first::plus));
    }

    private Mono<Applied> applyOnce(Collection<UUID> messageIds) {
        UUID[] ids = messageIds.toArray(UUID[]::new);
        return db.sql("""
                SELECT session_id, idempotency_key, wa_message_id FROM message.messages
                 WHERE id = ANY(:ids::uuid[]) AND direction = 'outbound'""")
                .bind("ids", ids)
                .map(row -> {
                    UUID session = row.get("session_id", UUID.class);
                    String key = row.get("idempotency_key", String.class);
                    String wa = row.get("wa_message_id", String.class);
                    List<SessionLock> locks = new ArrayList<>(2);
                    if (key != null) {
                        locks.add(new SessionLock(session, lockName(key, null)));
                    }
                    if (wa != null) {
                        locks.add(new SessionLock(session, lockName(null, wa)));
                    }
                    return locks;
                })
                .all()
                .flatMapIterable(locks -> locks)
                .collectList()
                .flatMap(locks -> locks.isEmpty() ? Mono.just(Applied.none())
                        : lock(locks).then(take(ids)).flatMap(parked -> parked.isEmpty()
                                ? Mono.just(Applied.none()) : writer.apply(fold(parked))));
    }

    /** Takes (deletes and returns) the parked statuses of these messages, oldest first. */
    private Mono<List<StatusUpdate>> take(UUID[] ids) {
        return db.sql("""
                WITH taken AS (
                    DELETE FROM message.early_statuses e
                     USING message.messages m
                     WHERE m.id = ANY(:ids::uuid[]) AND m.direction = 'outbound'
                       AND e.session_id = m.session_id AND e.tenant_id = m.tenant_id
                       AND ((e.idempotency_key IS NOT NULL AND e.idempotency_key = m.idempotency_key)
                            OR (e.idempotency_key IS NULL AND e.wa_message_id = m.wa_message_id))
                    RETURNING m.id AS message_id, e.status, e.wa_message_id, e.error_code, e.error_title,
                              e.retryable, e.received_at, e.occurred_at)
                SELECT * FROM taken
                 ORDER BY received_at, occurred_at,
                          array_position(ARRAY['accepted','sent','delivered','read','failed'], status)""")
                .bind("ids", ids)
                .map(row -> new StatusUpdate(row.get("message_id", UUID.class),
                        DeliveryStatus.fromValue(row.get("status", String.class)),
                        row.get("wa_message_id", String.class), row.get("error_code", Integer.class),
                        row.get("error_title", String.class), row.get("retryable", Boolean.class)))
                .all()
                .collectList();
    }

    /** Deletes parked statuses older than {@code maxAge}: their message never came (sent from the phone …). */
    public Mono<Long> purgeOlderThan(Duration maxAge) {
        return db.sql("DELETE FROM message.early_statuses WHERE received_at < now() - make_interval(secs => :secs)")
                .bind("secs", (double) maxAge.toSeconds())
                .fetch().rowsUpdated();
    }

    static List<StatusUpdate> fold(List<StatusUpdate> arrived) {
        Map<UUID, List<StatusUpdate>> byMessage = new LinkedHashMap<>();
        arrived.forEach(update -> byMessage.computeIfAbsent(update.messageId(), id -> new ArrayList<>()).add(update));
        return byMessage.values().stream().map(StatusUpdate::fold).toList();
    }
}
