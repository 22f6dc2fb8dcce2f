package dev.conversa.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-caller rate limits ({@code conversa.gateway.rate-limit.*}). A request is charged to the first rule whose
 * methods and paths match it, else to the default; each rule has its own bucket per caller. The caller is the
 * token's tenant and subject, or the client address for requests without a token (the public webhook).
 *
 * @param enabled      switch the limiter off entirely (benchmarks, emergencies)
 * @param redisTimeout how long to wait for Redis; when Redis is slow or down the request passes (fail open)
 * @param defaults     the limit of everything no rule matches, {@code /api/**} and the webhook
 * @param rules        stricter (or looser) limits for some endpoints, first match wins
 */
@ConfigurationProperties("conversa.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("250ms") Duration redisTimeout,
        @DefaultValue Limit defaults,
        @DefaultValue List<Rule> rules) {

    /** {@code requests} per {@code period}, all of which may come at once (the burst is the whole allowance). */
    public record Limit(@DefaultValue("100") int requests, @DefaultValue("1m") Duration period) {
    }

    /** A named limit for requests with one of {@code methods} (all when empty) on one of {@code paths}. */
    public record Rule(String name, @DefaultValue List<String> methods, List<String> paths, int requests,
            @DefaultValue("1m") Duration period) {

        Limit limit() {
            return new Limit(requests, period);
        }
    }
}
