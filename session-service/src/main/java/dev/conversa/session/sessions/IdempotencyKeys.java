package dev.conversa.session.sessions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key}s of session creation ({@code session.idempotency_keys}). A request first
 * {@linkplain #claim claims} its key inside the transaction that creates the session: the first request of a key wins
 * and the row it inserts makes any concurrent repeat wait until it commits; the repeat then finds the key and answers
 * the same session. A key older than the TTL is taken over by the next request that uses it.
 */
@Component
class IdempotencyKeys {

    /** The key as stored: what request it was used for and which session it created. */
    record StoredKey(String fingerprint, UUID sessionId) {
    }

    private final DatabaseClient db;

    IdempotencyKeys(DatabaseClient db) {
        this.db = db;
    }

    /** True when this request now owns the key (new, or expired before {@code expiredBefore}). */
    Mono<Boolean> claim(String tenantId, String key, String fingerprint, UUID sessionId, Instant expiredBefore) {
        return db.sql("""
                        INSERT INTO session.idempotency_keys (tenant_id, idempotency_key, fingerprint, session_id)
                        VALUES (:tenantId, :key, :fingerprint, :sessionId)
                        ON CONFLICT (tenant_id, idempotency_key) DO UPDATE
                           SET fingerprint = EXCLUDED.fingerprint, session_id = EXCLUDED.session_id, created_at = now()
                         WHERE idempotency_keys.created_at < :expiredBefore
                        RETURNING session_id""")
                .bind("tenantId", tenantId)
                .bind("key", key)
                .bind("fingerprint", fingerprint)
                .bind("sessionId", sessionId)
                .bind("expiredBefore", expiredBefore.atOffset(ZoneOffset.UTC))
                .map(row -> row.get("session_id", UUID.class))
                .one()
                .map(claimed -> true)
                .defaultIfEmpty(false);
    }

    Mono<StoredKey> find(String tenantId, String key) {
        return db.sql("SELECT fingerprint, session_id FROM session.idempotency_keys"
                        + " WHERE tenant_id = :tenantId AND idempotency_key = :key")
                .bind("tenantId", tenantId)
                .bind("key", key)
                .map(row -> new StoredKey(row.get("fingerprint", String.class), row.get("session_id", UUID.class)))
                .one();
    }

    /** Forgets keys claimed before {@code before}; answers how many. */
    Mono<Long> deleteExpired(Instant before) {
        return db.sql("DELETE FROM session.idempotency_keys WHERE created_at < :before")
                .bind("before", before.atOffset(ZoneOffset.UTC))
                .fetch().rowsUpdated();
    }
}
