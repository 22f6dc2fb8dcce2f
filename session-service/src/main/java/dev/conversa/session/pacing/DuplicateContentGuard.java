package dev.conversa.session.pacing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.conversa.events.message.MessageType;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Stops a session from sending the same content to the same number twice within
 * {@link PacingProperties#duplicateWindow()} under different idempotency keys (a double click, two campaigns with the
 * same text, a replayed command with a new key): sending identical messages in a row is what spam filters and
 * WhatsApp's ban model look for. A retry of one command (same idempotency key) is never a duplicate.
 *
 * <p>The key {@code session:dup:{sessionId}:{sha256(digits(to) + '\0' + fingerprint)}} holds the idempotency key of
 * the send that claimed the content, with the window as TTL; keys name neither the number nor the text. Claim and
 * release are one Lua script each (one round trip, atomic). A window of {@code 0} turns the guard off: every claim
 * succeeds without touching Redis. Redis errors and timeouts ({@value SendPacer#REDIS_TIMEOUT_SECONDS} s) surface as
 * errors; the caller decides whether to send anyway.
 */
@Component
public class DuplicateContentGuard {

    private static final Logger log = LoggerFactory.getLogger(DuplicateContentGuard.class);

    static final String KEY_PREFIX = "session:dup:";

    /** KEYS[1] the content key; ARGV[1] the idempotency key; ARGV[2] the window (ms). 1: go ahead, 0: duplicate. */
    static final RedisScript<Long> CLAIM = RedisScript.of("""
            local owner = redis.call('GET', KEYS[1])
            if not owner then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            if owner == ARGV[1] then
              return 1
            end
            return 0
            """, Long.class);

    /** KEYS[1] the content key; ARGV[1] the idempotency key. Deletes the claim only if it is still that key's. */
    static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final Duration window;
    private final Duration redisTimeout;

    @Autowired
    public DuplicateContentGuard(ReactiveStringRedisTemplate redis, PacingProperties properties) {
        this(redis, properties.duplicateWindow(), Duration.ofSeconds(SendPacer.REDIS_TIMEOUT_SECONDS));
    }

    DuplicateContentGuard(ReactiveStringRedisTemplate redis, Duration window, Duration redisTimeout) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.window = Objects.requireNonNull(window, "window");
        this.redisTimeout = Objects.requireNonNull(redisTimeout, "redisTimeout");
    }

    /**
     * Claims {@code contentFingerprint} to {@code to} for the send {@code idempotencyKey}: {@code true} to go ahead
     * (first time within the window, or the same idempotency key again), {@code false} when another idempotency key
     * sent the same content to the same number from this session within the window (suppress it).
     */
    public Mono<Boolean> claim(UUID sessionId, String to, String contentFingerprint, String idempotencyKey) {
        String key = key(sessionId, to, contentFingerprint);
        requireIdempotencyKey(idempotencyKey);
        if (window.isZero()) {
            return Mono.just(true);
        }
        return redis.execute(CLAIM, List.of(key), List.of(idempotencyKey, Long.toString(window.toMillis())))
                .next()
                .timeout(redisTimeout)
                .map(claimed -> claimed == 1L)
                .doOnNext(claimed -> {
                    if (!claimed) {
                        log.info("Duplicate content to {} from session {} within {} suppressed (send {})",
                                Pii.phone(to), sessionId, window, idempotencyKey);
                    }
                });
    }

    /**
     * Gives up a claim whose send was not made (e.g. rejected), so another send of the content may go; does nothing
     * when the claim has expired or belongs to another idempotency key.
     */
    public Mono<Void> release(UUID sessionId, String to, String contentFingerprint, String idempotencyKey) {
        String key = key(sessionId, to, contentFingerprint);
        requireIdempotencyKey(idempotencyKey);
        if (window.isZero()) {
            return Mono.empty();
        }
        return redis.execute(RELEASE, List.of(key), List.of(idempotencyKey))
                .next()
                .timeout(redisTimeout)
                .then();
    }

    /**
     * A stable fingerprint of a message's content: SHA-256 (hex) over the type and each field, length-prefixed so
     * no two different contents encode alike. Text is compared exactly; an absent field differs from an empty one.
     *
     * @param mediaUrlOrId   the media's URL or our media id, for media messages
     * @param templateParams the template's body parameters, in order (null counts as none)
     */
    public static String fingerprint(MessageType type, @Nullable String text, @Nullable String mediaUrlOrId,
            @Nullable String templateName, @Nullable List<String> templateParams) {
        Objects.requireNonNull(type, "type");
        StringBuilder canonical = new StringBuilder(64).append(type.value());
        field(canonical, text);
        field(canonical, mediaUrlOrId);
        field(canonical, templateName);
        List<String> params = templateParams == null ? List.of() : templateParams;
        canonical.append('|').append(params.size());
        params.forEach(param -> field(canonical, param));
        return sha256(canonical.toString());
    }

    /** {@code session:dup:{sessionId}:{sha256(digits(to) + '\0' + fingerprint)}}. */
    static String key(UUID sessionId, String to, String contentFingerprint) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(contentFingerprint, "contentFingerprint");
        String digits = to.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("to must be a phone number");
        }
        return KEY_PREFIX + sessionId + ":" + sha256(digits + '\0' + contentFingerprint);
    }

    private static void requireIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey must not be blank");
        }
    }

    private static void field(StringBuilder canonical, @Nullable String value) {
        if (value == null) {
            canonical.append("|-");
        }
        else {
            canonical.append('|').append(value.length()).append(':').append(value);
        }
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
