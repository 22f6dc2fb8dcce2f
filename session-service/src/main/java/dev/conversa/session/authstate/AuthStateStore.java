package dev.conversa.session.authstate;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * A session's auth state, stored encrypted: the transports save it on every credentials update and load it to
 * reconnect; deleting or logging out a session wipes it. Plaintext never leaves this class towards the database.
 */
@Component
public class AuthStateStore {

    private final DatabaseClient db;
    private final AuthStateCipher cipher;

    public AuthStateStore(DatabaseClient db, AuthStateCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    public Mono<Void> save(UUID sessionId, String tenantId, byte[] plaintext) {
        return Mono.fromCallable(() -> cipher.seal(plaintext, sessionId.toString()))
                .flatMap(sealed -> db.sql("""
                        INSERT INTO session.auth_state (session_id, tenant_id, key_id, nonce, ciphertext)
                        VALUES (:sessionId, :tenantId, :keyId, :nonce, :ciphertext)
                        ON CONFLICT (session_id) DO UPDATE
                           SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext,
                               updated_at = now(), version = auth_state.version + 1""")
                        .bind("sessionId", sessionId)
                        .bind("tenantId", tenantId)
                        .bind("keyId", sealed.keyId())
                        .bind("nonce", sealed.nonce())
                        .bind("ciphertext", sealed.ciphertext())
                        .then());
    }

    /** The plaintext, or empty when the session has none (never paired, or wiped). */
    public Mono<byte[]> load(UUID sessionId) {
        return db.sql("SELECT key_id, nonce, ciphertext FROM session.auth_state WHERE session_id = :sessionId")
                .bind("sessionId", sessionId)
                .map(row -> new AuthStateCipher.Sealed(row.get("key_id", String.class), row.get("nonce", byte[].class),
                        row.get("ciphertext", byte[].class)))
                .one()
                .map(sealed -> cipher.open(sealed, sessionId.toString()));
    }

    public Mono<Boolean> wipe(UUID sessionId) {
        return db.sql("DELETE FROM session.auth_state WHERE session_id = :sessionId")
                .bind("sessionId", sessionId)
                .fetch().rowsUpdated()
                .map(deleted -> deleted > 0);
    }

    /** Re-encrypts, under the active key, every state still under another key; answers how many it rewrote. */
    public Mono<Long> reencrypt() {
        return db.sql("SELECT session_id, tenant_id FROM session.auth_state WHERE key_id <> :active")
                .bind("active", cipher.activeKeyId())
                .map(row -> new Object[] {row.get("session_id", UUID.class), row.get("tenant_id", String.class)})
                .all()
                .concatMap(row -> load((UUID) row[0]).flatMap(plain -> save((UUID) row[0], (String) row[1], plain))
                        .thenReturn(1L))
                .reduce(0L, Long::sum);
    }
}
