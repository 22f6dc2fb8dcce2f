package dev.conversa.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import reactor.core.publisher.Mono;

/**
 * A {@link ReactiveJwtDecoder} that remembers the tokens it verified until they expire: a client sends the same
 * bearer token with every request of its session, so its RS256 signature check, parsing and validators need not run
 * again for each request (in the gateway's flight recording they no longer appear). A token is verified by the
 * delegate once; later requests with the identical token string get the same {@link Jwt} until its {@code exp}
 * (never longer than {@code maxAge}). Tokens that fail are not remembered: each attempt is verified again.
 *
 * <p>What this does not change: JWTs are not revocable here anyway (nothing asks Keycloak per request), and the
 * cache holds only what verified. A signing key removed from the realm's JWKS keeps validating the tokens already
 * verified with it until they expire (minutes for Keycloak's access tokens).
 *
 * <p>Bounded: at most {@code maxEntries} tokens (least recently used go first).
 */
public final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final Cache<String, Jwt> verified;
    private final Clock clock;

    public VerifiedTokenCache(ReactiveJwtDecoder delegate, int maxEntries, Duration maxAge) {
        this(delegate, maxEntries, maxAge, Clock.systemUTC(), Ticker.systemTicker());
    }

    VerifiedTokenCache(ReactiveJwtDecoder delegate, int maxEntries, Duration maxAge, Clock clock, Ticker ticker) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        long maxAgeNanos = maxAge.toNanos();
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> Duration.ofNanos(
                        Math.min(maxAgeNanos, remaining(jwt).toNanos()))))
                .build();
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known != null && remaining(known).isPositive()) {
            return Mono.just(known);
        }
        return delegate.decode(token).doOnNext(jwt -> {
            if (remaining(jwt).isPositive()) {
                verified.put(token, jwt);
            }
        });
    }

    /** How long the token is still valid; zero without an {@code exp}: such a token is never remembered. */
    private Duration remaining(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Tokens remembered now (for tests and metrics). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
