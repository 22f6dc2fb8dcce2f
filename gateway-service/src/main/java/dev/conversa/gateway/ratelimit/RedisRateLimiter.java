package dev.conversa.gateway.ratelimit;

import java.util.List;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import reactor.core.publisher.Mono;

/**
 * A token bucket kept in Redis as one timestamp per caller and rule (GCRA, the "generic cell rate algorithm"): a
 * caller may send {@code requests} at once, then one every {@code period / requests}. One atomic script per request,
 * using Redis' clock so gateway replicas agree; the key expires when the bucket is full again.
 */
public final class RedisRateLimiter {

    /** ARGV[1] = emission interval (ms per request), ARGV[2] = burst (requests); returns {allowed, waitMs, left}. */
    static final String SCRIPT = """
            local interval = tonumber(ARGV[1])
            local tolerance = interval * tonumber(ARGV[2])
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            local tat = tonumber(redis.call('GET', KEYS[1]))
            if not tat or tat < now then tat = now end
            local newTat = tat + interval
            local allowAt = newTat - tolerance
            if now < allowAt then
              return {0, math.ceil(allowAt - now), 0}
            end
            redis.call('SET', KEYS[1], tostring(newTat), 'PX', math.max(1, math.ceil(newTat - now)))
            return {1, 0, math.floor((now + tolerance - newTat) / interval)}
            """;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final RedisScript<List<Long>> GCRA = (RedisScript) RedisScript.of(SCRIPT, List.class);

    private final ReactiveStringRedisTemplate redis;

    public RedisRateLimiter(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The outcome of one request: allowed or not, how long to wait (ms) when not, and what is left. */
    public record Decision(boolean allowed, long waitMillis, long remaining) {
    }

    public Mono<Decision> acquire(String key, RateLimitProperties.Limit limit) {
        double interval = (double) limit.period().toMillis() / limit.requests();
        return redis.execute(GCRA, List.of(key), List.of(Double.toString(interval),
                        Integer.toString(limit.requests())))
                .next()
                .map(result -> new Decision(result.get(0) == 1L, result.get(1), result.get(2)));
    }
}
