package dev.conversa.session.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.conversa.events.message.MessageType;
import reactor.test.StepVerifier;

/** The duplicate-content guard on the real Redis. */
class DuplicateContentGuardIntegrationTest {

    private static final String ANA = "+5491155551234";
    private static final String BETO = "+5491155559876";
    private static final String PROMO = DuplicateContentGuard.fingerprint(MessageType.TEXT, "20% off today", null,
            null, List.of());

    static PacingRedis redis;
    static DuplicateContentGuard guard;

    @BeforeAll
    static void connect() {
        redis = PacingRedis.connect();
        guard = new DuplicateContentGuard(redis.template(), Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Test
    void sameContentToTheSameNumberUnderAnotherKeyWithinTheWindowIsSuppressed() {
        UUID session = UUID.randomUUID();

        claim(session, ANA, PROMO, "cmd-1", true);
        claim(session, ANA, PROMO, "cmd-2", false);
    }

    @Test
    void theSameKeyAgainIsARetryNotADuplicate() {
        UUID session = UUID.randomUUID();

        claim(session, ANA, PROMO, "cmd-1", true);
        claim(session, ANA, PROMO, "cmd-1", true);
        claim(session, ANA, PROMO, "cmd-2", false);
    }

    @Test
    void anotherRecipientAnotherContentOrAnotherSessionGoesAhead() {
        UUID session = UUID.randomUUID();
        String other = DuplicateContentGuard.fingerprint(MessageType.TEXT, "20% off tomorrow", null, null, List.of());

        claim(session, ANA, PROMO, "cmd-1", true);
        claim(session, BETO, PROMO, "cmd-2", true);
        claim(session, ANA, other, "cmd-3", true);
        claim(UUID.randomUUID(), ANA, PROMO, "cmd-4", true);
    }

    @Test
    void theSameNumberWrittenDifferentlyIsTheSameRecipient() {
        UUID session = UUID.randomUUID();

        claim(session, ANA, PROMO, "cmd-1", true);
        claim(session, "+54 9 11 5555-1234", PROMO, "cmd-2", false);
    }

    @Test
    void releaseLetsTheNextOneThrough() {
        UUID session = UUID.randomUUID();
        claim(session, ANA, PROMO, "cmd-1", true);

        StepVerifier.create(guard.release(session, ANA, PROMO, "cmd-1")).verifyComplete();

        claim(session, ANA, PROMO, "cmd-2", true);
        claim(session, ANA, PROMO, "cmd-3", false);
    }

    @Test
    void releaseByAnotherKeyLeavesTheClaimInPlace() {
        UUID session = UUID.randomUUID();
        claim(session, ANA, PROMO, "cmd-1", true);

        StepVerifier.create(guard.release(session, ANA, PROMO, "cmd-2")).verifyComplete();
        StepVerifier.create(guard.release(UUID.randomUUID(), ANA, PROMO, "cmd-1")).verifyComplete();

        claim(session, ANA, PROMO, "cmd-3", false);
    }

    @Test
    void claimEndsWithTheWindow() {
        DuplicateContentGuard shortWindow = new DuplicateContentGuard(redis.template(), Duration.ofMillis(300),
                Duration.ofSeconds(2));
        UUID session = UUID.randomUUID();

        StepVerifier.create(shortWindow.claim(session, ANA, PROMO, "cmd-1")).expectNext(true).verifyComplete();
        StepVerifier.create(shortWindow.claim(session, ANA, PROMO, "cmd-2")).expectNext(false).verifyComplete();

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> Boolean.TRUE.equals(shortWindow.claim(session, ANA, PROMO, "cmd-2").block()));
    }

    @Test
    void zeroWindowTurnsTheGuardOffAndWritesNothing() {
        DuplicateContentGuard off = new DuplicateContentGuard(redis.template(), Duration.ZERO,
                Duration.ofSeconds(2));
        UUID session = UUID.randomUUID();

        StepVerifier.create(off.claim(session, ANA, PROMO, "cmd-1")).expectNext(true).verifyComplete();
        StepVerifier.create(off.claim(session, ANA, PROMO, "cmd-2")).expectNext(true).verifyComplete();
        StepVerifier.create(off.release(session, ANA, PROMO, "cmd-1")).verifyComplete();

        assertThat(redis.template().hasKey(DuplicateContentGuard.key(session, ANA, PROMO)).block()).isFalse();
    }

    @Test
    void redisKeyNamesNeitherTheNumberNorTheTextAndHoldsTheClaimingKeyForTheWindow() {
        UUID session = UUID.randomUUID();
        claim(session, ANA, PROMO, "cmd-1", true);

        String key = DuplicateContentGuard.key(session, ANA, PROMO);
        assertThat(key).startsWith("session:dup:" + session + ":").doesNotContain("5491155551234")
                .doesNotContain("off").matches("session:dup:[0-9a-f-]{36}:[0-9a-f]{64}");
        assertThat(redis.template().opsForValue().get(key).block()).isEqualTo("cmd-1");
        assertThat(redis.template().getExpire(key).block()).isPositive()
                .isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    private static void claim(UUID session, String to, String fingerprint, String key, boolean expected) {
        StepVerifier.create(guard.claim(session, to, fingerprint, key))
                .as("claim by " + key)
                .expectNext(expected)
                .verifyComplete();
    }
}
