package dev.conversa.session.pacing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionTransport;
import reactor.core.publisher.Mono;

/**
 * Paces each session's sends through Redis, so the pace holds across instances and across a failover: the key
 * {@code session:pace:{sessionId}} holds the session's GCRA "theoretical arrival time" (µs, Redis clock), and one
 * Lua script reads Redis {@code TIME}, reserves the next free slot and answers how long to wait for it. No client
 * clock, no polling: a caller waits exactly once, for the answered time. The key's TTL ends when the slot time has
 * passed (plus a grace), so idle sessions leave nothing behind; a missing key means a full burst.
 *
 * <p>For {@link PacingProperties.Rate rate} {@code r} and {@code burst} {@code b}: after a quiet spell {@code b}
 * reservations wait 0, then each waits {@code 1/r} longer than the one before; sustained, sends go at {@code r}. The
 * rate's jitter (uniform in {@code [jitterMin, jitterMax]}) is added to every answered wait, without moving the slots,
 * so the long-run rate stays {@code r}. A caller that reserves its next slot only after the previous send keeps its
 * sends in order.
 *
 * <p>A reservation is taken when the script runs: a caller that gives up on a send still used its slot (pacing errs
 * on the slow side). Redis errors and timeouts ({@value #REDIS_TIMEOUT_SECONDS} s) surface as errors of the Mono; the
 * caller decides whether to send unpaced or retry.
 */
@Component
public class SendPacer {

    static final String KEY_PREFIX = "session:pace:";
    static final long REDIS_TIMEOUT_SECONDS = 2;
    /** How long a pace key outlives its last slot. */
    static final long IDLE_GRACE_MILLIS = 1_000;

    /**
     * GCRA reservation. KEYS[1] the pace key; ARGV[1] emission interval (µs); ARGV[2] burst tolerance (µs); ARGV[3]
     * idle grace (ms). Returns the wait in µs. The time is kept as an integer string ({@code %.0f}), since Lua's
     * default number formatting would round epoch microseconds.
     */
    static final RedisScript<Long> RESERVE = RedisScript.of("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local interval = tonumber(ARGV[1])
            local tolerance = tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or '')
            if tat == nil or tat < now then
              tat = now
            end
            local wait = tat - tolerance - now
            if wait < 0 then
              wait = 0
            end
            local nextTat = tat + interval
            local ttl = math.ceil((nextTat - now) / 1000) + tonumber(ARGV[3])
            redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', string.format('%.0f', ttl))
            return wait
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final PacingProperties properties;
    private final Duration redisTimeout;
    private final RandomGenerator random;

    @Autowired
    public SendPacer(ReactiveStringRedisTemplate redis, PacingProperties properties) {
        this(redis, properties, Duration.ofSeconds(REDIS_TIMEOUT_SECONDS), RandomGenerator.getDefault());
    }

    SendPacer(ReactiveStringRedisTemplate redis, PacingProperties properties, Duration redisTimeout,
            RandomGenerator random) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.redisTimeout = Objects.requireNonNull(redisTimeout, "redisTimeout");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Reserves the session's next send slot and answers how long to wait before sending: {@link Duration#ZERO}
     * when it may send now (and the rate has no jitter), jitter included otherwise.
     */
    public Mono<Duration> reserve(UUID sessionId, SessionTransport transport) {
        Objects.requireNonNull(sessionId, "sessionId");
        PacingProperties.Rate rate = properties.rate(transport);
        List<String> args = List.of(Long.toString(rate.intervalMicros()), Long.toString(rate.toleranceMicros()),
                Long.toString(IDLE_GRACE_MILLIS));
        return redis.execute(RESERVE, List.of(key(sessionId)), args)
                .next()
                .timeout(redisTimeout)
                .map(waitMicros -> Duration.ofNanos(Math.max(0, waitMicros) * 1_000).plus(jitter(rate)));
    }

    /** {@link #reserve} and then waiting the answered time: completes when the session may send. */
    public Mono<Void> awaitSlot(UUID sessionId, SessionTransport transport) {
        return reserve(sessionId, transport)
                .flatMap(wait -> wait.isZero() ? Mono.<Void>empty() : Mono.delay(wait).then());
    }

    public PacingProperties properties() {
        return properties;
    }

    static String key(UUID sessionId) {
        return KEY_PREFIX + sessionId;
    }

    private Duration jitter(PacingProperties.Rate rate) {
        long min = rate.jitterMin().toNanos();
        long max = rate.jitterMax().toNanos();
        return Duration.ofNanos(max == min ? min : random.nextLong(min, max + 1));
    }
}
