package dev.conversa.session.qr;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pairing code each session shows, in Redis under {@code session:pairing:{sessionId}} until it expires. The
 * owner of the session {@linkplain #store stores} the code WhatsApp gave it; the instance that took
 * {@code POST /api/v1/sessions/{id}/pairing-code} {@linkplain #awaitIssuedAfter waits} for it, so the caller gets
 * the code in the answer although the request and the session live on different instances.
 */
@Component
public class PairingCodes {

    private static final String KEY_PREFIX = "session:pairing:";
    private static final Duration POLL = Duration.ofMillis(100);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;

    PairingCodes(ReactiveStringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** A pairing code for {@code phoneNumber} (E.164), issued at {@code issuedAt}, valid until {@code expiresAt}. */
    public record PairingCode(String tenantId, String phoneNumber, String code, Instant issuedAt, Instant expiresAt) {

        public PairingCode {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(phoneNumber, "phoneNumber");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    public Mono<Void> store(UUID sessionId, PairingCode code) {
        return Mono.defer(() -> {
            Duration ttl = Duration.between(Instant.now(), code.expiresAt());
            if (ttl.isNegative() || ttl.isZero()) {
                return clear(sessionId);
            }
            return redis.opsForValue().set(KEY_PREFIX + sessionId, json.writeValueAsString(code), ttl).then();
        });
    }

    public Mono<Void> clear(UUID sessionId) {
        return redis.delete(KEY_PREFIX + sessionId).then();
    }

    /**
     * The session's code for {@code phoneNumber} issued after {@code since}, as soon as the owner stored it; empty
     * when none came within {@code maxWait} or the session belongs to another tenant.
     */
    public Mono<PairingCode> awaitIssuedAfter(UUID sessionId, String tenantId, String phoneNumber, Instant since,
            Duration maxWait) {
        return redis.opsForValue().get(KEY_PREFIX + sessionId)
                .map(value -> json.readValue(value, PairingCode.class))
                .filter(code -> code.tenantId().equals(tenantId) && code.phoneNumber().equals(phoneNumber)
                        && !code.issuedAt().isBefore(since))
                .repeatWhenEmpty(attempts -> attempts.delayElements(POLL))
                .timeout(maxWait, Mono.empty());
    }
}
