package dev.conversa.session.qr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The current QR ref of each session, in Redis under {@code session:qr:{sessionId}} as JSON
 * ({@code {"tenantId","ref","attempt","expiresAt"}}) with a TTL that ends when the ref expires. The linked-device
 * transport {@linkplain #store stores} every ref it receives (each replaces the previous one) and
 * {@linkplain #clear clears} it once the device is paired; an unscanned ref simply expires. Redis is shared by all
 * instances, so whichever instance answers {@code GET /api/v1/sessions/{id}/qr} sees the owner's latest ref.
 */
@Component
public class QrCodes {

    private static final Logger log = LoggerFactory.getLogger(QrCodes.class);

    private static final String KEY_PREFIX = "session:qr:";

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;

    @Autowired
    public QrCodes(ReactiveStringRedisTemplate redis, JsonMapper json) {
        this(redis, json, Clock.systemUTC());
    }

    QrCodes(ReactiveStringRedisTemplate redis, JsonMapper json, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Makes {@code ref} the session's current QR until {@code expiresAt}. A ref that has already expired is not
     * shown: it removes whatever the session showed before.
     */
    public Mono<Void> store(UUID sessionId, String tenantId, String ref, int attempt, Instant expiresAt) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (tenantId == null || tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId must not be blank");
        }
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("ref must not be blank");
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        return Mono.defer(() -> {
            Duration ttl = Duration.between(clock.instant(), expiresAt);
            if (ttl.isNegative() || ttl.isZero()) {
                return clear(sessionId);
            }
            String value = json.writeValueAsString(new StoredQr(tenantId, ref, attempt, expiresAt));
            return redis.opsForValue().set(key(sessionId), value, ttl).then();
        });
    }

    /**
     * The session's current QR, or empty when it has none: never shown, expired, already paired, or the session
     * belongs to another tenant than {@code tenantId} (callers cannot tell these apart, on purpose).
     */
    public Mono<CurrentQr> current(UUID sessionId, String tenantId) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenantId, "tenantId");
        return redis.opsForValue().get(key(sessionId))
                .flatMap(value -> Mono.justOrEmpty(read(sessionId, value)))
                .filter(stored -> stored.tenantId().equals(tenantId))
                // Redis expires the key itself; this covers the last milliseconds and a Redis clock behind ours
                .filter(stored -> stored.expiresAt().isAfter(clock.instant()))
                .map(stored -> new CurrentQr(sessionId, stored.tenantId(), stored.ref(), stored.attempt(),
                        stored.expiresAt()));
    }

    /** Removes the session's QR, e.g. once the device is paired or the session is deleted. */
    public Mono<Void> clear(UUID sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return redis.delete(key(sessionId)).then();
    }

    static String key(UUID sessionId) {
        return KEY_PREFIX + sessionId;
    }

    private StoredQr read(UUID sessionId, String value) {
        try {
            StoredQr stored = json.readValue(value, StoredQr.class);
            if (stored.tenantId() == null || stored.ref() == null || stored.expiresAt() == null) {
                throw new IllegalArgumentException("incomplete QR entry");
            }
            return stored;
        }
        catch (JacksonException | IllegalArgumentException e) {
            // the next ref overwrites it; answering "no QR" beats failing every read until then
            log.warn("Ignoring unreadable QR entry of session {}: {}", sessionId, e.getMessage());
            return null;
        }
    }

    /** The Redis value; the session id is the key. */
    record StoredQr(String tenantId, String ref, int attempt, Instant expiresAt) {
    }
}
