package dev.conversa.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger verifications = new AtomicInteger();
    private Instant now = NOW;

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** Verifies "good-…" tokens (valid for five minutes from the time they are verified) and refuses the rest. */
    private final ReactiveJwtDecoder verifier = token -> Mono.defer(() -> {
        verifications.incrementAndGet();
        if (!token.startsWith("good-")) {
            return Mono.error(new BadJwtException("forged"));
        }
        return Mono.just(Jwt.withTokenValue(token).header("alg", "RS256").subject("ana")
                .issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5))).build());
    });

    private VerifiedTokenCache cache(int maxEntries, Duration maxAge) {
        return new VerifiedTokenCache(verifier, maxEntries, maxAge, clock, nanos::get);
    }

    private void advance(Duration duration) {
        now = now.plus(duration);
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void aVerifiedTokenIsNotVerifiedAgainUntilItExpires() {
        VerifiedTokenCache cache = cache(100, Duration.ofMinutes(10));

        Jwt first = cache.decode("good-1").block();
        advance(Duration.ofMinutes(4));
        Jwt again = cache.decode("good-1").block();

        assertThat(again).isSameAs(first);
        assertThat(verifications).hasValue(1);

        advance(Duration.ofMinutes(2));
        cache.decode("good-1").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenIsRememberedNoLongerThanTheMaximumAge() {
        VerifiedTokenCache cache = cache(100, Duration.ofMinutes(1));

        cache.decode("good-1").block();
        advance(Duration.ofSeconds(61));
        cache.decode("good-1").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void aRefusedTokenIsVerifiedAgainEveryTime() {
        VerifiedTokenCache cache = cache(100, Duration.ofMinutes(10));

        StepVerifier.create(cache.decode("forged")).expectError(BadJwtException.class).verify();
        StepVerifier.create(cache.decode("forged")).expectError(BadJwtException.class).verify();

        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aTokenWithoutExpiryIsNeverRemembered() {
        ReactiveJwtDecoder noExpiry = token -> Mono.fromSupplier(() -> {
            verifications.incrementAndGet();
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("ana").build();
        });
        VerifiedTokenCache cache = new VerifiedTokenCache(noExpiry, 100, Duration.ofMinutes(10), clock, nanos::get);

        cache.decode("t").block();
        cache.decode("t").block();

        assertThat(verifications).hasValue(2);
    }

    @Test
    void atMostMaxEntriesTokensAreRemembered() {
        VerifiedTokenCache cache = cache(10, Duration.ofMinutes(10));

        for (int i = 0; i < 50; i++) {
            cache.decode("good-" + i).block();
        }

        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
}
