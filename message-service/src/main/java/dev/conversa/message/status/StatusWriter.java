package dev.conversa.message.status;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Moves stored outbound messages' statuses, only forward, in the caller's transaction: the rule of
 * {@link dev.conversa.events.message.DeliveryStatus#canMoveTo} is evaluated by PostgreSQL on the locked row, so a
 * concurrent writer can never make a status go back, whatever order statuses arrive in. Records WhatsApp's id on a
 * message that has none, and the error of a {@code failed}.
 */
@Component
public class StatusWriter {

    /** {@code m.status} may take {@code u.status} (canMoveTo, in SQL). */
    static final String CAN_MOVE = """
            (m.status NOT IN ('read', 'failed') AND m.status <> u.status
             AND (u.status = 'failed'
                  OR array_position(ARRAY['pending','accepted','sent','delivered','read'], u.status)
                     > array_position(ARRAY['pending','accepted','sent','delivered','read'], m.status)))""";

    private final DatabaseClient db;

    public StatusWriter(DatabaseClient db) {
        this.db = db;
    }

    /**
     * What {@link #apply} did.
     *
     * @param moved     messages whose status changed
     * @param waIdsSet  messages that got WhatsApp's id now
     * @param unchanged messages whose status already was the update's (e.g. a redelivered status)
     */
    public record Applied(Set<UUID> moved, Set<UUID> waIdsSet, Set<UUID> unchanged) {

        public static Applied none() {
            return new Applied(Set.of(), Set.of(), Set.of());
        }

        public Applied plus(Applied other) {
            Set<UUID> allMoved = new HashSet<>(moved);
            allMoved.addAll(other.moved);
            Set<UUID> allWa = new HashSet<>(waIdsSet);
            allWa.addAll(other.waIdsSet);
            Set<UUID> allUnchanged = new HashSet<>(unchanged);
            allUnchanged.addAll(other.unchanged);
            allUnchanged.removeAll(allMoved);
            return new Applied(allMoved, allWa, allUnchanged);
        }
    }

    /** Applies at most one update per message (fold several with {@link StatusUpdate#fold}). */
    public Mono<Applied> apply(Collection<StatusUpdate> updates) {
        if (updates.isEmpty()) {
            return Mono.just(Applied.none());
        }
        int n = updates.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        String[] waIds = new String[n];
        Integer[] codes = new Integer[n];
        String[] titles = new String[n];
        Boolean[] retryable = new Boolean[n];
        Map<UUID, StatusUpdate> byId = new HashMap<>();
        int i = 0;
        for (StatusUpdate update : updates) {
            if (byId.put(update.messageId(), update) != null) {
                throw new IllegalArgumentException("Two updates for message " + update.messageId());
            }
            ids[i] = update.messageId();
            statuses[i] = update.status().value();
            waIds[i] = update.waMessageId();
            codes[i] = update.errorCode();
            titles[i] = update.errorTitle();
            retryable[i] = update.retryable();
            i++;
        }
        // lock in id order first (no deadlock between concurrent batches) and remember what was there
        return db.sql("""
                SELECT id, status, wa_message_id FROM message.messages
                 WHERE id = ANY(:ids::uuid[]) ORDER BY id FOR UPDATE""")
                .bind("ids", ids)
                .map(row -> Map.entry(row.get("id", UUID.class), new Before(row.get("status", String.class),
                        row.get("wa_message_id", String.class))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(before -> db.sql("""
                        UPDATE message.messages m
                           SET status = CASE WHEN %1$s THEN u.status ELSE m.status END,
                               error_code = CASE WHEN %1$s AND u.status = 'failed' THEN u.error_code
                                                 ELSE m.error_code END,
                               error_title = CASE WHEN %1$s AND u.status = 'failed' THEN u.error_title
                                                  ELSE m.error_title END,
                               retryable = CASE WHEN %1$s AND u.status = 'failed' THEN u.retryable
                                                ELSE m.retryable END,
                               wa_message_id = CASE
                                   WHEN m.wa_message_id IS NULL AND u.wa_message_id IS NOT NULL
                                        AND NOT EXISTS (SELECT 1 FROM message.messages o
                                                         WHERE o.session_id = m.session_id
                                                           AND o.wa_message_id = u.wa_message_id)
                                   THEN u.wa_message_id ELSE m.wa_message_id END,
                               updated_at = now()
                          FROM unnest(:ids::uuid[], :statuses::text[], :waIds::text[], :codes::int[],
                                      :titles::text[], :retryable::bool[])
                               AS u(id, status, wa_message_id, error_code, error_title, retryable)
                         WHERE m.id = u.id
                           AND (%1$s OR (m.wa_message_id IS NULL AND u.wa_message_id IS NOT NULL))
                        RETURNING m.id, m.status, m.wa_message_id""".formatted(CAN_MOVE))
                        .bind("ids", ids)
                        .bind("statuses", statuses)
                        .bind("waIds", waIds)
                        .bind("codes", codes)
                        .bind("titles", titles)
                        .bind("retryable", retryable)
                        .map(row -> new After(row.get("id", UUID.class), row.get("status", String.class),
                                row.get("wa_message_id", String.class)))
                        .all()
                        .collectList()
                        .map(after -> {
                            Set<UUID> moved = new HashSet<>();
                            Set<UUID> waSet = new HashSet<>();
                            for (After row : after) {
                                Before old = before.get(row.id());
                                if (old != null && !old.status().equals(row.status())) {
                                    moved.add(row.id());
                                }
                                if (old != null && old.waMessageId() == null && row.waMessageId() != null) {
                                    waSet.add(row.id());
                                }
                            }
                            Set<UUID> unchanged = new HashSet<>();
                            before.forEach((id, old) -> {
                                if (!moved.contains(id) && old.status().equals(byId.get(id).status().value())) {
                                    unchanged.add(id);
                                }
                            });
                            return new Applied(moved, waSet, unchanged);
                        }));
    }

    private record Before(String status, String waMessageId) {
    }

    private record After(UUID id, String status, String waMessageId) {
    }
}
